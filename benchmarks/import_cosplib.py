#!/usr/bin/env python3
"""Convert a CoSPLib conference (an Excel workbook) into our `event.json`.

CoSPLib, the conference scheduling benchmark library (Pylyavskyy, Jacko, Kheiri; MIT licence, in
`../shared/bench-data/cosplib/`), holds 16 real conferences: N2OR, GECCO 2019-2023 (and their workshops), ISF 2022,
OR60 and two enlarged copies of it. Only the benchmarks read them; the project's tests never do. Reading the
workbooks needs `openpyxl` (`.venv/bin/pip install openpyxl`; not a dependency of the project).

    .venv/bin/python benchmarks/import_cosplib.py ../shared/bench-data/cosplib/Dataset/OR60F.xlsx -o /tmp/or60f.json \\
        [--bilingual fr] [--interpreters N]

What maps to what. CoSPLib plans on a grid: its "sessions" are blocks of time (a date, a start, an end, a number of
timeslots), each room of a block holds one track, and a submission needs some timeslots. Our model has no grid.
- blocks -> days: one day per date, from its first block's start to its last one's end; the stretches between
  blocks become breaks. A submission may start at any step of the `slot_minutes` grid inside a block. Blocks at
  the same time as another (the enlarged OR60F2 and OR60F3 add theirs all on one evening) move to days after the
  conference, at the same clock time, since each of our blocks gives every room once.
- timeslot length: the shortest of any block (its length divided by its number of timeslots), rounded down to 5
  minutes, so that every block holds at least the talks it was planned for (OR60: 90 / 4 -> 20 minutes; N2OR: 30;
  GECCO 2023: 90 / 10 = 9 -> 5). A submission of k timeslots becomes a session of k times that, at most the
  longest block planned with k timeslots or more.
- submissions -> sessions (rows without timeslots are skipped): track, presenters -> speakers (one place at a time),
  `Order` within a track -> `after` (each after those of the track with the order before it).
- penalties (track-block and submission-block) -> `preferred` windows: the blocks where neither the submission
  nor its track has one, when some but not all do (a soft goal, so the import stays feasible).
- rooms -> rooms (CoSPLib has no capacities: 1,000 each); a block-room penalty of 1,000 or more -> the room is
  `unavailable` then.
- time zones: the workbook's local zone -> the event's (`GMT+2` -> `Etc/GMT-2`); when the presenters live in
  several zones, those zones become the `audience`, each with its share of the submissions, and the workbook's
  "suitable scheduling times" become the `awake` hours.
- Dropped: room-track penalties (our sessions have no room preferences), similar tracks, tracks' rooms count,
  chairs and attendees (their conflicts), the distinction of less suitable and unsuitable times.

All CoSPLib conferences are in English: the event has one language and no interpretation, unless `--bilingual LANG`
adds a second audience language with optional channels and interpreters (see `bilingual.py`).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bilingual import add_language, add_options

ROOM_CAPACITY = 1000
UNAVAILABLE_FROM = 1000  # a block-room penalty from which the room is taken as unavailable then


def _rows(workbook, name: str) -> list[tuple]:
    sheet = next(ws for ws in workbook.worksheets if ws.title.lower() == name.lower())
    return [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]


def _matrix(workbook, name: str) -> dict[tuple[str, str], float]:
    """A penalty sheet: (row label, column label) -> value, empty cells left out."""
    rows = _rows(workbook, name)
    if not rows:
        return {}
    head = rows[0]
    return {(str(r[0]), str(head[j])): v for r in rows[1:] if r[0] is not None
            for j, v in enumerate(r) if j and head[j] is not None and isinstance(v, (int, float)) and v}


def _zone(text: str | None) -> str:
    """`GMT+2` -> `Etc/GMT-2` (POSIX signs are the other way round); half hours are rounded."""
    found = re.fullmatch(r"\s*(?:GMT|UTC)\s*([+-]\d+(?::\d+)?)?\s*", text or "")
    if not found or not found.group(1):
        return "Etc/GMT"
    hours, _, minutes = found.group(1).partition(":")
    offset = round(int(hours) + math.copysign(int(minutes or 0) / 60, int(hours)))
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def _clock(value) -> time:
    return value if isinstance(value, time) else datetime.strptime(str(value), "%H:%M:%S").time()


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _names(cell) -> list[str]:
    return [p.strip() for p in str(cell or "").replace(";", ",").split(",") if p.strip()]


def _parameters(workbook) -> dict[str, object]:
    """The parameters sheet's label -> value pairs (left column), the time windows by their heading."""
    out: dict[str, object] = {}
    heading = ""
    for row in _rows(workbook, "parameters"):
        label, value = (row + (None, None))[:2]
        if isinstance(label, str) and value is None:
            heading = label.strip().lower()
        elif isinstance(label, str):
            out[f"{heading} {label.strip().rstrip(':').lower()}".strip()] = value
    return out


