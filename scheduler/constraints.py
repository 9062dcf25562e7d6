"""The hard rules as CP-SAT: one function per rule, named as in `rules.HARD_RULES` and as in the checker.

*Domain rules* run before variables exist and remove forbidden options (starts, rooms, interpreter options);
*constraint rules* run after and post constraints on the variables that `ScheduleModel` owns.

Each relaxable fact (a pin, an unavailable period, a daily limit, ...) is posted with its switch,
`sm.fact(key)`: None in a normal model, where everything below is posted exactly as it always holds; with a
switch literal (`scheduler explain`), a narrowing becomes a constraint enforced by it (`restrict_start`,
`forbid_room` with switches) and a constraint gets it as enforcement literal (`sm.when`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from datetime import datetime, timedelta, timezone

from ortools.util.python.sorted_interval_list import Domain

from .model import Option, ScheduleModel, starts_avoiding
from .rules import HARD_RULES
from .types import minutes_of

# --- domain rules ---------------------------------------------------------------------------------------


def session_timing(sm: ScheduleModel) -> None:
    """A session lasts its duration and starts on the slot grid."""
    grid = Domain.from_values(range(0, sm.horizon + 1, sm.event.event.slot_minutes))
    for s in sm.event.sessions:
        sm.restrict_start(s, grid)


def inside_day(sm: ScheduleModel) -> None:
    """A session lies inside the window of one of the event's days."""
    windows = [sm.event.day_window(d) for d in sm.event.event.days]
    changes = clock_change_spans(sm.event, windows)
    for s in sm.event.sessions:
        sm.restrict_start(s, Domain.from_intervals([[a, b - s.duration] for a, b in windows if b - a >= s.duration]))
        sm.forbid_spans(s, changes)


