"""Scalar types shared by the input and output models: ids, language codes, clock times, dates, zones.

Each type parses the JSON string itself (the models run in strict mode, so "90" is never an integer) and
serialises back to the same textual form, so an event written by us reads back unchanged.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

from .english import did_you_mean

# Always matched with `fullmatch` (with `match`, "$" accepts a trailing newline: "x\n" would pass as an id);
# the anchors stay for the JSON Schema, whose patterns are unanchored. ASCII digits only.
_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_LOCAL_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$")


def _shown(value: Any) -> str:
    """A short, one-line rendering of a JSON value for a message."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Ids become file and folder names (`assignments`): most file systems allow 255 bytes a name, and an agenda's
# file names add to the id.
ID_MAX_LENGTH = 100


def _check_id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid id: use letters, digits, '.', '_' and '-', not starting with '.'"
        )
    if len(value) > ID_MAX_LENGTH:
        raise ValueError(f"an id has at most {ID_MAX_LENGTH} characters (it becomes a file name); this one has "
                         f"{len(value)}")
    return value


def _check_language(value: str) -> str:
    unknown = ValueError(f"{value!r} is not a language or locale code known to CLDR (e.g. 'fr', 'en', 'pt_BR')")
    if value in ("root", "und"):  # CLDR's neutral locales name no language
        raise unknown
    try:
        canonical = str(Locale.parse(value))
    except Exception:  # Babel raises several kinds on odd input; none of them may escape as a traceback
        canonical = None
    if canonical == value:
        return value
    suggestion = _language_suggestion(value)
    if suggestion is None or suggestion == value:
        raise unknown
    raise ValueError(f"write the code {value!r} as {suggestion!r}")


def _language_suggestion(value: str) -> str | None:
    """The canonical form of a code written otherwise ('fr-CA' -> 'fr_CA', 'EN' -> 'en'), keeping to a language
    when no region was written: Babel reads 'eng' as 'en_US', but the event's languages are 'en', 'fr'."""
    text = value.replace("-", "_")
    try:
        locale = Locale.parse(text)
    except Exception:
        return None
    if "_" not in text:
        return locale.language
    return str(locale)


def check_timezone(value: str) -> str:
    # Only the zones tzdata lists: ZoneInfo() itself also opens folders ("America": IsADirectoryError) and
    # files that are not zones ("localtime", "posixrules"), and raises kinds of errors pydantic does not catch.
    if not known_timezone(value):
        zones = sorted(_zones() - _NOT_ZONES)
        by_city = [z for z in zones if z.rsplit("/", 1)[-1].lower() == value.replace(" ", "_").lower()]
        offset = _offset_of(value)  # before the spelling: 'GMT-3' is close to 'Etc/GMT-3', which is UTC+3
        hint = (_offset_hint(offset) if offset is not None else "") or (
            f" (did you mean {by_city[0]!r}?)" if by_city else did_you_mean(value, zones))
        raise ValueError(f"{value!r} is not an IANA time zone{hint or ' (e.g. America/Toronto, Europe/Paris)'}")
    return value


# 'UTC+8', 'UTC+08:00', 'GMT-3', '+05:30', 'UTC+5:45', 'utc−3' (a minus sign): an offset from UTC.
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+\-\u2212])\s*([0-9]{1,2})(?::?([0-5][0-9]))?", re.IGNORECASE)

# A well-known city of each standard offset in use, for a suggestion; one is offered only while tzdata still
# gives it that standard offset.
_CITIES = ("Pacific/Pago_Pago", "Pacific/Honolulu", "Pacific/Marquesas", "America/Anchorage", "America/Los_Angeles",
           "America/Denver", "America/Chicago", "America/New_York", "America/Halifax", "America/St_Johns",
           "America/Sao_Paulo", "America/Noronha", "Atlantic/Azores", "Europe/London", "Europe/Paris",
           "Africa/Cairo", "Europe/Moscow", "Asia/Tehran", "Asia/Dubai", "Asia/Kabul", "Asia/Karachi",
           "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Yangon", "Asia/Bangkok", "Asia/Shanghai",
           "Australia/Eucla", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney", "Australia/Lord_Howe",
           "Pacific/Noumea", "Pacific/Auckland", "Pacific/Chatham", "Pacific/Tongatapu", "Pacific/Kiritimati")


def _offset_of(value: str) -> int | None:
    """The minutes east of UTC that `value` writes as an offset ('UTC+5:30': 330), or None."""
    match = _OFFSET.fullmatch(value.strip())
    if match is None:
        return None
    minutes = int(match[2]) * 60 + int(match[3] or 0)
    sign = 1 if match[1] == "+" else -1
    return sign * minutes if minutes <= 14 * 60 else None  # offsets in use run from UTC-12 to UTC+14


