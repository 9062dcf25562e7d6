"""The decomposition, for events too large for one exact model to solve in time, in steps that each stay small:

1. *timing*: rooms and times, with interpreters replaced by counters of people working and capacity cuts (a
   relaxation: if it is infeasible, so is the event, and its bound is a valid bound on the timing goals and
   interpreter-days); the interpreters' goals get their own bound without placements (`bounds.py`), to which
   the timing goals' own bound adds;
2. *staffing*: interpreters assigned with every time fixed (the rest rule then has a cheap exact form),
   greedily, then by column generation over interpreter-day duties (`duties.py`);
3. *neighbourhood search* (`neighbourhood.py`) for the time left; before and after it, whole working days are
   handed round (two short ones to one person, a third day to someone idle), light days given away channel by
   channel and optional channels given to people at work with room for them (`rebalance.py`).

Re-planning (`--previous`) starts from the old timetable instead of a greedy one, and keeps its teams.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import date

from ortools.sat.python import cp_model

from .bounds import lone_session_bound, staffing_bound, track_overlap_bound
from .check import check
from .constraints import pivot_languages, rest_window_shortfalls, rest_windows, rest_windows_of_days
from .duties import staff_by_duties
from .greedy import greedy_placement, greedy_staffing
from .model import ScheduleModel
from .neighbourhood import day_model, improve
from .parallel import side_processes
from .rebalance import emptied, rebalanced, topped_up
from .rules import STAFFING_RULES
from .search import Outcome, Search, run_solver
from .solutions import (assemble, assembled, complete_hint, costliest_days, extract, hint_placement, hint_previous,
                        hint_staffing, load_outside, loads, merged, parts, placement_of, recosted, replaced,
                        reported_bound, sessions_on, teams_cut)
from .timetable import Timetable

log = logging.getLogger(__name__)

# The decomposition staffs (greedily) up to this many of the timing model's last placements and keeps the cheapest.
PLACEMENT_CHOICES = 8
# Events of at most DUTY_LIMIT sessions are then re-staffed by duties (see `by_duties`), one master for the whole
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
# Larger events are re-staffed by duties one day at a time (`by_day_duties`), the costliest days first, with this
# share of the time left and each day at least DAY_DUTY_SECONDS. On the 560-session event (about 500
# interpreter-days a day) 12 s a day took each day 200-1,900 lower, 69,733 -> 63,193 in 80 s, where the sweep's
# CP-SAT models took 500-1,000 off a day in 25-35 s; so they get nearly all the time left (with 80 %, six days
# of eight were done in a 120 s run, 53,553; with 95 %, all eight, 51,658). With several workers, that many
# days are staffed at once in side processes, each with its share of all their time: on 2 cores, from the
# 560-session event's staffing before this step (54,879), 70 s gave 44,749-44,949 against 46,269-46,879 one
# day at a time (each day then dives to the end more often).
DAY_DUTY_SHARE = 0.95
DAY_DUTY_SECONDS = 8.0
# Handing whole working days round (`rebalance.py`) gets at most this many seconds each time, which staffing by
# duties day by day keeps for it: the 130-session event's model is solved in 0.1 s; on the 560-session event
# (1,800 duties, 31,000 (duty, person) pairs, 370-1,140 pairs of duties one person can do together) 6 s took
# 640-2,900 off in four runs, most of it in interpreter-days. Checking the result takes up to REBALANCE_MARGIN.
REBALANCE_SECONDS = 6.0
REBALANCE_MARGIN = 1.0
# The goals of rooms and times alone get a bound of their own (`timing_goals_bound`) on events of up to
# DUTY_LIMIT sessions, with this share of the time left, at most TIMING_BOUND_SECONDS. A generated 45-session,
# 3-language event: its audience-asleep optimum (377) proven in 0.2 s, its bound 936 -> 1,224-1,226 (timetables
# 1,517-1,527); on 560 sessions CP-SAT proves nothing in 15 s.
TIMING_BOUND_SHARE = 0.03
TIMING_BOUND_SECONDS = 2.0
# The interpreters' bound with capped loads (`interpreters_bound`) gets this share of the time left, at most
# STAFFING_BOUND_SECONDS: on the 130-session event 3.3 s on two cores took it from 4,487 to 4,539 (the plain one:
# 4,487 in 0.5-2 s); on a generated 60-session bilingual event 1-1.3 s from 800 to 886-889 (timetables 920-985).
STAFFING_BOUND_SHARE = 0.06
STAFFING_BOUND_SECONDS = 4.0
# Events with more channels than this keep the plain bound: the capped models grow with the channels (one 0/1 per
# optional channel); the 130-session benchmark has 575 (caps: 4,487 -> 4,539 in 3.3 s), CoSPLib's OR60F with
# French 279 (1,110 -> 1,213 in 0.4 s), the 560-session one about 5,000 (caps prove little in 2 s).
CAPS_CHANNEL_LIMIT = 1000
# The whole event's staffing model (the last fallback) is built only up to this many sessions x interpreters: a
# generated 1,000-session, 644-interpreter event's took 6.5 GB and ran the solve to twice its time limit.
STAFFING_MODEL_LIMIT = 100_000
# ... and only with the time its building takes left: about 1.4 s for the 130-session benchmark (13,780), so a
# second per 7,000 sessions x interpreters. A fixed 2 s (stop 22) left a 13-session event with a 1.5 s limit,
# whose greedy staffing failed, without any timetable.
STAFFING_MODEL_BUILD_PER_SIZE = 1 / 7_000
# Goals that depend on rooms and times only; the others are the interpreters' (see `bounds.staffing_bound`).
TIMING_GOALS = ("track_overlap", "outside_preferred", "audience_asleep", "moved")


class _Placements(cp_model.CpSolverSolutionCallback):
    """Every placement (session -> start minute, room) a timing model's search finds, in order."""

    def __init__(self, sm: ScheduleModel):
        super().__init__()
        self.sm = sm
        self.found: list[dict[str, tuple[int, str]]] = []

    def on_solution_callback(self) -> None:
        self.found.append(placement_of(self.sm, self))


