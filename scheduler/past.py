"""Re-planning during the event (`solve --previous OLD --now T`): what has begun by `now` happened as the old
timetable said, so it stays exactly as it was (day, start, room, every team), and nothing new may start before
`now`. The model and the checker enforce this through two rules, `past_kept` and `not_before_now`, when the
event carries a `Past` (`Event.as_of`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from .event import Event
from .timetable import Placement, Timetable


class Past(NamedTuple):
    now: datetime  # aware
    kept: dict[str, Placement]  # session id -> its placement in the old timetable, begun before `now`


def parse_now(text: str, event: Event) -> datetime:
    """`--now` as an aware date-time in the event's zone: ISO 8601, with an offset or else on the event's wall
    clock."""
    moment = datetime.fromisoformat(text)
    return moment.astimezone(event.zone) if moment.tzinfo is not None else moment.replace(tzinfo=event.zone)


def past_of(event: Event, previous: Timetable, now: datetime) -> Past:
    """The sessions of `previous` that the event still has and that began before `now`."""
    return Past(now, {p.session: p for p in previous.sessions if p.session in event.session and p.start < now})


def past_issues(event: Event, previous: Timetable, past: Past) -> Iterator[tuple[tuple, str]]:
    """(JSON path in the old timetable, reason) for each thing the event now says that contradicts what has
    already happened: the past cannot be re-planned, so the event must be told from when a change holds."""
    when = f"before --now {past.now:%Y-%m-%d %H:%M}"
    for i, p in enumerate(previous.sessions):
        if p.session not in past.kept:
            continue
        s = event.session[p.session]
        start, end = event.minute(p.start), event.minute(p.end)

        def overlapping(periods) -> str | None:
            span = next(((a, b) for a, b in event.periods(periods) if a < end and start < b), None)
            if span is None:
                return None
            a, b = event.local(span[0]), event.local(span[1])
            return f"{a:%Y-%m-%d %H:%M} to {b:%H:%M}" if a.date() == b.date() else f"{a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M}"

        if p.room not in event.room:
            yield ("sessions", i, "room"), (f"{p.session} took place {when} in room {p.room!r}, which the event "
                                            f"no longer has: keep the room and mark it unavailable from --now")
        elif (period := overlapping(event.room[p.room].unavailable)) is not None:
            yield ("sessions", i, "room"), (f"{p.session} took place {when} in room {p.room}, which the event now "
                                            f"says is unavailable then ({period}): mark it unavailable from --now")
        if p.minutes != s.duration:
            yield ("sessions", i), (f"{p.session} took place {when} for {p.minutes} minutes, but the event now "
                                    f"gives it {s.duration}")
        for sp in s.speakers:
            if (period := overlapping(event.speaker[sp].unavailable)) is not None:
                yield ("sessions", i), (f"{p.session} took place {when} with speaker {sp}, whom the event now says "
                                        f"is unavailable then ({period}): mark them unavailable from --now")
        for j, c in enumerate(p.channels):
            for k, who in enumerate(c.interpreters):
                path = ("sessions", i, "channels", j, "interpreters", k)
                if who not in event.interpreter:
                    yield path, (f"{who} interpreted {p.session} {when}, but the event no longer lists them: keep "
                                 f"them and mark them unavailable from --now")
                elif (period := overlapping(event.interpreter[who].unavailable)) is not None:
                    yield path, (f"{who} interpreted {p.session} {when}, but the event now says they are "
                                 f"unavailable then ({period}): mark them unavailable from --now")
