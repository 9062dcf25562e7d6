"""The placement-free bounds (`scheduler/bounds.py`): on the interpreters' goals, and on same-track overlaps."""

import time

import pytest
from builders import day, en_fr, event_dict, interpreter, room, session

from scheduler.bounds import by_load_cap, lone_session_bound, staffing_bound, track_overlap_bound
from scheduler.check import check
from scheduler.costs import costs
from scheduler.decompose import TIMING_GOALS
from scheduler.event import Event
from scheduler.generate import GeneratorSettings, generate_event
from scheduler.loading import load_event, parse
from scheduler.model import ScheduleModel
from scheduler.solve import solve
from test_solve import SCHOOL


def _event(sessions, interpreters, **info) -> Event:
    return parse(Event, event_dict(sessions, rooms=[room("r0", channels=1), room("r1", channels=1)],
                                   interpreters=interpreters, **info), "tiny.json")


def test_a_team_pays_two_days_and_the_load():
    """One hour into French with a team of two: two interpreter-days and a busiest load of 60 minutes."""
    ev = _event([session("a")], [en_fr("i1"), en_fr("i2")])
    w = ev.event.weights
    assert staffing_bound(ev) == 2 * w.interpreter_day + 60 * w.interpreter_load


def test_someone_away_all_day_cannot_work():
    """Two solo hours, one of two people away all day: the other works both (one day, load 120). With both
    there the optimum is two days and a load of 60 (100), which the bound sees only with the load capped: with
    the load a variable it takes one day and the load shared (80)."""
    gone = {"unavailable": [{"start": "2021-02-13T08:00", "end": "2021-02-13T13:00"}]}
    solo = {"team_size": {"solo_max_minutes": 60, "team": 2}}
    ev = _event([session("a"), session("b")], [en_fr("i1"), en_fr("i2", **gone)], **solo)
    assert staffing_bound(ev) == 20 + 120
    ev = _event([session("a"), session("b")], [en_fr("i1"), en_fr("i2")], **solo)
    assert staffing_bound(ev, caps=False) == 20 + 60
    assert staffing_bound(ev) == 2 * 20 + 60


@pytest.mark.parametrize("attendance, expected", [(50, 10), (2000, 2 * 20)])
def test_an_optional_channel_is_staffed_only_when_it_pays(attendance, expected):
    """Staffing an optional hour costs two interpreter-days (the load stays 0: nothing is required); leaving
    it unstaffed costs 10 times the attendance in hundreds (at least 1)."""
    ev = _event([session("a", interpretation="optional", attendance=attendance)], [en_fr("i1"), en_fr("i2")],
                weights={"interpreter_load": 0})
    assert staffing_bound(ev) == expected


def test_bound_is_below_the_school_optimum():
    assert 0 < staffing_bound(load_event(SCHOOL)) <= 634


@pytest.mark.parametrize("seed", [1, 5, 6])
def test_bound_is_below_any_timetable(seed):
    """A lower bound never exceeds the cost of a valid timetable (here the generator's planted one)."""
    event, planted = generate_event(GeneratorSettings(sessions=24, days=2, rooms=3, languages=3, seed=seed))
    assert check(event, planted) == []
    assert 0 < staffing_bound(event) <= sum(c.cost for c in costs(event, planted))


def _two_full_days(people: int, limit: int = 360) -> Event:
    """Six hours into French over two days of 8 open hours, each hour with a team of two (720 minutes of work),
    and `people` interpreters who may work `limit` minutes a day."""
    days = [day(d, "09:00", "18:00", [{"start": "12:30", "end": "13:30"}]) for d in ("2021-02-13", "2021-02-14")]
    return parse(Event, event_dict([session(f"s{k}") for k in range(6)], rooms=[room("r1")], days=days,
                                   interpreters=[en_fr(f"i{k}", max_minutes_per_day=limit) for k in range(people)]),
                 "days.json")


def test_capping_the_load_sees_that_few_people_cannot_fill_few_days():
    """Three people share 720 minutes: the load is at least 240, and then each must work a day (three days);
    two full days need a load of 360. With the load a variable the relaxation takes both at once (two days, load
    240: 280); capped, it sees 300, which is the optimum."""
    ev = _two_full_days(3)
    w = ev.event.weights
    assert staffing_bound(ev, caps=False) == 2 * w.interpreter_day + 240 * w.interpreter_load
    assert staffing_bound(ev) == 3 * w.interpreter_day + 240 * w.interpreter_load
    assert by_load_cap(ev, time.monotonic() + 5, workers=3) == staffing_bound(ev)  # caps measured 3 at once
    best = solve(ev, time_limit=20, workers=2)
    assert best.status == "optimal" and best.timetable.objective == staffing_bound(ev)


