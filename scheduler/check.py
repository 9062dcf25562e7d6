"""The independent checker: every hard rule of the contract verified on a timetable, without any solver.

One function per rule, named as in `rules.HARD_RULES`; each yields a `Breach` per violation with the ids
involved. This module is the specification that the solver is tested against, so it favours plain loops
over cleverness.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import combinations

from pydantic import BaseModel

from .english import counted
from .event import DaySchedule, Event, Session
from .rules import HARD_RULES
from .timetable import Channel, Placement, Timetable


class Breach(BaseModel):
    """One violation of a hard rule, naming the ids involved."""

    rule: str
    ids: list[str]
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True)
class Placed:
    """A placement with its session and its times in event minutes."""

    placement: Placement
    session: Session
    start: int
    end: int

    @property
    def id(self) -> str:
        return self.session.id

    def overlaps(self, other: Placed) -> bool:
        return self.start < other.end and other.start < self.end

    def overlaps_span(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def staffed(self) -> list[Channel]:
        return [c for c in self.placement.channels if c.interpreters]


class Context:
    """The event and timetable a check runs on, with the lookups every rule needs."""

    def __init__(self, event: Event, timetable: Timetable):
        self.event = event
        self.timetable = timetable

    @cached_property
    def placed(self) -> list[Placed]:
        """The placements of the event's sessions, each session once (its first placement: the others are
        breaches of session_scheduled_once, and a session listed 400 times made the pairwise rules run for
        minutes on what is one mistake)."""
        out, seen = [], set()
        for p in self.timetable.sessions:
            session = self.event.session.get(p.session)
            if session is not None and p.session not in seen:
                seen.add(p.session)
                out.append(Placed(p, session, self.event.minute(p.start), self.event.minute(p.end)))
        return out

    @cached_property
    def days(self) -> dict[date, DaySchedule]:
        return {d.date: d for d in self.event.event.days}

    def day_of(self, placed: Placed) -> date:
        return self.event.day_of(placed.start)

    def clock(self, minute: int) -> str:
        return self.event.local(minute).strftime("%Y-%m-%d %H:%M")

    def when(self, placed: Placed) -> str:
        return f"{self.clock(placed.start)}-{self.event.local(placed.end):%H:%M}"

    @cached_property
    def assignments(self) -> dict[str, list[tuple[Placed, Channel]]]:
        """Each interpreter's (session, channel) assignments, sorted by start."""
        out: dict[str, list[tuple[Placed, Channel]]] = defaultdict(list)
        for pl in self.placed:
            for ch in pl.placement.channels:
                for who in ch.interpreters:
                    out[who].append((pl, ch))
        for items in out.values():
            items.sort(key=lambda pc: (pc[0].start, pc[0].end))
        return out


Rule = Callable[[Context], Iterator[Breach]]


def _breach(rule: Callable, ids: list[str], message: str) -> Breach:
    return Breach(rule=rule.__name__, ids=ids, message=message)


# --- sessions, days and rooms ---------------------------------------------------------------------------


def session_scheduled_once(ctx: Context) -> Iterator[Breach]:
    """Every session of the event appears exactly once in the timetable."""
    count: dict[str, int] = defaultdict(int)
    for p in ctx.timetable.sessions:
        count[p.session] += 1
    for s in ctx.event.sessions:
        if count[s.id] == 0:
            yield _breach(session_scheduled_once, [s.id], f"session {s.id} is not scheduled")
        elif count[s.id] > 1:
            yield _breach(session_scheduled_once, [s.id], f"session {s.id} is scheduled {count[s.id]} times")
    for sid in sorted(set(count) - set(ctx.event.session)):
        yield _breach(session_scheduled_once, [sid], f"session {sid} is in the timetable but not in the event")