def clock_change_spans(event, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of event minutes that no session may overlap, because the clocks change there. Clocks going
    forward: the local times that do not exist, and the break before them (a gap across them is that much
    shorter than on the clock, so a rest there could be no rest; a session ending on them would be read back
    later). Clocks going back: the last slot before (a session across it would last an hour more than its
    duration, the repeated hour's clock times being read as their first pass), and as many more as a rest of
    min_break across it needs beyond the hour repeated."""
    slot = event.event.slot_minutes
    before = max(1, event.event.interpreter_rest.min_break if event.interpreters else 0)
    spans: list[tuple[int, int]] = []

    def real(minute: int) -> datetime:
        return event.local(minute).replace(tzinfo=event.zone).astimezone(timezone.utc)

    def add(start: int, end: int) -> None:
        if spans and spans[-1][1] >= start:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))

    for start, end in sorted(windows):  # in time order, which `add` merges by
        # Past the window by a break: clocks going forward just after a day shorten the rest after it.
        for minute in range(start, end + before, slot):
            if real(minute).astimezone(event.zone).replace(tzinfo=None) != event.local(minute):  # skipped
                add(minute - before, minute + slot)
            elif minute < end and real(minute + slot) - real(minute) > timedelta(minutes=slot):
                # The repeated hour follows. When more of the day follows it, also the part of min_break before it
                # that the repeated hour does not give: a gap across it is then a rest in fact (the solver
                # counts it on the clock, shorter); with min_break 90, 01:45 to 02:00 in Toronto (75 minutes in
                # fact) joined two sessions in one stretch an hour longer in fact than on the clock.
                gained = (real(minute + slot) - real(minute)) // timedelta(minutes=1) - slot
                keep = max(slot, -(-(before - gained) // slot) * slot) if minute + slot < end else slot
                add(minute + slot - keep, minute + slot)
    return spans


def no_break_overlap(sm: ScheduleModel) -> None:
    """A session overlaps no break of its day."""
    for d in sm.event.event.days:
        breaks = sm.event.day_breaks(d)
        if breaks:
            switch = sm.fact("breaks", d.date.isoformat())
            for s in sm.event.sessions:
                sm.forbid_spans(s, breaks, switch)


def speaker_available(sm: ScheduleModel) -> None:
    """A speaker is never scheduled in one of their unavailable periods."""
    for s in sm.event.sessions:
        for sp in s.speakers:
            for j, period in enumerate(sm.event.periods(sm.event.speaker[sp].unavailable)):
                sm.forbid_spans(s, [period], sm.fact("unavailable", "speakers", sp, j), sm.fact("speaks", s.id, sp))


def pin_obeyed(sm: ScheduleModel) -> None:
    """A pinned session is on its pinned day, at its pinned start, in its pinned room (or rooms)."""
    for s in sm.event.sessions:
        pin = s.pin
        if pin is None:
            continue
        if pin.day is not None:
            base = (pin.day - sm.event.epoch).days * 1440
            sm.restrict_start(s, Domain(base, base + 1439), sm.fact("pin", s.id, "day"))
        if pin.start is not None:
            clock = minutes_of(pin.start)
            sm.restrict_start(s, Domain.from_values([d * 1440 + clock for d in range(sm.horizon // 1440 + 1)]),
                              sm.fact("pin", s.id, "start"))
        if pin.room_ids is not None:
            for r in list(sm.room_options[s.id]):
                if r not in pin.room_ids:
                    sm.forbid_room(s, r, sm.fact("pin", s.id, "room"))


def room_capacity(sm: ScheduleModel) -> None:
    """A session's attendance fits its room's capacity."""
    for s in sm.event.sessions:
        for r in list(sm.room_options[s.id]):
            if sm.event.room[r].capacity < s.attendance:
                sm.forbid_room(s, r, sm.fact("capacity", r))


def channels_listed(sm: ScheduleModel) -> None:
    """Each audience language other than the floor language is listed once as a channel (none for 'none').

    The model holds this by construction (one `staffed` variable per channel of `Event.channels`, each listed in
    the timetable), so nothing is posted for it. What runs here belongs to `room_channels` with
    `required_channel_staffed`: a room with fewer booths than a required session's channels can never host it.
    It is a domain rule's narrowing, so it sits among them (`room_channels` runs after the variables exist, when
    removing a room no longer shrinks them), under those rules' facts ("channels", room) and ("required",
    session), which `explain` lifts as theirs."""
    for s in sm.event.sessions:
        if s.interpretation == "required":
            need = len(sm.event.channels(s))
            for r in list(sm.room_options[s.id]):
                if sm.event.room[r].channels < need:
                    sm.forbid_room(s, r, sm.fact("channels", r), sm.fact("required", s.id))


def interpreter_competence(sm: ScheduleModel) -> None:
    """Every member of a team can interpret from the channel's source into its language."""
    if not sm.staffing:
        return
    able = able_interpreters(sm.event)
    for s in sm.event.sessions:
        kept = sm.fixed_staff.get(s.id)
        channels = sm.event.channels(s)
        free = channels
        if kept is not None:
            sm.options.extend(Option(who, s.id, ch.into, ch.from_) for ch in kept if ch.into not in sm.free_into
                              for who in ch.interpreters if sm.event.interpreter[who].can_interpret(ch.from_, ch.into))
            free = [t for t in channels if t in sm.free_into]
        for into in free:
            pivots = [p for p in channels if p != into and (sm.relay_pivots is None or p in sm.relay_pivots)]
            for source in [s.language, *pivots]:
                for who in able.get((source, into), []):
                    sm.options.append(Option(who, s.id, into, source))


def able_by_target(event) -> dict[str, set[str]]:
    """Interpreters able to work into each language, from any source."""
    out: dict[str, set[str]] = defaultdict(set)
    for (_, dst), people in able_interpreters(event).items():
        out[dst].update(people)
    return out


def able_interpreters(event) -> dict[tuple[str, str], list[str]]:
    """Interpreters able to work each (source, target) pair that the event may need."""
    able: dict[tuple[str, str], list[str]] = defaultdict(list)
    languages = set(event.event.languages) | {s.language for s in event.sessions}
    for it in event.interpreters:
        for src in languages:
            for dst in event.event.languages:
                if it.can_interpret(src, dst):
                    able[(src, dst)].append(it.id)
    return able


def pivot_languages(event, count: int = 2) -> set[str]:
    """The audience languages most interpreters work from: the usual relay pivots."""
    known = {t: sum(1 for i in event.interpreters for src in event.event.languages if i.can_interpret(src, t)
                    or i.can_interpret(t, src)) for t in event.event.languages}
    return set(sorted(known, key=lambda t: (-known[t], t))[:count])


