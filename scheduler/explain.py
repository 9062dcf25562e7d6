"""Why an event has no timetable, in words an organiser can act on (`scheduler explain`).

Two layers:
1. *checks*: fast necessary conditions, no search. Each `Conflict` they report is, on its own, a proof that no
   timetable exists (a session with no possible start, a speaker pinned twice at once, a language pair nobody
   can interpret, more interpreter minutes needed on a day than the able interpreters can give, ...).
2. *search*: when the checks find nothing and CP-SAT proves the event infeasible, the input is cut into
   relaxable *facts* (each pin, each `after` order, each unavailable period, each daily limit, each room's
   capacity, booths and interpreter cap, each plenary, the required interpretation of each session, the breaks
   of each day, the rest and team rules, each speaker's part in each session). One model gets a switch literal
   per fact (`ScheduleModel(switchable=...)`); CP-SAT's core of those assumptions is then shrunk by a deletion
   filter, over groups of facts and then over single facts, re-solving that model under other assumptions
   (`core_search`). When that cannot decide, facts are lifted by editing copies of the event instead
   (`_Oracle`), with the same filter. Every answer of that layer is a proof: the facts
   reported are infeasible together, and, when `minimal` holds, lifting any one of them (with the other facts
   of the event lifted too) leaves a timetable.
3. *repairs*: on that model (with one more interpreter into each language, who works only when that is a
   change of the way), the cheapest sets of facts whose lifting, with every other fact kept, leaves a timetable
   (`repairs`): what is enough to change, where the set above only says what conflicts, each change said with
   what the timetable found with it asks (how far a limit is raised, when the one more interpreter works).

Every message names sessions, speakers, interpreters and rooms by id and name, days and times as local
wall-clock times ("Sat 2021-02-13 14:00"), and language pairs as "en→fr".
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Literal

from ortools.sat.python import cp_model
from pydantic import BaseModel

from .constraints import clock_change_spans
from .english import counted, names, plural
from .event import BIG, Event, Room, Session
from .interrupt import new_solver, requested as stop_requested
from .packing import room_packing
from .past import Past
from .types import minutes_of

log = logging.getLogger(__name__)

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Conflict(BaseModel):
    """One reason why no timetable exists.

    `found_by` is "check" when this conflict alone makes the event infeasible, "search" when it is one of a
    set of facts that cannot all hold together (change at least one of them), "repair" when it is one change of
    a way to get a timetable (`option`: which way; change every fact of that way)."""

    rule: str
    ids: list[str]
    message: str
    found_by: Literal["check", "search", "repair"] = "check"
    option: int | None = None  # for "repair": 1 for the way with the fewest changes, then 2, ...

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}  [{', '.join(self.ids)}]"


class Explanation(BaseModel):
    status: Literal["feasible", "infeasible", "unknown"]
    conflicts: list[Conflict] = []
    minimal: bool = True  # for "search": no fact of the set can be dropped (within the time limit)
    repairs: list[Conflict] = []  # found_by "repair": ways to get a timetable, each with every other fact kept
    fewest: bool = False  # the first way is proven the cheapest (facts weighed by `REPAIR_WEIGHT`)
    ways_searched: bool = False  # whether ways were looked for (on the model with switches only)
    ways_seconds: float = 0.0  # the time they had: what was left of the time limit after the conflicting set
    seconds: float = 0.0
    note: str = ""  # why no conflict was searched for, if none was


# --- words --------------------------------------------------------------------------------------------


def when(ev: Event, minute: int) -> str:
    """'Sat 2021-02-13 14:00' for an event minute."""
    moment = ev.local(minute)
    return f"{_WEEKDAYS[moment.weekday()]} {moment:%Y-%m-%d %H:%M}"


def day_name(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day:%Y-%m-%d}"


def span(ev: Event, start: int, end: int) -> str:
    """'Sat 2021-02-13 14:00–15:30' (the end's date is repeated only when it differs)."""
    if ev.day_of(start) == ev.day_of(end) or end % 1440 == 0 and end - start <= 1440:
        return f"{when(ev, start)}–{ev.local(end):%H:%M}"
    return f"{when(ev, start)} – {when(ev, end)}"


def session_name(ev: Event, sid: str) -> str:
    s = ev.session[sid]
    title, _ = ev.title(s, "en")
    return f"session {sid} “{title}”"


def speaker_name(ev: Event, spid: str) -> str:
    return f"speaker {spid} ({ev.speaker[spid].name})"


def interpreter_name(ev: Event, iid: str) -> str:
    return f"interpreter {iid} ({ev.interpreter[iid].name})"


def room_name(ev: Event, rid: str) -> str:
    return f"room {rid} ({ev.room[rid].name})"


def _need(sessions: list) -> str:
    """The verb for a list of sessions: 'needs' for one, 'need' for more."""
    return "needs" if len(sessions) == 1 else "need"


def _hours(minutes: int) -> str:
    return f"{minutes} min" if minutes < 120 else f"{minutes} min ({minutes / 60:g} h)"


# --- what the input allows, without search ------------------------------------------------------------


def _overlaps(a: int, b: int, c: int, d: int) -> bool:
    return a < d and c < b


def _starts_overlapping(periods: list[tuple[int, int]], duration: int) -> set[int]:
    """The start minutes at which something lasting `duration` overlaps one of `periods`."""
    return {t for x, y in periods for t in range(x - duration + 1, y)}


class _Context:
    """Precomputed views of the event shared by the checks."""

    def __init__(self, ev: Event):
        self.ev = ev
        self.slot = ev.event.slot_minutes
        self.days = sorted(ev.event.days, key=lambda d: d.date)
        self.breaks = [b for d in self.days for b in ev.day_breaks(d)]
        self.open_spans: dict[date, list[tuple[int, int]]] = {}
        for d in self.days:
            self.open_spans[d.date] = ev.open_spans(d)
        self.open_minutes = {day: sum(b - a for a, b in spans) for day, spans in self.open_spans.items()}
        self.able = _able(ev)
        self.starts: dict[str, set[int]] = {}
        self.rooms: dict[str, list[str]] = {}
        for s in ev.sessions:
            self.starts[s.id], self.rooms[s.id] = self.possible(s, frozenset())
        # The checks ask these once per interpreter and session: cached, they take the 130-session benchmark's
        # checks from 5 s to a tenth of that, and the 560-session one's from 5 minutes.
        self._days: dict[str, date | None] = {}
        self._able_for: dict[tuple[str, str], set[str]] = {}

    # A session's possible starts given some of its own facts ("breaks", "pin.day", "pin.start", "pin.room",
    # "capacity", "channels", "room_unavailable", ("speaker", id)) lifted.

    def session_facts(self, s: Session) -> list:
        ev = self.ev
        facts: list = []
        if s.pin is not None:
            facts += [f"pin.{k}" for k in ("day", "start") if getattr(s.pin, k) is not None]
            facts += ["pin.room"] if s.pin.room_ids is not None else []
        facts += [("speaker", sp) for sp in s.speakers if ev.speaker[sp].unavailable]
        if any(r.capacity < s.attendance for r in ev.rooms):
            facts.append("capacity")
        if s.interpretation == "required" and any(r.channels < len(ev.channels(s)) for r in ev.rooms):
            facts.append("channels")
        if any(r.unavailable for r in ev.rooms):
            facts.append("room_unavailable")
        if self.breaks:
            facts.append("breaks")
        return facts

    def possible(self, s: Session, lifted: frozenset) -> tuple[set[int], list[str]]:
        ev = self.ev
        pin = s.pin
        rooms = list(ev.rooms)
        if pin is not None and pin.room_ids is not None and "pin.room" not in lifted:
            rooms = [r for r in rooms if r.id in pin.room_ids]
        if "capacity" not in lifted:
            rooms = [r for r in rooms if r.capacity >= s.attendance]
        if s.interpretation == "required" and "channels" not in lifted:
            need = len(ev.channels(s))
            rooms = [r for r in rooms if r.channels >= need]
        if not rooms:
            return set(), []
        busy = [p for sp in s.speakers if ("speaker", sp) not in lifted for p in ev.periods(ev.speaker[sp].unavailable)]
        if "breaks" not in lifted:
            busy += self.breaks
        times = set()
        blocked = _starts_overlapping(busy, s.duration)
        for d in self.days:
            if pin is not None and pin.day is not None and "pin.day" not in lifted and d.date != pin.day:
                continue
            a, b = ev.day_window(d)
            for t in range(a, b - s.duration + 1, self.slot):
                if pin is not None and pin.start is not None and "pin.start" not in lifted \
                        and t % 1440 != minutes_of(pin.start):
                    continue
                if t not in blocked:
                    times.add(t)
        if "room_unavailable" in lifted:
            return times, [r.id for r in rooms]
        out: set[int] = set()
        kept = []
        for r in rooms:
            free = times - _starts_overlapping(ev.periods(r.unavailable), s.duration)
            if free:
                kept.append(r.id)
            out |= free
        return out, kept

    def fixed(self, sid: str) -> int | None:
        starts = self.starts[sid]
        return next(iter(starts)) if len(starts) == 1 else None

    def forced_day(self, sid: str) -> date | None:
        if sid not in self._days:
            days = {self.ev.day_of(t) for t in self.starts[sid]}
            self._days[sid] = days.pop() if len(days) == 1 else None
        return self._days[sid]

    def able_for(self, s: Session, into: str) -> set[str]:
        """Interpreters who could staff channel `into` of `s`, from the floor or from another channel."""
        if (s.id, into) not in self._able_for:
            sources = [s.language, *(p for p in self.ev.channels(s) if p != into)]
            self._able_for[(s.id, into)] = {who for src in sources for who in self.able.get((src, into), [])}
        return self._able_for[(s.id, into)]

    def free_minutes(self, who: str, day: date, durations: list[int] = ()) -> int:
        """Minutes of `day`'s open time an interpreter could work: their daily cap and unavailability; with
        `durations` (of the sessions they could work), the largest sum of some of them within that."""
        most = self._free_minutes(who, day)
        if not durations:
            return most
        sums, mask = 1, (1 << (most + 1)) - 1  # bit k set: k minutes are a sum of some of the durations
        for d in durations:
            sums |= (sums << d) & mask
            if sums >> most:
                break
        return sums.bit_length() - 1

    def _free_minutes(self, who: str, day: date) -> int:
        it = self.ev.interpreter[who]
        closed = self.ev.periods(it.unavailable)
        free = 0
        for a, b in self.open_spans[day]:
            taken = sorted((max(a, x), min(b, y)) for x, y in closed if x < b and a < y)
            cursor, lost = a, 0
            for x, y in taken:
                if y > cursor:
                    lost += y - max(x, cursor)
                    cursor = y
            free += (b - a) - lost
        return min(free, it.max_minutes_per_day)

    def available_at(self, who: str, start: int, end: int) -> bool:
        return not any(_overlaps(start, end, x, y) for x, y in self.ev.periods(self.ev.interpreter[who].unavailable))


def _able(ev: Event) -> dict[tuple[str, str], list[str]]:
    able: dict[tuple[str, str], list[str]] = defaultdict(list)
    languages = set(ev.event.languages) | {s.language for s in ev.sessions}
    for it in ev.interpreters:
        for src in sorted(languages):
            for dst in ev.event.languages:
                if it.can_interpret(src, dst):
                    able[(src, dst)].append(it.id)
    return able


# --- layer 1: checks ----------------------------------------------------------------------------------

_FACT_RULE = {"pin.day": "pin_obeyed", "pin.start": "pin_obeyed", "pin.room": "pin_obeyed",
              "speaker": "speaker_available", "capacity": "room_capacity", "channels": "room_channels",
              "room_unavailable": "room_available", "breaks": "no_break_overlap"}


def no_possible_start(cx: _Context) -> Iterator[Conflict]:
    """A session that has no start in any room: windows, breaks, pins, rooms, speakers' unavailability."""
    ev = cx.ev
    for s in ev.sessions:
        if cx.starts[s.id]:
            continue
        facts = cx.session_facts(s)
        core = list(facts)
        for f in list(core):  # deletion: keep only the facts without which a start appears
            lifted = frozenset(x for x in facts if x not in core or x == f)
            if not cx.possible(s, lifted)[0]:
                core.remove(f)
        if not core:
            longest = max(b - a for a, b in (ev.day_window(d) for d in cx.days))
            yield Conflict(rule="inside_day", ids=[s.id],
                           message=f"{session_name(ev, s.id)} lasts {_hours(s.duration)}, longer than every day of "
                                   f"the event (the longest is {_hours(longest)}): shorten it or lengthen a day.")
            continue
        yield _no_start(cx, s, core)


def _no_start(cx: _Context, s: Session, core: list) -> Conflict:
    """The conflict of a session left no start by the facts of `core` (each needed, see `no_possible_start`)."""
    ev = cx.ev
    rules = [_FACT_RULE[f[0] if isinstance(f, tuple) else f] for f in core]
    # Size and booths fail together, room by room: one reason (unless rooms' unavailability is part of it too).
    both = {"capacity", "channels"} <= set(core) and "room_unavailable" not in core
    parts, ids = [], [s.id]
    for f in core:
        if both and f in ("capacity", "channels"):
            continue
        part, more = _part(cx, s, f)
        parts.append(part)
        ids.extend(more)
    head = f"{session_name(ev, s.id)} ({_hours(s.duration)}) has no possible start"
    if both:
        pair = _size_and_booths(ev, s, within_pin="pin.room" in core)
        ids.extend(pair.ids)
        if pair.large:  # some room holds it: its booths are what fails
            rules.remove("room_capacity")
        if not parts:
            return Conflict(rule=rules[0], ids=list(dict.fromkeys(ids)),
                            message=f"{head}: {pair.claim}: {pair.rooms}. {pair.fix}.")
        parts.append(f"{pair.reason} ({pair.rooms})")
    rule = rules[0] if len(rules) == 1 else next(r for r in _FACT_RULE.values() if r in rules)
    return Conflict(rule=rule, ids=list(dict.fromkeys(ids)),
                    message=f"{head} because of {names(parts, 10)}: change " + (
                        "it." if len(parts) == 1 else "one of them."))


def _part(cx: _Context, s: Session, f: str | tuple) -> tuple[str, list[str]]:
    """One fact of a session's `core` in words ("its pin at 10:00") and the ids it names."""
    ev = cx.ev
    if f == "pin.day":
        return f"its pin to {day_name(s.pin.day)}", []
    if f == "pin.start":
        return f"its pin at {s.pin.start:%H:%M}", []
    if f == "pin.room":
        return f"its pin to {names([room_name(ev, r) for r in s.pin.room_ids], 10, 'or')}", list(s.pin.room_ids)
    if isinstance(f, tuple):  # ("speaker", id)
        sp = f[1]
        periods = [span(ev, a, b) for a, b in ev.periods(ev.speaker[sp].unavailable)]
        return f"{speaker_name(ev, sp)} being unavailable {names(periods)}", [sp]
    if f == "capacity":
        return _capacity_part(ev, s)
    if f == "channels":
        return _channels_part(ev, s)
    if f == "room_unavailable":
        closed = [f"{room_name(ev, r.id)} {names([span(ev, a, b) for a, b in ev.periods(r.unavailable)])}"
                  for r in ev.rooms if r.unavailable]
        return f"the rooms' unavailability ({'; '.join(closed)})", []
    shown = [f"{day_name(d.date)} {b.start:%H:%M}–{b.end:%H:%M}" for d in cx.days for b in d.breaks]
    return f"the breaks ({names(shown)})", []


def _pinned_rooms(ev: Event, s: Session) -> list[Room]:
    """The rooms a session is pinned to, in the pin's order (none when its room is free)."""
    if s.pin is None or s.pin.room_ids is None:
        return []
    return [ev.room[r] for r in s.pin.room_ids if r in ev.room]


def _capacity_part(ev: Event, s: Session) -> tuple[str, list[str]]:
    """Its attendance against the largest room it may use: of its pin when those are too small, else of all."""
    own = _pinned_rooms(ev, s)
    pinned = max(own, key=lambda r: r.capacity) if own else None
    if pinned is not None and pinned.capacity < s.attendance:  # the rooms that count are its own
        where = "where it is pinned" if len(own) == 1 else "the largest it is pinned to"
        return (f"its attendance of {s.attendance} ({room_name(ev, pinned.id)}, {where}, holds {pinned.capacity})",
                [pinned.id])
    big = max(ev.rooms, key=lambda r: r.capacity)
    return (f"its attendance of {s.attendance} (the largest room, {room_name(ev, big.id)}, holds {big.capacity})",
            [big.id])


def _channels_part(ev: Event, s: Session) -> tuple[str, list[str]]:
    """Its required channels against the most booths of the rooms it may use (its pinned ones), holding it if any do."""
    need, own = len(ev.channels(s)), _pinned_rooms(ev, s)
    rooms = [r for r in own or ev.rooms if r.capacity >= s.attendance] or own or list(ev.rooms)
    most = max(rooms, key=lambda r: (r.channels, r.capacity))
    booths = counted(most.channels, "booth")
    if own:
        where = "where it is pinned" if len(own) == 1 else "the one with most booths it is pinned to"
        said = f"{room_name(ev, most.id)}, {where}, has {booths}"
    else:
        which = "" if len(rooms) == len(ev.rooms) else f" that holds its {s.attendance} attendees"
        said = f"the room with most booths{which}, {room_name(ev, most.id)}, has {booths}"
    return f"its {counted(need, 'required interpretation channel')} ({names(ev.channels(s))}; {said})", [most.id]


@dataclass(frozen=True)
class _SizeAndBooths:
    """Why no room both holds a session and has the booths of its required channels, in words."""

    claim: str  # "no room both holds its 2500 attendees and has the 7 booths ..."
    reason: str  # the same as a reason among others: "its 2500 attendees with its 7 ..., which no room ..."
    rooms: str  # the rooms that come closest, each with what it lacks
    fix: str
    ids: list[str]
    large: bool  # whether some room that counts holds it (its booths are then what fails)


def _size_and_booths(ev: Event, s: Session, within_pin: bool) -> _SizeAndBooths:
    """No room (of its pin when `within_pin`) both holds `s` and has its booths: the closest rooms, what to change."""
    need, crowd, channels = len(ev.channels(s)), s.attendance, names(ev.channels(s))
    own = _pinned_rooms(ev, s)
    rooms = own if within_pin and own else list(ev.rooms)
    large = [r for r in rooms if r.capacity >= crowd]
    boothed = [r for r in rooms if r.channels >= need]
    # The rooms to change, one it is pinned to when one comes as close: the one with most booths that holds it,
    # the largest with its booths.
    target = max([r for r in large if r in own] or large, key=lambda r: (r.channels, r.capacity), default=None)
    widest = max([r for r in boothed if r in own] or boothed, key=lambda r: r.capacity, default=None)
    shown = list({r.id: r for r in [*own[:3], *(r for r in (target, widest) if r is not None)]}.values())
    pinned = "" if rooms is own else ", where it is pinned," if len(own) == 1 else ", one it is pinned to,"
    told = [f"{room_name(ev, r.id)}{pinned if r in own else ''} {_lacks(r, crowd, need)}" for r in shown]
    where = " it is pinned to" if rooms is own else ""
    fix = names(_size_and_booths_fixes(s, own, need, target, widest), 10, "or")
    return _SizeAndBooths(
        claim=f"no room{where} both holds its {crowd} attendees and has the {counted(need, 'booth')} its required "
              f"interpretation channels need ({channels})",
        reason=f"its {crowd} attendees with its {counted(need, 'required interpretation channel')} ({channels}), "
               f"which no room{where} both holds and has booths for",
        rooms="; ".join(told), fix=fix[:1].upper() + fix[1:], ids=[r.id for r in shown], large=bool(large))


def _size_and_booths_fixes(s: Session, own: list[Room], need: int, target: Room | None,
                           widest: Room | None) -> list[str]:
    """What to change when no room both holds `s` and has its booths: what its pin allows first."""
    moved = lambda r: bool(own) and r not in own  # noqa: E731 - the pin must move there too
    there = lambda r: " (moving its pin there)" if moved(r) else ""  # noqa: E731
    fixes = []  # the rooms are named in full before: their ids are enough here
    if target is not None:
        more = counted(need - target.channels, "booth")
        fixes.append((moved(target), f"add {more} to room {target.id}{there(target)}"))
    if widest is not None:
        fixes.append((moved(widest), f"let room {widest.id} hold {s.attendance}{there(widest)}"))
    optional = "make its interpretation optional"
    if target is not None:  # optional channels are staffed as far as the booths allow
        optional += (f" ({target.channels} of its {need} channels could then be staffed in room {target.id}"
                     if target.channels else f" (it could then run in room {target.id} without interpretation")
        optional += ", moving its pin there)" if moved(target) else ")"
    fixes.append((target is not None and moved(target), optional))
    return [text for _, text in sorted(fixes, key=lambda f: f[0])]


def _lacks(r: Room, crowd: int, need: int) -> str:
    """What a room has of a session's size and booths: 'holds 3000 but has 6 booths'."""
    holds, has = f"holds {r.capacity}", f"has {counted(r.channels, 'booth')}"
    if r.capacity >= crowd:
        return f"{holds} but {has}"
    return f"{has} but {holds}" if r.channels >= need else f"{holds} and {has}"


def _pairs_at_fixed_times(cx: _Context) -> Iterator[tuple[Session, Session, int, int]]:
    fixed = [(s, cx.fixed(s.id)) for s in cx.ev.sessions if cx.fixed(s.id) is not None]
    for i, (a, ta) in enumerate(fixed):
        for b, tb in fixed[i + 1:]:
            if _overlaps(ta, ta + a.duration, tb, tb + b.duration):
                yield a, b, ta, tb


def fixed_overlaps(cx: _Context) -> Iterator[Conflict]:
    """Sessions whose pins (or lack of any other possible time) make them overlap while they must not."""
    ev = cx.ev
    for a, b, ta, tb in _pairs_at_fixed_times(cx):
        both = (f"{session_name(ev, a.id)} ({span(ev, ta, ta + a.duration)}) and "
                f"{session_name(ev, b.id)} ({span(ev, tb, tb + b.duration)})")
        fix = "can only take place at these times (pinned or otherwise constrained): unpin or move one of them."
        shared = [sp for sp in a.speakers if sp in b.speakers]
        if shared:
            yield Conflict(rule="speaker_one_place", ids=[a.id, b.id, *shared],
                           message=f"{names([speaker_name(ev, sp) for sp in shared])} would be in two places: "
                                   f"{both} {fix}")
        plenary = [s for s in (a, b) if s.kind == "plenary"]
        if plenary:
            yield Conflict(rule="plenary_alone", ids=[a.id, b.id],
                           message=f"{names([session_name(ev, p.id) for p in plenary])} "
                                   f"{'is a plenary' if len(plenary) == 1 else 'are plenaries'}, so nothing "
                                   f"else may run at the same time, but {both} {fix}")
        if len(cx.rooms[a.id]) == 1 and cx.rooms[a.id] == cx.rooms[b.id] and not plenary:
            rid = cx.rooms[a.id][0]
            yield Conflict(rule="room_one_session_at_a_time", ids=[a.id, b.id, rid],
                           message=f"{room_name(ev, rid)} is the only room for both {both} {fix}")


def after_chains(cx: _Context) -> Iterator[Conflict]:
    """A chain of `after` orders that the possible starts (pins, windows, unavailability) cannot keep."""
    ev = cx.ev
    order: list[str] = []
    seen: set[str] = set()

    def visit(sid: str) -> None:
        if sid in seen:
            return
        seen.add(sid)
        for a in ev.session[sid].after:
            visit(a)
        order.append(sid)

    for s in ev.sessions:
        visit(s.id)
    earliest: dict[str, int] = {}
    cause: dict[str, str | None] = {}
    for sid in order:
        s = ev.session[sid]
        if not cx.starts[sid] or any(a not in earliest for a in s.after):
            continue  # no start at all is reported elsewhere; a broken predecessor is reported once
        bound, by = 0, None
        for a in s.after:
            end = earliest[a] + ev.session[a].duration
            if end > bound:
                bound, by = end, a
        later = [t for t in cx.starts[sid] if t >= bound]
        if later:
            earliest[sid], cause[sid] = min(later), by
            continue
        chain = [sid]
        node = by
        while node is not None:
            chain.append(node)
            node = cause.get(node)
        chain.reverse()
        steps = " then ".join(session_name(ev, c) for c in chain)
        first = chain[0]
        latest = max(cx.starts[sid])
        pinned = [c for c in chain if ev.session[c].pin is not None]
        yield Conflict(rule="after_order", ids=chain,
                       message=f"the order {steps} cannot be kept: {session_name(ev, first)} can start at "
                               f"{when(ev, min(cx.starts[first]))} at the earliest, so {session_name(ev, by)} ends at "
                               f"{when(ev, bound)} at the earliest, but {session_name(ev, sid)} can start at "
                               f"{when(ev, latest)} at the latest"
                               + (f" (pinned: {names(pinned)})" if pinned else "")
                               + ": drop one of these orders, or move a pin.")


def plenary_time(cx: _Context) -> Iterator[Conflict]:
    """Plenaries run alone: their minutes on a day cannot exceed the day's open time; all sessions fit rooms."""
    ev = cx.ev
    plenaries = [s for s in ev.sessions if s.kind == "plenary"]
    reported = False
    for d in cx.days:
        mine = [s for s in plenaries if cx.starts[s.id] and cx.forced_day(s.id) == d.date]
        need = sum(s.duration for s in mine)
        if len(mine) > 1 and need > cx.open_minutes[d.date]:
            reported = True
            plenary_names = names([session_name(ev, s.id) for s in mine])
            yield Conflict(rule="plenary_alone", ids=[s.id for s in mine],
                           message=f"on {day_name(d.date)} the plenaries {plenary_names} need {_hours(need)} to "
                                   f"themselves, but the day has {_hours(cx.open_minutes[d.date])} "
                                   f"outside breaks: move one to another day, make one parallel, or lengthen the day.")
    total = sum(s.duration for s in plenaries)
    open_all = sum(cx.open_minutes.values())
    if not reported and len(plenaries) > 1 and total > open_all:
        yield Conflict(rule="plenary_alone", ids=[s.id for s in plenaries],
                       message=f"the {len(plenaries)} plenaries need {_hours(total)} to themselves, but the days "
                               f"have {_hours(open_all)} outside breaks in all: make some parallel, shorten them, "
                               f"or add time.")
        reported = True
    if reported:
        return
    # Room time: every session takes one room for its duration; while a plenary runs, no other room is used.
    closed_any = any(r.unavailable for r in ev.rooms)
    parallel = sum(s.duration for s in ev.sessions if s.kind != "plenary")
    rooms = len(ev.rooms)
    if not closed_any:
        need, have = parallel + rooms * total, rooms * open_all
    else:
        need = parallel + total
        have = 0
        for r in ev.rooms:
            closed = ev.periods(r.unavailable)
            for spans in cx.open_spans.values():
                for a, b in spans:
                    have += sum(1 for t in range(a, b) if not any(x <= t < y for x, y in closed))
    if need > have:
        yield Conflict(rule="room_one_session_at_a_time", ids=[s.id for s in ev.sessions],
                       message=f"the {len(ev.sessions)} sessions need {_hours(need)} of room time"
                               + (" (a plenary keeps every room for itself)" if plenaries and not closed_any else "")
                               + f", but the {counted(rooms, 'room')} are open {_hours(have)} in all outside breaks: "
                                 f"add a "
                                 f"room or a day, lengthen the days, or drop or shorten sessions.")


def language_pairs(cx: _Context) -> Iterator[Conflict]:
    """A required channel nobody can serve, directly or through a relay; or fewer able people than a team."""
    ev = cx.ev
    missing: dict[tuple[str, str], list[str]] = defaultdict(list)
    short: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for s in ev.sessions:
        if s.interpretation != "required":
            continue
        team = ev.team_size(s)
        channels = ev.channels(s)
        for into in channels:
            direct = cx.able.get((s.language, into), [])
            relays = [p for p in channels if p != into and cx.able.get((s.language, p)) and cx.able.get((p, into))]
            if not direct and not relays:
                missing[(s.language, into)].append(s.id)
                continue
            ok = len(direct) >= team or any(len(cx.able[(s.language, p)]) >= team and len(cx.able[(p, into)]) >= team
                                             for p in relays)
            if not ok:
                short[(s.language, into, team)].append(s.id)
    for (src, into), sids in missing.items():
        pivots = [p for p in ev.event.languages if p not in (src, into)]
        relays = names([f"{src}→{p}→{into}" for p in pivots])
        through = f", directly or through a relay ({relays})" if pivots else ""
        yield Conflict(rule="interpreter_competence", ids=sids,
                       message=f"nobody can interpret {src}→{into}{through}, but "
                               f"{names([session_name(ev, x) for x in sids])} {_need(sids)} it "
                               f"(interpretation: required): "
                               f"add an interpreter for {src}→{into}, or make the interpretation of these sessions "
                               f"optional.")
    for (src, into, team), sids in short.items():
        who = sorted(set(cx.able.get((src, into), [])))
        yield Conflict(rule="team_size", ids=[*sids, *who],
                       message=f"{names([session_name(ev, x) for x in sids])} {_need(sids)} a team of {team} "
                               f"interpreters "
                               f"{src}→{into} (longer than {ev.event.team_size.solo_max_minutes} min), but only "
                               f"{names([interpreter_name(ev, w) for w in who]) or 'nobody'} can interpret it "
                               f"(nor enough for a relay): add interpreters, or shorten the sessions.")


def session_staffing(cx: _Context) -> Iterator[Conflict]:
    """One session's needs: rest rule, daily caps, rooms' interpreter caps, all channels at once."""
    ev = cx.ev
    rest = ev.event.interpreter_rest
    for s in ev.sessions:
        channels = ev.channels(s) if s.interpretation == "required" else []
        if not channels:
            continue
        team = ev.team_size(s)
        if s.duration > rest.max_continuous:
            yield Conflict(rule="interpreter_rest", ids=[s.id],
                           message=f"{session_name(ev, s.id)} lasts {_hours(s.duration)} and needs interpretation, "
                                   f"but interpreters work at most {rest.max_continuous} min in a row "
                                   f"(interpreter_rest): split the session, or make its interpretation optional.")
            continue
        for into in channels:
            able = cx.able_for(s, into)
            fit = sorted(w for w in able if ev.interpreter[w].max_minutes_per_day >= s.duration)
            if len(able) >= team > len(fit):
                capped = sorted(able - set(fit))
                yield Conflict(rule="interpreter_minutes_per_day", ids=[s.id, *capped],
                               message=f"{session_name(ev, s.id)} lasts {_hours(s.duration)} and needs {team} "
                                       f"{plural(team, 'interpreter')} into {into}, but "
                                       f"{names([interpreter_name(ev, w) for w in capped])} may work less than "
                                       f"that in a day (max_minutes_per_day): raise their limits or shorten the "
                                       f"session.")
        need = team * len(channels)
        everyone = sorted(set().union(*(cx.able_for(s, t) for t in channels)))
        if len(everyone) >= need:
            caps = {r: ev.room[r].max_interpreters for r in cx.rooms[s.id]}
            if caps and all(c is not None and c < need for c in caps.values()):
                allowed = names([f"{room_name(ev, r)} allows {c}" for r, c in caps.items()])
                yield Conflict(rule="room_max_interpreters", ids=[s.id, *caps],
                               message=f"{session_name(ev, s.id)} needs {need} interpreters ({len(channels)} "
                                       f"{plural(len(channels), 'channel')} × {team}), but {allowed}"
                                       f" (max_interpreters): raise the cap, use another room, or make its "
                                       f"interpretation optional.")
        elif all(cx.able_for(s, t) for t in channels):
            yield Conflict(rule="interpreter_one_place", ids=[s.id, *everyone],
                           message=f"{session_name(ev, s.id)} needs {need} interpreters at once ({len(channels)} "
                                   f"{plural(len(channels), 'channel')} × {team}), but only "
                                   f"{len(everyone)} can serve its channels: "
                                   f"{names([interpreter_name(ev, w) for w in everyone])}.")


def interpreters_at_fixed_times(cx: _Context) -> Iterator[Conflict]:
    """At a time some sessions cannot avoid, more interpreters are needed into a language than can work then."""
    ev = cx.ev
    fixed = {s.id: cx.fixed(s.id) for s in ev.sessions
             if s.interpretation == "required" and ev.channels(s) and cx.fixed(s.id) is not None}
    seen: set = set()
    for sid, t in sorted(fixed.items(), key=lambda x: x[1]):
        running = [x for x, tx in fixed.items() if tx <= t < tx + ev.session[x].duration]
        for into in ev.channels(ev.session[sid]):
            need_by = [x for x in running if into in ev.channels(ev.session[x])]
            need = sum(ev.team_size(ev.session[x]) for x in need_by)
            able = set().union(*(cx.able_for(ev.session[x], into) for x in need_by))
            # Upper bound on who can work into `into` now: able for one of these sessions and free during it.
            free = sorted(w for w in able if any(cx.available_at(w, fixed[x], fixed[x] + ev.session[x].duration)
                                                  for x in need_by if w in cx.able_for(ev.session[x], into)))
            key = (frozenset(need_by), into)
            if need <= len(free) or key in seen:
                continue
            seen.add(key)
            away = sorted(able - set(free))
            sources = sorted({ev.session[x].language for x in need_by})
            sessions = names([f"{session_name(ev, x)} ({span(ev, fixed[x], fixed[x] + ev.session[x].duration)})"
                               for x in need_by])
            start = min(fixed[x] for x in need_by)
            end = max(fixed[x] + ev.session[x].duration for x in need_by)
            more = counted(need - len(free), "more interpreter")
            yield Conflict(rule="interpreter_available" if away else "team_size", ids=[*need_by, *sorted(able)],
                           message=f"{sessions} cannot move (pinned or otherwise constrained) and {_need(need_by)} "
                                   f"{counted(need, 'interpreter')} {'/'.join(sources)}→{into} at once, but only "
                                   f"{names([interpreter_name(ev, w) for w in free]) or 'nobody'} can work then"
                                   + (f" ({names([interpreter_name(ev, w) for w in away])} unavailable)"
                                      if away else "")
                                   + f": find at least {more} into {into} (from {'/'.join(sources)}) free "
                                     f"{span(ev, start, end)}, or move or unpin a session.")


def interpreter_minutes(cx: _Context) -> Iterator[Conflict]:
    """Interpreter minutes needed into a language (per day when sessions are bound to a day, and over the event)
    versus what the able interpreters can give (daily caps and unavailability)."""
    ev = cx.ev
    needing: dict[str, list[Session]] = defaultdict(list)
    for s in ev.sessions:
        if s.interpretation == "required" and cx.starts[s.id]:
            for t in ev.channels(s):
                needing[t].append(s)
    for into, sessions in needing.items():
        # Interpreter -> the durations of the sessions they could serve, by the day each is bound to (or None).
        theirs: dict[str, dict[date | None, list[int]]] = defaultdict(lambda: defaultdict(list))
        for s in sessions:
            for w in cx.able_for(s, into):
                theirs[w][cx.forced_day(s.id)].append(s.duration)
        able = sorted(theirs)
        if not able:
            continue  # reported by language_pairs
        found = False
        for d in cx.days:
            mine = [s for s in sessions if cx.forced_day(s.id) == d.date]
            need = sum(ev.team_size(s) * s.duration for s in mine)
            give = {w: cx.free_minutes(w, d.date, theirs[w][d.date]) for w in able}
            if need > sum(give.values()):
                found = True
                yield Conflict(
                    rule="interpreter_minutes_per_day", ids=[*(s.id for s in mine), *able],
                    message=f"on {day_name(d.date)}, {names([session_name(ev, s.id) for s in mine])} (bound to that "
                            f"day) {'needs' if len(mine) == 1 else 'need'} {need} interpreter-minutes into {into}, but "
                            f"the interpreters who can work into "
                            f"{into} give at most {sum(give.values())} that day: "
                            + names([f"{interpreter_name(ev, w)} {give[w]}" for w in able], 10)
                            + " (max_minutes_per_day, unavailability): add an interpreter into "
                              f"{into}, raise a daily limit, or move a session to another day.")
        if found:
            continue
        need = sum(ev.team_size(s) * s.duration for s in sessions)
        give = {w: sum(cx.free_minutes(w, d.date, theirs[w][None] + theirs[w][d.date]) for d in cx.days)
                for w in able}
        if need > sum(give.values()):
            yield Conflict(
                rule="interpreter_minutes_per_day", ids=[*(s.id for s in sessions), *able],
                message=f"the sessions needing interpretation into {into} need {need} interpreter-minutes in all, "
                        f"but the interpreters who can work into {into} give at most {sum(give.values())} over the "
                        f"event: " + names([f"{interpreter_name(ev, w)} {give[w]}" for w in able], 10)
                        + f": add an interpreter into {into}, raise daily limits, or make some interpretation "
                          f"optional.")


def speaker_days(cx: _Context) -> Iterator[Conflict]:
    """A speaker with more sessions than their daily limit allows over the days they can be placed on."""
    ev = cx.ev
    for sp in ev.speakers:
        limit = sp.max_sessions_per_day
        if limit is None:
            continue
        mine = [s for s in ev.sessions if sp.id in s.speakers and cx.starts[s.id]]
        for d in cx.days:
            bound = [s.id for s in mine if cx.forced_day(s.id) == d.date]
            if len(bound) > limit:
                yield Conflict(rule="speaker_sessions_per_day", ids=[sp.id, *bound],
                               message=f"{speaker_name(ev, sp.id)} gives at most {counted(limit, 'session')} a day, "
                                       f"but "
                                       f"{names([session_name(ev, x) for x in bound])} can only be on "
                                       f"{day_name(d.date)}: move or unpin one, or raise max_sessions_per_day.")
        days = {ev.day_of(t) for s in mine for t in cx.starts[s.id]}
        if len(mine) > limit * len(days) and not any(
                len([s for s in mine if cx.forced_day(s.id) == d.date]) > limit for d in cx.days):
            yield Conflict(rule="speaker_sessions_per_day", ids=[sp.id, *(s.id for s in mine)],
                           message=f"{speaker_name(ev, sp.id)} gives {len(mine)} sessions but at most {limit} a day, "
                                   f"over the {counted(len(days), 'day')} those sessions can use: raise "
                                   f"max_sessions_per_day, "
                                   f"or give a session to another speaker.")


CHECKS: list[Callable[[_Context], Iterator[Conflict]]] = [
    no_possible_start, fixed_overlaps, after_chains, plenary_time, language_pairs, session_staffing,
    interpreters_at_fixed_times, interpreter_minutes, speaker_days, room_packing,
]


def necessary_checks(ev: Event) -> list[Conflict]:
    """Every conflict the fast checks find; each one alone proves that no timetable exists."""
    cx = _Context(ev)
    return [c for check in CHECKS for c in check(cx)]


# --- layer 2: a minimal set of conflicting facts ------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One relaxable piece of the input: `key` says how to lift it, `text` what it says."""

    key: tuple
    rule: str
    ids: tuple[str, ...]
    text: str
    action: str


def facts_of(ev: Event) -> list[Fact]:
    """The relaxable facts of an event, the ones most worth blaming first."""
    out: list[Fact] = []
    add = lambda key, rule, ids, text, action: out.append(Fact(key, rule, tuple(ids), text, action))  # noqa: E731
    for s in ev.sessions:
        if s.pin is None:
            continue
        name = session_name(ev, s.id)
        if s.pin.day is not None:
            add(("pin", s.id, "day"), "pin_obeyed", [s.id], f"{name} is pinned to {day_name(s.pin.day)}",
                "unpin its day")
        if s.pin.start is not None:
            add(("pin", s.id, "start"), "pin_obeyed", [s.id], f"{name} is pinned to start at {s.pin.start:%H:%M}",
                "unpin or change its start")
        if s.pin.room_ids is not None:
            add(("pin", s.id, "room"), "pin_obeyed", [s.id, *s.pin.room_ids],
                f"{name} is pinned to {names([room_name(ev, r) for r in s.pin.room_ids], 10, 'or')}",
                "unpin its room")
    for s in ev.sessions:
        for a in s.after:
            add(("after", s.id, a), "after_order", [a, s.id],
                f"{session_name(ev, s.id)} must come after {session_name(ev, a)}", "drop this order")
    for kind, items, rule, namer in (("speakers", ev.speakers, "speaker_available", speaker_name),
                                     ("interpreters", ev.interpreters, "interpreter_available", interpreter_name),
                                     ("rooms", ev.rooms, "room_available", room_name)):
        for item in items:
            for j, (a, b) in enumerate(ev.periods(item.unavailable)):
                add(("unavailable", kind, item.id, j), rule, [item.id],
                    f"{namer(ev, item.id)} is unavailable {span(ev, a, b)}", "shorten or drop this unavailability")
    for sp in ev.speakers:
        if sp.max_sessions_per_day is not None:
            add(("max_sessions_per_day", sp.id), "speaker_sessions_per_day", [sp.id],
                f"{speaker_name(ev, sp.id)} gives at most {counted(sp.max_sessions_per_day, 'session')} a day",
                "raise max_sessions_per_day")
    interpreted = [s for s in ev.sessions if ev.channels(s) and s.interpretation != "none"]
    if interpreted:
        for it in ev.interpreters:
            add(("max_minutes_per_day", it.id), "interpreter_minutes_per_day", [it.id],
                f"{interpreter_name(ev, it.id)} works at most {it.max_minutes_per_day} min a day", "raise this limit")
    for r in ev.rooms:
        if any(s.attendance > r.capacity for s in ev.sessions):
            add(("capacity", r.id), "room_capacity", [r.id], f"{room_name(ev, r.id)} holds {r.capacity} people",
                "raise its capacity")
        if any(len(ev.channels(s)) > r.channels for s in interpreted):
            add(("channels", r.id), "room_channels", [r.id],
                f"{room_name(ev, r.id)} has {counted(r.channels, 'interpretation booth')}", "add booths")
        if r.max_interpreters is not None and interpreted:
            add(("max_interpreters", r.id), "room_max_interpreters", [r.id],
                f"{room_name(ev, r.id)} allows at most {r.max_interpreters} interpreters", "raise this cap")
    for s in ev.sessions:
        if s.kind == "plenary":
            add(("plenary", s.id), "plenary_alone", [s.id],
                f"{session_name(ev, s.id)} is a plenary (nothing else may run at the same time)", "make it parallel")
    for d in ev.event.days:
        if d.breaks:
            shown = names([f"{b.start:%H:%M}–{b.end:%H:%M}" for b in d.breaks])
            add(("breaks", d.date.isoformat()), "no_break_overlap", [],
                f"{day_name(d.date)} has {'a break' if len(d.breaks) == 1 else 'breaks'} {shown}",
                "shorten or move a break")
    for s in ev.sessions:
        for sp in s.speakers:
            add(("speaks", s.id, sp), "speaker_one_place", [sp, s.id],
                f"{speaker_name(ev, sp)} speaks in {session_name(ev, s.id)}", "give this session another speaker")
    for s in ev.sessions:
        if s.interpretation == "required" and ev.channels(s):
            pairs = names([f"{s.language}→{t}" for t in ev.channels(s)])
            add(("required", s.id), "required_channel_staffed", [s.id],
                f"{session_name(ev, s.id)} needs interpretation {pairs} (interpretation: required)",
                "make its interpretation optional, or find interpreters")
    if interpreted:
        rest = ev.event.interpreter_rest
        add(("rest",), "interpreter_rest", [],
            f"interpreters work at most {rest.max_continuous} min in a row without a {rest.min_break}-minute break",
            "add breaks between sessions, or more interpreters")
        if any(ev.team_size(s) > 1 for s in interpreted):
            rule = ev.event.team_size
            add(("team",), "team_size", [],
                f"sessions longer than {rule.solo_max_minutes} min need teams of {rule.team} interpreters per channel",
                "find more interpreters, or shorten sessions")
    return out


def relaxed(data: dict, lifted: list[Fact], past: Past | None = None) -> Event:
    """The event (as `model_dump(mode='json')`) with the given facts lifted, re-planned as of `past` if given
    (what has happened is no fact to lift)."""
    data = json.loads(json.dumps(data))
    sessions = {s["id"]: s for s in data["sessions"]}
    drop_periods: dict[tuple[str, str], set[int]] = defaultdict(set)
    for f in lifted:
        k = f.key
        if k[0] == "pin":
            pin = sessions[k[1]].get("pin") or {}
            pin[k[2]] = None
            if k[2] == "room":  # the one room or the choice of rooms
                pin["rooms"] = None
            sessions[k[1]]["pin"] = pin if any(v is not None for v in pin.values()) else None
        elif k[0] == "after":
            sessions[k[1]]["after"] = [a for a in sessions[k[1]]["after"] if a != k[2]]
        elif k[0] == "unavailable":
            drop_periods[(k[1], k[2])].add(k[3])
        elif k[0] == "max_sessions_per_day":
            next(x for x in data["speakers"] if x["id"] == k[1])["max_sessions_per_day"] = None
        elif k[0] == "max_minutes_per_day":
            next(x for x in data["interpreters"] if x["id"] == k[1])["max_minutes_per_day"] = 1440
        elif k[0] in ("capacity", "channels", "max_interpreters"):
            r = next(x for x in data["rooms"] if x["id"] == k[1])
            r[k[0]] = {"capacity": BIG, "channels": len(data["event"]["languages"]), "max_interpreters": None}[k[0]]
        elif k[0] == "plenary":
            sessions[k[1]]["kind"] = "parallel"
        elif k[0] == "breaks":
            next(d for d in data["event"]["days"] if d["date"] == k[1])["breaks"] = []
        elif k[0] == "speaks":
            sessions[k[1]]["speakers"] = [x for x in sessions[k[1]]["speakers"] if x != k[2]]
        elif k[0] == "required":
            sessions[k[1]]["interpretation"] = "optional"
        elif k[0] == "rest":
            data["event"]["interpreter_rest"] = {"max_continuous": 1440, "min_break": 0}
        elif k[0] == "team":
            data["event"]["team_size"] = {"solo_max_minutes": BIG, "team": 1}
        elif k[0] == "session":  # used only to find sessions that cannot all be placed at all
            data["sessions"] = [s for s in data["sessions"] if s["id"] != k[1]]
            for s in data["sessions"]:
                s["after"] = [a for a in s["after"] if a != k[1]]
            sessions.pop(k[1], None)
    for (kind, iid), drop in drop_periods.items():
        item = next(x for x in data[kind] if x["id"] == iid)
        item["unavailable"] = [p for j, p in enumerate(item["unavailable"]) if j not in drop]
    return Event.model_validate_json(json.dumps(data)).as_of(past)


def feasible(ev: Event, seconds: float, workers: int = 1) -> bool | None:
    """Whether the hard rules can all hold (True/False), or None when not decided in `seconds`, building the
    model included (7 s of the 130-session benchmark event's, which came on top of the limit)."""
    from .model import ScheduleModel
    from .search import run_solver

    started = time.perf_counter()
    sm = ScheduleModel(ev)
    sm.model.clear_objective()
    solver = new_solver(max(0.05, seconds - (time.perf_counter() - started)))
    solver.parameters.num_workers = workers
    code = run_solver(solver, sm.model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if code == cp_model.INFEASIBLE:
        return False
    return None


class _Oracle:
    """Infeasibility tests of the event with only some facts kept, cached, within a deadline.

    Each test gets at most twice the slowest proof so far, and at least `FIRST_CAP` or a twentieth of the
    time given. A test that runs out counts as "not proven infeasible" (its fact is kept), and `undecided`
    says the core may not be minimal."""

    FIRST_CAP = 1.5

    def __init__(self, data: dict, facts: list[Fact], deadline: float, workers: int, past: Past | None = None):
        self.data = data
        self.past = past
        self.facts = facts
        self.deadline = deadline
        self.workers = workers
        self.cache: dict[frozenset, bool | None] = {}
        self.calls = 0
        self.slowest = max(0.0, self.left() / 40)  # the cap starts at a twentieth of the time given
        self.undecided = False

    def left(self) -> float:
        return 0.0 if stop_requested() else self.deadline - time.perf_counter()

    def infeasible(self, kept: list[Fact]) -> bool:
        """True only when proven: the event with `kept` and every other fact lifted has no timetable."""
        key = frozenset(f.key for f in kept)
        if key not in self.cache:
            if self.left() <= 0:
                self.undecided = True
                return False
            self.calls += 1
            event = relaxed(self.data, [f for f in self.facts if f.key not in key], self.past)
            started = time.perf_counter()
            answer = feasible(event, min(self.left(), max(self.FIRST_CAP, 2 * self.slowest)), self.workers)
            if answer is not None:
                self.slowest = max(self.slowest, time.perf_counter() - started)
            else:
                self.undecided = True
            self.cache[key] = answer
        return self.cache[key] is False


def minimal_core(items: list, infeasible: Callable[[list], bool],
                 out_of_time: Callable[[], bool]) -> tuple[list, bool]:
    """A minimal subset of `items` (known infeasible together) that is still infeasible.

    Deletion filter: each item in turn is dropped when the others stay infeasible, else kept. One test per
    item, which beats binary-search variants when, as with shortages, the core holds many of the items.
    Anytime: the set returned is always proven infeasible; the flag says whether every item was tried."""
    necessary: list = []
    candidates = list(items)
    while candidates:
        if out_of_time():
            return necessary + candidates, False
        item, rest = candidates[0], candidates[1:]
        if not infeasible(necessary + rest):
            necessary.append(item)
        candidates = rest
    return necessary, True


HIRE_ID = "one-more-interpreter-into-"  # the ids of the interpreters `_with_hires` adds, with the language


def _with_hires(ev: Event) -> tuple[Event, dict[str, str]]:
    """The event with one more interpreter into each language that a required channel needs, and the id of
    each by language. Each is able to interpret into that language from every other language of the event (the
    timetable found says from which ones they work), is unavailable at no time and has the usual daily limit
    (`max_minutes_per_day` 360): what an organiser would look for when they hire one more person."""
    targets = sorted({t for s in ev.sessions if s.interpretation == "required" for t in ev.channels(s)})
    if not targets:
        return ev, {}
    data = ev.model_dump(mode="json")
    taken = {it["id"] for it in data["interpreters"]}
    spoken = sorted(set(ev.event.languages) | {s.language for s in ev.sessions})
    hired = {}
    for t in targets:
        who = HIRE_ID + t
        while who in taken:
            who += "_"
        hired[t] = who
        data["interpreters"].append({"id": who, "name": f"one more interpreter into {t}",
                                     "languages": {"A": [t], "B": [], "C": [x for x in spoken if x != t]}})
    return Event.model_validate_json(json.dumps(data)).as_of(ev.past), hired


class _Switched:
    """One model of the event in which every relaxable fact has a switch literal (`ScheduleModel.fact`),
    solved again and again under assumptions: the facts assumed hold, every other one is lifted.

    Every switch is assumed: true for the facts kept, false for the facts lifted (a lifted fact is then
    really lifted, not left to the solver). One worker and no presolve: `sufficient_assumptions_for_
    infeasibility` is then a subset of the assumptions (with presolve it may name literals that are not
    assumptions, or-tools issue #5141); a core that names anything else is ignored.

    With `hire`, for the ways to a timetable (`repairs`), the model also holds one more interpreter into each
    language some required channel needs (`_with_hires`), each absent while the switch of its fact ("hire",
    language) is true. The search for a conflict has its own model without them: they are no fact of the event,
    and on a 31-session, 25-interpreter, 8-language event they made each of its solves take twice as long."""

    def __init__(self, ev: Event, facts: list[Fact], hire: bool = False):
        from .model import ScheduleModel

        event, hired = _with_hires(ev) if hire else (ev, {})
        sm = ScheduleModel(event, switchable=[f.key for f in facts])
        self.sm = sm  # to read the timetable a solution holds (`_witness`)
        self.model = sm.model  # no objective: a model with switches has no goals
        self.switch = dict(sm.switches)  # only the facts that constrain anything have one
        self.hired: dict[tuple, str] = {}  # ("hire", language) -> the id of that one more interpreter
        for language, who in hired.items():
            options = [lit for opt, lit in sm.assign.items() if opt.interpreter == who]
            if options:
                absent = self.model.new_bool_var(f"fact[hire,{language}]")
                for lit in options:
                    self.model.add_implication(absent, lit.Not())
                self.switch[("hire", language)] = absent
                self.hired[("hire", language)] = who
        self.key_of = {lit.index: key for key, lit in self.switch.items()}
        self.solver = new_solver(0.0)  # each test sets its own time
        self.solver.parameters.num_workers = 1
        self.solver.parameters.cp_model_presolve = False
        self.solver.parameters.cp_model_probing_level = 0  # most tests are quick; probing costs each of them
        self.calls = 0

    def solve(self, keys: list[tuple], seconds: float) -> tuple[bool | None, list[tuple]]:
        """Whether the event with only the facts `keys` kept is infeasible (None: not decided in `seconds`),
        and when it is, a subset of `keys` that is infeasible too (CP-SAT's core)."""
        from .search import run_solver

        self.calls += 1
        self.model.clear_assumptions()
        kept = set(keys) | set(self.hired)  # nobody is hired unless said
        self.model.add_assumptions([lit if k in kept else lit.Not() for k, lit in self.switch.items()])
        self.solver.parameters.max_time_in_seconds = max(0.05, seconds)
        code = run_solver(self.solver, self.model)
        if code == cp_model.INFEASIBLE:
            core = set()
            for i in self.solver.sufficient_assumptions_for_infeasibility():
                if i < 0:  # a lifted fact (the negation of its switch): it stays lifted
                    continue
                if self.key_of.get(i) not in kept:
                    return True, list(keys)  # a core we cannot read: keep every fact
                core.add(self.key_of[i])
            return True, [k for k in keys if k in core]
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, []
        return None, []


def core_search(ev: Event, facts: list[Fact], switched: _Switched, deadline: float) -> tuple[list[Fact], bool] | None:
    """Layer 2 with assumption literals: CP-SAT's core of the switches of all facts, then shrunk by deletion
    (each fact of the core dropped in turn; kept when the rest is feasible), all on one model. Returns the core
    and whether it is minimal, or None when this cannot decide (the first proof timed out): the caller then
    relaxes facts by editing the event (`_Oracle`). An empty core: infeasible with every fact lifted."""
    left = lambda: deadline - time.perf_counter()  # noqa: E731
    keys = [f.key for f in facts if f.key in switched.switch]
    started = time.perf_counter()
    infeasible, core = switched.solve(keys, min(left(), max(_Oracle.FIRST_CAP, left() / 4)))
    if not infeasible:  # None: undecided; False would mean the switched model disagrees with the event
        log.info("explain: no core with assumptions (%s)", "undecided" if infeasible is None else "feasible")
        return None
    slowest = time.perf_counter() - started
    minimal = True

    def shrink(items: list[list[tuple]]) -> list[list[tuple]]:
        """Deletion filter over groups of keys: each group dropped when the others stay infeasible."""
        nonlocal slowest, minimal
        necessary: list[list[tuple]] = []
        candidates = items
        while candidates:
            if left() <= 0:
                minimal = False
                return necessary + candidates
            group, rest = candidates[0], candidates[1:]
            started = time.perf_counter()
            infeasible, smaller = switched.solve([k for g in necessary + rest for k in g],
                                                 min(left(), max(_Oracle.FIRST_CAP, 3 * slowest)))
            if infeasible is not None:
                slowest = max(slowest, time.perf_counter() - started)
            if infeasible:  # CP-SAT's new core may leave out more than `group`
                smaller = set(smaller)
                candidates = [g2 for g2 in ([k for k in g if k in smaller] for g in rest) if g2]
            else:
                necessary.append(group)
                minimal = minimal and infeasible is not None
                candidates = rest
        return necessary

    # Whole groups of facts first (all pins, all speakers' parts, ...), then the facts of those that remain.
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for k in core:
        groups[k[:2] if k[0] == "unavailable" else k[:1]].append(k)
    kept = shrink(list(groups.values()))
    if len(kept) > 1 or (kept and len(kept[0]) > 1):
        minimal = True  # a group kept for want of time is tried fact by fact now
        kept = shrink([[k] for g in kept for k in g])
    necessary = [k for g in kept for k in g]
    log.info("explain: %d facts, %d switched, core of %d, %d solves with assumptions",
             len(facts), len(keys), len(necessary), switched.calls)
    by_key = {f.key: f for f in facts}
    return [by_key[k] for k in necessary], minimal


# A way to get a timetable is weighed by the facts it changes, as an organiser would rank them: asking someone
# for more time, moving a pin or an order counts 1; what changes the event for its audience or needs equipment
# (a language dropped from a session, a plenary run in parallel, a break, a room's size or booths), and one more
# interpreter, 2; another speaker 3; the team and rest rules, which every interpreted session depends on and which
# protect the interpreters, 5, and a way that lifts one of them comes after every way that lifts neither.
LAST_RESORT = 5  # the weight of the team and rest rules: never tried alone first
REPAIR_WEIGHT = {"required": 2, "plenary": 2, "breaks": 2, "capacity": 2, "channels": 2, "max_interpreters": 2,
                 "hire": 2, "speaks": 3, "team": LAST_RESORT, "rest": LAST_RESORT}
REPAIRS = 3  # ways offered
# The ways get what is left of --time-limit after the conflicting set (no cap of their own: a longer limit gives
# them more time). One test of a set of changes (a solve of the whole event) gets at least this, twice the slowest
# test decided so far, and its share of the time left when that is more (see `repairs`).
REPAIR_TRY_SECONDS = 3.0


@dataclass(frozen=True)
class _Witness:
    """The timetable CP-SAT found with the facts of a way lifted and every other fact kept: each session's start
    and room, and each staffed channel's source and people. It breaches each fact of the way (each is needed), and
    says by how much: what a limit raised to its amount there is enough for (`_found`)."""

    placement: dict[str, tuple[int, str]]  # session -> (start minute, room)
    teams: dict[tuple[str, str], tuple[str, list[str]]]  # (session, channel) -> (source, people): staffed ones
    values: list[int] = field(default_factory=list, repr=False)  # every variable's value: a hint for `_tightened`
    least: bool = False  # the way's one limit raised, or one interpretation made optional, proven minimal there

    def works(self) -> dict[str, list[str]]:
        """Interpreter -> the sessions they work in, by start."""
        out: dict[str, list[str]] = defaultdict(list)
        for (sid, _), (_, people) in sorted(self.teams.items(), key=lambda x: self.placement[x[0][0]][0]):
            for who in people:
                if sid not in out[who]:
                    out[who].append(sid)
        return out


def _witness(sm, solver: cp_model.CpSolver) -> _Witness:
    """The timetable of a solution of the model with switches (`sm`, a ScheduleModel)."""
    people: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for opt, lit in sm.assign.items():
        if solver.boolean_value(lit):
            people[(opt.session, opt.into, opt.source)].append(opt.interpreter)
    placement, teams = {}, {}
    for sid, sv in sm.sessions.items():
        placement[sid] = (solver.value(sv.start), next(r for r, lit in sv.room.items() if solver.boolean_value(lit)))
        for (into, source), lit in sv.source.items():
            if solver.boolean_value(lit):
                teams[(sid, into)] = (source, sorted(people[(sid, into, source)]))
    return _Witness(placement, teams, list(solver.response_proto.solution))


# The facts of a way whose change a solve can make as small as a timetable allows (`_tightened`): the limits a
# way raises (to how much), the sessions whose interpretation becomes optional (how many channels stay
# unstaffed) and the unavailable periods (how much of them is used).
_AMOUNTS = ("max_minutes_per_day", "max_sessions_per_day", "capacity", "channels", "max_interpreters", "required")
_TIGHTENED = (*_AMOUNTS, "unavailable", "hire")


def _excess(model: cp_model.CpModel, sm, hired: dict[tuple, str], key: tuple,
            lifted: set[tuple]) -> cp_model.LinearExprT:
    """How much a timetable of the model with switches (`sm`, a ScheduleModel; constraints posted in `model`, a
    copy) asks of the lifted fact `key` of `_TIGHTENED`: the amount its limit must be raised to, the channels of
    its session left unstaffed, the minutes of the sessions that use its unavailable period, or the days, then the
    minutes, one more interpreter works (`hired`: their ids by fact)."""
    from .model import starts_avoiding

    ev, kind = sm.event, key[0]
    if kind == "hire":  # the days the one more interpreter works, then their minutes: a day's contract is easier
        mine = [(sid, lit) for (who, sid), lit in sm.works.items() if who == hired[key]]
        on: dict[date, cp_model.IntVar] = {}
        for sid, works in mine:  # (the model's own literals only: new ones would go into `sm`'s model, not this)
            for z, here in sm.sessions[sid].zone.items():
                day = sm.zones[z].day
                if day not in on:
                    on[day] = model.new_bool_var("")
                model.add(on[day] >= works + here - 1)
        minutes = [ev.session[sid].duration * lit for sid, lit in mine]
        # a day weighs more than all the minutes they could work (1,440 did not: 5 days of 360 min scored more
        # than 6 of 30): fewer days first, strictly
        day = 1 + sum(ev.session[sid].duration for sid, _ in mine)
        return day * sum(on.values()) + sum(minutes)
    if kind == "required":
        staffed = sm.sessions[key[1]].staffed
        return len(staffed) - sum(staffed.values())
    if kind == "unavailable":
        _, group, who, j = key
        a, b = ev.periods(getattr(ev, group[:-1])[who].unavailable)[j]
        uses = {"interpreters": {sid: lit for (x, sid), lit in sm.works.items() if x == who},
                "speakers": {s.id: 1 for s in ev.sessions if who in s.speakers and ("speaks", s.id, who) not in lifted},
                "rooms": {sid: sv.room[who] for sid, sv in sm.sessions.items() if who in sv.room}}[group]
        minutes = []
        for sid, use in uses.items():
            sv, duration = sm.sessions[sid], ev.session[sid].duration
            inside = model.new_bool_var("")  # the session overlaps the period; when it does not, its start says so
            model.add_linear_expression_in_domain(sv.start, starts_avoiding(duration, [(a, b)])).only_enforce_if(
                inside.Not())
            both = model.new_bool_var("")
            model.add(both >= use + inside - 1)
            minutes.append(duration * both)
        return sum(minutes)
    top = model.new_int_var(0, BIG, "")
    by_day: dict[date, list] = defaultdict(list)
    if kind == "max_minutes_per_day":
        for (who, sid), works in sm.works.items():
            sv = sm.sessions[sid]
            days = {sm.zones[z].day for z in sv.zone}
            for d in days if who == key[1] else ():
                on = works
                if len(days) > 1:  # works there and then
                    here = sum(lit for z, lit in sv.zone.items() if sm.zones[z].day == d)
                    on = model.new_bool_var("")
                    model.add(on >= works + here - 1)
                by_day[d].append(ev.session[sid].duration * on)
    elif kind == "max_sessions_per_day":
        for s in ev.sessions:
            if key[1] in s.speakers and ("speaks", s.id, key[1]) not in lifted:
                for z, lit in sm.sessions[s.id].zone.items():
                    by_day[sm.zones[z].day].append(lit)
    for terms in by_day.values():
        model.add(top >= sum(terms))
    for sid, sv in sm.sessions.items() if kind in ("capacity", "channels", "max_interpreters") else ():
        if key[1] in sv.room:
            size = {"capacity": ev.session[sid].attendance, "channels": sum(sv.staffed.values()),
                    "max_interpreters": sum(lit for (_, x), lit in sm.works.items() if x == sid)}[kind]
            model.add(top >= size).only_enforce_if(sv.room[key[1]])
    return top


def _tightened(switched: _Switched, plain: cp_model.CpModel, switch: dict[tuple, cp_model.IntVar],
               lifted: set[tuple], w: _Witness, seconds: float, workers: int) -> _Witness:
    """The timetable `w` found with the `lifted` facts lifted, made to change them as little as CP-SAT can within
    `seconds`, starting from `w`: the sum of what it asks of each (`_excess`: the amounts limits are raised to,
    the channels left unstaffed, the minutes of unavailable periods used) is minimised. `least` when that is
    proven for a way with one such change (other than a period: what is minimised there is the minutes of the
    sessions that overlap it, not of the overlap); `w` itself when it has none or nothing better is found."""
    from .search import run_solver

    tightened = sorted(k for k in lifted if k[0] in _TIGHTENED)
    if not tightened or seconds < 0.5:
        return w
    model = plain.clone()
    _fix_switches(model, switch, lifted)
    model.minimize(sum(_excess(model, switched.sm, switched.hired, key, lifted) for key in tightened))
    model.clear_hints()
    hint = model.proto.solution_hint  # every variable of `plain` (a loop of `add_hint` took 0.7 s per 200,000)
    hint.vars.extend(range(len(w.values)))
    hint.values.extend(w.values)
    solver = new_solver(seconds)
    solver.parameters.num_workers = workers
    code = run_solver(solver, model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return w
    found = _witness(switched.sm, solver)
    least = code == cp_model.OPTIMAL and len(tightened) == 1 and tightened[0][0] in _AMOUNTS
    return _Witness(found.placement, found.teams, found.values, least=least)


def _found(ev: Event, fact: Fact, lifted: set[tuple], w: _Witness) -> str:
    """What the timetable found with a way's changes (`lifted`) asks of one of them, to follow its action ("raise
    this limit"): the amount a limit must then be raised to, the part of a period it uses, the channels it leaves
    unstaffed, where an unpinned session goes; "" when there is nothing to tell (the team rule: lifted, every team
    is one interpreter, which says nothing of how many need to be). An amount is enough (that timetable keeps
    it), and the least when `w.least` says so."""
    k, kind = fact.key, fact.key[0]
    placed = w.placement

    def amount(value: str, evidence: str) -> str:
        told = "no less will do with this way's changes" if w.least else "enough"
        return f" to {value} ({told}: the timetable found {evidence})"

    span_of = lambda sid: (placed[sid][0], placed[sid][0] + ev.session[sid].duration)  # noqa: E731
    if kind == "max_minutes_per_day":
        per_day: dict[date, int] = defaultdict(int)
        for sid in w.works().get(k[1], []):
            per_day[ev.day_of(placed[sid][0])] += ev.session[sid].duration
        most = max(per_day.items(), key=lambda x: (x[1], -x[0].toordinal()), default=None)
        if most and most[1] > ev.interpreter[k[1]].max_minutes_per_day:
            return amount(f"{most[1]} min", f"has them work {most[1]} min on {day_name(most[0])}")
    elif kind == "max_sessions_per_day":
        per_day: dict[date, list[str]] = defaultdict(list)
        for s in ev.sessions:
            if k[1] in s.speakers and ("speaks", s.id, k[1]) not in lifted:
                per_day[ev.day_of(placed[s.id][0])].append(s.id)
        most = max(per_day.items(), key=lambda x: (len(x[1]), -x[0].toordinal()), default=None)
        if most and len(most[1]) > (ev.speaker[k[1]].max_sessions_per_day or len(most[1])):
            return amount(f"{len(most[1])}", f"gives them {counted(len(most[1]), 'session')} on {day_name(most[0])}")
    elif kind in ("capacity", "channels", "max_interpreters"):
        room = ev.room[k[1]]
        here = [sid for sid, (_, r) in placed.items() if r == room.id]
        if kind == "capacity":
            size = {sid: ev.session[sid].attendance for sid in here}
            limit, unit = room.capacity, "attendees"
        elif kind == "channels":
            size = {sid: sum(1 for (x, _) in w.teams if x == sid) for sid in here}
            limit, unit = room.channels, "channels staffed"
        else:
            size = {sid: len({who for (x, _), (_, people) in w.teams.items() if x == sid for who in people})
                    for sid in here}
            limit, unit = room.max_interpreters or 0, "interpreters"
        top = max(here, key=lambda sid: size[sid], default=None)
        if top is not None and size[top] > limit:
            return amount(f"{size[top]}", f"holds {session_name(ev, top)} there, with {size[top]} {unit}")
    elif kind == "rest":
        rule = ev.event.interpreter_rest
        longest = None  # (minutes, interpreter, start, end)
        for who, sids in sorted(w.works().items()):
            stretch = None
            for a, b in sorted(span_of(sid) for sid in sids):
                stretch = (stretch[0], max(stretch[1], b)) if stretch and a - stretch[1] < rule.min_break else (a, b)
                if longest is None or stretch[1] - stretch[0] > longest[0]:
                    longest = (stretch[1] - stretch[0], who, *stretch)
        if longest and longest[0] > rule.max_continuous:
            minutes, who, a, b = longest
            return (f" (a limit of {minutes} min in a row is enough: the timetable found has {interpreter_name(ev, who)} "
                    f"work {span(ev, a, b)} without a {rule.min_break}-minute break)")
    elif kind == "unavailable":
        _, group, who, j = k
        a, b = ev.periods(getattr(ev, group[:-1])[who].unavailable)[j]
        if group == "interpreters":
            used, verb = w.works().get(who, []), "has them work"
        elif group == "speakers":
            used = [s.id for s in ev.sessions if who in s.speakers and ("speaks", s.id, who) not in lifted]
            verb = "has them speak"
        else:
            used, verb = [sid for sid, (_, r) in placed.items() if r == who], "uses it"
        inside = sorted((max(a, x), min(b, y), sid) for sid in used for x, y in [span_of(sid)] if x < b and a < y)
        if inside:
            shown = [span(ev, x, y) if n == 0 or ev.day_of(x) != ev.day_of(inside[n - 1][0])
                     else f"{ev.local(x):%H:%M}–{ev.local(y):%H:%M}" for n, (x, y, _) in enumerate(inside)]
            parts = names(shown, 5)
            return (f" (the timetable found {verb} {parts} of it, in "
                    f"{names([session_name(ev, sid) for _, _, sid in inside], 5)})")
    elif kind == "required":
        s = ev.session[k[1]]
        bare = [f"{s.language}→{t}" for t in ev.channels(s) if (s.id, t) not in w.teams]
        if bare:
            fewest = ", and none with this way's changes leaves fewer" if w.least else ""
            return f" (the timetable found leaves {names(bare, 10)} unstaffed{fewest})"
    elif kind == "pin":
        start, rid = placed[k[1]]
        where = {"day": f"on {day_name(ev.day_of(start))}", "start": f"at {ev.local(start):%H:%M}",
                 "room": f"in {room_name(ev, rid)}"}[k[2]]
        return f" (the timetable found has it {where})"
    return ""


def _fix_switches(model: cp_model.CpModel, switch: dict[tuple, cp_model.IntVar], lifted: set[tuple]) -> None:
    """Fix each switch of `model` (a copy of the model with switches) in its domain: false for the `lifted`
    facts, true for the others. Unlike assumptions, fixed values let presolve simplify the model: on a 31-session,
    25-interpreter event a test then takes 0.1 s instead of 5 s when it has no timetable, 2.5 s instead of 6 s
    when it has one (one worker)."""
    for key, lit in switch.items():
        domain = model.proto.variables[lit.index].domain  # a new Boolean: [0, 1]
        value = 0 if key in lifted else 1
        domain[0] = domain[1] = value


def _hire_fact(language: str) -> Fact:
    """The fact that nobody but the event's interpreters works into `language`: lifted, one more does
    (`_with_hires`); its change is worded from the timetable found (`_hire`)."""
    return Fact(("hire", language), "required_channel_staffed", (), f"one more interpreter into {language}",
                "find one")


def _hires_to_try(switched: _Switched, core: list[Fact]) -> list[tuple]:
    """The hires worth trying alone: into the languages the interpreters of the conflicting set work into (their
    unavailability, their daily limits); without such interpreters, into the channels of its required sessions;
    without those either (the team or rest rule alone), into every language."""
    ev = switched.sm.event
    people = {f.key[2] for f in core if f.key[:2] == ("unavailable", "interpreters")}
    people |= {f.key[1] for f in core if f.key[0] == "max_minutes_per_day"}
    spoken = set(ev.event.languages) | {s.language for s in ev.sessions}
    into = {t for who in people for t in ev.event.languages
            if any(ev.interpreter[who].can_interpret(x, t) for x in spoken)}
    if not into:
        into = {t for f in core if f.key[0] == "required" for t in ev.channels(ev.session[f.key[1]])}
    return [k for k in switched.hired if not into or k[1] in into]


def repairs(switched: _Switched, facts: list[Fact], core: list[Fact], deadline: float,
            workers: int) -> tuple[list[tuple[list[Fact], _Witness]], bool]:
    """Up to REPAIRS ways to get a timetable, the cheapest first: sets of facts such that, with these lifted and
    every other fact kept, a timetable exists (CP-SAT found one). First each fact of the conflicting `core` alone,
    the lightest first (often one is enough); then the cheapest other ways, each next one keeping at least one
    fact of every earlier one, each shrunk to the facts it needs. Each way comes with the timetable found with
    its changes. The flag: the first way is proven the cheapest.

    Time: whatever is left until `deadline` (the end of --time-limit). The single changes get at most half of it,
    each at most its share of that half (and at least REPAIR_TRY_SECONDS, or twice the slowest test decided so
    far: a test that took 2.5 s says the next ones may too); each search for the cheapest way not found yet gets
    at most half of the time left, so that the tests that shrink the way it finds have the other half."""
    from .search import run_solver

    by_key = {f.key: f for f in facts} | {k: _hire_fact(k[1]) for k in switched.hired}
    switch = {k: lit for k, lit in switched.switch.items() if k in by_key}
    weight = lambda key: REPAIR_WEIGHT.get(key[0], 1)  # noqa: E731
    left = lambda: deadline - time.perf_counter()  # noqa: E731
    model = switched.model
    plain = model.clone()  # without the objective below: for yes-or-no questions, switches fixed (not assumed)
    plain.clear_assumptions()
    slowest = 0.0  # the longest a test took that decided (a timetable found, or proven none)

    def cap(share: float, until: float = math.inf) -> float:
        """One test's time: at least REPAIR_TRY_SECONDS and twice the slowest decided test, or `share` when that
        is more; never past `until` nor the deadline."""
        return min(left(), until - time.perf_counter(), max(REPAIR_TRY_SECONDS, 2 * slowest, share))

    def holds(lifted: set[tuple], seconds: float) -> _Witness | bool | None:
        """The timetable found with the `lifted` facts lifted and every other kept, or False when there is none
        (None: undecided)."""
        nonlocal slowest
        if seconds <= 0.05:
            return None
        _fix_switches(plain, switch, lifted)
        solver = new_solver(seconds)
        solver.parameters.num_workers = workers
        started = time.perf_counter()
        code = run_solver(solver, plain)
        answer = {cp_model.OPTIMAL: True, cp_model.FEASIBLE: True, cp_model.INFEASIBLE: False}.get(code)
        if answer is not None:
            slowest = max(slowest, time.perf_counter() - started)
        return _witness(switched.sm, solver) if answer else answer

    # A way that lifts the team or the rest rule comes after every way that does not: in the search below each
    # of those rules weighs more than all the other facts together, so that it is lifted only when nothing
    # else gives a timetable (or nothing else was found in time), and "the cheapest first" ranks ways so.
    others = sum(weight(k) for k in switch if weight(k) < LAST_RESORT)
    rank = lambda key: weight(key) + (others if weight(key) >= LAST_RESORT else 0)  # noqa: E731
    ways: list[tuple[list[tuple], _Witness]] = []
    alone = [f.key for f in core if f.key in switch and weight(f.key) < LAST_RESORT]
    alone += [k for k in _hires_to_try(switched, core) if k in switch]
    singles_end = time.perf_counter() + left() / 2
    share = left() / 2 / max(1, len(alone))
    for key in sorted(alone, key=lambda k: (weight(k), k[0] != "hire")):  # one more person before a venue change
        if len(ways) == REPAIRS or left() <= 0.05 or time.perf_counter() >= singles_end:
            break
        found = holds({key}, cap(share, singles_end))
        if found:
            ways.append(([key], found))
    cost = lambda keys: sum(map(rank, keys))  # noqa: E731
    heaviness = lambda way: cost(way[0])  # noqa: E731
    proven = bool(ways) and heaviness(ways[0]) == 1  # no way is lighter than one fact of weight 1
    lifted_cost = sum(rank(k) * lit.Not() for k, lit in switch.items())
    model.clear_assumptions()
    model.minimize(lifted_cost)
    # Implied (the conflicting set has no timetable, with nobody hired), and it guides the search.
    model.add_bool_or([switch[f.key].Not() for f in core if f.key in switch] +
                      [switch[k].Not() for k in switched.hired if k in switch])
    for way, _ in ways:
        model.add_bool_or([switch[k] for k in way])
    lightest_left_out = math.inf  # the cost of the lightest way found but not shown
    while not (len(ways) >= REPAIRS and proven) and left() > 0.05:
        # The lightest way not found yet; with REPAIRS ways found, only one lighter than the heaviest of them.
        trial = model
        if len(ways) >= REPAIRS:
            trial = model.clone()
            trial.add(lifted_cost <= max(map(heaviness, ways)) - 1)
        solver = new_solver(max(min(left(), REPAIR_TRY_SECONDS), left() / 2))  # the rest: to shrink what it finds
        solver.parameters.num_workers = workers
        code = run_solver(solver, trial)
        if code == cp_model.INFEASIBLE:  # nothing lighter than the ways found
            proven = bool(ways)
            break
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        lifted = [k for k, lit in switch.items() if not solver.boolean_value(lit)]
        if not lifted:  # the event itself would be feasible: a switch that does not switch its fact
            log.warning("explain: a timetable with every fact kept, in the model with switches")
            break
        proven = proven or code == cp_model.OPTIMAL  # the lightest of the ways not found before: now known
        witness = _witness(switched.sm, solver)
        needed = True  # every change of the way is needed (each kept in turn leaves no timetable)
        for k in sorted(lifted, key=rank, reverse=True):  # the heaviest kept first, when it can be
            if len(lifted) > 1:
                enough = holds(set(lifted) - {k}, cap(left() / (2 * len(lifted))))
                if enough:
                    lifted.remove(k)
                    witness = enough
                needed = needed and enough is not None
        model.add_bool_or([switch[k] for k in lifted])
        if needed:
            ways = sorted([*ways, (lifted, witness)], key=heaviness)[:REPAIRS]
        else:  # with changes it may not need (time ran out), it would ask the organiser too much
            lightest_left_out = min(lightest_left_out, cost(lifted))
    ways.sort(key=heaviness)
    proven = proven and bool(ways) and heaviness(ways[0]) <= lightest_left_out
    # The changes of the ways, as small as a timetable allows (`_tightened`): each way gets the time of a test,
    # or its share of what is left when that is less.
    tightenable = [i for i, (way, _) in enumerate(ways) if any(k[0] in _TIGHTENED for k in way)]
    for n, i in enumerate(tightenable):
        way, witness = ways[i]
        seconds = min(left() / (len(tightenable) - n), max(REPAIR_TRY_SECONDS, 2 * slowest))
        ways[i] = (way, _tightened(switched, plain, switch, set(way), witness, seconds, workers))
    log.info("explain: %d ways to a timetable (the first %s)", len(ways), "proven cheapest" if proven else "found")
    return [([by_key[k] for k in way], witness) for way, witness in ways], proven


def search_core(ev: Event, deadline: float, workers: int) -> Explanation:
    """Layer 2 on an event known to be infeasible: a minimal set of facts that conflict, and when that set was
    found on the model with switches, the fewest changes that leave a timetable."""
    facts = facts_of(ev)
    if facts:
        switched = _Switched(ev, facts)
        found = core_search(ev, facts, switched, deadline)
        if found is not None:
            core, minimal = found
            if not core:
                conflicts, minimal = _unplaceable(ev, facts, deadline, workers)
                return Explanation(status="infeasible", conflicts=conflicts, minimal=minimal)
            order = {f.key: i for i, f in enumerate(facts)}
            given = max(0.0, deadline - time.perf_counter())
            if given > 1:  # the same, with one more interpreter into each language
                del switched  # first: 550 MB on the 130-session benchmark event
                switched = _Switched(ev, facts, hire=True)
            ways, fewest = repairs(switched, facts, core, deadline, workers)
            return Explanation(status="infeasible", conflicts=_describe(ev, sorted(core, key=lambda f: order[f.key])),
                               minimal=minimal, fewest=fewest, ways_searched=True, ways_seconds=round(given, 1),
                               repairs=[
                                   _change(ev, f, n, {g.key for g in way}, witness, switched.hired)
                                   for n, (way, witness) in enumerate(ways, 1)
                                   for f in sorted(way, key=lambda f: order.get(f.key, len(order)))])
    conflicts, minimal = relaxed_core(ev, facts, deadline, workers)
    return Explanation(status="infeasible", conflicts=conflicts, minimal=minimal)


def relaxed_core(ev: Event, facts: list[Fact], deadline: float, workers: int) -> tuple[list[Conflict], bool]:
    """Layer 2 by editing copies of the event (`_Oracle`), when the model with switches cannot decide."""
    oracle = _Oracle(ev.model_dump(mode="json"), facts, deadline, workers, ev.past)
    if not facts or oracle.infeasible([]):
        return _unplaceable(ev, facts, deadline, workers)
    if oracle.left() <= 0:
        return [], False
    out_of_time = lambda: oracle.left() <= 0  # noqa: E731
    # First whole groups of facts (all pins, all daily limits of interpreters, ...), then the facts of the
    # groups that conflict: far fewer solves than fact by fact when the conflict is a count (many facts).
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        groups[f.key[:2] if f.key[0] == "unavailable" else f.key[:1]].append(f)
    flat = lambda gs: [f for g in gs for f in g]  # noqa: E731
    kept, minimal = minimal_core(list(groups.values()), lambda gs: oracle.infeasible(flat(gs)), out_of_time)
    if minimal:
        core, minimal = minimal_core(flat(kept), oracle.infeasible, out_of_time)
    elif len(kept) == len(groups):
        return [], False  # nothing isolated in time: better say so than list every fact of the event
    else:
        core = flat(kept)
    minimal = minimal and not oracle.undecided
    log.info("explain: %d facts, %d in the core, %d solves", len(facts), len(core), oracle.calls)
    order = {f.key: i for i, f in enumerate(facts)}
    return _describe(ev, sorted(core, key=lambda f: order[f.key])), minimal


def _describe(ev: Event, core: list[Fact]) -> list[Conflict]:
    """One conflict per group of facts of the core (all daily limits together, all required sessions, ...)."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in core:
        if f.key[0] == "speaks":
            groups[("speaks", f.key[2])].append(f)
        else:
            groups[f.key[:2] if f.key[0] in ("unavailable", "pin") else f.key[:1]].append(f)
    out = []
    for key, facts in groups.items():
        ids = list(dict.fromkeys(i for f in facts for i in f.ids))
        first = facts[0]
        if len(facts) == 1:
            message = f"{first.text}: {first.action}."
        elif key[0] == "required":
            shown = []
            for f in facts:
                s = ev.session[f.key[1]]
                shown.append(f"{session_name(ev, s.id)} ({', '.join(f'{s.language}→{t}' for t in ev.channels(s))})")
            message = (f"{len(facts)} sessions need interpretation (interpretation: required): {names(shown, 20)}: "
                       f"make the interpretation of one of them optional, or find interpreters.")
        elif key[0] == "max_minutes_per_day":
            shown = [f"{interpreter_name(ev, f.key[1])} {ev.interpreter[f.key[1]].max_minutes_per_day} min"
                     for f in facts]
            message = f"daily limits of the interpreters (max_minutes_per_day): {names(shown, 20)}: raise one of them."
        elif key[0] == "speaks":
            message = (f"{speaker_name(ev, key[1])} speaks in "
                       f"{names([session_name(ev, f.key[1]) for f in facts], 20)}: give one of these sessions "
                       f"another speaker.")
        elif key[0] == "pin":
            parts = {"day": "day", "start": "start", "room": "room"}
            message = (f"{session_name(ev, key[1])} is pinned ("
                       + ", ".join(f.text.split(" is pinned ", 1)[1] for f in facts)
                       + f"): unpin its {' or '.join(parts[f.key[2]] for f in facts)}.")
        else:
            message = "; ".join(f.text for f in facts) + f": {first.action} (one of them)."
        out.append(Conflict(rule=first.rule, ids=ids, found_by="search", message=message))
    return out


def _change(ev: Event, fact: Fact, option: int, lifted: set[tuple], witness: _Witness,
            hired: dict[tuple, str]) -> Conflict:
    """One change of the `option`-th way to get a timetable (whose facts are `lifted`): every fact of a way must
    change, so each is said alone (no "one of them"), with what the timetable found with them asks of it
    (`hired`: the ids of the interpreters one more of whom may be found, by fact)."""
    if fact.key[0] == "hire":
        return _hire(ev, fact.key[1], hired[fact.key], option, witness)
    return Conflict(rule=fact.rule, ids=list(fact.ids), message=f"{fact.text}: {fact.action}"
                    f"{_found(ev, fact, lifted, witness)}.", found_by="repair", option=option)


def _hire(ev: Event, language: str, who: str, option: int, w: _Witness) -> Conflict:
    """The change "find one more interpreter into `language`" (`who`, as `_with_hires` added them): from which
    languages, and when they must be free, as the timetable found with them has them work."""
    worked = sorted(((w.placement[sid][0], sid, into, source) for (sid, into), (source, people) in w.teams.items()
                     if who in people), key=lambda x: x[0])
    spans: list[list[int]] = []
    for start, sid, _, _ in worked:
        end = start + ev.session[sid].duration
        if spans and ev.day_of(start) == ev.day_of(spans[-1][0]) and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    shown = [span(ev, a, b) if n == 0 or ev.day_of(a) != ev.day_of(spans[n - 1][0])
             else f"{ev.local(a):%H:%M}–{ev.local(b):%H:%M}" for n, (a, b) in enumerate(spans)]
    sources = sorted({source for *_, source in worked})
    sessions = [f"{session_name(ev, sid)} ({source}→{into})" for _, sid, into, source in worked]
    message = (f"one more interpreter into {language}: find one"
               + (f" who interprets from {names(sources, 10, 'or')} into {language}, free {names(shown, 10)}"
                  f" (the timetable found has them interpret {names(sessions, 5)})" if worked else "")
               + ".")
    return Conflict(rule="required_channel_staffed", ids=list(dict.fromkeys(sid for _, sid, _, _ in worked)),
                    message=message, found_by="repair", option=option)


def _unplaceable(ev: Event, facts: list[Fact], deadline: float, workers: int) -> tuple[list[Conflict], bool]:
    """Even with every fact lifted there is no timetable: find sessions that cannot all be placed."""
    data = relaxed(ev.model_dump(mode="json"), facts).model_dump(mode="json")
    drop = [Fact(("session", s.id), "session_scheduled_once", (s.id,), "", "") for s in ev.sessions]
    oracle = _Oracle(data, drop, deadline, workers, ev.past)
    core, minimal = minimal_core(drop, oracle.infeasible, lambda: oracle.left() <= 0)
    minimal = minimal and not oracle.undecided
    sids = [f.ids[0] for f in core]
    minutes = sum(ev.session[x].duration for x in sids)
    rooms = len(ev.rooms)
    left = "" if ev.past is None else f" from {ev.past.label} on (the re-plan's --now)"
    message = (f"{names([session_name(ev, x) for x in sids], 10)} ({_hours(minutes)} in all) cannot all be placed "
               f"in the {counted(rooms, 'room')} within the days' windows{left}, even with every pin, order, break, "
               f"unavailability, limit and required interpretation lifted: add a room or a day, lengthen a day, or "
               f"drop or shorten a session.")
    return [Conflict(rule="inside_day", ids=sids, found_by="search", message=message)], minimal


# --- the whole explanation ----------------------------------------------------------------------------


def explain(ev: Event, *, time_limit: float = 60.0, workers: int | None = None,
            known_infeasible: bool = False) -> Explanation:
    """Explain why `ev` has no timetable (or say that it has one) within about `time_limit` seconds."""
    started = time.perf_counter()
    deadline = started + time_limit
    workers = min(2, workers or os.cpu_count() or 1)

    def done(status: str, conflicts: list[Conflict] = (), minimal: bool = True) -> Explanation:
        return Explanation(status=status, conflicts=list(conflicts), minimal=minimal,
                           seconds=round(time.perf_counter() - started, 3))

    conflicts = necessary_checks(ev)
    if conflicts:
        return done("infeasible", conflicts)
    if not known_infeasible:
        answer = (feasible if searchable(ev) else solved)(ev, deadline - time.perf_counter(), workers)
        if answer is None:
            return done("unknown")
        if answer:
            return done("feasible")
    if not searchable(ev):
        why = done("infeasible", minimal=False)
        return why.model_copy(update={"note": (
            f"No timetable exists (proven by the solver), but the event is too large for the search for a "
            f"smaller conflict ({len(ev.sessions)} sessions x {len(ev.interpreters)} interpreters, more than "
            f"{SEARCH_LIMIT:,}) and the quick checks found none: look at what the event asks of its busiest "
            f"rooms, days and language pairs, or explain a part of it (a day, a language).")})
    found = search_core(ev, deadline, workers)
    return found.model_copy(update={"seconds": round(time.perf_counter() - started, 3)})


# The search layer builds the exact model with a switch per fact: 7 s and 550 MB for the 130-session,
# 106-interpreter benchmark event; the 560-session, 516-interpreter one passed 24 GB before it was killed. Above
# this many sessions x interpreters, `solve` (its decomposition) says whether a timetable exists, and no conflict
# is searched for.
SEARCH_LIMIT = 20_000


def searchable(ev: Event) -> bool:
    """Whether the event is small enough for the exact model of the search layer (SEARCH_LIMIT)."""
    return ev.size() <= SEARCH_LIMIT


def solved(ev: Event, seconds: float, workers: int = 1) -> bool | None:
    """Whether a timetable exists (True/False), or None when not decided in `seconds`, by `solve`: it may use
    the whole time to improve a timetable it found at once."""
    from .solve import solve

    status = solve(ev, time_limit=max(0.05, seconds), workers=workers).status
    return {"optimal": True, "feasible": True, "infeasible": False}.get(status)


def render_text(ev: Event, explanation: Explanation) -> str:
    """The explanation for people: one line per conflict, with what to change."""
    x = explanation
    if x.status == "feasible":
        return ("The event is feasible: a timetable obeying every hard rule exists. Soft costs (unstaffed "
                "optional channels, sessions outside preferred windows, relays, ...) are itemised by "
                "`scheduler solve` in the timetable's `costs`.\n")
    if x.status == "unknown":
        return (f"Could not decide within {x.seconds:g} s whether a timetable exists and no conflict was found "
                f"by the quick checks; try a longer --time-limit.\n")
    lines = []
    checks = [c for c in x.conflicts if c.found_by == "check"]
    found = [c for c in x.conflicts if c.found_by == "search"]
    if checks:
        lines.append(f"No timetable exists. {counted(len(checks), 'conflict')}, each enough on its own to prevent one:")
        lines += [f"  - {c}" for c in checks]
    if found:
        if len(found) == 1:
            lines.append("No timetable exists, because of this fact:")
        else:
            lines.append("No timetable exists: the facts below cannot all hold together"
                         + (" (a minimal set: each one is needed for the conflict)" if x.minimal else
                            " (not shrunk further within the time limit)")
                         + "; change at least one:")
        lines += [f"  - {c}" for c in found]
    if x.repairs:
        lines.append("Ways to get a timetable, each enough with the rest of the event as it is (a timetable was found "
                     "with its changes) and needing each of its changes, " + (
                         "the cheapest first:" if x.fewest else "the cheapest found within the time limit first:"))
        for option, changes in groupby(x.repairs, key=lambda c: c.option):
            changes = list(changes)
            lines.append(f"  {option}. " + (str(changes[0]) if len(changes) == 1 else
                                            "both of:" if len(changes) == 2 else f"all {len(changes)} of:"))
            if len(changes) > 1:
                lines += [f"     - {c}" for c in changes]
    elif x.ways_searched:
        lines.append(f"No set of changes was proven enough for a timetable in the {x.ways_seconds:g} s left of the "
                     f"time limit after the conflict was found (each test takes a solve of the whole event); a longer "
                     f"--time-limit gives them more time.")
    if not x.conflicts:
        lines.append(x.note or "No timetable exists (proven by the solver), but no smaller conflict was isolated "
                               "within the time limit; try a longer --time-limit.")
    changes = clock_change_spans(ev, [ev.day_window(d) for d in ev.event.days])
    if changes:  # times the rules above did not name, which no session may use
        lines.append(f"Note: the clocks of {ev.event.timezone} change during the event, and no session may run "
                     f"{names([span(ev, max(a, 0), b) for a, b in changes], 10)} (see README, Times).")
    return "\n".join(lines) + "\n"