def decompose(run: Search) -> Outcome:
    """Timing, staffing, then neighbourhood search (see above): the cheapest timetable found in the time limit,
    with the higher of the timing model's bound and the interpreters' bound."""
    # Optional channels cost no people here: placements made to staff them in the relaxation crowd some
    # days, which the real staffing then does worse (medium: 6,270 against 5,845). The bound models count them.
    timing = ScheduleModel(run.event, run.previous, staffing=False, optional_demand=False)
    build = run.elapsed()
    best: Timetable | None = None
    if run.previous is not None:
        best = previous_kept(run)
    if best is None:
        # No old timetable, or one that cannot stand as it is: the greedy, which in re-planning keeps old places
        # and teams where it can (a session whose speaker cancelled its day moves, the rest stay).
        placed = greedy_placement(timing)
        log.info("greedy placed %d of %d sessions at %.1f s", len(placed), len(timing.sessions), run.elapsed())
        hint_placement(timing, placed)
        # A breach of the greedy staffing is mended day by day at once: a generated 1,000-session event whose
        # greedy staffing broke one rule had no timetable until its timing model found placements at 110 s.
        best = staffed(run, placed, load_bound(run), repair=True)
    elif run.previous is not None:
        hint_previous(timing, run.previous)
    if best is not None:
        run.report(best)
    complete_hint(timing.model, max(1.0, run.left() * 0.05))
    solver = _timing_solver(run, min(run.left() * 0.25, max(5.0, run.left() * 0.1)))
    placements = _Placements(timing)
    code = run_solver(solver, timing.model, placements)
    if code == cp_model.UNKNOWN and best is None and not placements.found and run.left() > 2.0:
        # Nothing to staff yet, so a first placement is all that counts: the timing model gets the time left but
        # a tenth, where it used to end the solve with most of its time unused (a 556-session event filling 95 %
        # of its rooms' talk slots, whose greedy placement left two sessions out: nothing in 10 s).
        log.info("timing: no placement at %.1f s; searching again with the time left", run.elapsed())
        solver = _timing_solver(run, run.left() * 0.9, 1)
        code = run_solver(solver, timing.model, placements)
    log.info("timing: %s, objective %s, bound %s, %d placements, at %.1f s", solver.status_name(code),
             solver.objective_value, solver.best_objective_bound, len(placements.found), run.elapsed())
    if code == cp_model.INFEASIBLE:
        return run.failed(code, timing, build, "decompose")
    # Without placements, a bound on the interpreters' goals alone is proven in a second or two on any event.
    # It is the tightest we have: a relaxation with placements and classes of interpreters (dropped) stayed
    # below it on all five generated events of 40-150 sessions measured, for 4 s a run (benchmarks/JOURNAL.md).
    # The goals of rooms and times are other terms of the objective, so their own bound adds to it.
    free = interpreters_bound(run) + max(track_overlap_bound(run.event) + lone_session_bound(timing),
                                         timing_goals_bound(run, best), timing_alone_bound(run, solver, code))
    bound = max(load_bound(run), free)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if not placements.found:  # a solution the callback missed: take it from the solver
            placements.found.append(placement_of(timing, solver))
        placed = placements.found[-1]
        if solver.objective_value > (1 + RETIME_GAP) * solver.best_objective_bound:
            placements.found.append(retimed_by_day(run, placed))
        timed = load_bound(run) + max(0, math.ceil(solver.best_objective_bound - 1e-6))
        bound = max(timed, free)
        candidate = cheapest_staffed(run, placements.found, bound)
        if candidate is None and best is None:
            candidate = rest_cuts(run, timing, placements.found[-1], bound)
        if candidate is not None and (best is None or candidate.objective < best.objective):
            best = candidate
            run.report(best)
    if best is None:
        note = ("no staffing of interpreters was found for the rooms and times tried" if placements.found else
                "no placement of the sessions in rooms and times was found")
        return Outcome("unknown", None, build, run.elapsed(), method="decompose", note=note)
    best = best.model_copy(update={"bound": reported_bound(bound, best.objective)})
    best = by_duties(run, best, best.bound)
    began = run.elapsed()
    best = rebalance(run, best)
    took = run.elapsed() - began
    # The neighbourhood search changes teams: the days are handed round again after it, in time kept for that
    # (on large events, where the search has no time left, the model goes on from where its first run stopped,
    # if it has at least half the time its first run took: with less it finds nothing).
    with run.reserving(min(REBALANCE_SECONDS, 2 * took) + REBALANCE_MARGIN):
        best = improve(run, best, best.bound)
    best = rebalance(run, best, least=took / 2)
    status = "optimal" if best.objective <= best.bound else "feasible"
    best = best.model_copy(update={"status": status, "solve_seconds": round(run.elapsed(), 3)})
    return Outcome(status, best, build, run.elapsed(), best.objective, run.first, method="decompose")


