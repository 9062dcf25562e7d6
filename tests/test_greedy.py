"""The greedy placement and staffing that give the decomposition its first timetable: a track's sessions kept
apart, a plenary given the time it needs, and in re-planning old places and teams kept where they still may."""

from builders import DAY, DAY2, day, en_fr, event_dict, room, session, speaker

from scheduler.event import Event
from scheduler.greedy import greedy_placement, greedy_staffing
from scheduler.loading import parse
from scheduler.model import ScheduleModel
from scheduler.solutions import assemble


def _session(sid: str, **extra) -> dict:
    return session(sid, interpretation="none", **extra)


def _placed(data: dict, previous=None, present=False) -> tuple[Event, dict[str, tuple[int, str]]]:
    event = parse(Event, data, "event.json")
    return event, greedy_placement(ScheduleModel(event, previous, staffing=False, optional_demand=False), present)


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


def test_greedy_placement_keeps_old_places_and_moves_only_what_must_move():
    """Re-planning: three sessions placed late in the old timetable (where the greedy alone puts none of them);
    the speaker of one is now away at its old time: it moves, the two others keep their places."""
    sessions = [_session(sid, speakers=[f"sp{sid}"]) for sid in "abc"]
    rooms = [room("r1"), room("r2")]
    old_event = parse(Event, event_dict(sessions, rooms=rooms, speakers=[speaker(f"sp{x}") for x in "abc"]), "old")
    nine = old_event.open_spans(old_event.event.days[0])[0][0]
    old_place = {"a": (nine + 120, "r1"), "b": (nine + 120, "r2"), "c": (nine + 60, "r2")}
    previous = assemble(old_event, old_place, {}, "feasible", 0, 0, None)
    away = {"start": f"{DAY}T11:00", "end": f"{DAY}T12:00"}
    speakers = [speaker("spa", unavailable=[away]), speaker("spb"), speaker("spc")]
    event, placed = _placed(event_dict(sessions, rooms=rooms, speakers=speakers), previous)
    assert placed["b"] == old_place["b"] and placed["c"] == old_place["c"]
    assert placed["a"][0] + 60 <= nine + 120


def test_greedy_staffing_keeps_old_teams_and_replaces_only_who_is_away():
    """Re-planning: the old timetable gave two short sessions to i3 and i2 (the greedy alone gives both to i1,
    who is then already working); i3 is now away: only their session gets someone else."""
    sessions = [session("s1", 30), session("s2", 30)]
    rooms = [room("r1")]
    people = [en_fr("i1"), en_fr("i2"), en_fr("i3")]
    old_event = parse(Event, event_dict(sessions, rooms=rooms, interpreters=people), "old")
    nine = old_event.open_spans(old_event.event.days[0])[0][0]
    placement = {"s1": (nine, "r1"), "s2": (nine + 60, "r1")}
    old_teams = {("s1", "fr"): ("en", ["i3"]), ("s2", "fr"): ("en", ["i2"])}
    previous = assemble(old_event, placement, old_teams, "feasible", 0, 0, None)
    assert greedy_staffing(old_event, placement, previous) == old_teams
    assert greedy_staffing(old_event, placement) == {("s1", "fr"): ("en", ["i1"]), ("s2", "fr"): ("en", ["i1"])}
    ill = [en_fr("i1"), en_fr("i2"), en_fr("i3", unavailable=[{"start": f"{DAY}T08:00", "end": f"{DAY}T18:00"}])]
    event = parse(Event, event_dict(sessions, rooms=rooms, interpreters=ill), "ill")
    teams = greedy_staffing(event, placement, previous)
    assert teams[("s2", "fr")] == ("en", ["i2"])
    assert teams[("s1", "fr")][1] != ["i3"]


def test_greedy_placement_can_wait_for_able_interpreters_to_be_there():
    """Two English sessions need a French team of two; both French interpreters are away until 10:00. Asked to
    count only people present, the greedy places neither before, nor both at once, and the greedy staffing then
    staffs both; by default it counts everyone able, and the first goes at 09:00, where nobody can staff it."""
    away = [{"start": f"{DAY}T09:00", "end": f"{DAY}T10:00"}]
    sessions = [session("s1"), session("s2")]
    data = event_dict(sessions, rooms=[room("r1"), room("r2")],
                      interpreters=[en_fr("i1", unavailable=away), en_fr("i2", unavailable=away)])
    event, placed = _placed(data, present=True)
    ten = event.open_spans(event.event.days[0])[0][0] + 60
    assert set(placed) == {"s1", "s2"} and all(start >= ten for start, _ in placed.values())
    assert not _overlap(event, placed, "s1", "s2")
    teams = greedy_staffing(event, placed)
    assert {k for k in teams} == {("s1", "fr"), ("s2", "fr")}
    _, first_try = _placed(data)
    assert min(start for start, _ in first_try.values()) < ten


def test_greedy_placement_starts_again_with_the_sessions_it_left_out(monkeypatch):
    """r2 is taken all morning; `x` (only r1 fits its audience, so it goes first) takes its preferred hour,
    10:00, and leaves no two hours for `y`. Started again with `y` first, `y` takes 10:00-12:00 and `x` 09:00."""
    from scheduler import greedy

    sessions = [_session("z", duration=180, pin={"start": "09:00", "room": "r2"}, attendance=50),
                _session("x", duration=60, attendance=200, speakers=["sx"],
                         preferred=[{"start": f"{DAY}T10:00", "end": f"{DAY}T11:00"}]),
                _session("y", duration=120, attendance=50, preferred=[{"start": f"{DAY}T10:00", "end": f"{DAY}T12:00"}])]
    data = event_dict(sessions, rooms=[room("r1", capacity=500), room("r2", capacity=100)],
                      speakers=[speaker("sx", unavailable=[{"start": f"{DAY}T11:00", "end": f"{DAY}T12:00"}])])
    monkeypatch.setattr(greedy, "GREEDY_RETRIES", 0)
    assert set(_placed(data)[1]) == {"z", "x"}
    monkeypatch.setattr(greedy, "GREEDY_RETRIES", 3)
    event, placed = _placed(data)
    assert set(placed) == {"z", "x", "y"}
    assert not _overlap(event, placed, "x", "y") and placed["x"][1] == placed["y"][1] == "r1"


def test_greedy_placement_keeps_a_pinned_sessions_time_from_a_plenary():
    """`p` is pinned to 10:00 in r2; the plenary, placed first, would take its preferred 10:00-11:00 in r1 and
    leave `p` no place (nothing runs beside a plenary): a pinned slot holds its time, not only its room."""
    sessions = [_session("p", pin={"day": DAY, "start": "10:00", "room": "r2"}),
                _session("q", kind="plenary", preferred=[{"start": f"{DAY}T10:00", "end": f"{DAY}T11:00"}])]
    event, placed = _placed(event_dict(sessions, rooms=[room("r1"), room("r2")]))
    assert set(placed) == {"p", "q"}
    assert (event.local(placed["p"][0]).strftime("%H:%M"), placed["p"][1]) == ("10:00", "r2")
    assert not _overlap(event, placed, "p", "q")
