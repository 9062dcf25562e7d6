"""Renderings of a timetable for people: Markdown, HTML, CSV, iCalendar and frab/c3voc JSON, in any CLDR locale;
and the interpreters' workload (CSV) for the organiser.

Renderers only read the input and output models (`Event`, `Timetable`); every date, time, duration, list and
language name comes from Babel, every UI string from the gettext catalogs in `locales/`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader

FORMATS = ("md", "html", "ics", "csv", "frab-json", "workload-csv")


def renderer(fmt: str) -> Callable[[Event, Timetable, Reader], str | bytes]:
    if fmt == "md":
        from .markdown import render
    elif fmt == "html":
        from .html import render
    elif fmt == "ics":
        from .ics import render
    elif fmt == "csv":
        from .csv import render
    elif fmt == "frab-json":
        from .frab import render
    elif fmt == "workload-csv":
        from .workload import render
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return render


def render(event: Event, timetable: Timetable, fmt: str, locale: str, also: tuple[str, ...] = (),
           previous: Timetable | None = None) -> str | bytes:
    """The timetable in one format and locale; times in the event's zone (and in `also` zones). `previous`
    (iCalendar only): the timetable this one replaces, whose sessions now gone the calendar cancels."""
    reader = Reader.of(locale, event.event.timezone, also)
    if previous is not None:
        if fmt != "ics":
            raise ValueError("a previous timetable is only read for the iCalendar format")
        from .ics import render as ics_render

        return ics_render(event, timetable, reader, previous)
    return renderer(fmt)(event, timetable, reader)
