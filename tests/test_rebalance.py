"""Whole working days handed to other interpreters (`scheduler/rebalance.py`)."""

from collections import Counter

import pytest
from builders import DAY, DAY2, day, en_fr, event_dict, interpreter, room, session, two_days_greedy

from scheduler import decompose as decompose_module
from scheduler.check import check
from scheduler.event import Event
from scheduler.generate import GeneratorSettings, generate_event
from scheduler.loading import parse
from scheduler.rebalance import duties_of, emptied, rebalanced, takers, topped_up
from scheduler.search import Search
from scheduler.solutions import assemble, loads, parts
from scheduler.solve import solve


def _two_days(*others: dict, first_into_b: bool = False):
    """One 30-minute en session a day (fr channel required, one interpreter), both staffed by i1, beside
    `others`. Returns the event, its placement and i1's teams."""
    ev = parse(Event, event_dict(
        [session("a", 30, interpretation="required"), session("b", 30, interpretation="required")],
        interpreters=[interpreter("i1", A=["en"], B=["fr"]) if first_into_b else en_fr("i1"), *others],
        days=[day(DAY), day(DAY2)]), "two.json")
    placement = {"a": (540, "r1"), "b": (1440 + 540, "r1")}  # 09:00 each day
    return ev, placement, {("a", "fr"): ("en", ["i1"]), ("b", "fr"): ("en", ["i1"])}


def _timetable(ev, placement, teams):
    return assemble(ev, placement, teams, "feasible", 0, 0, None)


def test_a_whole_day_goes_to_someone_idle_that_day():
    """i1 works both days (load 60); i2 can take either: the busiest load halves, interpreter-days stay."""
    ev, placement, teams = _two_days(en_fr("i2"))
    before = _timetable(ev, placement, teams)
    handed = rebalanced(ev, placement, teams, 5.0)
    after = _timetable(ev, placement, handed)
    assert not check(ev, after)
    assert max(loads(ev, after).values()) == 30
    assert after.objective == before.objective - 30 * ev.event.weights.interpreter_load
    assert Counter(c.goal for c in after.costs)["interpreter_day"] == 2


def test_a_retour_goes_to_someone_who_works_into_their_a_language():
    """Into fr is a retour for i1 (B) and not for i2 (A): i1's day moves to i2 although the load stays."""
    ev, placement, teams = _two_days(en_fr("i2"), en_fr("i3"), first_into_b=True)
    teams[("b", "fr")] = ("en", ["i3"])  # i1 works one day, i3 the other: the load is 30 however they swap
    before = _timetable(ev, placement, teams)
    after = _timetable(ev, placement, rebalanced(ev, placement, teams, 5.0))
    assert not check(ev, after)
    assert after.objective == before.objective - ev.event.weights.retour
    assert not any(c.goal == "retour" for c in after.costs)


@pytest.mark.parametrize("other", [
    interpreter("i2", A=["de"], C=["en"]),  # lacks the pair en -> fr
    en_fr("i2", max_minutes_per_day=20),  # a day of 30 minutes is more than their limit
    en_fr("i2", unavailable=[{"start": f"{DAY}T08:00", "end": f"{DAY}T10:00"},
                             {"start": f"{DAY2}T08:00", "end": f"{DAY2}T10:00"}]),  # away at both sessions
], ids=["pair", "daily-minutes", "away"])
def test_no_day_goes_to_someone_who_may_not_do_all_of_it(other):
    ev, placement, teams = _two_days(other)
    able = takers(ev, placement, teams, duties_of(ev, placement, teams))
    assert len(able) == 2 and all(people == ["i1"] for people in able.values())
    assert rebalanced(ev, placement, teams, 5.0) is None


def _one_day(gap: int, limit: int = 360):
    """Two 90-minute en sessions on one 09:00-18:00 day, the second starting `gap` minutes after the first
    ends, each staffed alone (teams of one) by its own interpreter (i1, i2) on a short day. The load is free
    here: one person doing both would otherwise pay more in load (90 minutes) than the day saved."""
    ev = parse(Event, event_dict(
        [session("a", 90, interpretation="required"), session("b", 90, interpretation="required")],
        interpreters=[en_fr("i1", max_minutes_per_day=limit), en_fr("i2", max_minutes_per_day=limit)],
        team_size={"solo_max_minutes": 90}, weights={"interpreter_load": 0}, days=[day(DAY, end="18:00")]),
        "one.json")
    placement = {"a": (540, "r1"), "b": (540 + 90 + gap, "r1")}
    return ev, placement, {("a", "fr"): ("en", ["i1"]), ("b", "fr"): ("en", ["i2"])}


def test_two_short_days_go_to_one_person():
    """Two people working 90 minutes each on one day: one of them can do both, an interpreter-day saved."""
    ev, placement, teams = _one_day(gap=0)
    before = _timetable(ev, placement, teams)
    after = _timetable(ev, placement, rebalanced(ev, placement, teams, 5.0))
    assert not check(ev, after)
    paid = lambda t: Counter(c.goal for c in t.costs)["interpreter_day"]  # noqa: E731
    assert (paid(before), paid(after)) == (2, 1)
    assert after.objective < before.objective


