"""Running CP-SAT: the exact model for small events, a decomposition for large ones, progress, extraction.

Small events get one exact model, so they get proofs of optimality and of infeasibility. Large ones are
solved in steps that each stay small:
1. *timing*: rooms and times, with interpreters replaced by counters of people working and capacity cuts (a
   relaxation: if it is infeasible, so is the event, and its bound is a valid bound on the timing goals and
   interpreter-days), then the same relaxation with a counter per class of interpreters, for its bound only;
2. *staffing*: interpreters assigned with every time fixed (the rest rule then has a cheap exact form),
   greedily, then by column generation over interpreter-day duties (`duties.py`) on events of moderate size;
3. *neighbourhood search*: free some sessions of one day (their teams, sometimes their times) in a model of
   that day alone, merge the result into the whole timetable, check it and keep improvements; a first sweep
   re-staffs every day whole, re-timing its sessions that pay for their time (or, when a day's model would be
   large, its channels by groups of languages).
"""

from __future__ import annotations

import logging
import math
import os
import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from .bounds import staffing_bound
from .check import check
from .constraints import able_by_target, able_interpreters
from .costs import costs
from .duties import staff_by_duties
from .event import Event
from .greedy import greedy_placement, greedy_staffing
from .model import ScheduleModel
from .timetable import Channel, Placement, Timetable

log = logging.getLogger(__name__)

# The exact model's search puts core-based search (lower bounds from unsatisfiable cores over the objective's
# terms, as MaxSAT solvers do) first among its full workers. The objective is a weighted sum of many 0/1 terms
# (interpreter-days, retours, asleep levels) whose LP relaxation is weak: on the school, CP-SAT's default portfolio
# proved the optimum in 10-17 s on 2 cores, core-based search in about 1.3 s (benchmarks/README.md). Other workers
# (with more cores) follow in CP-SAT's usual order.
EXACT_SUBSOLVERS = ["core", "default_lp", "max_lp", "quick_restart", "reduced_costs", "pseudo_costs", "no_lp",
                    "lb_tree_search"]
# Its settings: cores minimised only cheaply, assumptions ordered by depth and tried from the last, without cover
# optimisation (medians on the school: 4.2 s with CP-SAT's core defaults, 1.3 s with these; 1.6 s without the
# order by depth, with 3 runs in 20 over 2 s against 1 in 30).
CORE_SETTINGS = ("core_minimization_level: 1 max_sat_assumption_order: ORDER_ASSUMPTION_BY_DEPTH "
                 "max_sat_reverse_assumption_order: true cover_optimization: false")
# Events up to EXACT_LIMIT (sessions x interpreters) get the exact model alone; up to MIXED_LIMIT, the exact
# model for EXACT_SHARE of the time then, unless it settled the event, the decomposition for the rest, the better
# timetable kept. On 22 generated events of 60-260, the exact model alone proved 12 of the 13 up to 150 optimal
# in 10 s (the decomposition 1), but above 150 only 1 of 9, and it was often far worse: 715 against 580,
# 528 against 447; on eight of 176-900 the decomposition won all eight in 20 s (1,315 against 715).
EXACT_LIMIT = 150
MIXED_LIMIT = 3000
# The exact model's share when mixed, or when it has no starting timetable (the greedy one breaks a rule): CP-SAT
# alone found none in 30 s on a generated 40-session event that the decomposition staffs in 2 s; the school, which
# has no greedy timetable either, is proven optimal in about 1.5 s (then the search resumes from what it found).
EXACT_SHARE = 0.25
# The decomposition staffs (greedily) up to this many of the timing model's last placements and keeps the cheapest.
PLACEMENT_CHOICES = 8
# Events of at most DUTY_LIMIT sessions are then re-staffed by duties (see `_by_duties`), one master for the whole
# event, with this share of the time left. On 560 sessions (4,000 interpreter-days) a pricing round of that master
# takes 5-20 s and diving does not finish in 90 s.
DUTY_LIMIT = 200
DUTY_SHARE = 0.5
# When the timing model ends more than RETIME_GAP above its bound (560 sessions: 51,472 against 21,260, where the
# 130-session event ends within 2 %), each day's sessions are re-timed by the timing model of that day alone, with
# RETIME_SHARE of the time left and each day at most RETIME_SECONDS. On the 560-session event, 3 s a day took the
# greedy staffing of the placement from 68,039 to 55,698 (same-track overlaps 13,150 -> 6,700).
RETIME_GAP = 0.1
RETIME_SHARE = 0.25
RETIME_SECONDS = 4.0
# Larger events are re-staffed by duties one day at a time (`_by_day_duties`), the costliest days first, with this
# share of the time left and each day at least DAY_DUTY_SECONDS. On the 560-session event (about 500
# interpreter-days a day) 12 s a day took each day 200-1,900 lower, 69,733 -> 63,193 in 80 s, where the sweep's
# CP-SAT models took 500-1,000 off a day in 25-35 s; so they get nearly all the time left (with 80 %, six days
# of eight were done in a 120 s run, 53,553; with 95 %, all eight, 51,658).
DAY_DUTY_SHARE = 0.95
DAY_DUTY_SECONDS = 8.0
# Neighbourhood search first re-staffs each whole day of at most SWEEP_OPTIONS (interpreter, channel, source)
# options, and larger days by groups of target languages of at most SWEEP_GROUP_OPTIONS, giving that sweep this
# share of the time left and each part at least SWEEP_MIN_SECONDS. A whole day of the 130-session event (about
# 4,000 options, a model of 15,000 variables) improves in seconds; one of the 560-session event (about 50,000
# options, 170,000 variables) finds nothing in 10 s. On that event, from the same start (70,023), groups of
# languages of 6,000 options reach 67,613 in 90 s and 63,858 in 240 s, where consecutive time slices of 12,000
# options reached 67,348 and 65,928 (all their slices done at 161 s); both passes in turn reached 64,998.
SWEEP_OPTIONS = 12_000
SWEEP_GROUP_OPTIONS = 6_000
SWEEP_SHARE = 0.9
SWEEP_MIN_SECONDS = 3.0


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