def rest_cuts(run: Search, timing: ScheduleModel, placed: dict[str, tuple[int, str]],
              bound: int) -> Timetable | None:
    """When no staffing of the timing model's placements was found: the windows where a placement asks more
    work into a language than its interpreters can do under the rest rule are cut from the timing model (cuts
    the rules imply, so its bound holds), and its next placement is staffed, until one is or no new window is
    cut (a shortfall may lie in windows already cut, or between days). An
    online event whose Spanish interpreters were two until 14:00 had plenaries from 08:00 to 11:30 back to back:
    four hours of work for two people who may do three each."""
    cut: set[tuple[str, int]] = set()
    while run.left() > 2.0:
        short = [w for w in rest_window_shortfalls(run.event, placed) if w not in cut]
        if not short:
            return None
        added = [w for w in rest_windows_of_days(run.event, short) if w not in cut]
        if not added:  # solving again would find the same placement
            return None
        rest_windows(timing, added)
        cut.update(added)
        timing.model.clear_hints()
        hint_placement(timing, placed)  # broken by the cuts, but mostly right: CP-SAT mends it
        placements = _Placements(timing)
        solver = _timing_solver(run, min(run.left() * 0.25, max(5.0, run.left() * 0.1)))
        code = run_solver(solver, timing.model, placements)
        if code == cp_model.UNKNOWN and not placements.found and run.left() > 2.0:
            solver = _timing_solver(run, run.left() * 0.5, 1)
            code = run_solver(solver, timing.model, placements)
        log.info("timing with %d rest windows cut: %s, %d placements, at %.1f s", len(cut),
                 solver.status_name(code), len(placements.found), run.elapsed())
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        if not placements.found:
            placements.found.append(placement_of(timing, solver))
        found = cheapest_staffed(run, placements.found, bound)
        if found is not None:
            return found
        placed = placements.found[-1]
    return None


def _timing_solver(run: Search, seconds: float, seed_offset: int = 0) -> cp_model.CpSolver:
    """A solver for the whole event's timing model: probing in presolve costs minutes on large timing models and
    gains little here."""
    solver = run.solver(seconds, seed_offset)
    solver.parameters.cp_model_probing_level = 0 if len(run.event.sessions) > 200 else 2
    return solver


