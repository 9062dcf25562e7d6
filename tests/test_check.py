"""The independent checker (`scheduler/check.py`), rule by rule.

Every test starts from a small valid event and timetable (`base_event`, `base_timetable`), changes one thing,
and looks at the breaches of one rule: a passing case (no breach of that rule, usually no breach at all) and a
breaking case (a breach with that rule's name and the ids involved).

The base event runs in America/Toronto (UTC-05:00 in February) on two days, 2021-02-13 (09:00-18:00, break
12:30-13:30) and 2021-02-14 (09:00-18:00). Session s1 (en floor, 60 min, speaker sp1) is in room `main` at
10:00 with its fr channel staffed by fr1+fr2; session s2 (fr floor, 30 min, speaker sp2) is in room `side` at
10:00 with its en channel staffed by en1 alone (30 minutes: one interpreter is enough).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler import check as check_module, constraints
from scheduler.check import Breach, check, work_stretches
from scheduler.event import Event
from scheduler.model import ScheduleModel
from scheduler.rules import HARD_RULES, STAFFING_RULES
from scheduler.timetable import Timetable

ZONE = ZoneInfo("America/Toronto")
DAY1, DAY2 = "2021-02-13", "2021-02-14"

# --- building events and timetables -------------------------------------------------------------------------

_BASE_EVENT = {
    "event": {
        "id": "ev",
        "name": {"en": "Test event"},
        "timezone": "America/Toronto",
        "languages": ["en", "fr"],
        "slot_minutes": 15,
        "days": [
            {"date": DAY1, "start": "09:00", "end": "18:00", "breaks": [{"start": "12:30", "end": "13:30"}]},
            {"date": DAY2, "start": "09:00", "end": "18:00"},
        ],
    },
    "rooms": [
        {"id": "main", "name": "Main hall", "capacity": 100, "channels": 2},
        {"id": "side", "name": "Side room", "capacity": 50, "channels": 1},
    ],
    "speakers": [
        {"id": "sp1", "name": "Speaker One"},
        {"id": "sp2", "name": "Speaker Two"},
    ],
    "interpreters": [
        {"id": "fr1", "name": "Fr One", "languages": {"A": ["fr"], "B": ["en"]}},
        {"id": "fr2", "name": "Fr Two", "languages": {"A": ["fr"], "C": ["en"]}},
        {"id": "en1", "name": "En One", "languages": {"A": ["en"], "B": ["fr"]}},
        {"id": "en2", "name": "En Two", "languages": {"A": ["en"], "C": ["fr"]}},
        {"id": "es1", "name": "Es One", "languages": {"A": ["es"], "C": ["fr"]}},
        {"id": "es2", "name": "Es Two", "languages": {"A": ["es"], "C": ["fr"]}},
    ],
    "sessions": [
        {"id": "s1", "title": {"en": "One"}, "duration": 60, "speakers": ["sp1"], "language": "en",
         "attendance": 80},
        {"id": "s2", "title": {"fr": "Deux"}, "duration": 30, "speakers": ["sp2"], "language": "fr",
         "attendance": 40},
    ],
}


def iso(local: str, plus: int = 0, zone: ZoneInfo | str = ZONE) -> str:
    """ISO 8601 with offset of a local event-zone time 'YYYY-MM-DDTHH:MM' plus `plus` minutes, shown in `zone`."""
    moment = (datetime.fromisoformat(local) + timedelta(minutes=plus)).replace(tzinfo=ZONE)
    if isinstance(zone, str):  # "Z": the same instant in UTC
        return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.astimezone(zone).isoformat()


def ch(into: str, from_: str, *who: str, via: str | None = None) -> dict:
    out = {"into": into, "from": from_, "interpreters": list(who)}
    if via is not None:
        out["via"] = via
    return out


def placement(sid: str, room: str, local: str, minutes: int, channels: list[dict] | None = None) -> dict:
    return {"session": sid, "room": room, "start": iso(local), "end": iso(local, minutes),
            "channels": channels or []}


_BASE_TIMETABLE = {
    "event": "ev",
    "status": "optimal",
    "objective": 0,
    "bound": 0,
    "solve_seconds": 0.1,
    "sessions": [
        placement("s1", "main", f"{DAY1}T10:00", 60, [ch("fr", "en", "fr1", "fr2")]),
        placement("s2", "side", f"{DAY1}T10:00", 30, [ch("en", "fr", "en1")]),
    ],
}


def base_event() -> dict:
    return copy.deepcopy(_BASE_EVENT)


def base_timetable() -> dict:
    return copy.deepcopy(_BASE_TIMETABLE)


def item(items: list[dict], id_: str) -> dict:
    """The dict with this id in a list of the event (rooms, sessions, ...)."""
    return next(x for x in items if x["id"] == id_)


def placed(tt: dict, sid: str) -> dict:
    """The placement dict of a session in a timetable dict."""
    return next(p for p in tt["sessions"] if p["session"] == sid)


def move(tt: dict, sid: str, local: str, minutes: int, room: str | None = None) -> None:
    p = placed(tt, sid)
    p["start"], p["end"] = iso(local), iso(local, minutes)
    if room is not None:
        p["room"] = room


def add_session(ev: dict, tt: dict, sid: str, local: str, minutes: int, room: str = "main",
                channels: list[dict] | None = None, **fields) -> dict:
    """Add a session (en floor by default) to the event and place it; returns the session dict."""
    session = {"id": sid, "title": {"en": sid}, "duration": minutes, "language": "en", **fields}
    ev["sessions"].append(session)
    tt["sessions"].append(placement(sid, room, local, minutes, channels))
    return session


def run(ev: dict, tt: dict) -> list[Breach]:
    return check(Event.model_validate(ev), Timetable.model_validate(tt))


def of(ev: dict, tt: dict, rule: str) -> list[list[str]]:
    """The ids of every breach of one rule."""
    assert rule in HARD_RULES
    return [b.ids for b in run(ev, tt) if b.rule == rule]


def assert_valid(ev: dict, tt: dict) -> None:
    breaches = run(ev, tt)
    assert breaches == [], "\n".join(str(b) for b in breaches)


# --- the whole checker ----------------------------------------------------------------------------------------


def rule_functions(module, argument: type) -> dict[str, Callable]:
    """The public functions `module` defines that take one `argument` (a checker's Context, a ScheduleModel): its
    rules (private helpers, `_name`, may take one too)."""
    found = {}
    for name, f in vars(module).items():
        if inspect.isfunction(f) and f.__module__ == module.__name__ and not name.startswith("_"):
            parameters = list(inspect.signature(f, eval_str=True).parameters.values())
            if len(parameters) == 1 and parameters[0].annotation is argument:
                found[name] = f
    return found


def test_the_checker_and_the_model_run_one_function_per_rule():
    """check.py and constraints.py assert at import that the names in their lists (CHECKS; DOMAIN_RULES and
    CONSTRAINT_RULES) are those of rules.HARD_RULES. Here the rule functions are found in each module by their
    signature: one written but left out of its list (never run), or a listed one that is not the module's own,
    fails."""
    checks = rule_functions(check_module, check_module.Context)
    assert set(checks) == set(HARD_RULES)
    assert check_module.CHECKS == [checks[name] for name in HARD_RULES]  # each once, in the rules' order

    model_rules = rule_functions(constraints, ScheduleModel)
    cuts = {f.__name__ for f in constraints.CUTS}  # redundant constraints, no rules of their own
    assert not cuts & set(HARD_RULES)
    assert set(model_rules) == set(HARD_RULES) | cuts
    listed = constraints.DOMAIN_RULES + constraints.CONSTRAINT_RULES
    assert sorted(listed, key=lambda f: f.__name__) == sorted((model_rules[name] for name in HARD_RULES),
                                                              key=lambda f: f.__name__)


def test_staffing_rules_are_rules_about_interpreters():
    """The rules a re-staffing can mend (re-planning repairs): hard rules, every interpreter rule among them."""
    assert STAFFING_RULES < set(HARD_RULES)
    assert {r for r in HARD_RULES if r.startswith("interpreter_")} <= STAFFING_RULES
    assert not STAFFING_RULES & {"speaker_available", "room_available", "pin_obeyed", "plenary_alone"}


def test_every_check_and_model_rule_has_the_rule_docstring():
    for f in check_module.CHECKS + constraints.DOMAIN_RULES + constraints.CONSTRAINT_RULES:
        assert f.__doc__ and f.__doc__.strip().splitlines()[0].rstrip(".").startswith(
            HARD_RULES[f.__name__][:30].rstrip(".")), f.__name__


def test_base_timetable_is_valid():
    assert_valid(base_event(), base_timetable())


def test_breach_names_a_rule_and_reads_well():
    ev, tt = base_event(), base_timetable()
    item(ev["rooms"], "main")["capacity"] = 10
    [b] = run(ev, tt)
    assert b.rule == "room_capacity" and b.ids == ["s1", "main"]
    assert str(b).startswith("room_capacity: ") and "s1" in b.message


# --- sessions, days and rooms -----------------------------------------------------------------------------------


def test_session_missing():
    ev, tt = base_event(), base_timetable()
    tt["sessions"] = [placed(tt, "s1")]
    assert of(ev, tt, "session_scheduled_once") == [["s2"]]


def test_session_twice():
    ev, tt = base_event(), base_timetable()
    tt["sessions"].append(placement("s1", "main", f"{DAY2}T10:00", 60, [ch("fr", "en", "fr1", "fr2")]))
    assert of(ev, tt, "session_scheduled_once") == [["s1"]]


def test_a_session_listed_again_is_one_breach():
    # its copies are not placed again: a session listed 400 times ran the pairwise rules for minutes, with
    # 300,000 lines of room and interpreter breaches for one mistake
    ev, tt = base_event(), base_timetable()
    tt["sessions"] += [copy.deepcopy(tt["sessions"][0]) for _ in range(3)]
    assert [(b.rule, b.ids) for b in run(ev, tt)] == [("session_scheduled_once", ["s1"])]
    assert "scheduled 4 times" in run(ev, tt)[0].message


def test_session_not_of_the_event():
    ev, tt = base_event(), base_timetable()
    tt["sessions"].append(placement("ghost", "main", f"{DAY2}T10:00", 60))
    assert of(ev, tt, "session_scheduled_once") == [["ghost"]]


def test_session_timing_wrong_length():
    ev, tt = base_event(), base_timetable()
    move(tt, "s1", f"{DAY1}T10:00", 45)
    assert of(ev, tt, "session_timing") == [["s1"]]


@pytest.mark.parametrize("start, ok", [("10:15", True), ("10:05", False), ("09:59", False)])
def test_session_timing_grid(start, ok):
    ev, tt = base_event(), base_timetable()
    move(tt, "s1", f"{DAY1}T{start}", 60)
    assert of(ev, tt, "session_timing") == ([] if ok else [["s1"]])


def test_session_timing_seconds_are_off_the_grid():
    ev, tt = base_event(), base_timetable()
    placed(tt, "s1")["start"] = "2021-02-13T10:00:30-05:00"
    placed(tt, "s1")["end"] = "2021-02-13T11:00:30-05:00"
    assert of(ev, tt, "session_timing") == [["s1"]]


@pytest.mark.parametrize("start, minutes, ok", [
    ("09:00", 60, True),     # starts as the day opens
    ("17:00", 60, True),     # ends as the day closes
    ("08:45", 60, False),    # starts before the day
    ("17:15", 60, False),    # ends after the day
    ("08:00", 60, False),    # wholly before the day
])
def test_inside_day_window(start, minutes, ok):
    ev, tt = base_event(), base_timetable()
    move(tt, "s1", f"{DAY2}T{start}", minutes)
    assert of(ev, tt, "inside_day") == ([] if ok else [["s1"]])
    if ok:
        assert_valid(ev, tt)


@pytest.mark.parametrize("local", ["2021-02-15T10:00", "2021-02-12T10:00", "2021-03-13T10:00"])
def test_session_on_a_date_that_is_not_an_event_day(local):
    ev, tt = base_event(), base_timetable()
    move(tt, "s1", local, 60)
    assert of(ev, tt, "inside_day") == [["s1"]]


def test_day_gap_between_event_days():
    ev, tt = base_event(), base_timetable()
    ev["event"]["days"][1]["date"] = "2021-02-15"   # 13th and 15th; the 14th is no event day
    move(tt, "s1", f"{DAY2}T10:00", 60)
    assert of(ev, tt, "inside_day") == [["s1"]]
    move(tt, "s1", "2021-02-15T10:00", 60)
    assert_valid(ev, tt)


@pytest.mark.parametrize("start, ok", [
    ("11:30", True),    # ends as the break starts
    ("13:30", True),    # starts as the break ends
    ("12:00", False),   # runs into the break
    ("13:00", False),   # starts inside the break
    ("12:30", False),   # exactly the break
])
def test_no_break_overlap(start, ok):
    ev, tt = base_event(), base_timetable()
    move(tt, "s1", f"{DAY1}T{start}", 60)
    assert of(ev, tt, "no_break_overlap") == ([] if ok else [["s1"]])
    if ok:
        assert_valid(ev, tt)


def test_break_covering_a_long_session():
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["duration"] = 180
    move(tt, "s1", f"{DAY1}T11:00", 180)       # 11:00-14:00 swallows the whole break
    assert of(ev, tt, "no_break_overlap") == [["s1"]]


def test_break_of_one_day_does_not_apply_to_another():
    ev, tt = base_event(), base_timetable()
    move(tt, "s1", f"{DAY2}T12:00", 60)        # the break is on day 1 only
    assert_valid(ev, tt)


@pytest.mark.parametrize("period, ok", [
    (("2021-02-13T11:00", "2021-02-13T12:00"), True),    # starts as the session ends
    (("2021-02-13T09:00", "2021-02-13T10:00"), True),    # ends as the session starts
    (("2021-02-14T10:00", "2021-02-14T11:00"), True),    # another day
    (("2021-02-13T10:30", "2021-02-13T11:30"), False),
    (("2021-02-13T09:00", "2021-02-13T10:15"), False),
    (("2021-02-13T10:15", "2021-02-13T10:30"), False),   # inside the session
    (("2021-02-12T00:00", "2021-02-14T00:00"), False),   # around the whole day
])
def test_room_unavailable(period, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["rooms"], "main")["unavailable"] = [{"start": period[0], "end": period[1]}]
    assert of(ev, tt, "room_available") == ([] if ok else [["s1", "main"]])
    if ok:
        assert_valid(ev, tt)


def test_room_unavailable_is_about_that_room_only():
    ev, tt = base_event(), base_timetable()
    item(ev["rooms"], "side")["unavailable"] = [{"start": "2021-02-13T10:30", "end": "2021-02-13T11:30"}]
    assert of(ev, tt, "room_available") == []      # s2 (in side) ends at 10:30; s1 is in main


@pytest.mark.parametrize("start, ok", [
    ("11:00", True),    # starts as s1 (10:00-11:00) ends
    ("09:30", True),    # ends as s1 starts
    ("10:30", False),   # inside s1
    ("10:00", False),   # same start
    ("09:45", False),   # runs into s1
])
def test_room_one_session_at_a_time(start, ok):
    ev, tt = base_event(), base_timetable()
    move(tt, "s2", f"{DAY1}T{start}", 30, room="main")
    assert of(ev, tt, "room_one_session_at_a_time") == ([] if ok else [["s1", "s2", "main"]])
    if ok:
        assert_valid(ev, tt)


def test_room_one_session_touching_sessions_then_valid():
    ev, tt = base_event(), base_timetable()
    move(tt, "s2", f"{DAY1}T11:00", 30, room="main")
    assert_valid(ev, tt)


@pytest.mark.parametrize("attendance, ok", [(100, True), (0, True), (101, False)])
def test_room_capacity(attendance, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["attendance"] = attendance
    assert of(ev, tt, "room_capacity") == ([] if ok else [["s1", "main"]])


@pytest.mark.parametrize("s2_start, ok", [
    ("09:00", True), ("09:30", True), ("11:00", True), ("10:30", False), ("09:45", False), ("10:00", False),
])
def test_plenary_alone(s2_start, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["kind"] = "plenary"
    move(tt, "s2", f"{DAY1}T{s2_start}", 30)   # s2 in the side room, s1 (plenary) 10:00-11:00 in main
    assert of(ev, tt, "plenary_alone") == ([] if ok else [["s1", "s2"]])
    if ok:
        assert_valid(ev, tt)


def test_plenary_listed_second_is_named_first():
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s2")["kind"] = "plenary"
    assert of(ev, tt, "plenary_alone") == [["s2", "s1"]]


def test_parallel_sessions_may_overlap_in_different_rooms():
    ev, tt = base_event(), base_timetable()   # the base: s1 and s2 both start at 10:00, both parallel
    assert of(ev, tt, "plenary_alone") == []
    assert_valid(ev, tt)


def test_two_plenaries_overlapping():
    ev, tt = base_event(), base_timetable()
    for s in ev["sessions"]:
        s["kind"] = "plenary"
    assert len(of(ev, tt, "plenary_alone")) == 1


# --- speakers and order -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("s2_start, ok", [("11:00", True), ("09:30", True), ("10:30", False), ("09:45", False)])
def test_speaker_one_place(s2_start, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s2")["speakers"] = ["sp2", "sp1"]
    move(tt, "s2", f"{DAY1}T{s2_start}", 30)
    assert of(ev, tt, "speaker_one_place") == ([] if ok else [["sp1", "s1", "s2"]])
    if ok:
        assert_valid(ev, tt)


@pytest.mark.parametrize("period, ok", [
    (("2021-02-13T11:00", "2021-02-13T12:00"), True),
    (("2021-02-13T08:00", "2021-02-13T10:00"), True),
    (("2021-02-13T10:45", "2021-02-13T12:00"), False),
    (("2021-02-13T09:00", "2021-02-13T18:00"), False),
])
def test_speaker_available(period, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["speakers"], "sp1")["unavailable"] = [{"start": period[0], "end": period[1]}]
    assert of(ev, tt, "speaker_available") == ([] if ok else [["sp1", "s1"]])
    if ok:
        assert_valid(ev, tt)


@pytest.mark.parametrize("limit, s2_day, ok", [
    (None, DAY1, True),     # default: no limit
    (2, DAY1, True),
    (1, DAY2, True),        # one session on each day
    (1, DAY1, False),
    (0, DAY2, False),       # zero: even one session is too many
])
def test_speaker_sessions_per_day(limit, s2_day, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s2")["speakers"] = ["sp1"]
    if limit is not None:
        item(ev["speakers"], "sp1")["max_sessions_per_day"] = limit
    move(tt, "s2", f"{s2_day}T14:00", 30)
    got = of(ev, tt, "speaker_sessions_per_day")
    if ok:
        assert got == []
        assert_valid(ev, tt)
    elif limit == 0:
        assert got == [["sp1", "s1"], ["sp1", "s2"]]
    else:
        assert got == [["sp1", "s1", "s2"]]


def test_speaker_day_is_a_date_in_the_event_zone():
    """19:30 in Toronto is 00:30 UTC the next day: still the same event day for the speaker."""
    ev, tt = base_event(), base_timetable()
    ev["event"]["days"][0]["end"] = "21:00"
    item(ev["speakers"], "sp1")["max_sessions_per_day"] = 1
    item(ev["sessions"], "s2")["speakers"] = ["sp1"]
    p = placed(tt, "s2")
    p["start"], p["end"] = "2021-02-14T00:30:00Z", "2021-02-14T01:00:00Z"
    assert of(ev, tt, "speaker_sessions_per_day") == [["sp1", "s1", "s2"]]
    assert of(ev, tt, "inside_day") == []


@pytest.mark.parametrize("s2_local, ok", [
    (f"{DAY1}T11:00", True),    # starts as s1 ends
    (f"{DAY2}T09:00", True),
    (f"{DAY1}T10:45", False),   # before s1 ends
    (f"{DAY1}T09:00", False),   # wholly before s1
])
def test_after_order(s2_local, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s2")["after"] = ["s1"]
    move(tt, "s2", s2_local, 30)
    assert of(ev, tt, "after_order") == ([] if ok else [["s1", "s2"]])
    if ok:
        assert_valid(ev, tt)


@pytest.mark.parametrize("pin, ok, ids", [
    ({"day": DAY1}, True, None),
    ({"start": "10:00"}, True, None),
    ({"room": "main"}, True, None),
    ({"day": DAY1, "start": "10:00", "room": "main"}, True, None),
    ({}, True, None),
    ({"day": DAY2}, False, ["s1"]),
    ({"start": "10:15"}, False, ["s1"]),
    ({"room": "side"}, False, ["s1", "side"]),
    ({"day": DAY1, "start": "10:00", "room": "side"}, False, ["s1", "side"]),
    ({"day": DAY2, "start": "10:00"}, False, ["s1"]),   # right time, wrong day
    ({"rooms": ["side", "main"]}, True, None),   # an extension: any one of the rooms
    ({"rooms": ["side"]}, False, ["s1", "side"]),
])
def test_pin_obeyed(pin, ok, ids):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["pin"] = pin
    assert of(ev, tt, "pin_obeyed") == ([] if ok else [ids])
    if ok:
        assert_valid(ev, tt)


def test_pin_start_with_timetable_in_utc():
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["pin"] = {"day": DAY1, "start": "10:00"}
    p = placed(tt, "s1")
    p["start"], p["end"] = "2021-02-13T15:00:00Z", "2021-02-13T16:00:00Z"    # 10:00 in Toronto
    assert_valid(ev, tt)
    p["start"], p["end"] = "2021-02-13T10:00:00Z", "2021-02-13T11:00:00Z"    # 05:00 in Toronto
    assert of(ev, tt, "pin_obeyed") == [["s1"]]


def test_pin_all_three_wrong_gives_three_breaches():
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["pin"] = {"day": DAY2, "start": "14:00", "room": "side"}
    assert of(ev, tt, "pin_obeyed") == [["s1"], ["s1"], ["s1", "side"]]


# --- other UTC offsets ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Z", ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Kolkata"),
                                  ZoneInfo("Pacific/Auckland")])
def test_same_instants_written_in_another_offset_are_valid(zone):
    ev, tt = base_event(), base_timetable()
    for p in tt["sessions"]:
        local = datetime.fromisoformat(p["start"]).astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")
        minutes = int((datetime.fromisoformat(p["end"]) - datetime.fromisoformat(p["start"])).total_seconds() // 60)
        p["start"], p["end"] = iso(local, 0, zone), iso(local, minutes, zone)
    assert not p["start"].endswith("-05:00")
    assert_valid(ev, tt)


def test_utc_times_read_in_event_zone_for_rooms_and_days():
    ev, tt = base_event(), base_timetable()
    item(ev["rooms"], "main")["unavailable"] = [{"start": "2021-02-13T10:00", "end": "2021-02-13T11:00"}]
    p = placed(tt, "s1")
    # 10:00-11:00 UTC is 05:00-06:00 in Toronto: free room, but before the day opens.
    p["start"], p["end"] = "2021-02-13T10:00:00Z", "2021-02-13T11:00:00Z"
    assert of(ev, tt, "room_available") == []
    assert of(ev, tt, "inside_day") == [["s1"]]
    # 15:30-16:30 UTC is 10:30-11:30 in Toronto: inside the day, in the room's unavailable hour.
    p["start"], p["end"] = "2021-02-13T15:30:00Z", "2021-02-13T16:30:00Z"
    assert of(ev, tt, "room_available") == [["s1", "main"]]
    assert of(ev, tt, "inside_day") == []


def test_start_and_end_in_different_offsets():
    ev, tt = base_event(), base_timetable()
    p = placed(tt, "s1")
    p["start"], p["end"] = "2021-02-13T15:00:00+00:00", "2021-02-13T17:00:00+01:00"   # 10:00-11:00 Toronto
    assert_valid(ev, tt)


@pytest.mark.parametrize("zone", [ZONE, "Z"])
def test_day_after_the_clocks_change(zone):
    """2021-03-14 is the DST change in Toronto (-05:00 before, -04:00 after): windows stay wall-clock."""
    ev, tt = base_event(), base_timetable()
    ev["event"]["days"][0]["date"], ev["event"]["days"][1]["date"] = "2021-03-13", "2021-03-14"
    item(ev["sessions"], "s1")["pin"] = {"day": "2021-03-14", "start": "10:00"}
    p = placed(tt, "s1")
    p["start"], p["end"] = iso("2021-03-14T10:00", 0, zone), iso("2021-03-14T10:00", 60, zone)
    move(tt, "s2", "2021-03-13T10:00", 30)
    assert p["start"] in ("2021-03-14T10:00:00-04:00", "2021-03-14T14:00:00Z")
    assert_valid(ev, tt)
    p["start"], p["end"] = "2021-03-14T10:00:00-05:00", "2021-03-14T11:00:00-05:00"   # 11:00 local
    assert of(ev, tt, "pin_obeyed") == [["s1"]]


# --- channels ---------------------------------------------------------------------------------------------------


def three_languages() -> tuple[dict, dict]:
    """The base with a third audience language (es): s1 needs fr and es channels, s2 en and es."""
    ev, tt = base_event(), base_timetable()
    ev["event"]["languages"] = ["en", "fr", "es"]
    item(ev["sessions"], "s2")["interpretation"] = "none"
    placed(tt, "s2")["channels"] = []
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "fr2"), ch("es", "fr", "es1", "es2", via="fr")]
    return ev, tt


def test_three_languages_base_is_valid():
    assert_valid(*three_languages())


def test_interpretation_none_lists_no_channel():
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["interpretation"] = "none"
    placed(tt, "s1")["channels"] = []
    assert_valid(ev, tt)


@pytest.mark.parametrize("channel", [ch("fr", "en", "fr1", "fr2"), ch("fr", "en")])
def test_interpretation_none_with_a_channel(channel):
    ev, tt = base_event(), base_timetable()
    item(ev["sessions"], "s1")["interpretation"] = "none"
    placed(tt, "s1")["channels"] = [channel]
    assert of(ev, tt, "channels_listed") == [["s1"]]
    assert of(ev, tt, "required_channel_staffed") == []


def test_channel_not_listed():
    ev, tt = base_event(), base_timetable()
    placed(tt, "s1")["channels"] = []
    assert of(ev, tt, "channels_listed") == [["s1"]]
    # A required channel that is not listed is not staffed either.
    assert of(ev, tt, "required_channel_staffed") == [["s1"]]


def test_channel_listed_twice():
    ev, tt = base_event(), base_timetable()
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "fr2"), ch("fr", "en")]
    assert of(ev, tt, "channels_listed") == [["s1"]]


@pytest.mark.parametrize("into", ["en", "de"])   # the floor language; not an audience language
def test_channel_that_is_not_a_channel(into):
    ev, tt = base_event(), base_timetable()
    placed(tt, "s1")["channels"].append(ch(into, "en"))
    assert of(ev, tt, "channels_listed") == [["s1"]]
    # An empty bogus channel is a listing problem, not an unstaffed required channel.
    assert of(ev, tt, "required_channel_staffed") == []


def test_single_language_event_has_no_channels():
    ev, tt = base_event(), base_timetable()
    ev["event"]["languages"] = ["en"]
    item(ev["sessions"], "s2")["language"] = "en"
    for p in tt["sessions"]:
        p["channels"] = []
    assert_valid(ev, tt)


def test_optional_channel_may_stay_unstaffed():
    ev, tt = three_languages()
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "fr2"), ch("es", "en")]
    assert_valid(ev, tt)


def test_optional_session_with_nothing_staffed():
    ev, tt = three_languages()
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    placed(tt, "s1")["channels"] = [ch("fr", "en"), ch("es", "en")]
    assert_valid(ev, tt)


def test_required_channel_unstaffed():
    ev, tt = three_languages()
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "fr2"), ch("es", "en")]
    assert of(ev, tt, "required_channel_staffed") == [["s1"]]
    assert of(ev, tt, "channels_listed") == []


def test_required_is_the_default():
    ev, tt = base_event(), base_timetable()
    assert "interpretation" not in item(ev["sessions"], "s1")
    placed(tt, "s1")["channels"] = [ch("fr", "en")]
    assert of(ev, tt, "required_channel_staffed") == [["s1"]]


@pytest.mark.parametrize("booths, ok", [(2, True), (1, False), (0, False)])
def test_room_channels(booths, ok):
    ev, tt = three_languages()
    item(ev["rooms"], "main")["channels"] = booths
    assert of(ev, tt, "room_channels") == ([] if ok else [["s1", "main"]])


def test_room_channels_counts_staffed_channels_only():
    ev, tt = three_languages()
    item(ev["rooms"], "main")["channels"] = 1
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "fr2"), ch("es", "en")]
    assert_valid(ev, tt)


def test_room_without_booths_and_no_interpretation():
    ev, tt = base_event(), base_timetable()
    item(ev["rooms"], "main")["channels"] = 0
    item(ev["sessions"], "s1")["interpretation"] = "none"
    placed(tt, "s1")["channels"] = []
    assert_valid(ev, tt)


@pytest.mark.parametrize("cap, ok", [(None, True), (4, True), (3, False), (0, False)])
def test_room_max_interpreters(cap, ok):
    ev, tt = three_languages()   # s1 has fr1, fr2, es1, es2
    if cap is not None:
        item(ev["rooms"], "main")["max_interpreters"] = cap
    assert of(ev, tt, "room_max_interpreters") == ([] if ok else [["s1", "main"]])


# --- team size --------------------------------------------------------------------------------------------------


def team_case(duration: int, team: list[str], team_size: dict | None = None) -> tuple[dict, dict]:
    ev, tt = base_event(), base_timetable()
    ev["event"]["slot_minutes"] = 5
    if team_size is not None:
        ev["event"]["team_size"] = team_size
    item(ev["sessions"], "s1")["duration"] = duration
    move(tt, "s1", f"{DAY1}T09:00", duration)
    placed(tt, "s1")["channels"] = [ch("fr", "en", *team)]
    return ev, tt


@pytest.mark.parametrize("duration, team, ok", [
    (40, ["fr1"], True),           # up to 40 minutes: one interpreter
    (45, ["fr1"], False),          # past 40 minutes: a team of two
    (45, ["fr1", "fr2"], True),
    (15, ["fr1", "fr2"], True),    # more than needed is fine
    (180, ["fr1"], False),
    (180, ["fr1", "fr2"], True),
])
def test_team_size_default(duration, team, ok):
    ev, tt = team_case(duration, team)
    assert of(ev, tt, "team_size") == ([] if ok else [["s1", *team]])
    if ok:
        assert_valid(ev, tt)


@pytest.mark.parametrize("duration, team, ok", [
    (60, ["fr1"], True),                     # solo up to 60 minutes now
    (65, ["fr1"], False),
    (65, ["fr1", "fr2"], False),             # a team is three now
    (65, ["fr1", "fr2", "en1"], True),
])
def test_team_size_event_override(duration, team, ok):
    ev, tt = team_case(duration, team, {"solo_max_minutes": 60, "team": 3})
    item(ev["interpreters"], "en1")["languages"] = {"A": ["fr"], "B": ["en"]}
    assert of(ev, tt, "team_size") == ([] if ok else [["s1", *team]])


def test_team_size_partial_override_keeps_other_default():
    ev, tt = team_case(45, ["fr1"], {"team": 3})             # solo_max_minutes stays 40
    assert of(ev, tt, "team_size") == [["s1", "fr1"]]
    ev, tt = team_case(40, ["fr1"], {"team": 3})
    assert of(ev, tt, "team_size") == []


def test_team_size_counts_people_not_entries():
    ev, tt = team_case(60, ["fr1", "fr1"])
    assert of(ev, tt, "team_size") == [["s1", "fr1", "fr1"]]


def test_team_size_ignores_unstaffed_optional_channel():
    ev, tt = team_case(60, [])
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    assert of(ev, tt, "team_size") == []
    assert_valid(ev, tt)


# --- channel source (relay) -------------------------------------------------------------------------------------


def test_relay_through_a_direct_pivot_is_valid():
    ev, tt = three_languages()
    assert of(ev, tt, "channel_source") == []


def test_direct_channel_listens_to_the_floor():
    ev, tt = base_event(), base_timetable()
    placed(tt, "s1")["channels"] = [ch("fr", "es", "fr1", "fr2")]     # no via, not the floor
    assert of(ev, tt, "channel_source") == [["s1"]]


def test_relay_from_must_equal_via():
    ev, tt = three_languages()
    placed(tt, "s1")["channels"][1] = ch("es", "en", "es1", "es2", via="fr")
    assert of(ev, tt, "channel_source") == [["s1"]]


def test_relay_via_an_unstaffed_pivot():
    ev, tt = three_languages()
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    placed(tt, "s1")["channels"][0] = ch("fr", "en")
    assert of(ev, tt, "channel_source") == [["s1"]]


def test_relay_via_a_pivot_that_is_itself_a_relay():
    ev, tt = three_languages()
    ev["event"]["languages"] = ["en", "fr", "es", "de"]
    ev["interpreters"] += [
        {"id": "de1", "name": "De One", "languages": {"A": ["de"], "C": ["es", "fr", "en"]}},
        {"id": "de2", "name": "De Two", "languages": {"A": ["de"], "C": ["es", "fr", "en"]}},
    ]
    item(ev["rooms"], "main")["channels"] = 3
    placed(tt, "s1")["channels"].append(ch("de", "es", "de1", "de2", via="es"))
    assert of(ev, tt, "channel_source") == [["s1"]]
    placed(tt, "s1")["channels"][2] = ch("de", "fr", "de1", "de2", via="fr")    # two relays of one pivot: fine
    assert_valid(ev, tt)


def test_relay_via_the_floor_language_is_not_a_pivot():
    ev, tt = three_languages()
    placed(tt, "s1")["channels"][1] = ch("es", "en", "es1", "es2", via="en")
    item(ev["interpreters"], "es1")["languages"] = {"A": ["es"], "C": ["en"]}
    item(ev["interpreters"], "es2")["languages"] = {"A": ["es"], "C": ["en"]}
    assert of(ev, tt, "channel_source") == [["s1"]]


def test_relay_via_a_channel_of_another_session():
    """The fr channel of s3 (same time, same floor) is staffed direct; s1's own fr channel is not."""
    ev, tt = three_languages()
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    placed(tt, "s1")["channels"][0] = ch("fr", "en")
    ev["interpreters"] += [
        {"id": "fr3", "name": "Fr Three", "languages": {"A": ["fr"], "B": ["en"]}},
        {"id": "fr4", "name": "Fr Four", "languages": {"A": ["fr"], "B": ["en"]}},
    ]
    ev["rooms"].append({"id": "third", "name": "Third", "capacity": 100, "channels": 2})
    add_session(ev, tt, "s3", f"{DAY1}T10:00", 60, room="third", interpretation="optional",
                channels=[ch("fr", "en", "fr3", "fr4"), ch("es", "en")])
    assert of(ev, tt, "channel_source") == [["s1"]]


def test_relay_via_a_language_with_no_channel():
    ev, tt = three_languages()
    placed(tt, "s1")["channels"][1] = ch("es", "de", "es1", "es2", via="de")
    assert of(ev, tt, "channel_source") == [["s1"]]


def test_unstaffed_channel_source_is_not_checked():
    ev, tt = three_languages()
    item(ev["sessions"], "s1")["interpretation"] = "optional"
    placed(tt, "s1")["channels"][1] = ch("es", "de")
    assert of(ev, tt, "channel_source") == []


# --- competence (AIIC classes) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("classes, pairs, source, target, ok", [
    ({"A": ["fr"], "B": ["en"]}, None, "en", "fr", True),           # into A from B
    ({"A": ["fr"], "C": ["en"]}, None, "en", "fr", True),           # into A from C
    ({"A": ["fr", "en"]}, None, "en", "fr", True),                  # into A from another A
    ({"A": ["fr"], "B": ["en"]}, None, "fr", "en", True),           # retour: into B from A
    ({"A": ["fr"], "B": ["en", "de"]}, None, "de", "en", False),    # into B only from A
    ({"A": ["fr"], "B": ["en"], "C": ["de"]}, None, "de", "en", False),
    ({"A": ["fr"], "C": ["en"]}, None, "fr", "en", False),          # C is never a target
    ({"A": ["fr"], "C": ["en", "de"]}, None, "de", "en", False),
    ({"A": ["fr"]}, None, "en", "fr", False),                       # en unknown
    ({"B": ["fr"], "C": ["en"]}, None, "en", "fr", False),          # B from C: no
    ({}, None, "en", "fr", False),
    # explicit pairs replace the derived ones
    ({"A": ["fr"], "B": ["en"]}, [["en", "fr"]], "en", "fr", True),
    ({"A": ["fr"], "B": ["en"]}, [["en", "fr"]], "fr", "en", False),    # derived retour, but not a pair
    ({"A": ["fr"], "C": ["en"]}, [["fr", "en"]], "fr", "en", True),     # a pair, though C
    ({}, [["en", "fr"]], "en", "fr", True),
    ({}, [["fr", "en"]], "en", "fr", False),                            # pairs are directed
    ({"A": ["fr"], "B": ["en"]}, [], "en", "fr", False),                # empty pairs: nothing
])
def test_interpreter_competence(classes, pairs, source, target, ok):
    ev, tt = base_event(), base_timetable()
    ev["event"]["languages"] = [source, target]
    ev["interpreters"].append({"id": "x", "name": "X", "languages": classes,
                               **({} if pairs is None else {"pairs": pairs})})
    s1 = item(ev["sessions"], "s1")
    s1["language"], s1["duration"] = source, 30
    move(tt, "s1", f"{DAY1}T10:00", 30)
    placed(tt, "s1")["channels"] = [ch(target, source, "x")]
    item(ev["sessions"], "s2")["interpretation"] = "none"
    item(ev["sessions"], "s2")["language"] = source
    placed(tt, "s2")["channels"] = []
    assert of(ev, tt, "interpreter_competence") == ([] if ok else [["x", "s1"]])
    if ok:
        assert_valid(ev, tt)


