"""Staffing by column generation over interpreter-day duties (`scheduler/duties.py`)."""

import random
from collections import Counter
from itertools import combinations

import pytest
from builders import day, en_fr, event_dict, interpreter, room, session, two_days_greedy

from scheduler import duties
from scheduler.check import check, work_stretches
from scheduler.constraints import pivot_languages
from scheduler.costs import costs
from scheduler.duties import EPSILON as EPS
from scheduler.duties import DutyMaster, staff_by_duties
from scheduler.event import Event
from scheduler.generate import GeneratorSettings, generate_event
from scheduler.loading import parse
from scheduler.solutions import assemble


def _one_interpreter_day(starts: list[tuple[str, int]], limit: int = 360):
    """One interpreter (en -> fr), one 09:00-18:00 day, a room per session so that any times are allowed;
    `starts` lists (session, minutes after 09:00), every session 60 minutes long."""
    data = event_dict([session(sid, pin={"start": f"{9 + m // 60:02d}:{m % 60:02d}", "room": f"r{i}"})
                       for i, (sid, m) in enumerate(starts)],
                      rooms=[room(f"r{i}") for i in range(len(starts))],
                      interpreters=[en_fr("i1", max_minutes_per_day=limit)], days=[day(end="18:00")])
    ev = parse(Event, data, "day.json")
    placement = {sid: (540 + m, f"r{i}") for i, (sid, m) in enumerate(starts)}
    return ev, DutyMaster(ev, placement)


def _feasible(ev, master, jobs) -> bool:
    """Whether one interpreter can do these jobs in a day, by the checker's own rules."""
    rest, it = ev.event.interpreter_rest, ev.interpreters[0]
    spans = sorted((master.jobs[k].start, master.jobs[k].end, str(k)) for k in jobs)
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
        return False
    if sum(e - s for s, e, _ in spans) > it.max_minutes_per_day:
        return False
    return all(max(e for _, e, _ in st) - st[0][0] <= rest.max_continuous
               for st in work_stretches(spans, rest.min_break))


def test_a_duty_keeps_the_rest_rule():
    """Four back-to-back hours: at most three in a row (180 minutes) without a 30-minute break."""
    ev, master = _one_interpreter_day([("a", 0), ("b", 60), ("c", 120), ("d", 180)])
    value, jobs = master._best_duty("i1", {k: 1.0 for k in range(4)})
    assert value == 3.0 and _feasible(ev, master, jobs)


def test_a_duty_takes_a_break_to_work_more():
    """With a 30-minute gap after three hours, the fourth hour fits too."""
    ev, master = _one_interpreter_day([("a", 0), ("b", 60), ("c", 120), ("d", 210)])
    value, jobs = master._best_duty("i1", {k: 1.0 for k in range(4)})
    assert value == 4.0 and sorted(jobs) == [0, 1, 2, 3]


def test_a_duty_keeps_the_daily_minutes():
    ev, master = _one_interpreter_day([("a", 0), ("b", 90), ("c", 180), ("d", 270)], limit=120)
    value, jobs = master._best_duty("i1", {0: 1.0, 1: 5.0, 2: 1.0, 3: 4.0})
    assert value == 9.0 and sorted(jobs) == [1, 3]


@pytest.mark.parametrize("seed", range(16))
def test_pricing_finds_the_best_duty(seed, monkeypatch):
    """With enough labels the longest-path search is exact: it matches the best of all feasible subsets
    (sessions often start together, so chains are extended from the fronts shared by such jobs)."""
    monkeypatch.setattr(duties, "LABELS", 1000)
    rng = random.Random(seed)
    starts = [(f"s{i}", 15 * rng.randrange(0, 28)) for i in range(7)]
    ev, master = _one_interpreter_day(starts, limit=rng.choice([180, 240, 360]))
    value = {k: rng.randint(1, 9) for k in range(len(master.jobs))}
    found, jobs = master._best_duty("i1", value)
    best = max((sum(value[k] for k in subset), subset) for n in range(len(value) + 1)
               for subset in combinations(range(len(value)), n) if _feasible(ev, master, subset))
    assert found == best[0] and _feasible(ev, master, jobs) and sum(value[k] for k in jobs) == found


