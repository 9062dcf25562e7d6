"""Whole working days handed to other interpreters (fewer interpreter-days, an even load, fewer retours), then
light days given away channel by channel, then optional channels given to people at work with room for them.

A *duty* is what one interpreter does on one day (see `duties.py`). Staffing by duties and the day models of the
neighbourhood search see one day at a time, or the load only through a linear relaxation, and on large events
time runs out before every day is re-staffed: the busiest interpreter may work a third day that someone idle that
day could take, and two people may each work a short day that one of them could do alone. Here each duty goes
as a block to someone able to work every channel of it from its source, present at each and within their daily
minutes; one person may take two duties of a day when their channels are apart, the rest rule holds over both and
the minutes fit. Teams keep their sizes and the times stay, so only interpreter-days, the busiest load and retours
can change. A CP-SAT model picks who takes each duty: on one timetable of the 130-session event (182 duties,
1,090 (duty, person) pairs) it is optimal in 0.1 s (load 1,020 -> 985); on two of the 560-session event (1,800
duties, 31,000 pairs, 300-450 pairs of duties one person can do together), 6 s took 765 and 845 off them.

Then, with single channels moved to people already at work that day who have room for them (channels apart,
daily minutes, rest rule, present, no busiest load raised), light days are *emptied*, each only if every one of
its channels finds someone (560-session event: 210 and 450 off two timetables, in under a second), and optional
channels left unstaffed are *topped up* (54 of 483 channels, 550 off, in 0.7 s). On the 130-session event the
neighbourhood search leaves nothing for either.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from datetime import date

from ortools.sat.python import cp_model

from .check import workable
from .constraints import able_interpreters
from .event import BIG, Event
from .interrupt import new_solver

log = logging.getLogger(__name__)

# Working days of at most this share of their holder's daily minutes are tried for emptying (`emptied`).
LIGHT_SHARE = 2 / 3

Teams = dict[tuple[str, str], tuple[str, list[str]]]  # (session, channel) -> (source, people)
DutyKey = tuple[str, date]  # (interpreter, day)


def duties_of(ev: Event, placement: dict[str, tuple[int, str]], teams: Teams) -> dict[DutyKey, list[tuple[str, str]]]:
    """The channels ((session, into)) each interpreter works on each day."""
    out: dict[DutyKey, list[tuple[str, str]]] = defaultdict(list)
    for (sid, into), (_, people) in teams.items():
        for who in people:
            out[(who, ev.day_of(placement[sid][0]))].append((sid, into))
    return out


def takers(ev: Event, placement: dict[str, tuple[int, str]], teams: Teams,
           duties: dict[DutyKey, list[tuple[str, str]]]) -> dict[DutyKey, list[str]]:
    """For each duty, the interpreters who could do it whole: able to work every channel from its source,
    present at every one, within their daily minutes (its holder among them)."""
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for pair, people in able_interpreters(ev).items():
        for who in people:
            pairs[who].add(pair)
    away = {it.id: ev.periods(it.unavailable) for it in ev.interpreters}
    out: dict[DutyKey, list[str]] = {}
    for key, channels in duties.items():
        needs = {(teams[c][0], c[1]) for c in channels}
        spans = [(placement[sid][0], placement[sid][0] + ev.session[sid].duration) for sid, _ in channels]
        minutes = sum(b - a for a, b in spans)
        out[key] = [it.id for it in ev.interpreters
                    if it.max_minutes_per_day >= minutes
                    and needs <= pairs[it.id]
                    and not any(a < e and s < b for a, b in away[it.id] for s, e in spans)]
        if key[0] not in out[key]:  # the holder may do it by definition of a valid timetable
            out[key].append(key[0])
    return out


def joinable(ev: Event, placement: dict[str, tuple[int, str]], duties: dict[DutyKey, list[tuple[str, str]]],
             able: dict[DutyKey, list[str]]) -> dict[tuple[DutyKey, DutyKey], list[str]]:
    """Pairs of duties of one day that one person could do together (channels apart, the rest rule kept over
    both), with the people able to take both within their daily minutes."""
    rest = ev.event.interpreter_rest
    longest = max((it.max_minutes_per_day for it in ev.interpreters), default=0)
    spans = {key: sorted((placement[sid][0], placement[sid][0] + ev.session[sid].duration, sid)
                         for sid, _ in channels) for key, channels in duties.items()}
    minutes = {key: sum(b - a for a, b, _ in items) for key, items in spans.items()}
    by_day: dict[date, list[DutyKey]] = defaultdict(list)
    for key in sorted(duties, key=lambda k: minutes[k]):
        by_day[key[1]].append(key)
    out: dict[tuple[DutyKey, DutyKey], list[str]] = {}
    for keys in by_day.values():
        for i, first in enumerate(keys):
            for second in keys[i + 1:]:
                if minutes[first] + minutes[second] > longest:
                    break  # sorted by minutes: every later one is longer still
                if not workable(sorted(spans[first] + spans[second]), longest, rest):
                    continue
                people = [who for who in able[first] if who in able[second]
                          and ev.interpreter[who].max_minutes_per_day >= minutes[first] + minutes[second]]
                if people:
                    out[(first, second)] = people
    return out


def rebalanced(ev: Event, placement: dict[str, tuple[int, str]], teams: Teams, seconds: float, workers: int = 1,
               seed: int = 0) -> Teams | None:
    """`teams` with whole duties handed round so that interpreter-days, the busiest load and retours cost least
    (see the module); None when no better hand-out is found in `seconds` (building the model included)."""
    began = time.perf_counter()
    weights = ev.event.weights
    duties = duties_of(ev, placement, teams)
    able = takers(ev, placement, teams, duties)
    pairs = joinable(ev, placement, duties, able)
    minutes = {key: sum(ev.session[sid].duration for sid, _ in channels) for key, channels in duties.items()}
    retours = {}
    m = cp_model.CpModel()
    take: dict[tuple[DutyKey, str], cp_model.IntVar] = {}
    for key, people in able.items():
        for who in people:
            take[(key, who)] = m.new_bool_var(f"take[{key[0]},{key[1]},{who}]")
            m.add_hint(take[(key, who)], who == key[0])
            it = ev.interpreter[who]
            retours[(key, who)] = sum(it.is_retour(into) for _, into in duties[key])
        m.add_exactly_one(take[(key, who)] for who in people)
    # together[(first, second, who)]: `who` does both duties of a joinable pair, one interpreter-day for two.
    together: dict[tuple[DutyKey, DutyKey, str], cp_model.IntVar] = {}
    for (first, second), people in pairs.items():
        for who in people:
            var = m.new_bool_var(f"together[{first[0]},{second[0]},{first[1]},{who}]")
            m.add_implication(var, take[(first, who)])
            m.add_implication(var, take[(second, who)])
            m.add_hint(var, False)
            together[(first, second, who)] = var
    per_day: dict[DutyKey, list[cp_model.IntVar]] = defaultdict(list)
    joined: dict[DutyKey, list[cp_model.IntVar]] = defaultdict(list)
    per_person: dict[str, list[cp_model.LinearExprT]] = defaultdict(list)
    for ((who0, day), who), var in take.items():
        per_day[(who, day)].append(var)
        per_person[who].append(minutes[(who0, day)] * var)
    for (first, _, who), var in together.items():
        joined[(who, first[1])].append(var)
    for key, vars_ in per_day.items():
        # One duty a day, or two that are joinable and done together.
        if joined[key]:
            m.add(sum(vars_) <= 1 + sum(joined[key]))
            m.add_at_most_one(joined[key])
        else:
            m.add_at_most_one(vars_)
    now: dict[str, int] = defaultdict(int)
    for (who, _), worked in minutes.items():
        now[who] += worked
    busiest = m.new_int_var(0, sum(minutes.values()), "busiest_load")  # days done together raise loads
    m.add_hint(busiest, max(now.values(), default=0))
    for who, terms in per_person.items():
        m.add(sum(terms) <= busiest)
    # Every duty is taken once: the interpreter-days are the duties less those done together.
    cost = (weights.interpreter_load * busiest + weights.retour * sum(retours[k] * v for k, v in take.items())
            - weights.interpreter_day * sum(together.values()))
    before = weights.interpreter_load * max(now.values(), default=0) + weights.retour * sum(
        retours[(k, k[0])] for k in duties)
    m.minimize(cost)
    built = time.perf_counter() - began
    if seconds - built < built:  # presolve takes about as long as building (560 sessions: 1.2 s each): no time
        log.info("rebalancing %d duties: no time left to solve (%.1f s)", len(duties), seconds - built)
        return None
    solver = new_solver(seconds - built)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_probing_level = 0
    code = solver.solve(m)
    log.info("rebalancing %d duties (%d takers, %d joinable pairs): %s, %s -> %s", len(duties), len(take), len(pairs),
             solver.status_name(code), before,
             solver.objective_value if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else "-")
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value >= before:
        return None
    holder = {key: who for (key, who), var in take.items() if solver.value(var)}
    out: Teams = {}
    for (sid, into), (source, people) in teams.items():
        day = ev.day_of(placement[sid][0])
        out[(sid, into)] = (source, sorted(holder[(who, day)] for who in people))
    return out


class WorkingDays:
    """Each interpreter's channels by day and their loads, for moves of single channels that add no
    interpreter-day: `fits` says whether someone already at work that day has room for one more."""

    def __init__(self, ev: Event, placement: dict[str, tuple[int, str]], teams: Teams):
        self.ev, self.placement, self.teams = ev, placement, dict(teams)
        self.channels = duties_of(ev, placement, teams)
        self.load: dict[str, int] = defaultdict(int)
        self.working: dict[date, set[str]] = defaultdict(set)
        for (who, day), channels in self.channels.items():
            self.load[who] += sum(ev.session[sid].duration for sid, _ in channels)
            self.working[day].add(who)
        # The busiest load may not rise (unless it costs nothing).
        self.busiest = max(self.load.values(), default=0) if ev.event.weights.interpreter_load else BIG
        self.away = {it.id: ev.periods(it.unavailable) for it in ev.interpreters}

    def span(self, sid: str) -> tuple[int, int, str]:
        """Session `sid` as (start, end, id), as the rest rule takes it."""
        start = self.placement[sid][0]
        return start, start + self.ev.session[sid].duration, sid

    def minutes(self, key: DutyKey) -> int:
        """Minutes worked on one interpreter-day."""
        return sum(self.ev.session[sid].duration for sid, _ in self.channels.get(key, []))

    def fits(self, who: str, sid: str, source: str, into: str) -> bool:
        """Whether `who`, at work on the day of session `sid`, may also work its channel `into` from `source`:
        able, present, not in its team already, their channels apart, within their daily minutes, the rest rule
        and the busiest load."""
        it, (start, end, _) = self.ev.interpreter[who], self.span(sid)
        key = (who, self.ev.day_of(start))
        if not self.channels.get(key) or who in self.teams.get((sid, into), ("", []))[1]:
            return False
        spans = sorted([self.span(other) for other, _ in self.channels[key]] + [(start, end, sid)])
        return (it.can_interpret(source, into) and self.load[who] + end - start <= self.busiest
                and not any(a < end and start < b for a, b in self.away[who])
                and workable(spans, it.max_minutes_per_day, self.ev.event.interpreter_rest))

    def give(self, who: str, sid: str, source: str, into: str) -> None:
        """Add `who` to the team of channel `into` of `sid` (made with `source` if it had none)."""
        _, people = self.teams.get((sid, into), (source, []))
        self.teams[(sid, into)] = (source, sorted([*people, who]))
        day = self.ev.day_of(self.placement[sid][0])
        self.channels[(who, day)].append((sid, into))
        self.working[day].add(who)
        self.load[who] += self.ev.session[sid].duration

    def take_away(self, who: str, sid: str, into: str) -> None:
        """Remove `who` from the team of channel `into` of `sid`."""
        source, people = self.teams[(sid, into)]
        self.teams[(sid, into)] = (source, [w for w in people if w != who])
        day = self.ev.day_of(self.placement[sid][0])
        self.channels[(who, day)].remove((sid, into))
        if not self.channels[(who, day)]:
            del self.channels[(who, day)]
            self.working[day].discard(who)
        self.load[who] -= self.ev.session[sid].duration

    def at_work(self, day: date) -> list[str]:
        """The interpreters who work on `day`, in a fixed order."""
        return sorted(self.working[day])


def emptied(ev: Event, placement: dict[str, tuple[int, str]], teams: Teams) -> Teams:
    """`teams` with the lightest working days (at most LIGHT_SHARE of their holder's daily minutes) given away
    channel by channel to people already at work that day with room (see `WorkingDays.fits`, the fullest day
    first, no new retour), each day only if all of its channels find someone: an interpreter-day saved each."""
    days = WorkingDays(ev, placement, teams)
    for key in sorted(days.channels, key=lambda k: (days.minutes(k), k)):
        who, day = key
        if key not in days.channels or days.minutes(key) > LIGHT_SHARE * ev.interpreter[who].max_minutes_per_day:
            continue
        todo = sorted(days.channels[key], key=lambda c: (-ev.session[c[0]].duration, c))  # longest first
        plan = []
        for sid, into in todo:
            source = days.teams[(sid, into)][0]
            able = [other for other in days.at_work(day) if other != who and not ev.interpreter[other].is_retour(into)
                    and days.fits(other, sid, source, into)]
            if not able:
                break
            taker = max(able, key=lambda other: (days.minutes((other, day)), other))
            days.give(taker, sid, source, into)  # so that the next channel sees it
            plan.append((taker, sid, into))
        for taker, sid, into in plan:
            days.take_away(who if len(plan) == len(todo) else taker, sid, into)  # all given, or none
    return days.teams


def topped_up(ev: Event, placement: dict[str, tuple[int, str]], teams: Teams) -> Teams:
    """`teams` with unstaffed optional channels, those whose absence costs most first, given direct to people
    who already work that day and have room for them (see `WorkingDays.fits`), the least loaded first, when the
    retours it takes cost less than the channel saves: no interpreter-day is added and the busiest load does not
    rise."""
    weights = ev.event.weights
    days = WorkingDays(ev, placement, teams)
    booths: dict[str, int] = defaultdict(int)
    crowd: dict[str, int] = defaultdict(int)
    for (sid, _), (_, people) in teams.items():
        booths[sid] += 1
        crowd[sid] += len(people)
    left = sorted(((ev.unstaffed_cost(s), s.id, into)
                   for s in ev.sessions if s.interpretation == "optional"
                   for into in ev.channels(s) if (s.id, into) not in teams), key=lambda c: (-c[0], c[1], c[2]))
    for saved, sid, into in left:
        s, room = ev.session[sid], ev.room[placement[sid][1]]
        team = ev.team_size(s)
        if booths[sid] >= room.channels or (room.max_interpreters is not None
                                            and crowd[sid] + team > room.max_interpreters):
            continue
        chosen = sorted((who for who in days.at_work(ev.day_of(placement[sid][0]))
                         if days.fits(who, sid, s.language, into)),
                        key=lambda who: (ev.interpreter[who].is_retour(into), days.load[who], who))[:team]
        if len(chosen) < team or weights.retour * sum(ev.interpreter[w].is_retour(into) for w in chosen) >= saved:
            continue
        for who in chosen:
            days.give(who, sid, s.language, into)
        booths[sid] += 1
        crowd[sid] += team
    return days.teams