def test_competence_of_a_relay_is_from_the_pivot():
    ev, tt = three_languages()
    # es1/es2 know fr (C) but not en: fine relaying fr, not listening to the en floor.
    assert of(ev, tt, "interpreter_competence") == []
    placed(tt, "s1")["channels"][1] = ch("es", "en", "es1", "es2")
    assert of(ev, tt, "interpreter_competence") == [["es1", "s1"], ["es2", "s1"]]


def test_competence_names_each_unfit_member():
    ev, tt = base_event(), base_timetable()
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "en2")]   # en2: A en, C fr: cannot work into fr
    assert of(ev, tt, "interpreter_competence") == [["en2", "s1"]]


# --- interpreters -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("s2_start, ok", [("11:00", True), ("09:30", True), ("10:30", False), ("10:00", False)])
def test_interpreter_one_place(s2_start, ok):
    ev, tt = base_event(), base_timetable()
    placed(tt, "s2")["channels"] = [ch("en", "fr", "fr1")]     # fr1 (A fr, B en): retour, also in s1
    move(tt, "s2", f"{DAY1}T{s2_start}", 30)
    got = of(ev, tt, "interpreter_one_place")
    assert [[ids[0], *sorted(ids[1:])] for ids in got] == ([] if ok else [["fr1", "s1", "s2"]])
    if ok:
        assert_valid(ev, tt)


