"""Escaping of people's text (names, titles) for each output format: text is data, never markup."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
_SPACES = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Newlines, tabs and control characters become one space (CLDR's thin and no-break spaces stay)."""
    return _SPACES.sub(" ", text).strip()


def md(text: str) -> str:
    """Markdown-safe text: one line, every character Markdown or HTML could read as syntax backslash-escaped.

    Escaped: backslash, backtick, * _ [ ] < > | & ~ # !  (so `<script>` stays text, `|` cannot split a table
    cell, `[x](y)` cannot become a link). Line starts never hold user text, so - + and digits need no escape.
    """
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def csv_cell(text: str) -> str:
    """A spreadsheet-safe cell: a value that a spreadsheet would run as a formula starts with an apostrophe."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