def past_kept(sm: ScheduleModel) -> None:
    """When re-planning during the event, a session begun before `now` keeps its day, start, room and teams."""
    past = sm.event.past
    if past is None:
        return
    kept = {sid: p for sid, p in past.kept.items() if sid in sm.event.session}
    for sid, p in kept.items():
        s = sm.event.session[sid]
        start = sm.event.minute(p.start)
        sm.restrict_start(s, Domain(start, start))
        for r in list(sm.room_options[sid]):
            if r != p.room:
                sm.forbid_room(s, r)
    teams = {(sid, c.into): c for sid, p in kept.items() for c in p.channels if c.interpreters}
    # Runs after interpreter_competence: only the old teams' options stay for those sessions.
    sm.options = [o for o in sm.options if o.session not in kept or (
        (c := teams.get((o.session, o.into))) is not None and o.source == c.from_ and o.interpreter in c.interpreters)]

    def fix() -> None:
        for sid in kept:
            for into, lit in sm.sessions[sid].staffed.items():
                sm.model.add(lit == int((sid, into) in teams))
        for opt, lit in sm.assign.items():
            if opt.session in kept:
                sm.model.add(lit == 1)

    sm.once_variables_exist(fix)


def not_before_now(sm: ScheduleModel) -> None:
    """When re-planning during the event, a session not begun before `now` starts at `now` or later."""
    past = sm.event.past
    if past is None:
        return
    now = sm.event.minute(past.now)
    later = Domain(max(now, 0), sm.horizon) if now <= sm.horizon else Domain.from_values([])
    for s in sm.event.sessions:
        if s.id not in past.kept:
            sm.restrict_start(s, later)


DOMAIN_RULES: list[Callable[[ScheduleModel], None]] = [
    session_timing, inside_day, no_break_overlap, speaker_available, pin_obeyed, room_capacity,
    channels_listed, interpreter_competence, past_kept, not_before_now,
]

# --- constraint rules -----------------------------------------------------------------------------------


def session_scheduled_once(sm: ScheduleModel) -> None:
    """Every session of the event appears exactly once in the timetable."""
    for sv in sm.sessions.values():
        sm.model.add_exactly_one(sv.room.values())


def room_available(sm: ScheduleModel) -> None:
    """A session overlaps no unavailable period of its room."""
    for s in sm.event.sessions:
        sv = sm.sessions[s.id]
        for rid, lit in sv.room.items():
            periods = sm.event.periods(sm.event.room[rid].unavailable)
            for switch, spans in sm.by_switch(periods, "unavailable", "rooms", rid):
                allowed = starts_avoiding(s.duration, spans)
                sm.model.add_linear_expression_in_domain(sv.start, allowed).only_enforce_if([lit, *sm.when(switch)])


def room_one_session_at_a_time(sm: ScheduleModel) -> None:
    """A room holds one session at a time."""
    per_room = defaultdict(list)
    for s in sm.event.sessions:
        sv = sm.sessions[s.id]
        for rid, lit in sv.room.items():
            per_room[rid].append(sm.model.new_optional_fixed_size_interval_var(
                sv.start, s.duration, lit, f"in[{s.id},{rid}]"))
    for intervals in per_room.values():
        if len(intervals) > 1:
            sm.model.add_no_overlap(intervals)


def plenary_alone(sm: ScheduleModel) -> None:
    """A plenary session overlaps no other session."""
    if not any(s.kind == "plenary" for s in sm.event.sessions):
        return
    rooms = len(sm.event.rooms)
    intervals, demands = [], []
    for s in sm.event.sessions:
        sv = sm.sessions[s.id]
        switch = sm.fact("plenary", s.id) if s.kind == "plenary" else None
        intervals.append(sv.interval)
        demands.append(rooms if s.kind == "plenary" and switch is None else 1)
        if switch is not None and rooms > 1:
            # A switched plenary takes one room like any session, and the others while its switch is on.
            intervals.append(sm.model.new_optional_fixed_size_interval_var(sv.start, s.duration, switch,
                                                                           f"plenary[{s.id}]"))
            demands.append(rooms - 1)
    # Rooms already cap parallel sessions at `rooms`; a plenary fills that capacity on its own.
    sm.model.add_cumulative(intervals, demands, rooms)


def speaker_one_place(sm: ScheduleModel) -> None:
    """A speaker is in one session at a time."""
    talks = defaultdict(list)
    for s in sm.event.sessions:
        for sp in s.speakers:
            talks[sp].append(s)
    for sp, mine in talks.items():
        if len(mine) > 1:
            intervals = []
            for s in mine:
                sv, switch = sm.sessions[s.id], sm.fact("speaks", s.id, sp)
                intervals.append(sv.interval if switch is None else sm.model.new_optional_fixed_size_interval_var(
                    sv.start, s.duration, switch, f"speaks[{s.id},{sp}]"))
            sm.model.add_no_overlap(intervals)


