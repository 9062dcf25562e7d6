"""Re-planning during the event (`solve --previous OLD --now T`): what has begun by `now` happened as the old
timetable said, so it stays exactly as it was (day, start, room, every team), and nothing new may start before
`now`. The model and the checker enforce this through two rules, `past_kept` and `not_before_now`, when the
event carries a `Past` (`Event.as_of`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from .check import check
from .event import Event
from .timetable import Placement, Timetable
from .types import in_years


class Past(NamedTuple):
    now: datetime  # aware
    kept: dict[str, Placement]  # session id -> its placement in the old timetable, begun before `now`

    @property
    def label(self) -> str:
        """`now` on the event's clock, to the second when it is not on the minute (a session at 11:00 began before
        11:00:30)."""
        return f"{self.now:%Y-%m-%d %H:%M:%S}" if self.now.second else f"{self.now:%Y-%m-%d %H:%M}"


def parse_now(text: str, event: Event) -> datetime:
    """`--now` as an aware date-time in the event's zone: ISO 8601, with an offset or else on the event's wall
    clock, or the word "now" for the present minute (ValueError if it is none, or out of the years an event may
    have)."""
    if text.strip().lower() == "now":
        return datetime.now(event.zone).replace(second=0, microsecond=0)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date-time (e.g. 2021-02-13T13:00)")
    if not re.search(r"\d[T ]\d", text):  # a date alone would be read as its midnight
        raise ValueError(f"{text!r} has no time of day: give one (e.g. {text.strip()}T13:00)")
    in_years(moment)
    return moment.astimezone(event.zone) if moment.tzinfo is not None else moment.replace(tzinfo=event.zone)


def past_of(event: Event, previous: Timetable, now: datetime) -> Past:
    """The sessions of `previous` that the event still has and that began before `now`."""
    return Past(now, {p.session: p for p in previous.sessions if p.session in event.session and p.start < now})


# Rules whose breaches by the past `past_issues` words itself (or that a partial timetable breaks by design).
_WORDED = {"session_scheduled_once", "room_available", "speaker_available", "interpreter_available"}


def past_issues(event: Event, previous: Timetable, past: Past) -> Iterator[tuple[tuple, str]]:
    """(JSON path in the old timetable, reason) for each thing the event now says that contradicts what has
    already happened: the past cannot be re-planned, so the event must say from when a change holds. First the
    usual cases in words an organiser can act on (a room or interpreter gone, a duration changed, someone or
    some room unavailable when they were there), then any other hard rule the past breaks under the event as
    it now is (a language pair, a team size, a break, a daily limit...), as `check` words it."""
    when = f"before --now {past.label}"
    index = {p.session: i for i, p in enumerate(previous.sessions)}
    worded: set[str] = set()  # sessions with an issue already said
    unknown = False
    for i, p in enumerate(previous.sessions):
        if p.session not in past.kept:
            continue
        s = event.session[p.session]
        start, end = event.minute(p.start), event.minute(p.end)
        # Someone (or a room) unavailable from now on was still there until this session ended.
        since = ("from --now" if p.end <= past.now else
                 f"from {event.local(end):%H:%M}, when {p.session} ends, or later")

        def overlapping(periods) -> str | None:
            span = next(((a, b) for a, b in event.periods(periods) if a < end and start < b), None)
            if span is None:
                return None
            a, b = event.local(span[0]), event.local(span[1])
            return f"{a:%Y-%m-%d %H:%M} to {b:%H:%M}" if a.date() == b.date() else f"{a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M}"

        found = []
        if p.room not in event.room:
            unknown = True
            found.append((("sessions", i, "room"), f"{p.session} took place {when} in room {p.room!r}, which the "
                                                   f"event no longer has: keep the room and mark it unavailable {since}"))
        elif (period := overlapping(event.room[p.room].unavailable)) is not None:
            found.append((("sessions", i, "room"), f"{p.session} took place {when} in room {p.room}, which the event "
                                                   f"now says is unavailable then ({period}): mark it unavailable {since}"))
        if p.minutes != s.duration:
            found.append((("sessions", i), f"{p.session} took place {when} for {p.minutes} minutes, but the event "
                                           f"now gives it {s.duration}"))
        for sp in s.speakers:
            if (period := overlapping(event.speaker[sp].unavailable)) is not None:
                found.append((("sessions", i), f"{p.session} took place {when} with speaker {sp}, whom the event now "
                                               f"says is unavailable then ({period}): mark them unavailable {since}"))
        for j, c in enumerate(p.channels):
            for k, who in enumerate(c.interpreters):
                path = ("sessions", i, "channels", j, "interpreters", k)
                if who not in event.interpreter:
                    unknown = True
                    found.append((path, f"{who} interpreted {p.session} {when}, but the event no longer lists them: "
                                        f"keep them and mark them unavailable {since}"))
                elif (period := overlapping(event.interpreter[who].unavailable)) is not None:
                    found.append((path, f"{who} interpreted {p.session} {when}, but the event now says they are "
                                        f"unavailable then ({period}): mark them unavailable {since}"))
        if found:
            worded.add(p.session)
        yield from found
    if unknown:  # the checker needs every room and person the past names
        return
    kept = previous.model_copy(update={"sessions": [p for p in previous.sessions if p.session in past.kept]})
    for breach in check(event, kept):
        ids = [x for x in breach.ids if x in past.kept]
        if breach.rule in _WORDED or not ids or set(ids) <= worded:
            continue
        yield ("sessions", index[ids[0]]), (f"what took place {when} breaks a rule of the event as it now is "
                                            f"({breach}): the past cannot change, so the event must keep what it "
                                            f"relied on")
