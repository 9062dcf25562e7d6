"""Between CP-SAT models and timetables: read a model's solution into a timetable, build one from placements and
teams (costs evaluated by `costs.py`), start a model from a timetable (hints), and cut or merge timetables by day
for the searches that work a day at a time."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date

from ortools.sat.python import cp_model

from .check import check
from .costs import costs
from .event import Event
from .interrupt import new_solver
from .model import ScheduleModel
from .search import run_solver
from .timetable import Channel, Placement, Timetable

log = logging.getLogger(__name__)


def placement_of(sm: ScheduleModel, solution: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
                 ) -> dict[str, tuple[int, str]]:
    """Each session's (start minute, room) in a solution (of a solver, or inside a solution callback)."""
    return {sid: (solution.value(sv.start), next(r for r, lit in sv.room.items() if solution.boolean_value(lit)))
            for sid, sv in sm.sessions.items()}


def extract(sm: ScheduleModel, solver: cp_model.CpSolver, status: str, elapsed: float, bound: int) -> Timetable:
    """Read the solver's values into a `Timetable`, with costs evaluated independently of the model."""
    people: dict[tuple[str, str, str], list[str]] = {}
    for opt, lit in sm.assign.items():
        if solver.boolean_value(lit):
            people.setdefault((opt.session, opt.into, opt.source), []).append(opt.interpreter)
    placement, teams = placement_of(sm, solver), {}
    for sid, sv in sm.sessions.items():
        for (into, source), lit in sv.source.items():
            if solver.boolean_value(lit):
                teams[(sid, into)] = (source, people.get((sid, into, source), []))
    return assemble(sm.event, placement, teams, status, elapsed, bound, sm.previous)


def assemble(ev: Event, placement: dict[str, tuple[int, str]], teams: dict[tuple[str, str], tuple[str, list[str]]],
             status: str, elapsed: float, bound: int, previous: Timetable | None) -> Timetable:
    """A `Timetable` from placements (session -> (start, room)) and teams ((session, channel) -> (source,
    people)), with its costs evaluated by `costs.py`."""
    placements = []
    for s in ev.sessions:
        start, room = placement[s.id]
        channels = []
        for into in ev.channels(s):
            source, team = teams.get((s.id, into), (s.language, []))
            channels.append(Channel(into=into, from_=source, via=None if source == s.language else source,
                                    interpreters=sorted(team)))
        placements.append(Placement(session=s.id, room=room, start=ev.aware(start),
                                    end=ev.aware(start + s.duration), channels=channels))
    draft = Timetable(event=ev.event.id, status=status, objective=0, bound=0, solve_seconds=round(elapsed, 3),
                      sessions=placements)
    items = costs(ev, draft, previous)
    objective = sum(c.cost for c in items)
    # Not `reported_bound`: the day models assemble one day's timetable, whose cost is no match for a bound of the
    # whole event.
    return draft.model_copy(update={"objective": objective, "bound": min(bound, objective), "costs": items})


def reported_bound(bound: int, objective: int) -> int:
    """The bound a timetable of the whole event states: at most its objective. A proven bound above the cost of
    such a timetable (evaluated by `costs.py`) means a bound or the model is wrong: said in the log, where the
    tests look for it."""
    if bound > objective:
        log.error("a bound of %d above the objective %d of a timetable: a bound or the model is wrong", bound,
                  objective)
    return min(bound, objective)


def parts(ev: Event, timetable: Timetable) -> tuple[dict[str, tuple[int, str]],
                                                    dict[tuple[str, str], tuple[str, list[str]]]]:
    """The placement (session -> (start minute, room)) and the teams ((session, channel) -> (source,
    people)) of a timetable, as `assemble` takes them."""
    placement, teams = {}, {}
    for p in timetable.sessions:
        placement[p.session] = (ev.minute(p.start), p.room)
        for c in p.channels:
            if c.interpreters:
                teams[(p.session, c.into)] = (c.from_, list(c.interpreters))
    return placement, teams


def assembled(ev: Event, timetable: Timetable, elapsed: float, bound: int,
              previous: Timetable | None) -> Timetable:
    """`timetable` rebuilt on `ev` (its channels and costs, see `assemble`), unchecked."""
    return assemble(ev, *parts(ev, timetable), "feasible", elapsed, bound, previous)


def recosted(ev: Event, timetable: Timetable, elapsed: float, bound: int,
             previous: Timetable | None) -> Timetable | None:
    """`timetable` with its costs evaluated on `ev`, or None if the checker finds a broken rule."""
    result = assembled(ev, timetable, elapsed, bound, previous)
    return None if check(ev, result) else result


def replaced(whole: Timetable, part: Timetable) -> Timetable:
    """`whole` with the sessions of `part` in place of its own (neither re-costed nor checked)."""
    new = {p.session: p for p in part.sessions}
    return whole.model_copy(update={"sessions": [new.get(p.session, p) for p in whole.sessions]})


def merged(ev: Event, whole: Timetable, part: Timetable, elapsed: float, bound: int,
           previous: Timetable | None) -> Timetable | None:
    """`whole` with the sessions of `part` replaced, re-costed and checked (see `recosted`): a part's model
    cannot see rules that run across days, such as rest past midnight."""
    return recosted(ev, replaced(whole, part), elapsed, bound, previous)


