"""The timetable as Markdown: one table per day (time, room, session, speakers, floor language, interpretation),
with the day's breaks among its rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader
from .text import md
from .view import DayView, SessionView, days, event_name, fallback_legend


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def preamble(event: Event, reader: Reader, views: list[DayView]) -> list[str]:
    """Event name, time zone note and the fallback legend, as Markdown lines."""
    _ = reader._
    name = event_name(event, reader)
    lines = [f"# {md(name.text)}", ""]
    lines.append(reader.zone_note())
    if reader.also:
        lines[-1] += reader.gap_after(lines[-1]) + _("Also shown: %(zones)s.",
                            zones=reader.names([reader.annotated(reader.zone_name(z), z.key) for z in reader.also]))
    for line in fallback_legend(reader, [s.title for d in views for s in d.sessions]):
        lines += ["", line]
    return lines


def session_cells(s: SessionView, reader: Reader) -> list[str]:
    _ = reader._
    title = md(s.title.text) + (f" {md(s.title.marker)}" if s.title.fallback else "")
    if s.plenary:
        title = reader.annotated(title, _("plenary"))
    return [
        md(s.when), *(md(t) for _zone, t in s.also), md(s.duration), md(s.room), title,
        md(s.speakers_text), md(s.language_name), md(s.interpretation_text),
    ]


def break_rows(event: Event, reader: Reader) -> dict[date, list[tuple[datetime, list[str]]]]:
    """The event's breaks as rows (start, cells) by the reader's date: a break has a time and a length, nothing
    else (the HTML grid shows them as its pauses)."""
    _ = reader._
    out: dict[date, list[tuple[datetime, list[str]]]] = defaultdict(list)
    for d in event.event.days:
        for a, b in event.day_breaks(d):
            start, end = reader.in_zone(event.aware(a)), reader.in_zone(event.aware(b))
            also = [md(reader.own(reader.interval(start, end, zone=z, on=start.date()))) for z in reader.also]
            cells = [md(reader.own(reader.interval(start, end))), *also, md(reader.duration(b - a)), "",
                     f"*{md(_('Break'))}*", "", "", ""]
            out[start.date()].append((start, cells))
    return out


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    _ = reader._
    views = days(event, timetable, reader)
    lines = preamble(event, reader, views)
    header = [_("Time"), *(md(reader.zone_name(z)) for z in reader.also), _("Duration"), _("Room"), _("Session"),
              _("Speakers"), _("Language"), _("Interpretation")]
    pauses = break_rows(event, reader)
    for day in views:
        lines += ["", f"## {md(day.heading)}", "", _row(header), _row(["---"] * len(header))]
        # A break comes before the sessions that start when it does (it ends then or earlier)
        rows = [(s.start, 1, session_cells(s, reader)) for s in day.sessions] + [
            (start, 0, cells) for start, cells in pauses.get(day.date, [])]
        lines += [_row(cells) for _start, _rank, cells in sorted(rows, key=lambda r: (r[0], r[1]))]
    return "\n".join(lines) + "\n"
