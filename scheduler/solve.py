"""Running CP-SAT on a `ScheduleModel`: parameters, progress, hints from a previous timetable, extraction."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .costs import costs
from .event import Event
from .model import ScheduleModel
from .timetable import Channel, Placement, Timetable


@dataclass
class Progress:
    elapsed: float
    objective: float
    bound: float

    @property
    def gap(self) -> float:
        return 0.0 if self.objective <= 0 else max(0.0, (self.objective - self.bound) / self.objective)


@dataclass
class Outcome:
    """What a solve produced: a timetable, or the status that explains why not."""

    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    timetable: Timetable | None
    build_seconds: float
    solve_seconds: float
    solver_objective: float | None = None
    first_solution_seconds: float | None = None


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Callable[[Progress], None] | None, started: float):
        super().__init__()
        self.on_progress = on_progress
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.started
        if self.first is None:
            self.first = now
        if self.on_progress is not None:
            self.on_progress(Progress(now, self.objective_value, self.best_objective_bound))


def solve(event: Event, *, time_limit: float = 60.0, workers: int | None = None, seed: int = 0,
          previous: Timetable | None = None, on_progress: Callable[[Progress], None] | None = None) -> Outcome:
    """Build and solve the model of `event`; return the best timetable found, or why there is none."""
    t0 = time.perf_counter()
    sm = ScheduleModel(event, previous)
    if previous is not None:
        _hint(sm, previous)
    build = time.perf_counter() - t0

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit - build)
    solver.parameters.num_workers = workers or os.cpu_count() or 1
    solver.parameters.random_seed = seed
    watcher = _Watcher(on_progress, t0)
    code = solver.solve(sm.model, watcher)
    elapsed = time.perf_counter() - t0

    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        timetable = extract(sm, solver, status, elapsed)
        return Outcome(status, timetable, build, elapsed, solver.objective_value, watcher.first)
    if code == cp_model.INFEASIBLE:
        return Outcome("infeasible", None, build, elapsed)
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: invalid CP-SAT model: {sm.model.validate()}")
    return Outcome("unknown", None, build, elapsed)


def extract(sm: ScheduleModel, solver: cp_model.CpSolver, status: str, elapsed: float) -> Timetable:
    """Read the solver's values into a `Timetable`, with costs evaluated independently of the model."""
    ev = sm.event
    teams: dict[tuple[str, str, str], list[str]] = {}
    for opt, lit in sm.assign.items():
        if solver.boolean_value(lit):
            teams.setdefault((opt.session, opt.into, opt.source), []).append(opt.interpreter)
    placements = []
    for s in ev.sessions:
        sv = sm.sessions[s.id]
        start = solver.value(sv.start)
        room = next(r for r, lit in sv.room.items() if solver.boolean_value(lit))
        channels = []
        for into in ev.channels(s):
            chosen = [src for (t, src), lit in sv.source.items() if t == into and solver.boolean_value(lit)]
            if chosen:
                src = chosen[0]
                channels.append(Channel(into=into, from_=src, via=None if src == s.language else src,
                                        interpreters=sorted(teams.get((s.id, into, src), []))))
            else:
                channels.append(Channel(into=into, from_=s.language, interpreters=[]))
        placements.append(Placement(session=s.id, room=room, start=ev.aware(start),
                                    end=ev.aware(start + s.duration), channels=channels))
    draft = Timetable(event=ev.event.id, status=status, objective=0, bound=0, solve_seconds=round(elapsed, 3),
                      sessions=placements)
    items = costs(ev, draft, sm.previous)
    objective = sum(c.cost for c in items)
    bound = min(objective, max(0, int(round(solver.best_objective_bound))))
    if status == "optimal":
        bound = objective
    return draft.model_copy(update={"objective": objective, "bound": bound, "costs": items})


def _hint(sm: ScheduleModel, previous: Timetable) -> None:
    """Start the search from the previous timetable: same starts, rooms and teams where still possible."""
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