def _offset_hint(offset: int) -> str:
    """' (did you mean ...?)' for an offset: a city's zone of that standard offset, and IANA's fixed one."""
    hours, minutes = divmod(abs(offset), 60)
    shown = f"UTC{'+-'[offset < 0]}{hours}" + (f":{minutes:02d}" if minutes else "")
    # Etc/GMT zones exist for whole hours only, with POSIX's inverted sign: Etc/GMT-8 is UTC+8.
    fixed = "UTC" if offset == 0 else f"Etc/GMT{'-+'[offset < 0]}{hours}" if not minutes else None
    fixed = fixed if fixed is not None and known_timezone(fixed) else None
    city = next((z for z in _CITIES if known_timezone(z) and _standard_offset(z) == offset), None)
    if city is None:
        return f" (did you mean {fixed!r} for a fixed {shown}?)" if fixed else ""
    better = f"a city's zone such as {city!r}, which follows that city's clock (and any daylight saving time)"
    if fixed is None:
        return f" (did you mean {better}? IANA has no zone of a fixed {shown})"
    return f" (did you mean {better}, or {fixed!r} for a fixed {shown} all year?)"


def _standard_offset(zone: str) -> int:
    """The minutes east of UTC of a zone's standard time now (its offset without daylight saving)."""
    now = datetime.now(ZoneInfo(zone))
    return int((now.utcoffset() - now.dst()).total_seconds()) // 60


# Files of a system zoneinfo folder that available_timezones() may list but that name no zone of their own.
_NOT_ZONES = {"localtime", "posixrules"}


def known_timezone(value: str) -> bool:
    """Whether tzdata names this zone (and it is one: not 'localtime' or 'posixrules')."""
    return value in _zones() and value not in _NOT_ZONES


@cache
def _zones() -> set[str]:
    """The zone names tzdata lists, read once (listing them walks the zoneinfo folders)."""
    return available_timezones()


def _parse_clock(value: Any) -> Any:
    if isinstance(value, str):
        match = _HHMM.fullmatch(value)
        if not match:
            raise ValueError(f"{value!r} is not a time of day written HH:MM (00:00 to 23:59)")
        return time(int(match[1]), int(match[2]))
    if isinstance(value, time):
        return value
    raise ValueError(f'a time of day is a string "HH:MM" (e.g. "09:30"), got {_shown(value)}')


# Dates far from today are typing mistakes, and the calendar's ends (years 1 and 9999) leave no room for the
# days and time zones around them (the solver and the ICS rendering overflowed on 9999-12-31).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def in_years(moment: date) -> date:
    """`moment` (a date or date-time) if its year is one an event may have, else ValueError."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{moment.isoformat()} is not a date of an event (years {FIRST_YEAR} to {LAST_YEAR})")
    return moment


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATE.fullmatch(value):
            raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date that exists ({exc})")
        return in_years(day)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise ValueError(f'a date is a string "YYYY-MM-DD" (e.g. "2021-02-13"), got {_shown(value)}')


def _parse_local_datetime(value: Any) -> Any:
    if isinstance(value, str):
        if not _LOCAL_DATETIME.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a local date and time written YYYY-MM-DDTHH:MM (no offset: "
                "it is read in the event's time zone)"
            )
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date and time that exists ({exc})")
        return in_years(moment)
    if not isinstance(value, datetime):
        raise ValueError(f'a local date and time is a string "YYYY-MM-DDTHH:MM" (e.g. "2021-02-13T10:00"), '
                         f"got {_shown(value)}")
    if value.tzinfo is not None:
        raise ValueError("a local date and time takes no offset: it is read in the event's time zone")
    return value


def _parse_aware_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date and time with offset (2021-02-13T10:00:00-05:00)")
    if not isinstance(value, datetime):
        raise ValueError(f'a date and time is a string with its UTC offset (e.g. "2021-02-13T10:00:00-05:00"), '
                         f"got {_shown(value)}")
    if value.tzinfo is None:
        raise ValueError("the date and time needs its UTC offset (e.g. 2021-02-13T10:00:00-05:00)")
    return in_years(value)


Id = Annotated[str, AfterValidator(_check_id)]
LanguageCode = Annotated[str, AfterValidator(_check_language)]
TimeZoneName = Annotated[str, AfterValidator(check_timezone)]
ClockTime = Annotated[
    time,
    BeforeValidator(_parse_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _HHMM.pattern, "examples": ["09:30"]}),
]
Day = Annotated[
    date,
    BeforeValidator(_parse_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2021-02-13"]}),
]
LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_local_datetime),
    PlainSerializer(lambda d: d.isoformat(timespec="minutes"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _LOCAL_DATETIME.pattern, "examples": ["2021-02-13T10:00"]}),
]
AwareDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_aware_datetime),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2021-02-13T10:00:00-05:00"]}),
]


def minutes_of(t: time) -> int:
    """Minutes since midnight of a clock time."""
    return t.hour * 60 + t.minute
