"""Lower bounds that need no placement: on the interpreters' goals, same-track overlaps, and sessions each alone.

Interpreters who can work into the same languages (the same of them as retours) with the same daily limit form a
class. Each day, some of a class work (each an interpreter-day, giving at most their daily minutes); over the
event a class gives at most its size times the busiest load; split among the languages it can work into, in
whole channels of each session length, its minutes cover every required channel's team-minutes and those of the
optional channels staffed, and each channel taken into a retour language pays the retour. Without sessions'
times this small model is solved at once on events of any size, where the relaxations that place sessions are too
slow (560 sessions).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, NamedTuple

from ortools.sat.python import cp_model

from .constraints import able_by_target
from .costs import own_start_cost
from .event import Event, Interpreter
from .interrupt import new_solver

if TYPE_CHECKING:
    from .model import ScheduleModel


class InterpreterClass(NamedTuple):
    targets: frozenset[str]  # the languages they can work into
    retours: frozenset[str]  # those of them that are retours (B languages)
    limit: int  # minutes a day


def interpreter_classes(event: Event) -> dict[InterpreterClass, list[Interpreter]]:
    """Interpreters able to work into some language, grouped by those languages, their retours among them and
    their daily limit."""
    able = able_by_target(event)
    classes: dict[InterpreterClass, list[Interpreter]] = defaultdict(list)
    for it in event.interpreters:
        targets = frozenset(t for t, people in able.items() if it.id in people)
        retours = frozenset(t for t in targets if it.is_retour(t))
        if targets:
            classes[InterpreterClass(targets, retours, it.max_minutes_per_day)].append(it)
    return classes


def away_all_day(event: Event, it: Interpreter, window: list[tuple[int, int]]) -> bool:
    """Whether the interpreter's unavailable periods cover every (start, end) span of `window`."""
    away = event.periods(it.unavailable)
    return all(any(a <= lo and hi <= b for a, b in away) for lo, hi in window)


def busiest_load(m: cp_model.CpModel, event: Event) -> cp_model.IntVar:
    """The busiest interpreter's load as a variable of its own: at least the even share of the required work,
    at most every session's minutes (one channel at a time)."""
    share = event.even_share()
    return m.new_int_var(share, max(share, sum(s.duration for s in event.sessions)), "busiest_load")


def class_minutes(m: cp_model.CpModel, load: cp_model.IntVar, index: int, members: int,
                  days: list[tuple[int, cp_model.LinearExprT]]) -> cp_model.IntVar:
    """The minutes one class of `members` interpreters gives over the event: at most `members` times the busiest
    `load`, and at most the minutes each may give times the people working, over its `days` terms (minutes
    each, people working)."""
    given = m.new_int_var(0, members * sum(cap for cap, _ in days), f"class_minutes[{index}]")
    m.add(given <= members * load)
    m.add(given <= sum(cap * n for cap, n in days))
    return given


def staffing_bound(event: Event, seconds: float = 2.0, workers: int = 1, seed: int = 0, caps: bool = True) -> int:
    """A proven lower bound on interpreter-days, the busiest load, retours and unstaffed optional channels
    together (every other goal costs at least 0); 0 when none is proven in `seconds` or no staffing exists.
    With `caps`, the better of the class relaxation with the busiest load as a variable (PLAIN_SHARE of the
    time) and of the same with the load capped, cap after cap (`by_load_cap`, the rest of the time).

    Sessions' days are left out too: with a variable per session and day the bound came slower and lower in
    2 s (130 sessions: 1,741 against 4,397; 560 sessions: none)."""
    deadline = time.monotonic() + seconds
    caps = caps and event.event.weights.interpreter_load > 0
    m, cost = _relaxation(event)
    plain = _proven(m, cost, seconds * (PLAIN_SHARE if caps else 1.0), workers, seed) or 0
    return max(plain, by_load_cap(event, deadline, workers, seed)) if caps else plain


# The class relaxation with the load as a variable gets this share of the bound's time; the capped ones the rest,
# each at most CAP_SECONDS (on the 130-session event a capped model's bound at 0.25 s is the one at 6 s).
PLAIN_SHARE = 0.25
CAP_SECONDS = 0.25
# A capped model is solved by one worker with CP-SAT's fuller linear relaxation: on small and mid-size events it
# is then proven optimal in 0.04-0.08 s where two default workers took 0.2 s or ended unproven at 0.25 s (a
# 9-session event: 110 against 250 at one cap, the capped bound below the plain one); on the 130-session event
# both prove the same in 0.25 s.
CAP_SEARCH = "linearization_level: 2"
# Caps measured at once, a worker each (on the 130-session event two take 0.31 s where one after the other take 0.57).
CAP_THREADS = 4
# The caps are refined until the interval of loads that decides the bound is this many minutes wide at most.
CAP_TOLERANCE = 5