def retimed_by_day(run: Search, placed: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """`placed` with each day's sessions re-timed (and their rooms chosen again) by the timing model of that
    day alone, the days kept: a model of a few dozen sessions converges where the whole event's does not."""
    placed = dict(placed)
    days = sorted({run.event.day_of(start) for start, _ in placed.values()})
    end = run.elapsed() + run.left() * RETIME_SHARE
    for done, day in enumerate(days):
        seconds = min(RETIME_SECONDS, (end - run.elapsed()) / (len(days) - done))
        if seconds < 0.5:
            break
        ids = {sid for sid, (start, _) in placed.items() if run.event.day_of(start) == day}
        sub = run.event.day_part(day, ids)
        # With the old timetable: re-planning counts moves here too (without it, a re-plan after a room was
        # lost moved 37 of 80 sessions within their days, where 8 moves would do).
        timing = ScheduleModel(sub, run.previous, staffing=False, optional_demand=False)
        hint_placement(timing, {sid: (sub.minute(run.event.aware(placed[sid][0])), placed[sid][1]) for sid in ids})
        solver = run.solver(seconds, 4)
        solver.parameters.cp_model_probing_level = 0
        code = run_solver(solver, timing.model)
        log.info("re-timing day %s: %s, objective %s, bound %s, at %.1f s", day, solver.status_name(code),
                 solver.objective_value, solver.best_objective_bound, run.elapsed())
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for sid, (start, room) in placement_of(timing, solver).items():
                placed[sid] = (run.event.minute(sub.aware(start)), room)
    return placed


def cheapest_staffed(run: Search, found: list[dict[str, tuple[int, str]]], bound: int) -> Timetable | None:
    """The cheapest greedy staffing of the timing model's last PLACEMENT_CHOICES placements. Its objective
    counts interpreters per day as if they could fill their days, so its best placement is often not the
    one whose real staffing costs least; each greedy staffing takes a fraction of a second (1.5 s on 560
    sessions, so fewer are tried when time is short). Falls back to repairing or a staffing model."""
    best: Timetable | None = None
    for placed in reversed(found[-PLACEMENT_CHOICES:]):
        if best is not None and run.left() < 0.8 * run.time_limit or run.left() <= 0:
            break
        candidate = staffed(run, placed, bound)
        if candidate is not None and (best is None or candidate.objective < best.objective):
            best = candidate
    return best or staffed(run, found[-1], bound, repair=True) or staffing_model(run, found[-1], bound)


def by_duties(run: Search, best: Timetable, bound: int) -> Timetable:
    """`best` re-staffed whole by column generation over interpreter-day duties (`duties.py`), times fixed,
    if that is cheaper: its LP sees whole working days, which the day models of the neighbourhood search
    do not (medium event: from about 7,500 to 5,550-6,050 in 20 s). Events with more than DUTY_LIMIT
    sessions are re-staffed a day at a time (`by_day_duties`); re-planning skips it, since it starts from
    the old teams and should change few of them."""
    if run.left() < 3.0 or run.previous is not None:
        return best
    if len(run.event.sessions) > DUTY_LIMIT:
        return by_day_duties(run, best, bound)
    placement, current = parts(run.event, best)
    teams = staff_by_duties(run.event, placement, current, run.left() * DUTY_SHARE, pivot_languages(run.event))
    if teams is None:
        return best
    candidate = assemble(run.event, placement, teams, "feasible", run.elapsed(), bound, run.previous)
    breaches = check(run.event, candidate)
    log.info("staffing by duties: objective %d, %d breaches, at %.1f s", candidate.objective, len(breaches),
             run.elapsed())
    if breaches or candidate.objective >= best.objective:
        return best
    run.report(candidate)
    return candidate


def rebalance(run: Search, best: Timetable, least: float = 0.2) -> Timetable:
    """`best` with whole working days handed to other interpreters, then the lightest days given away channel by
    channel, then optional channels given to people at work that day with room for them (`rebalance.py`), if
    that costs less, if it has at least `least` seconds. The teams of re-planning stay (handing a day round changes
    every assignment in it)."""
    seconds = min(REBALANCE_SECONDS, run.left() - REBALANCE_MARGIN)
    if seconds < max(0.2, least) or run.previous is not None:
        return best
    placement, teams = parts(run.event, best)
    handed = rebalanced(run.event, placement, teams, seconds, run.workers, run.seed) or teams
    handed = topped_up(run.event, placement, emptied(run.event, placement, handed))
    if handed == teams:
        return best
    candidate = assemble(run.event, placement, handed, "feasible", run.elapsed(), best.bound, run.previous)
    if check(run.event, candidate) or candidate.objective >= best.objective:
        return best
    run.report(candidate)
    return candidate


def by_day_duties(run: Search, best: Timetable, bound: int) -> Timetable:
    """`best` re-staffed by duties one day at a time while DAY_DUTY_SHARE of the time lasts, the days that pay
    the most interpreter-days first, each kept if cheaper. Times stay; the other days' work enters each
    person's load, and nobody's load may pass the busiest one of `best` (a day alone cannot see whether
    raising it pays). With several workers, as many days are staffed at once in side processes (`parallel.py`),
    each from the timetable as it is when it starts; its teams are merged into the timetable as it is when
    they come (and checked there)."""
    pivots = pivot_languages(run.event)
    todo = costliest_days(run.event, best)
    # Time is kept for handing days round afterwards (`rebalance`): on the 560-session event its 6 s took 640-2,900
    # off, where the day staffed last here took 460-1,350 off.
    end = run.elapsed() + max(0.0, run.left() - REBALANCE_SECONDS - REBALANCE_MARGIN) * DAY_DUTY_SHARE
    reserved: Counter[str] = Counter()  # minutes each person may still gain on the days being staffed
    with side_processes(min(run.workers, len(todo))) as (pool, slots):
        running: dict[Future, tuple] = {}
        while todo or running:
            while todo and len(running) < slots:
                left = end - run.elapsed()
                if left < DAY_DUTY_SECONDS:
                    todo = []
                    break
                # The time left, shared by the days not done, `slots` at a time (each day its share of the time
                # of all slots: with half of it, the dives ran out of time more often, and on the 560-session event
                # the timetables ended no better than one day at a time).
                seconds = min(left, max(DAY_DUTY_SECONDS, left * slots / (len(todo) + len(running))))
                day = todo.pop(0)
                part = sessions_on(run.event, best, day)
                sub = run.event.day_part(day, {p.session for p in part.sessions})
                placement, current = parts(sub, part)
                terms, room = _day_load_terms(run, best, part, reserved, slots - len(running))
                reserved.update(room)
                future = pool.submit(staff_by_duties, sub, placement, current, seconds, pivots, **terms)
                running[future] = (day, sub, placement, room)
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                day, sub, placement, room = running.pop(future)
                reserved.subtract(room)
                try:
                    teams = future.result()
                except BrokenProcessPool:  # a side process died (killed, out of memory): keep what we have
                    log.warning("staffing day %s by duties: its process died; the other days stop", day)
                    teams, todo = None, []
                candidate = None if teams is None else merged(
                    run.event, best, assemble(sub, placement, teams, "feasible", run.elapsed(), bound, run.previous),
                    run.elapsed(), bound, run.previous)
                log.info("staffing day %s by duties: objective %s -> %s at %.1f s", day, best.objective,
                         candidate.objective if candidate else "-", run.elapsed())
                if candidate is not None and candidate.objective < best.objective:
                    best = candidate
                    run.report(best)
    return best


def _day_load_terms(run: Search, best: Timetable, part: Timetable, reserved: Counter[str],
                    free: int) -> tuple[dict, dict[str, int]]:
    """The load arguments of `staff_by_duties` for the day of `part` (the other days' minutes, the busiest load
    of `best` as cap, each person's limit that day), and each person's room that day (what they may gain on
    it): their share, among `free` slots, of what the cap leaves them beside the `reserved` room of the days
    being staffed. Unshared, two days staffed at once raised the same people: on the 560-session event the
    busiest load went from 1,485 to 2,430 minutes. With one slot the cap alone says as much."""
    load, outside = loads(run.event, best), load_outside(run.event, best, part)
    if not run.event.event.weights.interpreter_load:
        return {"load_offset": outside}, {}
    cap = max(load.values(), default=0)
    room = {it.id: max(0, cap - load.get(it.id, 0) - reserved[it.id]) // free for it in run.event.interpreters}
    limits = {who: load.get(who, 0) - outside.get(who, 0) + gain for who, gain in room.items()}
    return {"load_offset": outside, "load_cap": cap, "limits": limits}, room


def previous_kept(run: Search) -> Timetable | None:
    """The old timetable as the first candidate of re-planning, when it still places every session of the
    event in a known room on one of its days: as it is if it obeys every rule, else with its teams cut to
    the interpreters the event still has and each day where a rule breaks re-staffed alone, times fixed
    (an interpreter who falls ill costs new teams on their own days only). None otherwise."""
    ev, old = run.event, run.previous
    days = {d.date for d in ev.event.days}
    placed = {p.session: p for p in old.sessions if p.session in ev.session}
    if old.event != ev.event.id or len(placed) < len(ev.sessions) or any(
            p.room not in ev.room or ev.day_of(ev.minute(p.start)) not in days for p in placed.values()):
        return None
    people = set(ev.interpreter)
    cut = old.model_copy(update={"sessions": [teams_cut(p, people) for p in placed.values()]})
    draft = assembled(ev, cut, run.elapsed(), 0, old)
    breaches = check(ev, draft)
    log.info("previous timetable: %d breaches at %.1f s", len(breaches), run.elapsed())
    return draft if not breaches else repaired_by_day(run, draft, breaches, 0)


def staffed(run: Search, placed: dict[str, tuple[int, str]], bound: int, repair: bool = False) -> Timetable | None:
    """The greedy staffing of a complete placement, if it staffs every required channel validly; with
    `repair`, the days where it breaks a rule are re-staffed by CP-SAT (see `repaired_by_day`)."""
    if len(placed) < len(run.event.sessions):
        return None
    teams = greedy_staffing(run.event, placed, run.previous)
    timetable = assemble(run.event, placed, teams, "feasible", run.elapsed(), bound, run.previous)
    breaches = check(run.event, timetable)
    log.info("greedy staffing: %d channels, %d breaches, objective %d at %.1f s", len(teams), len(breaches),
             timetable.objective, run.elapsed())
    if not breaches:
        return timetable
    return repaired_by_day(run, timetable, breaches, bound) if repair else None


def repaired_by_day(run: Search, draft: Timetable, breaches: list, bound: int) -> Timetable | None:
    """`draft` (a greedy staffing, or an old timetable in re-planning) with each day where it breaks a rule
    mended by CP-SAT, that day alone: first only the sessions the breaches name are re-staffed (and re-timed
    within the day where a breach is not about staffing), the rest kept; if that fails and re-staffing can
    mend every breach of the day, the whole day is re-staffed, every time fixed. Far smaller models than the
    whole event's staffing."""
    day_of = {p.session: run.event.day_of(run.event.minute(p.start)) for p in draft.sessions}
    named: dict[date, set[str]] = defaultdict(set)  # day -> the sessions its breaches name
    moved: set[str] = set()  # sessions named by a breach that re-staffing cannot mend
    fixable: dict[date, bool] = defaultdict(lambda: True)
    for breach in breaches:
        ids = {i for i in breach.ids if i in day_of}
        for day in {day_of[i] for i in ids} or set(day_of.values()):  # naming no session: any day
            named[day].update(i for i in ids if day_of[i] == day)
            fixable[day] &= breach.rule in STAFFING_RULES
        if breach.rule not in STAFFING_RULES:
            moved |= ids
    for day in sorted(named):
        whole = {sid for sid, d in day_of.items() if d == day}
        # Last, the whole day re-timed as well: on an online event whose interpreters rest after 3 hours in a
        # row, three sessions back to back had no staffing, a few moves within their day mended it.
        tries = []  # (sessions re-staffed or None for all, sessions re-timed), each tried once
        if named[day]:
            tries.append((None if named[day] == whole else frozenset(named[day]), frozenset(named[day] & moved)))
        if fixable[day]:
            tries.append((None, frozenset()))
        tries.append((None, frozenset(whole)))
        for freed, retimed in dict.fromkeys(tries):
            if run.left() < 2.0:
                return None
            sm = day_model(run, draft, day, restaff=freed, retime=retimed)
            hint_previous(sm, draft)
            solver = run.solver(min(run.left() * (0.05 if freed else 0.1), 10.0), 3)
            code = run_solver(solver, sm.model)
            log.info("re-staffing day %s (%s%s): %s at %.1f s", day, f"{len(freed)} sessions" if freed else "all",
                     ", re-timed" if retimed == whole else "", solver.status_name(code), run.elapsed())
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                draft = replaced(draft, extract(sm, solver, "feasible", run.elapsed(), bound))
                break
        else:
            return None
    return recosted(run.event, draft, run.elapsed(), bound, run.previous)


def staffing_model(run: Search, placed: dict[str, tuple[int, str]], bound: int) -> Timetable | None:
    """Staff interpreters with CP-SAT, every time fixed (when the greedy staffing fails and cannot be mended day
    by day), on events of up to STAFFING_MODEL_LIMIT sessions x interpreters and with the time to build it."""
    if run.event.size() > STAFFING_MODEL_LIMIT or run.left() < run.event.size() * STAFFING_MODEL_BUILD_PER_SIZE:
        return None
    staffing = ScheduleModel(run.event, run.previous, fixed_times=placed)
    hint_staffing(staffing, greedy_staffing(run.event, placed, run.previous))
    solver = run.solver(max(min(run.left() * 0.4, 30.0), 1.0), 1)
    code = run_solver(solver, staffing.model)
    log.info("staffing model (%d variables): %s at %.1f s", len(staffing.model.proto.variables),
             solver.status_name(code), run.elapsed())
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return extract(staffing, solver, "feasible", run.elapsed(), bound)
    return None


def interpreters_bound(run: Search) -> int:
    """The placement-free bound on the interpreters' goals (`bounds.staffing_bound`); with the busiest load capped
    cap after cap on events of up to CAPS_CHANNEL_LIMIT channels, which gets more time (on 560 sessions in 10
    languages a capped model proves little in 2 s, and the plain one's bound is as good)."""
    # At least a second, but never more than a quarter of what is left: it runs before any staffing of the
    # timing model's placements, and a 1.5 s solve of a 13-session event spent 1 s of it here, then had no time
    # left to staff anything (the property test found it).
    least = min(1.0, run.left() / 4)
    if sum(len(run.event.channels(s)) for s in run.event.sessions) > CAPS_CHANNEL_LIMIT:  # none for "none"
        return staffing_bound(run.event, min(2.0, max(least, run.left() * 0.02)), run.workers, run.seed, caps=False)
    seconds = min(STAFFING_BOUND_SECONDS, max(least, run.left() * STAFFING_BOUND_SHARE))
    return staffing_bound(run.event, seconds, run.workers, run.seed)


def timing_goals_bound(run: Search, start: Timetable | None) -> int:
    """A proven lower bound on the goals of rooms and times alone (`TIMING_GOALS`): the timing model with the
    interpreters' weights at zero, hinted with `start` (a valid timetable, or None), for a few seconds; 0 when
    none is proven, on events of more than DUTY_LIMIT sessions, or when `start` pays none of these goals."""
    if len(run.event.sessions) > DUTY_LIMIT or (start is not None and not any(
            c.goal in TIMING_GOALS for c in start.costs)):
        return 0
    weights = run.event.event.weights
    w = weights.model_copy(update={goal: 0 for goal in type(weights).model_fields if goal not in TIMING_GOALS})
    event = run.event.model_copy(update={"event": run.event.event.model_copy(update={"weights": w})})
    sm = ScheduleModel(event, run.previous, staffing=False, optional_demand=False)
    if start is not None:
        hint_placement(sm, parts(run.event, start)[0])
    solver = run.solver(min(TIMING_BOUND_SECONDS, max(0.2, run.left() * TIMING_BOUND_SHARE)))
    code = run_solver(solver, sm.model)
    bound = max(0, math.ceil(solver.best_objective_bound - 1e-6)) if code != cp_model.INFEASIBLE else 0
    log.info("timing goals alone: %s, bound %d, at %.1f s", solver.status_name(code), bound, run.elapsed())
    return bound


def timing_alone_bound(run: Search, solver: cp_model.CpSolver, code: int) -> int:
    """The timing model's own bound when it is one on the goals of rooms and times alone: with no required
    channel its counters of people working cost nothing (CoSPLib's OR60F with French, every channel optional:
    260, proven optimal, where `timing_goals_bound` is not tried above DUTY_LIMIT sessions); 0 otherwise."""
    bound = solver.best_objective_bound
    if run.event.required_work() or code == cp_model.INFEASIBLE or not math.isfinite(bound):
        return 0
    return max(0, math.ceil(bound - 1e-6))


def load_bound(run: Search) -> int:
    """A lower bound on interpreter_load: required team minutes shared evenly by everyone."""
    return run.event.event.weights.interpreter_load * run.event.even_share()