def session_timing(ctx: Context) -> Iterator[Breach]:
    """A session lasts its duration and starts on the slot grid."""
    slot = ctx.event.event.slot_minutes
    for pl in ctx.placed:
        # Event minutes drop seconds, so a start like 10:00:30 would otherwise pass as 10:00.
        if any(t.second or t.microsecond for t in (pl.placement.start, pl.placement.end)):
            yield _breach(session_timing, [pl.id], f"session {pl.id} starts or ends between minutes "
                          f"({pl.placement.start.isoformat()} to {pl.placement.end.isoformat()})")
        real = pl.placement.minutes
        if pl.end - pl.start != pl.session.duration or real != pl.session.duration:
            # Both: a session across a clock change may last its duration on the clock or in fact, not both.
            if real == pl.end - pl.start:
                why = f"lasts {real} minutes, not its {pl.session.duration}"
            else:
                why = (f"lasts {real} minutes, {pl.end - pl.start} on the clocks of {ctx.event.event.timezone} "
                       f"(across a clock change): it must last its {pl.session.duration} on both")
            yield _breach(session_timing, [pl.id], f"session {pl.id} {why}")
        if pl.start % slot:
            yield _breach(session_timing, [pl.id], f"session {pl.id} starts at {ctx.clock(pl.start)}, "
                          f"off the {slot}-minute grid")


def inside_day(ctx: Context) -> Iterator[Breach]:
    """A session lies inside the window of one of the event's days."""
    for pl in ctx.placed:
        day = ctx.days.get(ctx.day_of(pl))
        if day is None:
            yield _breach(inside_day, [pl.id], f"session {pl.id} ({ctx.when(pl)}) is not on a day of the event")
            continue
        start, end = ctx.event.day_window(day)
        if pl.start < start or pl.end > end:
            yield _breach(inside_day, [pl.id], f"session {pl.id} ({ctx.when(pl)}) is outside the day's hours "
                          f"{day.start:%H:%M}-{day.end:%H:%M}")


def no_break_overlap(ctx: Context) -> Iterator[Breach]:
    """A session overlaps no break of its day."""
    for pl in ctx.placed:
        for day in ctx.event.event.days:
            for b_start, b_end in ctx.event.day_breaks(day):
                if pl.overlaps_span(b_start, b_end):
                    yield _breach(no_break_overlap, [pl.id], f"session {pl.id} ({ctx.when(pl)}) overlaps the break "
                                  f"{ctx.clock(b_start)}-{ctx.event.local(b_end):%H:%M}")


def room_available(ctx: Context) -> Iterator[Breach]:
    """A session overlaps no unavailable period of its room."""
    for pl in ctx.placed:
        room = ctx.event.room[pl.placement.room]
        for start, end in ctx.event.periods(room.unavailable):
            if pl.overlaps_span(start, end):
                yield _breach(room_available, [pl.id, room.id], f"session {pl.id} ({ctx.when(pl)}) is in room "
                              f"{room.id} while it is unavailable ({ctx.clock(start)} to {ctx.clock(end)})")


def room_one_session_at_a_time(ctx: Context) -> Iterator[Breach]:
    """A room holds one session at a time."""
    for a, b in combinations(ctx.placed, 2):
        if a.placement.room == b.placement.room and a.overlaps(b):
            yield _breach(room_one_session_at_a_time, [a.id, b.id, a.placement.room],
                          f"sessions {a.id} ({ctx.when(a)}) and {b.id} ({ctx.when(b)}) share room {a.placement.room}")


def room_capacity(ctx: Context) -> Iterator[Breach]:
    """A session's attendance fits its room's capacity."""
    for pl in ctx.placed:
        room = ctx.event.room[pl.placement.room]
        if pl.session.attendance > room.capacity:
            yield _breach(room_capacity, [pl.id, room.id], f"session {pl.id} expects {pl.session.attendance} people; "
                          f"room {room.id} holds {room.capacity}")


