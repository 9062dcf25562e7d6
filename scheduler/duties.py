"""Staffing with every time fixed, by column generation over interpreter-day *duties*.

A duty is what one interpreter does on one day: channels that never overlap, within their daily minutes and
the rest rule, each from the floor language or, by relay, from a pivot channel of the same session. The master
problem picks at most one duty per interpreter and day, covers each staffed channel with its team from one
source (a relay's pivot channel staffed direct), and pays interpreter-days, retours, relays, unstaffed optional
channels and the busiest load, as the objective does. Its linear relaxation sees whole working days,
which the CP-SAT models' relaxations do not; its solution is made integral by *diving*: the duties the LP uses
most are fixed one batch at a time, new duties being priced after each batch.

Pricing is a longest-path search over one interpreter's channels of the day in time order (labels: value,
minutes worked, start of the current stretch), pruned to a few labels per channel, so it is a heuristic: the LP
value is not a proven bound and is never reported as one.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .check import workable
from .constraints import able_interpreters
from .event import BIG, Event
from .interrupt import requested as stop_requested

log = logging.getLogger(__name__)

# Labels kept per channel in pricing: more finds better duties, slower.
LABELS = 6
EPSILON = 1e-6
# Share of the time given to column generation before diving starts.
GENERATION_SHARE = 0.4
# Diving fixes at most this share of the duties the LP uses fractionally at each step (fewer, larger steps
# were faster but worse on the medium event: 5,895 with a quarter, 6,055 with half, 5,650 with a tenth).
DIVE_SHARE = 10
# Share of the diving time, at its end, spent without pricing and in larger batches, so that diving finishes.
DIVE_RUSH = 0.3
# Seconds diving may go on past its deadline, in half batches without pricing (a few LP solves), before it rounds
# what is left at once, which may leave a channel without its team.
DIVE_GRACE = 2.0
MISSING = 100_000
# Relay is offered only for channels with fewer than this many teams of people able to work them direct: it is
# then often needed, and elsewhere it would double the master's size for little (medium event: 35 s against 17 s).
RELAY_POOL = 4


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

    @property
    def span(self) -> tuple[int, int, str]:
        """(start, end, session), as the checker's rest rule reads work."""
        return self.start, self.end, self.session


@dataclass(frozen=True)
class Option:
    """Channel `job` (an index into the jobs) staffed from `source`: the floor language, or a pivot channel."""

    job: int
    source: str
    relay: bool


@dataclass(frozen=True)
class Duty:
    who: str
    day: int
    jobs: tuple[int, ...]  # indexes into the options
    minutes: int
    cost: int