def test_interpreter_in_two_channels_of_one_session():
    ev, tt = three_languages()
    item(ev["interpreters"], "fr2")["languages"] = {"A": ["fr", "es"], "C": ["en"]}
    placed(tt, "s1")["channels"] = [ch("fr", "en", "fr1", "fr2"), ch("es", "en", "fr2", "es1")]
    item(ev["interpreters"], "es1")["languages"] = {"A": ["es"], "C": ["en"]}
    assert of(ev, tt, "interpreter_one_place") == [["fr2", "s1"]]


@pytest.mark.parametrize("period, ok", [
    (("2021-02-13T11:00", "2021-02-13T18:00"), True),
    (("2021-02-13T09:00", "2021-02-13T10:00"), True),
    (("2021-02-14T00:00", "2021-02-15T00:00"), True),
    (("2021-02-13T10:45", "2021-02-13T11:00"), False),
    (("2021-02-13T00:00", "2021-02-14T00:00"), False),
])
def test_interpreter_available(period, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["interpreters"], "fr2")["unavailable"] = [{"start": period[0], "end": period[1]}]
    assert of(ev, tt, "interpreter_available") == ([] if ok else [["fr2", "s1"]])
    if ok:
        assert_valid(ev, tt)


@pytest.mark.parametrize("limit, s2_day, ok", [
    (90, DAY1, True),       # 60 + 30
    (60, DAY2, True),       # 60 one day, 30 the other
    (75, DAY1, False),
    (45, DAY2, False),      # 60 on day 1 alone is too much
])
def test_interpreter_minutes_per_day(limit, s2_day, ok):
    ev, tt = base_event(), base_timetable()
    item(ev["interpreters"], "fr1")["max_minutes_per_day"] = limit
    placed(tt, "s2")["channels"] = [ch("en", "fr", "fr1")]
    move(tt, "s2", f"{s2_day}T14:00", 30)
    assert of(ev, tt, "interpreter_minutes_per_day") == ([] if ok else [["fr1"]])
    if ok:
        assert_valid(ev, tt)


