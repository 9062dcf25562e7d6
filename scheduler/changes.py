"""What a re-planned timetable changes for people: the sessions moved, added or gone, and whose agendas differ
from the previous timetable's (the interpreters and speakers the organiser must tell)."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from .event import Event
from .timetable import Placement, Timetable


class Changes(NamedTuple):
    moved: list[str]  # sessions of both timetables at another time or in another room (or of another length)
    added: list[str]  # sessions that only the new timetable holds
    dropped: list[str]  # sessions of the previous timetable that the new one no longer holds
    interpreters: list[str]  # whose assignments differ: times, rooms, channels, sources or team mates
    speakers: list[str]  # whose sessions differ: times, rooms, interpreters, or one added; a session removed from
    # the event or from their own, only when the event as it was is known (timetables name no speaker)


def changes(event: Event, previous: Timetable, new: Timetable, previous_event: Event | None = None) -> Changes:
    """The differences between two timetables of an event that reach people, in the event's order of ids.
    `previous_event`: the one `previous` was planned for, whose sessions name their speakers as they were (without it,
    `event`'s stand for them: a speaker of a session removed since, or taken off one, is not seen)."""
    before, now = {p.session: p for p in previous.sessions}, {p.session: p for p in new.sessions}
    moved = [sid for sid, p in before.items() if sid in now and _where(now[sid]) != _where(p)]
    added = [sid for sid in now if sid not in before]
    dropped = [sid for sid in before if sid not in now]
    old_work, new_work = _assignments(previous), _assignments(new)
    old_talks, new_talks = _talks(event if previous_event is None else previous_event, previous), _talks(event, new)
    return Changes(moved, added, dropped,
                   [it.id for it in event.interpreters if old_work.get(it.id) != new_work.get(it.id)],
                   [sp.id for sp in event.speakers if old_talks.get(sp.id) != new_talks.get(sp.id)])


def _where(p: Placement) -> tuple:
    return p.start, p.end, p.room


def _assignments(tt: Timetable) -> dict[str, set[tuple]]:
    """Each interpreter's assignments as their agenda shows them."""
    out: dict[str, set[tuple]] = defaultdict(set)
    for p in tt.sessions:
        for c in p.channels:
            for who in c.interpreters:
                mates = frozenset(c.interpreters) - {who}
                out[who].add((p.session, *_where(p), c.into, c.from_, c.via, mates))
    return out


def _talks(event: Event, tt: Timetable) -> dict[str, set[tuple]]:
    """Each speaker's sessions as their agenda shows them: times, rooms, and who interprets them."""
    out: dict[str, set[tuple]] = defaultdict(set)
    for p in tt.sessions:
        if p.session in event.session:
            channels = frozenset((c.into, frozenset(c.interpreters)) for c in p.channels)
            for sp in event.session[p.session].speakers:
                out[sp].add((p.session, *_where(p), channels))
    return out
