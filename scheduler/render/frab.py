"""The c3voc/frab `schedule.json` that conference apps read (schema: fixtures/c3voc-schedule.schema.json).

Events of that format forbid extra keys, so the interpretation channels go into each event's `description`
(localised text); the other-language titles go into `subtitle`. Guids are uuid5 (as pretalx makes them), of the
event and session ids for events, of the event and person ids for persons, and of the event and room ids for rooms.
The schema's `acronym` pattern (lower-case letters, digits and `_`, at least 4 characters) is met by folding the
event id into it (`ehm-2021` -> `ehm_2021`). The schema requires an absolute `url` for each event; without a
web site known to us it is the event's `urn:uuid:` name.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader
from .ics import guid
from .view import days, event_name, ordered

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def acronym(event_id: str) -> str:
    text = re.sub(r"[^a-z0-9_]", "_", event_id.lower())
    return text + "_" * max(0, 4 - len(text))


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _zone_name(zone: str) -> str | None:
    # The schema's pattern accepts Area/City names (and UTC); omit an exotic zone name rather than fail.
    return zone if re.match(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$", zone) else None


def schedule(event: Event, timetable: Timetable, reader: Reader) -> dict:
    _ = reader._
    ev = event.event
    acro = acronym(ev.id)
    number = {s.id: i + 1 for i, s in enumerate(event.sessions)}
    rooms_used = {p.room for p in timetable.sessions}
    rooms = [{"name": r.name, "guid": guid(ev.id, "room", r.id), "capacity": r.capacity}
             for r in event.rooms if r.id in rooms_used]
    placements = {p.session: p for p in timetable.sessions}
    out_days = []
    for index, day in enumerate(days(event, timetable, reader), start=1):
        by_room: dict[str, list[dict]] = {r["name"]: [] for r in rooms}
        for s in day.sessions:
            p = placements[s.id]
            session = event.session[s.id]
            minutes = p.minutes
            lines = [_("Language: %(language)s", language=s.language_name),
                     _("Interpretation: %(channels)s", channels=s.interpretation_text)]
            by_room.setdefault(s.room, []).append({
                "guid": guid(ev.id, s.id),
                "id": number[s.id],
                "date": s.start.isoformat(),
                "start": s.start.strftime("%H:%M"),
                "end": s.end.isoformat(),
                "duration": _hhmm(minutes),
                "room": s.room,
                "slug": f"{acro}-{number[s.id]}-{slug(s.title.text)}".strip("-_"),
                "url": f"urn:uuid:{guid(ev.id, s.id)}",
                "title": s.title.shown,
                "subtitle": " / ".join(text for _lang, text in s.other_titles) or None,
                "track": session.track,
                "type": "plenary" if s.plenary else "talk",
                "language": s.language,
                "abstract": None,
                "description": "\n".join(lines),
                "persons": [{"name": name, "guid": guid(ev.id, "speaker", sid)}
                            for sid, name in zip(s.speaker_ids, s.speakers)],
                "links": [],
            })
        starts = [s.start for s in day.sessions]
        ends = [s.end for s in day.sessions]
        windows = [d for d in ev.days if d.date == day.date]
        if windows:
            lo, hi = event.day_window(windows[0])
            starts.append(event.aware(lo))
            ends.append(event.aware(hi))
        out_days.append({
            "index": index,
            "date": day.date.isoformat(),
            "day_start": min(starts).astimezone(reader.zone).isoformat(),
            "day_end": max(ends).astimezone(reader.zone).isoformat(),
            "rooms": by_room,
        })
    first = min((d.date for d in ev.days), default=None)
    last = max((d.date for d in ev.days), default=None)
    placed = ordered(event, timetable)
    conference = {
        "acronym": acro,
        "title": event_name(event, reader).text,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "daysCount": len(ev.days),
        "timeslot_duration": _hhmm(ev.slot_minutes),
        "rooms": rooms,
        "days": out_days,
    }
    zone = _zone_name(ev.timezone)
    if zone:
        conference["time_zone_name"] = zone
    digest = hashlib.sha256(timetable.to_json().encode("utf-8")).hexdigest()[:12]
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "scheduler"},
        "schedule": {"version": f"{len(placed)} sessions, {digest}", "conference": conference},
    }


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    return json.dumps(schedule(event, timetable, reader), ensure_ascii=False, indent=2) + "\n"