def test_interpreter_minutes_default_is_360():
    ev, tt = base_event(), base_timetable()
    ev["sessions"], tt["sessions"] = [], []
    # fr1+fr2 on the fr channel of four 90-minute sessions on day 2 (rest between them): 360 minutes.
    for n, start in enumerate(["09:00", "11:00", "13:00", "15:00"]):
        add_session(ev, tt, f"r{n}", f"{DAY2}T{start}", 90, channels=[ch("fr", "en", "fr1", "fr2")])
    ev["event"]["days"][1]["end"] = "18:00"
    assert_valid(ev, tt)
    add_session(ev, tt, "r4", f"{DAY2}T17:00", 15, room="side", channels=[ch("fr", "en", "fr1")])
    assert of(ev, tt, "interpreter_minutes_per_day") == [["fr1"]]


def test_interpreter_day_is_a_date_in_the_event_zone():
    """19:30 in Toronto is 00:30 UTC on the next date: still day 1 for the interpreter."""
    ev, tt = base_event(), base_timetable()
    ev["event"]["days"][0]["end"] = "21:00"
    item(ev["interpreters"], "fr1")["max_minutes_per_day"] = 75
    placed(tt, "s2")["channels"] = [ch("en", "fr", "fr1")]
    p = placed(tt, "s2")
    p["start"], p["end"] = "2021-02-14T00:30:00Z", "2021-02-14T01:00:00Z"
    assert of(ev, tt, "interpreter_minutes_per_day") == [["fr1"]]


