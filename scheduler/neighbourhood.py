"""Neighbourhood search over a whole timetable: each round frees some sessions of one day (their teams, sometimes
their times) in a model of that day alone, merges the result into the whole timetable, checks it and keeps it if
it costs less. A first sweep re-staffs every day whole, re-timing its sessions that pay for their time (or, when
a day's model would be large, its channels by groups of target languages)."""

from __future__ import annotations

import logging
import random
from datetime import date

from ortools.sat.python import cp_model

from .constraints import able_by_target, able_interpreters, pivot_languages
from .event import Event, Period
from .model import ScheduleModel
from .search import Search, run_solver
from .solutions import (complete_hint, costliest_days, extract, hint_previous, load_outside, merged, misplaced,
                        sessions_on)
from .timetable import Placement, Timetable

log = logging.getLogger(__name__)

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
# A re-plan stops once its rounds have found nothing better for this long: the organiser re-planning during the
# event waits for an answer, and re-plans of a generated 80-session event found the same in 5 s as in 30 s.
REPLAN_PATIENCE = 10.0


def improve(run: Search, best: Timetable, bound: int) -> Timetable:
    """Neighbourhood search. Each round frees some sessions of one day and keeps everything else as in
    the best timetable. First a *sweep* re-staffs each day (in parts when a day's model would be large, see
    `sweep_parts`), the costliest days first: teams are then rebuilt around whole working days, which
    small random neighbourhoods cannot do. Then rounds cycle through three kinds: re-staff sessions picked at
    random; re-staff those around the lightest working days of interpreters (the sessions they work that
    day, plus others of the day), so that a day can be saved; and also re-time a few of them (slower, so
    one round in four). Each kind's neighbourhood grows after rounds solved to optimality and shrinks
    after rounds that time out."""
    rng = random.Random(run.seed)
    pivots = pivot_languages(run.event)
    round_no = 0
    parts = sweep_parts(run, best, pivots)
    sweep_end = run.elapsed() + run.left() * SWEEP_SHARE
    for day, restaff, free_into in parts:
        if best.objective <= bound or run.left() < 4.0 or run.elapsed() > sweep_end - 2.0:
            break
        round_no += 1
        seconds = min(max(SWEEP_MIN_SECONDS, (sweep_end - run.elapsed()) / (len(parts) - round_no + 1)),
                      run.left() - 2.0)
        # A whole day re-staffed may also move its sessions that pay for their time: duties and the day
        # models keep times, so a placement's same-track overlaps stayed to the end (medium event: 100-500).
        retime = misplaced(run.event, best).get(day, set()) & restaff
        best, _, _ = search_round(run, best, bound, round_no, "sweep", day, restaff, retime, seconds,
                                  pivots, free_into)
    kinds = ["random", "light", "random", "retime"]
    size = dict.fromkeys(kinds, 12)
    round_seconds, last_build = 5.0, 0.0
    improved_at = run.elapsed()
    while run.left() > 2.0 + 2 * last_build and best.objective > bound:
        if run.previous is not None and run.elapsed() - improved_at > REPLAN_PATIENCE:
            log.info("re-planning: no better timetable for %.0f s; stopping at %.1f s", REPLAN_PATIENCE, run.elapsed())
            break
        kind = kinds[round_no % len(kinds)]
        round_no += 1
        before = best.objective
        day, restaff = pick_neighbourhood(run, best, kind, size[kind], rng)
        retime = set(rng.sample(sorted(restaff), min(len(restaff), max(2, size[kind] // 4)))) \
            if kind == "retime" else set()
        best, code, last_build = search_round(run, best, bound, round_no, kind, day, restaff, retime,
                                              round_seconds, pivots)
        if best.objective < before:
            improved_at = run.elapsed()
        grown = int(size[kind] * 1.25) + 1 if code == cp_model.OPTIMAL else int(size[kind] * 0.7)
        size[kind] = max(2, grown)
    return best


def search_round(run: Search, best: Timetable, bound: int, round_no: int, kind: str, day: date, restaff: set[str],
                 retime: set[str], seconds: float, pivots: set[str], free_into: frozenset[str] = frozenset()
                 ) -> tuple[Timetable, int, float]:
    """One neighbourhood round: re-staff `restaff` (and also re-time `retime`) among the sessions of
    `day`, and the channels into `free_into` of all its sessions, everything else as in `best`. Returns the
    better of `best` and the result, the solver's status and the seconds the model took to build."""
    began = run.elapsed()
    sm = day_model(run, best, day, restaff, retime, pivots, free_into)
    hint_previous(sm, best)
    complete_hint(sm.model, min(2.0, max(0.1, run.left() / 2)))
    build = run.elapsed() - began
    # Merging and checking the result takes about as long as building did.
    solver = run.solver(min(run.left() - 0.5 - build, seconds), round_no + 1)
    solver.parameters.cp_model_probing_level = 0  # presolve would take most of a short round
    code = run_solver(solver, sm.model)
    candidate = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        candidate = merged(run.event, best, extract(sm, solver, "feasible", run.elapsed(), bound),
                           run.elapsed(), bound, run.previous)
    log.info("neighbourhood %d (%s, day %s, %d re-staffed, into %s, %d re-timed, %.1f s): %s, %s -> %s",
             round_no, kind, day, len(restaff), ",".join(sorted(free_into)) or "-", len(retime),
             run.elapsed() - began, solver.status_name(code),
             best.objective, candidate.objective if candidate else "-")
    if candidate is not None and candidate.objective < best.objective:
        run.report(candidate)
        return candidate, code, build
    return best, code, build


def sweep_parts(run: Search, best: Timetable, pivots: set[str]) -> list[tuple[date, set[str], frozenset[str]]]:
    """The sweep's neighbourhoods as (day, sessions re-staffed, languages whose channels are re-staffed), the
    days that pay the most interpreter-days first. A day whose model has at most SWEEP_OPTIONS (interpreter,
    channel, source) options is re-staffed whole (events of medium size); a larger day is cut into groups of
    target languages of at most SWEEP_GROUP_OPTIONS, languages that share the most interpreters together: then
    whole working days of the people who work into those languages are rebuilt, which slices of the day's
    time cannot do."""
    able = able_interpreters(run.event)
    by_day: dict[date, dict[str, int]] = {}  # day -> target language -> options
    sessions: dict[date, set[str]] = {}
    for p in best.sessions:
        s = run.event.session[p.session]
        day = run.event.day_of(run.event.minute(p.start))
        sessions.setdefault(day, set()).add(p.session)
        options = by_day.setdefault(day, {})
        for into in run.event.channels(s):
            options[into] = options.get(into, 0) + sum(len(able.get((src, into), []))
                                                       for src in {s.language} | pivots if src != into)
    people = able_by_target(run.event)
    parts = []
    for day in costliest_days(run.event, best):
        options = by_day[day]
        if sum(options.values()) <= SWEEP_OPTIONS:
            parts.append((day, sessions[day], frozenset()))
        else:
            parts.extend((day, set(), group) for group in language_groups(options, people))
    return parts


def pick_neighbourhood(run: Search, best: Timetable, kind: str, size: int, rng: random.Random) -> tuple[date, set[str]]:
    """A day and up to `size` sessions of it to re-staff: at random, or (kind "light") first the sessions
    of one of the interpreters who work least that day."""
    by_day: dict[date, list[Placement]] = {}
    for p in best.sessions:
        by_day.setdefault(run.event.day_of(run.event.minute(p.start)), []).append(p)
    if kind == "light":
        minutes: dict[tuple[str, date], int] = {}
        for d, placements in by_day.items():
            for p in placements:
                for who in {w for c in p.channels for w in c.interpreters}:
                    minutes[(who, d)] = minutes.get((who, d), 0) + run.event.session[p.session].duration
        if minutes:
            lightest = sorted(minutes, key=lambda k: (minutes[k], k))[:10]
            who, day = rng.choice(lightest)
            theirs = {p.session for p in by_day[day] if any(who in c.interpreters for c in p.channels)}
            others = sorted(p.session for p in by_day[day] if p.session not in theirs)
            return day, theirs | set(rng.sample(others, min(len(others), max(0, size - len(theirs)))))
    day = rng.choice(sorted(by_day))
    on_day = [p.session for p in by_day[day]]
    return day, set(rng.sample(on_day, min(len(on_day), size)))


def day_model(run: Search, base: Timetable, day: date, restaff: set[str] | None = None, retime: set[str] = frozenset(),
              pivots: set[str] | None = None, free_into: frozenset[str] = frozenset()) -> ScheduleModel:
    """A model of `day` alone, the other days' work entering as load offsets: every session of that day
    keeps its time and room from `base` except those in `retime`, and its teams except those in `restaff`
    (None: every team is re-staffed) and those of its channels into the languages of `free_into`."""
    part = sessions_on(run.event, base, day)
    sub = rested_from_other_days(run.event, base, day, run.event.day_part(day, {p.session for p in part.sessions}))
    return ScheduleModel(
        sub, run.previous, relay_pivots=pivots,
        fixed_times={p.session: (sub.minute(p.start), p.room) for p in part.sessions if p.session not in retime},
        fixed_staff={p.session: list(p.channels) for p in part.sessions
                     if restaff is not None and p.session not in restaff},
        load_offset=load_outside(run.event, base, part), free_into=free_into,
    )


def rested_from_other_days(ev: Event, base: Timetable, day: date, sub: Event) -> Event:
    """`sub` (the part of `ev` on `day`) with each interpreter who works in `base` less than `min_break` before
    the day begins (or after it ends) kept free until that break is over (or from when it must begin): a day's
    model does not see the evening before, and on overnight events its timetables ran a stretch of work on past
    midnight (195 minutes in a row), which the merged timetable's check then refused."""
    (a, b), gap = ev.day_window(next(d for d in ev.event.days if d.date == day)), ev.event.interpreter_rest.min_break
    if not any(x < b + gap and y > a - gap for x, y in (ev.day_window(d) for d in ev.event.days if d.date != day)):
        return sub  # no other day comes that close (most events): nothing to look up
    blocked: dict[str, list[tuple[int, int]]] = {}
    for p in base.sessions:
        start, end = ev.minute(p.start), ev.minute(p.end)
        if end <= a < end + gap:  # the evening before: free until the break after it is over
            free = (a, end + gap)
        elif b <= start < b + gap:  # the morning after: free from when the break before it begins
            free = (start - gap, b)
        else:
            continue
        for who in {w for c in p.channels for w in c.interpreters}:
            blocked.setdefault(who, []).append(free)
    if not blocked:
        return sub
    people = [it.model_copy(update={"unavailable": [*it.unavailable, *(
        Period.model_construct(start=ev.local(x), end=ev.local(y)) for x, y in blocked[it.id])]})
        if it.id in blocked else it for it in sub.interpreters]
    return sub.changed(interpreters=people)


def language_groups(options: dict[str, int], people: dict[str, set[str]]) -> list[frozenset[str]]:
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