def plenary_alone(ctx: Context) -> Iterator[Breach]:
    """A plenary session overlaps no other session."""
    for a, b in combinations(ctx.placed, 2):
        if (a.session.kind == "plenary" or b.session.kind == "plenary") and a.overlaps(b):
            plenary, other = (a, b) if a.session.kind == "plenary" else (b, a)
            yield _breach(plenary_alone, [plenary.id, other.id],
                          f"plenary {plenary.id} ({ctx.when(plenary)}) overlaps session {other.id} ({ctx.when(other)})")


# --- speakers and order ---------------------------------------------------------------------------------


def speaker_one_place(ctx: Context) -> Iterator[Breach]:
    """A speaker is in one session at a time."""
    for a, b in combinations(ctx.placed, 2):
        for sp in sorted(set(a.session.speakers) & set(b.session.speakers)):
            if a.overlaps(b):
                yield _breach(speaker_one_place, [sp, a.id, b.id],
                              f"speaker {sp} is in sessions {a.id} ({ctx.when(a)}) and {b.id} ({ctx.when(b)}) at once")


def speaker_available(ctx: Context) -> Iterator[Breach]:
    """A speaker is never scheduled in one of their unavailable periods."""
    for pl in ctx.placed:
        for sp in pl.session.speakers:
            for start, end in ctx.event.periods(ctx.event.speaker[sp].unavailable):
                if pl.overlaps_span(start, end):
                    yield _breach(speaker_available, [sp, pl.id], f"speaker {sp} is unavailable from {ctx.clock(start)} "
                                  f"to {ctx.clock(end)} but gives session {pl.id} ({ctx.when(pl)})")


def speaker_sessions_per_day(ctx: Context) -> Iterator[Breach]:
    """A speaker gives at most max_sessions_per_day sessions a day."""
    per_day: dict[tuple[str, date], list[str]] = defaultdict(list)
    for pl in ctx.placed:
        for sp in pl.session.speakers:
            per_day[(sp, ctx.day_of(pl))].append(pl.id)
    for (sp, day), sessions in sorted(per_day.items()):
        limit = ctx.event.speaker[sp].max_sessions_per_day
        if limit is not None and len(sessions) > limit:
            yield _breach(speaker_sessions_per_day, [sp, *sessions],
                          f"speaker {sp} gives {len(sessions)} sessions on {day} ({', '.join(sessions)}); at most {limit}")


def after_order(ctx: Context) -> Iterator[Breach]:
    """A session starts no earlier than the end of every session it comes after."""
    by_id = {pl.id: pl for pl in ctx.placed}
    for pl in ctx.placed:
        for before in pl.session.after:
            other = by_id.get(before)
            if other is not None and other.end > pl.start:
                yield _breach(after_order, [before, pl.id], f"session {pl.id} ({ctx.when(pl)}) must come after "
                              f"{before}, which ends at {ctx.clock(other.end)}")


def pin_obeyed(ctx: Context) -> Iterator[Breach]:
    """A pinned session is on its pinned day, at its pinned start, in its pinned room (or rooms)."""
    for pl in ctx.placed:
        pin = pl.session.pin
        if pin is None:
            continue
        if pin.day is not None and ctx.day_of(pl) != pin.day:
            yield _breach(pin_obeyed, [pl.id], f"session {pl.id} is pinned to {pin.day} but is on {ctx.day_of(pl)}")
        if pin.start is not None and ctx.event.local(pl.start).time() != pin.start:
            yield _breach(pin_obeyed, [pl.id], f"session {pl.id} is pinned to start at {pin.start:%H:%M} "
                          f"but starts at {ctx.event.local(pl.start):%H:%M}")
        if pin.room_ids is not None and pl.placement.room not in pin.room_ids:
            where = f"room {pin.room}" if pin.room is not None else f"one of the rooms {', '.join(pin.room_ids)}"
            yield _breach(pin_obeyed, [pl.id, *pin.room_ids], f"session {pl.id} is pinned to {where} "
                          f"but is in {pl.placement.room}")


# --- interpretation -------------------------------------------------------------------------------------


