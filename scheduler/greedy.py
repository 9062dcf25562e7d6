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
48,429-48,974. It respects the options of the
model (which already encode days, breaks, pins, capacities and speakers' unavailability) and checks the rest
itself. Sessions it cannot place are left to the solver.
`greedy_staffing` then gives each channel, in time order, the best available team.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np

from .constraints import able_by_target, able_interpreters
from .costs import asleep_cost
from .event import Event
from .model import ScheduleModel


def greedy_placement(sm: ScheduleModel) -> dict[str, tuple[int, str]]:
    """Session id -> (start minute, room) for every session the greedy could place."""
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
    cap = {t: len(able_into[t]) for t in ev.event.languages}
    ends: dict[str, int] = {}
    placed: dict[str, tuple[int, str]] = {}

    def values(sid: str) -> list[int]:
        bounds = sm.start_domain[sid].flattened_intervals()
        return [v for lo, hi in zip(bounds[::2], bounds[1::2]) for v in range(lo, hi + 1) if v % slot == 0]

    def soft(s, start: int) -> int:
        cost = asleep_cost(ev, ev.aware(start), s.duration) if ev.event.audience else 0
        if s.preferred and not any(a <= start and start + s.duration <= b for a, b in ev.periods(s.preferred)):
            cost += ev.event.weights.outside_preferred
        if s.track is not None:
            a, b = start // slot, (start + s.duration) // slot
            cost += ev.event.weights.track_overlap * int(began[s.track][b - 1] - ended[s.track][a])
        return cost

    order = _order(sm, {s.id: len(values(s.id)) * len(sm.room_options[s.id]) for s in ev.sessions})
    # Latest start of each session that still leaves room for everything that must come after it.
    latest = {sid: (sm.start_domain[sid].max() if not sm.start_domain[sid].is_empty() else -1) for sid in order}
    for sid in reversed(order):
        for a in ev.session[sid].after:
            latest[a] = min(latest[a], latest[sid] - ev.session[a].duration)
    has_followers = {a for s in ev.sessions for a in s.after}
    # Sessions pinned to one start and one room keep their slot: nobody else may take it first.
    reserved: dict[str, str] = {}
    for sid in order:
        if sm.start_domain[sid].size() == 1 and len(sm.room_options[sid]) == 1:
            s, start, room = ev.session[sid], sm.start_domain[sid].min(), sm.room_options[sid][0]
            a, b = start // slot, (start + s.duration) // slot
            if not room_busy[room][a:b].any():
                room_busy[room][a:b] = True
                if s.kind == "plenary":
                    plenary_busy[a:b] = True
                reserved[sid] = room
    for sid in order:
        s = ev.session[sid]
        if sid in reserved:  # free the reservation so the session can take its own slot
            start = sm.start_domain[sid].min()
            room_busy[reserved[sid]][start // slot:(start + s.duration) // slot] = False
            if s.kind == "plenary":
                plenary_busy[start // slot:(start + s.duration) // slot] = False
        earliest = max((ends[a] for a in s.after if a in ends), default=0)
        need = [t for t in ev.channels(s) if s.interpretation == "required"]
        team = ev.team_size(s)
        best = None
        for start in values(sid):
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
            load = max((int(demand[t][a:b].max()) + team - cap[t] for t in need), default=-1)
            if load > 0:
                continue
            room = next((r.id for r in rooms if r.id in sm.room_options[sid] and not room_busy[r.id][a:b].any()), None)
            if room is None:
                continue
            # Sessions that others must follow go early, so their followers still find room; plenaries go to the
            # days with the fewest plenary minutes, which leaves each day time for parallel sessions.
            key = (start // 1440 if sid in has_followers else 0, soft(s, start),
                   plenary_minutes[day] if s.kind == "plenary" else 0, load, int(any_busy[a:b].max()), start)
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


def _order(sm: ScheduleModel, freedom: dict[str, int]) -> list[str]:
    """Sessions in an order that respects `after`: plenaries and the sessions they must follow first (a plenary
    needs a time where nothing else runs, which a filled timetable no longer has), then the least free (fewest
    start x room options)."""
    ev = sm.event
    first = {s.id for s in ev.sessions if s.kind == "plenary"}
    todo = list(first)
    while todo:
        for a in ev.session[todo.pop()].after:
            if a not in first:
                first.add(a)
                todo.append(a)
    waiting = {s.id: len(set(s.after)) for s in ev.sessions}
    followers = defaultdict(list)
    for s in ev.sessions:
        for a in set(s.after):
            followers[a].append(s.id)
    rank = {s.id: (0 if s.id in first else 1, freedom[s.id], -s.duration, i) for i, s in enumerate(ev.sessions)}
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


def greedy_staffing(ev: Event, placement: dict[str, tuple[int, str]]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(session, channel) -> (source, team) for the channels a greedy pass could staff, with every session
    at its (start, room) of `placement`. Prefers direct over relay, A over B languages, and people already
    working that day; respects one place at a time, unavailability, minutes per day and the rest rule."""
    from .check import work_stretches

    rest = ev.event.interpreter_rest
    start_of = {sid: start for sid, (start, _) in placement.items()}
    able = able_interpreters(ev)
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    minutes: dict[tuple[str, int], int] = defaultdict(int)
    load: dict[str, int] = defaultdict(int)
    unavailable = {i.id: ev.periods(i.unavailable) for i in ev.interpreters}
    room_cap = {r.id: r.max_interpreters for r in ev.rooms}
    out: dict[tuple[str, str], tuple[str, list[str]]] = {}

    def fits(who: str, sid: str, start: int, end: int) -> bool:
        if any(a < end and start < b for a, b, _ in spans[who]):
            return False
        if any(a < end and start < b for a, b in unavailable[who]):
            return False
        day = start // 1440
        if minutes[(who, day)] + end - start > ev.interpreter[who].max_minutes_per_day:
            return False
        mine = sorted([s for s in spans[who] if s[0] // 1440 == day] + [(start, end, sid)])
        return all(max(e for _, e, _ in st) - st[0][0] <= rest.max_continuous
                   for st in work_stretches(mine, rest.min_break))

    def score(who: str, into: str, start: int) -> tuple:
        return (ev.interpreter[who].is_retour(into), minutes[(who, start // 1440)] == 0, load[who], who)

    for sid in sorted(placement, key=lambda x: (start_of[x], x)):
        s = ev.session[sid]
        start, end = start_of[sid], start_of[sid] + s.duration
        team = ev.team_size(s)
        room = placement[sid][1]
        cap = room_cap.get(room)
        booths = ev.room[room].channels
        used: set[str] = set()
        channels = sorted(ev.channels(s), key=lambda t: s.interpretation != "required")
        for into in channels:
            if sum(1 for (x, _) in out if x == sid) >= booths:
                break
            direct_ok = {t for (x, t), (src, _) in out.items() if x == sid and src == s.language}
            for source in [s.language, *sorted(direct_ok)]:
                people = sorted((w for w in able.get((source, into), []) if w not in used and fits(w, sid, start, end)),
                                key=lambda w: score(w, into, start))
                if len(people) >= team and (cap is None or len(used) + team <= cap):
                    chosen = people[:team]
                    out[(sid, into)] = (source, chosen)
                    for w in chosen:
                        used.add(w)
                        spans[w].append((start, end, sid))
                        minutes[(w, start // 1440)] += s.duration
                        load[w] += s.duration
                    break
    return out