# --- interpreter rest (SPEC 2.6) --------------------------------------------------------------------------------


def rest_case(spans: list[tuple[str, int]], rest: dict | None = None) -> tuple[dict, dict]:
    """Sessions r0, r1, ... on day 2 at (start, minutes), each with its fr channel staffed by fr1+fr2."""
    ev, tt = base_event(), base_timetable()
    ev["sessions"], tt["sessions"] = [], []
    if rest is not None:
        ev["event"]["interpreter_rest"] = rest
    for n, (start, minutes) in enumerate(spans):
        add_session(ev, tt, f"r{n}", f"{DAY2}T{start}", minutes, channels=[ch("fr", "en", "fr1", "fr2")])
    return ev, tt


def rest_breaches(ev: dict, tt: dict) -> list[list[str]]:
    return of(ev, tt, "interpreter_rest")


@pytest.mark.parametrize("spans, breach", [
    ([("09:00", 180)], None),                                   # exactly 180 in one session
    ([("09:00", 195)], ["r0"]),                                 # 195 in one session
    ([("09:00", 90), ("10:30", 90)], None),                     # 90 + 90 back to back = 180
    ([("09:00", 90), ("10:45", 90)], ["r0", "r1"]),             # 15-minute gap does not reset: 195
    ([("09:00", 90), ("11:00", 90)], None),                     # 30-minute gap resets: two stretches of 90
    ([("09:00", 120), ("11:30", 120)], None),                   # 30-minute gap between two 120s
    ([("09:00", 120), ("11:15", 120)], ["r0", "r1"]),           # 15-minute gap between two 120s: 255
    ([("09:00", 60), ("10:15", 45), ("11:15", 60)], ["r0", "r1", "r2"]),  # 15-min gaps: 09:00-12:15 = 195
    ([("09:00", 60), ("10:15", 45), ("11:30", 60)], None),      # the second gap is 30: resets
    ([("09:00", 45), ("10:00", 45), ("11:00", 45), ("12:00", 15)], ["r0", "r1", "r2", "r3"]),  # chained 15s
    ([("09:00", 180), ("12:30", 180)], None),                   # two full stretches with a 30-minute break
])
def test_interpreter_rest(spans, breach):
    ev, tt = rest_case(spans)
    expected = [] if breach is None else [["fr1", *breach], ["fr2", *breach]]
    assert rest_breaches(ev, tt) == expected
    if breach is None:
        assert_valid(ev, tt)