class _Placements(cp_model.CpSolverSolutionCallback):
    """Every placement (session -> start minute, room) a timing model's search finds, in order."""

    def __init__(self, sm: ScheduleModel):
        super().__init__()
        self.sm = sm
        self.found: list[dict[str, tuple[int, str]]] = []

    def on_solution_callback(self) -> None:
        self.found.append(placement_of(self.sm, self))


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


def solve(event: Event, *, time_limit: float = 60.0, workers: int | None = None, seed: int = 0,
          previous: Timetable | None = None, on_progress: Callable[[Progress], None] | None = None,
          method: str = "auto") -> Outcome:
    """Find the best timetable within `time_limit` seconds, or say why there is none.

    `method` is "exact", "decompose" or "auto": by size (sessions x interpreters), the exact model alone, the
    exact model then the decomposition, or the decomposition (see EXACT_LIMIT)."""
    run = _Run(event, time_limit, workers or os.cpu_count() or 1, seed, previous, on_progress)
    size = len(event.sessions) * max(1, len(event.interpreters))
    if method == "exact" or (method == "auto" and size <= EXACT_LIMIT):
        return run.exact()
    if method == "auto" and size <= MIXED_LIMIT:
        return run.exact(then_decompose=True)
    return run.decompose()


class _Run:
    def __init__(self, event, time_limit, workers, seed, previous, on_progress):
        self.event = event
        self.time_limit = time_limit
        self.workers = workers
        self.seed = seed
        self.previous = previous
        self.on_progress = on_progress
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        return self.time_limit - self.elapsed()

    def solver(self, seconds: float, seed_offset: int = 0) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed + seed_offset
        return solver

    # --- one exact model ---------------------------------------------------------------------------------

    def exact(self, then_decompose: bool = False) -> Outcome:
        """The exact model. It gets a share of the time (EXACT_SHARE) when it has no starting timetable or when
        `then_decompose`; unless it settles the event in it (optimal or infeasible), the rest of the time goes to
        the decomposition (with `then_decompose`, or when no timetable was found yet) and the better timetable
        is kept, else to the same search resumed from its timetable."""
        sm = ScheduleModel(self.event, self.previous)
        start_from = self.previous or self._staffed(greedy_placement(sm), 0)
        if start_from is not None:
            hint_previous(sm, start_from)
            complete_hint(sm.model, max(0.1, self.left() * 0.1))
        build = self.elapsed()
        alone = start_from is None  # CP-SAT must find a first timetable itself
        shared = alone or then_decompose
        solver = self._exact_solver(self.left() * (EXACT_SHARE if shared else 1.0))
        watcher = _Watcher(self.on_progress, self.started)
        code = run_solver(solver, sm.model, watcher)
        found, objective = None, None
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            status = "optimal" if code == cp_model.OPTIMAL else "feasible"
            found = extract(sm, solver, status, self.elapsed(), max(0, math.ceil(solver.best_objective_bound - 1e-6)))
            objective = solver.objective_value
        elif code == cp_model.UNKNOWN and start_from is not None and start_from is not self.previous:
            # The search found nothing better in time: the checked greedy timetable stands.
            found, objective = start_from, start_from.objective
        unsettled = code not in (cp_model.OPTIMAL, cp_model.INFEASIBLE, cp_model.MODEL_INVALID)
        if shared and unsettled and self.left() >= 1.0:
            if then_decompose or found is None:
                log.info("exact model: %s at %.1f s; the decomposition takes the rest of the time",
                         solver.status_name(code), self.elapsed())
                return _better(found, objective, build, watcher.first, self.decompose())
            found, objective = self._exact_resumed(sm, solver, watcher, found)
        if found is None:
            return self._failed(code, sm, build)
        found = found.model_copy(update={"solve_seconds": round(self.elapsed(), 3)})
        return Outcome(found.status, found, build, self.elapsed(), objective, watcher.first or build)

    def _exact_solver(self, seconds: float) -> cp_model.CpSolver:
        solver = self.solver(seconds)
        if self.workers > 1:
            # One worker keeps CP-SAT's default search: core search alone found no timetable in 30 s on the
            # 72-talk Timefold events, where the default finds one at once.
            solver.parameters.merge_text_format(CORE_SETTINGS)
            solver.parameters.subsolvers.extend(EXACT_SUBSOLVERS)
            if self.workers == 2:
                # CP-SAT would run one full worker (core alone, without the LP bound that events with few 0/1
                # costs need) and share the other thread among neighbourhood searches.
                solver.parameters.num_full_subsolvers = 2
        return solver

    def _exact_resumed(self, sm: ScheduleModel, solver: cp_model.CpSolver, watcher: _Watcher,
                       found: Timetable) -> tuple[Timetable, float]:
        """The exact search run again for the time left, from its timetable `found` (the solution of `solver`):
        the better timetable, with the better of both bounds, and the model's objective for it."""
        hint_solution(sm.model, solver)
        again = self._exact_solver(self.left())
        code = run_solver(again, sm.model, watcher)
        if code == cp_model.OPTIMAL:
            return extract(sm, again, "optimal", self.elapsed(), math.ceil(again.best_objective_bound - 1e-6)), \
                again.objective_value
        best, objective = found, solver.objective_value
        if code == cp_model.FEASIBLE:
            bound = max(found.bound, math.ceil(again.best_objective_bound - 1e-6))
            later = extract(sm, again, "feasible", self.elapsed(), bound)
            best = found.model_copy(update={"bound": bound})
            if later.objective < found.objective:
                best, objective = later, again.objective_value
        return best.model_copy(update={"solve_seconds": round(self.elapsed(), 3)}), objective

    def _failed(self, code, sm: ScheduleModel, build: float, method: str = "exact") -> Outcome:
        if code == cp_model.INFEASIBLE:
            return Outcome("infeasible", None, build, self.elapsed(), method=method)
        if code == cp_model.MODEL_INVALID:
            raise RuntimeError(f"internal error: invalid CP-SAT model: {sm.model.validate()}")
        return Outcome("unknown", None, build, self.elapsed(), method=method)

    # --- decomposition -----------------------------------------------------------------------------------

    def decompose(self) -> Outcome:
        # Optional channels cost no people here: placements made to staff them in the relaxation crowd some
        # days, which the real staffing then does worse (medium: 6,270 against 5,845). The bound models count them.
        timing = ScheduleModel(self.event, self.previous, staffing=False, optional_demand=False)
        build = self.elapsed()
        best: Timetable | None = None
        first: float | None = None
        if self.previous is not None:
            hint_previous(timing, self.previous)
            kept = self._previous_kept()
            if kept is not None:
                best, first = kept, self.elapsed()
                self._report(best)
        else:
            placed = greedy_placement(timing)
            log.info("greedy placed %d of %d sessions at %.1f s", len(placed), len(timing.sessions), self.elapsed())
            hint_placement(timing, placed)
            best = self._staffed(placed, self._load_bound())
            if best is not None:
                first = self.elapsed()
                self._report(best)
        complete_hint(timing.model, max(1.0, self.left() * 0.05))
        solver = self.solver(min(self.left() * 0.25, max(5.0, self.left() * 0.1)))
        # Probing in presolve costs minutes on large timing models and gains little here.
        solver.parameters.cp_model_probing_level = 0 if len(self.event.sessions) > 200 else 2
        placements = _Placements(timing)
        code = run_solver(solver, timing.model, placements)
        log.info("timing: %s, objective %s, bound %s, %d placements, at %.1f s", solver.status_name(code),
                 solver.objective_value, solver.best_objective_bound, len(placements.found), self.elapsed())
        if code == cp_model.INFEASIBLE:
            return self._failed(code, timing, build, "decompose")
        # Without placements, a bound on the interpreters' goals alone is proven in a second or two on any event.
        # It is the tightest we have: a relaxation with placements and classes of interpreters (dropped) stayed
        # below it on all five generated events of 40-150 sessions measured, for 4 s a run (benchmarks/README.md).
        free = staffing_bound(self.event, min(2.0, max(1.0, self.left() * 0.02)), self.workers, self.seed)
        bound = max(self._load_bound(), free)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not placements.found:  # a solution the callback missed: take it from the solver
                placements.found.append(placement_of(timing, solver))
            placed = placements.found[-1]
            if solver.objective_value > (1 + RETIME_GAP) * solver.best_objective_bound:
                placements.found.append(self._retimed_by_day(placed))
            timed = self._load_bound() + max(0, math.ceil(solver.best_objective_bound - 1e-6))
            bound = max(timed, free)
            candidate = self._cheapest_staffed(placements.found, bound)
            if candidate is not None and (best is None or candidate.objective < best.objective):
                best = candidate
                first = first or self.elapsed()
                self._report(best)
        if best is None:
            return Outcome("unknown", None, build, self.elapsed(), method="decompose",
                           note="no staffing of interpreters was found for the rooms and times tried")
        best = best.model_copy(update={"bound": min(bound, best.objective)})
        best = self._by_duties(best, best.bound)
        best = self._improve(best, best.bound)
        status = "optimal" if best.objective <= best.bound else "feasible"
        best = best.model_copy(update={"status": status, "solve_seconds": round(self.elapsed(), 3)})
        return Outcome(status, best, build, self.elapsed(), best.objective, first, method="decompose")

    def _retimed_by_day(self, placed: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
        """`placed` with each day's sessions re-timed (and their rooms chosen again) by the timing model of that
        day alone, the days kept: a model of a few dozen sessions converges where the whole event's does not."""
        placed = dict(placed)
        days = sorted({self.event.day_of(start) for start, _ in placed.values()})
        end = self.elapsed() + self.left() * RETIME_SHARE
        for done, day in enumerate(days):
            seconds = min(RETIME_SECONDS, (end - self.elapsed()) / (len(days) - done))
            if seconds < 0.5:
                break
            ids = {sid for sid, (start, _) in placed.items() if self.event.day_of(start) == day}
            sub = self.event.day_part(day, ids)
            timing = ScheduleModel(sub, staffing=False, optional_demand=False)
            hint_placement(timing, {sid: (sub.minute(self.event.aware(placed[sid][0])), placed[sid][1]) for sid in ids})
            solver = self.solver(seconds, 4)
            solver.parameters.cp_model_probing_level = 0
            code = run_solver(solver, timing.model)
            log.info("re-timing day %s: %s, objective %s, bound %s, at %.1f s", day, solver.status_name(code),
                     solver.objective_value, solver.best_objective_bound, self.elapsed())
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                for sid, (start, room) in placement_of(timing, solver).items():
                    placed[sid] = (self.event.minute(sub.aware(start)), room)
        return placed

    def _cheapest_staffed(self, found: list[dict[str, tuple[int, str]]], bound: int) -> Timetable | None:
        """The cheapest greedy staffing of the timing model's last PLACEMENT_CHOICES placements. Its objective
        counts interpreters per day as if they could fill their days, so its best placement is often not the
        one whose real staffing costs least; each greedy staffing takes a fraction of a second (1.5 s on 560
        sessions, so fewer are tried when time is short). Falls back to repairing or a staffing model."""
        best: Timetable | None = None
        for placed in reversed(found[-PLACEMENT_CHOICES:]):
            if best is not None and self.left() < 0.8 * self.time_limit:
                break
            candidate = self._staffed(placed, bound)
            if candidate is not None and (best is None or candidate.objective < best.objective):
                best = candidate
        return best or self._staffed(found[-1], bound, repair=True) or self._staffing_model(found[-1], bound)

    def _by_duties(self, best: Timetable, bound: int) -> Timetable:
        """`best` re-staffed whole by column generation over interpreter-day duties (`duties.py`), times fixed,
        if that is cheaper: its LP sees whole working days, which the day models of the neighbourhood search
        do not (medium event: from about 7,500 to 5,550-6,050 in 20 s). Events with more than DUTY_LIMIT
        sessions are re-staffed a day at a time (`_by_day_duties`); re-planning skips it, since it starts from
        the old teams and should change few of them."""
        if self.left() < 3.0 or self.previous is not None:
            return best
        if len(self.event.sessions) > DUTY_LIMIT:
            return self._by_day_duties(best, bound)
        placement, current = _parts(self.event, best)
        teams = staff_by_duties(self.event, placement, current, self.left() * DUTY_SHARE, pivot_languages(self.event))
        if teams is None:
            return best
        candidate = assemble(self.event, placement, teams, "feasible", self.elapsed(), bound, self.previous)
        breaches = check(self.event, candidate)
        log.info("staffing by duties: objective %d, %d breaches, at %.1f s", candidate.objective, len(breaches),
                 self.elapsed())
        if breaches or candidate.objective >= best.objective:
            return best
        self._report(candidate)
        return candidate

    def _by_day_duties(self, best: Timetable, bound: int) -> Timetable:
        """`best` re-staffed by duties one day at a time while DAY_DUTY_SHARE of the time lasts, the days that pay
        the most interpreter-days first, each kept if cheaper. Times stay; the other days' work enters each
        person's load, and nobody's load may pass the busiest one of `best` (a day alone cannot see whether
        raising it pays)."""
        pivots = pivot_languages(self.event)
        days = _costliest_days(self.event, best)
        end = self.elapsed() + self.left() * DAY_DUTY_SHARE
        for done, day in enumerate(days):
            left = end - self.elapsed()
            if left < DAY_DUTY_SECONDS:
                break
            seconds = max(DAY_DUTY_SECONDS, left / (len(days) - done))
            part = _sessions_on(self.event, best, day)
            sub = self.event.day_part(day, {p.session for p in part.sessions})
            placement, current = _parts(sub, part)
            cap = max(_loads(self.event, best).values(), default=0)
            teams = staff_by_duties(sub, placement, current, seconds, pivots, _load_outside(self.event, best, part),
                                    cap if self.event.event.weights.interpreter_load else None)
            candidate = None if teams is None else _merged(
                self.event, best, assemble(sub, placement, teams, "feasible", self.elapsed(), bound, self.previous),
                self.elapsed(), bound, self.previous)
            log.info("staffing day %s by duties: objective %s -> %s at %.1f s", day, best.objective,
                     candidate.objective if candidate else "-", self.elapsed())
            if candidate is not None and candidate.objective < best.objective:
                best = candidate
                self._report(best)
        return best

    def _previous_kept(self) -> Timetable | None:
        """The old timetable as the first candidate of re-planning, when it still places every session of the
        event in a known room on one of its days: as it is if it obeys every rule, else with its teams cut to
        the interpreters the event still has and each day where a rule breaks re-staffed alone, times fixed
        (an interpreter who falls ill costs new teams on their own days only). None otherwise."""
        ev, old = self.event, self.previous
        days = {d.date for d in ev.event.days}
        placed = {p.session: p for p in old.sessions if p.session in ev.session}
        if old.event != ev.event.id or len(placed) < len(ev.sessions) or any(
                p.room not in ev.room or ev.day_of(ev.minute(p.start)) not in days for p in placed.values()):
            return None
        people = set(ev.interpreter)
        cut = old.model_copy(update={"sessions": [_teams_cut(p, people) for p in placed.values()]})
        draft = _assembled(ev, cut, self.elapsed(), 0, old)
        breaches = check(ev, draft)
        log.info("previous timetable: %d breaches at %.1f s", len(breaches), self.elapsed())
        return draft if not breaches else self._repaired_by_day(draft, breaches, 0)

    def _staffed(self, placed: dict[str, tuple[int, str]], bound: int, repair: bool = False) -> Timetable | None:
        """The greedy staffing of a complete placement, if it staffs every required channel validly; with
        `repair`, the days where it breaks a rule are re-staffed by CP-SAT (see `_repaired_by_day`)."""
        if len(placed) < len(self.event.sessions):
            return None
        teams = greedy_staffing(self.event, placed)
        timetable = assemble(self.event, placed, teams, "feasible", self.elapsed(), bound, self.previous)
        breaches = check(self.event, timetable)
        log.info("greedy staffing: %d channels, %d breaches, objective %d at %.1f s", len(teams), len(breaches),
                 timetable.objective, self.elapsed())
        if not breaches:
            return timetable
        return self._repaired_by_day(timetable, breaches, bound) if repair else None

    def _repaired_by_day(self, draft: Timetable, breaches: list, bound: int) -> Timetable | None:
        """`draft` (a greedy staffing) with each day where it breaks a rule re-staffed by CP-SAT, every time
        fixed and that day alone: far smaller models than the whole event's staffing."""
        day_of = {p.session: self.event.day_of(self.event.minute(p.start)) for p in draft.sessions}
        broken: set[date] = set()
        for breach in breaches:
            named = {day_of[i] for i in breach.ids if i in day_of}
            broken |= named or set(day_of.values())  # a breach naming no session: any day may be at fault
        for day in sorted(broken):
            if self.left() < 2.0:
                return None
            sm = self._day_model(draft, day)
            hint_previous(sm, draft)
            solver = self.solver(min(self.left() * 0.1, 10.0), 3)
            code = run_solver(solver, sm.model)
            log.info("re-staffing day %s after the greedy staffing: %s at %.1f s", day, solver.status_name(code),
                     self.elapsed())
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return None
            draft = _replaced(draft, extract(sm, solver, "feasible", self.elapsed(), bound))
        return _recosted(self.event, draft, self.elapsed(), bound, self.previous)

    def _day_model(self, base: Timetable, day: date, restaff: set[str] | None = None, retime: set[str] = frozenset(),
                   pivots: set[str] | None = None, free_into: frozenset[str] = frozenset()) -> ScheduleModel:
        """A model of `day` alone, the other days' work entering as load offsets: every session of that day
        keeps its time and room from `base` except those in `retime`, and its teams except those in `restaff`
        (None: every team is re-staffed) and those of its channels into the languages of `free_into`."""
        part = _sessions_on(self.event, base, day)
        sub = self.event.day_part(day, {p.session for p in part.sessions})
        return ScheduleModel(
            sub, self.previous, relay_pivots=pivots,
            fixed_times={p.session: (sub.minute(p.start), p.room) for p in part.sessions if p.session not in retime},
            fixed_staff={p.session: list(p.channels) for p in part.sessions
                         if restaff is not None and p.session not in restaff},
            load_offset=_load_outside(self.event, base, part), free_into=free_into,
        )

    def _staffing_model(self, placed: dict[str, tuple[int, str]], bound: int) -> Timetable | None:
        """Staff interpreters with CP-SAT, every time fixed (when the greedy staffing fails)."""
        staffing = ScheduleModel(self.event, self.previous, fixed_times=placed)
        hint_staffing(staffing, greedy_staffing(self.event, placed))
        solver = self.solver(max(min(self.left() * 0.4, 30.0), 1.0), 1)
        code = run_solver(solver, staffing.model)
        log.info("staffing model (%d variables): %s at %.1f s", len(staffing.model.proto.variables),
                 solver.status_name(code), self.elapsed())
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return extract(staffing, solver, "feasible", self.elapsed(), bound)
        return None

    def _load_bound(self) -> int:
        """A lower bound on interpreter_load: required team minutes shared evenly by everyone."""
        return self.event.event.weights.interpreter_load * self.event.even_share()

    def _improve(self, best: Timetable, bound: int) -> Timetable:
        """Neighbourhood search. Each round frees some sessions of one day and keeps everything else as in
        the best timetable. First a *sweep* re-staffs each day (in parts when a day's model would be large, see
        `_sweep_parts`), the costliest days first: teams are then rebuilt around whole working days, which
        small random neighbourhoods cannot do. Then rounds cycle through three kinds: re-staff sessions picked at
        random; re-staff those around the lightest working days of interpreters (the sessions they work that
        day, plus others of the day), so that a day can be saved; and also re-time a few of them (slower, so
        one round in four). Each kind's neighbourhood grows after rounds solved to optimality and shrinks
        after rounds that time out."""
        rng = random.Random(self.seed)
        pivots = pivot_languages(self.event)
        round_no = 0
        parts = self._sweep_parts(best, pivots)
        sweep_end = self.elapsed() + self.left() * SWEEP_SHARE
        for day, restaff, free_into in parts:
            if best.objective <= bound or self.left() < 4.0 or self.elapsed() > sweep_end - 2.0:
                break
            round_no += 1
            seconds = min(max(SWEEP_MIN_SECONDS, (sweep_end - self.elapsed()) / (len(parts) - round_no + 1)),
                          self.left() - 2.0)
            # A whole day re-staffed may also move its sessions that pay for their time: duties and the day
            # models keep times, so a placement's same-track overlaps stayed to the end (medium event: 100-500).
            retime = _misplaced(self.event, best).get(day, set()) & restaff
            best, _, _ = self._round(best, bound, round_no, "sweep", day, restaff, retime, seconds, pivots,
                                     free_into)
        kinds = ["random", "light", "random", "retime"]
        size = dict.fromkeys(kinds, 12)
        round_seconds, last_build = 5.0, 0.0
        while self.left() > 2.0 + 2 * last_build and best.objective > bound:
            kind = kinds[round_no % len(kinds)]
            round_no += 1
            day, restaff = self._neighbourhood(best, kind, size[kind], rng)
            retime = set(rng.sample(sorted(restaff), min(len(restaff), max(2, size[kind] // 4)))) \
                if kind == "retime" else set()
            best, code, last_build = self._round(best, bound, round_no, kind, day, restaff, retime, round_seconds,
                                                 pivots)
            grown = int(size[kind] * 1.25) + 1 if code == cp_model.OPTIMAL else int(size[kind] * 0.7)
            size[kind] = max(2, grown)
        return best

    def _round(self, best: Timetable, bound: int, round_no: int, kind: str, day: date, restaff: set[str],
               retime: set[str], seconds: float, pivots: set[str], free_into: frozenset[str] = frozenset()
               ) -> tuple[Timetable, int, float]:
        """One neighbourhood round: re-staff `restaff` (and also re-time `retime`) among the sessions of
        `day`, and the channels into `free_into` of all its sessions, everything else as in `best`. Returns the
        better of `best` and the result, the solver's status and the seconds the model took to build."""
        began = self.elapsed()
        sm = self._day_model(best, day, restaff, retime, pivots, free_into)
        hint_previous(sm, best)
        complete_hint(sm.model, min(2.0, max(0.1, self.left() / 2)))
        build = self.elapsed() - began
        # Merging and checking the result takes about as long as building did.
        solver = self.solver(min(self.left() - 0.5 - build, seconds), round_no + 1)
        solver.parameters.cp_model_probing_level = 0  # presolve would take most of a short round
        code = run_solver(solver, sm.model)
        candidate = None
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            candidate = _merged(self.event, best, extract(sm, solver, "feasible", self.elapsed(), bound),
                                self.elapsed(), bound, self.previous)
        log.info("neighbourhood %d (%s, day %s, %d re-staffed, into %s, %d re-timed, %.1f s): %s, %s -> %s",
                 round_no, kind, day, len(restaff), ",".join(sorted(free_into)) or "-", len(retime),
                 self.elapsed() - began, solver.status_name(code),
                 best.objective, candidate.objective if candidate else "-")
        if candidate is not None and candidate.objective < best.objective:
            self._report(candidate)
            return candidate, code, build
        return best, code, build

    def _sweep_parts(self, best: Timetable, pivots: set[str]) -> list[tuple[date, set[str], frozenset[str]]]:
        """The sweep's neighbourhoods as (day, sessions re-staffed, languages whose channels are re-staffed), the
        days that pay the most interpreter-days first. A day whose model has at most SWEEP_OPTIONS (interpreter,
        channel, source) options is re-staffed whole (events of medium size); a larger day is cut into groups of
        target languages of at most SWEEP_GROUP_OPTIONS, languages that share the most interpreters together: then
        whole working days of the people who work into those languages are rebuilt, which slices of the day's
        time cannot do."""
        able = able_interpreters(self.event)
        by_day: dict[date, dict[str, int]] = {}  # day -> target language -> options
        sessions: dict[date, set[str]] = {}
        for p in best.sessions:
            s = self.event.session[p.session]
            day = self.event.day_of(self.event.minute(p.start))
            sessions.setdefault(day, set()).add(p.session)
            options = by_day.setdefault(day, {})
            for into in self.event.channels(s):
                options[into] = options.get(into, 0) + sum(len(able.get((src, into), []))
                                                          for src in {s.language} | pivots if src != into)
        people = able_by_target(self.event)
        parts = []
        for day in _costliest_days(self.event, best):
            options = by_day[day]
            if sum(options.values()) <= SWEEP_OPTIONS:
                parts.append((day, sessions[day], frozenset()))
            else:
                parts.extend((day, set(), group) for group in _language_groups(options, people))
        return parts

    def _neighbourhood(self, best: Timetable, kind: str, size: int, rng: random.Random) -> tuple[date, set[str]]:
        """A day and up to `size` sessions of it to re-staff: at random, or (kind "light") first the sessions
        of one of the interpreters who work least that day."""
        by_day: dict[date, list[Placement]] = {}
        for p in best.sessions:
            by_day.setdefault(self.event.day_of(self.event.minute(p.start)), []).append(p)
        if kind == "light":
            minutes: dict[tuple[str, date], int] = {}
            for d, placements in by_day.items():
                for p in placements:
                    for who in {w for c in p.channels for w in c.interpreters}:
                        minutes[(who, d)] = minutes.get((who, d), 0) + self.event.session[p.session].duration
            if minutes:
                lightest = sorted(minutes, key=lambda k: (minutes[k], k))[:10]
                who, day = rng.choice(lightest)
                theirs = {p.session for p in by_day[day] if any(who in c.interpreters for c in p.channels)}
                others = sorted(p.session for p in by_day[day] if p.session not in theirs)
                return day, theirs | set(rng.sample(others, min(len(others), max(0, size - len(theirs)))))
        day = rng.choice(sorted(by_day))
        on_day = [p.session for p in by_day[day]]
        return day, set(rng.sample(on_day, min(len(on_day), size)))

    def _report(self, timetable: Timetable) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(self.elapsed(), timetable.objective, timetable.bound))


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
    best = best.model_copy(update={"status": status, "bound": min(bound, best.objective),
                                   "solve_seconds": later.solve_seconds})
    return Outcome(status, best, build, later.solve_seconds, objective, first or later.first_solution_seconds,
                   method=method)


def _misplaced(ev: Event, timetable: Timetable) -> dict[date, set[str]]:
    """By day, the sessions paying a goal that moving them within their day may save: same-track overlaps,
    outside preferred windows, audience asleep."""
    day = {p.session: ev.day_of(ev.minute(p.start)) for p in timetable.sessions}
    out: dict[date, set[str]] = {}
    for c in timetable.costs:
        if c.goal in ("track_overlap", "outside_preferred", "audience_asleep"):
            for sid in c.sessions:
                out.setdefault(day[sid], set()).add(sid)
    return out


def _costliest_days(ev: Event, timetable: Timetable) -> list[date]:
    """The days that hold sessions, those that pay the most interpreter-days first."""
    paid: dict[date, int] = {}
    for c in timetable.costs:
        if c.goal == "interpreter_day" and c.day is not None:
            paid[c.day] = paid.get(c.day, 0) + c.cost
    return sorted({ev.day_of(ev.minute(p.start)) for p in timetable.sessions}, key=lambda d: (-paid.get(d, 0), d))


def _sessions_on(ev: Event, timetable: Timetable, day: date) -> Timetable:
    """The sessions of `timetable` on `day`, as a timetable of its own."""
    return timetable.model_copy(update={"sessions": [p for p in timetable.sessions
                                                     if ev.day_of(ev.minute(p.start)) == day]})


def _load_outside(ev: Event, timetable: Timetable, part: Timetable) -> dict[str, int]:
    """Minutes each interpreter works in `timetable` outside the sessions of `part`."""
    return _loads(ev, timetable, {p.session for p in part.sessions})


def _loads(ev: Event, timetable: Timetable, skip: Collection[str] = ()) -> dict[str, int]:
    """Minutes each interpreter works in `timetable`, the sessions in `skip` left out."""
    load: dict[str, int] = {}
    for p in timetable.sessions:
        if p.session not in skip:
            for who in {w for c in p.channels for w in c.interpreters}:
                load[who] = load.get(who, 0) + ev.session[p.session].duration
    return load


def _merged(ev: Event, whole: Timetable, part: Timetable, elapsed: float, bound: int,
            previous: Timetable | None) -> Timetable | None:
    """`whole` with the sessions of `part` replaced, re-costed and checked (see `_recosted`): a part's model
    cannot see rules that run across days, such as rest past midnight."""
    return _recosted(ev, _replaced(whole, part), elapsed, bound, previous)


def _language_groups(options: dict[str, int], people: dict[str, set[str]]) -> list[frozenset[str]]:
    """Target languages grouped so that each group's `options` sum to at most SWEEP_GROUP_OPTIONS (a larger
    language stands alone): each group starts from the largest language left and adds, while they fit, those
    that share the most interpreters (`people` able to work into each) with it."""
    left = sorted(options, key=lambda t: (-options[t], t))
    groups = []
    while left:
        group = [left.pop(0)]
        size = options[group[0]]
        while fits := [t for t in left if size + options[t] <= SWEEP_GROUP_OPTIONS]:
            shared = max(fits, key=lambda t: sum(len(people[t] & people[g]) for g in group))  # ties: the first
            group.append(shared)
            left.remove(shared)
            size += options[shared]
        groups.append(frozenset(group))
    return groups


def _teams_cut(placement: Placement, people: set[str]) -> Placement:
    """`placement` with every team cut to the interpreters in `people`."""
    return placement.model_copy(update={"channels": [
        c.model_copy(update={"interpreters": [w for w in c.interpreters if w in people]})
        for c in placement.channels]})


def _replaced(whole: Timetable, part: Timetable) -> Timetable:
    """`whole` with the sessions of `part` in place of its own (neither re-costed nor checked)."""
    new = {p.session: p for p in part.sessions}
    return whole.model_copy(update={"sessions": [new.get(p.session, p) for p in whole.sessions]})


def _recosted(ev: Event, timetable: Timetable, elapsed: float, bound: int,
              previous: Timetable | None) -> Timetable | None:
    """`timetable` with its costs evaluated on `ev`, or None if the checker finds a broken rule."""
    result = _assembled(ev, timetable, elapsed, bound, previous)
    return None if check(ev, result) else result


def _assembled(ev: Event, timetable: Timetable, elapsed: float, bound: int,
               previous: Timetable | None) -> Timetable:
    """`timetable` rebuilt on `ev` (its channels and costs, see `assemble`), unchecked."""
    return assemble(ev, *_parts(ev, timetable), "feasible", elapsed, bound, previous)


def _parts(ev: Event, timetable: Timetable) -> tuple[dict[str, tuple[int, str]],
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
    return draft.model_copy(update={"objective": objective, "bound": min(bound, objective), "costs": items})


def complete_hint(model: cp_model.CpModel, seconds: float = 5.0) -> bool:
    """Turn a partial hint into a complete one: solve with the hinted variables fixed, then hint every
    variable. CP-SAT starts at once from a complete feasible hint, but may lose a partial one."""
    proto = model.proto
    fixed = model.clone()
    fixed.clear_hints()
    for index, value in zip(proto.solution_hint.vars, proto.solution_hint.values):
        fixed.add(fixed.get_int_var_from_proto_index(index) == value)
    fixed.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
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


def pivot_languages(event: Event, count: int = 2) -> set[str]:
    """The audience languages most interpreters work from: the usual relay pivots."""
    known = {t: sum(1 for i in event.interpreters for src in event.event.languages if i.can_interpret(src, t)
                    or i.can_interpret(t, src)) for t in event.event.languages}
    return set(sorted(known, key=lambda t: (-known[t], t))[:count])


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