@pytest.mark.parametrize("gap, limit", [(-30, 360), (0, 150)], ids=["overlap", "daily-minutes"])
def test_two_days_stay_apart_when_one_person_cannot_do_both(gap, limit):
    """Sessions that overlap, or 180 minutes where each may work 150 a day: nobody can take both."""
    ev, placement, teams = _one_day(gap, limit)
    assert rebalanced(ev, placement, teams, 5.0) is None


def test_two_days_stay_apart_when_together_they_break_the_rest_rule():
    """Two 120-minute sessions 15 minutes apart: 255 minutes with no 30-minute break."""
    ev = parse(Event, event_dict(
        [session("a", 120, interpretation="required"), session("b", 120, interpretation="required")],
        interpreters=[en_fr("i1"), en_fr("i2")], team_size={"solo_max_minutes": 120},
        weights={"interpreter_load": 0}, days=[day(DAY, end="18:00")]), "rest.json")
    placement = {"a": (540, "r1"), "b": (540 + 135, "r1")}
    teams = {("a", "fr"): ("en", ["i1"]), ("b", "fr"): ("en", ["i2"])}
    assert not check(ev, _timetable(ev, placement, teams))
    assert rebalanced(ev, placement, teams, 5.0) is None


def test_handing_days_round_keeps_teams_and_rules_on_a_generated_event():
    ev, start = two_days_greedy()
    placement, teams = parts(ev, start)
    handed = rebalanced(ev, placement, teams, 5.0)
    after = start if handed is None else _timetable(ev, placement, handed)
    assert not check(ev, after)
    assert after.objective <= start.objective
    people = ("interpreter_load", "retour", "interpreter_day")
    assert sorted((c.goal, c.cost) for c in after.costs if c.goal not in people) == \
        sorted((c.goal, c.cost) for c in start.costs if c.goal not in people)
    assert {k: len(v[1]) for k, v in (handed or teams).items()} == {k: len(v[1]) for k, v in teams.items()}


def test_the_decomposition_hands_days_round_but_not_when_replanning_or_short_of_time():
    ev, placement, teams = _two_days(en_fr("i2"))
    best = _timetable(ev, placement, teams)
    fresh = decompose_module.rebalance(Search(ev, 10, 1, 0, None, None), best)
    assert fresh.objective < best.objective and not check(ev, fresh)
    replanning = decompose_module.rebalance(Search(ev, 10, 1, 0, best, None), best)
    assert replanning is best
    hurried = decompose_module.rebalance(Search(ev, 10, 1, 0, None, None), best, least=20.0)  # 10 s left
    assert hurried is best


def test_time_is_kept_for_what_comes_after_a_block():
    """The neighbourhood search runs inside `reserving`, so the last hand-out still has its time."""
    run = Search(parse(Event, event_dict([session("a", 30)]), "one.json"), 10, 1, 0, None, None)
    with pytest.raises(RuntimeError):
        with run.reserving(4.0):
            assert 5.0 < run.left() <= 6.0
            raise RuntimeError("a step that fails")
    assert 9.0 < run.left() <= 10.0


def _morning(b_start: int = 60, *, b_by: str | None = None, i1: dict | None = None, i3: dict | None = None,
             b_room: dict | None = None, e: bool = False):
    """30-minute en sessions on one morning: a at 09:00 (i1), c and d at 09:00 and 10:00 (i2: the busiest load,
    60), all required; b at `b_start` minutes past 09:00 in a room of its own: required and worked by `b_by` (and
    with `e`, so is another at 11:00), else optional and unstaffed."""
    sessions = [session(sid, 30, interpretation="required") for sid in ("a", "c", "d", "e")[:4 if e else 3]]
    sessions.append(session("b", 30, interpretation="required" if b_by else "optional"))
    ev = parse(Event, event_dict(sessions, rooms=[room("r1"), b_room or room("rb"), room("r2")],
                                 interpreters=[i1 or en_fr("i1"), en_fr("i2"), i3 or en_fr("i3")]), "morning.json")
    placement = {"a": (540, "r1"), "b": (540 + b_start, "rb"), "c": (540, "r2"), "d": (600, "r2")}
    teams = {("a", "fr"): ("en", ["i1"]), ("c", "fr"): ("en", ["i2"]), ("d", "fr"): ("en", ["i2"])}
    if b_by:
        teams[("b", "fr")] = ("en", [b_by])
    if e:
        placement["e"] = (660, "rb")
        teams[("e", "fr")] = ("en", [b_by])
    return ev, placement, teams


def test_an_optional_channel_goes_to_someone_at_work_with_room_for_it():
    """i1 works 30 minutes and is free at 10:00: b's channel is staffed, with no new interpreter-day."""
    ev, placement, teams = _morning()
    before = _timetable(ev, placement, teams)
    after = _timetable(ev, placement, topped_up(ev, placement, teams))
    assert not check(ev, after)
    assert after.objective == before.objective - ev.event.weights.optional_channel_unstaffed
    assert next(p for p in after.sessions if p.session == "b").channels[0].interpreters == ["i1"]


