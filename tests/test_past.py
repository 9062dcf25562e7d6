"""Re-planning during the event (`--now`, `scheduler/past.py`): the rules past_kept and not_before_now in the
model (by every method) and in the checker, and the command line's refusals.

The tiny event: one day (09:00-12:00, Toronto), 30-minute en sessions interpreted into fr by one person each
(x or y, both en -> fr into their A language). The old timetable ran session a at 09:00 with x and b at 10:00
with y; the re-plan is made at 09:45, when a has begun and b has not. Moves and re-staffing cost nothing here
(`moved`, `reassigned` and `interpreter_load` weigh 0), so only the rules keep the past."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from builders import DAY, en_fr, event_dict, room, session, speaker
from scheduler.check import check
from scheduler.cli import cli
from scheduler.event import Event
from scheduler.past import past_of
from scheduler.solve import solve
from scheduler.timetable import Timetable

ZONE = ZoneInfo("America/Toronto")
NOW = datetime(2021, 2, 13, 9, 45, tzinfo=ZONE)
FREE = {"moved": 0, "reassigned": 0, "interpreter_load": 0}


def at(clock: str, minutes: int = 0) -> str:
    h, m = map(int, clock.split(":"))
    total = h * 60 + m + minutes
    return f"{DAY}T{total // 60:02d}:{total % 60:02d}:00-05:00"


def old_timetable() -> Timetable:
    def placed(sid: str, clock: str, who: str) -> dict:
        return {"session": sid, "room": "r1", "start": at(clock), "end": at(clock, 30),
                "channels": [{"into": "fr", "from": "en", "interpreters": [who]}]}
    return Timetable.model_validate({"event": "tiny", "status": "feasible", "objective": 0, "bound": 0,
                                     "solve_seconds": 0, "sessions": [placed("a", "09:00", "x"),
                                                                      placed("b", "10:00", "y")]})


def tiny(**changes) -> dict:
    ev = event_dict([session("a", 30), session("b", 30)], rooms=[room("r1"), room("r2")],
                    interpreters=[en_fr("x"), en_fr("y")], weights=dict(FREE))
    for key, value in changes.items():
        ev[key] = value
    return ev


def as_of(ev: dict, old: Timetable, now: datetime = NOW) -> Event:
    event = Event.model_validate(ev)
    return event.as_of(past_of(event, old, now))


METHODS = ["exact", "decompose"]


def replanned_with_and_without_now(ev: dict, method: str) -> tuple[Timetable, Timetable]:
    """The re-plan of the old timetable as of NOW (which `check` accepts, with the rules of --now), and the same
    re-plan without --now."""
    old = old_timetable()
    event = as_of(ev, old)
    tt = solve(event, time_limit=5, workers=2, previous=old, method=method).timetable
    assert tt is not None and check(event, tt) == []
    free = solve(Event.model_validate(ev), time_limit=5, workers=2, previous=old, method=method).timetable
    assert free is not None
    return tt, free


@pytest.mark.parametrize("method", METHODS)
def test_past_kept_keeps_the_team_of_a_session_begun(method):
    """x falls ill after 09:45: b needs y, and with y doing a as well one interpreter-day would be saved; but a
    was interpreted by x, so the re-plan pays two days."""
    ev = tiny()
    ev["interpreters"][0]["unavailable"] = [{"start": f"{DAY}T09:45", "end": f"{DAY}T12:00"}]
    tt, free = replanned_with_and_without_now(ev, method)
    a = next(p for p in tt.sessions if p.session == "a")
    assert a.model_dump() == old_timetable().sessions[0].model_dump()
    assert tt.objective >= 40  # x and y each work a day
    # Without the rule, y could have taken a too (one day): the rule is what costs the second.
    assert free.objective == 20


@pytest.mark.parametrize("method", METHODS)
def test_not_before_now_keeps_a_moved_session_out_of_the_past(method):
    """b's speaker is away 10:00-11:00: b moves, and the cheapest place, 09:00 in r2 (inside its preferred
    window), has passed; it goes to 11:00 or later and pays for its window."""
    ev = tiny(speakers=[speaker("sp", unavailable=[{"start": f"{DAY}T10:00", "end": f"{DAY}T11:00"}])])
    ev["sessions"][1].update(speakers=["sp"], preferred=[{"start": f"{DAY}T09:00", "end": f"{DAY}T10:30"}])
    tt, free = replanned_with_and_without_now(ev, method)
    b = next(p for p in tt.sessions if p.session == "b")
    assert b.start >= NOW and b.start.hour >= 11
    assert any(c.goal == "outside_preferred" for c in tt.costs)
    assert not any(c.goal == "outside_preferred" for c in free.costs)


def test_nothing_begun_before_now_changes_nothing():
    old = old_timetable()
    event = as_of(tiny(), old, datetime(2021, 2, 13, 8, 0, tzinfo=ZONE))
    assert event.past.kept == {}
    tt = solve(event, time_limit=5, workers=2, previous=old).timetable
    assert tt is not None and check(event, tt) == []


# --- the checker -------------------------------------------------------------------------------------------


def rules_broken(event: Event, tt: Timetable) -> list[tuple[str, list[str]]]:
    return [(b.rule, b.ids) for b in check(event, tt)]


def with_session(tt: Timetable, sid: str, **changes) -> Timetable:
    return tt.model_copy(update={"sessions": [p.model_copy(update=changes) if p.session == sid else p
                                              for p in tt.sessions]})


def test_check_past_kept():
    old = old_timetable()
    event = as_of(tiny(), old)
    assert rules_broken(event, old) == []
    moved = with_session(old, "a", room="r2")
    assert rules_broken(event, moved) == [("past_kept", ["a"])]
    a = old.sessions[0]
    other = [a.channels[0].model_copy(update={"interpreters": ["y"]})]
    assert rules_broken(event, with_session(old, "a", channels=other)) == [("past_kept", ["a", "x", "y"])]
    assert ("past_kept", ["a", "x"]) in rules_broken(event, with_session(old, "a", channels=[]))
    # b had not begun: its team may change
    b = old.sessions[1]
    assert rules_broken(event, with_session(old, "b", channels=[b.channels[0].model_copy(
        update={"interpreters": ["x"]})])) == []
    # without --now, none of this is a rule
    assert rules_broken(Event.model_validate(tiny()), moved) == []


def test_check_not_before_now():
    old = old_timetable()
    event = as_of(tiny(), old)
    b = old.sessions[1]
    early = with_session(old, "b", room="r2", start=datetime.fromisoformat(at("09:00")),
                         end=datetime.fromisoformat(at("09:30")))
    assert rules_broken(event, early) == [("not_before_now", ["b"])]
    assert rules_broken(event, with_session(old, "b", start=datetime.fromisoformat(at("09:45")),
                                            end=datetime.fromisoformat(at("10:15")))) == []
    assert b.start > NOW


# --- the command line --------------------------------------------------------------------------------------


def files(tmp_path: Path, ev: dict) -> tuple[str, str, Path]:
    event, old = tmp_path / "event.json", tmp_path / "old.json"
    event.write_text(json.dumps(ev), encoding="utf-8")
    old.write_text(old_timetable().to_json(), encoding="utf-8")
    return str(event), str(old), tmp_path / "new.json"


def test_cli_replans_as_of_now_and_checks_it(tmp_path: Path):
    ev = tiny()
    ev["interpreters"][0]["unavailable"] = [{"start": f"{DAY}T09:45", "end": f"{DAY}T12:00"}]
    event, old, new = files(tmp_path, ev)
    runner = CliRunner()
    result = runner.invoke(cli, ["solve", event, "--previous", old, "--now", "2021-02-13T09:45", "-o", str(new),
                                 "--time-limit", "5", "--workers", "2"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["check", event, str(new), "--previous", old, "--now", "2021-02-13T09:45"])
    assert result.exit_code == 0, result.output
    # the same instant with an offset (UTC)
    result = runner.invoke(cli, ["check", event, str(new), "--previous", old, "--now", "2021-02-13T14:45+00:00"])
    assert result.exit_code == 0, result.output
    # a re-plan that gave a (begun at 09:00 with x) to y
    changed = tmp_path / "changed.json"
    a = old_timetable().sessions[0]
    changed.write_text(with_session(old_timetable(), "a", channels=[a.channels[0].model_copy(
        update={"interpreters": ["y"]})]).to_json(), encoding="utf-8")
    result = runner.invoke(cli, ["check", event, str(changed)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["check", event, str(changed), "--previous", old, "--now", "2021-02-13T09:45"])
    assert result.exit_code == 1 and result.output.startswith(
        "past_kept: session a began before 2021-02-13 09:45, but its channel into fr is now y from en where it "
        "was x from en  [a, x, y]\n"), result.output


def test_cli_now_refusals(tmp_path: Path):
    event, old, new = files(tmp_path, tiny())
    runner = CliRunner()
    cases = [
        (["solve", event, "--now", "2021-02-13T09:45", "-o", str(new)], "--now needs --previous"),
        (["solve", event, "--previous", old, "--now", "2021-02-30T09:45", "-o", str(new)],
         "'2021-02-30T09:45' is not an ISO 8601 date-time"),
        (["check", event, old, "--previous", old], "--previous needs --now"),
        (["explain", event, "--now", "2021-02-13T09:45"], "--now needs --previous"),
    ]
    for args, message in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    assert not new.exists()


def test_cli_refuses_an_event_that_contradicts_the_past(tmp_path: Path):
    """x, who interpreted a at 09:00, is marked ill for the whole day, and a has lost 15 minutes: the past
    cannot be re-planned, so the organiser is told to date the change from now."""
    ev = tiny()
    ev["interpreters"][0]["unavailable"] = [{"start": f"{DAY}T08:00", "end": f"{DAY}T12:00"}]
    ev["sessions"][0]["duration"] = 45
    event, old, new = files(tmp_path, ev)
    result = CliRunner().invoke(cli, ["solve", event, "--previous", old, "--now", "2021-02-13T09:45",
                                      "-o", str(new)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{old}: sessions[0]: a took place before --now 2021-02-13 09:45 for 30 minutes, but the event now gives it 45",
        f"{old}: sessions[0].channels[0].interpreters[0]: x interpreted a before --now 2021-02-13 09:45, but the "
        f"event now says they are unavailable then (2021-02-13 08:00 to 12:00): mark them unavailable from --now",
    ]
    assert not new.exists()


def test_explain_a_replan_that_has_no_timetable(tmp_path: Path):
    """a (09:00-10:00) was interpreted by x and y; y falls ill at 10:00 and b (10:30, an hour) needs a team of two.
    The explanation names y and b; a's team of two stays what it was even where the explanation's search lifts
    the team rule (it crashed on the bundled school re-planned so: an empty core)."""
    ev = event_dict([session("a", 60), session("b", 60)], interpreters=[en_fr("x"), en_fr("y")])
    ev["interpreters"][1]["unavailable"] = [{"start": f"{DAY}T10:00", "end": f"{DAY}T12:00"}]
    old = Timetable.model_validate({"event": "tiny", "status": "feasible", "objective": 0, "bound": 0,
                                    "solve_seconds": 0, "sessions": [
        {"session": sid, "room": "r1", "start": at(clock), "end": at(clock, 60),
         "channels": [{"into": "fr", "from": "en", "interpreters": ["x", "y"]}]}
        for sid, clock in (("a", "09:00"), ("b", "10:30"))]})
    assert {"y", "b"} <= explained_ids(tmp_path, ev, old, "2021-02-13T10:00")


def explained_ids(folder: Path, ev: dict, old: Timetable, now: str) -> set[str]:
    """`scheduler explain --previous --now` of a re-plan that has no timetable (exit 3): the ids its conflicts
    name."""
    event, previous = folder / "event.json", folder / "old.json"
    event.write_text(json.dumps(ev), encoding="utf-8")
    previous.write_text(old.to_json(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["explain", str(event), "--previous", str(previous), "--now", now,
                                      "--format", "json", "--time-limit", "20"])
    assert result.exit_code == 3, result.output
    return {i for c in json.loads(result.stdout) for i in c["ids"]}


def test_explain_searches_a_replan_of_the_school(tmp_path: Path):
    """Into French only Marie Tremblay and Jean-François Gagnon (Claire Lefebvre gone; the others work into
    English only); he falls ill on the second day at 13:00. The search for a conflict crashed (an empty core:
    with every fact lifted, the past's teams of two broke the lifted team rule). Now it names his absence and
    a session still to come."""
    school = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "school.json").read_text("utf-8"))
    school["interpreters"] = [i for i in school["interpreters"] if i["id"] != "i-clefebvre"]
    for i in school["interpreters"]:
        if i["id"] in ("i-swilson", "i-eroy"):
            i["pairs"] = [["fr", "en"]]
    event = Event.model_validate(school)
    old = solve(event, time_limit=10, workers=2).timetable
    assert old is not None
    for i in school["interpreters"]:
        if i["id"] == "i-jfgagnon":
            i["unavailable"] = [{"start": "2021-02-13T13:00", "end": "2021-02-14T18:00"}]
    ids = explained_ids(tmp_path, school, old, "2021-02-13T13:00")
    now = datetime(2021, 2, 13, 13, 0, tzinfo=ZONE)
    later = {p.session for p in old.sessions if p.start >= now}
    assert "i-jfgagnon" in ids and ids & later


def test_a_replan_during_the_event_without_now_gets_a_note(tmp_path: Path):
    today = datetime.now(ZONE).date().isoformat()
    ev = tiny()
    ev["event"]["days"] = [{"date": today, "start": "09:00", "end": "12:00", "breaks": []}]
    old = old_timetable().model_dump(mode="json", by_alias=True)
    for p in old["sessions"]:
        p["start"], p["end"] = (t.replace(DAY, today) for t in (p["start"], p["end"]))
    event, previous, new = tmp_path / "event.json", tmp_path / "old.json", tmp_path / "new.json"
    event.write_text(json.dumps(ev), encoding="utf-8")
    previous.write_text(json.dumps(old), encoding="utf-8")
    args = ["solve", str(event), "--previous", str(previous), "-o", str(new), "--time-limit", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and "note: the event is under way" in result.output and "add --now" in result.output
    result = CliRunner().invoke(cli, [*args, "--now", f"{today}T08:00"])
    assert result.exit_code == 0 and "under way" not in result.output


def test_a_past_that_breaks_another_rule_of_the_event_as_it_now_is_is_refused(tmp_path: Path):
    """Solo work capped at 20 minutes mid-event: a (30 minutes, x alone) took place and cannot change. The model
    keeps past teams as they were and the checker applies the rule to them: refused at once instead of a
    timetable that `check` rejects."""
    ev = tiny()
    ev["event"]["team_size"] = {"solo_max_minutes": 20, "team": 2}
    event, old, new = files(tmp_path, ev)
    result = CliRunner().invoke(cli, ["solve", event, "--previous", old, "--now", "2021-02-13T09:45", "-o",
                                      str(new), "--time-limit", "5"])
    assert result.exit_code == 2 and not new.exists()
    assert result.output.splitlines() == [
        f"{old}: sessions[0]: what took place before --now 2021-02-13 09:45 breaks a rule of the event as it now is "
        f"(team_size: the fr channel of session a (30 minutes) has 1 interpreter; it needs 2): the past cannot "
        f"change, so the event must keep what it relied on"]


def test_someone_who_falls_ill_during_a_session_is_told_from_when_to_mark_it(tmp_path: Path):
    """x fell ill at 09:15, during a (09:00-09:30), and was marked unavailable from then: the re-plan at 09:15
    keeps a as it was, so x must be marked from 09:30, when a ends."""
    ev = tiny()
    ev["interpreters"][0]["unavailable"] = [{"start": f"{DAY}T09:15", "end": f"{DAY}T12:00"}]
    event, old, new = files(tmp_path, ev)
    args = ["solve", event, "--previous", old, "--now", "2021-02-13T09:15", "-o", str(new), "--time-limit", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "mark them unavailable from 09:30, when a ends, or later" in result.output
    ev["interpreters"][0]["unavailable"] = [{"start": f"{DAY}T09:30", "end": f"{DAY}T12:00"}]
    Path(event).write_text(json.dumps(ev), encoding="utf-8")
    assert CliRunner().invoke(cli, args).exit_code == 0


def test_a_session_that_starts_at_now_has_not_begun():
    old = old_timetable()
    event = as_of(tiny(), old, datetime(2021, 2, 13, 10, 0, tzinfo=ZONE))
    assert set(event.past.kept) == {"a"}


def test_every_model_of_a_part_of_the_event_keeps_the_past():
    """Day models (neighbourhood search, day re-timing and repair) are built on `Event.day_part`; explain's
    relaxed events are rebuilt from JSON: both carry the past."""
    from scheduler.explain import relaxed
    from scheduler.model import ScheduleModel

    old = old_timetable()
    event = as_of(tiny(), old)
    part = event.day_part(event.event.days[0].date, {"a", "b"})
    assert part.past == event.past
    sm = ScheduleModel(part)
    assert sm.fixed_start("a") == part.minute(old.sessions[0].start) and sm.room_options["a"] == ["r1"]
    assert sm.start_domain["b"].min() == part.minute(NOW)
    assert relaxed(event.model_dump(mode="json"), [], event.past).past == event.past


def test_greedy_staffing_keeps_the_past_teams():
    """a was interpreted by y; the greedy would take x (first by id, equal otherwise)."""
    from scheduler.greedy import greedy_staffing

    old = old_timetable()
    a = old.sessions[0]
    old = with_session(old, "a", channels=[a.channels[0].model_copy(update={"interpreters": ["y"]})])
    placement = {p.session: (Event.model_validate(tiny()).minute(p.start), p.room) for p in old.sessions}
    assert greedy_staffing(Event.model_validate(tiny()), placement)[("a", "fr")] == ("en", ["x"])
    assert greedy_staffing(as_of(tiny(), old), placement)[("a", "fr")] == ("en", ["y"])


def test_now_out_of_the_years_of_an_event_is_refused(tmp_path: Path):
    event, old, _ = files(tmp_path, tiny())
    for now in ("9999-12-31T23:00", "0001-01-01T00:00+05:00"):
        result = CliRunner().invoke(cli, ["check", event, old, "--previous", old, "--now", now])
        assert result.exit_code == 2 and "is not a date of an event (years 1900 to 2999)" in result.output


def test_now_may_be_the_present_minute():
    from scheduler.past import parse_now

    event = Event.model_validate(tiny())
    before = datetime.now(ZONE).replace(second=0, microsecond=0)
    moment = parse_now("now", event)
    assert before <= moment <= datetime.now(ZONE) and moment.tzinfo is not None
    assert parse_now("2021-02-13T14:45+00:00", event) == NOW.replace(hour=9, minute=45)


def test_now_needs_a_time_of_day_and_is_said_back(tmp_path: Path):
    """A date alone would be read as its midnight, keeping nothing of the morning: refused. The moment read is
    said back after the solve, to the second when it has seconds."""
    from scheduler.past import parse_now

    event, old, new = files(tmp_path, tiny())
    result = CliRunner().invoke(cli, ["solve", event, "--previous", old, "--now", "2021-02-13", "-o", str(new)])
    assert result.exit_code == 2 and "'2021-02-13' has no time of day" in result.output
    result = CliRunner().invoke(cli, ["solve", event, "--previous", old, "--now", "2021-02-13 09:45", "-o",
                                      str(new), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert f"{new}: as of 2021-02-13 09:45 (America/Toronto): 1 session had begun" in result.output
    assert past_of(Event.model_validate(tiny()), old_timetable(),
                   parse_now("2021-02-13T09:00:30", Event.model_validate(tiny()))).label == "2021-02-13 09:00:30"
