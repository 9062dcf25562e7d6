"""Renderings for people: golden files per locale, Babel formats, escaping, iCalendar, frab schema, CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest
from babel import localedata
from babel.units import format_unit
from click.testing import CliRunner
from markupsafe import escape

from scheduler.cli import cli
from scheduler.event import Event
from scheduler.loading import load_event, load_timetable
from scheduler.render import ics, render
from scheduler.render.frab import acronym
from scheduler.render.i18n import Reader, format_duration, format_list, plain
from scheduler.timetable import Timetable

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "fixtures" / "school.json"
TIMETABLE = ROOT / "fixtures" / "school.timetable.json"
GOLDEN = ROOT / "fixtures" / "golden"
SCHEMA = ROOT / "fixtures" / "c3voc-schedule.schema.json"
LOCALES = ["fr_CA", "fr_FR", "en_CA", "en_GB"]
THIN = "\u2009"
NBSP = "\u00a0"  # CLDR 49 (Babel 2.19) puts one between a number and its unit in French
NNBSP = "\u202f"  # and a narrow one before a.m. and p.m. in 12-hour intervals


@pytest.fixture(scope="module")
def school() -> tuple[Event, Timetable]:
    event = load_event(EVENT)
    return event, load_timetable(TIMETABLE, event)


def hostile(school) -> tuple[Event, Timetable]:
    """The school with markup, a table pipe and a formula in people's text."""
    event, timetable = school
    data = json.loads(EVENT.read_text("utf-8"))
    data["sessions"][4]["title"] = {"fr": "<script>alert(1)</script> | *gras* [lien](http://x)",
                                    "en": "=HYPERLINK(\"http://x\") <b>bold</b>"}
    data["speakers"][5]["name"] = "François <img src=x onerror=alert(2)> Pelletier"
    return Event.model_validate_json(json.dumps(data)), timetable


def check_golden(name: str, text: str | bytes) -> None:
    path = GOLDEN / name
    data = text.encode("utf-8") if isinstance(text, str) else text
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_bytes()
    assert data.decode("utf-8") == expected.decode("utf-8"), f"{name} differs (UPDATE_GOLDEN=1 to accept)"


# --- golden files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_golden(school, locale, fmt):
    check_golden(f"school.{locale}.{fmt}", render(*school, fmt, locale))


@pytest.mark.parametrize("locale", ["fr_CA", "en_CA"])
def test_golden_with_audience_zones(school, locale):
    check_golden(f"school.{locale}.also-tz.md", render(*school, "md", locale, ("Europe/Paris", "Asia/Karachi")))


def test_golden_frab(school):
    check_golden("school.fr_CA.frab.json", render(*school, "frab-json", "fr_CA"))


# --- Babel, not hand formatting ---------------------------------------------------------------------------


def test_dates_and_intervals_come_from_cldr(school):
    fr = render(*school, "md", "fr_CA")
    assert "## vendredi 12 février 2021" in fr
    assert f"13 h 30{THIN}–{THIN}15 h 00" in fr
    assert f"1{NBSP}h 30{NBSP}min" in fr and "Sarah Wilson et David MacLeod" in fr and "| anglais |" in fr
    en = render(*school, "md", "en_CA")
    assert "## Friday, February 12, 2021" in en and f"1:30–3:00{NNBSP}p.m." in en  # CLDR: 12 hours in en_CA
    assert "1 hr 30 mins" in en and "Sarah Wilson and David MacLeod" in en and "| French |" in en
    gb = render(*school, "md", "en_GB")
    assert "## Friday, 12 February 2021" in gb
    ff = render(*school, "md", "fr_FR")
    assert f"13:30{THIN}–{THIN}15:00" in ff


def test_ui_strings_are_translated(school):
    fr = render(*school, "md", "fr_CA")
    assert "| Heure |" in fr and "| Salle |" in fr and "Interprétation" in fr and "(plénière)" in fr
    en = render(*school, "md", "en_GB")
    assert "| Time |" in en and "| Room |" in en and "(plenary)" in en


@pytest.mark.parametrize("locale", ["ja", "zh", "zh_Hant"])
def test_no_space_after_a_full_width_stop(school, locale):
    # "…（America/Toronto）です。 併記：…": the zone note and the zones also shown were joined by an ASCII space
    for fmt in ("md", "html"):
        text = render(*school, fmt, locale, ("Europe/Paris",))
        note = next(line for line in text.splitlines() if "America/Toronto" in line and "\u3002" in line)
        assert "Europe/Paris" in note and "\u3002 " not in note, (fmt, note)
    assert "(America/Toronto). Also shown:" in render(*school, "md", "en_CA", ("Europe/Paris",))


def test_html_isolates_names_written_the_other_way(school):
    """Two Arabic names on a Japanese page, joined by '、' (no letter), are each a <bdi>: otherwise they read as one
    right-to-left run, the second name first. Not where a word of the page's direction joins them ('and', Arabic
    'و'), nor in plain text (Markdown)."""
    event, timetable = school
    data = json.loads(EVENT.read_text("utf-8"))
    data["interpreters"][2]["name"] = "ليلى حداد"  # i-swilson and i-dmacleod staff s01's English channel
    data["interpreters"][3]["name"] = "عمر خالد"
    arabic = Event.model_validate_json(json.dumps(data))
    assert "英語（<bdi>ليلى حداد</bdi>、<bdi>عمر خالد</bdi>）" in render(arabic, timetable, "html", "ja")
    assert "英語（ليلى حداد、عمر خالد）" in render(arabic, timetable, "md", "ja")
    assert "English (ليلى حداد and عمر خالد)" in render(arabic, timetable, "html", "en_CA")
    assert "<bdi>" not in render(*school, "html", "ar")  # Latin names joined by 'و'


