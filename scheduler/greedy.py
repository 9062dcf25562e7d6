"""Fast constructive first solutions: a greedy placement of sessions and a greedy staffing of channels.

CP-SAT finds a first solution of a large model slowly on two cores; these list schedulers find one in a
fraction of a second. They serve as complete hints (exact model, timing model, staffing model) and, once the
independent checker accepts their timetable, as the first timetable of the decomposition.

`greedy_placement` places sessions one by one (earlier in the `after` order first, the most constrained
first, plenaries and the sessions they follow before the rest), at the start that pays the fewest soft costs
(same-track overlaps among them) and keeps interpreter demand lowest, plenaries on the days with the fewest
plenary minutes, in the smallest room that fits. On the 560-session benchmark event, counting same-track
overlaps took them from 416 pairs to 65 in this placement and the final timetables from 51,271-55,249 to
49,344-51,345 (three seeds each); spreading its five plenaries over five days (they were on three), to
48,429-48,974. It respects the options of the model (which already encode days, breaks, pins, capacities and
speakers' unavailability) and checks the rest itself. Sessions it cannot place are left to the solver.
`greedy_staffing` then gives each channel, in time order, the best available team.

In re-planning both keep what they can of the old timetable: each session's old place is reserved for it
while it may still take it (elsewhere it pays `moved`), and old teams are kept whole wherever all their people
still may work them, before anything else is staffed.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np

from .constraints import able_by_target, able_interpreters
from .costs import own_start_cost
from .event import Event
from .model import ScheduleModel
from .timetable import Timetable


# When some sessions find no place, the greedy starts again with them first, at most this many more times.
GREEDY_RETRIES = 3


def greedy_placement(sm: ScheduleModel, present: bool = False) -> dict[str, tuple[int, str]]:
    """Session id -> (start minute, room) for every session the greedy could place. With `present`, a session
    needs enough able interpreters available at its time, not only in the event (a second try for events
    whose first placement cannot be staffed: on the 560-session event it costs 3 % more as a first try).

    Sessions left out make the greedy start again with them placed first (and those they must follow), up to
    GREEDY_RETRIES times, keeping the placement with the fewest left out: CoSPLib's OR60F (279 real talks, 23
    rooms) and OR60F2 (556) left one out each, so their first timetables waited 10-30 s for CP-SAT."""
    promoted: set[str] = set()
    best: dict[str, tuple[int, str]] = {}
    for _ in range(GREEDY_RETRIES + 1):
        placed = _placed_in_order(sm, _order(sm, promoted), present)
        if len(placed) > len(best) or not best:
            best = placed
        left = {s.id for s in sm.event.sessions} - set(placed)
        if not left or left <= promoted:
            break
        promoted |= left
    return best


def _placed_in_order(sm: ScheduleModel, order: list[str], present: bool) -> dict[str, tuple[int, str]]:
    """The greedy placement of the sessions in `order` (see `greedy_placement`)."""
    ev = sm.event
    slot = ev.event.slot_minutes
    n = sm.horizon // slot + 2
    rooms = sorted(ev.rooms, key=lambda r: (r.capacity, r.channels))
    room_busy = {r.id: np.zeros(n, dtype=bool) for r in ev.rooms}
    for r in ev.rooms:
        for a, b in ev.periods(r.unavailable):
            room_busy[r.id][max(0, a // slot):max(0, -(-b // slot))] = True
    any_busy = np.zeros(n, dtype=np.int32)
    plenary_busy = np.zeros(n, dtype=bool)
    plenary_minutes: dict[int, int] = defaultdict(int)  # by day (start // 1440)
    speaker_busy = defaultdict(lambda: np.zeros(n, dtype=bool))
    speaker_days: dict[tuple[str, int], int] = defaultdict(int)
    able_into = able_by_target(ev)
    demand = {t: np.zeros(n, dtype=np.int32) for t in ev.event.languages}
    # Per track, sessions placed that start before each slot's end and that end by each slot's start: a new
    # session over slots [a, b) overlaps began[b - 1] - ended[a] of them.
    began = defaultdict(lambda: np.zeros(n, dtype=np.int32))
    ended = defaultdict(lambda: np.zeros(n, dtype=np.int32))
    # People able to work into each language (with `present`, and available), slot by slot.
    cap = {t: np.full(n, len(able_into[t]), dtype=np.int32) for t in ev.event.languages}
    for it in ev.interpreters if present else ():
        for t in (t for t in ev.event.languages if it.id in able_into[t]):
            for a, b in ev.periods(it.unavailable):
                cap[t][max(0, a // slot):max(0, -(-b // slot))] -= 1
    ends: dict[str, int] = {}
    placed: dict[str, tuple[int, str]] = {}
    # Re-planning: each session's old (start, room), which costs nothing to keep.
    before = previous_places(sm)

    def soft(s, start: int, room: str) -> int:
        cost = own_start_cost(ev, s, start)
        if s.id in before and before[s.id] != (start, room):
            cost += ev.event.weights.moved
        if s.track is not None:
            a, b = start // slot, (start + s.duration) // slot
            cost += ev.event.weights.track_overlap * int(began[s.track][b - 1] - ended[s.track][a])
        return cost

    # Latest start of each session that still leaves room for everything that must come after it.
    latest = {sid: (sm.start_domain[sid].max() if not sm.start_domain[sid].is_empty() else -1) for sid in order}
    for sid in reversed(order):
        for a in ev.session[sid].after:
            latest[a] = min(latest[a], latest[sid] - ev.session[a].duration)
    has_followers = {a for s in ev.sessions for a in s.after}
    # Sessions pinned to one start and one room keep their slot, and in re-planning sessions keep their old
    # one where they still may: nobody else may take it first, nor their speakers' time, nor, with a plenary,
    # their time (a generated 1,000-session event: two pinned sessions lost theirs to plenaries and speakers).
    reserved: dict[str, tuple[int, str]] = {}

    def hold(s, start: int, room: str, taken: bool) -> None:
        a, b = start // slot, (start + s.duration) // slot
        room_busy[room][a:b] = taken
        if s.kind == "plenary":
            plenary_busy[a:b] = taken
        else:
            any_busy[a:b] += 1 if taken else -1
        for sp in s.speakers:
            speaker_busy[sp][a:b] = taken
    for sid in order:
        s = ev.session[sid]
        if sm.start_domain[sid].size() == 1 and len(sm.room_options[sid]) == 1:
            start, room = sm.start_domain[sid].min(), sm.room_options[sid][0]
        elif sid in before and sm.start_domain[sid].contains(before[sid][0]) and before[sid][1] in sm.room_options[sid]:
            start, room = before[sid]
        else:
            continue
        a, b = start // slot, (start + s.duration) // slot
        if not room_busy[room][a:b].any() and not (s.kind == "plenary" and plenary_busy[a:b].any()) \
                and not any(speaker_busy[sp][a:b].any() for sp in s.speakers):
            hold(s, start, room, True)
            reserved[sid] = (start, room)
    for sid in order:
        s = ev.session[sid]
        if sid in reserved:  # free the reservation so the session can take its own slot
            hold(s, *reserved[sid], False)
        earliest = max((ends[a] for a in s.after if a in ends), default=0)
        need = [t for t in ev.channels(s) if s.interpretation == "required"]
        team = ev.team_size(s)
        best = None
        old_room = before.get(sid, (0, None))[1]
        for start in _starts(sm, sid):
            if start < earliest or start > latest[sid]:
                continue
            a, b = start // slot, (start + s.duration) // slot
            if s.kind == "plenary" and any_busy[a:b].any():
                continue
            if plenary_busy[a:b].any():
                continue
            if any(speaker_busy[sp][a:b].any() for sp in s.speakers):
                continue
            day = start // 1440
            if any(ev.speaker[sp].max_sessions_per_day is not None
                   and speaker_days[(sp, day)] >= ev.speaker[sp].max_sessions_per_day for sp in s.speakers):
                continue
            load = max((int((demand[t][a:b] - cap[t][a:b]).max()) + team for t in need), default=-1)
            if load > 0:
                continue
            room = next((r for r in [old_room, *(r.id for r in rooms)]
                         if r in sm.room_options[sid] and not room_busy[r][a:b].any()), None)
            if room is None:
                continue
            # Sessions that others must follow go early, so their followers still find room (unless they had a
            # place before); plenaries go to the days with the fewest plenary minutes, which leaves each day time
            # for parallel sessions.
            key = (start // 1440 if sid in has_followers and sid not in before else 0, soft(s, start, room),
                   before.get(sid, (start, room)) != (start, room), plenary_minutes[day] if s.kind == "plenary" else 0,
                   load, int(any_busy[a:b].max()), start)
            if best is None or key < best[0]:
                best = (key, start, room)
        if best is None:
            continue
        _, start, room = best
        a, b = start // slot, (start + s.duration) // slot
        room_busy[room][a:b] = True
        any_busy[a:b] += 1
        if s.kind == "plenary":
            plenary_busy[a:b] = True
            plenary_minutes[start // 1440] += s.duration
        for sp in s.speakers:
            speaker_busy[sp][a:b] = True
            speaker_days[(sp, start // 1440)] += 1
        for t in need:
            demand[t][a:b] += team
        if s.track is not None:
            began[s.track][a:] += 1
            ended[s.track][b:] += 1
        ends[sid] = start + s.duration
        placed[sid] = (start, room)
    return placed


def previous_places(sm: ScheduleModel) -> dict[str, tuple[int, str]]:
    """Re-planning: session id -> (start minute, room) in the old timetable, for the sessions of the event
    that it placed in a room the event still has."""
    if sm.previous is None:
        return {}
    ev = sm.event
    return {p.session: (ev.minute(p.start), p.room) for p in sm.previous.sessions
            if p.session in ev.session and p.room in ev.room}


def _order(sm: ScheduleModel, promoted: set[str] = frozenset()) -> list[str]:
    """Sessions in an order that respects `after`: plenaries and the sessions they must follow first (a plenary
    needs a time where nothing else runs, which a filled timetable no longer has), then the `promoted` ones and
    those they must follow, then the least free (fewest start x room options)."""
    ev = sm.event
    freedom = {s.id: len(_starts(sm, s.id)) * len(sm.room_options[s.id]) for s in ev.sessions}
    first = _with_predecessors(ev, {s.id for s in ev.sessions if s.kind == "plenary"})
    early = _with_predecessors(ev, set(promoted)) - first
    waiting = {s.id: len(set(s.after)) for s in ev.sessions}
    followers = defaultdict(list)
    for s in ev.sessions:
        for a in set(s.after):
            followers[a].append(s.id)
    rank = {s.id: (0 if s.id in first else 1 if s.id in early else 2, freedom[s.id], -s.duration, i)
            for i, s in enumerate(ev.sessions)}
    ready = [(rank[sid], sid) for sid, k in waiting.items() if k == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        _, sid = heapq.heappop(ready)
        out.append(sid)
        for nxt in followers[sid]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, (rank[nxt], nxt))
    return out


def greedy_staffing(ev: Event, placement: dict[str, tuple[int, str]],
                    previous: Timetable | None = None) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(session, channel) -> (source, team) for the channels a greedy pass could staff, with every session
    at its (start, room) of `placement`. Prefers the channel's people in `previous` (re-planning), then direct
    over relay, A over B languages, and people already working that day; respects one place at a time,
    unavailability, minutes per day and the rest rule."""
    from .check import keeps_rest

    rest = ev.event.interpreter_rest
    start_of = {sid: start for sid, (start, _) in placement.items()}
    able = able_interpreters(ev)
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    minutes: dict[tuple[str, int], int] = defaultdict(int)
    load: dict[str, int] = defaultdict(int)
    unavailable = {i.id: ev.periods(i.unavailable) for i in ev.interpreters}
    room_cap = {r.id: r.max_interpreters for r in ev.rooms}
    out: dict[tuple[str, str], tuple[str, list[str]]] = {}
    # Re-planning: session -> channel -> (source, team) in the old timetable.
    before: dict[str, dict[str, tuple[str, list[str]]]] = defaultdict(dict)
    for p in previous.sessions if previous is not None else ():
        for c in p.channels:
            if c.interpreters:
                before[p.session][c.into] = (c.from_, list(c.interpreters))

    def fits(who: str, sid: str, start: int, end: int) -> bool:
        if any(a < end and start < b for a, b, _ in spans[who]):
            return False
        if any(a < end and start < b for a, b in unavailable[who]):
            return False
        day = start // 1440
        if minutes[(who, day)] + end - start > ev.interpreter[who].max_minutes_per_day:
            return False
        return keeps_rest(sorted([s for s in spans[who] if s[0] // 1440 == day] + [(start, end, sid)]), rest)

    def score(who: str, sid: str, into: str, start: int) -> tuple:
        return (who not in before[sid].get(into, ("", ()))[1], ev.interpreter[who].is_retour(into),
                minutes[(who, start // 1440)] == 0, load[who], who)

    used: dict[str, set[str]] = defaultdict(set)  # session -> the people in its channels

    def source_of(sid: str, into: str) -> str | None:
        return out.get((sid, into), (None,))[0]

    def room_left(sid: str, team: int) -> bool:
        room = placement[sid][1]
        staffed = sum(1 for t in ev.channels(ev.session[sid]) if (sid, t) in out)
        return staffed < ev.room[room].channels and (
            room_cap.get(room) is None or len(used[sid]) + team <= room_cap[room])

    def take(sid: str, into: str, source: str, chosen: list[str]) -> None:
        out[(sid, into)] = (source, chosen)
        start, end = start_of[sid], start_of[sid] + ev.session[sid].duration
        for w in chosen:
            used[sid].add(w)
            spans[w].append((start, end, sid))
            minutes[(w, start // 1440)] += end - start
            load[w] += end - start

    order = sorted(placement, key=lambda x: (start_of[x], x))
    # Re-planning during the event: what began before `now` happened with its teams (rule past_kept).
    past = ev.past.kept if ev.past is not None else {}
    for sid in order:
        for c in past[sid].channels if sid in past else ():
            if c.interpreters:
                take(sid, c.into, c.from_, list(c.interpreters))
    order = [sid for sid in order if sid not in past]
    # Re-planning: first the old teams, each kept whole wherever all its people still may work it.
    for sid in order if previous is not None else ():
        s = ev.session[sid]
        kept = sorted(((into, src, team) for into, (src, team) in before[sid].items()),
                      key=lambda c: c[1] != s.language)  # direct channels first: relay needs its pivot
        for into, source, team in kept:
            if into in ev.channels(s) and len(team) == ev.team_size(s) and room_left(sid, len(team)) \
                    and (source == s.language or source_of(sid, source) == s.language) \
                    and all(w in able.get((source, into), ()) and w not in used[sid]
                            and fits(w, sid, start_of[sid], start_of[sid] + s.duration) for w in team):
                take(sid, into, source, team)
    for sid in order:
        s = ev.session[sid]
        start, end = start_of[sid], start_of[sid] + s.duration
        team = ev.team_size(s)
        channels = sorted(ev.channels(s), key=lambda t: s.interpretation != "required")
        # Re-planning: an optional channel gets no one who would work that day only for it.
        idle_ok = previous is None or s.interpretation == "required"
        for into in channels:
            if (sid, into) in out:
                continue
            direct_ok = {t for t in channels if source_of(sid, t) == s.language}
            for source in [s.language, *sorted(direct_ok)]:
                people = sorted((w for w in able.get((source, into), []) if w not in used[sid]
                                 and (idle_ok or minutes[(w, start // 1440)]) and fits(w, sid, start, end)),
                                key=lambda w: score(w, sid, into, start))
                if len(people) >= team and room_left(sid, team):
                    take(sid, into, source, people[:team])
                    break
    return out


def _starts(sm: ScheduleModel, sid: str) -> list[int]:
    """The session's possible starts on the event's grid."""
    slot = sm.event.event.slot_minutes
    bounds = sm.start_domain[sid].flattened_intervals()
    return [v for lo, hi in zip(bounds[::2], bounds[1::2]) for v in range(lo + (-lo) % slot, hi + 1, slot)]


def _with_predecessors(ev: Event, ids: set[str]) -> set[str]:
    """`ids` and every session they must follow, directly or not."""
    todo = list(ids)
    while todo:
        for a in ev.session[todo.pop()].after:
            if a not in ids:
                ids.add(a)
                todo.append(a)
    return ids
