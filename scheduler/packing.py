"""A fast check of room time in pieces (one of `explain`'s checks, which `solve` runs first too).

Each session lies within one free stretch of a room it may use: between the day's breaks and ends, the room's
closures and, when re-planning during the event, `now` and the sessions kept from the past. So the sessions given
to one stretch last no longer than it in all. The totals can fit while the pieces do not: on a summer school
re-planned after a booth room closed for an afternoon, sixteen sessions needing booths (1,140 minutes) had booth
rooms' stretches of 1,185 minutes, but five of them were 90 minutes long and took one session each. Neither the
total of room time nor a search of the whole model (undecided in 120 s) saw it; this model of counts proves it at
once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from .english import counted, names

if TYPE_CHECKING:
    from .explain import Conflict, _Context

PACKING_SECONDS = 1.0  # for each model; only a proof counts, so a model not decided in time says nothing
PACKING_TERMS = 50_000  # (kind of session, stretch) pairs at most: larger events skip the check
PACKING_GROUPS = 8  # room sets tried, fewest rooms first, for the smallest one the sessions cannot fit


@dataclass(frozen=True)
class Stretch:
    """A free stretch of a room: no break, closure, plenary at a fixed time or kept session between `start` and
    `end`."""

    room: str
    start: int
    end: int


def _cut(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` without the `taken` ones."""
    for x, y in taken:
        spans = [piece for a, b in spans for piece in ((a, min(b, x)), (max(a, y), b)) if piece[0] < piece[1]]
    return spans


def stretches(cx: _Context) -> list[Stretch]:
    """The free stretches of every room, in time order."""
    ev = cx.ev
    past = ev.past
    before_now = [(-(10**9), ev.minute(past.now))] if past is not None else []
    kept = [(p.room, ev.minute(p.start), ev.minute(p.end)) for p in (past.kept.values() if past else [])]
    alone = [(cx.fixed(s.id), cx.fixed(s.id) + s.duration) for s in _fixed_plenaries(cx)]
    out = []
    for r in ev.rooms:
        taken = ev.periods(r.unavailable) + before_now + alone + [(a, b) for room, a, b in kept if room == r.id]
        for spans in cx.open_spans.values():
            out += [Stretch(r.id, a, b) for a, b in _cut(list(spans), taken)]
    return out


def _fixed_plenaries(cx: _Context) -> list:
    """The plenaries with one possible start (pinned, or by their other facts), not kept from the past: each
    takes every room while it runs."""
    kept = cx.ev.past.kept if cx.ev.past is not None else {}
    return [s for s in cx.ev.sessions if s.kind == "plenary" and s.id not in kept and cx.fixed(s.id) is not None]


def _fits(starts: list[int], duration: int, stretch: Stretch) -> bool:
    i = bisect_left(starts, stretch.start)
    return i < len(starts) and starts[i] + duration <= stretch.end


def _greedy_packs(kinds: Counter, pieces: list[Stretch]) -> bool:
    """Whether the sessions fit by a greedy: longest first, those with fewest stretches first, each into its
    stretch with the most time left. Loose events (all the benchmarks') pass at once; the model proves the rest."""
    left = [p.end - p.start for p in pieces]
    for (duration, where), count in sorted(kinds.items(), key=lambda k: (-k[0][0], len(k[0][1]))):
        for _ in range(count):
            j = max(where, key=lambda i: left[i], default=None)
            if j is None or left[j] < duration:
                return False
            left[j] -= duration
    return True


