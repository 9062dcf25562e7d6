"""The soft goals as named CP-SAT penalty terms: one function per goal, named as in `costs.py`.

Each function returns `Penalty` items (weight x a 0/1 literal or an integer expression), so the objective
can be itemised and explained. The numbers must agree with `costs.py`, which evaluates a finished timetable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

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
            for lang, lit in sm.sessions[s.id].staffed.items():
                out.append(Penalty("optional_channel_unstaffed", w * max(1, s.attendance // 100), 1 - lit, [s.id]))
    return out


def track_overlap(sm: ScheduleModel) -> list[Penalty]:
    """Two sessions of one track that overlap cost the weight per pair."""
    w = sm.event.event.weights.track_overlap
    tracks = defaultdict(list)
    for s in sm.event.sessions:
        if s.track is not None:
            tracks[s.track].append(s)
    out = []
    for members in tracks.values():
        for a, b in combinations(members, 2):
            va, vb = sm.sessions[a.id], sm.sessions[b.id]
            if not w:
                continue
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
    most = max(sum(s.duration for s in sm.event.sessions), 1)
    peak = sm.model.new_int_var(0, most, "busiest_load")
    for terms in loads.values():
        sm.model.add(peak >= sum(terms))
    return [Penalty("interpreter_load", w, peak)]


def relay(sm: ScheduleModel) -> list[Penalty]:
    """A channel staffed through a pivot instead of direct costs the weight."""
    w = sm.event.event.weights.relay
    out = []
    for sid, sv in sm.sessions.items():
        floor = sm.session_of(sid).language
        for (into, source), lit in sv.source.items():
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
    for who, sids in sm.interpreter_sessions().items():
        for day in sorted({z.day for z in sm.zones}):
            pairs = [(sid, [lit for z, lit in sm.sessions[sid].zone.items() if sm.zones[z].day == day]) for sid in sids]
            pairs = [(sid, lits) for sid, lits in pairs if lits]
            if not pairs:
                continue
            works_day = sm.model.new_bool_var(f"works_day[{who},{day}]")
            for sid, lits in pairs:
                # works in sid and sid is on this day => works that day
                sm.model.add(works_day >= sm.works[(who, sid)] + sum(lits) - 1)
            out.append(Penalty("interpreter_day", w, works_day, interpreters=[who]))
            day_of[(who, day)] = works_day
    _day_capacity_cuts(sm, day_of)
    # Cut: nobody works more minutes over the event than their daily limit times the days they work.
    for who, sids in sm.interpreter_sessions().items():
        days = [lit for (w2, _), lit in day_of.items() if w2 == who]
        limit = sm.event.interpreter[who].max_minutes_per_day
        sm.model.add(sum(sm.session_of(sid).duration * sm.works[(who, sid)] for sid in sids) <= limit * sum(days))
    for day in sorted({z.day for z in sm.zones}):
        working = [lit for (who, d), lit in day_of.items() if d == day]
        if working:
            people = sm.model.new_int_var(0, len(working), f"people_working[{day}]")
            sm.model.add(people == sum(working))
            _people_needed(sm, day, people)
    return out


def _interpreter_days_needed(sm: ScheduleModel, w: int) -> list[Penalty]:
    """Without interpreters in the model: a lower bound on interpreter-days, one counter a day."""
    out = []
    for day in sorted({z.day for z in sm.zones}):
        people = sm.model.new_int_var(0, len(sm.event.interpreters), f"people_needed[{day}]")
        if _people_needed(sm, day, people):
            out.append(Penalty("interpreter_day", w, people))
    return out


def _people_needed(sm: ScheduleModel, day, people) -> bool:
    """Cuts: the people working on `day` give at least its required team-minutes (at most
    max_minutes_per_day each) and are at least as many as work at once at the busiest moment."""
    minutes = sm.open_minutes.get(day, 0)
    cap = min(max((i.max_minutes_per_day for i in sm.event.interpreters), default=0), minutes)
    intervals, needs, demand = [], [], []
    for s in sm.event.sessions:
        if s.interpretation != "required" or not sm.event.channels(s):
            continue
        need = len(sm.event.channels(s)) * sm.event.team_size(s)
        for z, lit in sm.sessions[s.id].zone.items():
            if sm.zones[z].day == day:
                intervals.append(sm.model.new_optional_fixed_size_interval_var(
                    sm.sessions[s.id].start, s.duration, lit, f"needs_people[{s.id},{z}]"))
                needs.append(need)
                demand.append(need * s.duration * lit)
    if not demand or cap <= 0:
        return False
    sm.model.add(cap * people >= sum(demand))
    sm.model.add_cumulative(intervals, needs, people)
    return True


def _day_capacity_cuts(sm: ScheduleModel, works_day: dict) -> None:
    """Redundant cuts that let the bound see interpreter-days: minutes of required channels into a language
    on a day are at most what the people working that day can give into it."""
    able_into = defaultdict(set)
    for opt in sm.assign:
        able_into[opt.into].add(opt.interpreter)
    open_minutes = sm.open_minutes
    for day in sorted(open_minutes):
        for into, people in able_into.items():
            demand = []
            for s in sm.event.sessions:
                if s.interpretation == "required" and into in sm.event.channels(s):
                    lits = [lit for z, lit in sm.sessions[s.id].zone.items() if sm.zones[z].day == day]
                    demand.extend(sm.event.team_size(s) * s.duration * lit for lit in lits)
            supply = [min(sm.event.interpreter[who].max_minutes_per_day, open_minutes[day]) * works_day[(who, day)]
                      for who in people if (who, day) in works_day]
            if demand:
                sm.model.add(sum(demand) <= sum(supply))


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


GOALS: list[Callable[[ScheduleModel], list[Penalty]]] = [
    optional_channel_unstaffed, track_overlap, outside_preferred, audience_asleep, interpreter_load, relay,
    retour, interpreter_day, moved,
]
assert [g.__name__ for g in GOALS] == GOAL_NAMES
