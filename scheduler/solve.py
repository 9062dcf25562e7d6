"""Running CP-SAT: the exact model for small events, the decomposition (`decompose.py`) for large ones.

Small events get one exact model, so they get proofs of optimality and of infeasibility; mid-size ones get it
for a share of the time, then the decomposition, and keep the better timetable and the higher bound.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from .decompose import decompose, previous_kept, staffed
from .event import Event
from .explain import necessary_checks
from .greedy import greedy_placement
from .model import ScheduleModel
from .search import Outcome, Progress, Search, run_solver
from .solutions import complete_hint, extract, hint_previous, hint_solution, reported_bound
from .timetable import Timetable

__all__ = ["Outcome", "Progress", "solve"]

log = logging.getLogger(__name__)

# The exact model's search puts core-based search (lower bounds from unsatisfiable cores over the objective's
# terms, as MaxSAT solvers do) first among its full workers. The objective is a weighted sum of many 0/1 terms
# (interpreter-days, retours, asleep levels) whose LP relaxation is weak: on the school, CP-SAT's default portfolio
# proved the optimum in 10-17 s on 2 cores, core-based search in about 1.3 s (benchmarks/JOURNAL.md). Other workers
# (with more cores) follow in CP-SAT's usual order.
EXACT_SUBSOLVERS = ["core", "default_lp", "max_lp", "quick_restart", "reduced_costs", "pseudo_costs", "no_lp",
                    "lb_tree_search"]
# Its settings: cores minimised only cheaply, assumptions ordered by depth and tried from the last, without cover
# optimisation (medians on the school: 4.2 s with CP-SAT's core defaults, 1.3 s with these; 1.6 s without the
# order by depth, with 3 runs in 20 over 2 s against 1 in 30). Workers do not share the bounds they fix at level
# zero: those the LP worker shared sent core search, in about a quarter of the school's runs, down a path that
# took 2-3.6 s instead of 1-1.5 s (without sharing: 0 of 60 runs over 2 s, 1.07-1.61 s, against 4 of 20 with it);
# on 16 small generated events (20 s, seed 1) 14 proven optimal against 12, one at 513 where the other ended at 613.
CORE_SETTINGS = ("core_minimization_level: 1 max_sat_assumption_order: ORDER_ASSUMPTION_BY_DEPTH "
                 "max_sat_reverse_assumption_order: true cover_optimization: false share_level_zero_bounds: false")
# Events up to EXACT_LIMIT (sessions x interpreters) get the exact model alone; up to MIXED_LIMIT, the exact
# model for EXACT_SHARE of the time then, unless it settled the event, the decomposition for the rest, the better
# timetable kept. On 22 generated events of 60-260, the exact model alone proved 12 of the 13 up to 150 optimal
# in 10 s (the decomposition 1), but above 150 only 1 of 9, and it was often far worse: 715 against 580,
# 528 against 447; on eight of 176-900 the decomposition won all eight in 20 s (1,315 against 715).
EXACT_LIMIT = 150
MIXED_LIMIT = 3000
# The exact model's share when mixed, or when it has no starting timetable (both greedy ones break a rule): CP-SAT
# alone found none in 30 s on a generated 40-session event that the decomposition staffs in 2 s (then the search
# resumes from what it found).
EXACT_SHARE = 0.25


def solve(event: Event, *, time_limit: float = 60.0, workers: int | None = None, seed: int = 0,
          previous: Timetable | None = None, on_progress: Callable[[Progress], None] | None = None,
          method: str = "auto") -> Outcome:
    """Find the best timetable within `time_limit` seconds, or say why there is none.

    `method` is "exact", "decompose" or "auto": by size (sessions x interpreters), the exact model alone, the
    exact model then the decomposition, or the decomposition (see EXACT_LIMIT)."""
    run = Search(event, time_limit, workers or os.cpu_count() or 1, seed, previous, on_progress)
    # The fast checks of `explain` prove some events infeasible at once (0.55 s on 560 sessions) where a search
    # may not in its whole time: a 35-session event needing more room time than its days have, 20 s unproven.
    conflicts = necessary_checks(event)
    if conflicts:
        log.info("infeasible by the fast checks: %s", conflicts[0].message)
        return Outcome("infeasible", None, 0.0, run.elapsed(), method="checks", note=conflicts[0].message)
    size = event.size()
    if method == "exact" or (method == "auto" and size <= EXACT_LIMIT):
        return exact(run)
    if method == "auto" and size <= MIXED_LIMIT:
        return exact(run, then_decompose=True)
    return decompose(run)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each timetable the exact search finds."""

    def __init__(self, run: Search):
        super().__init__()
        self.run = run

    def on_solution_callback(self) -> None:
        self.run.offer(self.objective_value, self.best_objective_bound)


