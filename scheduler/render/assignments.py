"""Each person's own agenda: interpreters' assignments and speakers' sessions, in their locale and time zone.

`DIR/interpreters/<id>/` and `DIR/speakers/<id>/` each hold `agenda.md`, `agenda.html` and `assignments.ics`.
A person with nothing to do still gets a folder whose agenda says so (its calendar holds no event). After a re-plan
(`files(..., previous)`), an interpreter's agenda also lists, apart, the assignments taken away from them (their
calendar cancels them), and an interpreter who has left the event gets a folder whose agenda and calendar cancel
all they had. Timetables name no speaker: with the event as it was as well (`files(..., previous, before)`), so do
speakers' agendas, for the sessions removed from the event or whose speakers they no longer are, and a speaker who
has left the event gets such a folder too; the removed sessions keep their titles.

Speakers have no `locale` in the input: theirs is the floor language of their sessions (the most frequent one),
in the region of the event's time zone when CLDR has that locale (fr + America/Toronto -> fr_CA), and their time
zone is theirs, else the event's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from ..changes import in_event_order, staffed_languages
from ..event import Event, Interpreter, Speaker
from ..timetable import Channel, Placement, Timetable
from . import ics
from .html import render_template
from .i18n import Reader, canonical_zone
from .text import md
from .view import SessionView, Title, event_name, event_span, fallback_legend, ordered, session_view, title_of


@dataclass(frozen=True)
class Item:
    """One entry of an agenda: a session, seen by one person."""

    view: SessionView
    fields: tuple[tuple[str, str], ...]  # (label, value), already localised
    summary: str  # calendar title
    uid: str
    minutes: int  # of work (an interpreter's) or of speaking, as placed
    day: date  # the heading it goes under: an interpreter's event day, a speaker's own date


@dataclass(frozen=True)
class Cancelled:
    """One assignment a re-plan took away, as the agenda lists it apart: dated, as no day heading is above it."""

    session: str
    title: Title
    when: str  # the time interval in the reader's zone, with its date
    room: str
    fields: tuple[tuple[str, str], ...]  # (label, value), already localised
    uid: str  # the calendar entry it was given as, which the calendar now cancels
    start: datetime
    end: datetime


@dataclass
class Agenda:
    person_id: str
    kind: str  # "interpreters" | "speakers"
    reader: Reader
    title: str
    intro: list[str]
    empty: str
    items: list[Item] = field(default_factory=list)
    cancelled: list[Cancelled] = field(default_factory=list)  # only after a re-plan (`files(..., previous)`)

    def cancelled_heading(self) -> str:
        """The heading of the cancelled section: an interpreter's assignments, a speaker's part in sessions (the
        translations name which)."""
        if self.kind == "speakers":
            return self.reader._("Sessions cancelled since the previous timetable")
        return self.reader._("Cancelled since the previous timetable")

    def cancelled_note(self) -> str:
        """The line under the heading of the cancelled section."""
        if self.kind == "speakers":
            return self.reader._("These sessions of the previous timetable are no longer yours.")
        return self.reader._("These assignments of the previous timetable are no longer yours.")

    def days(self) -> list[tuple[date, str, list[Item]]]:
        """(day, heading, items). An interpreter's days are the event's (their daily limit and days of work
        count by them), headed with that day's minutes of work ('vendredi 12 février 2021 (4 h 30 min)'); a
        speaker's are their own dates."""
        out = []
        for day, group in groupby(self.items, key=lambda i: i.day):
            items = list(group)
            heading = self.reader.own(self.reader.date(day))
            if self.kind == "interpreters":
                heading = self.reader.annotated(heading, self.reader.duration(sum(i.minutes for i in items)))
            out.append((day, heading, items))
        return out


def speaker_locale(event: Event, speaker: Speaker, before: Event | None = None) -> Locale:
    """`before`: the event as it was, whose sessions give the language of a speaker who has none left (the one
    their agenda was in)."""
    if speaker.locale is not None:
        return Locale.parse(speaker.locale)
    floors = Counter(s.language for s in event.sessions if speaker.id in s.speakers)
    if not floors and before is not None:
        floors = Counter(s.language for s in before.sessions if speaker.id in s.speakers)
    language = floors.most_common(1)[0][0] if floors else event.event.languages[0]
    territory = get_global("zone_territories").get(canonical_zone(event.event.timezone))
    base = Locale.parse(language)
    if territory and not base.territory:
        try:
            return Locale.parse(f"{base.language}_{territory}")
        except (ValueError, UnknownLocaleError):
            pass
    return base


