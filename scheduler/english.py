"""English words for the command line's own messages (timetables and agendas are worded by Babel and the
catalogs, in the reader's language)."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def plural(n: int, noun: str, many: str | None = None) -> str:
    """The noun for `n` of it: singular for one ("day", "days"; `many` when not the noun and an s)."""
    return noun if n == 1 else many or noun + "s"


def counted(n: int, noun: str, many: str | None = None) -> str:
    """`n` and the noun, singular for one: "1 day", "3 days", "2 breaches" (with `many` given)."""
    return f"{n} {plural(n, noun, many)}"


def names(items: list[str], most: int = 6, last: str = "and") -> str:
    """Items as an English list: "a", "a and b", "a, b and c", past `most` "a, b and 3 more" (`last`: the word
    before the last item, "or" for a choice)."""
    if len(items) > most:
        return ", ".join(items[:most]) + f" {last} {len(items) - most} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the choice closest to a misspelt `value` (same letters in another case first),
    or "" when none is close."""
    choices = [c for c in choices if isinstance(c, str)]  # ids of a file read leniently may be None
    same = [c for c in choices if c.lower() == value.lower()]
    close = same or get_close_matches(value, choices, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
