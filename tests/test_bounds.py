"""The placement-free bounds (`scheduler/bounds.py`): on the interpreters' goals, and on same-track overlaps."""

import pytest
from builders import day, en_fr, event_dict, interpreter, room, session

from scheduler.bounds import lone_session_bound, staffing_bound, track_overlap_bound
from scheduler.check import check
from scheduler.costs import costs
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
    there the optimum is two days and a load of 60; the bound, which does not see who works which day, stays
    below it (80: one day, the load shared)."""
    gone = {"unavailable": [{"start": "2021-02-13T08:00", "end": "2021-02-13T13:00"}]}
    solo = {"team_size": {"solo_max_minutes": 60, "team": 2}}
    ev = _event([session("a"), session("b")], [en_fr("i1"), en_fr("i2", **gone)], **solo)
    assert staffing_bound(ev) == 20 + 120
    ev = _event([session("a"), session("b")], [en_fr("i1"), en_fr("i2")], **solo)
    assert staffing_bound(ev) == 20 + 60


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