def test_a_reader_without_a_catalog_reads_whole_english_sentences(school):
    """No Korean catalog: the UI is English, and so is every word put into it (language and city names, lists,
    durations), so that no sentence mixes two languages; dates and times stay Korean (CLDR's, outside sentences)."""
    ko = render(*school, "md", "ko", ("Europe/Paris", "Asia/Karachi"))
    assert "Times are in Toronto time (America/Toronto). Also shown: Paris (Europe/Paris) and Karachi (Asia/Karachi)." in ko
    assert "is not available in Korean; it is shown in " in ko and "| Time | Paris | Karachi | Duration |" in ko
    assert "| 1 hr 30 min |" in ko and "| English (Sarah Wilson and David MacLeod) |" in ko and "| French |" in ko
    assert "## 2021년 2월 12일 금요일" in ko and "2월 13일 (토) 오전 1:00" in ko
    hangul = re.compile(r"[\uac00-\ud7a3]")
    for line in ko.splitlines():  # Korean only in day headings and in the time columns
        words = line.split(" | ")[3:] if line.startswith("| ") else [] if line.startswith("## ") else [line]
        assert not any(hangul.search(w) for w in words), line
    hi = Reader.of("hi_IN", "Asia/Kolkata")
    assert str(hi.ui_locale) == "en_IN" and hi.language_name("fr") == "French" and hi.names(["A", "B"]) == "A and B"
    uk = Reader.of("uk", "Europe/Kyiv")
    assert uk.zone_name() == "Kyiv" and uk.duration(90) == "1 hr 30 min" and uk.date(datetime(2021, 2, 12)).startswith("пʼятниця")
    # a reader whose language has a catalog keeps their own words
    fr = Reader.of("fr_CA", "America/Toronto")
    assert fr.ui_locale == fr.locale and fr.language_name("en") == "anglais"


def test_title_fallback_is_marked(school):
    en = render(*school, "md", "en_CA")
    assert "Lecture commentée de sources : les journaux ouvriers \\[fr\\]" in en
    assert "not available in English; it is shown in French" in en
    fr = render(*school, "md", "fr_CA")
    assert "[en]" not in fr and "\\[" not in fr  # every session has a French title


def test_a_missing_title_falls_back_to_the_interface_language_then_the_floors(school):
    """A Korean reader reads English sentences (no Korean catalog): English titles, where the event's order gave
    French ones; a German reader (a German catalog) gets each talk's title in the language it is given in."""
    ko = render(*school, "md", "ko")
    assert ko.startswith("# Montreal Winter School\n")
    assert "Opening of the Winter School \\[en\\]" in ko and "Lecture commentée de sources" in ko  # s10: French only
    assert "A title followed by [en] and [fr] is not available in Korean; it is shown in English and French." in ko
    cal = icalendar.Calendar.from_ical(render(*school, "ics", "ko"))
    tags = {str(e["summary"]).split(" [")[0]: e["summary"].params["language"] for e in cal.walk("VEVENT")}
    assert tags["Opening of the Winter School"] == "en" and list(tags.values()).count("fr") == 1
    de = render(*school, "md", "de_DE")
    assert "Opening of the Winter School" not in de and "Ouverture de l'École d'hiver \\[fr\\]" in de  # s01 in French
    assert "Cities under snow" in de and "Villes sous la neige" not in de  # s02 is given in English
    # a reader whose language has the title keeps it
    assert "Ouverture de l'École d'hiver (plénière)" in render(*school, "md", "fr_CA")


def test_crossing_midnight_shows_the_date_change():
    toronto = ZoneInfo("America/Toronto")
    start, end = datetime(2021, 2, 12, 13, 30, tzinfo=toronto), datetime(2021, 2, 12, 15, 0, tzinfo=toronto)
    en = Reader.of("en_CA", "Asia/Karachi")
    assert en.interval(start, end) == "11:30 p.m.–Sat, Feb 13, 1:00 a.m."
    fr = Reader.of("fr_CA", "Asia/Karachi")
    assert fr.interval(start, end) == f"23 h 30{THIN}–{THIN}sam. 13 févr., 01 h 00"
    # a start on another date than the day heading shows its date
    late = datetime(2021, 2, 12, 15, 30, tzinfo=toronto)
    assert en.interval(late, late.replace(hour=16), on=start.date()) == f"Sat, Feb 13, 1:30–2:30{NNBSP}a.m."
    # and nothing changes when the interval stays within one day
    assert Reader.of("en_CA", "Europe/Paris").interval(start, end) == f"7:30–9:00{NNBSP}p.m."
    assert Reader.of("en_GB", "Europe/Paris").interval(start, end) == "19:30–21:00"


@pytest.mark.parametrize("locale, clock", [
    *((code, "hm") for code in ("en", "en_US", "en_CA", "en_IN", "es_MX", "ar", "hi", "bn", "ko", "el")),
    # 24 hours; Traditional Chinese prefers 12 with flexible day periods ('Bh:mm'), which Babel cannot format
    *((code, "Hm") for code in ("fr_CA", "fr", "en_GB", "de", "ja", "th", "zh_Hant_TW", "zh_Hant_HK")),
])
def test_the_clock_follows_the_locales_hour_cycle(locale, clock):
    from scheduler.render.i18n import clock_skeleton

    assert clock_skeleton(locale) == clock
    toronto = ZoneInfo("America/Toronto")
    reader = Reader.of(locale, toronto)
    start, noon = datetime(2021, 2, 12, 11, 30, tzinfo=toronto), datetime(2021, 2, 12, 13, 0, tzinfo=toronto)
    assert reader.interval(start, noon) and reader.interval(noon, noon.replace(hour=15)) and reader.time(noon)
    assert ("13" in reader.time(noon)) == (clock == "Hm")


def test_twelve_hours_everywhere_times_are_shown(school):
    """en_US prefers 12 hours (CLDR): the tables, the cards and the grid of the page, the CSV and the agendas."""
    md = render(*school, "md", "en_US", ("Asia/Karachi",))
    assert f"| 1:30{THIN}–{THIN}3:00{NNBSP}PM | 11:30 PM{THIN}–{THIN}Sat, Feb 13, 1:00 AM |" in md and "13:30" not in md
    page = render(*school, "html", "en_US")
    en_us = page[page.index('data-variant="en"'):page.index('data-variant="fr"')]
    en_us = re.sub(r' data-(start|end)="[^"]*"', "", en_us)  # ISO 8601 instants for the script (24 hours)
    assert f'<div class="when">1:30{THIN}–{THIN}3:00{NNBSP}PM' in en_us
    assert '<th class="time" scope="row">1:30 PM<' in en_us and "13:30" not in en_us  # the grid's labels too
    assert f"Break 12:30{THIN}–{THIN}1:30{NNBSP}PM" in en_us
    rows = list(csv.reader(io.StringIO(render(*school, "csv", "en_US").lstrip("\ufeff"))))
    assert rows[1][1] == f"9:30{THIN}–{THIN}10:30{NNBSP}AM"
    ko = render(*school, "md", "ko")
    assert "| 오후 1:30\\~3:00 |" in ko and "| 오전 10:45 \\~ 오후 12:15 |" in ko  # Markdown escapes ~
    assert f"| 13:30{THIN}–{THIN}15:00 |" in render(*school, "md", "fr_FR")  # France keeps 24 hours