def _packable(kinds: Counter, pieces: list[Stretch]) -> bool | None:
    """Whether the sessions of `kinds` ((duration, stretches it fits) -> how many) fit the stretches by their
    lengths; None when undecided in time or too large to try."""
    if _greedy_packs(kinds, pieces):
        return True
    if sum(len(where) for _, where in kinds) > PACKING_TERMS:
        return None
    m = cp_model.CpModel()
    load: dict[int, list] = {j: [] for j in range(len(pieces))}
    for (duration, where), count in kinds.items():
        if not where:
            return False
        given = []
        for j in where:
            most = min(count, (pieces[j].end - pieces[j].start) // duration)
            if most:
                n = m.new_int_var(0, most, "")
                given.append(n)
                load[j].append(duration * n)
        m.add(sum(given) == count)
    for j, terms in load.items():
        if terms:
            m.add(sum(terms) <= pieces[j].end - pieces[j].start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = PACKING_SECONDS
    solver.parameters.num_workers = 1
    code = solver.solve(m)
    return {cp_model.INFEASIBLE: False, cp_model.OPTIMAL: True, cp_model.FEASIBLE: True}.get(code)


def room_packing(cx: _Context) -> Iterator[Conflict]:
    """Sessions that fit the room time they may use in all, but not its stretches between breaks and closures."""
    ev = cx.ev
    pieces = stretches(cx)
    skipped = set(ev.past.kept if ev.past is not None else {}) | {s.id for s in _fixed_plenaries(cx)}
    fits: dict[str, tuple[int, frozenset[int]]] = {}
    known: dict[tuple, frozenset[int]] = {}  # most sessions share their starts and rooms: 1.3 s -> 0.3 s on 560
    for s in ev.sessions:
        if s.id in skipped:
            continue
        key = (s.duration, frozenset(cx.rooms[s.id]), frozenset(cx.starts[s.id]))
        if key not in known:
            starts = sorted(key[2])
            known[key] = frozenset(j for j, p in enumerate(pieces) if p.room in key[1]
                                   and _fits(starts, s.duration, p))
        where = known[key]
        if not where:
            # With no start at all, `no_possible_start` tells why; at a fixed start, `fixed_overlaps`.
            if cx.starts[s.id] and cx.fixed(s.id) is None:
                yield _no_stretch(cx, s, [p for p in pieces if p.room in key[1]], sorted(key[1]))
            return
        fits[s.id] = (s.duration, where)
    if _packable(Counter(fits.values()), pieces) is not False:
        return
    # The smallest set of rooms whose sessions (those that may use no other) cannot fit its stretches.
    groups = sorted({frozenset(cx.rooms[sid]) for sid in fits}, key=lambda g: (len(g), sorted(g)))
    blamed, inside = frozenset(r.id for r in ev.rooms), list(fits)
    for group in groups[:PACKING_GROUPS]:
        mine = [sid for sid in fits if set(cx.rooms[sid]) <= group]
        if _packable(Counter(fits[sid] for sid in mine), pieces) is False:
            blamed, inside = group, mine
            break
    yield _conflict(cx, [ev.session[sid] for sid in inside], [p for p in pieces if p.room in blamed],
                    sorted(blamed))


def _between(cx: _Context, rooms: list[str]) -> str:
    """What cuts the rooms' time into stretches, as far as the event has it: ' between breaks and closures'."""
    ev = cx.ev
    cuts = ((["breaks"] if any(d.breaks for d in ev.event.days) else [])
            + (["closures"] if any(ev.room[r].unavailable for r in rooms) else [])
            + (["plenaries at fixed times"] if _fixed_plenaries(cx) else [])
            + (["the sessions kept"] if ev.past is not None and ev.past.kept else []))
    now = f" from {ev.past.label} on (the re-plan's --now)" if ev.past is not None else ""
    return (f" between {names(cuts)}" if cuts else "") + now


def _no_stretch(cx: _Context, s, pieces: list[Stretch], rooms: list[str]) -> Conflict:
    """The conflict of a session that has starts and rooms, but no free stretch of those rooms holds it."""
    from .explain import Conflict, _hours as hours, room_name, session_name  # explain imports this module

    ev = cx.ev
    longest = max((p.end - p.start for p in pieces), default=0)
    return Conflict(
        rule="room_one_session_at_a_time", ids=[s.id, *rooms],
        message=f"{session_name(ev, s.id)} lasts {hours(s.duration)}, but no free stretch of "
                f"{names([room_name(ev, r) for r in rooms], 10)}{_between(cx, rooms)} holds it at a start it may take "
                f"(the longest stretch is {hours(longest)}). Reopen a room, move a break or a pin, let another room "
                f"take it (booths, seats), or shorten it.")


def _conflict(cx: _Context, sessions: list, pieces: list[Stretch], rooms: list[str]) -> Conflict:
    """The conflict of `sessions` that cannot fit the stretches `pieces` of `rooms`, in words."""
    from .explain import Conflict, _hours as hours, room_name  # explain imports this module

    ev = cx.ev

    def told(lengths: Counter, order: bool = False) -> str:
        return names([f"{n} × {hours(d)}" for d, n in sorted(lengths.items(), reverse=order)], 10)

    need, have = sum(s.duration for s in sessions), sum(p.end - p.start for p in pieces)
    if len(rooms) == len(ev.rooms):
        who, where = f"the {counted(len(sessions), 'session')}", "the rooms"
    else:
        who = (f"the {counted(len(sessions), 'session')} that can use no room but "
               f"{names([room_name(ev, r) for r in rooms])} (by their size, interpretation booths or pins)")
        where = "those rooms"
    amount = (f"they need {hours(need)}, the stretches give {hours(have)}" if need > have else
              f"the minutes would fit ({hours(need)} in {hours(have)}), but a stretch takes whole sessions")
    return Conflict(
        rule="room_one_session_at_a_time", ids=[s.id for s in sessions] + list(rooms),
        message=f"{who} last {told(Counter(s.duration for s in sessions))}; the free stretches of {where}"
                f"{_between(cx, rooms)} are {told(Counter(p.end - p.start for p in pieces), True)}: {amount}. "
                f"Reopen a room, move or shorten a break, let another room take these sessions (booths, seats), or "
                f"shorten or drop sessions.")
