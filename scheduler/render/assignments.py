"""Each person's own agenda: interpreters' assignments and speakers' sessions, in their locale and time zone.

`DIR/interpreters/<id>/` and `DIR/speakers/<id>/` each hold `agenda.md`, `agenda.html` and `assignments.ics`.
A person with nothing to do still gets a folder whose agenda says so (its calendar holds no event).

Speakers have no `locale` in the input: theirs is the floor language of their sessions (the most frequent one),
in the region of the event's time zone when CLDR has that locale (fr + America/Toronto -> fr_CA), and their time
zone is theirs, else the event's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from ..event import Event, Interpreter, Speaker
from ..timetable import Channel, Placement, Timetable
from . import ics
from .html import render_template
from .i18n import Reader, canonical_zone
from .text import md
from .view import SessionView, event_name, event_span, fallback_legend, ordered, session_view


@dataclass(frozen=True)
class Item:
    """One entry of an agenda: a session, seen by one person."""

    view: SessionView
    fields: tuple[tuple[str, str], ...]  # (label, value), already localised
    summary: str  # calendar title
    uid: str
    minutes: int  # of work (an interpreter's) or of speaking, as placed
    day: date  # the heading it goes under: an interpreter's event day, a speaker's own date


@dataclass
class Agenda:
    person_id: str
    kind: str  # "interpreters" | "speakers"
    reader: Reader
    title: str
    intro: list[str]
    empty: str
    items: list[Item] = field(default_factory=list)

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


def speaker_locale(event: Event, speaker: Speaker) -> Locale:
    if speaker.locale is not None:
        return Locale.parse(speaker.locale)
    floors = Counter(s.language for s in event.sessions if speaker.id in s.speakers)
    language = floors.most_common(1)[0][0] if floors else event.event.languages[0]
    territory = get_global("zone_territories").get(canonical_zone(event.event.timezone))
    base = Locale.parse(language)
    if territory and not base.territory:
        try:
            return Locale.parse(f"{base.language}_{territory}")
        except (ValueError, UnknownLocaleError):
            pass
    return base


def _zone_fields(view: SessionView, event: Event, reader: Reader, p: Placement) -> list[tuple[str, str]]:
    if reader.zone.key == event.event.timezone:
        return []
    _ = reader._
    # dated when the event's date is not the one the reader sees above it
    when = reader.own(reader.interval(p.start, p.end, zone=event.zone, on=view.start.date()))
    return [(_("Event time"), reader.annotated(when, reader.zone_name(event.zone)))]


def _agenda(event: Event, reader: Reader, who: str, kind: str, title: str, empty: str) -> Agenda:
    """An empty agenda whose introduction names the event and the reader's time zone."""
    return Agenda(who, kind, reader, title=title, intro=[event_name(event, reader).text, reader.zone_note()],
                  empty=empty)


def interpreter_agenda(event: Event, timetable: Timetable, who: Interpreter,
                       work: list[tuple[Placement, Channel]] | None = None) -> Agenda:
    """`work`: their channels in time order, when known (`agendas` finds everyone's in one pass)."""
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
        # A title missing in their language: in one they know, the floor's (which they hear) first.
        known = tuple(dict.fromkeys([floor, *theirs]))
        view = session_view(event, p, reader, on=day, known=known)
        mates = [event.interpreter[i].name for i in ch.interpreters if i != who.id and i in event.interpreter]
        pair = _("%(source)s into %(target)s", source=reader.language_name(ch.from_),
                 target=reader.language_name(ch.into))
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
        fields += _zone_fields(view, event, reader, p)
        fields.append((_("Duration"), view.duration))
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
    agenda.intro += fallback_legend(reader, [item.view.title for item in agenda.items])
    return agenda


def _pivot(p: Placement, ch: Channel) -> Channel | None:
    for c in p.channels:
        if c.into == ch.via and c is not ch:
            return c
    return None


def speaker_agenda(event: Event, timetable: Timetable, who: Speaker, talks: list[Placement] | None = None) -> Agenda:
    """`talks`: their sessions in time order, when known (`agendas` finds everyone's in one pass)."""
    if talks is None:
        talks = _talks(event, ordered(event, timetable)).get(who.id, [])
    reader = Reader.of(speaker_locale(event, who), who.timezone or event.event.timezone)
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
        fields += _zone_fields(view, event, reader, p)
        fields.append((_("Duration"), view.duration))
        agenda.items.append(Item(view, tuple(fields), view.title.shown, ics.guid(event.event.id, p.session, who.id),
                                 p.minutes, view.day))
    agenda.intro += fallback_legend(reader, [item.view.title for item in agenda.items])
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