def test_japanese_times_are_written_one_way(school):
    """CLDR's Japanese interval spells hours and minutes in words (13時30分～15時00分) where a time alone is
    numeric (13:30): the grid's 13:30 stood beside 13時30分～15時00分. Intervals are now two such times in
    CLDR's Japanese fallback, 13:30～15:00, as a crossing of midnight already was (23:30～2月13日(土) 1:00)."""
    from scheduler.render.i18n import interval_in_words

    toronto = ZoneInfo("America/Toronto")
    start, end = datetime(2021, 2, 12, 13, 30, tzinfo=toronto), datetime(2021, 2, 12, 15, 0, tzinfo=toronto)
    ja = Reader.of("ja_JP", toronto)
    assert ja.interval(start, end) == "13:30～15:00" and ja.time(start) == "13:30"
    assert ja.interval(start.replace(hour=9), end) == "9:30～15:00"
    assert ja.interval(start, end, on=start.date().replace(day=11)) == "2月12日(金) 13:30～15:00"
    md = render(*school, "md", "ja", ("Asia/Karachi",))
    assert "| 9:30～10:30 | 19:30～20:30 |" in md and "| 13:30～15:00 | 23:30～2月13日(土) 1:00 |" in md
    assert not re.search(r"\d時\d", md) and "分～" not in md
    page = render(*school, "html", "ja")
    assert '<div class="when">13:30～15:00<span class="room-m">' in page and "休憩 12:30～13:30" in page
    # only Japanese: French, German, Chinese, Korean and English intervals are CLDR's, as before
    assert sorted({code for code in localedata.locale_identifiers() for clock in ("Hm", "hm")
                   if interval_in_words(code, clock)}) == ["ja", "ja_JP"]
    assert Reader.of("fr_CA", toronto).interval(start.replace(hour=9), end.replace(hour=10, minute=30)) == \
        f"9 h 30{THIN}–{THIN}10 h 30"
    assert Reader.of("de", toronto).interval(start, end) == "13:30–15:00 Uhr"
    assert Reader.of("zh", toronto).interval(start, end) == "13:30–15:00"


def test_also_tz_columns(school):
    en = render(*school, "md", "en_CA", ("Asia/Karachi",))
    assert "| Time | Karachi | Duration |" in en
    assert "11:30 p.m.–Sat, Feb 13, 1:00 a.m." in en


def test_a_zone_of_no_place_is_labelled_by_its_offset(school):
    """IANA's Etc/GMT-3 is UTC+3 (POSIX signs): it is named by CLDR's GMT format, never 'GMT-3' alone."""
    fr = render(*school, "md", "fr", ("Etc/GMT-3",))
    assert "Aussi affiché : UTC+03:00 (Etc/GMT-3)." in fr and "| Heure | UTC+03:00 |" in fr
    assert f"| 09:30{THIN}–{THIN}10:30 | 17:30{THIN}–{THIN}18:30 |" in fr
    en = render(*school, "csv", "en_GB", ("Etc/GMT+5",))
    assert en.splitlines()[0].startswith("\ufeffDate,Time,GMT-05:00,")
    assert Reader.of("en", "Etc/GMT-3").zone_note() == "Times are in GMT+03:00 (Etc/GMT-3)."
    assert Reader.of("fr", "Etc/UTC").zone_note() == "Heures en UTC+00:00 (Etc/UTC)."
    assert Reader.of("fr", "Europe/Paris").zone_note() == "Heures de Paris (Europe/Paris)."
    cal = icalendar.Calendar.from_ical(render(*school, "ics", "en_GB", ("Etc/GMT-3",)))
    assert "\nGMT+03:00: 17:30" in str(cal.walk("VEVENT")[0]["description"])
    html = render(*school, "html", "fr", ("Etc/GMT-3",))
    assert "GMT-3 (" not in html and "Aussi affiché : UTC+03:00 (Etc/GMT-3)." in html


class _Tags(HTMLParser):
    """The attributes of every tag of a page, in order: (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_html_cards_carry_their_instants_for_the_readers_own_time(school):
    """Each card of the HTML timetable carries its start and end as ISO 8601 instants with the event zone's offset;
    the page names the zones it shows (with their other names), and each variant the words of the line that its
    script adds in the reader's own zone (tests/test_browser.py runs it)."""
    event, timetable = school
    zone = ZoneInfo(event.event.timezone)
    found = tags(render(event, timetable, "html", "fr_CA", ("Asia/Kolkata",)))
    placed = {p.session: p for p in timetable.sessions}
    cards = [a for tag, a in found if tag == "article"]
    assert len(cards) == 2 * len(placed)  # French and English variants
    for card in cards:
        p = placed[card["data-session"]]
        start, end = datetime.fromisoformat(card["data-start"]), datetime.fromisoformat(card["data-end"])
        assert (start, end) == (p.start, p.end)
        assert start.utcoffset() == zone.utcoffset(start) and end.utcoffset() == zone.utcoffset(end)
    s01 = next(a for a in cards if a["data-session"] == "s01")
    assert (s01["data-start"], s01["data-end"]) == ("2021-02-12T09:30:00-05:00", "2021-02-12T10:30:00-05:00")
    body = next(a for tag, a in found if tag == "body")
    assert set(body["data-zones"].split()) == {"America/Toronto", "America/Montreal", "America/Nipigon",
                                               "America/Thunder_Bay", "Canada/Eastern", "Asia/Kolkata",
                                               "Asia/Calcutta"}
    variants = {a["data-variant"]: a for tag, a in found if "data-variant" in a}
    assert variants["fr"]["data-your-time"] == "Votre heure (%(zone)s) : %(when)s"
    assert variants["en"]["data-your-time"] == "Your time (%(zone)s): %(when)s"
    assert (variants["fr"]["data-date-tag"], variants["fr"]["data-clock"]) == ("fr-CA", "h23")
    assert (variants["en"]["data-date-tag"], variants["en"]["data-clock"]) == ("en-CA", "h12")
    assert "data-time-range" not in variants["fr"]
    # each language's words and brackets; a Persian reader's are English, their times Persian islands
    ar = {a["data-variant"]: a for tag, a in tags(render(*school, "html", "ar_EG")) if "data-variant" in a}
    assert ar["ar"]["data-your-time"] == "توقيتك (%(zone)s): %(when)s" and ar["ar"]["data-dir"] == "rtl"
    zh = {a["data-variant"]: a for tag, a in tags(render(*school, "html", "zh_Hant")) if "data-variant" in a}
    assert zh["zh"]["data-your-time"] == "您的時間（%(zone)s）：%(when)s"
    fa = {a["data-variant"]: a for tag, a in tags(render(*school, "html", "fa")) if "data-variant" in a}
    assert fa["fa"]["data-your-time"] == "Your time (%(zone)s): %(when)s"
    assert (fa["fa"]["data-tag"], fa["fa"]["data-date-tag"], fa["fa"]["data-date-dir"]) == ("en", "fa", "rtl")
    # Japanese intervals are two single times, as the page writes them (Reader.interval)
    ja = {a["data-variant"]: a for tag, a in tags(render(*school, "html", "ja")) if "data-variant" in a}
    assert (ja["ja"]["data-time-range"], ja["ja"]["data-date-glue"]) == ("{0}～{1}", "{1} {0}")