@pytest.mark.parametrize("seed", [5, 6])
def test_staffing_by_duties_obeys_every_rule(seed):
    """From the planted timetable's teams, the duties' staffing of the same times is valid and costed."""
    event, planted = generate_event(GeneratorSettings(sessions=16, days=2, rooms=3, languages=3, seed=seed))
    placement = {p.session: (event.minute(p.start), p.room) for p in planted.sessions}
    start = {(p.session, c.into): (c.from_, list(c.interpreters)) for p in planted.sessions for c in p.channels
             if c.interpreters}
    teams = staff_by_duties(event, placement, start, 10.0, pivot_languages(event))
    assert teams is not None
    tt = assemble(event, placement, teams, "feasible", 0, 0, None)
    assert check(event, tt) == []
    assert tt.objective == sum(c.cost for c in costs(event, tt))
    required = {(s.id, t) for s in event.sessions if s.interpretation == "required" for t in event.channels(s)}
    assert required <= set(teams)


def test_lp_of_duties_pays_days_and_load():
    """Two one-hour talks at once need two people (a day each): pricing finds no duty doing both, and the LP
    pays two days plus the busiest load of 60 minutes."""
    data = event_dict([session("a", pin={"start": "09:00", "room": "r0"}),
                       session("b", pin={"start": "09:00", "room": "r1"})],
                      rooms=[room("r0"), room("r1")], interpreters=[en_fr("i1"), en_fr("i2"), en_fr("i3")],
                      team_size={"solo_max_minutes": 60, "team": 2})
    ev = parse(Event, data, "two.json")
    placement = {"a": (540, "r0"), "b": (540, "r1")}
    master = DutyMaster(ev, placement)
    for who, k in (("i1", 0), ("i2", 1)):
        master.add(who, [k])
    master.solve_lp()
    master.price(float("inf"))
    value = master.solve_lp()
    w = ev.event.weights
    assert value == pytest.approx(2 * w.interpreter_day + 60 * w.interpreter_load)
    assert all(len(d.jobs) == 1 for d in master.duties.values())


def test_duties_relay_through_a_pivot_when_nobody_works_direct():
    """Nobody works German -> French: the French channel listens to the English one, staffed direct."""
    data = event_dict([session("talk", language="de", pin={"start": "09:00"})], languages=("de", "en", "fr"),
                      rooms=[room("r1", channels=2)],
                      interpreters=[interpreter("de-en-1", A=["en"], C=["de"]),
                                    interpreter("de-en-2", A=["en"], C=["de"]), en_fr("en-fr-1"), en_fr("en-fr-2")])
    ev = parse(Event, data, "relay.json")
    placement = {"talk": (540, "r1")}
    teams = staff_by_duties(ev, placement, {}, 10.0, {"en"})
    assert teams == {("talk", "en"): ("de", ["de-en-1", "de-en-2"]), ("talk", "fr"): ("en", ["en-fr-1", "en-fr-2"])}
    tt = assemble(ev, placement, teams, "feasible", 0, 0, None)
    assert check(ev, tt) == []
    assert [c.cost for c in tt.costs if c.goal == "relay"] == [ev.event.weights.relay]


def test_diving_out_of_time_still_finishes():
    """Past its deadline, diving fixes half of the fractional duties at a time without pricing instead of
    giving up: its teams are still valid."""
    event, planted = generate_event(GeneratorSettings(sessions=16, days=2, rooms=3, languages=3, seed=5))
    placement = {p.session: (event.minute(p.start), p.room) for p in planted.sessions}
    master = DutyMaster(event, placement, pivot_languages(event))
    for _ in range(3):
        master.solve_lp()
        master.price(float("inf"))
    master.solve_lp()
    assert any(EPS < v.solution_value() < 1 - EPS for v in master.x.values())  # the LP is fractional
    teams = master.dive(deadline=0.0)
    assert teams is not None
    tt = assemble(event, placement, teams, "feasible", 0, 0, None)
    assert check(event, tt) == []


def test_decomposition_restaffs_by_duties(monkeypatch):
    """The decomposition hands its first timetable to the duty staffing, and keeps a valid timetable."""
    from scheduler import decompose as decompose_module
    from scheduler.solve import solve

    calls = []

    def recorded(*args, **kwargs):
        calls.append(args[1])
        return staff_by_duties(*args, **kwargs)

    monkeypatch.setattr(decompose_module, "staff_by_duties", recorded)
    # 16 sessions: the timing model proves its optimum in 0.1-0.2 s and the duties start at 0.2-0.3 s, where they
    # need 3 s left (the 24-session event's timing model used its whole share and got there at 4.7 s of 10).
    event, _ = generate_event(GeneratorSettings(sessions=16, days=2, rooms=3, languages=2, seed=5))
    outcome = solve(event, time_limit=5, workers=2, method="decompose")
    assert len(calls) == 1 and set(calls[0]) == {s.id for s in event.sessions}
    assert outcome.timetable is not None and check(event, outcome.timetable) == []