def agendas(event: Event, timetable: Timetable) -> list[Agenda]:
    placements = ordered(event, timetable)
    work, talks = _work(placements), _talks(event, placements)
    return ([interpreter_agenda(event, timetable, i, work.get(i.id, [])) for i in event.interpreters]
            + [speaker_agenda(event, timetable, s, talks.get(s.id, [])) for s in event.speakers])


def markdown(agenda: Agenda) -> str:
    lines = [f"# {md(agenda.title)}"]
    for line in agenda.intro:
        lines += ["", md(line)]
    if not agenda.items:
        lines += ["", md(agenda.empty)]
    for _day, heading, items in agenda.days():
        lines += ["", f"## {md(heading)}"]
        for item in items:
            title = md(item.view.title.text) + (f" {md(item.view.title.marker)}" if item.view.title.fallback else "")
            lines += ["", f"### {md(item.view.when)} · {title}", ""]
            lines += ["- " + agenda.reader._("%(label)s: %(value)s", label=md(label), value=md(value))
                      for label, value in item.fields]
    return "\n".join(lines) + "\n"


def html(agenda: Agenda) -> str:
    return render_template("agenda.html", agenda.reader, agenda=agenda, days=agenda.days())


def calendar(event: Event, agenda: Agenda, cancelled: list[ics.Entry] = (), replaces: bool = False) -> bytes:
    """The agenda as iCalendar, with the `cancelled` entries a re-plan took away; a re-plan's calendars `replace`
    those rendered before (see `ics.calendar`)."""
    entries = [
        ics.Entry(uid=item.uid, start=item.view.start, end=item.view.end, summary=item.summary,
                  # a speaker's summary is the title; an interpreter's adds the pair, in the UI's language
                  language=item.view.title.language if agenda.kind == "speakers" else None,
                  location=item.view.room, description="\n".join(agenda.reader._("%(label)s: %(value)s", label=k, value=v)
                                        for k, v in item.fields))
        for item in agenda.items
    ]
    return ics.calendar(agenda.title, entries + list(cancelled), agenda.reader.zone, agenda.reader.ui_language,
                        event_span(event), replaces)


def taken_away(timetable: Timetable, previous: Timetable) -> dict[str, list[Placement]]:
    """Each interpreter's sessions in `previous` that `timetable` no longer gives them, people who have left the
    event included (their calendars still hold them)."""
    kept = {(who, p.session) for p in timetable.sessions for c in p.channels for who in c.interpreters}
    out: dict[str, list[Placement]] = {}
    for p in previous.sessions:
        for who in dict.fromkeys(w for c in p.channels for w in c.interpreters):
            if (who, p.session) not in kept:
                out.setdefault(who, []).append(p)
    return out


def cancelled_entries(event: Event, reader: Reader, who: str, placements: list[Placement]) -> list[ics.Entry]:
    """Calendar entries (same UIDs as when they were given) that cancel these assignments of `who`."""
    out = []
    for p in placements:
        session = event.session.get(p.session)
        title, language = event.title(session, reader.language) if session is not None else (p.session, None)
        room = event.room[p.room].name if p.room in event.room else p.room
        out.append(ics.Entry(uid=ics.guid(event.event.id, p.session, who), start=p.start, end=p.end, summary=title,
                             location=room, description="", language=language, cancelled=True))
    return out


def files(event: Event, timetable: Timetable, previous: Timetable | None = None) -> dict[Path, str | bytes]:
    """Every file of the assignments folder, relative to it, rendered in memory (nothing written yet). With the
    `previous` timetable, interpreters' calendars also cancel the assignments taken away from them, and those
    who have left the event get a calendar that cancels all of theirs (in the event's language and zone)."""
    gone = taken_away(timetable, previous) if previous is not None else {}
    out: dict[Path, str | bytes] = {}
    for agenda in agendas(event, timetable):
        folder = Path(agenda.kind) / agenda.person_id
        out[folder / "agenda.md"] = markdown(agenda)
        out[folder / "agenda.html"] = html(agenda)
        taken = gone.get(agenda.person_id, []) if agenda.kind == "interpreters" else []
        out[folder / "assignments.ics"] = calendar(event, agenda, cancelled_entries(
            event, agenda.reader, agenda.person_id, taken), replaces=previous is not None)
    for who, taken in gone.items():
        if who not in event.interpreter:
            reader = Reader.of(event.event.languages[0], event.event.timezone)
            out[Path("interpreters") / who / "assignments.ics"] = ics.calendar(
                who, cancelled_entries(event, reader, who, taken), reader.zone, reader.ui_language, event_span(event),
                replaces=True)
    return out
