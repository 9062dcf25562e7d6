"""The timetable as CSV: one row per session, a localised header, UTF-8 with a byte-order mark (so that
spreadsheets detect the encoding), RFC 4180 line ends and quoting, values separated by the locale's list
separator. Start and end are also given in ISO 8601 for machines."""

from __future__ import annotations

import csv
import io

from babel.numbers import get_decimal_symbol

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader, plain
from .text import csv_cell, one_line
from .view import days


def delimiter(reader: Reader) -> str:
    """';' where the decimal symbol is a comma (French, German...), else ','."""
    # Excel splits a CSV by the list separator of the regional settings, which is ';' wherever the decimal
    # symbol is ',': a comma CSV would open there with each row in column A.
    return ";" if get_decimal_symbol(reader.locale) == "," else ","


def sheet_writer(out: io.StringIO, reader: Reader):
    """A CSV writer in the reader's list separator, with RFC 4180 line ends (and quoting, csv's default)."""
    return csv.writer(out, delimiter=delimiter(reader), lineterminator="\r\n")


def render(event: Event, timetable: Timetable, reader: Reader) -> str:
    _ = reader._
    out = io.StringIO()
    writer = sheet_writer(out, reader)
    writer.writerow([
        _("Date"), _("Time"), *(reader.zone_name(z) for z in reader.also), _("Duration"),
        _("Start (ISO 8601)"), _("End (ISO 8601)"), _("Room"), _("Session id"), _("Title"), _("Title language"),
        _("Speakers"), _("Language"), _("Interpretation"), _("Kind"),
    ])
    for day in days(event, timetable, reader):
        for s in day.sessions:
            writer.writerow([csv_cell(one_line(c)) for c in [
                plain(day.heading), plain(s.when), *(plain(t) for _zone, t in s.also), s.duration,
                s.start.isoformat(), s.end.isoformat(), s.room, s.id, s.title.text, s.title.language,
                s.speakers_text, s.language_name, s.interpretation_text, _("plenary") if s.plenary else "",
            ]])
    return "\ufeff" + out.getvalue()
