"""Interpreters' workload as CSV, for the organiser who pays them by the day: one row per interpreter with the
minutes they work on each day of the event (days of the event's zone, as `max_minutes_per_day` counts them), the
days they work and their minutes in all, then a row of totals. The same CSV conventions as `csv.py`: a localised
header, UTF-8 with a byte-order mark, RFC 4180 line ends, the locale's list separator; minutes are plain integers, for
sums in a spreadsheet."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from ..event import Event
from ..timetable import Timetable
from .csv import sheet_writer
from .i18n import Reader
from .text import csv_cell, one_line


def minutes_by_day(event: Event, timetable: Timetable) -> dict[str, Counter[date]]:
    """Each interpreter's minutes of work on each day of the event (in its zone)."""
    out: dict[str, Counter[date]] = {it.id: Counter() for it in event.interpreters}
    for p in timetable.sessions:
        day = p.start.astimezone(event.zone).date()
        for ch in p.channels:
            for who in set(ch.interpreters):
                out.setdefault(who, Counter())[day] += p.minutes
    return out


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    _ = reader._
    dates = sorted(d.date for d in event.event.days)
    work = minutes_by_day(event, timetable)
    out = io.StringIO()
    writer = sheet_writer(out, reader)
    writer.writerow([_("Interpreter id"), _("Name"), *(reader.short_date(d) for d in dates), _("Days worked"),
                     _("Minutes in all"), _("Daily limit (minutes)")])
    for it in event.interpreters:
        days = work[it.id]
        writer.writerow([csv_cell(one_line(it.id)), csv_cell(one_line(it.name)), *(days[d] for d in dates),
                         sum(1 for d in dates if days[d]), sum(days.values()), it.max_minutes_per_day])
    writer.writerow(["", _("In all"), *(sum(work[it.id][d] for it in event.interpreters) for d in dates),
                     sum(1 for it in event.interpreters for d in dates if work[it.id][d]),
                     sum(sum(work[it.id].values()) for it in event.interpreters), ""])
    return "\ufeff" + out.getvalue()
