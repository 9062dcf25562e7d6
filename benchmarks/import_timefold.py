#!/usr/bin/env python3
"""Convert a Timefold (OptaPlanner) conference-scheduling instance into our `event.json`.

The instances live in `../shared/bench-data/timefold/` (TimefoldAI/timefold-solver-benchmarks, Apache-2.0; see
the LICENSE file there). Only the benchmarks read them; the project's tests never do.

    .venv/bin/python benchmarks/import_timefold.py ../shared/bench-data/timefold/72talks-12timeslots-10rooms.json \\
        -o /tmp/tf72.json [--bilingual fr] [--interpreters N]

What maps to what:
- timeslots -> days: one day per date, from the first timeslot's start to the last one's end; every stretch of
  the day that no timeslot covers (lunch, coffee) becomes a break. Our model has no fixed timeslots, so talks
  may start on any 15-minute step of the day; the talk's own timeslots (`timeslotRange`, i.e. its talk type's)
  become its `preferred` windows, a soft goal.
- talks -> sessions: duration of the talk type's timeslots (45 or 120 minutes, on the 15-minute grid); the first
  theme track tag -> `track`; `prerequisiteTalkSet` -> `after`; a talk pinned by the user with a timeslot and a
  room -> `pin` (day, start, room), unless a speaker of the talk is unavailable then (216 talks: the pinned
  talk's speaker is; the pin is dropped with a warning, `--keep-conflicting-pins` keeps it and the event is then
  infeasible); `language` -> the session's floor language.
- rooms -> rooms with their capacity. Room/talk-type compatibility and room tags are not modelled (dropped).
- speakers -> speakers, `unavailableTimeslotSet` -> `unavailable` periods (one per timeslot).
- Dropped: tag preferences, audience levels, favourite counts (they exceed some room capacities, so they are not
  used as attendance), mutually exclusive talks, the minimum pause between consecutive talks.

All Timefold instances are English only. Then the event has one language and every session has interpretation
"none". With `--bilingual LANG` the event gets a second audience language LANG: every talk stays in its
language, its channel into LANG is `optional` (so the import stays feasible whatever the staffing), every room
gets one booth, and `--interpreters N` interpreters (default: two per room) are added, half with A=LANG B=en,
half with A=en B=LANG.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

from bilingual import add_language, add_options

TIMEZONE = "Europe/Brussels"  # Timefold's instances have no time zone; their "Javoxx" is Devoxx, in Antwerp


def _index(data: object) -> dict[str, dict]:
    """Every object with an `@id`, by that id (Jackson's references point to them)."""
    out: dict[str, dict] = {}

    def walk(x: object) -> None:
        if isinstance(x, dict):
            if "@id" in x:
                out[x["@id"]] = x
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _stamp(parts: list[int]) -> datetime:
    return datetime(*parts)


def convert(data: dict, *, bilingual: str | None = None, interpreters: int | None = None,
            keep_conflicting_pins: bool = False) -> dict:
    objs = _index(data)

    def get(ref):
        return objs[ref] if isinstance(ref, str) else ref

    slots = [get(t) for t in data["timeslotList"]]
    slot_span = {t["@id"]: (_stamp(t["startDateTime"]), _stamp(t["endDateTime"])) for t in slots}

    def period(ref) -> dict:
        start, end = slot_span[get(ref)["@id"]]
        return {"start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"}

    # Days and breaks.
    by_day: dict[date, list[tuple[datetime, datetime]]] = {}
    for start, end in slot_span.values():
        by_day.setdefault(start.date(), []).append((start, end))
    days = []
    for day, spans in sorted(by_day.items()):
        spans.sort()
        breaks, cursor = [], spans[0][1]
        for start, end in spans:
            if start > cursor:
                breaks.append({"start": f"{cursor:%H:%M}", "end": f"{start:%H:%M}"})
            cursor = max(cursor, end)
        days.append({"date": day.isoformat(), "start": f"{spans[0][0]:%H:%M}", "end": f"{cursor:%H:%M}",
                     "breaks": breaks})

    talks = data["talkList"]
    floor_languages = sorted({t.get("language") or "en" for t in talks})
    languages = list(floor_languages)

    room_ids = {}
    rooms = []
    for r in (get(r) for r in data["roomList"]):
        rid = f"r{r['id']}-{_slug(r['name'])}"
        room_ids[r["@id"]] = rid
        rooms.append({"id": rid, "name": r["name"], "capacity": int(r.get("capacity") or 0)})

    speaker_ids = {}
    speakers = []
    for s in (get(s) for s in data["speakerList"]):
        sid = f"sp{s['id']}"
        speaker_ids[s["@id"]] = sid
        speaker = {"id": sid, "name": s["name"]}
        unavailable = [period(ref) for ref in s.get("unavailableTimeslotSet", [])]
        if unavailable:
            speaker["unavailable"] = sorted(unavailable, key=lambda p: p["start"])
        speakers.append(speaker)

    # A talk's duration is that of its talk type's timeslots.
    type_duration = {}
    for tt in (get(t) for t in data["talkTypeList"]):
        lengths = {int((e - s).total_seconds() // 60) for s, e in
                   (slot_span[get(ref)["@id"]] for ref in tt.get("compatibleTimeslotSet", []))}
        type_duration[tt["@id"]] = max(lengths) if lengths else 45

    talk_ids = {t["@id"]: f"t{t['id']:03d}-{_slug(t.get('code') or str(t['id']))}" for t in talks}
    sessions = []
    for t in talks:
        duration = type_duration[get(t["talkType"])["@id"]]
        duration = max(15, round(duration / 15) * 15)
        language = t.get("language") or "en"
        session = {"id": talk_ids[t["@id"]], "title": {language: t.get("title") or t.get("code") or str(t["id"])},
                   "duration": duration, "language": language,
                   "speakers": [speaker_ids[get(s)["@id"]] for s in t.get("speakerList", [])]}
        session["interpretation"] = "none"
        if t.get("themeTrackTagSet"):
            session["track"] = _slug(sorted(t["themeTrackTagSet"])[0])
        after = [talk_ids[get(p)["@id"]] for p in t.get("prerequisiteTalkSet", [])]
        if after:
            session["after"] = after
        if t.get("pinnedByUser") and t.get("timeslot") and t.get("room"):
            start, end = slot_span[get(t["timeslot"])["@id"]]
            clash = [speaker_ids[get(s)["@id"]] for s in t.get("speakerList", [])
                     if any(slot_span[get(ref)["@id"]][0] < end and start < slot_span[get(ref)["@id"]][1]
                            for ref in get(s).get("unavailableTimeslotSet", []))]
            if clash and not keep_conflicting_pins:
                print(f"import_timefold: {talk_ids[t['@id']]}: pin dropped, speaker(s) {', '.join(clash)} "
                      f"unavailable then (the source data breaks its own hard rule)", file=sys.stderr)
            else:
                session["pin"] = {"day": start.date().isoformat(), "start": f"{start:%H:%M}",
                                  "room": room_ids[get(t["room"])["@id"]]}
        preferred = [period(ref) for ref in t.get("timeslotRange", [])]
        if preferred and len(preferred) < len(slots):
            session["preferred"] = sorted(preferred, key=lambda p: p["start"])
        sessions.append(session)

    name = data.get("conferenceName") or "Timefold conference"
    event = {
        "event": {"id": f"timefold-{len(talks)}", "name": {languages[0]: name}, "timezone": TIMEZONE,
                  "languages": languages, "slot_minutes": 15, "days": days},
        "rooms": rooms, "speakers": speakers, "interpreters": [], "sessions": sessions,
    }
    if bilingual or len(languages) > 1:
        add_language(event, bilingual or languages[0], interpreters)
    return event


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="a Timefold conference-scheduling JSON file")
    ap.add_argument("-o", "--output", type=Path, required=True)
    add_options(ap)
    ap.add_argument("--keep-conflicting-pins", action="store_true",
                    help="keep a pin whose speaker is unavailable at that time (the event is then infeasible)")
    args = ap.parse_args()
    event = convert(json.loads(args.source.read_text()), bilingual=args.bilingual, interpreters=args.interpreters,
                    keep_conflicting_pins=args.keep_conflicting_pins)
    args.output.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n")
    print(f"{args.output}: {len(event['sessions'])} sessions, {len(event['rooms'])} rooms, "
          f"{len(event['event']['days'])} days, {len(event['speakers'])} speakers, "
          f"{len(event['interpreters'])} interpreters, languages {', '.join(event['event']['languages'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