def channels_listed(ctx: Context) -> Iterator[Breach]:
    """Each audience language other than the floor language is listed once as a channel (none for 'none')."""
    for pl in ctx.placed:
        expected = ctx.event.channels(pl.session)
        listed = [c.into for c in pl.placement.channels]
        for lang in sorted(set(listed)):
            if listed.count(lang) > 1:
                yield _breach(channels_listed, [pl.id], f"session {pl.id} lists the {lang} channel {listed.count(lang)} times")
            if lang not in expected:
                why = ("its interpretation is 'none'" if pl.session.interpretation == "none"
                       else f"{lang} is its floor language or not an audience language")
                yield _breach(channels_listed, [pl.id], f"session {pl.id} has a {lang} channel but {why}")
        for lang in expected:
            if lang not in listed:
                yield _breach(channels_listed, [pl.id], f"session {pl.id} does not list its {lang} channel")


def required_channel_staffed(ctx: Context) -> Iterator[Breach]:
    """Every channel of a session whose interpretation is 'required' is staffed."""
    for pl in ctx.placed:
        if pl.session.interpretation != "required":
            continue
        # The channels are the session's audience languages, listed or not; a listed channel that is not
        # one of them is a channels_listed breach, not an unstaffed channel.
        staffed = {c.into for c in pl.staffed()}
        for lang in ctx.event.channels(pl.session):
            if lang not in staffed:
                yield _breach(required_channel_staffed, [pl.id],
                              f"session {pl.id} requires interpretation but its {lang} channel has no interpreter")


def room_channels(ctx: Context) -> Iterator[Breach]:
    """A session has at most as many staffed channels as its room has booths (channels)."""
    for pl in ctx.placed:
        room = ctx.event.room[pl.placement.room]
        staffed = len(pl.staffed())
        if staffed > room.channels:
            yield _breach(room_channels, [pl.id, room.id], f"session {pl.id} staffs {counted(staffed, 'channel')}; "
                          f"room {room.id} has {counted(room.channels, 'booth')}")


def room_max_interpreters(ctx: Context) -> Iterator[Breach]:
    """A session has at most its room's max_interpreters interpreters."""
    for pl in ctx.placed:
        room = ctx.event.room[pl.placement.room]
        people = {who for ch in pl.placement.channels for who in ch.interpreters}
        if room.max_interpreters is not None and len(people) > room.max_interpreters:
            yield _breach(room_max_interpreters, [pl.id, room.id], f"session {pl.id} has {len(people)} interpreters; "
                          f"room {room.id} allows {room.max_interpreters}")


def team_size(ctx: Context) -> Iterator[Breach]:
    """A staffed channel has at least team_size(duration) interpreters."""
    for pl in ctx.placed:
        need = ctx.event.team_size(pl.session)
        for ch in pl.staffed():
            if len(set(ch.interpreters)) < need:
                yield _breach(team_size, [pl.id, *ch.interpreters],
                              f"the {ch.into} channel of session {pl.id} ({pl.session.duration} minutes) has "
                              f"{counted(len(set(ch.interpreters)), 'interpreter')}; it needs {need}")


def channel_source(ctx: Context) -> Iterator[Breach]:
    """A channel listens to the floor directly, or relays a pivot channel of the same session staffed directly."""
    for pl in ctx.placed:
        floor = pl.session.language
        direct = {c.into for c in pl.staffed() if c.via is None and c.from_ == floor}
        for ch in pl.staffed():
            if ch.via is None and ch.from_ != floor:
                yield _breach(channel_source, [pl.id], f"the {ch.into} channel of session {pl.id} listens to "
                              f"{ch.from_}, but the floor speaks {floor} and no pivot ('via') is named")
            elif ch.via is not None and ch.from_ != ch.via:
                yield _breach(channel_source, [pl.id], f"the {ch.into} channel of session {pl.id} relays "
                              f"via {ch.via} but says it listens to {ch.from_}")
            elif ch.via is not None and ch.via not in direct:
                yield _breach(channel_source, [pl.id], f"the {ch.into} channel of session {pl.id} relays via "
                              f"{ch.via}, which is not a channel of that session staffed directly from {floor}")