def _one_talk_two_people(solo_max: int = 60):
    """One 60-minute talk at 09:00 (a team of one with the default `solo_max`) and two people able to work it."""
    data = event_dict([session("a", pin={"start": "09:00", "room": "r0"})], rooms=[room("r0")],
                      interpreters=[en_fr("i1"), en_fr("i2")], team_size={"solo_max_minutes": solo_max, "team": 2})
    return parse(Event, data, "one.json"), {"a": (540, "r0")}


def test_load_offset_counts_in_the_busiest_load():
    """Minutes worked outside the master (other days) count in each person's load: the talk goes to the one
    who worked less, and the LP pays the busiest load, that of the other one's offset."""
    ev, placement = _one_talk_two_people()
    master = DutyMaster(ev, placement, load_offset={"i1": 300, "i2": 100})
    master.solve_lp()
    master.price(float("inf"))
    value = master.solve_lp()
    w = ev.event.weights
    assert value == pytest.approx(w.interpreter_day + 300 * w.interpreter_load)
    teams = master.dive(float("inf"))
    assert teams == {("a", "fr"): ("en", ["i2"])}


@pytest.mark.parametrize("limits, who", [(None, "i1"), ({"i1": 45}, "i2")])
def test_a_limit_keeps_its_interpreter_within_it(limits, who):
    """An interpreter's limit (minutes they may work in a one-day placement, when days are staffed side by
    side) keeps them off a 60-minute talk the load would give them: i1 worked less elsewhere and takes it,
    unless their limit is 45 minutes."""
    ev, placement = _one_talk_two_people()
    teams = staff_by_duties(ev, placement, {}, 5.0, load_offset={"i1": 100, "i2": 300}, load_cap=1000,
                            limits=limits)
    assert teams == {("a", "fr"): ("en", [who])}


def _two_talks(b_start: str, people: list[str]):
    """Two 30-minute talks, a at 09:00 in r0 and b at `b_start` in r1, and en -> fr interpreters `people`."""
    data = event_dict([session("a", 30, pin={"start": "09:00", "room": "r0"}),
                       session("b", 30, pin={"start": b_start, "room": "r1"})], rooms=[room("r0"), room("r1")],
                      interpreters=[en_fr(who) for who in people])
    return parse(Event, data, "two.json"), {"a": (540, "r0"), "b": ({"09:00": 540, "10:00": 600}[b_start], "r1")}


@pytest.mark.parametrize("b_start, people, a_gets", [
    ("09:00", ["i1", "i2"], ["i2"]),  # i1 works b then: someone free takes a
    ("09:00", ["i1"], None),  # nobody else: a stays without a team, so no staffing
    ("10:00", ["i1"], ["i1"]),  # b comes later: i1 also works a, in the day they work anyway
])
def test_a_required_channel_the_chosen_duties_miss_is_completed(b_start, people, a_gets):
    """Diving rounded in a hurry may choose duties that leave a required channel without its team; the teams
    then give it people whose day still keeps every rule with it."""
    ev, placement = _two_talks(b_start, people)
    master = DutyMaster(ev, placement)
    b = master.option_index[(master.index[("b", "fr")], "en")]
    master.add("i1", [b])
    master.solve_lp()
    teams = master.teams({("i1", (b,))})
    if a_gets is None:
        assert teams is None
    else:
        assert teams == {("b", "fr"): ("en", ["i1"]), ("a", "fr"): ("en", a_gets)}
        tt = assemble(ev, placement, teams, "feasible", 0.0, 0, None)
        assert check(ev, tt) == []


def test_load_cap_keeps_duties_under_it():
    """With a cap on the load, pricing makes no duty that would take someone past it with their offset; a
    required channel nobody can take under it still gets the one it raises least (the load is a goal)."""
    ev, placement = _one_talk_two_people()
    capped = DutyMaster(ev, placement, load_offset={"i1": 330}, load_cap=360)
    assert capped._best_duty("i1", {0: 1.0}) == (0.0, [])
    assert capped._best_duty("i2", {0: 1.0}) == (1.0, [0])
    free = DutyMaster(ev, placement, load_offset={"i1": 330})
    assert free._best_duty("i1", {0: 1.0}) == (1.0, [0])
    for offsets, who in (({"i1": 330, "i2": 340}, "i1"), ({"i1": 350, "i2": 340}, "i2")):
        teams = staff_by_duties(ev, placement, {}, 5.0, load_offset=offsets, load_cap=360)
        assert teams == {("a", "fr"): ("en", [who])}


