"""The timetable as Markdown: one table per day (time, room, session, speakers, floor language, interpretation)."""

from __future__ import annotations

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
        lines[-1] += " " + _("Also shown: %(zones)s.",
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


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    _ = reader._
    views = days(event, timetable, reader)
    lines = preamble(event, reader, views)
    header = [_("Time"), *(md(reader.zone_name(z)) for z in reader.also), _("Duration"), _("Room"), _("Session"),
              _("Speakers"), _("Language"), _("Interpretation")]
    for day in views:
        lines += ["", f"## {md(day.heading)}", "", _row(header), _row(["---"] * len(header))]
        lines += [_row(session_cells(s, reader)) for s in day.sessions]
    return "\n".join(lines) + "\n"
