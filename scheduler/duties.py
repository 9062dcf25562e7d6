"""Staffing with every time fixed, by column generation over interpreter-day *duties*.

A duty is what one interpreter does on one day: channels that never overlap, within their daily minutes and
the rest rule, each from the session's floor language (no relay). The master problem picks at most one duty per
interpreter and day, covers each staffed channel with its team, and pays interpreter-days, retours, unstaffed
optional channels and the busiest load, as the objective does. Its linear relaxation sees whole working days,
which the CP-SAT models' relaxations do not; its solution is made integral by *diving*: the duties the LP uses
most are fixed one batch at a time, new duties being priced after each batch.

Pricing is a longest-path search over one interpreter's channels of the day in time order (labels: value,
minutes worked, start of the current stretch), pruned to a few labels per channel, so it is a heuristic: the LP
value is not a proven bound and is never reported as one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .constraints import able_interpreters
from .event import Event

log = logging.getLogger(__name__)

# Labels kept per channel in pricing: more finds better duties, slower.
LABELS = 6
EPSILON = 1e-6
# Diving fixes at most this share of the duties the LP uses fractionally at each step (fewer, larger steps
# were faster but worse on the medium event: 5,895 with a quarter, 6,055 with half, 5,650 with a tenth).
DIVE_SHARE = 10
MISSING = 100_000


@dataclass(frozen=True)
class Job:
    """One channel to staff: session, target language, its time, team size and cost when left unstaffed."""

    session: str
    into: str
    start: int
    end: int
    team: int
    required: bool
    unstaffed: int

    @property
    def day(self) -> int:
        return self.start // 1440

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Duty:
    who: str
    day: int
    jobs: tuple[int, ...]
    minutes: int
    cost: int


class DutyMaster:
    """The master problem of one placement (session -> (start minute, room)), solved by GLOP."""

    def __init__(self, ev: Event, placement: dict[str, tuple[int, str]]):
        self.ev = ev
        self.placement = placement
        weights = ev.event.weights
        self.jobs: list[Job] = []
        for sid, (start, _) in sorted(placement.items(), key=lambda kv: (kv[1][0], kv[0])):
            s = ev.session[sid]
            for into in ev.channels(s):
                self.jobs.append(Job(sid, into, start, start + s.duration, ev.team_size(s),
                                     s.interpretation == "required",
                                     0 if s.interpretation == "required"
                                     else weights.optional_channel_unstaffed * max(1, s.attendance // 100)))
        self.index = {(j.session, j.into): k for k, j in enumerate(self.jobs)}
        able = able_interpreters(ev)
        self.able: dict[tuple[str, int], list[int]] = {}  # (interpreter, day) -> jobs they may do
        for k, j in enumerate(self.jobs):
            for who in able.get((ev.session[j.session].language, j.into), []):
                away = ev.periods(ev.interpreter[who].unavailable)
                if not any(a < j.end and j.start < b for a, b in away):
                    self.able.setdefault((who, j.day), []).append(k)
        self.duties: dict[tuple[str, tuple[int, ...]], Duty] = {}
        self._build_lp()

    # --- the linear master ---------------------------------------------------------------------------

    def _build_lp(self) -> None:
        ev, lp = self.ev, pywraplp.Solver.CreateSolver("GLOP")
        # Each solve starts from the last basis; without presolve and scaling, a solve after pricing takes about
        # a quarter of the time (medium event: 0.15 s against 0.55 s with 5,000 duties).
        lp.SetSolverSpecificParametersAsString("use_preprocessing: false use_scaling: false")
        self.lp = lp
        inf = lp.infinity()
        self.x: dict[tuple, pywraplp.Variable] = {}
        # A required channel left unstaffed pays MISSING (so that the LP is feasible even where the starting
        # duties, relay left out, do not cover it); a timetable with one is never returned.
        self.z = [lp.NumVar(0, 1, f"z{k}") for k, j in enumerate(self.jobs)]
        self.load = lp.NumVar(0, inf, "load")
        self.cover = []
        for k, j in enumerate(self.jobs):
            row = lp.Constraint(0, inf)
            row.SetCoefficient(self.z[k], -j.team)
            self.cover.append(row)
        self.person = {key: lp.Constraint(-inf, 1) for key in self.able}
        self.busiest = {}
        for who in {w for w, _ in self.able}:
            row = lp.Constraint(-inf, 0)
            row.SetCoefficient(self.load, -1)
            self.busiest[who] = row
        self.booths, self.crowd = {}, {}
        for k, j in enumerate(self.jobs):
            room = ev.room[self.placement[j.session][1]]
            if j.session not in self.booths:
                self.booths[j.session] = lp.Constraint(-inf, room.channels)
                if room.max_interpreters is not None:
                    self.crowd[j.session] = lp.Constraint(-inf, room.max_interpreters)
            self.booths[j.session].SetCoefficient(self.z[k], 1)
        objective = lp.Objective()
        for k, j in enumerate(self.jobs):
            objective.SetCoefficient(self.z[k], -(MISSING if j.required else j.unstaffed))
        objective.SetCoefficient(self.load, ev.event.weights.interpreter_load)
        objective.SetMinimization()
        self.constant = sum(MISSING if j.required else j.unstaffed for j in self.jobs)

    def add(self, who: str, jobs: list[int]) -> bool:
        """Add the duty of `who` made of `jobs` (all on one day); False if it is already there."""
        key = (who, tuple(sorted(jobs)))
        if key in self.duties or not jobs:
            return False
        weights = self.ev.event.weights
        it = self.ev.interpreter[who]
        duty = Duty(who, self.jobs[key[1][0]].day, key[1], sum(self.jobs[k].minutes for k in key[1]),
                    weights.interpreter_day + weights.retour * sum(it.is_retour(self.jobs[k].into) for k in key[1]))
        self.duties[key] = duty
        var = self.lp.NumVar(0, 1, "")
        self.x[key] = var
        for k in duty.jobs:
            self.cover[k].SetCoefficient(var, 1)
            if self.jobs[k].session in self.crowd:
                row = self.crowd[self.jobs[k].session]
                row.SetCoefficient(var, row.GetCoefficient(var) + 1)
        self.person[(who, duty.day)].SetCoefficient(var, 1)
        self.busiest[who].SetCoefficient(var, duty.minutes)
        self.lp.Objective().SetCoefficient(var, duty.cost)
        return True

    def solve_lp(self) -> float | None:
        """The LP's value, or None if it is infeasible."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return self.lp.Objective().Value() + self.constant

    # --- pricing -------------------------------------------------------------------------------------

    def price(self, deadline: float, skip: set[tuple[str, int]] = frozenset()) -> int:
        """Add, for each interpreter-day but those in `skip`, its duty of most negative reduced cost (found by
        `_best_duty`); returns how many were added."""
        ev, weights = self.ev, self.ev.event.weights
        # Duals are all read first: adding a column invalidates the LP's solution.
        cover = [row.dual_value() for row in self.cover]
        crowd = {sid: row.dual_value() for sid, row in self.crowd.items()}
        busiest = {who: row.dual_value() for who, row in self.busiest.items()}  # <= 0: a minute's load share
        person = {key: row.dual_value() for key, row in self.person.items()}
        found = []
        for (who, day), jobs in self.able.items():
            if time.perf_counter() > deadline:
                break
            if (who, day) in skip:
                continue
            it = ev.interpreter[who]
            per_minute = busiest[who]
            value = {}
            for k in jobs:
                j = self.jobs[k]
                v = cover[k] + crowd.get(j.session, 0.0) + per_minute * j.minutes - weights.retour * it.is_retour(j.into)
                if v > EPSILON:
                    value[k] = v
            enough = weights.interpreter_day - person[(who, day)] + EPSILON
            if sum(value.values()) <= enough:  # not even every job at once would pay for the day
                continue
            gain, chosen = self._best_duty(who, value)
            if gain > enough:
                found.append((who, chosen))
        return sum(self.add(who, chosen) for who, chosen in found)

    def _best_duty(self, who: str, value: dict[int, float]) -> tuple[float, list[int]]:
        """The most valuable set of `value`'s jobs one interpreter can do in a day (heuristic, see module)."""
        rest = self.ev.event.interpreter_rest
        cap = self.ev.interpreter[who].max_minutes_per_day
        order = sorted(value, key=lambda k: (self.jobs[k].start, self.jobs[k].end, k))
        labels: list[list[tuple[float, int, int, int, tuple[int, ...]]]] = []  # (value, minutes, stretch, end, jobs)
        best: tuple[float, list[int]] = (0.0, [])
        for k in order:
            j = self.jobs[k]
            if j.minutes > min(cap, rest.max_continuous):
                labels.append([])
                continue
            found = [(value[k], j.minutes, j.start, j.end, (k,))]
            for earlier in labels:
                for v, minutes, stretch, end, chain in earlier:
                    if end > j.start or minutes + j.minutes > cap:
                        continue
                    if j.start - end < rest.min_break:  # same stretch
                        if j.end - stretch > rest.max_continuous:
                            continue
                        found.append((v + value[k], minutes + j.minutes, stretch, j.end, chain + (k,)))
                    else:
                        found.append((v + value[k], minutes + j.minutes, j.start, j.end, chain + (k,)))
            found.sort(key=lambda lab: (-lab[0], lab[1], -lab[2]))
            kept: list = []
            for lab in found:
                if not any(o[0] >= lab[0] and o[1] <= lab[1] and o[2] >= lab[2] for o in kept):
                    kept.append(lab)
                    if len(kept) == LABELS:
                        break
            labels.append(kept)
            if kept[0][0] > best[0]:
                best = (kept[0][0], list(kept[0][4]))
        return best

    # --- integral solution -------------------------------------------------------------------------

    def dive(self, deadline: float) -> dict[tuple[str, str], list[str]] | None:
        """Fix the duties the LP uses most, a batch at a time, pricing after each batch, until the LP picks
        whole duties; returns the teams ((session, channel) -> people), or None when time runs out or even a
        single fix leaves the LP infeasible. A batch that does is undone and retried as its first duty alone."""
        fixed: set[tuple] = set()
        busy: set[tuple[str, int]] = set()  # interpreter-days with a fixed duty
        worked: dict[str, int] = {}  # minutes of each interpreter's fixed duties
        while time.perf_counter() < deadline:
            chosen = {key: var.solution_value() for key, var in self.x.items() if var.solution_value() > EPSILON}
            fractional = sorted(((v, key) for key, v in chosen.items() if v < 1 - EPSILON and key not in fixed),
                                key=lambda vk: (-vk[0], vk[1]))
            if not fractional:
                return self.teams(set(chosen))
            # Nearly whole duties all at once, else the largest tenth of the fractional ones; one a day each, and
            # none that would take someone's fixed minutes past the LP's busiest load.
            batch, days, load = [], set(), self.load.solution_value() + EPSILON
            for v, key in fractional[:max(1, len(fractional) // DIVE_SHARE)] if fractional[0][0] <= 0.8 else \
                    [vk for vk in fractional if vk[0] > 0.8]:
                duty = self.duties[key]
                if (duty.who, duty.day) not in busy | days and worked.get(duty.who, 0) + duty.minutes <= load:
                    batch.append(key)
                    days.add((duty.who, duty.day))
                    worked[duty.who] = worked.get(duty.who, 0) + duty.minutes
            batch = batch or [fractional[0][1]]
            for attempt in (batch, batch[:1]):
                for key in attempt:
                    self.x[key].SetLb(1)
                if self.solve_lp() is not None:
                    break
                for key in attempt:
                    self.x[key].SetLb(0)
            else:
                log.info("duties: diving infeasible with %d duties fixed", len(fixed))
                return None
            worked = {}
            for key in fixed | set(attempt):
                worked[key[0]] = worked.get(key[0], 0) + self.duties[key].minutes
            fixed.update(attempt)
            busy.update((key[0], self.duties[key].day) for key in attempt)
            if self.price(deadline, busy) and self.solve_lp() is None:
                return None
        log.info("duties: diving out of time with %d duties fixed", len(fixed))
        return None

    def teams(self, chosen: set[tuple]) -> dict[tuple[str, str], list[str]] | None:
        """Teams from chosen duties: a channel is staffed when its team is complete, required ones first and
        optional ones by cost while the room has booths; people beyond a team leave that channel. None if a
        required channel is left unstaffed."""
        people: dict[int, list[str]] = {}
        for key in sorted(chosen):
            for k in self.duties[key].jobs:
                people.setdefault(k, []).append(key[0])
        order = sorted(people, key=lambda k: (not self.jobs[k].required, -self.jobs[k].unstaffed, k))
        booths: dict[str, int] = {}
        crowd: dict[str, int] = {}
        out = {}
        for k in order:
            j = self.jobs[k]
            room = self.ev.room[self.placement[j.session][1]]
            if len(people[k]) < j.team or booths.get(j.session, 0) >= room.channels:
                continue
            if room.max_interpreters is not None and crowd.get(j.session, 0) + j.team > room.max_interpreters:
                continue
            out[(j.session, j.into)] = sorted(people[k])[:j.team]
            booths[j.session] = booths.get(j.session, 0) + 1
            crowd[j.session] = crowd.get(j.session, 0) + j.team
        if any(j.required and (j.session, j.into) not in out for j in self.jobs):
            log.info("duties: a required channel is left unstaffed")
            return None
        return out


def staff_by_duties(ev: Event, placement: dict[str, tuple[int, str]],
                    start_from: dict[tuple[str, str], list[str]], seconds: float
                    ) -> dict[tuple[str, str], list[str]] | None:
    """Teams for `placement` by column generation and diving, starting from the duties of `start_from`
    (teams of a valid staffing of the same placement, which keeps the first LP feasible); None when it
    fails in time."""
    began = time.perf_counter()
    deadline = began + seconds
    master = DutyMaster(ev, placement)
    days: dict[tuple[str, int], list[int]] = {}
    for (sid, into), team in start_from.items():
        k = master.index.get((sid, into))
        if k is None:
            continue
        for who in team:
            days.setdefault((who, master.jobs[k].day), []).append(k)
    for (who, day), jobs in days.items():  # jobs staffed by relay are left out: a subset is still a duty
        master.add(who, [k for k in jobs if k in master.able.get((who, day), ())])
    # Column generation until no duty improves the LP or half the time is spent, then diving.
    rounds, last = 0, float("inf")
    while time.perf_counter() < began + seconds / 2:
        value = master.solve_lp()
        if value is None:
            log.info("duties: the first LP is infeasible")
            return None
        rounds += 1
        added = master.price(began + seconds / 2)
        log.info("duties: round %d, LP %.1f, %d duties (%d new) at %.1f s", rounds, value, len(master.duties), added,
                 time.perf_counter() - began)
        if not added or (rounds > 3 and value > last - 0.5):  # converged, or the tail of tiny gains
            break
        last = value
    if master.solve_lp() is None:
        return None
    log.info("duties: LP load %.1f, duties %.1f, unstaffed %.1f", master.load.solution_value(),
             sum(d.cost * master.x[key].solution_value() for key, d in master.duties.items()),
             sum(j.unstaffed * (1 - master.z[k].solution_value()) for k, j in enumerate(master.jobs)))
    teams = master.dive(deadline)
    log.info("duties: diving %s at %.1f s", "done" if teams is not None else "failed", time.perf_counter() - began)
    return teams
