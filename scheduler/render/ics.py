"""iCalendar output: one VEVENT per session (or per assignment), stable UIDs, DTSTAMP and VTIMEZONE.

UIDs are uuid5 of the event id, the session id and, for a person's calendar, the person's id: re-rendering after
a change updates the entries in a calendar instead of duplicating them. Calendar programs take an entry they
already hold as an update only when its SEQUENCE is higher, so SEQUENCE is the seconds from 2020 to the moment of
rendering: every rendering revises the one before. Entries that a re-plan took away come as STATUS:CANCELLED
(`assignments --previous`). DTSTAMP is the moment of rendering; both follow `SOURCE_DATE_EPOCH` when set
(reproducible builds).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event as VEvent, Timezone, TimezoneDaylight, TimezoneStandard, vText

from ..event import Event
from ..timetable import Timetable
from .i18n import Reader
from .text import one_line
from .view import SessionView, days, event_name, event_span, ordered, title_of

PRODID = "-//scheduler//multilingual conference timetable//EN"


def guid(*parts: str) -> str:
    """A stable uuid5 for a path of ids (event, session, person...)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "scheduler:" + "/".join(parts)))


REVISIONS_FROM = datetime(2020, 1, 1, tzinfo=timezone.utc)


def stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Entry:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str
    categories: tuple[str, ...] = ()
    language: str | None = None  # of the summary, when not the calendar's (a title shown in another language)
    cancelled: bool = False  # taken away since a previous timetable: calendars remove it


def calendar(name: str, entries: list[Entry], zone: ZoneInfo, language: str, span: tuple[date, date],
             replaces: bool = False) -> bytes:
    """A whole VCALENDAR; the zone's VTIMEZONE is always there, so even a calendar with no entry is valid."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(one_line(name)))  # TEXT, escaped (an x-property is left raw otherwise)
    cal.add("x-wr-timezone", zone.key)
    now = stamp()
    # One more when it `replaces` calendars rendered before (a re-plan's agendas): a script that writes the old
    # and the new agendas within one second gave both the same SEQUENCE, and calendars kept the old entries.
    revision = max(0, int((now - REVISIONS_FROM).total_seconds())) + int(replaces)
    for e in entries:
        ev = VEvent()
        ev.add("uid", e.uid)
        ev.add("dtstamp", now)
        ev.add("sequence", revision)
        if e.cancelled:
            ev.add("status", "CANCELLED")
        ev.add("dtstart", _moment(e.start, zone))
        ev.add("dtend", _moment(e.end, zone))
        ev.add("summary", one_line(e.summary))
        if e.location:
            ev.add("location", one_line(e.location))
        if e.description:
            ev.add("description", e.description)
        if e.categories:
            ev.add("categories", list(e.categories))
        ev["summary"].params["language"] = e.language or language
        cal.add_component(ev)
    # VTIMEZONE of the calendar's zone (even with no entry, so that an empty calendar stays valid), covering
    # the year around the event's days (`span`): enough for every calendar program, and a few hundred bytes
    # instead of 70 years; the same for every calendar of the event in that zone, so it is made once.
    first, last = span[0] - timedelta(days=366), span[1] + timedelta(days=366)
    cal.add_component(_vtimezone(zone, first, last))
    cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def _moment(moment: datetime, zone: ZoneInfo) -> datetime:
    """A moment as written in a calendar: on the zone's clock (with its TZID), or in UTC when that clock shows it
    twice and this is its second pass (02:15 after the clocks went back at 03:00). RFC 5545 reads a local time
    that occurs twice as its first occurrence: 02:15 on Paris's clock would put such a session an hour early."""
    local = moment.astimezone(zone)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return moment.astimezone(timezone.utc)
    return local