def test_the_readers_own_time_is_for_the_browser_to_add(school):
    """Without script the page shows no line of the reader's own zone, and the script's words are the catalogs':
    the label is only in its variant's attribute."""
    page = render(*school, "html", "fr_CA")
    assert page.count("Votre heure") == page.count('data-your-time="Votre heure') == 1
    assert page.count("Your time") == page.count('data-your-time="Your time') == 1


@pytest.mark.parametrize("locale", ["de_DE", "ja_JP", "ar_EG", "pt_BR", "fr_BE", "bg_BG", "is_IS", "th_TH", "he_IL"])
def test_any_cldr_locale(school, locale):
    for fmt in ("md", "csv", "html", "ics", "frab-json", "workload-csv"):
        assert render(*school, fmt, locale)


def test_durations_and_lists():
    fr = Reader.of("fr_CA", "America/Toronto")
    assert fr.duration(90) == f"1{NBSP}h 30{NBSP}min"
    assert fr.duration(60) == f"1{NBSP}h" and fr.duration(30) == f"30{NBSP}min"
    assert fr.names(["Amina", "Jean", "Priya"]) == "Amina, Jean et Priya"
    assert fr.language_name("en") == "anglais"
    assert Reader.of("en_GB", "Europe/London").language_name("fr") == "French"
    # channels one after the other, and notes in brackets, in each language's punctuation
    assert fr.series(["anglais (A et B)", "espagnol (C)", "arabe"]) == "anglais (A et B) ; espagnol (C) ; arabe"
    assert Reader.of("ar_EG", "Africa/Cairo").series(["a", "b"]) == "a؛ b"
    ja = Reader.of("ja_JP", "Asia/Tokyo")
    assert ja.series(["a", "b"]) == "a；b" and ja.annotated("10:00–11:00", "トロント") == "10:00–11:00（トロント）"
    assert fr.annotated("Ouverture", "plénière") == "Ouverture (plénière)"
    # the narrow unit list glues Japanese and Traditional Chinese pieces with nothing, made for narrow pieces:
    # short ones, spaced inside, read '1 時間30 分' that way; Simplified Chinese pieces have no space
    from scheduler.render.i18n import format_duration
    assert [format_duration(90, loc) for loc in ("ja", "zh_Hant", "zh", "en")] == [
        "1 時間 30 分", "1 小時 30 分鐘", "1小时30分钟", "1 hr 30 min"]


def test_durations_and_lists_in_every_cldr_locale():
    # Babel's format_list raised KeyError on 1 h 30 min in Bulgarian, Icelandic or Thai (a list style the
    # locale defines only in part), and Arabic read "1 h and 30 min and 30 min"
    # (in the locale itself: a reader whose language has no catalog reads English ones, see below)
    assert Reader.of("ar_EG", "Africa/Cairo").duration(90) == "1 س و30 د"
    assert format_duration(90, "bg_BG") == "1 ч и 30 мин"
    for code in localedata.locale_identifiers():
        hour = format_unit(1, "duration-hour", length="short", locale=code)
        minutes = format_unit(30, "duration-minute", length="short", locale=code)
        text = format_duration(90, code)
        assert text.count(hour) == 1 and text.count(minutes) == 1, (code, text)
        for names in (["Amina", "Jean"], ["Amina", "Jean", "Priya", "Kwame"]):
            listed = format_list(names, locale=code)
            assert all(listed.count(name) == 1 for name in names), (code, listed)


def test_right_to_left_readers_get_a_right_to_left_page(school):
    page = render(*school, "html", "ar_EG")
    assert '<html lang="ar-EG" dir="rtl">' in page
    assert 'data-variant="ar" data-tag="ar-EG" data-dir="rtl"' in page
    assert 'data-variant="fr" data-tag="fr" data-dir="ltr"' in page  # the French and English switches
    assert '<html lang="fr-CA" dir="ltr">' in render(*school, "html", "fr_CA")


RLI, PDI = "\u2067", "\u2069"  # Unicode isolates around a right-to-left island in plain text
ISOLATES = re.compile("[\u2066-\u2069]")


