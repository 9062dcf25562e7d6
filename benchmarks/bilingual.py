"""A second audience language for an imported event, shared by the importers (`import_timefold.py`,
`import_cosplib.py`): the real conference data of other schedulers has no interpreters, so a bilingual variant is
how their instances measure our staffing."""

from __future__ import annotations

import argparse


def add_language(event: dict, language: str, interpreters: int | None = None) -> dict:
    """`event` (an `event.json` dict, changed in place and returned) with `language` as another audience language:
    every session keeps its floor language and its channels become `optional` (so the import stays feasible
    whatever the staffing), every room gets a booth per other language, and `interpreters` people (default: two
    per room) are added, half with A = the new language and B = the main floor language, half the other way."""
    languages = event["event"]["languages"]
    if language not in languages:
        languages.append(language)
    if len(languages) < 2:
        return event
    floors = [s["language"] for s in event["sessions"]]
    main = max(sorted(set(floors)), key=floors.count) if floors else languages[0]
    for room in event["rooms"]:
        room["channels"] = len(languages) - 1
    for session in event["sessions"]:
        session["interpretation"] = "optional"
    other = [lang for lang in languages if lang != main] or languages[1:]
    count = interpreters if interpreters is not None else 2 * len(event["rooms"])
    people = event.setdefault("interpreters", [])
    for i in range(count):
        target = other[i // 2 % len(other)]
        a, b = (target, main) if i % 2 == 0 else (main, target)
        people.append({"id": f"i{i:03d}", "name": f"Interpreter {i + 1}", "languages": {"A": [a], "B": [b]},
                       "locale": a})
    return event


def add_options(ap: argparse.ArgumentParser) -> None:
    """The importers' `--bilingual LANG` and `--interpreters N`."""
    ap.add_argument("--bilingual", metavar="LANG", help="add this audience language, optional channels and "
                                                        "interpreters")
    ap.add_argument("--interpreters", type=int, help="how many interpreters with --bilingual (default 2 per room)")