def test_interpreter_rest_is_per_interpreter():
    ev, tt = rest_case([("09:00", 90), ("10:45", 90)])
    placed(tt, "r1")["channels"] = [ch("fr", "en", "fr1", "en1")]
    item(ev["interpreters"], "en1")["languages"] = {"A": ["fr"], "B": ["en"]}
    assert rest_breaches(ev, tt) == [["fr1", "r0", "r1"]]


def test_interpreter_rest_event_override():
    # 60 + 45-minute gap + 60: fine by default (the gap is at least 30, each stretch 60).
    ev, tt = rest_case([("09:00", 60), ("10:45", 60)])
    assert rest_breaches(ev, tt) == []
    # With min_break 60 the gap no longer rests them: one stretch of 165 > max_continuous 120.
    ev, tt = rest_case([("09:00", 60), ("10:45", 60)], {"max_continuous": 120, "min_break": 60})
    assert rest_breaches(ev, tt) == [["fr1", "r0", "r1"], ["fr2", "r0", "r1"]]
    # A 60-minute gap rests them; 120 in one go is exactly the limit.
    ev, tt = rest_case([("09:00", 120), ("12:00", 120)], {"max_continuous": 120, "min_break": 60})
    assert rest_breaches(ev, tt) == []
    ev, tt = rest_case([("09:00", 135)], {"max_continuous": 120, "min_break": 60})
    assert rest_breaches(ev, tt) == [["fr1", "r0"], ["fr2", "r0"]]