def test_a_right_to_left_reader_without_a_catalog_gets_an_english_page_with_persian_islands(school):
    """Persian has no catalog: the sentences are English, so the page is English and left to right (in a page
    marked fa/rtl, 'Times are in Toronto time (America/Toronto).' showed its final stop on the left), and each date
    and time, written by CLDR in Persian, is an island marked with its language and direction."""
    page = render(*school, "html", "fa", ("Europe/Paris",))
    assert '<html lang="en" dir="ltr">' in page
    variant = r'<div class="variant" data-variant="fa" data-tag="en" data-dir="ltr" [^>]* lang="en" dir="ltr">'
    assert re.search(variant, page)
    assert '<button type="button" data-switch="fa" lang="fa"' in page  # the switch still names Persian, in Persian
    assert '<p class="note">Times are in Toronto time (America/Toronto). Also shown: Paris (Europe/Paris).</p>' in page
    assert '<h2 id="fa-2021-02-12-h"><bdi lang="fa" dir="rtl">جمعه 12 فوریه 2021</bdi></h2>' in page
    assert '<div class="when"><bdi lang="fa" dir="rtl">9:30 تا 10:30</bdi><span class="room-m">' in page
    assert '<div class="also">Paris: <bdi lang="fa" dir="rtl">15:30 تا 16:30</bdi></div>' in page
    assert '<span class="break">Break <bdi lang="fa" dir="rtl">12:30 تا 13:30</bdi></span>' in page
    # a time of digits alone has no direction of its own: it follows the English words around it
    assert '<th class="time" scope="row"><bdi lang="fa" dir="ltr">9:30</bdi></th>' in page
    assert not ISOLATES.search(page)  # HTML marks islands up; no invisible control characters
    # the French and English variants are untouched
    assert 'data-variant="fr" data-tag="fr" data-dir="ltr"' in page
    assert set(re.findall(r'<bdi lang="([^"]+)" dir="(?:ltr|rtl)">', page)) == {"fa"}  # titles: dir="auto"
    # Hebrew: a date or an interval with Hebrew words is right to left; digits alone read left to right, as in
    # English (right to left, 13:30–15:00 would show 15:00–13:30 in an English line)
    hebrew = render(*school, "html", "he", ("Asia/Karachi",))
    assert '<html lang="en" dir="ltr">' in hebrew
    assert '<bdi lang="he" dir="rtl">יום שישי, 12 בפברואר 2021</bdi>' in hebrew
    assert '<bdi lang="he" dir="ltr">13:30–15:00</bdi>' in hebrew
    assert 'Karachi: <bdi lang="he" dir="rtl">23:30 – שבת, 13 בפבר׳, 1:00</bdi>' in hebrew


def test_islands_in_plain_text_are_isolated_where_their_direction_differs(school):
    """Markdown cannot mark a language: a right-to-left date or interval among English words is set apart by
    Unicode isolates (RLI ... PDI), so that it keeps its order and the text around it its own."""
    fa = render(*school, "md", "fa", ("Asia/Karachi",))
    assert f"## {RLI}جمعه 12 فوریه 2021{PDI}\n" in fa
    assert f"| {RLI}9:30 تا 10:30{PDI} | {RLI}19:30 تا 20:30{PDI} | 1 hr |" in fa
    assert fa.startswith("# Montreal Winter School\n\nTimes are in Toronto time (America/Toronto).")
    he = render(*school, "md", "he")
    assert f"## {RLI}יום שישי, 12 בפברואר 2021{PDI}\n" in he and "| 13:30–15:00 | 1 hr 30 min |" in he
    cal = icalendar.Calendar.from_ical(render(*school, "ics", "fa", ("Asia/Karachi",)))
    assert any(f"Karachi: {RLI}19:30 تا 20:30{PDI}" in str(e["description"]) for e in cal.walk("VEVENT"))
    # a CSV cell stands alone: no isolate in it
    assert not ISOLATES.search(render(*school, "csv", "fa", ("Asia/Karachi",)))
    # a left-to-right reader without a catalog: Korean islands in the HTML (their language), none in plain text
    ko = render(*school, "html", "ko")
    assert '<html lang="en" dir="ltr">' in ko and '<bdi lang="ko" dir="ltr">2021년 2월 12일 금요일</bdi>' in ko
    assert not ISOLATES.search(render(*school, "md", "ko"))


def test_an_arabic_reader_keeps_a_right_to_left_page_without_islands(school):
    """Arabic has a catalog: the sentences are Arabic, like the dates, so the page is Arabic and right to left, as
    before, and nothing in it is an island."""
    page = render(*school, "html", "ar_EG")
    assert '<html lang="ar-EG" dir="rtl">' in page
    assert '<h2 id="ar-2021-02-12-h">الجمعة، 12 فبراير 2021</h2>' in page
    assert not re.search(r'<bdi lang="[^"]+" dir="(?:ltr|rtl)">', page) and not ISOLATES.search(page)
    check_golden("school.ar_EG.md", render(*school, "md", "ar_EG"))


def test_own_marks_the_readers_words_only_among_other_words():
    fa = Reader.of("fa", "Asia/Tehran")
    assert (fa.ui_tag, fa.ui_direction, fa.tag, fa.direction) == ("en", "ltr", "fa", "rtl")
    island = fa.own("9:30 تا <b>")
    assert island == f"{RLI}9:30 تا <b>{PDI}" and plain(island) == "9:30 تا <b>"
    assert escape(island) == '<bdi lang="fa" dir="rtl">9:30 تا &lt;b&gt;</bdi>'
    # a sentence around it keeps it marked, and escapes its own words
    note = fa.annotated(island, "A & B")
    assert note == f"{RLI}9:30 تا <b>{PDI} (A & B)" and plain(note) == "9:30 تا <b> (A & B)"
    assert escape(note) == '<bdi lang="fa" dir="rtl">9:30 تا &lt;b&gt;</bdi> (A &amp; B)'
    # readers whose interface is in their own locale: nothing to mark
    for code in ("ar_EG", "fr_CA", "en_GB", "ja"):
        reader = Reader.of(code, "UTC")
        assert reader.ui_tag == reader.tag and type(reader.own("x")) is str


