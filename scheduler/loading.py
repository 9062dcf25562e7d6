"""Reading input files into models with errors people can act on, and writing output files atomically."""

from __future__ import annotations

import json
import math
import os
import re
import stat
import tempfile
import typing
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .english import did_you_mean
from .event import ConsistencyError, Event, Issue, reference_issues, skeleton
from .timetable import Timetable

M = TypeVar("M", bound=BaseModel)


class InputError(Exception):
    """An input file is unusable; `lines` are one-line reasons, each naming the file and the JSON path."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_path(loc: tuple) -> str:
    """`('sessions', 4, 'duration')` -> `sessions[4].duration`; the root is `$`.

    A key that is not a plain name (empty, with spaces, dots, brackets, quotes or a newline) is written
    `["like this"]`, so every path stays on one line and reads back unambiguously.
    """
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(str(part))}]"
    return out or "$"


_PYDANTIC_WORDING = {
    "extra_forbidden": "unknown key (check its spelling)",
    "missing": "required key is missing",
    "model_type": "should be a JSON object {...}",
    "model_attributes_type": "should be a JSON object {...}",
    "dict_type": "should be a JSON object {...}",
    "list_type": "should be a JSON list [...]",
    "tuple_type": "should be a JSON list [...]",
    "int_type": "should be a whole number (e.g. 60, without quotes)",
    "int_parsing": "should be a whole number (e.g. 60, without quotes)",
    "int_from_float": "should be a whole number (e.g. 60)",
    "float_type": "should be a number (e.g. 0.25, without quotes)",
    "float_parsing": "should be a number (e.g. 0.25, without quotes)",
    "bool_type": "should be true or false, without quotes",
    "bool_parsing": "should be true or false, without quotes",
    "string_type": "should be text in double quotes",
}


def _shown(value: object) -> str:
    """A short, one-line rendering of an input value for a message."""
    try:
        text = json.dumps(value, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _internal(part: object) -> bool:
    # Segments pydantic adds to a location that are not JSON keys: "[key]" (the key of a dict, not its value),
    # validator names such as "function-after[...]", union member names.
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _clean_loc(loc: tuple, data: object = None) -> tuple:
    """Keep only the JSON keys and list indices of a pydantic location.

    The location is followed through the input itself: a segment that is a key or index of the data is kept
    even if it looks like a pydantic segment (a user's key "a[0]"); past the data, pydantic's own segments are
    dropped and the rest (a missing key, a missing item) kept.
    """
    out: list = []
    current = data
    inside = True
    for part in loc:
        if inside and isinstance(current, dict) and isinstance(part, str) and part in current:
            out.append(part)
            current = current[part]
        elif (inside and isinstance(current, (list, tuple)) and isinstance(part, int)
              and not isinstance(part, bool) and 0 <= part < len(current)):
            out.append(part)
            current = current[part]
        elif not _internal(part):
            out.append(part)
            inside = False
        else:
            inside = False
    return tuple(out)


def _pair_problem(loc: tuple, err: dict, data: object) -> Issue | None:
    """Interpreter `pairs` are [from, into] lists; say so instead of pydantic's tuple wording."""
    if len(loc) < 4 or loc[0] != "interpreters" or loc[2] != "pairs" or not isinstance(loc[3], int):
        return None
    if not (len(loc) == 4 or (len(loc) == 5 and err["type"] == "missing")):
        return None
    pair: object = data
    for part in loc[:4]:
        try:
            pair = pair[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(pair, list) and len(pair) == 2:
        return None  # a problem with one of the two languages: keep its own message and path
    return Issue(path=loc[:4], message=f'a pair is a list of two languages ["from", "into"], got {_shown(pair)}')


def _wording(err: dict) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("too_short", "too_long"):
        what = "entries" if err["msg"].startswith("Dictionary") else "items"
        if kind == "too_short":
            if ctx.get("min_length") == 1:
                return "must not be empty"
            return f"needs at least {ctx.get('min_length')} {what}, has {ctx.get('actual_length')}"
        return f"takes at most {ctx.get('max_length')} {what}, has {ctx.get('actual_length')}"
    if kind == "missing" and isinstance(err["loc"][-1], int):
        return "an item is missing"
    message = _PYDANTIC_WORDING.get(kind, err["msg"])
    # pydantic's own sentences speak of "Input" ("Input should be less than or equal to 1440"): the path says which
    return "should" + message[len("Input should"):] if message.startswith("Input should") else message


def _keys_at(model: type[BaseModel], path: tuple) -> list[str]:
    """The keys the input may have at a JSON path below `model` (none when the path leaves the models)."""
    current: object = model
    for part in path:
        if isinstance(part, int):
            continue  # an item of a list: the list's model goes on
        fields = getattr(current, "model_fields", None)
        if fields is None or part not in fields:
            return []
        current = _model_in(fields[part].annotation)
    fields = getattr(current, "model_fields", None) or {}
    return [field.alias or name for name, field in fields.items()]


def _model_in(annotation: object) -> object:
    """The pydantic model an annotation holds (list[Room] -> Room, Pin | None -> Pin), else the annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def issues_of(error: ValidationError, data: object = None, model: type[BaseModel] | None = None) -> list[Issue]:
    """Every problem of a pydantic error, expanded (cross-reference errors carry several issues each); with the
    `model` validated, a misspelt key comes with the closest key it may have."""
    issues: list[Issue] = []
    for err in error.errors():
        cause = (err.get("ctx") or {}).get("error")
        loc = _clean_loc(err["loc"], data)
        if isinstance(cause, ConsistencyError):
            issues.extend(Issue(path=(*loc, *i.path), message=i.message) for i in cause.issues)
            continue
        pair = _pair_problem(loc, err, data)
        if pair is not None:
            issues.append(pair)
            continue
        message = _wording(err)
        if err["type"] == "extra_forbidden" and model is not None and isinstance(loc[-1], str):
            hint = did_you_mean(loc[-1], _keys_at(model, loc[:-1]))
            message = f"unknown key{hint}" if hint else message
        if err["type"] == "dict_type" and loc[-1:] in (("name",), ("title",)) and loc[:1] in (("event",),
                                                                                              ("sessions",)):
            # event.name and a session's title are texts by language, unlike the names of rooms and people
            message = 'should be a JSON object of texts by language, e.g. {"fr": "...", "en": "..."}'
        if isinstance(cause, ValueError):
            message = str(cause)
        elif err["type"] not in ("extra_forbidden", "missing") \
                and "input" in err and not isinstance(err["input"], (dict, list, tuple)):
            message = f"{message}, got {_shown(err['input'])}"
        issues.append(Issue(path=loc, message=message))
    return issues


class _Constant:
    """Stands for NaN or Infinity while a file is read: Python accepts them, JSON does not."""

    def __init__(self, text: str):
        self.text = text


def _duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    duplicates: list[str] = []
    for key, value in pairs:
        if key in out and key not in duplicates:
            duplicates.append(key)
        out[key] = value
    if duplicates:
        out[_DUPLICATES] = duplicates
    return out


_DUPLICATES = object()  # a key no JSON text can produce: where a decoded object lists its repeated keys


def _not_json(value: object, path: tuple, problems: list[tuple[tuple, str]]) -> object:
    """Rebuild decoded JSON as plain data, noting what a strict reader must refuse, with its path."""
    if isinstance(value, dict):
        for key in value.pop(_DUPLICATES, []):
            problems.append(((*path, key), "the key appears more than once in this object (only one is kept)"))
        for key in value:
            if _has_surrogate(key):
                problems.append((path, f"the key {key!r} is not text (an unpaired UTF-16 surrogate)"))
            value[key] = _not_json(value[key], (*path, key), problems)
        return value
    if isinstance(value, list):
        return [_not_json(item, (*path, i), problems) for i, item in enumerate(value)]
    if isinstance(value, _Constant):
        problems.append((path, f"{value.text} is not a JSON number"))
        return None
    if isinstance(value, str) and _has_surrogate(value):
        problems.append((path, f"{value!r} is not text (an unpaired UTF-16 surrogate)"))
    elif isinstance(value, str) and (bad := _CONTROL.search(value)) is not None:
        # NUL, ESC, BEL... reached HTML and calendars as raw bytes (RFC 5545 forbids them); tab and new line
        # are text (renderers fold new lines).
        problems.append((path, f"the text holds the control character U+{ord(bad.group()):04X} at position "
                               f"{bad.start()} (only tab and new line may be in text)"))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_EXACT:
        problems.append((path, f"the number {_shown(value)} is too large (at most 2^53 - 1 = {_MAX_EXACT})"))
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append((path, "the number is too large to be represented"))
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 but tab, LF and CR; DEL; C1
_MAX_EXACT = 2**53 - 1  # the largest integer every JSON reader holds exactly (RFC 8259, section 6)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _decodes(raw: bytes, encoding: str) -> bool:
    """Whether `raw` is text in `encoding` (zero bytes alone also come from binary files)."""
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def read_json(path: Path | str) -> object:
    """The parsed JSON of a file, or an InputError that says why it could not be read."""
    path = Path(path)
    try:
        # A FIFO would wait forever for a writer, /dev/zero fill the memory: only regular files are read.
        if path.exists() and not path.is_dir() and not path.is_file():
            raise InputError([f"{path}: not a regular file"])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"])
    except IsADirectoryError:
        raise InputError([f"{path}: is a folder, not a JSON file"])
    except OSError as exc:
        raise InputError([f"{path}: cannot be read ({exc.strerror})"])
    wide = json.detect_encoding(raw)  # by its BOM or its zero bytes (RFC 8259's test)
    if (wide.startswith("utf-16") or wide.startswith("utf-32")) and _decodes(raw, wide):  # some Windows editors
        raise InputError([f"{path}: {wide.upper().replace('-BE', '').replace('-LE', '')} text, not UTF-8: save "
                          f"it as UTF-8"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([f"{path}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})"])
    if not text.strip():
        raise InputError([f"{path}: the file is empty"])
    try:
        data = json.loads(text, object_pairs_hook=_duplicate_keys, parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        raise InputError([f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"])
    except RecursionError:
        raise InputError([f"{path}: the JSON is nested too deeply to be read"])
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InputError([f"{path}: not usable JSON: {exc}"])
    problems: list[tuple[tuple, str]] = []
    try:
        data = _not_json(data, (), problems)
    except RecursionError:
        raise InputError([f"{path}: the JSON is nested too deeply to be read"])
    if problems:
        raise InputError([f"{path}: {json_path(loc)}: {message}" for loc, message in problems])
    return data


MAX_LINE = 500  # characters of one problem's line at most: a value of 200,000 characters was repeated whole


def _one_line(text: str) -> str:
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= MAX_LINE else text[:MAX_LINE - 1] + "…"


MAX_LINES = 200  # lines of problems one file gets at most


def parse(model: type[M], data: object, source: str) -> M:
    """Validate data against a model; every problem becomes a line `source: json.path: reason`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues = issues_of(exc, data, model)
        if model is Event and not any(isinstance((e.get("ctx") or {}).get("error"), ConsistencyError)
                                      for e in exc.errors()):
            # Some fields failed, so the whole-file checks did not run: run those that need only ids.
            seen = {issue.path for issue in issues}
            raw = skeleton(data)
            issues += [i for i in (reference_issues(raw) if raw else []) if i.path not in seen]
        # In order, each once (a set beside the list: 150,000 lines took 2 minutes by list lookups), and at
        # most MAX_LINES: past them the organiser learns the count, not every line.
        lines = list(dict.fromkeys(_one_line(f"{source}: {json_path(issue.path)}: {issue.message}")
                                   for issue in issues))
        if len(lines) > MAX_LINES:
            lines = lines[:MAX_LINES] + [f"{source}: and {len(lines) - MAX_LINES:,} more problems like these"]
        raise InputError(lines)
    except RecursionError:
        raise InputError([f"{source}: the JSON is nested too deeply to be checked"])


def load_event(path: Path | str) -> Event:
    """Read and validate an `event.json`."""
    return parse(Event, read_json(path), str(path))


def load_timetable(path: Path | str, event: Event | None = None, references: bool = True,
                   once: bool = True) -> Timetable:
    """Read and validate a `timetable.json`; with an event, also check that it is that event's and (with
    `references`) that its ids refer to it. A previous timetable being re-planned is checked without: it may
    name sessions, rooms or interpreters the event has lost since. With `once`, a session placed twice is refused
    too: only `check` takes such a timetable, to report it as a breach."""
    timetable = parse(Timetable, read_json(path), str(path))
    if event is not None:
        issues = timetable_reference_issues(timetable, event) if references else _other_event(timetable, event)
        if once:
            issues = [*issues, *_placed_again(timetable)]
        lines = [f"{path}: {json_path(loc)}: {msg}" for loc, msg in issues]
        if lines:
            raise InputError(lines)
    return timetable


def _placed_again(tt: Timetable):
    """A session placed a second time: which placement holds is anyone's guess (a re-plan's past kept the last one,
    and the solver's hint held a variable twice: an internal error)."""
    first: dict[str, int] = {}
    for i, p in enumerate(tt.sessions):
        if p.session in first:
            yield (("sessions", i, "session"), f"session {p.session!r} is placed twice (also "
                                              f"sessions[{first[p.session]}]): a timetable places each session once")
        else:
            first[p.session] = i


def _other_event(tt: Timetable, ev: Event):
    if tt.event != ev.event.id:
        yield ("event",), f"this timetable is for event {tt.event!r}, not {ev.event.id!r}"


def timetable_reference_issues(tt: Timetable, ev: Event):
    """(JSON path, message) for each id of the timetable that the event does not know; only the first
    when the timetable is another event's (every id would be unknown)."""
    other = list(_other_event(tt, ev))
    if other:
        yield from other
        return
    for i, p in enumerate(tt.sessions):
        if p.session not in ev.session:
            yield ("sessions", i, "session"), f"unknown session {p.session!r}"
        if p.room not in ev.room:
            yield ("sessions", i, "room"), f"unknown room {p.room!r}"
        for j, ch in enumerate(p.channels):
            for k, who in enumerate(ch.interpreters):
                if who not in ev.interpreter:
                    yield ("sessions", i, "channels", j, "interpreters", k), f"unknown interpreter {who!r}"
    for i, c in enumerate(tt.costs):
        for kind, known, ids in (("sessions", ev.session, c.sessions), ("interpreters", ev.interpreter, c.interpreters)):
            for j, x in enumerate(ids):
                if x not in known:
                    yield ("costs", i, kind, j), f"unknown {kind[:-1]} {x!r}"
        if c.language is not None and c.language not in ev.event.languages:
            yield ("costs", i, "language"), f"{c.language!r} is not one of the event's languages"


def write_atomic(path: Path | str, text: str | bytes) -> None:
    """Write a whole file or nothing: write a temporary file beside it, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    # The temporary name is cut so that it stays within the 255 bytes a name may have where `path`'s does.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:120]}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600): give it the mode of the file it replaces, or the one a plain
        # `open` would (0644 under the usual umask), so that a web server can serve the rendered HTML.
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else _new_file_mode())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """The mode `open` gives a new file: 0666 less the process's umask (which can only be read by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
