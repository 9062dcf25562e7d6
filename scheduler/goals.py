"""The soft goals as named CP-SAT penalty terms: one function per goal, named as in `costs.py`.

Each function returns `Penalty` items (weight x a 0/1 literal or an integer expression), so the objective
can be itemised and explained. The numbers must agree with `costs.py`, which evaluates a finished timetable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
import math
from itertools import combinations

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from .bounds import away_all_day
from .constraints import able_by_target
from .costs import GOAL_NAMES, asleep_cost
from .model import ScheduleModel


@dataclass
class Penalty:
    goal: str
    weight: int
    term: cp_model.LinearExprT
    sessions: list[str] = field(default_factory=list)
    interpreters: list[str] = field(default_factory=list)


def _values(domain: Domain):
    bounds = domain.flattened_intervals()
    for lo, hi in zip(bounds[::2], bounds[1::2]):
        yield from range(lo, hi + 1)


def optional_channel_unstaffed(sm: ScheduleModel) -> list[Penalty]:
    """An optional channel left without interpreters costs weight x max(1, attendance // 100)."""
    w = sm.event.event.weights.optional_channel_unstaffed
    out = []
    for s in sm.event.sessions:
        if s.interpretation == "optional" and w:
            for lit in sm.sessions[s.id].staffed.values():
                out.append(Penalty("optional_channel_unstaffed", sm.event.unstaffed_cost(s), 1 - lit, [s.id]))
    return out


def track_overlap(sm: ScheduleModel) -> list[Penalty]:
    """Two sessions of one track that overlap cost the weight per pair."""
    w = sm.event.event.weights.track_overlap
    if not w:
        return []
    tracks = defaultdict(list)
    for s in sm.event.sessions:
        if s.track is not None:
            tracks[s.track].append(s)
    out = []
    for members in tracks.values():
        for a, b in combinations(members, 2):
            va, vb = sm.sessions[a.id], sm.sessions[b.id]
            a_first = sm.model.new_bool_var(f"before[{a.id},{b.id}]")
            b_first = sm.model.new_bool_var(f"before[{b.id},{a.id}]")
            overlap = sm.model.new_bool_var(f"track_overlap[{a.id},{b.id}]")
            sm.model.add(va.end <= vb.start).only_enforce_if(a_first)
            sm.model.add(vb.end <= va.start).only_enforce_if(b_first)
            sm.model.add_bool_or([a_first, b_first, overlap])
            out.append(Penalty("track_overlap", w, overlap, sorted([a.id, b.id])))
    return out


def outside_preferred(sm: ScheduleModel) -> list[Penalty]:
    """A session wholly inside none of its preferred windows costs the weight."""
    w = sm.event.event.weights.outside_preferred
    out = []
    for s in sm.event.sessions:
        if not s.preferred or not w:
            continue
        good = Domain.from_intervals([[a, b - s.duration] for a, b in sm.event.periods(s.preferred)
                                      if b - a >= s.duration])
        domain = sm.start_domain[s.id]
        if domain.is_included_in(good):
            continue
        inside = sm.model.new_bool_var(f"preferred[{s.id}]")
        sm.model.add_linear_expression_in_domain(sm.sessions[s.id].start, good).only_enforce_if(inside)
        out.append(Penalty("outside_preferred", w, 1 - inside, [s.id]))
    return out


def audience_asleep(sm: ScheduleModel) -> list[Penalty]:
    """Session time outside the audience's awake hours costs floor(weight x share x minutes / 60) per zone."""
    if not sm.event.event.audience or not sm.event.event.weights.audience_asleep:
        return []
    out = []
    for s in sm.event.sessions:
        by_start = {v: asleep_cost(sm.event, sm.event.aware(v), s.duration) for v in _values(sm.start_domain[s.id])}
        levels = sorted({c for c in by_start.values() if c > 0})
        previous = 0
        for level in levels:
            # `costly` is false only if the start avoids every start that costs at least `level`.
            costly = sm.model.new_bool_var(f"asleep[{s.id},{level}]")
            cheaper = [v for v, c in by_start.items() if c < level]
            sm.model.add_linear_expression_in_domain(
                sm.sessions[s.id].start, Domain.from_values(cheaper)).only_enforce_if(costly.Not())
            out.append(Penalty("audience_asleep", level - previous, costly, [s.id]))
            previous = level
    return out


def interpreter_load(sm: ScheduleModel) -> list[Penalty]:
    """The busiest interpreter's minutes over the whole event cost the weight per minute."""
    w = sm.event.event.weights.interpreter_load
    if not w or not sm.works:
        return []
    loads = defaultdict(list)
    for (who, sid), lit in sm.works.items():
        loads[who].append(sm.session_of(sid).duration * lit)
    outside = max(sm.load_offset.values(), default=0)
    most = max(outside + sum(s.duration for s in sm.event.sessions), 1)
    # Someone works at least the even share of the required channels' minutes: a bound known before search,
    # which core-based search would otherwise rebuild one small step at a time.
    share = -(-(sm.event.required_work() + sum(sm.load_offset.get(who, 0) for who in loads)) // len(loads))
    if sm.load_offset:
        peak = sm.model.new_int_var(max(outside, share), max(most, share), "busiest_load")
    else:
        # Every load is a sum of session durations, so a multiple of their gcd: with that domain the LP's even
        # share of the work rounds up to a load someone can really have (the school's proof gets 2x faster).
        step = math.gcd(*{sm.session_of(sid).duration for _, sid in sm.works})
        lowest = -(-share // step) * step
        peak = sm.model.new_int_var_from_domain(Domain.from_values(range(lowest, max(most, lowest) + step, step)),
                                                "busiest_load")
    for who, terms in loads.items():
        sm.model.add(peak >= sum(terms) + sm.load_offset.get(who, 0))
    return [Penalty("interpreter_load", w, peak)]


def relay(sm: ScheduleModel) -> list[Penalty]:
    """A channel staffed through a pivot instead of direct costs the weight."""
    w = sm.event.event.weights.relay
    out = []
    for sid, sv in sm.sessions.items():
        floor = sm.session_of(sid).language
        for (_into, source), lit in sv.source.items():
            if source != floor and w:
                out.append(Penalty("relay", w, lit, [sid]))
    return out


def retour(sm: ScheduleModel) -> list[Penalty]:
    """Each interpreter working into a B language (a retour) costs the weight."""
    w = sm.event.event.weights.retour
    return [Penalty("retour", w, lit, [opt.session], [opt.interpreter])
            for opt, lit in sm.assign.items() if w and sm.event.interpreter[opt.interpreter].is_retour(opt.into)]


def interpreter_day(sm: ScheduleModel) -> list[Penalty]:
    """Each interpreter who works at least once on a day costs the weight (paid by the day)."""
    w = sm.event.event.weights.interpreter_day
    if not w:
        return []
    if not sm.staffing:
        return _interpreter_days_needed(sm, w)
    out = []
    day_of = {}
    days = sorted({z.day for z in sm.zones})
    for who, sids in sm.interpreter_sessions().items():
        limit = sm.event.interpreter[who].max_minutes_per_day
        worked = []
        for day in days:
            here = [(sid, z) for sid in sids for z in sm.sessions[sid].zone if sm.zones[z].day == day]
            if not here:
                continue
            works_day = sm.model.new_bool_var(f"works_day[{who},{day}]")
            for sid, z in here:
                sm.model.add_implication(sm.works_in_zone(who, sid, z), works_day)
            # Cut: the day's minutes fit in one working day (ties the LP's share of days to its share of work).
            sm.model.add(sum(sm.session_of(sid).duration * sm.works_in_zone(who, sid, z) for sid, z in here)
                         <= min(limit, sm.open_minutes[day]) * works_day)
            out.append(Penalty("interpreter_day", w, works_day, interpreters=[who]))
            day_of[(who, day)] = works_day
            worked.append(works_day)
        # Cut: nobody works more minutes over the event than their daily limit times the days they work.
        sm.model.add(sum(sm.session_of(sid).duration * sm.works[(who, sid)] for sid in sids) <= limit * sum(worked))
    able = able_by_target(sm.event)
    for day, minutes in sm.open_minutes.items():
        supply = {who: (lit, min(sm.event.interpreter[who].max_minutes_per_day, minutes))
                  for (who, d), lit in day_of.items() if d == day}
        _people_cuts(sm, day, {into: [term for who, term in supply.items() if who in able[into]]
                               for into in sm.event.event.languages}, list(supply.values()))
    return out


def _interpreter_days_needed(sm: ScheduleModel, w: int) -> list[Penalty]:
    """Without interpreters in the model, a lower bound on interpreter-days from a counter of the people
    working each day, which must cover that day's demand (see `_people_cuts`). Who can work into which language
    is left to the placement-free bound (`bounds.staffing_bound`), which proves more without placements."""
    longest = max((it.max_minutes_per_day for it in sm.event.interpreters), default=0)
    out = []
    for day, minutes in sm.open_minutes.items():
        window = [span for z in sm.zones if z.day == day for span in z.spans]
        present = sum(1 for it in sm.event.interpreters if not away_all_day(sm.event, it, window))
        if present:
            n = sm.model.new_int_var(0, present, f"people_needed[{day}]")
            out.append(Penalty("interpreter_day", w, n))
            _people_cuts(sm, day, None, [(n, min(longest, minutes))])
    return out


def _people_cuts(sm: ScheduleModel, day, able: dict[str, list[tuple]] | None, everyone: list[tuple]) -> None:
    """Redundant cuts on one day. `everyone` lists (count, minutes) terms: how many people work that day and
    how many minutes each may give; `able[into]` the same for the people able to work into a language (None:
    only `everyone` is cut). At every moment the people working (into a language) are at least the team
    members its required channels need then, and over the day they give at least their team-minutes. Without
    interpreters in the model, the minutes of optional channels staffed that day count too (unless
    `sm.optional_demand` is false; with interpreters their assignments already hold them)."""
    demand: dict[str, list[tuple]] = defaultdict(list)  # into -> (interval, team, minutes) of required channels
    optional: dict[str, list] = defaultdict(list)  # into -> team-minutes of optional channels staffed that day
    for s in sm.event.sessions:
        if not sm.event.channels(s):
            continue
        if s.interpretation != "required":
            if not sm.staffing and sm.optional_demand:
                for into in sm.event.channels(s):
                    optional[into].append(sm.event.team_size(s) * s.duration * sm.staffed_on_day(s.id, into, day))
            continue
        for z, lit in sm.sessions[s.id].zone.items():
            if sm.zones[z].day == day:
                interval = sm.model.new_optional_fixed_size_interval_var(
                    sm.sessions[s.id].start, s.duration, lit, f"needs_people[{s.id},{z}]")
                for into in sm.event.channels(s):
                    demand[into].append((interval, sm.event.team_size(s), s.duration * lit))
    if not (demand or optional) or not everyone:
        return
    merged: dict[int, list] = {}
    for items in demand.values():
        for interval, team, minutes in items:
            merged.setdefault(id(interval), [interval, 0, minutes])[1] += team
    groups = [([(i, team, minutes) for i, team, minutes in merged.values()],
               [m for terms in optional.values() for m in terms], everyone, "all")]
    targets = sorted(set(demand) | set(optional))
    if able is not None and len(targets) > 1:
        groups += [(demand[into], optional[into], able[into], into) for into in targets]
    for items, extra, supply, name in groups:
        people = sm.model.new_int_var(0, len(sm.event.interpreters), f"people_working[{day},{name}]")
        sm.model.add(people == sum(n for n, _ in supply))
        if items:
            sm.model.add_cumulative([i for i, _, _ in items], [team for _, team, _ in items], people)
        demanded = sum(team * minutes for _, team, minutes in items) + sum(extra)
        sm.model.add(demanded <= sum(n * cap for n, cap in supply))


def moved(sm: ScheduleModel) -> list[Penalty]:
    """A session whose day, start or room differs from the previous timetable costs the weight."""
    if sm.previous is None:
        return []
    w = sm.event.event.weights.moved
    out = []
    for p in sm.previous.sessions:
        sv = sm.sessions.get(p.session)
        if sv is None:
            continue
        old_start = sm.event.minute(p.start)
        same = sm.model.new_bool_var(f"unmoved[{p.session}]")
        if p.room in sv.room and sm.start_domain[p.session].contains(old_start):
            sm.model.add(sv.start == old_start).only_enforce_if(same)
            sm.model.add_implication(same, sv.room[p.room])
        else:
            sm.model.add(same == 0)
        if w:
            out.append(Penalty("moved", w, 1 - same, [p.session]))
    return out


def reassigned(sm: ScheduleModel) -> list[Penalty]:
    """Each change to an interpreter's assignments on a session of both timetables costs the weight: one of the
    previous timetable no longer made (unless its interpreter left the event), or one made anew. Models without
    interpreters leave it out (a lower bound)."""
    w = sm.event.event.weights.reassigned
    if sm.previous is None or not sm.staffing or not w:
        return []
    lits: dict[tuple[str, str, str], list] = defaultdict(list)  # (interpreter, session, channel) -> by source
    for opt, lit in sm.assign.items():
        lits[(opt.interpreter, opt.session, opt.into)].append(lit)
    before = {p.session for p in sm.previous.sessions}
    then = {(who, p.session, c.into) for p in sm.previous.sessions if p.session in sm.sessions
            for c in p.channels for who in c.interpreters if who in sm.event.interpreter}
    return ([Penalty("reassigned", w, 1 - sum(lits.get(key, [])), [key[1]], [key[0]]) for key in sorted(then)]
            + [Penalty("reassigned", w, sum(found), [key[1]], [key[0]]) for key, found in lits.items()
               if key not in then and key[1] in before])


GOALS: list[Callable[[ScheduleModel], list[Penalty]]] = [
    optional_channel_unstaffed, track_overlap, outside_preferred, audience_asleep, interpreter_load, relay,
    retour, interpreter_day, moved, reassigned,
]
assert [g.__name__ for g in GOALS] == GOAL_NAMES