def test_workload_csv_counts_what_the_interpreters_are_paid_by(school):
    from scheduler.costs import costs

    event, timetable = school
    text = render(event, timetable, "workload-csv", "fr_CA")
    check_golden("school.fr_CA.workload.csv", text)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))  # French: decimal comma
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:3] == ["Identifiant d’interprète", "Nom", "ven. 12 févr."]
    assert [r[0] for r in body] == [i.id for i in event.interpreters] and total[1] == "Total"
    days = len(event.event.days)
    for row in body:  # each day's minutes add up to the row's total, and count its days
        per_day = [int(x) for x in row[2:2 + days]]
        assert int(row[2 + days]) == sum(1 for m in per_day if m) and int(row[3 + days]) == sum(per_day)
    # the days worked are the interpreter-days the costs count (recomputed independently of the renderer)
    paid = [c for c in costs(event, timetable) if c.goal == "interpreter_day"]
    assert int(total[2 + days]) == len(paid) > 0
    worked = sum(int((p.end - p.start).total_seconds() // 60) * len(set(c.interpreters))
                 for p in timetable.sessions for c in p.channels)
    assert int(total[3 + days]) == worked


# --- escaping -----------------------------------------------------------------------------------------------


def test_markdown_escapes_people_text(school):
    out = render(*hostile(school), "md", "fr_CA")
    assert not re.search(r"(?<!\\)[<>]", out)  # every angle bracket is escaped
    assert "\\<script\\>alert(1)\\</script\\> \\| \\*gras\\* \\[lien\\](http://x)" in out
    for line in out.splitlines():
        if line.startswith("| "):
            assert line.count(" | ") == 6  # seven cells: no pipe from the data split a row


def test_html_escapes_people_text(school):
    out = render(*hostile(school), "html", "fr_CA")
    assert "<script>alert" not in out and "<img src=x" not in out and "<b>bold" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count("<script>") == 1  # only the page's own: the language switch and the reader's own time


def test_ics_escapes_the_calendar_name(school):
    # X-WR-CALNAME, an x-property, was written raw: a calendar reading it as TEXT took "\\n" for a new line
    event, timetable = school
    data = event.model_dump(mode="json")
    data["event"]["name"] = {"fr": "Back\\slash; semi, comma \\n here"}
    out = render(Event.model_validate(data), timetable, "ics", "fr_CA").decode("utf-8")
    assert "X-WR-CALNAME:Back\\\\slash\\; semi\\, comma \\\\n here\r\n" in out


def test_csv_escapes_formulas(school):
    out = render(*hostile(school), "csv", "en_CA")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    titles = [r[7] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\") <b>bold</b>" in titles
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_csv_one_row_per_session_with_localised_header(school):
    event, timetable = school
    out = render(*school, "csv", "fr_CA")
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Date", "Heure", "Durée"]
    assert sorted(r[6] for r in rows[1:]) == sorted(p.session for p in timetable.sessions)
    by_id = {p.session: p for p in timetable.sessions}
    for r in rows[1:]:
        assert datetime.fromisoformat(r[3]) == by_id[r[6]].start and datetime.fromisoformat(r[4]) == by_id[r[6]].end


@pytest.mark.parametrize("locale, separator", [("fr_CA", ";"), ("fr_FR", ";"), ("de_DE", ";"), ("pt_BR", ";"),
                                                ("en_CA", ","), ("en_GB", ","), ("ja_JP", ","), ("de_CH", ",")])
def test_csv_values_are_separated_as_the_locales_spreadsheets_expect(school, locale, separator):
    """Where the decimal symbol is a comma, Excel separates values by ';': a comma CSV opens in one column."""
    for fmt in ("csv", "workload-csv"):
        text = render(*school, fmt, locale, ("Europe/Paris",)).lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text), delimiter=separator))
        assert text.startswith(f"{rows[0][0]}{separator}{rows[0][1]}{separator}"), (fmt, text[:80])
        assert len({len(r) for r in rows}) == 1 and len(rows[0]) > 5, (fmt, rows[0])  # a cell with ';' is quoted
    if separator == ";":  # French channels are joined by " ; ": such a cell is quoted (RFC 4180)
        rows = list(csv.reader(io.StringIO(render(*hostile(school), "csv", locale).lstrip("\ufeff")), delimiter=";"))
        assert any("<script>" in cell for r in rows for cell in r)


# --- iCalendar -----------------------------------------------------------------------------------------------


def test_ics_times_equal_the_timetable(school):
    event, timetable = school
    cal = icalendar.Calendar.from_ical(render(*school, "ics", "fr_CA"))
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["America/Toronto"]
    events = cal.walk("VEVENT")
    assert len(events) == len(timetable.sessions)
    by_start = {}
    for ev in events:
        assert ev["dtstamp"] and ev["uid"]
        assert ev["dtstart"].params["TZID"] == "America/Toronto"
        by_start[str(ev["uid"])] = (ev.decoded("dtstart"), ev.decoded("dtend"), str(ev["summary"]))
    assert len(by_start) == len(events)  # unique UIDs
    again = icalendar.Calendar.from_ical(render(*school, "ics", "en_GB"))
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(by_start)  # stable across renders and locales
    starts = sorted((s, e) for s, e, _t in by_start.values())
    assert starts == sorted((p.start, p.end) for p in timetable.sessions)


def _onsets(vtimezone) -> list[tuple[datetime, object]]:
    """Each observance's onsets as a calendar that reads only the VTIMEZONE sees them (RFC 5545 3.6.5: DTSTART and
    RDATE on the clock of TZOFFSETFROM): (the moment, in UTC; the offset from then on)."""
    out = []
    for sub in vtimezone.subcomponents:
        before, after = sub["TZOFFSETFROM"].td, sub["TZOFFSETTO"].td
        walls = [sub["DTSTART"].dt]
        rdate = sub.get("RDATE")
        for dates in rdate if isinstance(rdate, list) else [rdate] if rdate else []:
            walls += [d.dt for d in dates.dts]
        out += [((w - before).replace(tzinfo=timezone.utc), after) for w in walls]
    return sorted(out)


@pytest.mark.parametrize("key", ["Europe/Paris", "Australia/Sydney", "America/Toronto"])
def test_ics_vtimezone_changes_offset_at_the_moment_the_clocks_change(key):
    # icalendar's Timezone.from_tzinfo wrote summer time's onset on the clock after the change (Paris:
    # DTSTART:20260329T030000 with TZOFFSETFROM:+0100, that is 02:00 UTC): a calendar reading the VTIMEZONE read
    # 03:00-04:00 of that day an hour wrong. The offsets it gives must be the zone's at every moment.
    zone = ZoneInfo(key)
    cal = icalendar.Calendar.from_ical(ics.calendar("x", [], zone, "en", (date(2026, 10, 24), date(2026, 10, 26))))
    onsets = _onsets(cal.walk("VTIMEZONE")[0])
    moment, end = datetime(2025, 11, 1, tzinfo=timezone.utc), datetime(2027, 10, 1, tzinfo=timezone.utc)
    wrong = []
    while moment < end:
        if [o for u, o in onsets if u <= moment][-1] != moment.astimezone(zone).utcoffset():
            wrong.append(moment)
        moment += timedelta(minutes=15)
    assert wrong == []