@pytest.mark.parametrize("b_start, i1, b_room", [
    (0, None, None),  # b overlaps i1's session; i3 could take it but does not work that day
    (60, en_fr("i1", max_minutes_per_day=30), None),  # i1's day is full
    (60, interpreter("i1", A=["en"], B=["fr"]), None),  # a retour costs as much as the channel saves
    (60, None, room("rb", channels=0)),  # b's room has no booth
], ids=["overlap", "daily-minutes", "retour", "no-booth"])
def test_no_optional_channel_where_it_would_cost_or_break_a_rule(b_start, i1, b_room):
    ev, placement, teams = _morning(b_start, i1=i1, b_room=b_room)
    assert topped_up(ev, placement, teams) == teams


def test_no_optional_channel_that_would_raise_the_busiest_load():
    """With d given to i3, everyone works 30 minutes: whoever took b would become the busiest."""
    ev, placement, teams = _morning()
    teams[("d", "fr")] = ("en", ["i3"])
    assert topped_up(ev, placement, teams) == teams


@pytest.mark.parametrize("gap, staffed", [(15, False), (30, True)])
def test_an_optional_channel_only_where_the_rest_rule_holds(gap, staffed):
    """i1 works 09:00-11:00; b lasts 90 minutes: 15 minutes later it would make 225 minutes without a
    30-minute break, 30 minutes later it follows a break. (The load is free here: i1 is the only one at work.)"""
    ev = parse(Event, event_dict(
        [session("a", 120, interpretation="required"), session("b", 90, interpretation="optional")],
        rooms=[room("r1"), room("rb")], interpreters=[en_fr("i1")], team_size={"solo_max_minutes": 120},
        weights={"interpreter_load": 0}, days=[day(DAY, end="18:00")]), "rest.json")
    placement = {"a": (540, "r1"), "b": (540 + 120 + gap, "rb")}
    topped = topped_up(ev, placement, {("a", "fr"): ("en", ["i1"])})
    assert (("b", "fr") in topped) == staffed
    assert not check(ev, _timetable(ev, placement, topped))


def test_emptying_and_topping_up_keep_the_rules_on_a_generated_event():
    ev, start = two_days_greedy()
    placement, teams = parts(ev, start)
    light = _timetable(ev, placement, emptied(ev, placement, teams))
    assert not check(ev, light) and light.objective <= start.objective
    after = _timetable(ev, placement, topped_up(ev, placement, parts(ev, light)[1]))
    assert not check(ev, after) and after.objective <= light.objective


def test_the_decomposition_hands_days_round_after_staffing_and_after_the_neighbourhood_search(monkeypatch):
    """Both passes run in a solve, the second on what the neighbourhood search returned, and the timetable the
    solve returns is the second's."""
    # 16 sessions: each step (the timing model proves its optimum in 0.1 s) is done by 0.7 s, so that the
    # neighbourhood search between the two passes has rounds in 5 s (the 24-session event's took 8 s for one).
    ev, _ = generate_event(GeneratorSettings(sessions=16, days=2, rooms=3, languages=2, seed=7))
    calls = []
    handed = decompose_module.rebalance

    def spy(run, best, **options):
        calls.append(best.objective)
        out = handed(run, best, **options)
        calls.append(out.objective)
        return out

    monkeypatch.setattr(decompose_module, "rebalance", spy)
    outcome = solve(ev, time_limit=5, workers=2, method="decompose")
    assert len(calls) == 4 and calls[1] >= calls[2]  # the search between them never makes it worse
    assert outcome.timetable.objective == calls[3] and not check(ev, outcome.timetable)


def test_a_light_day_is_given_away_to_someone_at_work():
    """i1 works a at 09:00 and i3 b at 10:00: either can take the other's, an interpreter-day fewer."""
    ev, placement, teams = _morning(b_by="i3")
    before = _timetable(ev, placement, teams)
    after = _timetable(ev, placement, emptied(ev, placement, teams))
    assert not check(ev, after)
    assert after.objective == before.objective - ev.event.weights.interpreter_day


@pytest.mark.parametrize("b_start, retour, e", [
    (0, False, False),  # at 09:00 everyone is busy
    (60, True, False),  # into fr is a retour for both i1 and i3 (i2 is busy at both times)
    (60, False, True),  # b could go to i1, but e at 11:00 would raise someone past the busiest load: all or none
], ids=["busy", "retour", "all-or-none"])
def test_a_light_day_stays_unless_all_of_it_finds_room(b_start, retour, e):
    person = (lambda iid: interpreter(iid, A=["en"], B=["fr"])) if retour else en_fr  # into fr: a retour
    ev, placement, teams = _morning(b_start, b_by="i3", i1=person("i1"), i3=person("i3"), e=e)
    assert emptied(ev, placement, teams) == teams
