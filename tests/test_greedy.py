"""The greedy placement that gives the decomposition its first timetable: it keeps a track's sessions apart and
leaves a plenary the time it needs."""

from builders import DAY, DAY2, day, event_dict, room, session

from scheduler.event import Event
from scheduler.greedy import greedy_placement
from scheduler.loading import parse
from scheduler.model import ScheduleModel


def _session(sid: str, **extra) -> dict:
    return session(sid, interpretation="none", **extra)


def _placed(data: dict) -> tuple[Event, dict[str, tuple[int, str]]]:
    event = parse(Event, data, "event.json")
    return event, greedy_placement(ScheduleModel(event, staffing=False, optional_demand=False))


def _overlap(event: Event, placed: dict, a: str, b: str) -> bool:
    (sa, _), (sb, _) = placed[a], placed[b]
    return sa < sb + event.session[b].duration and sb < sa + event.session[a].duration


def test_greedy_placement_keeps_a_tracks_sessions_apart():
    """Two rooms, two hours, two tracks of two sessions each, a track's second session placed when both hours
    are equally busy: it takes the hour its track does not use (placed by busyness alone, it took the first)."""
    sessions = [_session("t1", track="a"), _session("u1", track="b"), _session("t2", track="a"),
                _session("u2", track="b")]
    event, placed = _placed(event_dict(sessions, rooms=[room("r1"), room("r2")], days=[day(end="11:00")]))
    assert set(placed) == {"t1", "u1", "t2", "u2"}
    assert not _overlap(event, placed, "t1", "t2")
    assert not _overlap(event, placed, "u1", "u2")


def test_greedy_placement_places_a_plenary_that_follows_a_session():
    """Three hours, two rooms: a plenary after `a` needs an hour where nothing else runs, so `a` and the plenary
    are placed before the three other sessions spread over every hour (all five are placed)."""
    sessions = [_session("b1"), _session("b2"), _session("b3"), _session("a"),
                _session("p", kind="plenary", after=["a"])]
    event, placed = _placed(event_dict(sessions, rooms=[room("r1"), room("r2")]))
    assert set(placed) == {"b1", "b2", "b3", "a", "p"}
    start, _ = placed["p"]
    assert start >= placed["a"][0] + 60
    assert not any(_overlap(event, placed, "p", other) for other in ("b1", "b2", "b3", "a"))


def test_greedy_placement_spreads_plenaries_over_days():
    """Two plenaries and two days: one a day, so that neither day loses twice its time for parallel sessions
    (by earliest start alone, both went to the first day)."""
    sessions = [_session("p1", kind="plenary"), _session("p2", kind="plenary"), _session("x")]
    event, placed = _placed(event_dict(sessions, days=[day(DAY), day(DAY2)]))
    assert set(placed) == {"p1", "p2", "x"}
    assert event.day_of(placed["p1"][0]) != event.day_of(placed["p2"][0])
