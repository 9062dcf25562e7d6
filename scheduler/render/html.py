"""The timetable as one self-contained HTML page: a grid per day (rooms across, times down), French and English
both embedded and switched by a small inline script, no external resource, readable on a phone (below 700 px
wide the grid becomes a list in time order). The same script adds to each card its time in the browser's zone
when the page does not show that zone (`your_time`). Jinja2 autoescapes everything: names and titles are text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from math import gcd
from pathlib import Path

import jinja2
from babel import Locale
from markupsafe import Markup

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader, catalog_name, sibling_locale, translations, zone_names
from .view import SessionView, days, event_name, fallback_legend

TEMPLATES = Path(__file__).parent / "templates"
SWITCH_LANGUAGES = ("fr", "en")


@cache
def environment(catalog: str) -> jinja2.Environment:
    """A Jinja2 environment with autoescape on and one gettext catalog (`catalog_name`) installed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_translations(translations(catalog), newstyle=True)
    return env


def render_template(template: str, reader: Reader, **context) -> str:
    return environment(catalog_name(reader.locale)).get_template(template).render(reader=reader, **context)


@dataclass
class Cell:
    sessions: list[SessionView] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    label: str
    minor: bool
    pause: bool
    pause_label: str  # at a break's start, its span ("12:30–13:30"); else ""
    cells: list[Cell | None]  # None: covered by a cell above (no <td>); an empty Cell: nothing here


@dataclass
class Grid:
    heading: str
    date_iso: str
    rooms: list[str]
    rows: list[Row]


def grids(event: Event, timetable: Timetable, reader: Reader) -> list[Grid]:
    """One grid per day of the reader's zone (the event's zone for the published timetable)."""
    room_ids = [r.id for r in event.rooms if any(p.room == r.id for p in timetable.sessions)]
    rooms = [event.room[r].name for r in room_ids]
    out = []
    for day in days(event, timetable, reader):
        base = event.minute(reader.in_zone(day.sessions[0].start).replace(hour=0, minute=0))
        spans = [(event.minute(s.start) - base, event.minute(s.end) - base) for s in day.sessions]
        windows = [d for d in event.event.days if d.date == day.date]
        pauses: list[tuple[int, int]] = []
        if windows:
            lo, hi = event.day_window(windows[0])
            bounds = [(lo - base, hi - base)]
            pauses = [(a - base, b - base) for a, b in event.day_breaks(windows[0])]
        else:
            bounds = []
        points = [x for pair in spans + bounds + pauses for x in pair]
        step = event.event.slot_minutes
        for x in points:
            step = gcd(step, x)
        step = max(step, 1)
        top = min(points)
        bottom = max(points)
        n = max(1, (bottom - top) // step)
        cells: list[list[Cell | None]] = [[Cell() for _ in room_ids] for _ in range(n)]
        owner: dict[tuple[int, int], Cell] = {}
        for s, (a, b) in zip(day.sessions, spans):
            col = room_ids.index(s.room_id)
            row = (a - top) // step
            if (row, col) in owner:  # starts inside another session of the room: shown with it
                owner[(row, col)].sessions.append(s)
                continue
            cell = cells[row][col]
            assert cell is not None
            cell.sessions.append(s)
            cell.rowspan = max(1, min(n - row, (b - a) // step))
            alone = s.plenary and not any(o is not s and oa < b and a < ob for o, (oa, ob) in zip(day.sessions, spans))
            columns = [col]
            if alone and len(room_ids) > 1:  # a plenary runs alone: it spans every room of the grid
                columns = list(range(len(room_ids)))
                cell.colspan = len(room_ids)
                cells[row] = [cell if c == 0 else None for c in columns]
                for c in columns:
                    owner[(row, c)] = cell
            for r in range(row + 1, row + cell.rowspan):
                for c in columns:
                    cells[r][c] = None
                    owner[(r, c)] = cell
        starts = {a for a, _b in spans} | {a for a, _b in pauses}
        pause_spans = {a: b for a, b in pauses}
        rows = []
        for i in range(n):
            t = top + i * step
            moment = event.aware(base + t)
            rows.append(Row(
                label=reader.own(reader.time(moment)),
                minor=t % 60 != 0 and t not in starts,
                pause=any(a <= t < b for a, b in pauses),
                pause_label=(reader.own(reader.interval(moment, event.aware(base + pause_spans[t])))
                             if t in pause_spans else ""),
                cells=cells[i],
            ))
        out.append(Grid(day.heading, day.date.isoformat(), rooms, rows))
    return out


def autonym(language: str) -> str:
    name = Locale.parse(language).get_language_name(language) or language
    return name[:1].upper() + name[1:]


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    languages = [reader.language] + [lang for lang in SWITCH_LANGUAGES if lang != reader.language]
    variants = []
    for lang in languages:
        r = Reader(sibling_locale(reader.locale, lang), reader.zone, reader.also)
        views = days(event, timetable, r)
        body = render_template(
            "timetable_body.html", r, name=event_name(event, r), grids=grids(event, timetable, r),
            legend=fallback_legend(r, [s.title for d in views for s in d.sessions]),
            session_count=sum(len(d.sessions) for d in views),
            also_zones=r.names([r.annotated(r.zone_name(z), z.key) for z in r.also]),
        )
        # the variant's language and direction are its interface's (English sentences for a Persian reader:
        # left to right, its dates marked as Persian islands); the switch's button names the reader's language
        variants.append({"language": lang, "tag": r.ui_tag, "autonym_tag": r.tag, "autonym": autonym(lang),
                         "dir": r.ui_direction, "body": Markup(body), "title": event_name(event, r).text,
                         "nav": r._("Language"), **your_time(r)})
    shown = [reader.zone, *reader.also]
    zones = " ".join(dict.fromkeys(name for z in shown for name in zone_names(z)))
    return render_template("timetable.html", reader, name=event_name(event, reader), variants=variants, zones=zones)


def your_time(r: Reader) -> dict[str, str]:
    """What the page's script needs to add the reader's own time to each card, in a variant's words (see
    timetable.html): the line's pattern, with `%(zone)s` and `%(when)s` for the script to fill, made of the
    catalog's words and brackets as the "also" lines are; the locale and direction of its dates and times (an island
    when the interface is in another language, as `Reader.own` marks them); the hour cycle the page's times use;
    and, where CLDR's interval spells times with words that a single time does not (Japanese), the locale's
    fallback for an interval and its glue of a date and a time, to write it as the page does (`Reader.interval`)."""
    label = r._("Your time")  # apart: Babel's extraction does not see a call to _() inside another's arguments
    pattern = r._("%(city)s: %(when)s", city=r.annotated(label, "%(zone)s"), when="%(when)s")
    out = {"your_time": pattern, "date_tag": r.tag, "date_dir": r.direction,
           "clock": "h12" if r.clock == "hm" else "h23", "time_range": "", "date_glue": ""}
    if r.interval_in_words:
        out["time_range"], out["date_glue"] = r.interval_fallback, r.glue
    return out
