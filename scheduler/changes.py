"""What a re-planned timetable changes for people: the sessions moved, added or gone, the channels staffed before
and left unstaffed now (or the reverse: their audience must be told), and whose agendas differ from the previous
timetable's (the interpreters and speakers the organiser must tell).

A speaker is told when their sessions change in time, room, or the languages they are interpreted into, or when
they are put on or taken off one; not when only the names of their interpreters change (a probe's re-plan listed
4 of 7 speakers for that alone): their agenda, which names them, is then up to date but need not be sent again
(`speakers_minor`)."""

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
    speakers: list[str]  # whose sessions differ: times, rooms, languages interpreted into, or one added; a session
    # removed from the event or from their own, only when the event as it was is known (timetables name no speaker)
    unstaffed: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (session, languages): channels of a session of both
    # timetables that had interpreters and have none now (an optional channel given up): its audience loses them
    staffed: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the reverse: channels without interpreters before
    speakers_minor: tuple[str, ...] = ()  # whose agendas differ only in the names of their sessions' interpreters


def changes(event: Event, previous: Timetable, new: Timetable, previous_event: Event | None = None) -> Changes:
    """The differences between two timetables of an event that reach people, in the event's order of ids.
    `previous_event`: the one `previous` was planned for, whose sessions name their speakers as they were (without it,
    `event`'s stand for them: a speaker of a session removed since, or taken off one, is not seen)."""
    before, now = {p.session: p for p in previous.sessions}, {p.session: p for p in new.sessions}
    moved = [sid for sid, p in before.items() if sid in now and _where(now[sid]) != _where(p)]
    added = [sid for sid in now if sid not in before]
    dropped = [sid for sid in before if sid not in now]
    old_work, new_work = _assignments(previous), _assignments(new)
    was = event if previous_event is None else previous_event
    old_talks, new_talks = _talks(was, previous), _talks(event, new)
    named_before, named_now = _talks(was, previous, names=True), _talks(event, new, names=True)
    told = [sp.id for sp in event.speakers if old_talks.get(sp.id) != new_talks.get(sp.id)]
    minor = tuple(sp.id for sp in event.speakers if sp.id not in told
                  and named_before.get(sp.id) != named_now.get(sp.id))
    unstaffed, staffed = [], []
    for sid, p in before.items():
        if sid in now:
            was_staffed, is_staffed = staffed_languages(p), staffed_languages(now[sid])
            for out, languages in ((unstaffed, was_staffed - is_staffed), (staffed, is_staffed - was_staffed)):
                if languages:
                    out.append((sid, in_event_order(event, languages)))
    return Changes(moved, added, dropped,
                   [it.id for it in event.interpreters if old_work.get(it.id) != new_work.get(it.id)],
                   told, tuple(unstaffed), tuple(staffed), minor)


def in_event_order(event: Event, languages) -> tuple[str, ...]:
    """`languages` in the order of the event's languages (any others after them, by code)."""
    order = {lang: i for i, lang in enumerate(event.event.languages)}
    return tuple(sorted(languages, key=lambda lang: (order.get(lang, len(order)), lang)))


def staffed_languages(p: Placement) -> frozenset[str]:
    """The languages a placed session is interpreted into: its channels that have interpreters."""
    return frozenset(c.into for c in p.channels if c.interpreters)


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


def _talks(event: Event, tt: Timetable, names: bool = False) -> dict[str, set[tuple]]:
    """Each speaker's sessions as they need to know them: times, rooms and the languages interpreted into; with
    `names`, as their agenda shows them: who interprets them too."""
    out: dict[str, set[tuple]] = defaultdict(set)
    for p in tt.sessions:
        if p.session in event.session:
            channels = (frozenset((c.into, frozenset(c.interpreters)) for c in p.channels) if names
                        else staffed_languages(p))
            for sp in event.session[p.session].speakers:
                out[sp].add((p.session, *_where(p), channels))
    return out