def exact(run: Search, then_decompose: bool = False) -> Outcome:
    """The exact model. It gets a share of the time (EXACT_SHARE) when it has no starting timetable or when
    `then_decompose`; unless it settles the event in it (optimal or infeasible), the rest of the time goes to
    the decomposition (with `then_decompose`, or when no timetable was found yet) and the better timetable
    is kept, else to the same search resumed from its timetable."""
    sm = ScheduleModel(run.event, run.previous)
    # Re-planning starts from the old timetable, mended where it no longer holds (an interpreter fallen ill):
    # hinted as it was, a broken one left CP-SAT without a first timetable on a 36-session event.
    start_from = (previous_kept(run) if run.previous is not None else None) or greedy_timetable(run, sm)
    if start_from is not None:
        run.report(start_from)  # checked, and kept if the search finds nothing better
    hint = start_from or run.previous
    if hint is not None:
        hint_previous(sm, hint)
        complete_hint(sm.model, max(0.1, run.left() * 0.1))
    build = run.elapsed()
    alone = start_from is None  # CP-SAT must find a first timetable itself
    shared = alone or then_decompose
    solver = exact_solver(run, run.left() * (EXACT_SHARE if shared else 1.0))
    watcher = _Watcher(run)
    code = run_solver(solver, sm.model, watcher)
    found, objective = None, None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        bound = max(0, math.ceil(solver.best_objective_bound - 1e-6))
        found = extract(sm, solver, status, run.elapsed(), bound)
        reported_bound(bound, found.objective)  # the exact model's bound against costs.py
        objective = solver.objective_value
    elif code == cp_model.UNKNOWN and start_from is not None:
        # The search found nothing better in time: the checked first timetable stands.
        found, objective = start_from, start_from.objective
    unsettled = code not in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID)
    if shared and unsettled and run.left() >= 1.0:
        if then_decompose or found is None:
            log.info("exact model: %s at %.1f s; the decomposition takes the rest of the time",
                     solver.status_name(code), run.elapsed())
            later = decompose(run)
            if later.timetable is not None or later.status == "infeasible" or run.left() < 1.0:
                return _better(found, objective, build, run.first, later)
            # The decomposition's placements could not be staffed: the exact model gets the time left.
            if found is None:
                return _feasible_first(run, sm, watcher, build, later)
            if code == cp_model.FEASIBLE:
                found, objective = _exact_resumed(run, sm, solver, watcher, found)
        else:
            found, objective = _exact_resumed(run, sm, solver, watcher, found)
    if found is None:
        return run.failed(code, sm, build)
    found = found.model_copy(update={"solve_seconds": round(run.elapsed(), 3)})
    return Outcome(found.status, found, build, run.elapsed(), objective, run.first or build)


def _feasible_first(run: Search, sm: ScheduleModel, watcher: _Watcher, build: float, failed: Outcome) -> Outcome:
    """When neither search found a timetable and time is left: the exact model without its goals, which only
    looks for a timetable (an online event whose interpreters are free a few hours a day: the decomposition's
    placements could not be staffed, and the exact model with goals found nothing in its share), then with them
    from it for the time left."""
    log.info("no timetable at %.1f s: the exact model looks for any timetable", run.elapsed())
    plain = sm.model.clone()
    plain.clear_objective()
    solver = run.solver(run.left())
    code = run_solver(solver, plain)
    if code == cp_model.INFEASIBLE:
        return run.failed(code, sm, build)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return replace(failed, solve_seconds=run.elapsed(),
                       note=f"{failed.note}; nor did the exact model in the time left")
    found = extract(sm, solver, "feasible", run.elapsed(), 0)
    run.report(found)
    log.info("exact model without goals: a timetable at %.1f s (%d)", run.elapsed(), found.objective)
    objective = float(found.objective)
    if run.left() >= 1.0:
        hint_solution(sm.model, solver, plain)
        again = exact_solver(run, run.left())
        code = run_solver(again, sm.model, watcher)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = max(0, math.ceil(again.best_objective_bound - 1e-6))
            better = extract(sm, again, "optimal" if code == cp_model.OPTIMAL else "feasible", run.elapsed(), bound)
            reported_bound(bound, better.objective)
            if better.objective <= found.objective:
                found, objective = better, again.objective_value
            else:
                found = found.model_copy(update={"bound": reported_bound(bound, found.objective)})
    found = found.model_copy(update={"solve_seconds": round(run.elapsed(), 3)})
    return Outcome(found.status, found, build, run.elapsed(), objective, run.first or build)