def speaker_sessions_per_day(sm: ScheduleModel) -> None:
    """A speaker gives at most max_sessions_per_day sessions a day."""
    for sp in sm.event.speakers:
        if sp.max_sessions_per_day is None:
            continue
        mine = [s for s in sm.event.sessions if sp.id in s.speakers]
        if len(mine) <= sp.max_sessions_per_day:
            continue
        for day in sm.event.event.days:
            on_day = []
            for s in mine:
                lits = [lit for z, lit in sm.sessions[s.id].zone.items() if sm.zones[z].day == day.date]
                speaks = sm.fact("speaks", s.id, sp.id)
                if speaks is None or not lits:
                    on_day.extend(lits)
                    continue
                counted = sm.model.new_bool_var(f"speaks_on_day[{s.id},{sp.id},{day.date}]")
                for lit in lits:  # at least "on this day and speaking in it", which is exact in an upper limit
                    sm.model.add_bool_or([lit.Not(), speaks.Not(), counted])
                on_day.append(counted)
            if len(on_day) > sp.max_sessions_per_day:
                sm.model.add(sum(on_day) <= sp.max_sessions_per_day).only_enforce_if(
                    sm.when(sm.fact("max_sessions_per_day", sp.id)))


def after_order(sm: ScheduleModel) -> None:
    """A session starts no earlier than the end of every session it comes after."""
    for s in sm.event.sessions:
        for before in s.after:
            sm.model.add(sm.sessions[s.id].start >= sm.sessions[before].end).only_enforce_if(
                sm.when(sm.fact("after", s.id, before)))


def required_channel_staffed(sm: ScheduleModel) -> None:
    """Every channel of a session whose interpretation is 'required' is staffed."""
    for s in sm.event.sessions:
        if s.interpretation == "required":
            for lit in sm.sessions[s.id].staffed.values():
                sm.model.add(lit == 1).only_enforce_if(sm.when(sm.fact("required", s.id)))


def room_channels(sm: ScheduleModel) -> None:
    """A session has at most as many staffed channels as its room has booths (channels)."""
    for sid, sv in sm.sessions.items():
        if sv.staffed:
            most = len(sv.staffed)
            switched = {r: sm.fact("channels", r) for r in sv.room if sm.event.room[r].channels < most}
            # A room whose booths are a switched fact counts here as having enough, and is bounded below.
            booths = sum((most if switched.get(r) is not None else sm.event.room[r].channels) * lit
                         for r, lit in sv.room.items())
            sm.model.add(sum(sv.staffed.values()) <= booths)
            for r, switch in switched.items():
                if switch is not None:
                    sm.model.add(sum(sv.staffed.values()) <= sm.event.room[r].channels).only_enforce_if(
                        [sv.room[r], switch])


def room_max_interpreters(sm: ScheduleModel) -> None:
    """A session has at most its room's max_interpreters interpreters."""
    workers = defaultdict(list)
    for (who, sid), lit in sm.works.items():
        workers[sid].append(lit)
    for sid, sv in sm.sessions.items():
        caps = {r: sm.event.room[r].max_interpreters for r in sv.room}
        if all(c is None for c in caps.values()) or not workers[sid]:
            continue
        most = len(workers[sid])
        switched = {r: sm.fact("max_interpreters", r) for r, c in caps.items() if c is not None and c < most}
        # A room whose cap is a switched fact counts here as uncapped, and is bounded below.
        cap = sum((most if c is None or switched.get(r) is not None else min(c, most)) * sv.room[r]
                  for r, c in caps.items())
        sm.model.add(sum(workers[sid]) <= cap)
        for r, switch in switched.items():
            if switch is not None:
                sm.model.add(sum(workers[sid]) <= caps[r]).only_enforce_if([sv.room[r], switch])


def channel_source(sm: ScheduleModel) -> None:
    """A channel listens to the floor directly, or relays a pivot channel of the same session staffed directly."""
    if not sm.staffing:
        return  # without interpreters, sources are not modelled
    for sid, sv in sm.sessions.items():
        floor = sm.session_of(sid).language
        for into, staffed in sv.staffed.items():
            sources = [lit for (t, _), lit in sv.source.items() if t == into]
            sm.model.add(sum(sources) == staffed)
        for (into, source), lit in sv.source.items():
            if source != floor:
                direct = sv.source.get((source, floor))
                if direct is None:
                    sm.model.add(lit == 0)
                else:
                    sm.model.add_implication(lit, direct)