def interpreter_competence(ctx: Context) -> Iterator[Breach]:
    """Every member of a team can interpret from the channel's source into its language."""
    for pl in ctx.placed:
        for ch in pl.staffed():
            for who in ch.interpreters:
                if not ctx.event.interpreter[who].can_interpret(ch.from_, ch.into):
                    yield _breach(interpreter_competence, [who, pl.id],
                                  f"interpreter {who} cannot interpret {ch.from_}->{ch.into} (session {pl.id})")


def interpreter_one_place(ctx: Context) -> Iterator[Breach]:
    """An interpreter is in one channel of one session at a time."""
    for who, items in sorted(ctx.assignments.items()):
        for (a, ca), (b, cb) in combinations(items, 2):
            if a is b:
                yield _breach(interpreter_one_place, [who, a.id],
                              f"interpreter {who} is in two channels ({ca.into}, {cb.into}) of session {a.id}")
            elif a.overlaps(b):
                yield _breach(interpreter_one_place, [who, a.id, b.id], f"interpreter {who} is in sessions "
                              f"{a.id} ({ctx.when(a)}) and {b.id} ({ctx.when(b)}) at once")


def interpreter_available(ctx: Context) -> Iterator[Breach]:
    """An interpreter is never assigned in one of their unavailable periods."""
    for who, items in sorted(ctx.assignments.items()):
        for start, end in ctx.event.periods(ctx.event.interpreter[who].unavailable):
            for pl, _ in items:
                if pl.overlaps_span(start, end):
                    yield _breach(interpreter_available, [who, pl.id], f"interpreter {who} is unavailable from "
                                  f"{ctx.clock(start)} to {ctx.clock(end)} but works in session {pl.id}")


def interpreter_minutes_per_day(ctx: Context) -> Iterator[Breach]:
    """An interpreter works at most max_minutes_per_day minutes of sessions a day."""
    for who, items in sorted(ctx.assignments.items()):
        per_day: dict[date, int] = defaultdict(int)
        for pl, _ in items:
            per_day[ctx.day_of(pl)] += pl.end - pl.start
        limit = ctx.event.interpreter[who].max_minutes_per_day
        for day, minutes in sorted(per_day.items()):
            if minutes > limit:
                yield _breach(interpreter_minutes_per_day, [who], f"interpreter {who} works {minutes} minutes "
                              f"on {day}; at most {limit}")


