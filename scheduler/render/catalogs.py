"""Keeping the gettext catalogs in step with the code: `python -m scheduler.render.catalogs`.

Extracts every UI string of `scheduler/render/` (Python `_()`/`ngettext()` and Jinja2 `{% trans %}`/`_()`),
with the mappings of `[tool.babel]` in pyproject.toml, writes `locales/messages.pot`, then updates every
catalog of `locales/` (new strings appear empty or fuzzy: translate them, then run the tests). A new language:
`python -m scheduler.render.catalogs xx` (or `xx_Script`, e.g. `zh_Hant`) starts its catalog.
The same can be done with `pybabel extract -F pyproject.toml -o locales/messages.pot .` and
`pybabel update -i locales/messages.pot -d locales`.
"""

from __future__ import annotations

import copy
import tomllib

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALES_DIR

ROOT = LOCALES_DIR.parent


def languages() -> list[str]:
    """Every language with a catalog in `locales/` (French and English first: they are the reference)."""
    found = {p.parents[1].name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return ["fr", "en"] + sorted(found - {"fr", "en"})


def mappings() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["babel"]
    method_map, options_map = [], {}
    for entry in config["mappings"]:
        entry = dict(entry)
        method, pattern = entry.pop("method"), entry.pop("pattern")
        method_map.append((pattern, method))
        options_map[pattern] = {k: str(v) for k, v in entry.items()}
    return method_map, options_map


def extract() -> Catalog:
    """A fresh template catalog of every UI string in the code and templates."""
    method_map, options_map = mappings()
    catalog = Catalog(project="scheduler", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update(new: tuple[str, ...] = ()) -> None:
    template = extract()
    pot = LOCALES_DIR / f"{DOMAIN}.pot"
    with pot.open("wb") as f:
        write_po(f, template, width=100, sort_output=True, include_lineno=False)
    for language in dict.fromkeys([*languages(), *new]):
        po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        # Each catalog gets its own copy: `Catalog.update` adds the template's new messages themselves, not
        # copies, so the English msgstrs filled in below reached every catalog updated after English as if
        # translated (neither empty nor fuzzy: the catalog tests passed, and Arabic agendas read English).
        own = copy.deepcopy(template)
        if po.is_file():
            with po.open("rb") as f:
                catalog = read_po(f, locale=language)
            catalog.update(own, update_header_comment=False)
        else:
            catalog = Catalog(locale=language, project="scheduler", charset="utf-8")
            catalog.update(own)
        if language == "en":  # the msgids are English: the English catalog starts as a copy of them
            for message in catalog:
                empty = not (all(message.string) if message.pluralizable else message.string)
                if message.id and (empty or "fuzzy" in message.flags):
                    message.string = message.id
                    message.flags.discard("fuzzy")
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as f:
            write_po(f, catalog, width=100, ignore_obsolete=True, sort_output=True, include_lineno=False)
        print(f"{po}: {len(catalog)} messages")


if __name__ == "__main__":
    import sys

    update(tuple(sys.argv[1:]))