def test_ics_a_time_the_clocks_show_twice_is_written_in_utc_on_its_second_pass():
    # Paris, 2026-10-25: 03:00 becomes 02:00. RFC 5545 reads 02:15 (TZID=Europe/Paris) as its first pass, 00:15
    # UTC: a session at 02:15 after the change (01:15 UTC) must not come an hour early.
    zone = ZoneInfo("Europe/Paris")
    first = datetime(2026, 10, 25, 0, 15, tzinfo=timezone.utc)  # 02:15 CEST
    second = first + timedelta(hours=1)  # 02:15 CET (an aware datetime's arithmetic would drop its fold)
    half = timedelta(minutes=30)
    entries = [ics.Entry(uid=uid, start=start, end=start + half, summary=uid, location="", description="")
               for uid, start in (("a", first), ("b", second))]
    text = ics.calendar("x", entries, zone, "en", (date(2026, 10, 24), date(2026, 10, 26))).decode()
    assert "DTSTART;TZID=Europe/Paris:20261025T021500" in text  # the first pass keeps the zone's clock
    assert "DTSTART:20261025T011500Z" in text and "DTEND:20261025T014500Z" in text
    got = {str(e["uid"]): tuple(e.decoded(k).astimezone(timezone.utc) for k in ("dtstart", "dtend"))
           for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    assert got == {"a": (first, first + half), "b": (second, second + half)}


def test_ics_extra_zones_are_written_in_the_readers_language(school):
    # as on the HTML page: French puts a space before the colon ("Paris : 15 h 30")
    for locale, sep in (("fr_CA", " : "), ("en_CA", ": ")):
        cal = icalendar.Calendar.from_ical(render(*school, "ics", locale, ("Europe/Paris",)))
        description = str(cal.walk("VEVENT")[0]["description"])
        assert f"\nParis{sep}" in description, description


def test_plenaries_are_marked_in_csv_and_ics(school):
    event, _timetable = school
    plenaries = {s.id for s in event.sessions if s.kind == "plenary"}
    rows = list(csv.reader(io.StringIO(render(*school, "csv", "en_CA").lstrip("\ufeff"))))
    kind, sid = rows[0].index("Kind"), rows[0].index("Session id")
    assert plenaries and {r[sid] for r in rows[1:] if r[kind] == "plenary"} == plenaries
    assert {r[kind] for r in rows[1:]} == {"plenary", ""}
    cal = icalendar.Calendar.from_ical(render(*school, "ics", "en_CA"))
    marked = [e for e in cal.walk("VEVENT") if "categories" in e and b"plenary" in e["categories"].to_ical()]
    assert len(marked) == len(plenaries)


# --- frab / c3voc ---------------------------------------------------------------------------------------------


def test_frab_json_validates_against_the_c3voc_schema(school):
    checker = jsonschema.FormatChecker()
    assert {"uuid", "date", "date-time", "uri"} <= set(checker.checkers), "format checks need rfc3339/rfc3986 validators"
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft6Validator(schema, format_checker=checker)
    for locale in LOCALES:
        data = json.loads(render(*school, "frab-json", locale))
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, errors
    events = [ev for day in data["schedule"]["conference"]["days"] for room in day["rooms"].values() for ev in room]
    assert len(events) == len(school[1].sessions)
    assert all(p.keys() == {"name", "guid"} for ev in events for p in ev["persons"])
    assert "Interpretation: French (" in events[1]["description"]
    # the schema really checks: a broken export is refused
    data["schedule"]["conference"]["days"][0]["rooms"]["Grande salle / Main hall"][0]["guid"] = "not-a-uuid"
    assert list(validator.iter_errors(data))


def test_frab_acronym_matches_the_schema_pattern():
    pattern = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
    for event_id in ["ehm-2021", "a", "My.Conf", "x-y", "36c3", "mms-2021"]:
        assert pattern.search(acronym(event_id)), event_id


# --- command line -----------------------------------------------------------------------------------------------


def test_cli_render_every_format(tmp_path):
    runner = CliRunner()
    for fmt in ("md", "html", "ics", "csv", "frab-json", "workload-csv"):
        out = tmp_path / f"fr.{fmt}"
        result = runner.invoke(cli, ["render", str(EVENT), str(TIMETABLE), "--locale", "fr_CA", "--format", fmt,
                                     "-o", str(out), "--also-tz", "Europe/Paris"])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_cli_render_shows_the_audiences_zones_unless_told(tmp_path, school):
    """The school's audience: Toronto 70 %, Paris 20 %, Karachi 10 %: Paris and Karachi, as the golden file with
    those two zones asked for; none with --also-tz none; only the zone asked for otherwise."""
    def rendered(*args: str) -> str:
        out = tmp_path / "t.md"
        result = CliRunner().invoke(cli, ["render", str(EVENT), str(TIMETABLE), "--locale", "fr_CA", "--format", "md",
                                          "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        return out.read_text("utf-8")

    assert rendered() == render(*school, "md", "fr_CA", ("Europe/Paris", "Asia/Karachi"))
    assert rendered("--also-tz", "none") == render(*school, "md", "fr_CA")
    assert rendered("--also-tz", "none", "--also-tz", "none") == render(*school, "md", "fr_CA")  # said twice
    assert rendered("--also-tz", "Asia/Tokyo") == render(*school, "md", "fr_CA", ("Asia/Tokyo",))


def test_cli_render_says_which_audience_zones_it_left_out(tmp_path):
    data = json.loads(EVENT.read_text("utf-8"))
    data["event"]["audience"] = [{"timezone": z, "share": share} for z, share in (
        ("America/Toronto", 0.5), ("Europe/Paris", 0.2), ("Asia/Karachi", 0.1), ("Asia/Tokyo", 0.1),
        ("Australia/Sydney", 0.1))]
    event = tmp_path / "event.json"
    event.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "t.md"
    args = ["render", str(event), str(TIMETABLE), "--locale", "en_CA", "--format", "md", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "times also in Europe/Paris, Asia/Karachi and Asia/Tokyo (the 3 largest audience shares); not in " \
           "Australia/Sydney: give --also-tz once per zone to choose." in result.stderr
    result = CliRunner().invoke(cli, [*args, "--also-tz", "Asia/Tokyo"])
    assert result.exit_code == 0 and "not in" not in result.stderr
    assert "not in" not in CliRunner().invoke(cli, ["render", str(EVENT), str(TIMETABLE), "--locale", "en_CA",
                                                    "--format", "md", "-o", str(out)]).stderr
    # the formats that show no other zone say nothing of them
    for fmt in ("frab-json", "workload-csv"):
        result = CliRunner().invoke(cli, [*args[:-4], "--format", fmt, "-o", str(tmp_path / "t.out")])
        assert result.exit_code == 0 and "not in" not in result.stderr, result.stderr


def test_cli_render_suggests_the_zone_of_a_city(tmp_path):
    out = tmp_path / "t.md"
    result = CliRunner().invoke(cli, ["render", str(EVENT), str(TIMETABLE), "--locale", "fr_CA", "--format", "md",
                                      "-o", str(out), "--also-tz", "Tokyo"])
    assert result.exit_code == 2 and "did you mean 'Asia/Tokyo'?" in result.output and not out.exists()


@pytest.mark.parametrize("args, needle", [
    (["--locale", "xx_YY"], "locale"),
    (["--locale", "root"], "names no language"),  # refused as an interpreter's locale too
    (["--locale", "und"], "names no language"),
    (["--locale", "fr_CA", "--also-tz", "Mars/Olympus"], "time zone"),
    (["--locale", "fr_CA", "--also-tz", "UTC+8"], "such as 'Asia/Shanghai', which follows that city's clock "
                                                 "(and any daylight saving time), or 'Etc/GMT-8' for a fixed UTC+8 all year?), nor 'none'"),
])
def test_cli_render_bad_options(tmp_path, args, needle):
    result = CliRunner().invoke(cli, ["render", str(EVENT), str(TIMETABLE), "--format", "md",
                                      "-o", str(tmp_path / "x.md"), *args])
    assert result.exit_code == 2 and needle in result.output
    assert not (tmp_path / "x.md").exists()


def test_cli_render_bad_timetable(tmp_path):
    bad = tmp_path / "tt.json"
    data = json.loads(TIMETABLE.read_text("utf-8"))
    data["sessions"][0]["room"] = "nowhere"
    bad.write_text(json.dumps(data), "utf-8")
    result = CliRunner().invoke(cli, ["render", str(EVENT), str(bad), "--locale", "fr_CA", "--format", "md",
                                      "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 2
    assert f"{bad}: sessions[0].room: unknown room 'nowhere'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.md").exists()


def test_cli_render_unwritable_output(tmp_path):
    result = CliRunner().invoke(cli, ["render", str(EVENT), str(TIMETABLE), "--locale", "fr_CA", "--format", "md",
                                      "-o", str(tmp_path)])  # a folder
    assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output


def test_renderers_never_load_the_solver():
    import subprocess
    import sys

    code = ("import sys, scheduler.render as r\n"
            "from scheduler.render import markdown, html, ics, csv, frab, assignments, catalogs\n"
            "bad = [m for m in sys.modules if m.startswith(('ortools', 'scheduler.model', 'scheduler.solve'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_a_start_on_another_date_in_an_extra_zone_names_that_zones_date():
    """15:30 Friday in Toronto is 01:30 Saturday in Karachi: the Karachi column must say Saturday."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from scheduler.render.i18n import Reader

    toronto = ZoneInfo("America/Toronto")
    reader = Reader.of("en_CA", "America/Toronto")
    start = datetime(2021, 2, 12, 15, 30, tzinfo=toronto)
    end = datetime(2021, 2, 12, 16, 0, tzinfo=toronto)
    text = reader.interval(start, end, zone=ZoneInfo("Asia/Karachi"), on=date(2021, 2, 12))
    assert "Sat" in text and "Feb 13" in text, text


def test_cli_render_ics_previous_cancels_the_sessions_no_longer_in_the_timetable(tmp_path, school):
    """A probe's organiser re-rendered the public calendar after a re-plan: the removed sessions were left out,
    and stayed in the calendars of everyone who had imported the programme. With --previous they come as
    STATUS:CANCELLED under the UIDs the old calendar gave them, with a higher SEQUENCE."""
    event, old = school
    data = event.model_dump(mode="json")
    data["sessions"] = [s for s in data["sessions"] if s["id"] != "s05"]  # removed from the event
    now = Event.model_validate(data)
    new = old.model_copy(update={"sessions": [p for p in old.sessions if p.session not in ("s05", "s07")]})
    paths = {}
    for name, model in (("event", now), ("new", new), ("old", old)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(model.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    first = icalendar.Calendar.from_ical(render(event, old, "ics", "en_CA"))
    out = tmp_path / "new.ics"
    result = CliRunner().invoke(cli, ["render", str(paths["event"]), str(paths["new"]), "--locale", "en_CA",
                                      "--format", "ics", "-o", str(out), "--previous", str(paths["old"])])
    assert result.exit_code == 0, result.output
    assert f"{out}: ics, en_CA, 12 sessions, 2 cancelled (s05 and s07)." in result.stderr.splitlines()
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    given = {str(e["uid"]): e for e in first.walk("VEVENT")}
    cancelled = {str(e["uid"]): e for e in cal.walk("VEVENT") if str(e.get("status")) == "CANCELLED"}
    assert len(cancelled) == 2 and len(cal.walk("VEVENT")) == 14
    for uid, entry in cancelled.items():
        assert uid in given and entry.decoded("dtstart") == given[uid].decoded("dtstart")
        assert int(entry["sequence"]) > int(given[uid]["sequence"])
    summaries = sorted(str(e["summary"]) for e in cancelled.values())
    assert summaries == ["Partition, migration and memory in South Asian cities",  # s07: still in the event
                         "Session s05 (removed from the event)"]
    # only for calendars; without it, as before: the sessions are simply left out
    result = CliRunner().invoke(cli, ["render", str(paths["event"]), str(paths["new"]), "--locale", "en_CA",
                                      "--format", "md", "-o", str(tmp_path / "x.md"), "--previous", str(paths["old"])])
    assert result.exit_code == 2 and "--previous is only read with --format ics" in result.output
    plain_cal = icalendar.Calendar.from_ical(render(now, new, "ics", "en_CA"))
    assert not [e for e in plain_cal.walk("VEVENT") if e.get("status")] and len(plain_cal.walk("VEVENT")) == 12


def test_optional_session_with_no_channel_staffed_reads_not_interpreted(school):
    """s07 is optional: with its only channel unstaffed the timetable says "not interpreted", not "French (not
    interpreted)", which reads as if French were given; a session with one channel staffed of two keeps both."""
    event, timetable = school
    data = json.loads(timetable.model_dump_json(by_alias=True, exclude_none=True))
    for p in data["sessions"]:
        if p["session"] == "s07":
            p["channels"][0]["interpreters"] = []
    bare = Timetable.model_validate_json(json.dumps(data))
    for locale, whole, part in (("en_CA", "| not interpreted |", "(not interpreted)"),
                                ("fr_CA", "| sans interprétation |", "(sans interprétation)")):
        text = render(event, bare, "md", locale)
        row = next(line for line in text.splitlines() if "| s07" in line or "Partition" in line)
        assert whole in row and part not in row
        html = render(event, bare, "html", locale)
        assert part not in html