def team_size(sm: ScheduleModel) -> None:
    """A staffed channel has at least team_size(duration) interpreters."""
    teams = defaultdict(list)
    for opt, lit in sm.assign.items():
        teams[(opt.session, opt.into, opt.source)].append(lit)
    past = sm.event.past.kept if sm.event.past is not None else {}
    for sid, sv in sm.sessions.items():
        if sid in past:  # its teams were what they were (past_kept), also with this rule lifted
            continue
        need = sm.event.team_size(sm.session_of(sid))
        switch = sm.fact("team") if need > 1 else None
        for (into, source), chosen in sv.source.items():
            # Exactly the team: a larger one never helps any goal and only widens the search.
            sm.model.add(sum(teams[(sid, into, source)]) == need * chosen).only_enforce_if(sm.when(switch))
            if switch is not None:  # the team rule lifted: one interpreter per channel
                sm.model.add(sum(teams[(sid, into, source)]) == chosen).only_enforce_if(switch.Not())


def interpreter_one_place(sm: ScheduleModel) -> None:
    """An interpreter is in one channel of one session at a time."""
    # One channel per session is built into `works` (the sum of a person's options in a session).
    for who, sids in sm.interpreter_sessions().items():
        if len(sids) > 1:
            sm.model.add_no_overlap([
                sm.model.new_optional_fixed_size_interval_var(
                    sm.sessions[sid].start, sm.session_of(sid).duration, sm.works[(who, sid)], f"busy[{who},{sid}]")
                for sid in sids
            ])


def interpreter_available(sm: ScheduleModel) -> None:
    """An interpreter is never assigned in one of their unavailable periods."""
    for who, sids in sm.interpreter_sessions().items():
        periods = sm.event.periods(sm.event.interpreter[who].unavailable)
        for switch, spans in sm.by_switch(periods, "unavailable", "interpreters", who):
            for sid in sids:
                allowed = starts_avoiding(sm.session_of(sid).duration, spans)
                domain = sm.start_domain[sid]
                if domain.intersection_with(allowed).is_empty():
                    sm.model.add(sm.works[(who, sid)] == 0).only_enforce_if(sm.when(switch))
                elif not domain.is_included_in(allowed):
                    sm.model.add_linear_expression_in_domain(sm.sessions[sid].start, allowed).only_enforce_if(
                        [sm.works[(who, sid)], *sm.when(switch)])


def interpreter_minutes_per_day(sm: ScheduleModel) -> None:
    """An interpreter works at most max_minutes_per_day minutes of sessions a day."""
    for who, sids in sm.interpreter_sessions().items():
        limit = sm.event.interpreter[who].max_minutes_per_day
        for day, open_minutes in sm.open_minutes.items():
            if open_minutes <= limit:
                continue
            terms = [
                sm.session_of(sid).duration * sm.works_in_zone(who, sid, z)
                for sid in sids for z in sm.sessions[sid].zone if sm.zones[z].day == day
            ]
            if sum(sm.session_of(sid).duration for sid in sids) > limit and terms:
                sm.model.add(sum(terms) <= limit).only_enforce_if(sm.when(sm.fact("max_minutes_per_day", who)))


def interpreter_rest(sm: ScheduleModel) -> None:
    """An interpreter works at most max_continuous minutes in a row without a break of min_break minutes."""
    rest = sm.event.event.interpreter_rest
    groups = rest_groups(sm.zones, rest.min_break)
    for who, sids in sm.interpreter_sessions().items():
        for group in groups:
            if group[-1].end - group[0].start <= rest.max_continuous:
                continue
            indices = {z.index for z in group}
            here = [sid for sid in sids if indices & sm.sessions[sid].zone.keys()]
            # A stretch spans its sessions and the gaps between them, each shorter than min_break.
            widest = sum(sm.session_of(sid).duration for sid in here) + (len(here) - 1) * (rest.min_break - 1)
            if widest <= rest.max_continuous:
                continue
            if all(sm.fixed_start(sid) is not None for sid in here):
                _rest_with_fixed_times(sm, who, here)
            else:
                _rest_with_blocks(sm, who, group, here)


