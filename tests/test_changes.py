"""What a re-plan changes for people (`scheduler solve --previous` says it in one line): the sessions moved,
added or gone, and the interpreters and speakers whose agendas differ."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from scheduler.changes import Changes, changes
from scheduler.event import Event
from scheduler.loading import load_event, load_timetable
from scheduler.timetable import Timetable

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EVENT = load_event(FIXTURES / "school.json")
BEFORE = load_timetable(FIXTURES / "school.timetable.json", EVENT)


def edited(tt: Timetable, sid: str, **update) -> Timetable:
    """`tt` with the placement of `sid` updated (or dropped with drop=True)."""
    drop = update.pop("drop", False)
    placements = [p if p.session != sid else p.model_copy(update=update) for p in tt.sessions
                  if not (drop and p.session == sid)]
    return tt.model_copy(update={"sessions": placements})


def test_the_same_timetable_changes_nothing():
    assert changes(EVENT, BEFORE, BEFORE) == Changes([], [], [], [], [])


def test_a_session_moved_concerns_its_speakers_and_interpreters():
    s07 = next(p for p in BEFORE.sessions if p.session == "s07")  # asiddiqui; i-clefebvre, i-jfgagnon into fr
    later = edited(BEFORE, "s07", start=s07.start + timedelta(hours=2), end=s07.end + timedelta(hours=2))
    assert changes(EVENT, BEFORE, later) == Changes(["s07"], [], [], ["i-jfgagnon", "i-clefebvre"], ["asiddiqui"])
    elsewhere = edited(BEFORE, "s07", room="salle-b")
    assert changes(EVENT, BEFORE, elsewhere).moved == ["s07"]


def test_an_interpreter_taken_off_and_one_put_on_are_both_concerned():
    s05 = next(p for p in BEFORE.sessions if p.session == "s05")  # i-dmacleod into en
    swapped = edited(BEFORE, "s05", channels=[s05.channels[0].model_copy(update={"interpreters": ["i-eroy"]})])
    # its speaker's agenda names the interpreters of the session, so it changed, but he need not be told: the
    # languages he is interpreted into are the same (a probe found 4 of 7 speakers listed for that alone)
    assert changes(EVENT, BEFORE, swapped) == Changes([], [], [], ["i-dmacleod", "i-eroy"], [],
                                                      speakers_minor=("fpelletier",))


def test_a_dropped_session_concerns_its_interpreters_and_speakers():
    # (The event still lists s05 here, so its speaker is known; once it is taken out of the event, it is not.)
    assert changes(EVENT, BEFORE, edited(BEFORE, "s05", drop=True)) == \
        Changes([], [], ["s05"], ["i-dmacleod"], ["fpelletier"])


def test_an_added_session_concerns_its_speakers_and_interpreters():
    without = edited(BEFORE, "s05", drop=True)
    assert changes(EVENT, without, BEFORE) == Changes([], ["s05"], [], ["i-dmacleod"], ["fpelletier"])


def test_a_new_team_mate_or_source_concerns_who_stays():
    s01 = next(p for p in BEFORE.sessions if p.session == "s01")  # i-swilson and i-dmacleod into en
    mate = s01.channels[0].model_copy(update={"interpreters": ["i-swilson", "i-eroy"]})
    assert changes(EVENT, BEFORE, edited(BEFORE, "s01", channels=[mate])).interpreters == \
        ["i-swilson", "i-dmacleod", "i-eroy"]
    relay = s01.channels[0].model_copy(update={"via": "es"})
    assert changes(EVENT, BEFORE, edited(BEFORE, "s01", channels=[relay])).interpreters == ["i-swilson", "i-dmacleod"]


def edited_event(**sessions) -> Event:
    """The school with the speakers of some sessions replaced (`s14=["gbergeron"]`), or sessions removed (None)."""
    data = EVENT.model_dump(mode="json")
    data["sessions"] = [{**s, "speakers": sessions.get(s["id"], s["speakers"])} for s in data["sessions"]
                        if sessions.get(s["id"], ()) is not None]
    return Event.model_validate(data)


def test_speakers_taken_off_or_put_on_a_session_are_concerned_when_the_event_as_it_was_is_known():
    """Timetables name no speaker: with the event as it was, a speaker taken off s14 or put on s13, or one of a
    session removed from the event, is seen; without it, the new event's speakers stand for the old ones."""
    now = edited_event(s14=["gbergeron"], s13=["asiddiqui", "mlavoie"])
    assert changes(now, BEFORE, BEFORE).speakers == []
    assert changes(now, BEFORE, BEFORE, EVENT).speakers == ["mlavoie", "fpelletier"]
    smaller = edited_event(s05=None)
    without = edited(BEFORE, "s05", drop=True)
    assert changes(smaller, BEFORE, without) == Changes([], [], ["s05"], ["i-dmacleod"], [])
    assert changes(smaller, BEFORE, without, EVENT) == Changes([], [], ["s05"], ["i-dmacleod"], ["fpelletier"])


def test_a_channel_left_unstaffed_or_staffed_anew_is_said_and_its_speakers_told():
    """s07 (optional interpretation, asiddiqui) loses its French channel's interpreters: its audience loses them,
    which a probe's organiser found only by comparing timetables; the reverse is said too."""
    s07 = next(p for p in BEFORE.sessions if p.session == "s07")
    assert [c.into for c in s07.channels if c.interpreters] == ["fr"]
    bare = edited(BEFORE, "s07", channels=[c.model_copy(update={"interpreters": []}) for c in s07.channels])
    lost = changes(EVENT, BEFORE, bare)
    assert lost.unstaffed == (("s07", ("fr",)),) and lost.staffed == ()
    assert lost.speakers == ["asiddiqui"] and lost.speakers_minor == ()
    gained = changes(EVENT, bare, BEFORE)
    assert gained.staffed == (("s07", ("fr",)),) and gained.unstaffed == ()
    gone = edited(BEFORE, "s07", channels=[])  # a channel left out of the timetable is unstaffed as well
    assert changes(EVENT, BEFORE, gone).unstaffed == (("s07", ("fr",)),)
    # a session removed is said as such, not as channels lost
    assert changes(EVENT, BEFORE, edited(BEFORE, "s07", drop=True)).unstaffed == ()
