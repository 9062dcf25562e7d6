"""Invalid input is refused the same way everywhere: exit code 2, one line per problem on stderr,
`FILE: json.path: reason`, every problem of the file at once, never a traceback, never a file written.

The table cases run the real command line in a subprocess (so a traceback would really show), each in its own
folder. Subprocesses are slow, so a session fixture starts all the selected cases at once on every core and each
test then asserts on its own result. Random input is fuzzed in-process (hypothesis) against `loading.parse`.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.cli import cli
from scheduler.event import Event
from scheduler.loading import InputError, load_event, parse
from scheduler.timetable import Timetable

# --- a small valid event and a valid timetable for it -------------------------------------------------------

BASE_EVENT: dict[str, Any] = {
    "event": {
        "id": "conf-2024",
        "name": {"fr": "Conférence d'essai", "en": "Test conference"},
        "timezone": "America/Toronto",
        "languages": ["fr", "en"],
        "slot_minutes": 15,
        "days": [
            {"date": "2024-03-01", "start": "09:00", "end": "17:00",
             "breaks": [{"start": "12:00", "end": "13:00"}]},
            {"date": "2024-03-02", "start": "09:00", "end": "13:00"},
        ],
        "audience": [{"timezone": "Europe/Paris", "share": 0.3}, {"timezone": "America/Toronto", "share": 0.7}],
        "awake": {"start": "08:00", "end": "22:00"},
        "weights": {"relay": 40},
        "team_size": {"solo_max_minutes": 40, "team": 2},
        "interpreter_rest": {"max_continuous": 180, "min_break": 30},
    },
    "rooms": [
        {"id": "main", "name": "Salle principale", "capacity": 300, "channels": 2, "max_interpreters": 20,
         "unavailable": [{"start": "2024-03-02T09:00", "end": "2024-03-02T10:00"}]},
        {"id": "side", "name": "Side room", "capacity": 60, "channels": 1},
    ],
    "speakers": [
        {"id": "aw", "name": "Ana Whitfield", "timezone": "Europe/London",
         "unavailable": [{"start": "2024-03-01T09:00", "end": "2024-03-01T10:00"}], "max_sessions_per_day": 2},
        {"id": "jb", "name": "Jean Bouchard"},
    ],
    "interpreters": [
        {"id": "i-fr1", "name": "Marie Tremblay", "languages": {"A": ["fr"], "B": ["en"], "C": ["es"]},
         "locale": "fr_CA", "timezone": "America/Toronto", "unavailable": [], "max_minutes_per_day": 360},
        {"id": "i-en1", "name": "John Smith", "languages": {"A": ["en"], "C": ["fr"]}},
        {"id": "i-x", "name": "Pat Pairs", "pairs": [["en", "fr"], ["fr", "en"]],
         "unavailable": [{"start": "2024-03-01T14:00", "end": "2024-03-01T15:00"}]},
    ],
    "sessions": [
        {"id": "s1", "title": {"fr": "Ouverture", "en": "Opening"}, "duration": 60, "speakers": ["aw"],
         "language": "en", "kind": "plenary", "attendance": 200,
         "pin": {"day": "2024-03-01", "start": "10:00", "room": "main"}},
        {"id": "s2", "title": {"en": "Workshop"}, "duration": 30, "speakers": ["jb"], "language": "fr",
         "interpretation": "optional", "track": "t1", "attendance": 40, "after": ["s1"],
         "preferred": [{"start": "2024-03-01T13:00", "end": "2024-03-01T17:00"}]},
        {"id": "s3", "title": {"fr": "Table ronde"}, "duration": 90, "speakers": ["aw", "jb"], "language": "fr",
         "track": "t1", "after": ["s1", "s2"], "pin": {"room": "main"}},
        {"id": "s4", "title": {"en": "Closing"}, "duration": 45, "language": "en", "interpretation": "none"},
    ],
}

BASE_TIMETABLE: dict[str, Any] = {
    "event": "conf-2024", "status": "optimal", "objective": 30, "bound": 30, "solve_seconds": 0.5,
    "sessions": [
        {"session": "s1", "room": "main", "start": "2024-03-01T10:00:00-05:00", "end": "2024-03-01T11:00:00-05:00",
         "channels": [{"into": "fr", "from": "en", "interpreters": ["i-fr1", "i-x"]}]},
        {"session": "s2", "room": "side", "start": "2024-03-01T13:00:00-05:00", "end": "2024-03-01T13:30:00-05:00",
         "channels": [{"into": "en", "from": "fr", "interpreters": ["i-en1"]}]},
        {"session": "s3", "room": "main", "start": "2024-03-01T14:00:00-05:00", "end": "2024-03-01T15:30:00-05:00",
         "channels": [{"into": "en", "from": "fr", "interpreters": ["i-en1", "i-fr1"]}]},
        {"session": "s4", "room": "side", "start": "2024-03-02T10:00:00-05:00", "end": "2024-03-02T10:45:00-05:00",
         "channels": []},
    ],
    "costs": [
        {"goal": "retour", "interpreters": ["i-fr1"], "sessions": ["s3"], "cost": 10},
        {"goal": "interpreter_day", "interpreters": ["i-x"], "day": "2024-03-01", "cost": 20},
    ],
}


def dumps(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


# --- mutations: a path written like the expected JSON path, and what to do there ----------------------------

_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def steps(path: str) -> list[str | int]:
    out: list[str | int] = []
    pos = 0
    while pos < len(path):
        m = _STEP.match(path, pos)
        assert m, f"bad test path {path!r} at {pos}"
        out.append(m[1] if m[1] is not None else int(m[2]))
        pos = m.end()
    return out


def put(path: str, value: Any) -> Callable[[Any], None]:
    """Set (or add) the value at `path`."""

    def apply(data: Any) -> None:
        *parents, last = steps(path)
        for p in parents:
            data = data[p]
        data[last] = copy.deepcopy(value)

    return apply


def drop(path: str) -> Callable[[Any], None]:
    """Remove the key (or list item) at `path`."""

    def apply(data: Any) -> None:
        *parents, last = steps(path)
        for p in parents:
            data = data[p]
        del data[last]

    return apply


def mutated(base: dict, *changes: Callable[[Any], None]) -> dict:
    data = copy.deepcopy(base)
    for change in changes:
        change(data)
    return data


# --- the cases -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    verb: str                       # "validate" or "check"
    files: tuple[tuple[str, bytes], ...]
    args: tuple[str, ...]
    blamed: str                     # the file the lines must name
    path: str | None                # the JSON path one line must give (None: a file-level problem)
    reason: str | None = None       # a word the reason must contain (case-insensitive)
    usage: bool = False             # click's own usage error (a folder): not in our line format


def E(id: str, changes, path: str | None, reason: str | None = None) -> Case:
    """An event case: the base event changed, given to `scheduler validate`."""
    changes = changes if isinstance(changes, list) else [changes]
    return Case(id, "validate", (("ev.json", dumps(mutated(BASE_EVENT, *changes))),), ("ev.json",),
                "ev.json", path, reason)


def E_raw(id: str, raw: bytes, path: str | None, reason: str | None = None, *, usage: bool = False) -> Case:
    """An event case given as the raw bytes of the file."""
    return Case(id, "validate", (("ev.json", raw),), ("ev.json",), "ev.json", path, reason, usage)


def T(id: str, changes, path: str | None, reason: str | None = None) -> Case:
    """A timetable case: the base timetable changed, given to `scheduler check` with the valid base event."""
    changes = changes if isinstance(changes, list) else [changes]
    return T_raw(id, dumps(mutated(BASE_TIMETABLE, *changes)), path, reason)


def T_raw(id: str, raw: bytes, path: str | None, reason: str | None = None) -> Case:
    return Case(id, "check", (("ev.json", dumps(BASE_EVENT)), ("tt.json", raw)), ("ev.json", "tt.json"),
                "tt.json", path, reason)


BASE_TEXT = json.dumps(BASE_EVENT, ensure_ascii=False)  # one line, ", " and ": " separators

EVENT_CASES = [
    # --- wrong JSON types and values of numbers -----------------------------------------------------------
    E("duration-string", put("sessions[0].duration", "60"), "sessions[0].duration", "should be a whole number (e.g. 60, without quotes), got \"60\""),
    E("duration-float", put("sessions[0].duration", 60.5), "sessions[0].duration", "whole number"),
    E("duration-bool", put("sessions[0].duration", True), "sessions[0].duration", "whole number"),
    E("duration-null", put("sessions[0].duration", None), "sessions[0].duration"),
    E("duration-negative", put("sessions[0].duration", -15), "sessions[0].duration", "greater than 0"),
    E("duration-zero", put("sessions[0].duration", 0), "sessions[0].duration"),
    # pydantic's "Input should be ..." : the line's path already says which input
    E("duration-over-a-day", put("sessions[0].duration", 1500), "sessions[0].duration",
      "sessions[0].duration: should be less than or equal to 1440, got 1500"),
    E("kind-literal-wording", put("sessions[1].kind", "keynote"), "sessions[1].kind",
      "sessions[1].kind: should be 'plenary' or 'parallel', got \"keynote\""),
    E("duration-off-grid", put("sessions[0].duration", 50), "sessions[0].duration", "multiple of slot_minutes"),
    E("duration-huge", put("sessions[0].duration", 15 * 10**30), "sessions[0].duration", "too large"),
    E("duration-list", put("sessions[3].duration", [45]), "sessions[3].duration"),
    E("slot-zero", put("event.slot_minutes", 0), "event.slot_minutes"),
    E("slot-not-dividing-day", put("event.slot_minutes", 7), "event.slot_minutes", "divide"),
    E("slot-too-long", put("event.slot_minutes", 2880), "event.slot_minutes"),
    E("slot-string", put("event.slot_minutes", "15"), "event.slot_minutes"),
    E("capacity-negative", put("rooms[0].capacity", -1), "rooms[0].capacity"),
    E("channels-negative", put("rooms[1].channels", -2), "rooms[1].channels"),
    E("max-interpreters-string", put("rooms[0].max_interpreters", "20"), "rooms[0].max_interpreters"),
    E("max-sessions-negative", put("speakers[0].max_sessions_per_day", -1), "speakers[0].max_sessions_per_day"),
    E("max-minutes-float", put("interpreters[0].max_minutes_per_day", 1.5), "interpreters[0].max_minutes_per_day"),
    E("attendance-negative", put("sessions[1].attendance", -5), "sessions[1].attendance"),
    E("team-zero", put("event.team_size.team", 0), "event.team_size.team"),
    E("rest-zero", put("event.interpreter_rest.max_continuous", 0), "event.interpreter_rest.max_continuous"),
    E("weight-negative", put("event.weights.relay", -5), "event.weights.relay"),
    E("weight-string", put("event.weights.relay", "high"), "event.weights.relay"),
    E("share-over-one", put("event.audience[0].share", 1.5), "event.audience[0].share"),
    E("share-negative", put("event.audience[1].share", -0.1), "event.audience[1].share"),
    E("share-string", put("event.audience[0].share", "0.3"), "event.audience[0].share"),
    E("shares-sum-over-one", put("event.audience[0].share", 0.5), "event.audience", "add up"),
    E("interpretation-unknown", put("sessions[0].interpretation", "maybe"), "sessions[0].interpretation",
      "required"),
    E("kind-unknown", put("sessions[0].kind", "keynote"), "sessions[0].kind", "plenary"),
    E("track-number", put("sessions[1].track", 3), "sessions[1].track"),
    E("room-name-number", put("rooms[0].name", 3), "rooms[0].name"),
    E("speaker-name-null", put("speakers[1].name", None), "speakers[1].name"),
    # --- unknown and missing keys ---------------------------------------------------------------------------
    E("unknown-top-key", put("speaker", []), "speaker", "unknown key"),
    E("unknown-event-key", put("event.time_zone", "UTC"), "event.time_zone", "unknown key"),
    E("unknown-day-key", put("event.days[0].lunch", "12:00"), "event.days[0].lunch", "unknown key"),
    E("unknown-break-key", put("event.days[0].breaks[0].length", 60), "event.days[0].breaks[0].length",
      "unknown key"),
    E("unknown-awake-key", put("event.awake.from", "08:00"), "event.awake.from", "unknown key"),
    E("unknown-weight", put("event.weights.relays", 5), "event.weights.relays", "unknown key"),
    E("unknown-team-size-key", put("event.team_size.size", 2), "event.team_size.size", "unknown key"),
    E("unknown-rest-key", put("event.interpreter_rest.pause", 30), "event.interpreter_rest.pause", "unknown key"),
    E("unknown-audience-key", put("event.audience[0].percent", 30), "event.audience[0].percent", "unknown key"),
    E("unknown-room-key", put("rooms[1].booths", 2), "rooms[1].booths", "unknown key"),
    E("unknown-period-key", put("rooms[0].unavailable[0].until", "x"), "rooms[0].unavailable[0].until",
      "unknown key"),
    E("unknown-speaker-key", put("speakers[0].email", "a@b.c"), "speakers[0].email", "unknown key"),
    E("unknown-interpreter-key", put("interpreters[1].language", "en"), "interpreters[1].language",
      "unknown key"),
    E("unknown-class", put("interpreters[0].languages.D", ["de"]), "interpreters[0].languages.D", "unknown key"),
    E("unknown-session-key", put("sessions[0].durration", 60), "sessions[0].durration", "unknown key"),
    E("unknown-pin-key", put("sessions[0].pin.hour", "10:00"), "sessions[0].pin.hour", "unknown key"),
    E("unknown-key-with-brackets", lambda d: d["sessions"][2].update({"x[0]": 1}), 'sessions[2]["x[0]"]',
      "unknown key"),
    E("unknown-key-with-newline", lambda d: d["rooms"][0].update({"a\nb": 1}), 'rooms[0]["a\\nb"]', "unknown key"),
    E("missing-event", drop("event"), "event", "missing"),
    E("missing-rooms", drop("rooms"), "rooms", "missing"),
    E("missing-event-id", drop("event.id"), "event.id", "missing"),
    E("missing-timezone", drop("event.timezone"), "event.timezone", "missing"),
    E("missing-days", drop("event.days"), "event.days", "missing"),
    E("missing-day-end", drop("event.days[1].end"), "event.days[1].end", "missing"),
    E("missing-room-capacity", drop("rooms[1].capacity"), "rooms[1].capacity", "missing"),
    E("missing-speaker-name", drop("speakers[0].name"), "speakers[0].name", "missing"),
    E("missing-interpreter-id", drop("interpreters[2].id"), "interpreters[2].id", "missing"),
    E("missing-session-language", drop("sessions[2].language"), "sessions[2].language", "missing"),
    E("missing-session-title", drop("sessions[3].title"), "sessions[3].title", "missing"),
    # --- containers of the wrong shape ----------------------------------------------------------------------
    E("rooms-empty", put("rooms", []), "rooms", "empty"),
    E("rooms-object", put("rooms", {"main": {}}), "rooms", "list"),
    E("speakers-null", put("speakers", None), "speakers", "list"),
    E("sessions-string", put("sessions", "s1"), "sessions", "list"),
    E("session-string", put("sessions[1]", "s2"), "sessions[1]", "object"),
    E("days-empty", put("event.days", []), "event.days", "empty"),
    E("breaks-object", put("event.days[0].breaks", {"start": "12:00", "end": "13:00"}), "event.days[0].breaks"),
    E("unavailable-object", put("speakers[0].unavailable", {"start": "2024-03-01T09:00"}),
      "speakers[0].unavailable"),
    E("event-list", put("event", []), "event", "object"),
    E("name-empty", put("event.name", {}), "event.name", "empty"),
    E("title-empty", put("sessions[0].title", {}), "sessions[0].title", "empty"),
    E("title-string", put("sessions[0].title", "Opening"), "sessions[0].title", "object of texts by language"),
    E("name-string", put("event.name", "Winter School"), "event.name", 'e.g. {"fr": "...", "en": "..."}'),
    E("title-value-number", put("sessions[0].title.en", 5), "sessions[0].title.en"),
    E("pin-string", put("sessions[0].pin", "main"), "sessions[0].pin", "object"),
    # --- time zones -----------------------------------------------------------------------------------------
    E("pin-rooms-unknown", put("sessions[2].pin", {"rooms": ["main", "hall"]}), "sessions[2].pin.rooms[1]",
      "unknown room 'hall'"),
    E("pin-room-and-rooms", put("sessions[2].pin", {"room": "main", "rooms": ["main", "side"]}), "sessions[2].pin.rooms",
      "not both"),
    E("pin-rooms-empty", put("sessions[2].pin", {"rooms": []}), "sessions[2].pin.rooms", "empty"),
    # A near miss comes with the closest right value.
    E("key-misspelt", put("speakers[0].max_session_per_day", 2), "speakers[0].max_session_per_day",
      "did you mean 'max_sessions_per_day'?"),
    E("key-misspelt-deep", put("interpreters[0].languages.b", ["en"]), "interpreters[0].languages.b",
      "did you mean 'B'?"),
    E("timezone-city-only", put("event.timezone", "Dakar"), "event.timezone", "did you mean 'Africa/Dakar'?"),
    E("timezone-case", put("speakers[0].timezone", "Europe/paris"), "speakers[0].timezone",
      "did you mean 'Europe/Paris'?"),
    E("room-id-case", put("sessions[0].pin.room", "Main"), "sessions[0].pin.room", "did you mean 'main'?"),
    E("timezone-unknown", put("event.timezone", "Mars/Olympus"), "event.timezone", "time zone"),
    E("timezone-folder", put("event.timezone", "America"), "event.timezone", "time zone"),
    E("timezone-not-a-zone-file", put("event.timezone", "localtime"), "event.timezone", "time zone"),
    E("timezone-path", put("event.timezone", "../../etc/passwd"), "event.timezone", "time zone"),
    E("timezone-empty", put("event.timezone", ""), "event.timezone", "time zone"),
    E("timezone-lowercase", put("event.timezone", "america/toronto"), "event.timezone", "time zone"),
    E("timezone-number", put("event.timezone", -5), "event.timezone"),
    E("speaker-timezone", put("speakers[0].timezone", "Europe/Londres"), "speakers[0].timezone", "time zone"),
    E("interpreter-timezone", put("interpreters[0].timezone", "EST+5"), "interpreters[0].timezone", "time zone"),
    E("audience-timezone", put("event.audience[0].timezone", "Asia"), "event.audience[0].timezone", "time zone"),
    # An offset gets a city's zone and IANA's fixed one, whose sign is inverted: never 'UTC' or 'Etc/GMT-3'.
    E("timezone-offset", put("event.timezone", "UTC+8"), "event.timezone",
      "a city's zone such as 'Asia/Shanghai', which follows that city's clock (and any daylight saving time), or 'Etc/GMT-8' for a "
      "fixed UTC+8 all year?"),
    E("timezone-offset-gmt", put("speakers[0].timezone", "GMT-3"), "speakers[0].timezone",
      "'Etc/GMT+3' for a fixed UTC-3"),
    E("timezone-offset-half-hour", put("event.audience[0].timezone", "+05:30"), "event.audience[0].timezone",
      "'Asia/Kolkata', which follows that city's clock (and any daylight saving time)? IANA has no zone of a fixed UTC+5:30"),
    # --- dates and times ------------------------------------------------------------------------------------
    E("date-impossible", put("event.days[0].date", "2024-02-30"), "event.days[0].date", "exist"),
    E("date-not-leap-year", put("event.days[1].date", "2023-02-29"), "event.days[1].date", "exist"),
    E("date-format", put("event.days[0].date", "01/03/2024"), "event.days[0].date", "YYYY-MM-DD"),
    E("date-short", put("event.days[0].date", "2024-3-1"), "event.days[0].date", "YYYY-MM-DD"),
    E("date-trailing-newline", put("event.days[0].date", "2024-03-01\n"), "event.days[0].date"),
    E("date-number", put("event.days[0].date", 20240301), "event.days[0].date", "YYYY-MM-DD"),
    E("time-hour-25", put("event.days[0].start", "25:00"), "event.days[0].start", "HH:MM"),
    E("time-minute-60", put("event.days[0].end", "16:60"), "event.days[0].end", "HH:MM"),
    E("time-one-digit-hour", put("event.days[0].start", "9:00"), "event.days[0].start", "HH:MM"),
    E("time-with-seconds", put("event.days[0].start", "09:00:00"), "event.days[0].start", "HH:MM"),
    E("time-number", put("event.days[0].start", 900), "event.days[0].start", "HH:MM"),
    E("time-off-grid", put("event.days[0].start", "09:05"), "event.days[0].start", "grid"),
    E("day-end-before-start", put("event.days[1].end", "08:00"), "event.days[1].end", "after"),
    E("day-end-equals-start", put("event.days[1].end", "09:00"), "event.days[1].end", "after"),
    E("day-listed-twice", put("event.days[1].date", "2024-03-01"), "event.days[1].date", "twice"),
    # the calendar's last day crashed the solver and the ICS rendering (OverflowError), after `validate` passed
    E("day-year-9999", put("event.days[1].date", "9999-12-31"), "event.days[1].date", "years 1900 to 2999"),
    # a day moved to 2999 by mistake built a model for 31 s and 8.7 GB; 60 days of 1-minute slots never finished
    E("days-span-centuries", put("event.days[1].date", "2999-03-01"), "event.days", "within 366 days"),
    E("slots-too-many", [put("event.slot_minutes", 1), put("event.days", BASE_EVENT["event"]["days"] + [
        {"date": f"2024-04-{i + 1:02d}", "start": "00:00", "end": "23:59"} for i in range(14)])],
      "event.slot_minutes", "more than the 20,000"),
    # NUL and ESC reached the HTML and calendars as raw bytes
    E("name-control-character", put("speakers[0].name", "Nom\u0000avec\u001b[31m"), "speakers[0].name",
      "control character U+0000"),
    # a language listed twice gave two channels staffed by the same people, written as "optimal"
    E("audience-language-twice", put("event.languages", ["en", "fr", "fr"]), "event.languages[2]", "listed twice"),
    # ids become file names: a 300-letter one passed, then `assignments` failed ("File name too long")
    E("id-too-long", put("interpreters[0].id", "i" * 101), "interpreters[0].id", "at most 100 characters"),
    E("break-outside-day", put("event.days[1].breaks", [{"start": "14:00", "end": "15:00"}]),
      "event.days[1].breaks[0]", "not inside"),
    E("break-past-day-end", put("event.days[0].breaks[0].end", "17:30"), "event.days[0].breaks[0]", "not inside"),
    E("break-before-day", put("event.days[0].breaks[0].start", "08:00"), "event.days[0].breaks[0]", "not inside"),
    E("break-reversed", put("event.days[0].breaks[0].start", "13:30"), "event.days[0].breaks[0].end", "after"),
    E("break-off-grid", put("event.days[0].breaks[0].start", "12:10"), "event.days[0].breaks[0].start", "grid"),
    E("awake-reversed", put("event.awake", {"start": "22:00", "end": "08:00"}), "event.awake.end", "after"),
    E("period-impossible-date", put("rooms[0].unavailable[0].start", "2024-02-30T09:00"),
      "rooms[0].unavailable[0].start", "exist"),
    E("period-hour-24", put("rooms[0].unavailable[0].end", "2024-03-02T24:00"), "rooms[0].unavailable[0].end"),
    E("period-with-offset", put("rooms[0].unavailable[0].start", "2024-03-02T09:00-05:00"),
      "rooms[0].unavailable[0].start", "offset"),
    E("period-utc-z", put("speakers[0].unavailable[0].start", "2024-03-01T09:00Z"),
      "speakers[0].unavailable[0].start", "offset"),
    E("period-space", put("speakers[0].unavailable[0].start", "2024-03-01 09:00"),
      "speakers[0].unavailable[0].start"),
    E("period-number", put("interpreters[2].unavailable[0].end", 1709301600), "interpreters[2].unavailable[0].end"),
    E("period-reversed", put("speakers[0].unavailable[0].end", "2024-03-01T08:00"),
      "speakers[0].unavailable[0].end", "after"),
    E("preferred-reversed", put("sessions[1].preferred[0].end", "2024-03-01T12:00"), "sessions[1].preferred[0].end",
      "after"),
    # --- languages ------------------------------------------------------------------------------------------
    E("language-unknown", put("sessions[0].language", "xx"), "sessions[0].language", "language"),
    E("language-uppercase", put("sessions[0].language", "EN"), "sessions[0].language", "'en'"),
    E("language-dash", put("interpreters[0].locale", "fr-CA"), "interpreters[0].locale", "as 'fr_CA'"),
    # ISO 639-2 codes: Babel reads 'eng' as en_US, but the advice must be the event's kind of code, 'en'
    E("language-three-letters", put("sessions[0].language", "eng"), "sessions[0].language", "as 'en'"),
    E("language-three-letters-b", put("interpreters[0].languages.B[0]", "eng"), "interpreters[0].languages.B[0]",
      "as 'en'"),
    E("language-empty", put("sessions[1].language", ""), "sessions[1].language"),
    E("language-root", put("sessions[1].language", "root"), "sessions[1].language"),
    E("language-null", put("sessions[1].language", None), "sessions[1].language"),
    E("event-language-unknown", put("event.languages", ["fr", "klingon"]), "event.languages[1]", "language"),
    E("event-languages-empty", put("event.languages", []), "event.languages", "empty"),
    E("event-name-language", put("event.name.zz", "Zz"), "event.name.zz", "language"),
    E("event-name-empty-key", put("event.name", {"": "x"}), 'event.name[""]', "language"),
    E("title-language", put("sessions[1].title", {"zz": "x"}), "sessions[1].title.zz", "language"),
    E("class-language", put("interpreters[0].languages.A", ["qq"]), "interpreters[0].languages.A[0]", "language"),
    E("class-not-a-list", put("interpreters[1].languages.C", "fr"), "interpreters[1].languages.C", "list"),
    # --- interpreter pairs ----------------------------------------------------------------------------------
    E("pair-one-language", put("interpreters[2].pairs[0]", ["en"]), "interpreters[2].pairs[0]", "two languages"),
    E("pair-three-languages", put("interpreters[2].pairs[1]", ["en", "fr", "de"]), "interpreters[2].pairs[1]",
      "two languages"),
    E("pair-empty", put("interpreters[2].pairs[0]", []), "interpreters[2].pairs[0]", "two languages"),
    E("pair-string", put("interpreters[2].pairs[1]", "en-fr"), "interpreters[2].pairs[1]", "two languages"),
    E("pair-same-language", put("interpreters[2].pairs[1]", ["en", "en"]), "interpreters[2].pairs[1]", "different"),
    E("pair-unknown-language", put("interpreters[2].pairs[1]", ["en", "xx"]), "interpreters[2].pairs[1][1]",
      "language"),
    E("pairs-object", put("interpreters[2].pairs", {"en": "fr"}), "interpreters[2].pairs", "list"),
    # --- ids ------------------------------------------------------------------------------------------------
    E("id-parent-folder", put("sessions[1].id", "../x"), "sessions[1].id", "not a valid id"),
    E("id-leading-dot", put("rooms[1].id", ".hidden"), "rooms[1].id", "not a valid id"),
    E("id-slash", put("speakers[1].id", "a/b"), "speakers[1].id", "not a valid id"),
    E("id-space", put("interpreters[0].id", "i fr"), "interpreters[0].id", "not a valid id"),
    E("id-empty", put("speakers[0].id", ""), "speakers[0].id", "not a valid id"),
    E("id-trailing-newline", put("sessions[3].id", "s4\n"), "sessions[3].id", "not a valid id"),
    E("id-non-ascii", put("rooms[0].id", "salle-é"), "rooms[0].id", "not a valid id"),
    E("id-number", put("sessions[0].id", 1), "sessions[0].id"),
    E("event-id-escapes", put("event.id", "../../etc"), "event.id", "not a valid id"),
    E("duplicate-room", put("rooms[1].id", "main"), "rooms[1].id", "duplicate"),
    E("duplicate-speaker", put("speakers[1].id", "aw"), "speakers[1].id", "duplicate"),
    E("duplicate-interpreter", put("interpreters[2].id", "i-en1"), "interpreters[2].id", "duplicate"),
    E("duplicate-session", put("sessions[3].id", "s2"), "sessions[3].id", "duplicate"),
    # --- references between parts of the file ---------------------------------------------------------------
    E("unknown-speaker", put("sessions[0].speakers", ["nobody"]), "sessions[0].speakers[0]", "unknown speaker"),
    E("speaker-listed-twice", put("sessions[2].speakers", ["aw", "aw"]), "sessions[2].speakers", "twice"),
    E("after-unknown", put("sessions[1].after", ["s9"]), "sessions[1].after[0]", "unknown session"),
    E("after-itself", put("sessions[1].after", ["s2"]), "sessions[1].after[0]", "itself"),
    E("after-cycle-of-two", put("sessions[0].after", ["s3"]), "sessions[0].after", "cycle"),
    E("after-cycle-of-three", [put("sessions[0].after", ["s4"]), put("sessions[3].after", ["s3"])],
      "sessions[0].after", "cycle"),
    E("pin-unknown-room", put("sessions[0].pin.room", "hall"), "sessions[0].pin.room", "unknown room"),
    E("pin-bad-room-id", put("sessions[2].pin.room", "../main"), "sessions[2].pin.room", "not a valid id"),
    E("pin-day-not-in-event", put("sessions[0].pin.day", "2024-03-05"), "sessions[0].pin.day", "event's days"),
    E("pin-day-impossible", put("sessions[0].pin.day", "2024-02-31"), "sessions[0].pin.day", "exist"),
    E("pin-start-off-grid", put("sessions[0].pin.start", "10:05"), "sessions[0].pin.start", "grid"),
    E("pin-start-format", put("sessions[0].pin.start", "10h00"), "sessions[0].pin.start", "HH:MM"),
]

RAW_EVENT_CASES = [
    E_raw("file-empty", b"", None, "empty"),
    E_raw("file-blank", b"  \n\t\n", None, "empty"),
    E_raw("file-latin-1", BASE_TEXT.encode("latin-1"), None, "UTF-8"),
    E_raw("file-utf-16", BASE_TEXT.encode("utf-16"), None, "UTF-16 text, not UTF-8: save it as UTF-8"),
    E_raw("file-utf-16-no-bom", BASE_TEXT.encode("utf-16-be"), None, "UTF-16 text, not UTF-8"),
    E_raw("file-utf-32", BASE_TEXT.encode("utf-32"), None, "UTF-32 text, not UTF-8"),
    E_raw("file-binary", bytes(range(256)), None),
    # zero bytes first, as UTF-32 text has them, but no UTF-32 text: not told to save it as UTF-8
    E_raw("file-binary-zeros", b"\x00\x00\x00\x01binarydata", None, "not valid JSON"),
    E_raw("json-truncated", BASE_TEXT[:200].encode(), None, "not valid JSON"),
    E_raw("json-trailing-comma", b'{"rooms": [],}', None, "not valid JSON"),
    E_raw("json-comment", b'{"event": {} // jsonc is not json\n}', None, "not valid JSON"),
    E_raw("json-single-quotes", b"{'event': {}}", None, "not valid JSON"),
    E_raw("json-two-documents", b"{} {}", None, "not valid JSON"),
    E_raw("json-too-deep", b"[" * 100_000 + b"]" * 100_000, None, "nested"),
    E_raw("json-integer-too-long", b'{"event": 1' + b"0" * 5000 + b"}", None),
    E_raw("json-nan", BASE_TEXT.replace('"share": 0.3', '"share": NaN').encode(), "event.audience[0].share", "NaN"),
    E_raw("json-infinity", BASE_TEXT.replace('"capacity": 60', '"capacity": Infinity').encode(),
          "rooms[1].capacity", "Infinity"),
    E_raw("json-float-overflow", BASE_TEXT.replace('"capacity": 60', '"capacity": 1e400').encode(),
          "rooms[1].capacity", "too large"),
    E_raw("json-duplicate-key", BASE_TEXT.replace('"duration": 30', '"duration": 30, "duration": 45').encode(),
          "sessions[1].duration", "more than once"),
    E_raw("json-lone-surrogate", BASE_TEXT.replace('"Side room"', '"Side \\ud800room"').encode(),
          "rooms[1].name", "surrogate"),
    E_raw("root-null", b"null", "$", "object"),
    E_raw("root-list", b"[]", "$", "object"),
    E_raw("root-string", b'"event"', "$", "object"),
    E_raw("root-number", b"42", "$", "object"),
    E_raw("root-empty-object", b"{}", "event", "missing"),
]

TIMETABLE_CASES = [
    T_raw("tt-empty", b"", None, "empty"),
    T_raw("tt-malformed", b'{"event": "conf-2024", ', None, "not valid JSON"),
    T_raw("tt-not-utf8", b'{"event": "conf\xe9"}', None, "UTF-8"),
    T_raw("tt-root-list", b"[]", "$", "object"),
    T("tt-unknown-key", put("score", 3), "score", "unknown key"),
    T("tt-unknown-placement-key", put("sessions[0].rooms", "main"), "sessions[0].rooms", "unknown key"),
    T("tt-unknown-channel-key", put("sessions[0].channels[0].to", "fr"), "sessions[0].channels[0].to",
      "unknown key"),
    T("tt-missing-sessions", drop("sessions"), "sessions", "missing"),
    T("tt-missing-into", drop("sessions[1].channels[0].into"), "sessions[1].channels[0].into", "missing"),
    T("tt-naive-start", put("sessions[0].start", "2024-03-01T10:00:00"), "sessions[0].start", "offset"),
    T("tt-date-only-end", put("sessions[2].end", "2024-03-01"), "sessions[2].end", "offset"),
    T("tt-clock-only-start", put("sessions[1].start", "13:00"), "sessions[1].start"),
    T("tt-start-number", put("sessions[1].start", 1709316000), "sessions[1].start"),
    T("tt-impossible-date", put("sessions[3].start", "2024-02-30T10:00:00-05:00"), "sessions[3].start"),
    T("tt-status", put("status", "done"), "status", "optimal"),
    T("tt-objective-string", put("objective", "30"), "objective", "whole number"),
    T("tt-solve-seconds-negative", put("solve_seconds", -1), "solve_seconds"),
    T("tt-from-language", put("sessions[0].channels[0].from", "xx"), "sessions[0].channels[0].from", "language"),
    T("tt-bad-interpreter-id", put("sessions[0].channels[0].interpreters[0]", "../x"),
      "sessions[0].channels[0].interpreters[0]", "not a valid id"),
    T("tt-cost-day", put("costs[1].day", "2024-02-30"), "costs[1].day", "exist"),
    T("tt-cost-float", put("costs[0].cost", 1.5), "costs[0].cost", "whole number"),
    # costs were not checked at all: any goal name, a negative cost, ids the event does not have
    T("tt-cost-goal", put("costs[0].goal", "nonsense"), "costs[0].goal", "is not a goal"),
    T("tt-cost-negative", put("costs[0].cost", -1), "costs[0].cost", "greater than or equal to 0"),
    T("tt-cost-unknown-session", put("costs[0].sessions", ["s9"]), "costs[0].sessions[0]", "unknown session"),
    T("tt-cost-unknown-interpreter", put("costs[0].interpreters", ["i-zz"]), "costs[0].interpreters[0]",
      "unknown interpreter"),
    T("tt-cost-language", put("costs[0].language", "de"), "costs[0].language", "not one of the event's languages"),
    T("tt-wrong-event", put("event", "other-2024"), "event", "other-2024"),
    T("tt-unknown-session", put("sessions[1].session", "s9"), "sessions[1].session", "unknown session"),
    T("tt-unknown-room", put("sessions[0].room", "hall"), "sessions[0].room", "unknown room"),
    T("tt-unknown-interpreter", put("sessions[2].channels[0].interpreters[1]", "i-zz"),
      "sessions[2].channels[0].interpreters[1]", "unknown interpreter"),
    T_raw("tt-duplicate-key", json.dumps(BASE_TIMETABLE).replace('"bound": 30', '"bound": 30, "bound": 0').encode(),
          "bound", "more than once"),
]

# Problems in the file-reading layer, not in the JSON: the argument itself.
FILE_CASES = [
    Case("file-missing", "validate", (), ("nope.json",), "nope.json", None, "no such file"),
    Case("file-is-a-folder", "validate", (), ("ev.json",), "ev.json", None, None, usage=True),
    Case("tt-missing", "check", (("ev.json", dumps(BASE_EVENT)),), ("ev.json", "tt.json"), "tt.json", None,
         "no such file"),
    Case("check-with-bad-event", "check",
         (("ev.json", dumps(mutated(BASE_EVENT, put("sessions[0].duration", 50)))),
          ("tt.json", dumps(BASE_TIMETABLE))),
         ("ev.json", "tt.json"), "ev.json", "sessions[0].duration", "multiple"),
]

# A timetable that places a session twice is a breach for `check`, and refused (exit 2) everywhere else: a re-plan's
# past kept the last placement, `solve --previous --now` failed in CP-SAT's hint (exit 70), and renderings doubled it.
TWICE = dumps(mutated(BASE_TIMETABLE, lambda d: d["sessions"].append(
    {**copy.deepcopy(d["sessions"][0]), "room": "side", "start": "2024-03-01T15:45:00-05:00",
     "end": "2024-03-01T16:45:00-05:00"})))
GOOD = (("ev.json", dumps(BASE_EVENT)), ("tt.json", dumps(BASE_TIMETABLE)), ("old.json", TWICE))
PREVIOUS_CASES = [
    Case("previous-session-twice-check", "check", GOOD,
         ("ev.json", "tt.json", "--previous", "old.json", "--now", "2024-03-02T12:00"), "old.json",
         "sessions[4].session", "placed twice (also sessions[0])"),
    Case("previous-session-twice-solve", "solve", GOOD,
         ("ev.json", "-o", "new.json", "--previous", "old.json", "--now", "2024-03-01T16:00", "--time-limit", "5"),
         "old.json", "sessions[4].session", "placed twice"),
    Case("previous-session-twice-assignments", "assignments", GOOD,
         ("ev.json", "tt.json", "--previous", "old.json", "-o", "agendas"), "old.json", "sessions[4].session",
         "placed twice"),
    Case("render-session-twice", "render", GOOD,
         ("ev.json", "old.json", "--locale", "en_CA", "--format", "md", "-o", "out.md"), "old.json",
         "sessions[4].session", "placed twice"),
]

ALL_CASES = EVENT_CASES + RAW_EVENT_CASES + TIMETABLE_CASES + FILE_CASES + PREVIOUS_CASES
assert len({c.id for c in ALL_CASES}) == len(ALL_CASES), "case ids must be unique"


# --- running the command line ---------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    before: dict[str, bytes]        # every file of the folder before the run, with its bytes
    after: dict[str, bytes]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<folder>")
            for p in sorted(folder.rglob("*"))}


def run_cli(folder: Path, verb: str, *args: str) -> Run:
    before = snapshot(folder)
    proc = subprocess.run([sys.executable, "-m", "scheduler", verb, *args], cwd=folder, capture_output=True,
                          timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
               before, snapshot(folder))


def prepare(folder: Path, case: Case) -> None:
    folder.mkdir(parents=True)
    for name, data in case.files:
        (folder / name).write_bytes(data)
    if case.id == "file-is-a-folder":
        (folder / "ev.json").mkdir()


# Every case runs through the command line in-process (click's runner: fast; an exception escaping the command
# fails the test) and a sample also in a real subprocess, where a traceback would reach the user's terminal.
SUBPROCESS_CASES = RAW_EVENT_CASES + FILE_CASES + EVENT_CASES[::10] + TIMETABLE_CASES[::6]


def run_in_process(folder: Path, verb: str, *args: str) -> Run:
    before = snapshot(folder)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, [verb, *args], catch_exceptions=True)
    finally:
        os.chdir(cwd)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))  # starts "Traceback ..."
    return Run(result.exit_code, result.stdout, stderr, before, snapshot(folder))


@pytest.fixture(scope="session")
def cli_runs(request, tmp_path_factory) -> dict[str, Run]:
    """Run the selected subprocess cases at once, each in its own folder, on every core."""
    wanted = {item.callspec.params["case"].id for item in request.session.items
              if getattr(item, "originalname", "") == "test_invalid_input_is_refused_in_a_subprocess"}
    cases = [c for c in SUBPROCESS_CASES if c.id in wanted]
    root = tmp_path_factory.mktemp("cli")

    def one(case: Case) -> tuple[str, Run]:
        folder = root / case.id
        prepare(folder, case)
        return case.id, run_cli(folder, case.verb, *case.args)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(one, cases))


LINE = re.compile(r"^(?P<file>[^:\n]+): (?P<rest>.+)$")


def assert_refused(case: Case, run: Run) -> None:
    report = f"exit {run.code}\n--- stderr:\n{run.stderr}\n--- stdout:\n{run.stdout}"
    assert "Traceback" not in run.stderr + run.stdout, report
    assert run.code == 2, report
    assert run.stdout == "", report
    assert run.after == run.before, "the run created, removed or changed a file\n" + report
    lines = run.stderr.splitlines()
    assert lines, report
    assert case.blamed in run.stderr, report
    if case.usage:
        return
    for line in lines:  # one line per problem, each naming the file first
        m = LINE.match(line)
        assert m and m["file"] == case.blamed, f"line not of the form '{case.blamed}: ...': {line!r}\n{report}"
    if case.path is None:
        chosen = lines
    else:
        chosen = [line for line in lines if line.startswith(f"{case.blamed}: {case.path}: ")]
        assert chosen, f"no line for the path {case.path!r}\n{report}"
    if case.reason is not None:
        assert any(case.reason.lower() in line.lower() for line in chosen), \
            f"no reason mentioning {case.reason!r}\n{report}"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_invalid_input_is_refused(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    prepare(folder, case)
    assert_refused(case, run_in_process(folder, case.verb, *case.args))


@pytest.mark.parametrize("case", SUBPROCESS_CASES, ids=lambda c: c.id)
def test_invalid_input_is_refused_in_a_subprocess(case: Case, cli_runs: dict[str, Run]) -> None:
    assert_refused(case, cli_runs[case.id])


# --- whole-file behaviour ---------------------------------------------------------------------------------------


def test_valid_base_event_passes_validate(tmp_path: Path) -> None:
    (tmp_path / "ev.json").write_bytes(dumps(BASE_EVENT))
    run = run_cli(tmp_path, "validate", "ev.json")
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    assert "4 sessions" in run.stdout
    assert run.after == run.before  # the input is never modified, nothing is written


def test_valid_base_timetable_passes_check(tmp_path: Path) -> None:
    (tmp_path / "ev.json").write_bytes(dumps(BASE_EVENT))
    (tmp_path / "tt.json").write_bytes(dumps(BASE_TIMETABLE))
    run = run_cli(tmp_path, "check", "ev.json", "tt.json")
    assert run.code == 0, run.stdout + run.stderr
    assert run.after == run.before


def test_bases_are_valid_in_process() -> None:
    event = parse(Event, copy.deepcopy(BASE_EVENT), "ev.json")
    assert len(event.sessions) == 4
    parse(Timetable, copy.deepcopy(BASE_TIMETABLE), "tt.json")


def test_every_field_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    data = mutated(
        BASE_EVENT,
        put("event.timezone", "Mars/Olympus"),
        put("rooms[1].capacity", -1),
        put("sessions[0].duration", "60"),
        put("sessions[2].durration", 90),
        put("interpreters[2].pairs[0]", ["en"]),
        put("speakers[1].id", "../jb"),
        drop("sessions[3].language"),
    )
    (tmp_path / "ev.json").write_bytes(dumps(data))
    run = run_cli(tmp_path, "validate", "ev.json")
    assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
    expected = ["event.timezone", "rooms[1].capacity", "sessions[0].duration", "sessions[2].durration",
                "interpreters[2].pairs[0]", "speakers[1].id", "sessions[3].language",
                # renaming speaker jb to '../jb' also leaves the sessions that cite 'jb' dangling:
                "sessions[1].speakers[0]", "sessions[2].speakers[1]"]
    lines = run.stderr.splitlines()
    for path in expected:
        assert any(line.startswith(f"ev.json: {path}: ") for line in lines), f"{path} not reported:\n{run.stderr}"
    assert len(lines) == len(expected), run.stderr  # and nothing twice
    assert run.after == run.before


def test_every_cross_reference_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    data = mutated(
        BASE_EVENT,
        put("sessions[0].speakers", ["aw", "nobody"]),
        put("sessions[0].pin.room", "hall"),
        put("sessions[1].after", ["s9"]),
        put("sessions[3].duration", 50),
        put("rooms[1].id", "main"),
        put("event.days[1].breaks", [{"start": "14:00", "end": "15:00"}]),
        put("event.audience[0].share", 0.9),
        put("speakers[0].unavailable[0].end", "2024-03-01T08:00"),
    )
    (tmp_path / "ev.json").write_bytes(dumps(data))
    run = run_cli(tmp_path, "validate", "ev.json")
    assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
    expected = ["sessions[0].speakers[1]", "sessions[0].pin.room", "sessions[1].after[0]", "sessions[3].duration",
                "rooms[1].id", "event.days[1].breaks[0]", "event.audience", "speakers[0].unavailable[0].end"]
    lines = run.stderr.splitlines()
    for path in expected:
        assert any(line.startswith(f"ev.json: {path}: ") for line in lines), f"{path} not reported:\n{run.stderr}"
    assert len(lines) >= len(expected)


def test_every_problem_of_a_timetable_is_reported(tmp_path: Path) -> None:
    bad_refs = mutated(BASE_TIMETABLE, put("sessions[0].session", "s9"),
                       put("sessions[1].room", "hall"), put("sessions[2].channels[0].interpreters[0]", "i-zz"))
    # another event's timetable: that alone is said (every one of its ids would be unknown here)
    other_event = mutated(BASE_TIMETABLE, put("event", "other"), put("sessions[0].session", "s9"))
    bad_fields = mutated(BASE_TIMETABLE, put("status", "done"), put("sessions[0].start", "2024-03-01T10:00"),
                         put("sessions[3].channels", [{"into": "fr", "from": "en", "via": "xx"}]), put("extra", 1))
    for name, data, expected in [
        ("refs.json", bad_refs, ["sessions[0].session", "sessions[1].room",
                                 "sessions[2].channels[0].interpreters[0]"]),
        ("other.json", other_event, ["event"]),
        ("fields.json", bad_fields, ["status", "sessions[0].start", "sessions[3].channels[0].via", "extra"]),
    ]:
        (tmp_path / "ev.json").write_bytes(dumps(BASE_EVENT))
        (tmp_path / name).write_bytes(dumps(data))
        run = run_cli(tmp_path, "check", "ev.json", name)
        assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
        lines = run.stderr.splitlines()
        for path in expected:
            assert any(line.startswith(f"{name}: {path}: ") for line in lines), f"{path} missing:\n{run.stderr}"
        assert len(lines) == len(expected), run.stderr


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    # Odd but valid bytes (BOM, CRLF, tabs, non-ASCII) must come back identical, valid or not.
    valid = b"\xef\xbb\xbf" + dumps(BASE_EVENT).replace(b"\n", b"\r\n").replace(b" ", b"\t")
    invalid = dumps(mutated(BASE_EVENT, put("sessions[0].duration", -15), put("event.timezone", "Nowhere")))
    timetable = dumps(BASE_TIMETABLE)
    for verb, files in [
        ("validate", {"ev.json": valid}),
        ("validate", {"ev.json": invalid}),
        ("check", {"ev.json": valid, "tt.json": timetable}),
        ("check", {"ev.json": invalid, "tt.json": timetable}),
        ("check", {"ev.json": valid, "tt.json": timetable.replace(b'"optimal"', b'"best"')}),
    ]:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        for name, data in files.items():
            (folder / name).write_bytes(data)
        stamps = {name: (folder / name).stat().st_mtime_ns for name in files}
        run = run_cli(folder, verb, *files)
        assert "Traceback" not in run.stderr
        assert run.code in (0, 2), run.stderr
        for name, data in files.items():
            assert (folder / name).read_bytes() == data
            assert (folder / name).stat().st_mtime_ns == stamps[name]
        assert run.after == run.before


def test_messages_name_the_file_as_given(tmp_path: Path) -> None:
    sub = tmp_path / "in put"
    sub.mkdir()
    (sub / "my event.json").write_bytes(dumps(mutated(BASE_EVENT, put("sessions[0].duration", -15))))
    run = run_cli(tmp_path, "validate", "in put/my event.json")
    assert run.code == 2
    assert run.stderr.startswith("in put/my event.json: sessions[0].duration: "), run.stderr


# --- fuzzing in-process: anything JSON can hold gives an Event or an InputError, nothing else -------------------

JSON_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=20)
# Strings that look almost right reach the deeper validators (zones, languages, clocks, dates, ids).
NEAR_MISSES = st.sampled_from([
    "America", "America/Toronto", "Etc", "localtime", "posixrules", "UTC", "Factory", "../x", ".x", "x\n", "",
    "fr", "en", "EN", "fr_CA", "fr-CA", "root", "und", "zh_Hant_TW", "i-klingon", "@", "_", "x" * 300,
    "09:00", "9:00", "24:00", "23:59\n", "2024-03-01", "2024-02-30", "0000-01-01", "9999-12-31",
    "2024-03-01T10:00", "2024-03-01T10:00-05:00", "2024-03-01T24:00", "s1", "s2", "main", "aw", "i-x",
])


def _expect_event_or_input_error(data: object, source: str = "x.json") -> None:
    try:
        result = parse(Event, data, source)
    except InputError as exc:
        assert exc.lines
        for line in exc.lines:
            assert line.startswith(f"{source}: ")
            assert "\n" not in line and "\r" not in line
        return
    assert isinstance(result, Event)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_random_json_gives_an_event_or_an_input_error(data: object) -> None:
    _expect_event_or_input_error(data)


def _all_paths(value: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _all_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _all_paths(item, (*prefix, i))
    return out


EVENT_PATHS = _all_paths(BASE_EVENT)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(EVENT_PATHS), JSON_VALUES | NEAR_MISSES), min_size=1, max_size=3))
def test_random_values_in_a_valid_event_give_an_event_or_an_input_error(changes) -> None:
    data = copy.deepcopy(BASE_EVENT)
    for path, value in changes:
        target = data
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change replaced a parent of this path
    _expect_event_or_input_error(data)


TIMETABLE_PATHS = _all_paths(BASE_TIMETABLE)


@settings(max_examples=50, deadline=None)
@given(st.tuples(st.sampled_from(TIMETABLE_PATHS), JSON_VALUES | NEAR_MISSES))
def test_random_values_in_a_timetable_give_a_timetable_or_an_input_error(change) -> None:
    data = copy.deepcopy(BASE_TIMETABLE)
    path, value = change
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    try:
        assert isinstance(parse(Timetable, data, "t.json"), Timetable)
    except InputError as exc:
        assert all(line.startswith("t.json: ") and "\n" not in line for line in exc.lines)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes_as_a_file_give_an_event_or_an_input_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ev.json"
        path.write_bytes(raw)
        try:
            assert isinstance(load_event(path), Event)
        except InputError as exc:
            assert exc.lines and all(line.startswith(f"{path}: ") for line in exc.lines)
        assert path.read_bytes() == raw


def test_field_problems_and_reference_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    """A typo does not hide a dangling reference, a duplicate id or a cycle until the next run."""
    data = mutated(
        BASE_EVENT,
        put("sessions[0].duration", "60"),
        put("sessions[0].speakers", ["aw", "nobody"]),
        put("rooms[1].id", "main"),
        put("sessions[1].after", ["s9"]),
    )
    (tmp_path / "ev.json").write_bytes(dumps(data))
    run = run_cli(tmp_path, "validate", "ev.json")
    assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
    for path in ["sessions[0].duration", "sessions[0].speakers[1]", "rooms[1].id", "sessions[1].after[0]"]:
        assert any(line.startswith(f"ev.json: {path}: ") for line in run.stderr.splitlines()), run.stderr


def test_an_input_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    # a FIFO made validate wait forever; /dev/zero was read until the memory ran out
    import os

    fifo = tmp_path / "event.fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = CliRunner().invoke(cli, ["validate", str(path)])
        assert result.exit_code == 2 and result.output == f"{path}: not a regular file\n"


def test_a_file_with_very_many_problems_gets_their_count(tmp_path: Path) -> None:
    # 150,000 unknown references took two minutes (a list searched for repeats) and printed every one
    data = copy.deepcopy(BASE_EVENT)
    data["sessions"][0]["speakers"] = [f"nobody-{i}" for i in range(5000)]
    path = tmp_path / "ev.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    lines = CliRunner().invoke(cli, ["validate", str(path)]).output.splitlines()
    assert len(lines) == 201 and lines[-1] == f"{path}: and 4,800 more problems like these"
    assert all(line.startswith(f"{path}: sessions[0].speakers[") for line in lines[:200])


def test_a_problem_with_a_huge_value_gets_one_short_line(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE_EVENT)
    data["event"]["timezone"] = "Europe/" + "x" * 100_000
    path = tmp_path / "ev.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and all(len(line) <= 500 for line in result.output.splitlines())


# --- the program's own failures: never exit 1, which means breaches -----------------------------------------

SCHOOL = Path(__file__).resolve().parent.parent / "fixtures" / "school.json"


@pytest.mark.parametrize("raised, code, words", [
    (RuntimeError("boom"), 70, "internal error, not a problem of the input: RuntimeError: boom"),
    # OR-Tools' TypeError (a --seed past 32 bits) listed the accepted signatures over several lines
    (TypeError("incompatible function arguments:\n    1. (arg0: int) -> None\n"), 70,
     "TypeError: incompatible function arguments: 1. (arg0: int) -> None. Please report"),
    (KeyboardInterrupt(), 130, "interrupted; nothing was written"),
])
def test_a_bug_or_ctrl_c_outside_the_solver_gets_its_own_exit_code(monkeypatch, capsys, raised, code, words):
    import scheduler.lint
    from scheduler.cli import main

    def fail(*args, **kwargs):
        raise raised

    monkeypatch.setattr(scheduler.lint, "notes", fail)
    monkeypatch.setattr(sys, "argv", ["scheduler", "validate", str(SCHOOL)])
    monkeypatch.delenv("SCHEDULER_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == code
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_program_keeps_click_s_exit_codes(monkeypatch, capsys):
    from scheduler.cli import main

    for argv, code in ((["--help"], 0), (["solve"], 2), (["validate", str(SCHOOL)], 0)):
        monkeypatch.setattr(sys, "argv", ["scheduler", *argv])
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == code, argv
    assert "Missing argument" in capsys.readouterr().err


# --- bad options: exit 2 before any work, nothing written ---------------------------------------------------------

SCHOOL_TIMETABLE = SCHOOL.with_name("school.timetable.json")


@pytest.mark.parametrize("args, words", [
    # CP-SAT's seed is 32 bits: 2**31 was an internal error (exit 70) after the event was read
    (["solve", "{event}", "-o", "{out}", "--seed", str(2**31)], "--seed"),
    (["solve", "{event}", "-o", "{out}", "--seed", str(-(2**31) - 1)], "--seed"),
    # FloatRange let 'nan' through: the solver got no time and wrote a poor timetable, exit 0
    (["solve", "{event}", "-o", "{out}", "--time-limit", "nan"], "'nan' is not a number of seconds"),
    (["solve", "{event}", "-o", "{out}", "--time-limit", "inf"], "'inf' is not a number of seconds"),
    (["explain", "{event}", "--time-limit", "NaN"], "'NaN' is not a number of seconds"),
    # 'none' with a zone was told "'none' is not an IANA time zone ..., nor 'none'"
    (["render", "{event}", "{timetable}", "--locale", "fr_CA", "--format", "md", "-o", "{out}", "--also-tz", "none",
      "--also-tz", "Europe/Paris"], "'none' (no other zone shown) cannot be combined with zones"),
    # each CP-SAT worker takes memory, and the decomposition forks them all: --workers 100000 ran out of memory
    (["solve", "{event}", "-o", "{out}", "--workers", "100000"], "--workers"),
    (["explain", "{event}", "--workers", "257"], "--workers"),
], ids=["seed-2**31", "seed-below-int32", "time-limit-nan", "time-limit-inf", "explain-time-limit-nan",
        "also-tz-none-and-a-zone", "workers-100000", "explain-workers-257"])
def test_a_bad_option_is_refused_before_any_work(tmp_path, args, words):
    out = tmp_path / "out.json"
    argv = [a.format(event=SCHOOL, timetable=SCHOOL_TIMETABLE, out=out) for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_zone_given_twice_is_shown_once(tmp_path):
    out = tmp_path / "t.md"
    result = CliRunner().invoke(cli, ["render", str(SCHOOL), str(SCHOOL_TIMETABLE), "--locale", "en_CA", "--format",
                                      "md", "-o", str(out), "--also-tz", "Asia/Tokyo", "--also-tz", "Asia/Tokyo"])
    assert result.exit_code == 0, result.output
    header = next(line for line in out.read_text("utf-8").splitlines() if line.startswith("| "))
    assert header.count("Tokyo") == 1, header


def test_assignments_write_nothing_when_a_folder_stands_where_a_file_must_be(tmp_path):
    # 32 agendas were written before the last speaker's calendar, a folder, failed with exit 2: half a folder
    out = tmp_path / "agendas"
    (out / "speakers" / "asiddiqui" / "assignments.ics").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["assignments", str(SCHOOL), str(SCHOOL_TIMETABLE), "-o", str(out)])
    assert result.exit_code == 2, result.output
    folder = out / "speakers" / "asiddiqui" / "assignments.ics"
    assert result.output == f"{folder}: cannot write: it is a folder, not a file\n"
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_the_largest_seed_plus_an_offset_stays_a_cp_sat_seed():
    # --seed 2147483647 with --method decompose: seed + 4 overflowed CP-SAT's 32-bit seed (exit 70)
    from scheduler.search import Search

    run = Search(load_event(SCHOOL), 1.0, 1, 2**31 - 1, None, None)
    assert run.solver(1.0, 4).parameters.random_seed == -(2**31) + 3
    assert Search(load_event(SCHOOL), 1.0, 1, -5, None, None).solver(1.0, 1).parameters.random_seed == -4


@pytest.mark.parametrize("argv, line", [
    (["render", "{event}", "{timetable}", "--format", "md", "-o", "{out}", "--locale", "xx"],
     "scheduler render: Invalid value for '--locale': 'xx' is not a locale known to CLDR (e.g. fr_CA, en_GB); "
     "see 'scheduler render --help'."),
    (["solve"], "scheduler solve: Missing argument 'EVENT.json'; see 'scheduler solve --help'."),
    (["check", "{event}", "{timetable}", "--previous", "{timetable}"],
     "scheduler check: --previous needs --now: check a re-plan made during the event; see 'scheduler check --help'."),
    # Click's parser raises this one without its command: it named `scheduler`
    (["solve", "{event}", "-o"], "scheduler solve: Option '-o' requires an argument; see 'scheduler solve --help'."),
    (["solv", "{event}"], "scheduler: No such command 'solv'. Did you mean 'solve'? See 'scheduler --help'."),
])
def test_a_usage_error_is_one_line(monkeypatch, capsys, tmp_path, argv, line):
    # Click printed four lines (usage, hint, a blank line, the error) where every other input error prints one
    from scheduler.cli import main

    out = tmp_path / "out.md"
    monkeypatch.setattr(sys, "argv", ["scheduler", *(a.format(event=SCHOOL, timetable=SCHOOL_TIMETABLE, out=out)
                                                     for a in argv)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    assert capsys.readouterr().err == line + "\n"
    assert not out.exists()


# --- offsets written as time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize("written, minutes, city, fixed", [
    ("UTC+8", 480, "Asia/Shanghai", "Etc/GMT-8"),
    ("UTC+08:00", 480, "Asia/Shanghai", "Etc/GMT-8"),
    ("GMT-3", -180, "America/Sao_Paulo", "Etc/GMT+3"),
    ("utc\u22125", -300, "America/New_York", "Etc/GMT+5"),  # a minus sign
    ("+05:30", 330, "Asia/Kolkata", None),  # Etc zones are whole hours only
    ("UTC+5:45", 345, "Asia/Kathmandu", None),
    ("UTC-12", -720, None, "Etc/GMT+12"),  # no city keeps UTC-12
])
def test_an_offset_written_as_a_zone_gets_the_zones_of_that_offset(written, minutes, city, fixed):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from scheduler.types import check_timezone

    with pytest.raises(ValueError) as raised:
        check_timezone(written)
    message = str(raised.value)
    assert message.startswith(f"{written!r} is not an IANA time zone (did you mean ") and "\n" not in message
    winter = datetime(2025, 1, 15, 12)
    if city is not None:
        assert f"a city's zone such as {city!r}, which follows that city's clock (and any daylight saving time)" in message, message
        local = winter.replace(tzinfo=ZoneInfo(city))
        assert local.utcoffset() - local.dst() == timedelta(minutes=minutes)
    if fixed is not None:  # the sign of Etc/GMT zones is inverted: check the zone, not the text
        assert f"{fixed!r} for a fixed UTC" in message, message
        assert winter.replace(tzinfo=ZoneInfo(fixed)).utcoffset() == timedelta(minutes=minutes)
    else:
        assert "IANA has no zone of a fixed UTC" in message, message


def test_the_cities_offered_for_offsets_have_one_standard_offset_each():
    from scheduler.types import _CITIES, _standard_offset, known_timezone

    assert all(known_timezone(z) for z in _CITIES)
    offsets = [_standard_offset(z) for z in _CITIES]
    assert offsets == sorted(set(offsets)), dict(zip(_CITIES, offsets))


def test_a_day_the_clocks_skipped_is_refused(tmp_path):
    # Samoa moved across the date line: Pacific/Apia had no 2011-12-30; validate passed it and solve then
    # reported a pin to that day as the reason no timetable exists
    from builders import day, event_dict, session

    def issues(date: str, start: str = "09:00", end: str = "12:00", zone: str = "Pacific/Apia") -> list[str]:
        path = tmp_path / "event.json"
        path.write_text(json.dumps(event_dict([session("s1")], timezone=zone,
                                              days=[day(date=date, start=start, end=end)])), "utf-8")
        try:
            load_event(path)
        except InputError as exc:
            return [str(exc)]
        return []

    [said] = issues("2011-12-30")
    assert "event.days[0].date: 2011-12-30 09:00-12:00 never shows on the clocks of Pacific/Apia: they skipped " \
           "those hours" in said
    assert issues("2011-12-31") == [] and issues("2011-12-29") == []
    # a day across an ordinary spring-forward hour exists: its sessions avoid that hour, as before
    assert issues("2021-03-14", "01:00", "05:00", "America/Toronto") == []
    [said] = issues("2021-03-14", "02:00", "03:00", "America/Toronto")  # but not a day within it
    assert "2021-03-14 02:00-03:00 never shows on the clocks of America/Toronto" in said
