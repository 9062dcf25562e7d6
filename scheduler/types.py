"""Scalar types shared by the input and output models: ids, language codes, clock times, dates, zones.

Each type parses the JSON string itself (the models run in strict mode, so "90" is never an integer) and
serialises back to the same textual form, so an event written by us reads back unchanged.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError
from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use letters, digits, '.', '_' and '-', not starting with '.'"
        )
    return value


def _check_language(value: str) -> str:
    try:
        canonical = str(Locale.parse(value))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"{value!r} is not a language or locale code known to CLDR (e.g. 'fr', 'en', 'pt_BR')")
    if canonical != value:
        raise ValueError(f"write the code {value!r} as {canonical!r}")
    return value


def _check_timezone(value: str) -> str:
    if value not in _zones():
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. 'America/Toronto', 'Europe/Paris')")
    return value


_ZONES: set[str] | None = None


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


def _parse_clock(value: Any) -> Any:
    if isinstance(value, str):
        match = _HHMM.match(value)
        if not match:
            raise ValueError(f"{value!r} is not a time of day written HH:MM (00:00 to 23:59)")
        return time(int(match[1]), int(match[2]))
    return value


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATE.match(value):
            raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date that exists ({exc})")
    return value


def _parse_local_datetime(value: Any) -> Any:
    if isinstance(value, str):
        if not _LOCAL_DATETIME.match(value):
            raise ValueError(
                f"{value!r} is not a local date and time written YYYY-MM-DDTHH:MM (no offset: "
                "it is read in the event's time zone)"
            )
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date and time that exists ({exc})")
    if isinstance(value, datetime) and value.tzinfo is not None:
        raise ValueError("a local date and time takes no offset: it is read in the event's time zone")
    return value


def _parse_aware_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date and time with offset (2021-02-13T10:00:00-05:00)")
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("the date and time needs its UTC offset (e.g. 2021-02-13T10:00:00-05:00)")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
LanguageCode = Annotated[str, AfterValidator(_check_language)]
TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]
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
