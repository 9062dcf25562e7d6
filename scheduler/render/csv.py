"""The timetable as CSV: one row per session, a localised header, UTF-8 with a byte-order mark (so that
spreadsheets detect the encoding), RFC 4180 line ends. Start and end are also given in ISO 8601 for machines."""

from __future__ import annotations

import csv
import io

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader
from .text import csv_cell, one_line
from .view import days


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    _ = reader._
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([
        _("Date"), _("Time"), *(reader.zone_name(z) for z in reader.also), _("Duration"),
        _("Start (ISO 8601)"), _("End (ISO 8601)"), _("Room"), _("Session id"), _("Title"), _("Title language"),
        _("Speakers"), _("Language"), _("Interpretation"), _("Kind"),
    ])
    for day in days(event, timetable, reader):
        for s in day.sessions:
            writer.writerow([csv_cell(one_line(c)) for c in [
                day.heading, s.when, *(t for _zone, t in s.also), s.duration,
                s.start.isoformat(), s.end.isoformat(), s.room, s.id, s.title.text, s.title.language,
                s.speakers_text, s.language_name, s.interpretation_text, _("plenary") if s.plenary else "",
            ]])
    return "\ufeff" + out.getvalue()