def teams_cut(placement: Placement, people: set[str]) -> Placement:
    """`placement` with every team cut to the interpreters in `people`."""
    return placement.model_copy(update={"channels": [
        c.model_copy(update={"interpreters": [w for w in c.interpreters if w in people]})
        for c in placement.channels]})


def sessions_on(ev: Event, timetable: Timetable, day: date) -> Timetable:
    """The sessions of `timetable` on `day`, as a timetable of its own."""
    return timetable.model_copy(update={"sessions": [p for p in timetable.sessions
                                                     if ev.day_of(ev.minute(p.start)) == day]})


def loads(ev: Event, timetable: Timetable, skip: Collection[str] = ()) -> dict[str, int]:
    """Minutes each interpreter works in `timetable`, the sessions in `skip` left out."""
    load: dict[str, int] = {}
    for p in timetable.sessions:
        if p.session not in skip:
            for who in {w for c in p.channels for w in c.interpreters}:
                load[who] = load.get(who, 0) + ev.session[p.session].duration
    return load


def load_outside(ev: Event, timetable: Timetable, part: Timetable) -> dict[str, int]:
    """Minutes each interpreter works in `timetable` outside the sessions of `part`."""
    return loads(ev, timetable, {p.session for p in part.sessions})


def costliest_days(ev: Event, timetable: Timetable) -> list[date]:
    """The days that hold sessions, those that pay the most interpreter-days first."""
    paid: dict[date, int] = {}
    for c in timetable.costs:
        if c.goal == "interpreter_day" and c.day is not None:
            paid[c.day] = paid.get(c.day, 0) + c.cost
    return sorted({ev.day_of(ev.minute(p.start)) for p in timetable.sessions}, key=lambda d: (-paid.get(d, 0), d))


def misplaced(ev: Event, timetable: Timetable) -> dict[date, set[str]]:
    """By day, the sessions paying a goal that moving them within their day may save: same-track overlaps,
    outside preferred windows, audience asleep."""
    day = {p.session: ev.day_of(ev.minute(p.start)) for p in timetable.sessions}
    out: dict[date, set[str]] = {}
    for c in timetable.costs:
        if c.goal in ("track_overlap", "outside_preferred", "audience_asleep"):
            for sid in c.sessions:
                out.setdefault(day[sid], set()).add(sid)
    return out


def complete_hint(model: cp_model.CpModel, seconds: float = 5.0) -> bool:
    """Turn a partial hint into a complete one: solve with the hinted variables fixed, then hint every
    variable. CP-SAT starts at once from a complete feasible hint, but may lose a partial one."""
    proto = model.proto
    fixed = model.clone()
    fixed.clear_hints()
    for index, value in zip(proto.solution_hint.vars, proto.solution_hint.values):
        fixed.add(fixed.get_int_var_from_proto_index(index) == value)
    fixed.clear_objective()
    solver = new_solver(seconds)
    solver.parameters.num_workers = 1
    if run_solver(solver, fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    hint_solution(model, solver, fixed)
    return True


def hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver,
                  solved: cp_model.CpModel | None = None) -> None:
    """Hint every variable of `model` with its value in `solver`'s solution of `solved` (by default `model`
    itself; a clone has the same variables)."""
    solved = model if solved is None else solved
    model.clear_hints()
    for index in range(len(model.proto.variables)):
        value = solver.value(solved.get_int_var_from_proto_index(index))
        model.add_hint(model.get_int_var_from_proto_index(index), value)


def hint_placement(sm: ScheduleModel, placed: dict[str, tuple[int, str]]) -> None:
    """Hint starts and rooms of the sessions in `placed` (session id -> (start minute, room))."""
    for sid, (start, room) in placed.items():
        sv = sm.sessions[sid]
        sm.model.add_hint(sv.start, start)
        for rid, lit in sv.room.items():
            sm.model.add_hint(lit, rid == room)


def hint_staffing(sm: ScheduleModel, teams: dict[tuple[str, str], tuple[str, list[str]]]) -> None:
    """Hint every channel's staffing, source and team (channels missing from `teams` unstaffed)."""
    for sid, sv in sm.sessions.items():
        for into, lit in sv.staffed.items():
            sm.model.add_hint(lit, (sid, into) in teams)
        for (into, source), lit in sv.source.items():
            sm.model.add_hint(lit, teams.get((sid, into), ("", []))[0] == source)
    for opt, lit in sm.assign.items():
        source, team = teams.get((opt.session, opt.into), ("", []))
        sm.model.add_hint(lit, source == opt.source and opt.interpreter in team)


def hint_previous(sm: ScheduleModel, previous: Timetable) -> None:
    """Start the search from a timetable: same starts, rooms and teams where still possible."""
    m = sm.model
    for p in previous.sessions:
        sv = sm.sessions.get(p.session)
        if sv is None:
            continue
        m.add_hint(sv.start, sm.event.minute(p.start))
        for rid, lit in sv.room.items():
            m.add_hint(lit, rid == p.room)
    kept = {(p.session, c.into, c.from_, who) for p in previous.sessions for c in p.channels for who in c.interpreters}
    for opt, lit in sm.assign.items():
        m.add_hint(lit, (opt.session, opt.into, opt.source, opt.interpreter) in kept)