def test_interpreter_rest_partial_override_keeps_other_default():
    ev, tt = rest_case([("09:00", 90), ("10:45", 90)], {"max_continuous": 240})    # min_break stays 30
    assert rest_breaches(ev, tt) == []
    ev, tt = rest_case([("09:00", 90), ("10:45", 90)], {"min_break": 10})          # max_continuous stays 180
    assert rest_breaches(ev, tt) == []
    ev, tt = rest_case([("09:00", 195)], {"min_break": 10})
    assert rest_breaches(ev, tt) == [["fr1", "r0"], ["fr2", "r0"]]


def test_interpreter_rest_zero_min_break():
    # min_break 0: no gap is "less than 0", so each assignment is its own stretch.
    ev, tt = rest_case([("09:00", 120), ("11:00", 120)], {"max_continuous": 180, "min_break": 0})
    assert rest_breaches(ev, tt) == []


def test_interpreter_rest_order_of_timetable_does_not_matter():
    ev, tt = rest_case([("09:00", 90), ("10:45", 90)])
    tt["sessions"].reverse()
    assert rest_breaches(ev, tt) == [["fr1", "r0", "r1"], ["fr2", "r0", "r1"]]


def test_work_stretches_grouping():
    spans = [(0, 60, "a"), (75, 120, "b"), (150, 200, "c"), (210, 220, "d")]
    assert [[s[2] for s in st] for st in work_stretches(spans, 30)] == [["a", "b"], ["c", "d"]]
    # a long span keeps later short ones in its stretch
    spans = [(0, 300, "a"), (10, 20, "b"), (310, 320, "c"), (400, 410, "d")]
    assert [[s[2] for s in st] for st in work_stretches(spans, 30)] == [["a", "b", "c"], ["d"]]