def by_load_cap(event: Event, deadline: float, workers: int = 1, seed: int = 0) -> int:
    """A lower bound on the same goals as `staffing_bound`, from the class relaxation with the busiest load capped.

    With the load a variable, the relaxation lets each class give its size times the load, however few days its
    members work; capped at L, a member working k days gives at most min(L, k x a day's minutes), a product the
    model with the load variable cannot hold. If f(L) bounds the other goals of staffings whose busiest load is at
    most L, then f does not increase with L, and a staffing whose load lies in [a, b] costs at least
    weight x a + f(b). The caps are refined by halving the interval that gives the lowest such figure until it is
    CAP_TOLERANCE minutes wide or the time is out (with several `workers`, cut into as many + 1 parts, each cap's
    model solved by one of them at once); the bound is the lowest figure over all intervals. A generated
    60-session bilingual event: 800 -> 883-889 (timetables 920-985); the 130-session benchmark: 4,487 -> 4,539 in
    3.3 s on two cores (one cap at a time: 4,518-4,531 in 3.5 s)."""
    w = event.event.weights.interpreter_load
    lo = event.even_share()
    hi = max((sum(min(it.max_minutes_per_day, sum(b - a for a, b in event.open_spans(d))) for d in event.event.days)
              for it in event.interpreters), default=lo)
    hi = max(lo, hi)
    rest: dict[int, float] = {}  # cap -> proven bound on the other goals (inf: no staffing keeps that cap)

    def measure(caps: list[int]) -> bool:
        seconds = min(CAP_SECONDS, deadline - time.monotonic())
        if seconds <= 0.05:
            return False

        def proven(cap: int) -> int | None:
            m, cost = _relaxation(event, cap)
            return _proven(m, cost, seconds, 1, seed, CAP_SEARCH)

        with ThreadPoolExecutor(len(caps)) as pool:  # CP-SAT lets go of the GIL while it solves
            for cap, found in zip(caps, pool.map(proven, caps)):
                rest[cap] = math.inf if found is None else found
        return True

    def lowest() -> tuple[float, int, int]:
        """The lowest figure over the intervals between caps measured, with its interval."""
        caps, best = sorted(rest), (math.inf, lo, hi)
        floor = 0.0  # f is non-increasing: f(b) is at least every bound proven at a higher cap
        for a, b in reversed(list(zip(caps, caps[1:]))):
            floor = max(floor, rest[b])
            start = a + 1 if rest[a] == math.inf else a  # no staffing has its load at most a
            best = min(best, (w * start + floor, a, b))
        return min(best, (w * hi + rest[hi], hi, hi))

    parts = max(2, min(workers, CAP_THREADS) + 1)
    if not measure(sorted({lo, hi})):
        return 0
    figure, a, b = lowest()
    while b - a > CAP_TOLERANCE and measure(sorted({a + (b - a) * k // parts for k in range(1, parts)})):
        figure, a, b = lowest()
    return 0 if figure == math.inf else math.ceil(figure - 1e-6)


def _proven(m: cp_model.CpModel, cost, seconds: float, workers: int, seed: int, settings: str = "") -> int | None:
    """CP-SAT's proven lower bound on minimising `cost` in `m` (with the solver `settings` given, in text
    format), rounded up (0 when nothing is proven); None when `m` is infeasible."""
    m.minimize(cost)
    solver = new_solver(seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.merge_text_format(settings)
    code = solver.solve(m)
    if code == cp_model.INFEASIBLE:
        return None
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
        return 0
    return max(0, math.ceil(solver.best_objective_bound - 1e-6))


def _relaxation(event: Event, cap: int | None = None) -> tuple[cp_model.CpModel, cp_model.LinearExprT]:
    """The class relaxation and its cost (see the module's docstring). With `cap`, nobody works more than `cap`
    minutes and the busiest load is left out of the cost: a member working k days gives at most
    min(cap, k x their daily minutes), so few people on full days must be more people when the cap is low."""
    w = event.event.weights
    m = cp_model.CpModel()
    load = busiest_load(m, event) if cap is None else None
    needed, most, unstaffed, teams = _channel_demand(m, event)
    taken = defaultdict(list)  # (language, session length) -> shifts taken by each class
    people, days, retours = defaultdict(list), [], []
    for index, (kind, members) in enumerate(interpreter_classes(event).items()):
        worked, ever = [], set()  # ever: the members present on some day, who share the class's minutes
        for day in event.event.days:
            window = event.open_spans(day)
            here = [it.id for it in members if not away_all_day(event, it, window)]
            ever.update(here)
            if here:
                n = m.new_int_var(0, len(here), f"people[{index},{day.date}]")
                days.append(n)
                worked.append((min(kind.limit, sum(b - a for a, b in window)), n))
                for t in kind.targets:
                    people[t].append(n)
        # Channels taken by one of the class, by language and session length (a team of two takes two).
        shifts = {(t, length): m.new_int_var(0, up_to, f"shifts[{index},{t},{length}]")
                  for (t, length), up_to in most.items() if t in kind.targets}
        if cap is None:
            given = class_minutes(m, load, index, len(ever), worked)
        else:
            given = capped_class_minutes(m, cap, index, len(ever), worked)
        m.add(sum(length * n for (_, length), n in shifts.items()) <= given)
        for (t, length), n in shifts.items():
            taken[(t, length)].append(n)
            if t in kind.retours:
                retours.append(n)
    for (t, length), need in needed.items():
        m.add(sum(taken[(t, length)]) >= sum(need))
    crews = {}  # language -> people working into it on some day, one variable where every team term can refer to
    for t, team in teams:
        if t not in crews:
            crews[t] = m.new_int_var(0, len(event.interpreters) * len(event.event.days), f"crew[{t}]")
            m.add(crews[t] == sum(people[t]))
        m.add(crews[t] >= team)
    cost = w.interpreter_day * sum(days) + w.retour * sum(retours) + sum(unstaffed)
    return m, cost if load is None else cost + w.interpreter_load * load


def capped_class_minutes(m: cp_model.CpModel, cap: int, index: int, members: int,
                         days: list[tuple[int, cp_model.LinearExprT]]) -> cp_model.IntVar:
    """The minutes one class of `members` interpreters gives over the event when nobody works more than `cap`:
    counting the members who work k of its `days` (minutes each, people working), each gives at most
    min(cap, k x the longest day's minutes), and the days they work are the people working summed over days."""
    longest = max((c for c, _ in days), default=0)
    given = m.new_int_var(0, members * min(cap, longest * len(days)), f"class_minutes[{index}]")
    split = [m.new_int_var(0, members, f"members[{index},{k}]") for k in range(1, len(days) + 1)]
    m.add(sum(split) <= members)
    m.add(sum(k * n for k, n in enumerate(split, 1)) == sum(n for _, n in days))
    m.add(given <= sum(min(cap, k * longest) * n for k, n in enumerate(split, 1)))
    m.add(given <= sum(c * n for c, n in days))
    return given


def track_overlap_bound(event: Event) -> int:
    """A lower bound on same-track overlaps: a track whose sessions last longer in all than the open time of the
    event (its days' break-free spans, less the plenaries of other tracks, beside which nothing runs) runs two of
    them at once for at least that excess, and one pair overlaps for at most the track's longest session."""
    open_time = sum(b - a for day in event.event.days for a, b in event.open_spans(day))
    tracks: dict[str, list[int]] = defaultdict(list)
    plenaries: dict[str | None, int] = defaultdict(int)  # plenary minutes by track
    for s in event.sessions:
        if s.track is not None:
            tracks[s.track].append(s.duration)
        if s.kind == "plenary":
            plenaries[s.track] += s.duration
    pairs = 0
    for track, durations in tracks.items():
        alone = sum(plenaries.values()) - plenaries[track]  # other tracks' plenaries
        excess = sum(durations) - (open_time - alone)
        if excess > 0:
            pairs += -(-excess // max(durations))
    return event.event.weights.track_overlap * pairs


def lone_session_bound(sm: ScheduleModel) -> int:
    """A lower bound on audience asleep and preferred windows missed: each session alone at its cheapest start
    among those the model leaves it (days, breaks, pins, speakers). A session the audience must follow at night
    pays that much whatever else happens (a generated 45-session event: 377, its optimum)."""
    total = 0
    for s in sm.event.sessions:
        bounds = sm.start_domain[s.id].flattened_intervals()
        cheapest = None
        for start in (v for lo, hi in zip(bounds[::2], bounds[1::2]) for v in range(lo, hi + 1)):
            cost = own_start_cost(sm.event, s, start)
            cheapest = cost if cheapest is None else min(cheapest, cost)
            if cheapest == 0:
                break
        total += cheapest or 0
    return total


def _channel_demand(m: cp_model.CpModel, event: Event):
    """What the channels ask of interpreters, by (language, session length): the people they need (each
    required channel its team, each optional one its team if staffed, a new 0/1 variable) and at most; the costs
    of optional channels left unstaffed; and the team each language needs at once (the largest of its required
    channels, each optional channel's if staffed), as (language, people) terms."""
    need: dict[tuple[str, int], list] = defaultdict(list)
    most: dict[tuple[str, int], int] = defaultdict(int)
    unstaffed, teams = [], []
    largest: dict[str, int] = defaultdict(int)
    for s in event.sessions:
        team = event.team_size(s)
        for t in event.channels(s):
            most[(t, s.duration)] += team
            if s.interpretation == "required":
                need[(t, s.duration)].append(team)
                largest[t] = max(largest[t], team)
                continue
            staffed = m.new_bool_var(f"staffed[{s.id},{t}]")
            unstaffed.append(event.unstaffed_cost(s) * (1 - staffed))
            need[(t, s.duration)].append(team * staffed)
            teams.append((t, team * staffed))
    return need, most, unstaffed, teams + list(largest.items())