def interpreter_rest(ctx: Context) -> Iterator[Breach]:
    """An interpreter works at most max_continuous minutes in a row without a break of min_break minutes."""
    rest = ctx.event.event.interpreter_rest

    def real(moment) -> int:  # minutes as they pass, not as the clock shows them (which may skip an hour)
        return int(moment.timestamp() // 60)

    for who, items in sorted(ctx.assignments.items()):
        starts = {pl.id: pl.start for pl, _ in items}
        spans = sorted((real(pl.placement.start), real(pl.placement.end), pl.id) for pl, _ in items)
        for stretch in work_stretches(spans, rest.min_break):
            length = max(end for _, end, _ in stretch) - stretch[0][0]
            if length > rest.max_continuous:
                ids = [sid for _, _, sid in stretch]
                yield _breach(interpreter_rest, [who, *ids], f"interpreter {who} works {length} minutes in a row "
                              f"from {ctx.clock(starts[ids[0]])} ({', '.join(ids)}) with no {rest.min_break}-minute "
                              f"break; at most {rest.max_continuous}")


def keeps_rest(spans: list[tuple[int, int, str]], rest) -> bool:
    """Whether (start, end, id) spans sorted by start work no stretch longer than the `rest` rule allows."""
    return all(max(end for _, end, _ in stretch) - stretch[0][0] <= rest.max_continuous
               for stretch in work_stretches(spans, rest.min_break))


def workable(spans: list[tuple[int, int, str]], limit: int, rest) -> bool:
    """Whether one interpreter can work (start, end, id) spans sorted by start in one day: none overlap, at most
    `limit` minutes in all, and the `rest` rule kept."""
    return (all(a[1] <= b[0] for a, b in zip(spans, spans[1:])) and sum(b - a for a, b, _ in spans) <= limit
            and keeps_rest(spans, rest))


def work_stretches(spans: list[tuple[int, int, str]], min_break: int) -> list[list[tuple[int, int, str]]]:
    """Group (start, end, id) spans sorted by start: spans less than `min_break` apart share a stretch."""
    stretches: list[list[tuple[int, int, str]]] = []
    reach = None
    for span in spans:
        if reach is not None and span[0] - reach < min_break:
            stretches[-1].append(span)
            reach = max(reach, span[1])
        else:
            stretches.append([span])
            reach = span[1]
    return stretches


# --- re-planning during the event -----------------------------------------------------------------------


def past_kept(ctx: Context) -> Iterator[Breach]:
    """When re-planning during the event (--now), a session begun before now keeps its day, start, room and teams
    as in the old timetable."""
    past = ctx.event.past
    if past is None:
        return
    for pl in ctx.placed:
        old = past.kept.get(pl.id)
        if old is None:
            continue
        if ctx.event.minute(old.start) != pl.start or old.room != pl.placement.room:
            yield _breach(past_kept, [pl.id], f"session {pl.id} began before {past.label} at "
                          f"{ctx.clock(ctx.event.minute(old.start))} in {old.room}, but is now at {ctx.when(pl)} "
                          f"in {pl.placement.room}")
        then = {c.into: c for c in old.channels if c.interpreters}
        now = {c.into: c for c in pl.placement.channels if c.interpreters}
        for into in sorted(set(then) | set(now)):
            a, b = then.get(into), now.get(into)
            if a is None or b is None or (a.from_, a.via, sorted(a.interpreters)) != (b.from_, b.via,
                                                                                      sorted(b.interpreters)):
                yield _breach(past_kept, [pl.id, *(a.interpreters if a else []), *(b.interpreters if b else [])],
                              f"session {pl.id} began before {past.label}, but its channel into "
                              f"{into} is now {_team(b)} where it was {_team(a)}")


def _team(channel: Channel | None) -> str:
    if channel is None:
        return "unstaffed"
    return f"{', '.join(channel.interpreters)} from {channel.from_}"


def not_before_now(ctx: Context) -> Iterator[Breach]:
    """When re-planning during the event (--now), a session not begun before now starts at now or later."""
    past = ctx.event.past
    if past is None:
        return
    now = ctx.event.minute(past.now)
    for pl in ctx.placed:
        if pl.id not in past.kept and pl.start < now:
            yield _breach(not_before_now, [pl.id], f"session {pl.id} starts at {ctx.clock(pl.start)}, before "
                          f"{past.label} when the re-plan was made")


# --- running all rules ----------------------------------------------------------------------------------

CHECKS: list[Rule] = [
    session_scheduled_once, session_timing, inside_day, no_break_overlap, room_available,
    room_one_session_at_a_time, room_capacity, plenary_alone, speaker_one_place, speaker_available,
    speaker_sessions_per_day, after_order, pin_obeyed, channels_listed, required_channel_staffed,
    room_channels, room_max_interpreters, team_size, channel_source, interpreter_competence,
    interpreter_one_place, interpreter_available, interpreter_minutes_per_day, interpreter_rest, past_kept,
    not_before_now,
]
assert [c.__name__ for c in CHECKS] == list(HARD_RULES), "CHECKS must follow rules.HARD_RULES"


def check(event: Event, timetable: Timetable) -> list[Breach]:
    """Every breach of every hard rule; empty when the timetable obeys them all."""
    ctx = Context(event, timetable)
    return [breach for rule in CHECKS for breach in rule(ctx)]