# --- a larger valid timetable ------------------------------------------------------------------------------------


def test_full_small_timetable_is_valid():
    """Three languages, a plenary, a relay, pins, after, speaker limits, rests: everything at once."""
    ev, tt = three_languages()
    ev["rooms"].append({"id": "third", "name": "Third", "capacity": 60, "channels": 2, "max_interpreters": 4,
                        "unavailable": [{"start": "2021-02-13T09:00", "end": "2021-02-13T10:00"}]})
    item(ev["speakers"], "sp1")["max_sessions_per_day"] = 3
    item(ev["speakers"], "sp2")["unavailable"] = [{"start": "2021-02-14T09:00", "end": "2021-02-14T12:00"}]
    s1 = item(ev["sessions"], "s1")
    s1["kind"], s1["pin"] = "plenary", {"day": DAY1, "start": "10:00", "room": "main"}
    move(tt, "s2", f"{DAY1}T11:00", 30, room="side")
    item(ev["sessions"], "s2")["after"] = ["s1"]
    ev["interpreters"] += [
        {"id": "fr3", "name": "Fr Three", "languages": {"A": ["fr"], "B": ["en"]}, "pairs": [["en", "fr"]]},
        {"id": "es3", "name": "Es Three", "languages": {"A": ["es"], "B": ["en"], "C": ["fr"]}},
    ]
    add_session(ev, tt, "s3", f"{DAY1}T11:00", 90, room="third", speakers=["sp1"], attendance=60,
                track="t", channels=[ch("fr", "en", "fr3", "fr1"), ch("es", "en", "es3", "en1")])
    item(ev["interpreters"], "en1")["languages"] = {"A": ["en", "es"], "B": ["fr"]}
    add_session(ev, tt, "s4", f"{DAY1}T13:30", 90, room="third", speakers=["sp1"], attendance=10,
                track="t", interpretation="optional", after=["s3"], pin={"start": "13:30"},
                channels=[ch("fr", "en", "fr1", "fr2"), ch("es", "en")])
    add_session(ev, tt, "s5", f"{DAY2}T14:00", 30, room="main", speakers=["sp2"], language="fr",
                channels=[ch("en", "fr", "en2"), ch("es", "fr", "es1")])
    assert_valid(ev, tt)
