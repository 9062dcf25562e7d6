"""What every step of one solve shares: the event, the clock, CP-SAT solvers made to measure, progress, outcomes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .event import Event
from .interrupt import new_solver, requested as stop_requested
from .model import ScheduleModel
from .timetable import Timetable

log = logging.getLogger(__name__)


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
    method: str = "exact"
    note: str = ""


class Search:
    """One solve: the event (and the timetable it re-plans), the time limit and the clock, the workers and seed
    of its CP-SAT solvers, and where progress goes."""

    def __init__(self, event: Event, time_limit: float, workers: int, seed: int, previous: Timetable | None,
                 on_progress: Callable[[Progress], None] | None):
        self.event = event
        self.time_limit = time_limit
        self.workers = workers
        self.seed = seed
        self.previous = previous
        self.on_progress = on_progress
        self.started = time.perf_counter()
        self.first: float | None = None  # seconds to the first valid timetable
        self.best_objective = float("inf")  # the best timetable's cost and the highest bound reported so far
        self.best_bound = 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        """Seconds left of the time limit; none once Ctrl-C asked to stop."""
        return 0.0 if stop_requested() else self.time_limit - self.elapsed()

    @contextmanager
    def reserving(self, seconds: float) -> Iterator[None]:
        """Within the block, the last `seconds` of the time limit are kept for what comes after it."""
        self.time_limit -= seconds
        try:
            yield
        finally:
            self.time_limit += seconds

    def solver(self, seconds: float, seed_offset: int = 0) -> cp_model.CpSolver:
        """A CP-SAT solver for `seconds`, with this solve's workers and its seed plus `seed_offset` (so that
        successive models of a search do not all start the same way)."""
        solver = new_solver(max(0.05, seconds))
        solver.parameters.num_workers = self.workers
        # Kept within CP-SAT's 32-bit seed: the largest seed the command line takes, plus an offset, overflowed.
        solver.parameters.random_seed = (self.seed + seed_offset + 2**31) % 2**32 - 2**31
        return solver

    def report(self, timetable: Timetable) -> None:
        """Tell the caller of a valid timetable (see `offer`)."""
        self.offer(timetable.objective, timetable.bound)

    def offer(self, objective: float, bound: float) -> None:
        """A valid timetable of cost `objective` was found, and `bound` proven: the caller hears the best cost
        and the highest bound so far whenever either improves (steps of one solve each keep their own best, and
        a later step may start above an earlier one's)."""
        now = self.elapsed()
        if self.first is None:
            self.first = now
        if objective >= self.best_objective and bound <= self.best_bound:
            return
        self.best_objective = min(self.best_objective, objective)
        self.best_bound = max(self.best_bound, bound)
        if self.on_progress is not None:
            self.on_progress(Progress(now, self.best_objective, self.best_bound))

    def failed(self, code: int, sm: ScheduleModel, build: float, method: str = "exact") -> Outcome:
        """The outcome of a model that ended with status `code` and no timetable."""
        if code == cp_model.INFEASIBLE:
            return Outcome("infeasible", None, build, self.elapsed(), method=method)
        if code == cp_model.MODEL_INVALID:
            raise RuntimeError(f"internal error: invalid CP-SAT model: {sm.model.validate()}")
        return Outcome("unknown", None, build, self.elapsed(), method=method)


def run_solver(solver: cp_model.CpSolver, model: cp_model.CpModel,
               callback: cp_model.CpSolverSolutionCallback | None = None) -> int:
    """`solver.solve`, retried without symmetry detection if CP-SAT itself crashes: OR-Tools 9.15 raises
    IndexError from its symmetry code on some infeasible models (tests/test_regressions.py)."""
    try:
        return solver.solve(model, callback)
    except (IndexError, RuntimeError):
        log.warning("CP-SAT crashed; solving again without symmetry detection")
        solver.parameters.symmetry_level = 0
        return solver.solve(model, callback)
