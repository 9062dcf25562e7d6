"""What a reader sees, already in their words: sessions of a timetable, localised by a `Reader`.

Renderers (Markdown, HTML, CSV, iCalendar, frab) read these views; they never format a date themselves and
never see solver variables, only the `Event` and `Timetable` models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from ..event import Event, Session
from ..timetable import Channel, Placement, Timetable
from .i18n import Reader


@dataclass(frozen=True)
class Title:
    text: str
    language: str  # the language the text is in
    fallback: bool  # not in the reader's language

    @property
    def marker(self) -> str:
        """The visible fallback marker, e.g. '[fr]'."""
        return f"[{self.language}]" if self.fallback else ""

    @property
    def shown(self) -> str:
        return f"{self.text} {self.marker}" if self.fallback else self.text


@dataclass(frozen=True)
class SessionView:
    id: str
    title: Title
    other_titles: tuple[tuple[str, str], ...]  # (language, text) of the other languages
    room_id: str
    room: str
    start: datetime
    end: datetime
    day: date  # the date the session starts, in the reader's zone
    when: str  # time interval in the reader's zone (`Reader.own`: an island when the interface is in another language)
    also: tuple[tuple[str, str], ...]  # (zone city, interval) for each --also-tz zone (the interval as `when`)
    duration: str
    speaker_ids: tuple[str, ...]
    speakers: tuple[str, ...]
    speakers_text: str
    language: str
    language_name: str
    channels: tuple[str, ...]  # one line a channel: "anglais (Sarah Wilson et David MacLeod)", or unstaffed / relay
    interpretation_text: str  # every channel, one line
    plenary: bool
    track: str | None


@dataclass(frozen=True)
class DayView:
    date: date
    heading: str  # the date in the reader's locale (`Reader.own`)
    sessions: tuple[SessionView, ...] = field(default=())


def title_of(event: Event, session: Session, reader: Reader, known: tuple[str, ...] = ()) -> Title:
    """The title in the reader's language; else in one they are `known` to read, the interface's (English for a
    reader without a catalog: the words around it), the floor's, then the event's languages in order."""
    text, used = event.title(session, reader.language, (*known, reader.ui_language, session.language))
    return Title(text, used, used.split("_")[0] != reader.language)


def channel_text(event: Event, ch: Channel, reader: Reader) -> str:
    """A channel in one line: its language and interpreters, or that it is not interpreted, or relayed."""
    _ = reader._
    names = [event.interpreter[i].name if i in event.interpreter else i for i in ch.interpreters]
    into = reader.language_name(ch.into)
    if not names:
        return _("%(language)s (not interpreted)", language=into)
    if ch.via:
        return _("%(language)s, relay from %(pivot)s (%(names)s)", language=into,
                 pivot=reader.language_name(ch.from_), names=reader.names(names))
    return _("%(language)s (%(names)s)", language=into, names=reader.names(names))


def session_view(event: Event, p: Placement, reader: Reader, on: date | None = None,
                 known: tuple[str, ...] = ()) -> SessionView:
    """What a reader sees of a placed session; `on`: the day heading it is under; `known`: languages the
    reader understands besides their own, for a title missing in theirs."""
    _ = reader._
    s = event.session[p.session]
    start, end = reader.in_zone(p.start), reader.in_zone(p.end)
    day = start.date()
    title = title_of(event, s, reader, known)
    others = tuple((lang, text) for lang, text in s.title.items() if lang != title.language)
    speakers = tuple(event.speaker[i].name if i in event.speaker else i for i in s.speakers)
    # an optional session none of whose channels is staffed is "not interpreted" as a whole, not "French (not
    # interpreted); Spanish (not interpreted)", which reads as if French and Spanish were given
    channels = tuple(channel_text(event, ch, reader) for ch in p.channels) \
        if any(ch.interpreters for ch in p.channels) else ()
    if channels:
        interpretation = reader.series(list(channels))
    elif s.interpretation == "none" or not event.channels(s):
        interpretation = _("none")
    else:
        interpretation = _("not interpreted")
    room = event.room[p.room].name if p.room in event.room else p.room
    also = tuple((reader.zone_name(z), reader.own(reader.interval(p.start, p.end, zone=z, on=on or day)))
                 for z in reader.also)
    return SessionView(
        id=s.id, title=title, other_titles=others, room_id=p.room, room=room, start=start, end=end, day=day,
        when=reader.own(reader.interval(p.start, p.end, on=on)), also=also, duration=reader.duration(s.duration),
        speaker_ids=tuple(s.speakers), speakers=speakers, speakers_text=reader.names(list(speakers)),
        language=s.language, language_name=reader.language_name(s.language), channels=channels,
        interpretation_text=interpretation, plenary=s.kind == "plenary", track=s.track,
    )


def event_span(event: Event) -> tuple[date, date]:
    """The first and the last day of the event (in its own zone)."""
    dates = [d.date for d in event.event.days]
    return min(dates), max(dates)


def ordered(event: Event, timetable: Timetable) -> list[Placement]:
    """Placements by start, then by the order of rooms in the event, then by session id."""
    rank = {r.id: i for i, r in enumerate(event.rooms)}
    return sorted(timetable.sessions, key=lambda p: (p.start, rank.get(p.room, len(rank)), p.session))


def days(event: Event, timetable: Timetable, reader: Reader) -> list[DayView]:
    """The timetable as days in the reader's zone, each with its sessions in order."""
    views = [session_view(event, p, reader) for p in ordered(event, timetable)]
    out = []
    for day, group in groupby(views, key=lambda v: v.day):
        out.append(DayView(day, reader.own(reader.date(day)), tuple(group)))
    return out


def event_name(event: Event, reader: Reader) -> Title:
    """The event's name in the reader's language, else the interface's, else the event's languages in order."""
    names = event.event.name
    for lang in (reader.language, reader.ui_language, *event.event.languages, *names):
        if lang in names:
            return Title(names[lang], lang, lang != reader.language)
    raise AssertionError("an event has at least one name")


def fallback_legend(reader: Reader, titles: list[Title]) -> list[str]:
    """'A title followed by [en] is not available in French; it is shown in English.', when some title is."""
    fallbacks = sorted({t.language for t in titles if t.fallback})
    if not fallbacks:
        return []
    return [reader._("A title followed by %(marker)s is not available in %(language)s; it is shown in %(other)s.",
                     marker=reader.names([f"[{lang}]" for lang in fallbacks]),
                     language=reader.language_name(reader.language),
                     other=reader.names([reader.language_name(lang) for lang in fallbacks]))]