def greedy_timetable(run: Search, sm: ScheduleModel) -> Timetable | None:
    """The greedy placement staffed greedily, if the checker accepts it; else the same with sessions placed
    only where enough able interpreters are present (the school: its first greedy placement leaves a channel
    unstaffed; the second gives the exact search a start, which proves the optimum in a median of 1.4 s on a
    machine where it took 2.2-2.5 s from nothing)."""
    return staffed(run, greedy_placement(sm), 0) or staffed(run, greedy_placement(sm, present=True), 0)


def exact_solver(run: Search, seconds: float) -> cp_model.CpSolver:
    """A solver for the exact model: core-based search first among its workers (see EXACT_SUBSOLVERS)."""
    solver = run.solver(seconds)
    if run.workers > 1:
        # One worker keeps CP-SAT's default search: core search alone found no timetable in 30 s on the
        # 72-talk Timefold events, where the default finds one at once.
        solver.parameters.merge_text_format(CORE_SETTINGS)
        solver.parameters.subsolvers.extend(EXACT_SUBSOLVERS)
        if run.workers == 2:
            # CP-SAT would run one full worker (core alone, without the LP bound that events with few 0/1
            # costs need) and share the other thread among neighbourhood searches.
            solver.parameters.num_full_subsolvers = 2
    return solver


def _exact_resumed(run: Search, sm: ScheduleModel, solver: cp_model.CpSolver, watcher: _Watcher,
                   found: Timetable) -> tuple[Timetable, float]:
    """The exact search run again for the time left, from its timetable `found` (the solution of `solver`):
    the better timetable, with the better of both bounds, and the model's objective for it."""
    hint_solution(sm.model, solver)
    again = exact_solver(run, run.left())
    code = run_solver(again, sm.model, watcher)
    if code == cp_model.OPTIMAL:
        bound = math.ceil(again.best_objective_bound - 1e-6)
        best = extract(sm, again, "optimal", run.elapsed(), bound)
        reported_bound(bound, best.objective)  # the exact model's bound against costs.py
        return best, again.objective_value
    best, objective = found, solver.objective_value
    if code == cp_model.FEASIBLE:
        bound = max(found.bound, math.ceil(again.best_objective_bound - 1e-6))
        later = extract(sm, again, "feasible", run.elapsed(), bound)
        best = found.model_copy(update={"bound": bound})
        if later.objective < found.objective:
            best, objective = later, again.objective_value
    return best.model_copy(update={"solve_seconds": round(run.elapsed(), 3)}), objective


def _better(found: Timetable | None, objective: float | None, build: float, first: float | None,
            later: Outcome) -> Outcome:
    """The better of the exact model's timetable `found` (None if it found none; `objective`: the model's value
    for it; `first`: when its first came) and the decomposition's outcome `later`, with the better bound."""
    if found is None:
        return later
    best, method = found, "exact"
    if later.timetable is not None and later.timetable.objective < found.objective:
        best, method, objective = later.timetable, later.method, later.solver_objective
    bound = max(found.bound, later.timetable.bound if later.timetable else 0)
    status = "optimal" if best.objective <= bound else "feasible"
    best = best.model_copy(update={"status": status, "bound": reported_bound(bound, best.objective),
                                   "solve_seconds": later.solve_seconds})
    return Outcome(status, best, build, later.solve_seconds, objective, first or later.first_solution_seconds,
                   method=method)