def test_no_cap_can_be_kept_when_the_minutes_are_too_few():
    """Three people of 100 minutes a day cannot give 720 minutes in two days at any load: no bound is claimed."""
    assert by_load_cap(_two_full_days(3, limit=100), time.monotonic() + 5) == 0


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_capped_bound_is_below_the_interpreters_goals_of_a_solved_timetable(seed):
    """The capped relaxation bounds what the interpreters' goals cost in any valid timetable: here the exact
    model's best in a few seconds (optimal or not)."""
    event, _ = generate_event(GeneratorSettings(sessions=10, days=2, rooms=2, languages=2, seed=seed))
    found = solve(event, time_limit=5, workers=2, method="exact").timetable
    assert check(event, found) == []
    interpreters = sum(c.cost for c in found.costs if c.goal not in TIMING_GOALS)
    assert 0 < by_load_cap(event, time.monotonic() + 5) <= interpreters


def test_a_retour_is_paid_when_no_one_else_can_take_the_channel():
    """An hour into French with a team of two: with one of the two working into French as their B language,
    the bound pays one retour; with a third interpreter into their A language, it pays none."""
    retour = interpreter("i2", A=["en"], B=["fr"])
    ev = _event([session("a")], [en_fr("i1"), retour])
    w = ev.event.weights
    assert staffing_bound(ev) == 2 * w.interpreter_day + 60 * w.interpreter_load + w.retour
    ev = _event([session("a")], [en_fr("i1"), retour, en_fr("i3")])
    assert staffing_bound(ev) == 2 * w.interpreter_day + 60 * w.interpreter_load


def _one_track(plenary: bool = False) -> Event:
    """Three hours of one track (three 60-minute sessions) in a two-hour morning, three rooms, no interpretation;
    with `plenary`, an hour of plenary (no track) too."""
    talks = [session(sid, track="t", interpretation="none") for sid in "abc"]
    extra = [session("p", kind="plenary", interpretation="none")] if plenary else []
    return parse(Event, event_dict(talks + extra, rooms=[room(r) for r in ("r0", "r1", "r2")],
                                   days=[day(end="11:00")]), "track.json")


@pytest.mark.parametrize("plenary, pairs, optimum", [(False, 1, 1), (True, 2, 3)])
def test_a_track_longer_than_the_open_time_must_overlap(plenary, pairs, optimum):
    """Three hours of a track in two hours: at least one hour runs two sessions at once, so one pair overlaps
    (the optimum). Beside an hour of plenary, the track has one hour for three: the bound counts two pairs,
    and all three overlap."""
    ev = _one_track(plenary)
    w = ev.event.weights.track_overlap
    assert track_overlap_bound(ev) == pairs * w
    outcome = solve(ev, time_limit=20, workers=2, method="exact")
    assert outcome.status == "optimal" and outcome.timetable.objective == optimum * w


def test_a_track_that_fits_its_open_time_is_not_bounded():
    ev = _event([session(sid, track="t", interpretation="none") for sid in "ab"], [])  # two hours in three
    assert track_overlap_bound(ev) == 0


@pytest.mark.parametrize("seed", [1, 2, 5])
def test_track_overlap_bound_is_below_any_timetable(seed):
    """On dense generated events (40 sessions in one day) the bound is positive and never above the planted
    timetable's same-track overlaps."""
    event, planted = generate_event(GeneratorSettings(sessions=40, days=1, rooms=6, languages=2, seed=seed))
    paid = sum(c.cost for c in costs(event, planted) if c.goal == "track_overlap")
    assert 0 < track_overlap_bound(event) <= paid


def _lone(ev: Event) -> int:
    return lone_session_bound(ScheduleModel(ev, staffing=False, optional_demand=False))


def test_a_session_that_can_only_run_at_night_for_its_audience_pays_alone():
    """09:00-12:00 in Toronto is night in Tokyo: a 45-minute session pays its asleep cost (5) wherever it goes,
    a second one as much; an audience at home pays nothing."""
    tokyo = {"audience": [{"timezone": "Asia/Tokyo", "share": 0.25}]}
    ev = _event([session("a", duration=45, interpretation="none"), session("b", duration=45, interpretation="none")],
                [], **tokyo)
    assert _lone(ev) == 2 * 5
    home = {"audience": [{"timezone": "America/Toronto", "share": 1.0}]}
    assert _lone(_event([session("a", duration=45, interpretation="none")], [], **home)) == 0


def test_a_session_pinned_outside_its_preferred_window_pays_alone():
    """Pinned at 09:00 with a window at 11:00: the window is missed (20); unpinned, it can reach it (0)."""
    window = [{"start": "2021-02-13T11:00", "end": "2021-02-13T12:00"}]
    pinned = session("a", interpretation="none", pin={"start": "09:00"}, preferred=window)
    assert _lone(_event([pinned], [])) == _event([pinned], []).event.weights.outside_preferred
    assert _lone(_event([session("a", interpretation="none", preferred=window)], [])) == 0


@pytest.mark.parametrize("seed", [4, 5, 10])
def test_lone_session_bound_is_below_any_timetable(seed):
    """On generated events with audiences abroad (these seeds: some session is at night for some audience
    wherever it goes), the bound is positive and never exceeds what the planted timetable pays in audience
    asleep and preferred windows."""
    event, planted = generate_event(GeneratorSettings(sessions=30, days=2, rooms=3, languages=3, seed=seed))
    paid = sum(c.cost for c in costs(event, planted) if c.goal in ("audience_asleep", "outside_preferred"))
    assert 0 < _lone(event) <= paid