def rest_groups(zones, min_break: int) -> list[list]:
    """Zones in time order, grouped where less than min_break separates one from the next (even across
    midnight), unless the clocks go back between them: a stretch of work can only run on inside one group."""
    groups: list[list] = []
    for z in sorted(zones, key=lambda z: z.start):
        if groups and z.start - groups[-1][-1].end < min_break and not z.rested:
            groups[-1].append(z)
        else:
            groups.append([z])
    return groups


def _rest_with_fixed_times(sm: ScheduleModel, who: str, sids: list[str]) -> None:
    # With times known: a session that opens a stretch (nothing of this person's ends less than min_break
    # before it) must be followed, by its start + max_continuous at the latest, by a rest of min_break
    # minutes that begins at the end of one of the sessions.
    rest = sm.event.event.interpreter_rest
    spans = [(sm.fixed_start(sid), sm.fixed_start(sid) + sm.session_of(sid).duration, sid) for sid in sids]
    works = {sid: sm.works[(who, sid)] for sid in sids}
    resting = {}
    for t in sorted({end for _, end, _ in spans}):
        lit = sm.model.new_bool_var(f"rests[{who},{t}]")
        for start, end, sid in spans:
            if start < t + rest.min_break and t < end:
                sm.model.add_implication(lit, works[sid].Not())
        resting[t] = lit
    for start, end, sid in spans:
        before = [works[other] for s0, e0, other in spans if start - rest.min_break < e0 <= start and other != sid]
        opens = sm.model.new_bool_var(f"opens_stretch[{who},{sid}]")
        sm.model.add_bool_or([works[sid].Not(), opens, *before])
        rests = [lit for t, lit in resting.items() if end <= t <= start + rest.max_continuous]
        sm.model.add_bool_or([works[sid].Not(), opens.Not(), *rests]).only_enforce_if(sm.when(sm.fact("rest")))