def _unfolded(blocks: dict[str, tuple], name: str) -> dict[str, tuple]:
    """Blocks that share their time with an earlier one moved, at the same clock time, to the first day after
    the conference where it is free. CoSPLib's blocks are abstract (OR60F2 and OR60F3 add 8 and 24 blocks, all
    on 2 August 17:00-18:30); each of ours gives every room once, so blocks at one time would be one block."""
    taken: dict[date, list[tuple[int, int]]] = defaultdict(list)
    last = max(b[0] for b in blocks.values())
    out, moved = {}, 0
    for label, (day, start, end, slots) in blocks.items():
        if any(start < y and x < end for x, y in taken[day]):
            day = last + timedelta(days=1)
            while any(start < y and x < end for x, y in taken[day]):
                day += timedelta(days=1)
            moved += 1
        taken[day].append((start, end))
        out[label] = (day, start, end, slots)
    if moved:
        print(f"import_cosplib: {name}: {moved} block(s) sharing their time with another moved to days after the "
              f"conference", file=sys.stderr)
    return out


def convert(workbook, name: str, *, bilingual: str | None = None, interpreters: int | None = None) -> dict:
    params = _parameters(workbook)
    zone = _zone(str(params.get("sessions local time zone", "GMT+0")))

    blocks = {}  # block name -> (date, start minute, end minute, timeslots)
    for row in _rows(workbook, "sessions")[1:]:
        label, slots, day, start, end = row[:5]
        if label is None or day is None:
            continue
        day = day.date() if isinstance(day, datetime) else date.fromisoformat(str(day))
        blocks[str(label)] = (day, _minutes(_clock(start)), _minutes(_clock(end)), int(slots or 1))
    blocks = _unfolded(blocks, name)
    slot_length = max(5, min((b[2] - b[1]) // b[3] for b in blocks.values()) // 5 * 5)
    grid = math.gcd(slot_length, *(m for b in blocks.values() for m in b[1:3]))

    def duration(timeslots: int) -> int:
        """k timeslots, within the longest block planned with at least k of them (OR60's 4-talk submission
        fits only its 90-minute 4-talk block), on the grid."""
        room = max((b[2] - b[1] for b in blocks.values() if b[3] >= timeslots),
                   default=max(b[2] - b[1] for b in blocks.values()))
        return max(grid, min(timeslots * slot_length, room) // grid * grid)

    by_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for day, start, end, _ in blocks.values():
        by_day[day].append((start, end))
    days = []
    for day, spans in sorted(by_day.items()):
        spans.sort()
        breaks, cursor = [], spans[0][1]
        for start, end in spans[1:]:
            if start > cursor:
                breaks.append({"start": _hhmm(cursor), "end": _hhmm(start)})
            cursor = max(cursor, end)
        days.append({"date": day.isoformat(), "start": _hhmm(spans[0][0]), "end": _hhmm(cursor), "breaks": breaks})

    def period(block: str) -> dict:
        day, start, end, _ = blocks[block]
        return {"start": f"{day.isoformat()}T{_hhmm(start)}", "end": f"{day.isoformat()}T{_hhmm(end)}"}

    block_room = _matrix(workbook, "sessions_rooms|penalty")
    room_names = [str(r[0]) for r in _rows(workbook, "rooms")[1:] if r[0] is not None]
    rooms = []
    for i, room in enumerate(room_names):
        entry = {"id": f"r{i + 1:02d}-{_slug(room)}", "name": room, "capacity": ROOM_CAPACITY}
        away = [period(b) for b in blocks if block_room.get((b, room), 0) >= UNAVAILABLE_FROM]
        if away:
            entry["unavailable"] = sorted(away, key=lambda p: p["start"])
        rooms.append(entry)

    track_block = _matrix(workbook, "tracks_sessions|penalty")
    submissions = _rows(workbook, "submissions")
    head = [str(h) if h is not None else "" for h in submissions[0]]
    block_columns = {j: h for j, h in enumerate(head) if h in blocks}
    sessions, speakers, zones = [], {}, Counter()
    order_of: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    skipped = 0
    for index, row in enumerate(submissions[1:], 1):
        reference, track, needed, order, tz, presenters = row[:6]
        if reference is None or not needed:
            skipped += 1
            continue
        sid = f"s{index:04d}"
        track = str(track or "")
        session = {"id": sid, "title": {"en": str(reference)}, "duration": duration(int(needed)),
                   "language": "en", "interpretation": "none",
                   "speakers": list(dict.fromkeys(speakers.setdefault(p, f"sp-{_slug(p)}")
                                                  for p in _names(presenters)))}
        if track:
            session["track"] = _slug(track)
        fine = [b for b in blocks if not track_block.get((track, b)) and
                not any(row[j] for j, h in block_columns.items() if h == b and isinstance(row[j], (int, float)))]
        if fine and len(fine) < len(blocks):
            session["preferred"] = sorted((period(b) for b in fine), key=lambda p: p["start"])
        if isinstance(order, (int, float)) and order > 0:
            order_of[track][int(order)].append(sid)
        zones[_zone(tz) if tz else zone] += 1
        sessions.append(session)
    for ranks in order_of.values():
        for rank, ids in ranks.items():
            earlier = max((r for r in ranks if r < rank), default=None)
            if earlier is not None:
                for s in sessions:
                    if s["id"] in ids:
                        s["after"] = sorted(ranks[earlier])
    if skipped:
        print(f"import_cosplib: {name}: {skipped} submission row(s) without timeslots skipped", file=sys.stderr)

    settings = {"id": f"cosplib-{_slug(name)}", "name": {"en": name}, "timezone": zone, "languages": ["en"],
                "slot_minutes": grid, "days": days}
    if len(zones) > 1:
        total = sum(zones.values())
        shares = {z: round(n / total, 4) for z, n in zones.most_common()}
        first = next(iter(shares))
        shares[first] = round(shares[first] + 1 - sum(shares.values()), 4)  # the shares must add up to 1
        settings["audience"] = [{"timezone": z, "share": s} for z, s in shares.items()]
        start = params.get("suitable scheduling times from")
        end = params.get("suitable scheduling times to")
        if start is not None and end is not None:
            settings["awake"] = {"start": _clock(start).strftime("%H:%M"), "end": _clock(end).strftime("%H:%M")}
    event = {"event": settings, "rooms": rooms,
             "speakers": [{"id": sp, "name": person} for person, sp in speakers.items()],
             "interpreters": [], "sessions": sessions}
    if bilingual:
        add_language(event, bilingual, interpreters)
    return event


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="a CoSPLib workbook (Dataset/*.xlsx)")
    ap.add_argument("-o", "--output", type=Path, required=True)
    add_options(ap)
    args = ap.parse_args()
    try:
        import openpyxl
    except ImportError:
        print("import_cosplib: needs openpyxl (.venv/bin/pip install openpyxl)", file=sys.stderr)
        return 2
    workbook = openpyxl.load_workbook(args.source, read_only=True, data_only=True)
    event = convert(workbook, args.source.stem, bilingual=args.bilingual, interpreters=args.interpreters)
    args.output.write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n")
    print(f"{args.output}: {len(event['sessions'])} sessions, {len(event['rooms'])} rooms, "
          f"{len(event['event']['days'])} days, {len(event['speakers'])} speakers, "
          f"{len(event['interpreters'])} interpreters, languages {', '.join(event['event']['languages'])}, "
          f"grid {event['event']['slot_minutes']} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