class DutyMaster:
    """The master problem of one placement (session -> (start minute, room)), solved by GLOP."""

    def __init__(self, ev: Event, placement: dict[str, tuple[int, str]], pivots: set[str] = frozenset(),
                 load_offset: dict[str, int] | None = None, load_cap: int | None = None,
                 limits: dict[str, int] | None = None):
        """`pivots`: the languages relay may go through; `load_offset`: minutes each interpreter works outside
        this placement (when it holds part of an event), which count in their load; `load_cap`: a load nobody
        may pass (with offsets, duties that would pass it are never made); `limits`: the most minutes some
        interpreters may work in a placement of one day (days staffed side by side share what the cap leaves)."""
        self.ev = ev
        self.placement = placement
        self.offset = load_offset or {}
        self.load_cap = load_cap
        self.limits = limits or {}
        self.jobs: list[Job] = []
        for sid, (start, _) in sorted(placement.items(), key=lambda kv: (kv[1][0], kv[0])):
            s = ev.session[sid]
            for into in ev.channels(s):
                self.jobs.append(Job(sid, into, start, start + s.duration, ev.team_size(s),
                                     s.interpretation == "required",
                                     0 if s.interpretation == "required" else ev.unstaffed_cost(s)))
        self.index = {(j.session, j.into): k for k, j in enumerate(self.jobs)}
        able = able_interpreters(ev)
        self.options: list[Option] = []
        for k, j in enumerate(self.jobs):
            floor = ev.session[j.session].language
            self.options.append(Option(k, floor, False))
            if len(able.get((floor, j.into), [])) < RELAY_POOL * j.team:
                self.options.extend(Option(k, p, True) for p in sorted(pivots)
                                    if p not in (floor, j.into) and (j.session, p) in self.index)
        self.option_index = {(o.job, o.source): n for n, o in enumerate(self.options)}
        self.sources: dict[int, list[int]] = {}  # channel -> its options
        for n, o in enumerate(self.options):
            self.sources.setdefault(o.job, []).append(n)
        self.able: dict[tuple[str, int], list[int]] = {}  # (interpreter, day) -> options they may work
        away = {it.id: ev.periods(it.unavailable) for it in ev.interpreters}
        for n, o in enumerate(self.options):
            j = self.jobs[o.job]
            for who in able.get((o.source, j.into), []):
                if not any(a < j.end and j.start < b for a, b in away[who]):
                    self.able.setdefault((who, j.day), []).append(n)
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
        self.z = [lp.NumVar(0, 1, f"z{n}") for n in range(len(self.options))]  # option staffed
        lowest = max(self.offset.values(), default=0)
        self.load = lp.NumVar(lowest, inf if self.load_cap is None else max(lowest, self.load_cap), "load")
        self.cover = []
        for n, o in enumerate(self.options):
            row = lp.Constraint(0, inf)
            row.SetCoefficient(self.z[n], -self.jobs[o.job].team)
            self.cover.append(row)
        one_source = [lp.Constraint(-inf, 1) for _ in self.jobs]
        for n, o in enumerate(self.options):
            one_source[o.job].SetCoefficient(self.z[n], 1)
            if o.relay:  # the pivot channel is staffed direct
                session = self.jobs[o.job].session
                pivot = self.option_index[(self.index[(session, o.source)], ev.session[session].language)]
                row = lp.Constraint(-inf, 0)
                row.SetCoefficient(self.z[n], 1)
                row.SetCoefficient(self.z[pivot], -1)
        self.person = {key: lp.Constraint(-inf, 1) for key in self.able}
        self.busiest = {}
        for who in {w for w, _ in self.able}:
            row = lp.Constraint(-inf, -self.offset.get(who, 0))
            row.SetCoefficient(self.load, -1)
            self.busiest[who] = row
        self.booths, self.crowd = {}, {}
        relay = ev.event.weights.relay
        objective = lp.Objective()
        for n, o in enumerate(self.options):
            j = self.jobs[o.job]
            room = ev.room[self.placement[j.session][1]]
            if j.session not in self.booths:
                self.booths[j.session] = lp.Constraint(-inf, room.channels)
                if room.max_interpreters is not None:
                    self.crowd[j.session] = lp.Constraint(-inf, room.max_interpreters)
            self.booths[j.session].SetCoefficient(self.z[n], 1)
            objective.SetCoefficient(self.z[n], relay * o.relay - (MISSING if j.required else j.unstaffed))
        objective.SetCoefficient(self.load, ev.event.weights.interpreter_load)
        objective.SetMinimization()
        self.constant = sum(MISSING if j.required else j.unstaffed for j in self.jobs)

    def add(self, who: str, jobs: list[int]) -> bool:
        """Add the duty of `who` made of `jobs` (options, all on one day); False if it is already there."""
        key = (who, tuple(sorted(jobs)))
        if key in self.duties or not jobs:
            return False
        weights = self.ev.event.weights
        it = self.ev.interpreter[who]
        jobs_of = [self.jobs[self.options[n].job] for n in key[1]]
        duty = Duty(who, jobs_of[0].day, key[1], sum(j.minutes for j in jobs_of),
                    weights.interpreter_day + weights.retour * sum(it.is_retour(j.into) for j in jobs_of))
        self.duties[key] = duty
        var = self.lp.NumVar(0, 1, "")
        self.x[key] = var
        for n, j in zip(duty.jobs, jobs_of):
            self.cover[n].SetCoefficient(var, 1)
            if j.session in self.crowd:
                row = self.crowd[j.session]
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
            if time.perf_counter() > deadline or stop_requested():
                break
            if (who, day) in skip:
                continue
            it = ev.interpreter[who]
            per_minute = busiest[who]
            value = {}
            for n in jobs:
                j = self.jobs[self.options[n].job]
                v = (cover[n] + crowd.get(j.session, 0.0) + per_minute * j.minutes
                     - weights.retour * it.is_retour(j.into))
                if v > EPSILON:
                    value[n] = v
            enough = weights.interpreter_day - person[(who, day)] + EPSILON
            if sum(value.values()) <= enough:  # not even every job at once would pay for the day
                continue
            gain, chosen = self._best_duty(who, value)
            if gain > enough:
                found.append((who, chosen))
        return sum(self.add(who, chosen) for who, chosen in found)

    def _best_duty(self, who: str, value: dict[int, float]) -> tuple[float, list[int]]:
        """The most valuable set of `value`'s jobs one interpreter can do in a day (heuristic, see module).

        Jobs are taken by start time; each keeps LABELS labels (value, minutes, start of its stretch, end,
        jobs) of the best chains ending with it. A job extends the labels of earlier jobs that end by its start:
        those that ended at least a break before form one front over (value, minutes) (their stretch starts
        anew), the others are still in their stretch. Both are sorted once for all the jobs that start at the
        same time (on the 560-session event, dozens of channels do): each job's labels are then the first
        LABELS it may extend that no other beats, with no sort of its own."""
        rest = self.ev.event.interpreter_rest
        cap = self._day_cap(who)
        job = {n: self.jobs[self.options[n].job] for n in value}
        order = sorted(value, key=lambda n: (job[n].start, job[n].end, n))
        rested: list[tuple[float, int, tuple[int, ...]]] = []  # front: value up, minutes up (both strictly)
        waiting: list[tuple[float, int, int, int, tuple[int, ...]]] = []  # labels not yet a break behind
        best: tuple[float, list[int]] = (0.0, [])
        i = 0
        while i < len(order):
            start = job[order[i]].start
            group = []
            while i < len(order) and job[order[i]].start == start:
                group.append(order[i])
                i += 1
            still = []
            for lab in waiting:
                if start - lab[3] >= rest.min_break:
                    rested = _with_label(rested, lab[0], lab[1], lab[4])
                else:
                    still.append(lab)
            waiting = still
            # The chains a job here may extend, best first: adding the job's value and minutes to each keeps
            # that order and who beats whom, so it is sorted once for the group.
            ahead = sorted([(v, minutes, start, chain) for v, minutes, chain in rested]
                           + [(v, minutes, stretch, chain)
                              for v, minutes, stretch, end, chain in waiting if end <= start],
                           key=lambda lab: (-lab[0], lab[1], -lab[2]))
            made = []
            for k in group:
                j = job[k]
                if j.minutes > min(cap, rest.max_continuous):
                    continue
                kept: list[tuple[float, int, int, int, tuple[int, ...]]] = []
                for v, minutes, stretch, chain in ahead:
                    if minutes + j.minutes > cap or j.end - stretch > rest.max_continuous:
                        continue
                    v, minutes = v + value[k], minutes + j.minutes
                    if not any(o[0] >= v and o[1] <= minutes and o[2] >= stretch for o in kept):
                        kept.append((v, minutes, stretch, j.end, chain + (k,)))
                        if len(kept) == LABELS:
                            break
                if len(kept) < LABELS:  # the job alone: least value, fewest minutes, so never beaten
                    kept.append((value[k], j.minutes, j.start, j.end, (k,)))
                made.extend(kept)
                if kept[0][0] > best[0]:
                    best = (kept[0][0], list(kept[0][4]))
            waiting.extend(made)
        return best

    # --- integral solution -------------------------------------------------------------------------

    def dive(self, deadline: float) -> dict[tuple[str, str], tuple[str, list[str]]] | None:
        """Fix the duties the LP uses most, a batch at a time, pricing after each batch, until the LP picks
        whole duties; returns the teams (see `teams`), or None if even a single fix leaves the LP infeasible.
        A batch that does is undone and retried as its first duty alone. In the last DIVE_RUSH of the time and
        after it, batches take half of the fractional duties without pricing; DIVE_GRACE seconds past the
        deadline the rest are rounded at once (see `_rounded`). Whole duties that leave a required channel
        to nobody are priced for once more within that grace."""
        fixed: set[tuple] = set()
        busy: set[tuple[str, int]] = set()  # interpreter-days with a fixed duty
        worked: Counter[str] = Counter(self.offset)  # minutes of each interpreter's fixed duties and elsewhere
        covered: Counter[int] = Counter()  # people of the fixed duties in each option
        began = time.perf_counter()
        rush = deadline - DIVE_RUSH * max(0.0, deadline - began)
        last = max(deadline, began) + DIVE_GRACE
        while True:
            if stop_requested():  # Ctrl-C: no more pricing, what is left is rounded at once
                rush = last = 0.0
            chosen = {key: v for key, var in self.x.items() if (v := var.solution_value()) > EPSILON}
            fractional = sorted(((v, key) for key, v in chosen.items() if v < 1 - EPSILON and key not in fixed),
                                key=lambda vk: (-vk[0], vk[1]))
            if not fractional:
                split = self._split_sources()
                if not split:
                    # Whole duties that leave a required channel to nobody (fixed without pricing, in the rush):
                    # price once more for the people still free while the grace lasts.
                    if time.perf_counter() < last and self._uncovered() and self.price(last, busy):
                        if self.solve_lp() is None:
                            return None
                        continue
                    return self.teams(set(chosen))
                # Whole duties, but a channel's team split between two sources: keep the larger one only.
                for k, n in split:
                    for other in self.sources[k]:
                        if other != n:
                            self.z[other].SetUb(0)
                if self.solve_lp() is None:
                    return None
                if time.perf_counter() < rush and self.price(rush, busy) and self.solve_lp() is None:
                    return None
                continue
            now = time.perf_counter()
            if now > last:
                log.info("duties: diving out of time with %d duties fixed; the rest rounded", len(fixed))
                return self.teams(self._rounded(fixed, fractional))
            # Nearly whole duties all at once, else the largest share of the fractional ones.
            share = 2 if now > rush else DIVE_SHARE
            candidates = [vk for vk in fractional if vk[0] > 0.8] or fractional[:max(1, len(fractional) // share)]
            batch = self._batch([key for _, key in candidates], busy, worked, covered)
            batch = batch or [fractional[0][1]]
            for attempt in (batch, batch[:1]):
                for key in attempt:
                    self.x[key].SetLb(1)
                if self.solve_lp() is not None:
                    break
                for key in attempt:
                    self.x[key].SetLb(0)
            else:  # that duty cannot be whole with those fixed: it is out
                self.x[batch[0]].SetUb(0)
                if self.solve_lp() is None:
                    log.info("duties: diving infeasible with %d duties fixed", len(fixed))
                    return None
                continue
            for key in attempt:
                worked[key[0]] += self.duties[key].minutes
                covered.update(self.duties[key].jobs)
                busy.add((key[0], self.duties[key].day))
            fixed.update(attempt)
            if time.perf_counter() < rush and self.price(rush, busy) and self.solve_lp() is None:
                return None

    def _batch(self, candidates: list[tuple], busy: set[tuple[str, int]], worked: Counter[str],
               covered: Counter[int]) -> list[tuple]:
        """The duties of `candidates` (best first) that diving fixes together: one a day each and none on a
        `busy` interpreter-day, none that would take someone's minutes (`worked`: fixed and elsewhere) past the
        LP's busiest load, none that would give a channel more people than its team (`covered`: people of the
        fixed duties in each option): the extra person would be wasted, and where the room's interpreters are
        capped the LP made infeasible."""
        batch, days, load = [], set(), self.load.solution_value() + EPSILON
        planned, cover = worked.copy(), covered.copy()
        for key in candidates:
            duty = self.duties[key]
            day = (duty.who, duty.day)
            if day in busy or day in days or planned[duty.who] + duty.minutes > load:
                continue
            if any(cover[n] >= self.jobs[self.options[n].job].team for n in duty.jobs):
                continue
            batch.append(key)
            days.add(day)
            planned[duty.who] += duty.minutes
            cover.update(duty.jobs)
        return batch

    def _uncovered(self) -> bool:
        """Whether the LP leaves a required channel (partly) unstaffed, paying MISSING for it."""
        return any(j.required and sum(self.z[n].solution_value() for n in self.sources[k]) < 1 - EPSILON
                   for k, j in enumerate(self.jobs))

    def _split_sources(self) -> list[tuple[int, int]]:
        """(channel, its option of largest share) for each required channel whose staffing the LP splits
        between sources."""
        out = []
        for k, options in self.sources.items():
            shares = [(self.z[n].solution_value(), n) for n in options]
            if self.jobs[k].required and sum(1 for v, _ in shares if v > EPSILON) > 1:
                out.append((k, max(shares)[1]))
        return out

    def _rounded(self, fixed: set[tuple], fractional: list[tuple[float, tuple]]) -> set[tuple]:
        """The fixed duties and, largest first, every fractional one whose interpreter-day is still free."""
        out, days = set(fixed), {(key[0], self.duties[key].day) for key in fixed}
        for _, key in fractional:
            if (key[0], self.duties[key].day) not in days:
                out.add(key)
                days.add((key[0], self.duties[key].day))
        return out

    def teams(self, chosen: set[tuple]) -> dict[tuple[str, str], tuple[str, list[str]]] | None:
        """Teams ((session, channel) -> (source, people)) from chosen duties (and the LP's last solution). A
        channel is staffed from a source whose team is complete while the room has booths, a relay only when
        its pivot channel is staffed direct. People beyond a team leave that channel. A required channel the
        duties leave without its team is given people who can still take it (see `_complete`); None if one
        is left unstaffed even so."""
        people: dict[int, list[str]] = {}
        for key in sorted(chosen):
            for n in self.duties[key].jobs:
                people.setdefault(n, []).append(key[0])
        booths: dict[str, int] = {}
        crowd: dict[str, int] = {}
        out: dict[tuple[str, str], tuple[str, list[str]]] = {}
        # What the LP staffs first (it respects booths and pivots), direct before relay (a relay needs its pivot
        # staffed), required before optional, then by what leaving it unstaffed costs.
        order = sorted(people, key=lambda n: (self.z[n].solution_value() < 0.5, self.options[n].relay,
                                              not self.jobs[self.options[n].job].required,
                                              -self.jobs[self.options[n].job].unstaffed, n))
        for n in order:
            o = self.options[n]
            j = self.jobs[o.job]
            room = self.ev.room[self.placement[j.session][1]]
            floor = self.ev.session[j.session].language
            if (j.session, j.into) in out or len(people[n]) < j.team or booths.get(j.session, 0) >= room.channels:
                continue
            if o.relay and out.get((j.session, o.source), ("", []))[0] != floor:
                continue
            if room.max_interpreters is not None and crowd.get(j.session, 0) + j.team > room.max_interpreters:
                continue
            out[(j.session, j.into)] = (o.source, sorted(people[n])[:j.team])
            booths[j.session] = booths.get(j.session, 0) + 1
            crowd[j.session] = crowd.get(j.session, 0) + j.team
        missing = [k for k, j in enumerate(self.jobs) if j.required and (j.session, j.into) not in out]
        if missing:
            self._complete(missing, chosen, out, booths, crowd)
        if any(j.required and (j.session, j.into) not in out for j in self.jobs):
            log.info("duties: a required channel is left unstaffed")
            return None
        return out

    def _complete(self, missing: list[int], chosen: set[tuple], out: dict, booths: dict[str, int],
                  crowd: dict[str, int]) -> None:
        """Staff the required channels `missing` (jobs) in `out`, direct, with people able then whose day (the
        channels of their chosen duty, and those given here) keeps its daily minutes, the load cap and the rest
        rule with it, those who already work that day first (diving rounded in a hurry can leave channels
        without their team: on the 560-session event three days of eight were lost so). When too few keep the
        load cap (and their limit), people who pass it make up the team: the load is a goal, and the day's
        timetable is kept only if it costs less (days staffed side by side, each with a share of everyone's
        room, lost the largest day so in two runs of five)."""
        rest = self.ev.event.interpreter_rest
        given: dict[tuple[str, int], list[tuple[int, int, str]]] = {}  # (who, day) -> their channels' spans
        for key in chosen:
            duty = self.duties[key]
            given[(duty.who, duty.day)] = [self.jobs[self.options[n].job].span for n in duty.jobs]

        def fits(who: str, j: Job, capped: bool = True) -> bool:
            return workable(sorted(given.get((who, j.day), []) + [j.span]), self._day_cap(who, capped), rest)

        def worked(who: str) -> int:  # minutes elsewhere and in the channels given so far
            return self.offset.get(who, 0) + sum(b - a for (w, _), spans in given.items() if w == who
                                                 for a, b, _ in spans)

        for k in missing:
            j = self.jobs[k]
            room = self.ev.room[self.placement[j.session][1]]
            floor = self.ev.session[j.session].language
            n = self.option_index.get((k, floor))
            if n is None or booths.get(j.session, 0) >= room.channels:
                continue
            if room.max_interpreters is not None and crowd.get(j.session, 0) + j.team > room.max_interpreters:
                continue
            free = sorted((who for (who, day), options in self.able.items() if day == j.day and n in options),
                          key=lambda who: ((who, j.day) not in given, who))
            team = [who for who in free if fits(who, j)][:j.team]
            if len(team) < j.team:  # those whose load it takes least far
                over = sorted((who for who in free if who not in team and fits(who, j, capped=False)),
                              key=lambda who: (worked(who), who))
                team += over[:j.team - len(team)]
            if len(team) < j.team:
                continue
            out[(j.session, j.into)] = (floor, team)
            for who in team:
                given.setdefault((who, j.day), []).append(j.span)
            booths[j.session] = booths.get(j.session, 0) + 1
            crowd[j.session] = crowd.get(j.session, 0) + j.team

    def _day_cap(self, who: str, capped: bool = True) -> int:
        """Minutes `who` may work in a day here: their daily limit and, if `capped`, what the load cap leaves
        them and their limit."""
        cap = self.ev.interpreter[who].max_minutes_per_day
        if not capped:
            return cap
        cap = min(cap, self.limits.get(who, BIG))
        return cap if self.load_cap is None else min(cap, self.load_cap - self.offset.get(who, 0))


def _with_label(front: list[tuple[float, int, tuple[int, ...]]], value: float, minutes: int,
                chain: tuple[int, ...]) -> list[tuple[float, int, tuple[int, ...]]]:
    """`front` (chains whose stretch is over, by minutes; more minutes only with more value) with one more."""
    if any(v >= value and m <= minutes for v, m, _ in front):
        return front
    return sorted([lab for lab in front if not (value >= lab[0] and minutes <= lab[1])] + [(value, minutes, chain)],
                  key=lambda lab: (lab[1], lab[0]))


def staff_by_duties(ev: Event, placement: dict[str, tuple[int, str]],
                    start_from: dict[tuple[str, str], tuple[str, list[str]]], seconds: float,
                    pivots: set[str] = frozenset(), load_offset: dict[str, int] | None = None,
                    load_cap: int | None = None, limits: dict[str, int] | None = None
                    ) -> dict[tuple[str, str], tuple[str, list[str]]] | None:
    """Teams ((session, channel) -> (source, people)) for `placement` by column generation and diving,
    relay going through `pivots`, starting from the duties of `start_from` (the teams of a valid staffing of
    the same placement, in the same form); None when it fails in time. `load_offset`, `load_cap`, `limits`:
    see `DutyMaster`."""
    began = time.perf_counter()
    deadline = began + seconds
    master = DutyMaster(ev, placement, pivots, load_offset, load_cap, limits)
    days: dict[tuple[str, int], list[int]] = {}
    for (sid, into), (source, team) in start_from.items():
        n = master.option_index.get((master.index.get((sid, into)), source))
        if n is None:
            continue
        for who in team:
            days.setdefault((who, master.jobs[master.options[n].job].day), []).append(n)
    for (who, day), jobs in days.items():  # options outside the master (other pivots) are left out
        master.add(who, [n for n in jobs if n in master.able.get((who, day), ())])
    # Column generation until no duty improves the LP or GENERATION_SHARE of the time is spent, then diving.
    rounds, last = 0, float("inf")
    while time.perf_counter() < began + seconds * GENERATION_SHARE and not stop_requested():
        value = master.solve_lp()
        if value is None:
            log.info("duties: the first LP is infeasible")
            return None
        rounds += 1
        added = master.price(began + seconds * GENERATION_SHARE)
        log.info("duties: round %d, LP %.1f, %d duties (%d new) at %.1f s", rounds, value, len(master.duties), added,
                 time.perf_counter() - began)
        if not added or (rounds > 3 and value > last - 0.5):  # converged, or the tail of tiny gains
            break
        last = value
    if master.solve_lp() is None:
        return None
    log.info("duties: LP load %.1f, duties %.1f, unstaffed %.1f", master.load.solution_value(),
             sum(d.cost * master.x[key].solution_value() for key, d in master.duties.items()),
             sum(j.unstaffed * (1 - sum(master.z[n].solution_value() for n in master.sources[k]))
                 for k, j in enumerate(master.jobs)))
    teams = master.dive(deadline)
    log.info("duties: diving %s at %.1f s", "done" if teams is not None else "failed", time.perf_counter() - began)
    return teams
