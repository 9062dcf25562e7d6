"""Reading input files into models with errors people can act on, and writing output files atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .event import ConsistencyError, Event, Issue
from .timetable import Timetable

M = TypeVar("M", bound=BaseModel)


class InputError(Exception):
    """An input file is unusable; `lines` are one-line reasons, each naming the file and the JSON path."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def json_path(loc: tuple) -> str:
    """`('sessions', 4, 'duration')` -> `sessions[4].duration`; the root is `$`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


_PYDANTIC_WORDING = {
    "extra_forbidden": "unknown key (check its spelling)",
    "missing": "required key is missing",
}


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds validator names and tuple positions; keep only the JSON keys and list indices.
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))


def issues_of(error: ValidationError) -> list[Issue]:
    """Every problem of a pydantic error, expanded (cross-reference errors carry several issues each)."""
    issues: list[Issue] = []
    for err in error.errors():
        cause = (err.get("ctx") or {}).get("error")
        loc = _clean_loc(err["loc"])
        if isinstance(cause, ConsistencyError):
            issues.extend(Issue(path=(*loc, *i.path), message=i.message) for i in cause.issues)
            continue
        message = _PYDANTIC_WORDING.get(err["type"], err["msg"])
        if isinstance(cause, ValueError):
            message = str(cause)
        elif err["type"] not in _PYDANTIC_WORDING and "input" in err and not isinstance(err["input"], (dict, list)):
            message = f"{message}, got {json.dumps(err['input'], default=str)}"
        issues.append(Issue(path=loc, message=message))
    return issues


def read_json(path: Path | str) -> object:
    """The parsed JSON of a file, or an InputError that says why it could not be read."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"])
    except IsADirectoryError:
        raise InputError([f"{path}: is a folder, not a JSON file"])
    except OSError as exc:
        raise InputError([f"{path}: cannot be read ({exc.strerror})"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([f"{path}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})"])
    if not text.strip():
        raise InputError([f"{path}: the file is empty"])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"])


def parse(model: type[M], data: object, source: str) -> M:
    """Validate data against a model; every problem becomes a line `source: json.path: reason`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError([f"{source}: {json_path(i.path)}: {i.message}" for i in issues_of(exc)])


def load_event(path: Path | str) -> Event:
    """Read and validate an `event.json`."""
    return parse(Event, read_json(path), str(path))


def load_timetable(path: Path | str, event: Event | None = None) -> Timetable:
    """Read and validate a `timetable.json`; with an event, also check that its ids refer to that event."""
    timetable = parse(Timetable, read_json(path), str(path))
    if event is not None:
        lines = [f"{path}: {json_path(loc)}: {msg}" for loc, msg in _timetable_references(timetable, event)]
        if lines:
            raise InputError(lines)
    return timetable


def _timetable_references(tt: Timetable, ev: Event):
    if tt.event != ev.event.id:
        yield ("event",), f"this timetable is for event {tt.event!r}, not {ev.event.id!r}"
    for i, p in enumerate(tt.sessions):
        if p.session not in ev.session:
            yield ("sessions", i, "session"), f"unknown session {p.session!r}"
        if p.room not in ev.room:
            yield ("sessions", i, "room"), f"unknown room {p.room!r}"
        for j, ch in enumerate(p.channels):
            for k, who in enumerate(ch.interpreters):
                if who not in ev.interpreter:
                    yield ("sessions", i, "channels", j, "interpreters", k), f"unknown interpreter {who!r}"


def write_atomic(path: Path | str, text: str | bytes) -> None:
    """Write a whole file or nothing: write a temporary file beside it, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