def _rest_with_blocks(sm: ScheduleModel, who: str, group: list, here: list[str]) -> None:
    # Exact form with variable times: the person's sessions in the zones are packed into ordered blocks of
    # at most max_continuous minutes, each followed by min_break minutes of rest. A timetable obeys the
    # rule exactly when such blocks exist (take the stretches themselves as blocks).
    rest = sm.event.event.interpreter_rest
    longest, pause = rest.max_continuous, rest.min_break
    shortest = min(sm.session_of(sid).duration for sid in here)
    first, last = group[0].start, group[-1].end
    length = last - first
    blocks = min(len(here), 2 * (length // (longest + 1)) + 1, (length + pause) // (shortest + pause))
    reach = blocks * (longest + pause)
    tag = f"{who},{group[0].index}"
    starts, ends = [], []
    for k in range(blocks):
        bs = sm.model.new_int_var(first - reach, last + reach, f"block_start[{tag},{k}]")
        be = sm.model.new_int_var(first - reach, last + reach, f"block_end[{tag},{k}]")
        sm.model.add(be - bs <= longest)
        sm.model.add(be >= bs)
        if ends:
            sm.model.add(bs >= ends[-1] + pause)
        starts.append(bs)
        ends.append(be)
    indices = {z.index for z in group}
    for sid in here:
        sv = sm.sessions[sid]
        inside = []
        for k in range(blocks):
            c = sm.model.new_bool_var(f"in_block[{tag},{sid},{k}]")
            sm.model.add(starts[k] <= sv.start).only_enforce_if(c)
            sm.model.add(sv.end <= ends[k]).only_enforce_if(c)
            inside.append(c)
        covered = sum(sm.works_in_zone(who, sid, z) for z in sv.zone if z in indices)
        sm.model.add(sum(inside) >= covered).only_enforce_if(sm.when(sm.fact("rest")))


CONSTRAINT_RULES: list[Callable[[ScheduleModel], None]] = [
    session_scheduled_once, room_available, room_one_session_at_a_time, plenary_alone, speaker_one_place,
    speaker_sessions_per_day, after_order, required_channel_staffed, room_channels, room_max_interpreters,
    channel_source, team_size, interpreter_one_place, interpreter_available, interpreter_minutes_per_day,
    interpreter_rest,
]

# --- redundant cuts --------------------------------------------------------------------------------------


def interpretation_capacity(sm: ScheduleModel) -> None:
    """Cut: at any time, and over each day, required channels into a language need no more interpreters
    than can work into it, and a session needing such a channel starts only when a team of them is free for its
    whole length. Redundant in the full model; with `staffing=False` it is what keeps the timing phase honest
    about interpreters (an online event whose interpreters, in far zones, are free a few hours a day)."""
    able_into = able_by_target(sm.event)
    kept = sm.event.past.kept if sm.event.past is not None else {}
    for into, people in able_into.items():
        needing = [s for s in sm.event.sessions if s.interpretation == "required" and into in sm.event.channels(s)]
        if not needing:
            continue
        # Absences take capacity in the timing model only: with interpreters in the model they are known anyway,
        # and there they slowed the proof of the school's optimum from 0.87 s to 1.6 s.
        away = [] if sm.staffing else [
            sm.model.new_fixed_size_interval_var(a, b - a, f"away[{who},{a}]")
            for who in people for a, b in _merged(sm.event.periods(sm.event.interpreter[who].unavailable))]
        sm.model.add_cumulative([sm.sessions[s.id].interval for s in needing] + away,
                                [sm.event.team_size(s) for s in needing] + [1] * len(away), len(people))
        for s in needing:
            if s.id not in kept:  # what happened needs no proof (its teams may be smaller than today's rule)
                _starts_within(sm, s, _free_starts(sm.event, s, people))
        for day, spans in sm.open_spans.items():
            supply = sum(min(sm.event.interpreter[who].max_minutes_per_day, _free_minutes(sm.event, who, spans))
                         for who in people)
            demand = [sm.event.team_size(s) * s.duration * lit for s in needing
                      for zi, lit in sm.sessions[s.id].zone.items() if sm.zones[zi].day == day]
            if demand and sum(sm.event.team_size(s) * s.duration for s in needing) > supply:
                sm.model.add(sum(demand) <= supply)
    # Some channel of a session hears the floor itself (a relay's pivot too): a team from the floor language.
    for s in sm.event.sessions:
        channels = sm.event.channels(s)
        if s.id in kept or s.interpretation != "required" or not channels:
            continue
        hearing = [it.id for it in sm.event.interpreters if any(it.can_interpret(s.language, t) for t in channels)]
        _starts_within(sm, s, _free_starts(sm.event, s, hearing))


def rest_window_shortfalls(event, placed: dict[str, tuple[int, str]]) -> list[tuple[str, int]]:
    """The windows (target language, first minute) of max_continuous + min_break minutes in which `placed`
    (session -> start, room) gives required channels into a language more minutes of work than its interpreters
    can do there: each at most max_continuous of them by the rest rule, and only while free."""
    rest = event.event.interpreter_rest
    width = rest.max_continuous + rest.min_break
    out = []
    for into, people in sorted(able_by_target(event).items()):
        needing = [s for s in _rest_demand(event, into) if s.id in placed]
        anchors = sorted({placed[s.id][0] for s in needing} | {placed[s.id][0] + s.duration - width for s in needing})
        for a in _uncut(event, anchors, width):
            demand = sum(event.team_size(s) * max(0, min(placed[s.id][0] + s.duration, a + width)
                                                  - max(placed[s.id][0], a)) for s in needing)
            if demand > _window_supply(event, people, a, width):
                out.append((into, a))
    return out


def rest_windows_of_days(event, short: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every window, one per slot, of the languages and days of the windows `short`: cut at one time only, a
    shortage moves a slot later (measured: four rounds of cuts on the online event, each placement shifted)."""
    rest = event.event.interpreter_rest
    width = rest.max_continuous + rest.min_break
    days = {d.date: d for d in event.event.days}
    out = set()
    for into, a in short:
        for when in {event.day_of(a), event.day_of(a + width - 1)} & set(days):
            first, last = event.day_window(days[when])
            out.update((into, m) for m in range(first, max(first + 1, last - width + 1), event.event.slot_minutes))
    return sorted(out)


def rest_windows(sm: ScheduleModel, windows: list[tuple[str, int]]) -> None:
    """Cut: in each window (target language, first minute) of max_continuous + min_break minutes, required
    channels into the language need no more minutes of work than its interpreters can do there. Implied by the
    rest rule (in such a window nobody works more than max_continuous minutes); added to the timing model only
    where one of its placements could not be staffed (see `decompose.rest_cuts`)."""
    rest = sm.event.event.interpreter_rest
    width = rest.max_continuous + rest.min_break
    able_into = able_by_target(sm.event)
    for into, a in windows:
        if not _uncut(sm.event, [a], width):
            continue
        terms = []
        for s in _rest_demand(sm.event, into):
            sv, domain = sm.sessions[s.id], sm.start_domain[s.id]
            if domain.is_empty() or domain.min() >= a + width or domain.max() + s.duration <= a:
                continue  # never in the window
            first = sm.model.new_int_var(-_FAR, _FAR, "")
            sm.model.add_max_equality(first, [sv.start, a])
            last = sm.model.new_int_var(-_FAR, _FAR, "")
            sm.model.add_min_equality(last, [sv.end, a + width])
            inside = sm.model.new_int_var(0, min(s.duration, width), f"inside[{s.id},{into},{a}]")
            sm.model.add(inside >= last - first)
            terms.append(sm.event.team_size(s) * inside)
        if terms:
            sm.model.add(sum(terms) <= _window_supply(sm.event, able_into[into], a, width))


def _uncut(event, anchors: list[int], width: int) -> list[int]:
    """The windows (first minutes) of `width` minutes that the clocks going back do not cut: across that moment
    a gap is a rest in fact, so work on each side counts apart (a window across it holds more than
    max_continuous minutes of one person's work when they work on both sides)."""
    return [a for a in anchors if not any(a < cut < a + width for cut in event.clocks_back)]


def _rest_demand(event, into: str) -> list:
    """The sessions whose required channels into `into` the rest windows count: not those kept from the past,
    whose teams may be smaller than today's rule."""
    kept = event.past.kept if event.past is not None else {}
    return [s for s in event.sessions
            if s.id not in kept and s.interpretation == "required" and into in event.channels(s)]


def _window_supply(event, people: Collection[str], a: int, width: int) -> int:
    """Minutes of work `people` can do in the window of `width` minutes from `a`: each at most max_continuous (the
    rest rule) and, on each day the window touches (it may run past midnight), that day's limit, only while free."""
    cap = event.event.interpreter_rest.max_continuous
    parts = [(max(a, first), min(a + width, last))
             for first, last in map(event.day_window, event.event.days) if first < a + width and a < last]
    return sum(min(cap, sum(min(event.interpreter[who].max_minutes_per_day, _free_minutes(event, who, [part]))
                            for part in parts))
               for who in people)


def _starts_within(sm: ScheduleModel, s, free: Domain | None) -> None:
    if free is not None:
        sm.model.add_linear_expression_in_domain(sm.sessions[s.id].start, free)


def _free_minutes(event, who: str, spans: list[tuple[int, int]]) -> int:
    """Minutes of the `spans` in which `who` is not unavailable."""
    away = _merged(event.periods(event.interpreter[who].unavailable))
    return sum(b - a - sum(max(0, min(b, y) - max(a, x)) for x, y in away) for a, b in spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (start, end) spans, overlapping ones joined, in time order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif b > a:
            out.append((a, b))
    return out


def _free_starts(event, s, people: Collection[str]) -> Domain | None:
    """The starts of `s` at which a team of `people` (its size for `s`) is free for the whole session, by their
    unavailability and daily limits; None when that is every start."""
    need = event.team_size(s)
    fit = [who for who in people if event.interpreter[who].max_minutes_per_day >= s.duration]
    if len(fit) < need:
        return Domain.from_values([])
    busy_from: Counter[int] = Counter()  # people who stop being free from a start on (-: free again)
    for who in fit:
        blocked = [(a - s.duration + 1, b) for a, b in event.periods(event.interpreter[who].unavailable)]
        for a, b in _merged(blocked):
            busy_from[a] += 1
            busy_from[b] -= 1
    if not busy_from:
        return None
    allowed, busy, since = [], 0, -_FAR
    for minute in sorted(busy_from):
        was = len(fit) - busy >= need
        busy += busy_from[minute]
        now = len(fit) - busy >= need
        if was and not now:
            allowed.append([since, minute - 1])
        elif now and not was:
            since = minute
    if len(fit) - busy >= need:
        allowed.append([since, _FAR])
    return Domain.from_intervals(allowed)


_FAR = 10**9  # minutes: past any event's horizon, either way


CUTS: list[Callable[[ScheduleModel], None]] = [interpretation_capacity]

assert sorted(f.__name__ for f in DOMAIN_RULES + CONSTRAINT_RULES) == sorted(HARD_RULES), (
    "every hard rule has exactly one model function"
)
