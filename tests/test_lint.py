"""`scheduler validate` notes what a valid event may hold by mistake; each note has a case it must say and one
it must not."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from builders import day, en_fr, event_dict, interpreter, room, session
from scheduler.cli import cli
from scheduler.event import Event
from scheduler.lint import (audience_zone_repeated, interpreter_at_night, interpreter_without_channel,
                            language_without_interpreter, period_outside_event, pinned_room_unfit)


def make(sessions: list[dict], interpreters: list[dict], languages=("fr", "en"), **extra) -> Event:
    return Event.model_validate(event_dict(sessions, interpreters=interpreters, languages=languages, **extra))


def test_interpreter_without_channel():
    typo = interpreter("i2", A=["fr"], C=["de"])  # 'de' for 'en' (a slip): works from nothing the event speaks
    ev = make([session("s1", language="en")], [interpreter("i1", A=["fr"], C=["en"]), typo])
    notes = list(interpreter_without_channel(ev))
    assert [where for where, _ in notes] == [("interpreters", 1)]
    assert "i2" in notes[0][1] and "A fr; C de" in notes[0][1]
    assert list(interpreter_without_channel(make([session("s1", language="en")],
                                                 [interpreter("i1", A=["fr"], C=["en"])]))) == []


def test_language_without_interpreter():
    people = [interpreter("i1", A=["fr"], C=["en"]), interpreter("i2", A=["en"], C=["fr"])]
    ev = make([session("s1", language="en"), session("s2", language="fr", interpretation="optional")], people,
              languages=("fr", "en", "es"))
    notes = list(language_without_interpreter(ev))
    assert [where for where, _ in notes] == [("event", "languages", 2)]
    assert "'es'" in notes[0][1] and "1 required" in notes[0][1]
    assert list(language_without_interpreter(make([session("s1", language="en")], people))) == []
    assert "matched exactly" not in notes[0][1]


def test_language_without_interpreter_names_a_regional_variant():
    # 'es_419' for the audience, 'es' for the interpreters: the codes never meet
    people = [interpreter("i1", A=["es"], C=["en"]), interpreter("i2", A=["en"], B=["es_MX"])]
    ev = make([session("s1", language="en")], people, languages=("en", "es_419"))
    notes = list(language_without_interpreter(ev))
    assert [where for where, _ in notes] == [("event", "languages", 1)]
    assert "the interpreters list 'es' and 'es_MX': language codes are matched exactly" in notes[0][1]
    # a variant written only in explicit pairs is named too
    paired = [interpreter("i1", A=["en"], C=["fr"]), interpreter("i3", A=["en"], C=["fr"], pairs=[["en", "es"]])]
    [(_, text)] = language_without_interpreter(make([session("s1", language="en")], paired,
                                                    languages=("en", "es_419")))
    assert "the interpreters list 'es': language codes are matched exactly" in text


def test_period_outside_event():
    # 2021-02-13 09:00-12:00 is the event; 2021-02-23 is a slip of a key, 13:00-14:00 after the day's end
    later = {"start": "2021-02-23T09:00", "end": "2021-02-23T10:00"}
    after_hours = {"start": "2021-02-13T13:00", "end": "2021-02-13T14:00"}
    within = {"start": "2021-02-13T11:30", "end": "2021-02-13T13:00"}
    data = event_dict([session("s1", preferred=[after_hours, within])],
                      interpreters=[interpreter("i1", A=["fr"], C=["en"], unavailable=[within, later])])
    notes = list(period_outside_event(Event.model_validate(data)))
    assert [where for where, _ in notes] == [("interpreters", 0, "unavailable", 1), ("sessions", 0, "preferred", 0)]
    assert "i1 (Interpreter i1) is unavailable 2021-02-23 09:00 to 2021-02-23 10:00, outside every day's hours (the event runs " \
           "on 2021-02-13)" in notes[0][1]
    assert "cannot be placed in it" in notes[1][1]


def test_interpreter_at_night():
    """The event runs 09:00-12:00 in Toronto: 23:00-02:00 in Tokyo, 15:00-18:00 in Paris."""
    tokyo = interpreter("far", A=["fr"], C=["en"], timezone="Asia/Tokyo")
    paris = interpreter("near", A=["fr"], C=["en"], timezone="Europe/Paris")
    ev = make([session("s1", language="en")], [paris, tokyo])
    notes = list(interpreter_at_night(ev))
    assert [where for where, _ in notes] == [("interpreters", 1)]
    assert "1 day of the event runs into their night (on 2021-02-13: 23:00-02:00 their time" in notes[0][1]
    # the period to mark is given as `unavailable` reads it: on the event's clock, not theirs
    assert notes[0][1].endswith("in the event's time zone (America/Toronto): the first is "
                                '{"start": "2021-02-13T09:00", "end": "2021-02-13T12:00"}')
    # once they have said when they will not work, nothing to note
    tokyo["unavailable"] = [{"start": "2021-02-13T09:00", "end": "2021-02-13T12:00"}]
    assert list(interpreter_at_night(make([session("s1", language="en")], [paris, tokyo]))) == []


def test_interpreter_at_night_gives_one_night_when_the_day_crosses_two():
    """01:00-17:00 in Toronto is 07:00-23:00 in Paris: the day runs into two of their nights (07:00-08:00 before
    the awake hours, 22:00-23:00 after them); the period to mark is the first, not the whole day between."""
    paris = interpreter("near", A=["fr"], C=["en"], timezone="Europe/Paris")
    ev = make([session("s1", language="en")], [paris], days=[day(start="01:00", end="17:00")])
    notes = list(interpreter_at_night(ev))
    assert [where for where, _ in notes] == [("interpreters", 0)]
    assert "(on 2021-02-13: 07:00-08:00 their time" in notes[0][1], notes[0][1]
    assert notes[0][1].endswith('the first is {"start": "2021-02-13T01:00", "end": "2021-02-13T02:00"}')


def test_audience_zone_repeated():
    shares = [("America/Toronto", 0.5), ("Asia/Tokyo", 0.3), ("Asia/Tokyo", 0.2)]
    data = event_dict([session("s1", language="en")], audience=[{"timezone": z, "share": x} for z, x in shares])
    notes = list(audience_zone_repeated(Event.model_validate(data)))
    assert [where for where, _ in notes] == [("event", "audience", 2)]
    assert "Asia/Tokyo is listed already (event.audience[1]): their shares add up to 0.5" in notes[0][1]
    data["event"]["audience"][2]["timezone"] = "Africa/Lagos"
    assert list(audience_zone_repeated(Event.model_validate(data))) == []


def test_validate_prints_notes_and_still_exits_0(tmp_path: Path):
    data = event_dict([session("s1", language="en")], interpreters=[interpreter("i1", A=["de"])])
    path = tmp_path / "event.json"
    path.write_text(json.dumps(data), "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"{path}: valid: 1 session, 1 room, 1 day, 0 speakers, 1 interpreter."
    assert lines[1].startswith(f"{path}: interpreters[0]: note: i1 ")
    assert lines[2].startswith(f"{path}: event.languages[0]: note: nobody can interpret into 'fr'")


def test_commands_that_do_not_solve_never_load_the_solver():
    # importing the Ctrl-C handling at the top of the command line once cost every command 0.4 s of OR-Tools
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    code = ("import sys\n"
            "from click.testing import CliRunner\n"
            "from scheduler.cli import cli\n"
            "for args in (['validate', 'fixtures/school.json'], ['check', 'fixtures/school.json', "
            "'fixtures/school.timetable.json']):\n"
            "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
            "bad = [m for m in sys.modules if m.startswith(('ortools', 'scheduler.model', 'scheduler.solve'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_pinned_room_unfit():
    side = room("side", channels=0, capacity=40)
    pinned = session("s1", attendance=100, pin={"room": "side"})
    ev = make([pinned], [en_fr("i1")], rooms=[room("r1"), side])
    [(where, text)] = list(pinned_room_unfit(ev))
    assert where == ("sessions", 0, "pin")
    assert "pinned to side (Room side), which seats 40, fewer than its 100 attendees and has 0 booths, fewer " \
           "than the 1 its required channels need (into fr)" in text and "no timetable" in text
    fits = make([session("s1", attendance=30, interpretation="optional", pin={"room": "side"})], [en_fr("i1")],
                rooms=[room("r1"), side])
    assert list(pinned_room_unfit(fits)) == []
    either = make([session("s1", attendance=100, pin={"rooms": ["side", "r1"]})], [en_fr("i1")],
                  rooms=[room("r1"), side])
    assert list(pinned_room_unfit(either)) == []


def test_pinned_room_unfit_names_the_fault_of_each_room():
    people = [en_fr("i1")]
    seats_no_booth = room("hall", channels=0, capacity=500)
    booth_no_seats = room("cabin", channels=1, capacity=20)
    rooms = [room("r1"), seats_no_booth, booth_no_seats, room("closet", capacity=10)]
    # booths alone: optional interpretation would do
    [(_, text)] = pinned_room_unfit(make([session("s1", attendance=100, pin={"room": "hall"})], people, rooms=rooms))
    assert "which has 0 booths, fewer than the 1 its required channels need (into fr)" in text
    assert "seats" not in text and text.endswith("pin another room, or make its interpretation optional")
    # seats alone: interpretation has nothing to do with it
    [(_, text)] = pinned_room_unfit(make([session("s1", attendance=100, pin={"room": "cabin"})], people, rooms=rooms))
    assert "which seats 20, fewer than its 100 attendees: " in text and "booth" not in text
    assert text.endswith("pin another room")
    # two rooms, each lacking one of the two: neither holds the session
    both = session("s1", attendance=100, pin={"rooms": ["hall", "cabin"]})
    [(_, text)] = pinned_room_unfit(make([both], people, rooms=rooms))
    assert "none of which both seats its 100 attendees and has the 1 booth its required channels need" in text
    assert text.endswith("or make its interpretation optional")
    # optional interpretation in rooms too small: seats are all there is to say
    small = session("s1", attendance=100, interpretation="optional", pin={"rooms": ["cabin", "closet"]})
    [(_, text)] = pinned_room_unfit(make([small], people, rooms=rooms))
    assert "none of which seats its 100 attendees: " in text and "booth" not in text
    assert list(pinned_room_unfit(make([session("s1", attendance=100, interpretation="optional",
                                                 pin={"rooms": ["hall", "cabin"]})], people, rooms=rooms))) == []