def _zone_fields(event: Event, reader: Reader, p: Placement) -> list[tuple[str, str]]:
    """The event's time of `p`, for a reader in another zone."""
    if reader.zone.key == event.event.timezone:
        return []
    _ = reader._
    # dated when the event's date is not the one the reader sees for it
    when = reader.own(reader.interval(p.start, p.end, zone=event.zone, on=reader.in_zone(p.start).date()))
    return [(_("Event time"), reader.annotated(when, reader.zone_name(event.zone)))]


def _agenda(event: Event, reader: Reader, who: str, kind: str, title: str, empty: str) -> Agenda:
    """An empty agenda whose introduction names the event and the reader's time zone."""
    return Agenda(who, kind, reader, title=title, intro=[event_name(event, reader).text, reader.zone_note()],
                  empty=empty)


def interpreter_agenda(event: Event, timetable: Timetable, who: Interpreter,
                       work: list[tuple[Placement, Channel]] | None = None,
                       taken: list[Placement] = (), before: Event | None = None,
                       earlier: dict[str, tuple[Placement, Channel]] | None = None) -> Agenda:
    """`work`: their channels in time order, when known (`agendas` finds everyone's in one pass); `taken`: the
    previous timetable's placements of the assignments a re-plan took away from them (`taken_away`); `before`:
    the event as it was, which names the sessions removed since; `earlier`: after a re-plan, their assignments in
    the previous timetable, by session (each assignment that differs says how it was, `_changed`)."""
    if work is None:
        work = _work(ordered(event, timetable)).get(who.id, [])
    reader = Reader.of(who.locale, who.timezone or event.event.timezone)
    _ = reader._
    agenda = _agenda(event, reader, who.id, "interpreters", _("%(name)s: interpretation assignments", name=who.name),
                     _("No assignment for this event."))
    theirs = who.known_languages()
    for p, ch in work:
        floor = event.session[p.session].language
        day = p.start.astimezone(event.zone).date()  # the event's day, which their daily limit is about
        known = _readable(floor, theirs)
        view = session_view(event, p, reader, on=day, known=known)
        mates = [event.interpreter[i].name for i in ch.interpreters if i != who.id and i in event.interpreter]
        pair = _pair(reader, ch)
        fields = [(_("Room"), view.room), (_("Languages"), pair),
                  (reader.ngettext("Team mate", "Team mates", max(1, len(mates))),  # a label: one, or more
                   reader.names(mates) if mates else _("none (working alone)"))]
        if ch.via:
            pivot = _pivot(p, ch)
            pivot_names = [event.interpreter[i].name for i in pivot.interpreters] if pivot else []
            relay = _("relay from the %(language)s channel", language=reader.language_name(ch.via))
            if pivot_names:
                relay = reader.annotated(relay, reader.names(pivot_names))
            fields.append((_("Source"), relay))
            fields.append((_("Floor language"), reader.language_name(floor)))
        else:
            fields.append((_("Source"), _("the floor (%(language)s)", language=reader.language_name(ch.from_))))
        fed = [reader.language_name(c.into) for c in p.channels if c.via == ch.into and c is not ch]
        if fed:
            fields.append((_("Your channel is the relay for"), reader.names(fed)))
        fields.append((reader.ngettext("Speaker", "Speakers", max(1, len(view.speakers))), view.speakers_text or "—"))
        fields += _zone_fields(event, reader, p)
        fields.append((_("Duration"), view.duration))
        if earlier is not None:
            fields[:0] = _changed(reader, event, before, p, earlier.get(p.session), ch, who.id)
        summary = f"{view.title.shown} · {pair}"
        agenda.items.append(Item(view, tuple(fields), summary, ics.guid(event.event.id, p.session, who.id),
                                 p.minutes, day))
    if any(item.view.day != item.day for item in agenda.items):  # working from elsewhere: their dates differ
        agenda.intro.append(_("Days are the event's (%(city)s), as your daily limit and your days of work count "
                              "them; a session on another date of yours shows that date.",
                              city=reader.zone_name(event.zone)))
    if agenda.items:
        agenda.intro.append(reader.ngettext(
            "%(num)d assignment, %(total)s in all.", "%(num)d assignments, %(total)s in all.",
            len(agenda.items), total=reader.duration(sum(i.minutes for i in agenda.items))))
    agenda.cancelled = [cancelled_item(event, reader, who.id, p, theirs, before) for p in taken]
    agenda.intro += fallback_legend(reader, [item.view.title for item in agenda.items]
                                    + [c.title for c in agenda.cancelled])
    return agenda