@pytest.mark.parametrize("solo_max, fixed", [(60, 1), (40, 2)])
def test_diving_fixes_no_more_people_than_a_team(solo_max, fixed):
    """Two duties doing the same channel are fixed together only when its team needs both people."""
    ev, placement = _one_talk_two_people(solo_max)
    master = DutyMaster(ev, placement)
    for who in ("i1", "i2"):
        master.add(who, [0])
    for var in master.x.values():  # both whole: the LP's busiest load lets either be fixed
        var.SetLb(1)
    master.solve_lp()
    keys = sorted(master.duties)
    assert len(master._batch(keys, set(), Counter(), Counter())) == fixed
    assert master._batch(keys, set(), Counter(), Counter({0: fixed})) == []  # the channel's team is complete


def test_large_events_are_restaffed_by_duties_a_day_at_a_time(monkeypatch):
    """Above DUTY_LIMIT sessions, the decomposition re-staffs by duties one day at a time, each day's master
    getting the other days' minutes as load offsets and the busiest load as its cap; the result is valid and
    costs no more than the greedy staffing it starts from."""
    from scheduler import decompose as decompose_module
    from scheduler.search import Search
    from scheduler.solutions import loads

    calls = []

    def recorded(ev, placement, start_from, seconds, pivots=frozenset(), load_offset=None, load_cap=None,
                 limits=None):
        calls.append((ev, placement, load_offset, load_cap, limits))
        return staff_by_duties(ev, placement, start_from, seconds, pivots, load_offset, load_cap, limits)

    monkeypatch.setattr(decompose_module, "staff_by_duties", recorded)
    monkeypatch.setattr(decompose_module, "DUTY_LIMIT", 10)
    event, start = two_days_greedy()
    assert check(event, start) == []
    result = decompose_module.by_duties(Search(event, 60.0, 1, 0, None, None), start, 0)  # in this process
    assert check(event, result) == [] and result.objective <= start.objective
    assert len(calls) == 2  # one master per day
    days = [{sub.day_of(m) for m, _ in placement.values()} for sub, placement, *_ in calls]
    assert all(len(d) == 1 for d in days) and days[0] != days[1]
    assert {sid for _, placement, *_ in calls for sid in placement} == {s.id for s in event.sessions}
    _, _, outside, cap, limits = calls[0]  # the first day's master
    assert outside == loads(event, start, set(calls[0][1]))
    assert cap == max(loads(event, start).values())
    # One day at a time, each person may work on it what the cap leaves them beside their other days.
    assert limits == {it.id: cap - outside.get(it.id, 0) for it in event.interpreters}


def test_days_staffed_side_by_side_share_what_the_cap_leaves(monkeypatch):
    """With two days staffed at once, each person's room under the busiest load is shared between them, so
    that their gains on both days together never pass it; the result is valid and no costlier."""
    from concurrent.futures import Future
    from contextlib import contextmanager

    from scheduler import decompose as decompose_module
    from scheduler.parallel import InProcess
    from scheduler.search import Search
    from scheduler.solutions import loads

    calls = []

    class Recorded(InProcess):
        def submit(self, fn, /, *args, **kwargs) -> Future:
            calls.append(kwargs)
            return super().submit(fn, *args, **kwargs)

    @contextmanager
    def two_slots(workers):  # two days dispatched before either is merged, run here one after the other
        yield Recorded(), 2

    monkeypatch.setattr(decompose_module, "side_processes", two_slots)
    monkeypatch.setattr(decompose_module, "DUTY_LIMIT", 10)
    event, start = two_days_greedy()
    result = decompose_module.by_duties(Search(event, 60.0, 2, 0, None, None), start, 0)
    assert check(event, result) == [] and result.objective <= start.objective
    assert len(calls) == 2
    load = loads(event, start)
    cap = max(load.values())
    gains = Counter()
    for call in calls:
        outside, limits = call["load_offset"], call["limits"]
        assert call["load_cap"] == cap
        for who, limit in limits.items():
            gains[who] += limit - (load.get(who, 0) - outside.get(who, 0))  # beyond their work that day
    assert all(gains[it.id] <= cap - load.get(it.id, 0) for it in event.interpreters)
    assert any(gains[it.id] > 0 for it in event.interpreters)
    assert max(loads(event, result).values()) <= cap


def test_diving_prices_again_for_a_required_channel_left_to_nobody():
    """Diving that fixed duties without pricing (here: past its deadline from the start, with no duty at all)
    prices once more within its grace when a required channel is left to nobody, rather than failing."""
    ev, placement = _one_talk_two_people()
    master = DutyMaster(ev, placement)
    master.solve_lp()
    assert master._uncovered()
    teams = master.dive(deadline=0.0)
    assert teams is not None and teams[("a", "fr")][1] in (["i1"], ["i2"])
