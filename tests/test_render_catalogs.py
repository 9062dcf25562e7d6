"""The gettext catalogs are in step with the code: a stale catalog or a missing translation fails here.

To fix a failure: `.venv/bin/python -m scheduler.render.catalogs`, then translate the new strings in every
locales/<language>/LC_MESSAGES/messages.po (see docs/rendering.md).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from babel import Locale

from scheduler.render import catalogs
from scheduler.render.catalogs import extract, languages
from scheduler.render.i18n import Reader, catalog_name, translations

LOCALES = Path(__file__).resolve().parents[1] / "locales"
FIX = "run `python -m scheduler.render.catalogs` and translate the new strings"


def read(path: Path, locale: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)[sd]", text))


@pytest.fixture(scope="module")
def extracted():
    return extract()


def test_template_catalog_is_up_to_date(extracted):
    pot = read(LOCALES / "messages.pot")
    assert ids(extracted), "no UI string found: the extraction mapping in pyproject.toml is broken"
    missing = ids(extracted) - ids(pot)
    stale = ids(pot) - ids(extracted)
    assert not missing and not stale, f"messages.pot is stale ({FIX}): new {sorted(map(str, missing))}, gone {sorted(map(str, stale))}"


def test_the_catalogs_found():
    assert languages()[:2] == ["fr", "en"]
    assert {"es", "de", "ar", "zh", "zh_Hant", "ru"} <= set(languages())


@pytest.mark.parametrize("language", languages())
def test_every_string_is_translated(extracted, language):
    po = read(LOCALES / language / "LC_MESSAGES" / "messages.po", language)
    rule = translations(language).plural  # the header's Plural-Forms, as gettext compiles it
    assert all(0 <= rule(n) < po.num_plurals for n in range(1000)), f"{language}: a count picks a missing form"
    missing = ids(extracted) - ids(po)
    assert not missing, f"{language}: untranslated strings ({FIX}): {sorted(map(str, missing))}"
    for message in po:
        if not message.id or message.id not in ids(extracted):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: empty translation of {message.id!r}"
        if message.pluralizable:
            assert len(strings) == po.num_plurals, f"{language}: {len(strings)} forms of {message.id!r}"
        assert "fuzzy" not in message.flags, f"{language}: fuzzy translation of {message.id!r}"
        source = message.id if isinstance(message.id, str) else message.id[0]
        for form, text in enumerate(strings):
            # A plural form chosen for one count only (Arabic's for 1 and 2: "جلستان", two sessions) may leave
            # the count out; no other placeholder may be missing or added.
            single = message.pluralizable and sum(rule(n) == form for n in range(1000)) == 1
            counts = {"count", "num"} if single else set()
            assert placeholders(text) - counts == placeholders(source) - counts, \
                f"{language}: placeholders differ in {text!r}"


def test_french_plural_rule():
    po = read(LOCALES / "fr" / "LC_MESSAGES" / "messages.po", "fr")
    assert po.plural_expr.replace(" ", "") in ("(n>1)", "n>1")
    fr = translations("fr")
    assert fr.ngettext("%(count)s session", "%(count)s sessions", 0) == "%(count)s séance"
    assert fr.ngettext("%(count)s session", "%(count)s sessions", 2) == "%(count)s séances"


def test_plural_forms_follow_the_count():
    ru, ar = translations("ru"), translations("ar")
    forms = [ru.ngettext("%(count)s session", "%(count)s sessions", n) % {"count": n} for n in (1, 3, 11, 21, 25)]
    assert forms == ["1 заседание", "3 заседания", "11 заседаний", "21 заседание", "25 заседаний"]
    forms = [ar.ngettext("%(count)s session", "%(count)s sessions", n) % {"count": n} for n in (1, 2, 5, 11, 100)]
    assert forms == ["جلسة واحدة", "جلستان", "5 جلسات", "11 جلسةً", "100 جلسة"]  # one, two: no numeral


def test_a_reader_gets_the_catalog_of_their_script():
    assert catalog_name(Locale.parse("zh_Hant_TW")) == catalog_name(Locale.parse("zh_TW")) == "zh_Hant"
    assert catalog_name(Locale.parse("zh_Hans_CN")) == catalog_name(Locale.parse("zh_CN")) == "zh"
    assert catalog_name(Locale.parse("sr_Latn")) == "sr"  # no such catalog: the language's (none: English)
    assert catalog_name(Locale.parse("pt_BR")) == "pt_BR" and catalog_name(Locale.parse("pt_PT")) == "pt"
    assert Reader.of("pt_BR", "America/Sao_Paulo")._("Speakers") == "Palestrantes"
    assert Reader.of("pt_PT", "Europe/Lisbon")._("Speakers") == "Oradores"
    assert Reader.of("zh_Hant_TW", "Asia/Taipei")._("Room") != Reader.of("zh_Hans_CN", "Asia/Shanghai")._("Room")


def test_catalogs_load_without_compiled_files():
    # .mo files are git-ignored: catalogs are compiled in memory from the .po files
    assert translations("fr").gettext("Room") == "Salle"
    assert translations("en").gettext("Room") == "Room"
    assert translations("ko").gettext("Room") == "Room"  # no catalog: English UI, Korean dates


def test_a_new_string_reaches_the_other_catalogs_untranslated(tmp_path, monkeypatch):
    """Only the English catalog starts with its new strings filled in (their msgids): every catalog updated after it
    got those English texts too, as translations neither empty nor fuzzy, which no test here could see (Babel's
    `Catalog.update` adds the template's own messages)."""
    from babel.messages.catalog import Catalog

    new = "A string new to every catalog"
    for language in ("fr", "en", "es"):  # in `languages()` order: Spanish is updated after English
        (tmp_path / language / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(LOCALES / language / "LC_MESSAGES" / "messages.po", tmp_path / language / "LC_MESSAGES")
    template = Catalog(project="scheduler", charset="utf-8", fuzzy=False)
    template.add(new)
    monkeypatch.setattr(catalogs, "LOCALES_DIR", tmp_path)
    monkeypatch.setattr(catalogs, "extract", lambda: template)
    catalogs.update()
    found = {language: read(tmp_path / language / "LC_MESSAGES" / "messages.po", language)[new].string
             for language in ("fr", "en", "es")}
    assert found == {"fr": "", "en": new, "es": ""}