@cache
def _vtimezone(zone: ZoneInfo, first: date, last: date) -> Timezone:
    """The zone's VTIMEZONE from `first` to `last`, made once for all the calendars that share it (never changed
    once made): made afresh, it took 10 of the 32 s of the 935 agendas of the 560-session benchmark event.

    Each observance starts (DTSTART, then RDATE) at the moment its offset begins, written on the clock of the
    offset before it (TZOFFSETFROM), as RFC 5545 says: 02:00 for Paris's summer time, whose clocks go from 02:00
    to 03:00, 03:00 for its winter time. (icalendar's `Timezone.from_tzinfo` writes the clock after the change
    for summer time, 03:00: a calendar that reads the VTIMEZONE put 03:00-04:00 of that day an hour wrong.)"""
    def state(t: datetime) -> tuple[timedelta, timedelta, str]:
        local = t.astimezone(zone)
        return local.utcoffset(), local.dst() or timedelta(0), local.tzname() or str(local.utcoffset())

    start = datetime(first.year, first.month, first.day, tzinfo=zone).astimezone(timezone.utc)
    end = datetime(last.year, last.month, last.day, tzinfo=zone).astimezone(timezone.utc)
    onsets: dict[tuple[timedelta, timedelta, str, bool], list[datetime]] = {}
    offset, dst, name = state(start)
    onsets[(offset, offset, name, dst == timedelta(0))] = [start + offset]  # in force at `first`
    t, step = start, timedelta(hours=1)
    while t < end:
        nxt = min(t + step, end)
        if state(nxt) != (offset, dst, name):
            lo, hi = t, nxt  # the change lies in (lo, hi]: to the second
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid <= lo:
                    break
                lo, hi = (mid, hi) if state(mid) == (offset, dst, name) else (lo, mid)
            new_offset, new_dst, new_name = state(hi)
            key = (offset, new_offset, new_name, new_dst == timedelta(0))
            onsets.setdefault(key, []).append(hi + offset)  # on the clock before the change
            offset, dst, name = new_offset, new_dst, new_name
            nxt = hi
        t = nxt
    tz = Timezone()
    tz.add("TZID", zone.key)
    tz.add("COMMENT", f"This timezone only works from {first} to {last}.")
    for (offset_from, offset_to, tzname, standard), walls in onsets.items():
        sub = TimezoneStandard() if standard else TimezoneDaylight()
        sub.add("DTSTART", walls[0].replace(tzinfo=None))
        if walls[1:]:
            sub.add("RDATE", [w.replace(tzinfo=None) for w in walls[1:]])
        sub.add("TZNAME", tzname)
        sub.add("TZOFFSETFROM", offset_from)
        sub.add("TZOFFSETTO", offset_to)
        tz.add_component(sub)
    return tz


def session_description(s: SessionView, reader: Reader) -> str:
    _ = reader._
    lines = []
    if s.speakers:
        lines.append(_("Speakers: %(names)s", names=s.speakers_text))
    lines.append(_("Language: %(language)s", language=s.language_name))
    lines.append(_("Interpretation: %(channels)s", channels=s.interpretation_text))
    for city, when in s.also:
        lines.append(_("%(city)s: %(when)s", city=city, when=when))  # as on the HTML page ("Paris : 15 h 00")
    return "\n".join(lines)


def render(event: Event, timetable: Timetable, reader: Reader, previous: Timetable | None = None) -> bytes:
    """The public calendar. With the `previous` timetable (a re-plan), its sessions that this one no longer holds
    come as STATUS:CANCELLED under the UIDs the old calendar gave them, with a higher SEQUENCE: people who imported
    the programme lose them (without it, they are simply left out, and stay in those calendars)."""
    entries = []
    for day in days(event, timetable, reader):
        for s in day.sessions:
            entries.append(Entry(
                uid=guid(event.event.id, s.id), start=s.start, end=s.end, summary=s.title.shown,
                location=s.room, description=session_description(s, reader),
                categories=tuple(c for c in (s.track, reader._("plenary") if s.plenary else None) if c),
                language=s.title.language,
            ))
    if previous is not None:
        _ = reader._
        kept = {p.session for p in timetable.sessions}
        for p in ordered(event, previous):
            if p.session in kept:
                continue
            if p.session in event.session:  # still in the event, but no longer in its timetable
                title = title_of(event, event.session[p.session], reader)
                summary, language, note = title.shown, title.language, []
            else:  # removed from the event, its titles with it (timetables hold none)
                summary = _("Session %(session)s (removed from the event)", session=p.session)
                language, note = reader.ui_language, [_("%(label)s: %(value)s", label=_("Session"),
                                                         value=_("removed from the event"))]
            room = event.room[p.room].name if p.room in event.room else p.room
            entries.append(Entry(uid=guid(event.event.id, p.session), start=p.start, end=p.end, summary=summary,
                                 location=room, description="\n".join(note), language=language, cancelled=True))
    return calendar(event_name(event, reader).text, entries, reader.zone, reader.ui_language, event_span(event),
                    replaces=previous is not None)