def _readable(floor: str, theirs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The languages an interpreter reads a title in when none is in their own: the floor's first if they know
    it (working from it, they hear it), then theirs, A first. A floor they do not know is no help: relaying a
    French session into Chinese, they read its English title, not its French one."""
    return tuple(dict.fromkeys([floor, *theirs] if floor in theirs else theirs))


def left_agenda(event: Event, who: str, taken: list[Placement], kind: str = "interpreters",
                before: Event | None = None) -> Agenda:
    """The agenda of an interpreter or a speaker (`kind`) who has left the event: all they had, cancelled. In
    their locale and zone, by their name, when the event as it was (`before`) knows them; else in the event's first
    language and zone, as their calendar (their own are no longer known, nor their name)."""
    speaking = kind == "speakers"
    person = None if before is None else (before.speaker if speaking else before.interpreter).get(who)
    name, known = who, ()
    reader = Reader.of(event.event.languages[0], event.event.timezone)
    if person is not None:
        name, zone = person.name, person.timezone or event.event.timezone
        if speaking:
            reader = Reader.of(speaker_locale(before, person), zone)
        else:
            reader, known = Reader.of(person.locale, zone), tuple(person.known_languages())
    _ = reader._
    if speaking:
        agenda = _agenda(event, reader, who, kind, _("%(name)s: sessions", name=name),
                         _("You are no longer among the speakers of this event: all your sessions are cancelled."))
    else:
        agenda = _agenda(event, reader, who, kind, _("%(name)s: interpretation assignments", name=name),
                         _("You are no longer among the interpreters of this event: all your assignments are "
                           "cancelled."))
    agenda.cancelled = [cancelled_item(event, reader, who, p, known, before, speaking) for p in taken]
    agenda.intro += fallback_legend(reader, [c.title for c in agenda.cancelled])
    return agenda


def _pair(reader: Reader, ch: Channel) -> str:
    """'anglais → français': the languages of a channel."""
    return reader._("%(source)s into %(target)s", source=reader.language_name(ch.from_),
                    target=reader.language_name(ch.into))


def cancelled_item(event: Event, reader: Reader, who: str, p: Placement, known: tuple[str, ...] = (),
                   before: Event | None = None, speaking: bool = False) -> Cancelled:
    """The assignment of `who` on the previous timetable's `p`, taken away, or the session they spoke at
    (`speaking`): when, title, room and languages (an interpreter's pairs, a speaker's floor) as it was, and the
    event's time for a reader elsewhere. `known`: languages they read besides their own; `before`: the event as it
    was, which still has the sessions removed since, and their titles."""
    _ = reader._
    source = next((ev for ev in (event, before) if ev is not None and p.session in ev.session), None)
    session = source.session[p.session] if source is not None else None
    if session is not None:  # a speaker reads the title in the language they speak, as on their agenda
        title = title_of(source, session, reader,
                         (session.language,) if speaking else _readable(session.language, known))
    else:  # removed from the event, its titles with it (timetables hold none): the id is all that is left
        title = Title(_("Session %(session)s (removed from the event)", session=p.session), reader.ui_language,
                      False)
    room = next((ev.room[p.room].name for ev in (event, before) if ev is not None and p.room in ev.room), p.room)
    if speaking:
        fields = [(_("Room"), room)] + ([(_("Language"), reader.language_name(session.language))] if session else [])
    else:
        pairs = [_pair(reader, ch) for ch in p.channels if who in ch.interpreters]
        fields = [(_("Room"), room), (_("Languages"), reader.names(pairs))]
    if session is not None and source is not event:  # its title alone would not say the session is no more
        fields.append((_("Session"), _("removed from the event")))
    fields += _zone_fields(event, reader, p)
    return Cancelled(p.session, title, reader.own(reader.interval(p.start, p.end, dated=True)), room, tuple(fields),
                     ics.guid(event.event.id, p.session, who), p.start, p.end)


def _changed(reader: Reader, event: Event, before: Event | None, p: Placement,
             was: Placement | tuple[Placement, Channel] | None, ch: Channel | None = None,
             who: str | None = None) -> list[tuple[str, str]]:
    """The field that says how an entry of an agenda sent again differs from the previous timetable's, or none:
    'Changed: new since the previous timetable', or 'Changed: previously Tue, Jul 8, 4:30–5:30 PM, Salle B' (dated
    and in the reader's zone, as the cancelled ones), followed for an interpreter (`ch`, `who`: their channel now;
    `was`: their placement and channel then) by the languages, source and team mates they had where those changed,
    and for a speaker (`was`: the placement then) by the languages the session was interpreted into where those
    changed (not when only its interpreters' names did: that they need not be told)."""
    _ = reader._
    if was is None:
        return [(_("Changed"), _("new since the previous timetable"))]
    old, old_ch = was if isinstance(was, tuple) else (was, None)
    parts = []
    if (old.start, old.end, old.room) != (p.start, p.end, p.room):
        room = next((ev.room[old.room].name for ev in (event, before) if ev is not None and old.room in ev.room),
                    old.room)
        parts.append(_("%(when)s, %(room)s", when=reader.own(reader.interval(old.start, old.end, dated=True)),
                       room=room))
    if ch is not None and old_ch is not None:
        if (old_ch.from_, old_ch.into) != (ch.from_, ch.into):
            parts.append(_pair(reader, old_ch))
        if old_ch.via != ch.via:
            parts.append(_("relay from the %(language)s channel", language=reader.language_name(old_ch.via))
                         if old_ch.via else
                         _("the floor (%(language)s)", language=reader.language_name(old_ch.from_)))
        mates = [i for i in old_ch.interpreters if i != who]
        if set(mates) != {i for i in ch.interpreters if i != who}:
            named = [next((ev.interpreter[i].name for ev in (event, before) if ev is not None and i in ev.interpreter),
                          i) for i in mates]
            parts.append(_("with %(names)s", names=reader.names(named)) if named else _("working alone"))
    elif ch is None and staffed_languages(old) != staffed_languages(p):
        languages = in_event_order(event, staffed_languages(old))
        parts.append(_("interpreted into %(languages)s", languages=reader.names(
            [reader.language_name(lang) for lang in languages])) if languages else _("without interpretation"))
    return [(_("Changed"), _("previously %(what)s", what=reader.series(parts)))] if parts else []


def _pivot(p: Placement, ch: Channel) -> Channel | None:
    for c in p.channels:
        if c.into == ch.via and c is not ch:
            return c
    return None


def speaker_agenda(event: Event, timetable: Timetable, who: Speaker, talks: list[Placement] | None = None,
                   taken: list[Placement] = (), before: Event | None = None,
                   earlier: dict[str, Placement] | None = None) -> Agenda:
    """`talks`: their sessions in time order, when known (`agendas` finds everyone's in one pass); `taken`: the
    previous timetable's placements of the sessions a re-plan took away from them, as the event was (`before`)
    named their speakers (`talks_taken_away`); `earlier`: after a re-plan, their sessions in the previous
    timetable, by session (each that moved, or gained or lost a language, says how it was, `_changed`)."""
    if talks is None:
        talks = _talks(event, ordered(event, timetable)).get(who.id, [])
    reader = Reader.of(speaker_locale(event, who, before), who.timezone or event.event.timezone)
    _ = reader._
    agenda = _agenda(event, reader, who.id, "speakers", _("%(name)s: sessions", name=who.name),
                     _("No session for this event."))
    for p in talks:
        session = event.session[p.session]
        view = session_view(event, p, reader, known=(session.language,))  # they speak it
        others = [event.speaker[i].name for i in session.speakers if i != who.id and i in event.speaker]
        fields = [(_("Room"), view.room), (_("Language"), view.language_name)]
        if others:
            fields.append((_("With"), reader.names(others)))
        fields.append((_("Interpretation"), view.interpretation_text))
        fields += _zone_fields(event, reader, p)
        fields.append((_("Duration"), view.duration))
        if earlier is not None:
            fields[:0] = _changed(reader, event, before, p, earlier.get(p.session))
        agenda.items.append(Item(view, tuple(fields), view.title.shown, ics.guid(event.event.id, p.session, who.id),
                                 p.minutes, view.day))
    agenda.cancelled = [cancelled_item(event, reader, who.id, p, before=before, speaking=True) for p in taken]
    agenda.intro += fallback_legend(reader, [item.view.title for item in agenda.items]
                                    + [c.title for c in agenda.cancelled])
    return agenda


def _work(placements: list[Placement]) -> dict[str, list[tuple[Placement, Channel]]]:
    """Each interpreter's channels, in the order of `placements`."""
    out: dict[str, list[tuple[Placement, Channel]]] = {}
    for p in placements:
        for ch in p.channels:
            for who in dict.fromkeys(ch.interpreters):
                out.setdefault(who, []).append((p, ch))
    return out


def _talks(event: Event, placements: list[Placement]) -> dict[str, list[Placement]]:
    """Each speaker's sessions, in the order of `placements`."""
    out: dict[str, list[Placement]] = {}
    for p in placements:
        for who in dict.fromkeys(event.session[p.session].speakers):
            out.setdefault(who, []).append(p)
    return out


def agendas(event: Event, timetable: Timetable, gone: dict[str, list[Placement]] | None = None,
            lost: dict[str, list[Placement]] | None = None, before: Event | None = None,
            previous: Timetable | None = None) -> list[Agenda]:
    """Everyone's agenda; `gone`: what a re-plan took away from each interpreter (`taken_away`), `lost`: from each
    speaker (`talks_taken_away`), as the event was `before` it; `previous`: the timetable re-planned, whose entries
    that differ are said (`_changed`)."""
    placements = ordered(event, timetable)
    work, talks, gone, lost = _work(placements), _talks(event, placements), gone or {}, lost or {}
    did: dict[str, dict[str, tuple[Placement, Channel]]] | None = None
    spoke: dict[str, dict[str, Placement]] | None = None
    if previous is not None:  # the speakers of the previous timetable's sessions are as the event was, if known
        was = before if before is not None else event
        did = {who: {p.session: (p, ch) for p, ch in reversed(theirs)}
               for who, theirs in _work(previous.sessions).items()}
        spoke = {who: {p.session: p for p in theirs} for who, theirs in _talks(
            was, [p for p in previous.sessions if p.session in was.session]).items()}
    return ([interpreter_agenda(event, timetable, i, work.get(i.id, []), gone.get(i.id, []), before,
                                None if did is None else did.get(i.id, {}))
             for i in event.interpreters]
            + [speaker_agenda(event, timetable, s, talks.get(s.id, []), lost.get(s.id, []), before,
                              None if spoke is None else spoke.get(s.id, {}))
               for s in event.speakers])


def _md_entry(agenda: Agenda, when: str, title: Title, fields: tuple[tuple[str, str], ...]) -> list[str]:
    """One entry of an agenda in Markdown: its heading (when · title), then its fields."""
    shown = md(title.text) + (f" {md(title.marker)}" if title.fallback else "")
    return (["", f"### {md(when)} · {shown}", ""]
            + ["- " + agenda.reader._("%(label)s: %(value)s", label=md(label), value=md(value))
               for label, value in fields])


def markdown(agenda: Agenda) -> str:
    lines = [f"# {md(agenda.title)}"]
    for line in agenda.intro:
        lines += ["", md(line)]
    if not agenda.items:
        lines += ["", md(agenda.empty)]
    if agenda.cancelled:  # before the days: what the reader must strike out of their plans
        lines += ["", f"## {md(agenda.cancelled_heading())}", "", md(agenda.cancelled_note())]
        for c in agenda.cancelled:
            lines += _md_entry(agenda, c.when, c.title, c.fields)
    for _day, heading, items in agenda.days():
        lines += ["", f"## {md(heading)}"]
        for item in items:
            lines += _md_entry(agenda, item.view.when, item.view.title, item.fields)
    return "\n".join(lines) + "\n"


def html(agenda: Agenda) -> str:
    return render_template("agenda.html", agenda.reader, agenda=agenda, days=agenda.days())


def _description(agenda: Agenda, fields: tuple[tuple[str, str], ...]) -> str:
    """A calendar entry's description: its fields, one a line."""
    return "\n".join(agenda.reader._("%(label)s: %(value)s", label=k, value=v) for k, v in fields)


def calendar(event: Event, agenda: Agenda, replaces: bool = False) -> bytes:
    """The agenda as iCalendar, its assignments taken away by a re-plan as cancelled entries (same UIDs as when
    they were given); a re-plan's calendars `replace` those rendered before (see `ics.calendar`)."""
    entries = [
        ics.Entry(uid=item.uid, start=item.view.start, end=item.view.end, summary=item.summary,
                  # a speaker's summary is the title; an interpreter's adds the pair, in the UI's language
                  language=item.view.title.language if agenda.kind == "speakers" else None,
                  location=item.view.room, description=_description(agenda, item.fields))
        for item in agenda.items
    ]
    entries += [ics.Entry(uid=c.uid, start=c.start, end=c.end, summary=c.title.shown, location=c.room,
                          description=_description(agenda, c.fields), language=c.title.language, cancelled=True)
                for c in agenda.cancelled]
    return ics.calendar(agenda.title, entries, agenda.reader.zone, agenda.reader.ui_language, event_span(event),
                        replaces)


def taken_away(event: Event, timetable: Timetable, previous: Timetable) -> dict[str, list[Placement]]:
    """Each interpreter's sessions in `previous` that `timetable` no longer gives them, in time order, people who
    have left the event included (their calendars still hold them)."""
    kept = {(who, p.session) for p in timetable.sessions for c in p.channels for who in c.interpreters}
    out: dict[str, list[Placement]] = {}
    for p in ordered(event, previous):
        for who in dict.fromkeys(w for c in p.channels for w in c.interpreters):
            if (who, p.session) not in kept:
                out.setdefault(who, []).append(p)
    return out


def talks_taken_away(event: Event, timetable: Timetable, previous: Timetable,
                     before: Event) -> dict[str, list[Placement]]:
    """Each speaker's sessions in `previous`, as the event was `before` it names their speakers, that `timetable`
    and the event no longer give them: the session removed from the event, or they from its speakers. In time
    order, people who have left the event included (their calendars still hold them)."""
    kept = {(who, p.session) for p in timetable.sessions if p.session in event.session
            for who in event.session[p.session].speakers}
    out: dict[str, list[Placement]] = {}
    for p in ordered(before, previous):
        session = before.session.get(p.session)
        for who in dict.fromkeys(session.speakers if session is not None else ()):
            if (who, p.session) not in kept:
                out.setdefault(who, []).append(p)
    return out


def files(event: Event, timetable: Timetable, previous: Timetable | None = None,
          before: Event | None = None) -> dict[Path, str | bytes]:
    """Every file of the assignments folder, relative to it, rendered in memory (nothing written yet). With the
    `previous` timetable, interpreters' agendas also list the assignments taken away from them and their calendars
    cancel them, and those who have left the event get an agenda and a calendar that cancel all of theirs (in the
    event's language and zone). With the event as it was `before` too (the one `previous` was planned for),
    speakers' likewise, and removed sessions are named by their titles (and people who left by their names, in
    their own locale and zone)."""
    gone = taken_away(event, timetable, previous) if previous is not None else {}
    lost = talks_taken_away(event, timetable, previous, before) if previous is not None and before is not None else {}
    everyone = agendas(event, timetable, gone, lost, before, previous)
    everyone += [left_agenda(event, who, taken, "interpreters", before)
                 for who, taken in gone.items() if who not in event.interpreter]
    everyone += [left_agenda(event, who, taken, "speakers", before)
                 for who, taken in lost.items() if who not in event.speaker]
    out: dict[Path, str | bytes] = {}
    for agenda in everyone:
        folder = Path(agenda.kind) / agenda.person_id
        out[folder / "agenda.md"] = markdown(agenda)
        out[folder / "agenda.html"] = html(agenda)
        out[folder / "assignments.ics"] = calendar(event, agenda, replaces=previous is not None)
    return out
