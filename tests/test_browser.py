"""The HTML timetable in a real browser: Debian's Chromium driven by playwright (sync API).

This test must run in CI, never skip: `.ci/run` installs Chromium when /usr/bin/chromium is missing. Without it,
the test fails with a message saying how to install it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scheduler.event import Event
from scheduler.loading import load_event, load_timetable
from scheduler.render import render

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "fixtures" / "school.json"
TIMETABLE = ROOT / "fixtures" / "school.timetable.json"
CHROMIUM = os.environ.get("SCHEDULER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ATTACK = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> tuple[Path, Event]:
    data = json.loads(EVENT.read_text("utf-8"))
    data["sessions"][4]["title"]["fr"] = f"Visite {ATTACK}"
    event = Event.model_validate_json(json.dumps(data))
    timetable = load_timetable(TIMETABLE, load_event(EVENT))
    path = tmp_path_factory.mktemp("html") / "timetable.html"
    path.write_text(render(event, timetable, "html", "fr_CA", ("Asia/Karachi",)), "utf-8")
    return path, event


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium); "
                    ".ci/run does it in CI", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return ctx, page, problems, requests


def html_file(folder: Path, locale: str, also=()) -> Path:
    """The fixture timetable rendered as HTML in `locale` (with the `also` zones), written into `folder`."""
    event = load_event(EVENT)
    path = folder / f"timetable.{locale}.html"
    path.write_text(render(event, load_timetable(TIMETABLE, event), "html", locale, tuple(also)), "utf-8")
    return path


def test_page_loads_shows_every_session_and_switches_language(browser, page_file):
    path, event = page_file
    ctx, page, problems, requests = open_page(browser, path)
    try:
        assert page.evaluate("document.documentElement.lang") == "fr-CA"
        french = page.locator('[data-variant="fr"]')
        english = page.locator('[data-variant="en"]')
        assert french.is_visible() and not english.is_visible()
        assert french.locator("thead th").first.inner_text() == "Heure"
        for s in event.sessions:
            card = french.locator(f'[data-session="{s.id}"]')
            assert card.count() == 1 and card.is_visible(), s.id
            assert s.title["fr"] in card.locator("h3").inner_text()
        # the markup in a title is shown as text, and never ran
        assert ATTACK in french.locator('[data-session="s05"] h3').inner_text()
        assert page.locator("img").count() == 0

        # every card names its room (the header row is far above once scrolled); interpretation is labelled
        assert "Grande salle / Main hall" in french.locator('[data-session="s04"] .when').inner_text()
        assert "Interprétation" in french.locator('[data-session="s04"]').inner_text()
        # each day's table is named by its heading, and rooms keep a readable width (the wrapper scrolls)
        table = french.locator("table.grid").first
        assert table.get_attribute("aria-labelledby") == french.locator("h2").first.get_attribute("id")
        assert table.evaluate("t => getComputedStyle(t).minWidth") == "536px"  # 6.5rem + 3 rooms x 9rem
        # the break says when it ends
        assert "Pause 12 h 30" in french.locator("tr.pause-start th").first.inner_text()

        page.get_by_role("button", name="English").click()
        assert page.evaluate("document.documentElement.lang") == "en-CA"
        assert page.evaluate("document.title") == "Montreal Winter School"
        assert page.locator("nav.switch").get_attribute("aria-label") == "Language"
        assert english.is_visible() and not french.is_visible()
        assert english.locator("thead th").first.inner_text() == "Time"
        assert "Friday, February 12, 2021" in english.inner_text()
        for s in event.sessions:
            title, _lang = event.title(s, "en")
            assert title in english.locator(f'[data-session="{s.id}"] h3').inner_text()
        assert "[fr]" in english.locator('[data-session="s10"] h3').inner_text()

        page.get_by_role("button", name="Français").click()
        assert french.is_visible() and "vendredi 12 février 2021" in french.inner_text()
        assert problems == []
        assert requests == [path.as_uri()]  # no external resource
    finally:
        ctx.close()


def test_readable_on_a_phone(browser, page_file):
    path, event = page_file
    ctx, page, problems, _requests = open_page(browser, path, viewport={"width": 375, "height": 740},
                                               device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        # the grid becomes a list: no horizontal scrolling, room shown on each card, time column hidden
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        french = page.locator('[data-variant="fr"]')
        assert not french.locator("thead").first.is_visible()
        card = french.locator('[data-session="s03"]')
        assert card.is_visible() and "Salle Marie-Gérin-Lajoie" in card.locator(".when").inner_text()
        # the cards fit the screen, and the lunch break is shown between them
        assert card.bounding_box()["x"] + card.bounding_box()["width"] <= 375
        pause = french.locator("tr.pause-start th").first
        assert pause.is_visible() and "Pause" in pause.inner_text()
        assert problems == []
    finally:
        ctx.close()


def test_right_to_left_page_mirrors_and_switches_back(browser, tmp_path):
    path = html_file(tmp_path, "ar_EG")
    ctx, page, problems, _requests = open_page(browser, path, viewport={"width": 1280, "height": 900})
    try:
        assert page.evaluate("document.dir") == "rtl"
        arabic = page.locator('[data-variant="ar"]')
        time_head, first_room = arabic.locator("thead th").nth(0), arabic.locator("thead th").nth(1)
        assert time_head.bounding_box()["x"] > first_room.bounding_box()["x"]  # times on the right
        page.get_by_role("button", name="Français").click()
        assert page.evaluate("document.dir") == "ltr"
        french = page.locator('[data-variant="fr"]')
        time_head, first_room = french.locator("thead th").nth(0), french.locator("thead th").nth(1)
        assert time_head.bounding_box()["x"] < first_room.bounding_box()["x"]
        assert problems == []
    finally:
        ctx.close()


# The left and right edges of the first occurrence of a text in an element, as laid out.
TEXT_BOX = """([selector, needle]) => {
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      const box = range.getBoundingClientRect();
      return [box.left, box.right];
    }
  }
  return null;
}"""


def test_two_arabic_names_on_a_left_to_right_page_keep_their_order(browser, tmp_path):
    # Japanese joins names with '、', a neutral: between two Arabic names it joined them into one right-to-left run,
    # and the second name came first (on the left)
    data = json.loads(EVENT.read_text("utf-8"))
    data["interpreters"][2]["name"] = "ليلى حداد"  # i-swilson and i-dmacleod staff s01's English channel
    data["interpreters"][3]["name"] = "عمر خالد"
    event = Event.model_validate_json(json.dumps(data))
    path = tmp_path / "timetable.ja.html"
    path.write_text(render(event, load_timetable(TIMETABLE, event), "html", "ja"), "utf-8")
    ctx, page, problems, _requests = open_page(browser, path, viewport={"width": 1280, "height": 900})
    try:
        first = page.evaluate(TEXT_BOX, ['#ja-s01', "ليلى"])
        second = page.evaluate(TEXT_BOX, ['#ja-s01', "عمر"])
        assert first and second and first[0] < second[0], (first, second)
        assert problems == []
    finally:
        ctx.close()


def test_a_persian_reader_reads_english_sentences_left_to_right_and_persian_dates_right_to_left(browser, tmp_path):
    # Persian has no catalog: English sentences in a page marked rtl showed their final stop on the left
    path = html_file(tmp_path, "fa", ("Europe/Paris",))
    ctx, page, problems, _requests = open_page(browser, path, viewport={"width": 1280, "height": 900})
    try:
        assert page.evaluate("[document.documentElement.lang, document.dir]") == ["en", "ltr"]

        def box(selector: str, needle: str) -> tuple[float, float]:
            found = page.evaluate(TEXT_BOX, [selector, needle])
            assert found is not None, (selector, needle)
            return found

        note = '[data-variant="fa"] p.note'
        assert box(note, "Times are in")[1] < box(note, "Toronto time")[0] < box(note, "(America/Toronto).")[0]
        assert box(note, "Also shown")[1] < box(note, "(Europe/Paris).")[0]  # its final stop on the right too
        # the Persian date reads right to left: Friday (جمعه) on the right, the year on the left
        heading = '[data-variant="fa"] h2'
        assert box(heading, "2021")[1] < box(heading, "جمعه")[0]
        # an interval: its start on the right of its end, the island before the room that follows it
        when = '[data-variant="fa"] [data-session="s01"] .when'
        assert box(when, "10:30")[1] < box(when, "9:30")[0] < box(when, "Grande salle")[0]
        also = '[data-variant="fa"] [data-session="s01"] .also'
        assert box(also, "Paris:")[1] < box(also, "16:30")[0] < box(also, "15:30")[0]
        # the grid reads left to right, as its English words: times on the left
        fa = page.locator('[data-variant="fa"]')
        time_head, first_room = fa.locator("thead th").nth(0), fa.locator("thead th").nth(1)
        assert time_head.bounding_box()["x"] < first_room.bounding_box()["x"]
        assert problems == []
    finally:
        ctx.close()


# --- the reader's own time -----------------------------------------------------------------------------------


def spaced(text: str) -> str:
    """A text with the narrow, thin and no-break spaces that ICU puts in times and intervals as plain ones."""
    return " ".join(text.replace("\u202f", " ").replace("\u2009", " ").replace("\u00a0", " ").split())


def zone_name(page, tag: str, zone: str) -> str:
    """The browser's own name of a zone in a language ("heure normale du Japon"): its ICU's, not ours to test."""
    return page.evaluate("""([tag, zone]) => new Intl.DateTimeFormat(tag, {timeZone: zone, timeZoneName: "longGeneric"})
        .formatToParts(new Date(Date.UTC(2021, 1, 12))).find(p => p.type === "timeZoneName").value""", [tag, zone])


def yours(page, variant: str, session: str) -> list[str]:
    lines = page.locator(f'[data-variant="{variant}"] [data-session="{session}"] .yours')
    return [spaced(t) for t in lines.all_inner_texts()]


def test_a_reader_in_a_zone_not_shown_gets_their_own_time_in_the_variants_language(browser, page_file):
    path, _event = page_file  # fr_CA, in Toronto time, also in Karachi's
    ctx, page, problems, requests = open_page(browser, path, timezone_id="Asia/Tokyo", locale="fr-CA")
    try:
        tokyo = zone_name(page, "fr-CA", "Asia/Tokyo")  # heure normale du Japon
        # 09:30-10:30 in Toronto (UTC-5) on Friday is 23:30-00:30 in Tokyo (UTC+9): both dates shown
        assert yours(page, "fr", "s01") == [
            f"Votre heure ({tokyo}) : ven. 12 févr., 23 h 30 – sam. 13 févr., 00 h 30"]
        # 10:45-12:15 is on Saturday in Tokyo, under Friday's heading: its date shown
        assert yours(page, "fr", "s02") == [f"Votre heure ({tokyo}) : sam. 13 févr., 0 h 45 – 2 h 15"]
        # below the event's time and Karachi's, above the title, and looking like Karachi's line
        card = page.locator('[data-variant="fr"] [data-session="s02"]')
        assert card.locator(":scope > div").evaluate_all("ds => ds.map(d => d.className)")[:3] == \
            ["when", "also", "also yours"]
        assert card.locator(".yours").is_visible()
        assert page.locator('[data-variant="fr"] .yours').count() == 14  # every card, once

        page.get_by_role("button", name="English").click()
        tokyo = zone_name(page, "en-CA", "Asia/Tokyo")  # Japan Standard Time
        assert yours(page, "en", "s01") == [f"Your time ({tokyo}): Fri, Feb 12, 11:30 p.m.–Sat, Feb 13, 12:30 a.m."]
        assert page.locator('[data-variant="en"] [data-session="s01"] .yours').is_visible()
        assert problems == []
        assert requests == [path.as_uri()]
    finally:
        ctx.close()

    ctx, page, problems, _requests = open_page(browser, path, timezone_id="America/Sao_Paulo", locale="pt-BR")
    try:
        # the same day in São Paulo (UTC-3): the times alone, as the lines above them
        brasilia = zone_name(page, "fr-CA", "America/Sao_Paulo")  # heure normale de Brasilia
        assert yours(page, "fr", "s01") == [f"Votre heure ({brasilia}) : 11 h 30 – 12 h 30"]
        assert problems == []
    finally:
        ctx.close()


@pytest.mark.parametrize("zone", ["America/Toronto", "America/Montreal", "Asia/Karachi"])
def test_no_line_of_ones_own_in_a_zone_the_page_shows(browser, page_file, zone):
    # the event's zone, another name of it (tzdata merged Montreal into Toronto), an "also" zone
    path, _event = page_file
    ctx, page, problems, _requests = open_page(browser, path, timezone_id=zone)
    try:
        assert page.locator(".yours").count() == 0
        assert problems == []
    finally:
        ctx.close()


def test_without_script_the_page_is_as_written(browser, page_file):
    path, _event = page_file
    ctx, page, _problems, _requests = open_page(browser, path, timezone_id="Asia/Tokyo", java_script_enabled=False)
    try:
        assert page.locator(".yours").count() == 0
        french = page.locator('[data-variant="fr"]')
        assert french.is_visible() and "Karachi" in french.locator('[data-session="s01"] .also').inner_text()
    finally:
        ctx.close()


def test_ones_own_time_right_to_left_and_as_an_island(browser, tmp_path):
    arabic, persian = html_file(tmp_path, "ar_EG"), html_file(tmp_path, "fa")
    ctx, page, problems, _requests = open_page(browser, arabic, timezone_id="Pacific/Auckland",
                                               viewport={"width": 1280, "height": 900})
    try:
        # Arabic words from the catalog, in the right-to-left variant; the time in Latin digits, as the page's
        line = page.locator('[data-variant="ar"] [data-session="s01"] .yours')
        auckland = zone_name(page, "ar-EG", "Pacific/Auckland")  # توقيت نيوزيلندا
        assert spaced(line.inner_text()) == f"توقيتك ({auckland}): السبت، 13 فبراير، 3:30–4:30 ص"
        assert line.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert problems == []
    finally:
        ctx.close()
    ctx, page, problems, _requests = open_page(browser, persian, timezone_id="Asia/Tokyo")
    try:
        # English words (Persian has no catalog), the Persian interval marked as the page marks its own
        line = page.locator('[data-variant="fa"] [data-session="s02"] .yours')
        assert spaced(line.inner_text()).startswith(f"Your time ({zone_name(page, 'en', 'Asia/Tokyo')}): ")
        island = line.locator("bdi[lang=fa]")
        assert island.get_attribute("dir") == "rtl" and "۱۳" not in island.inner_text()  # Gregorian, Latin digits
        assert "13 فوریه" in island.inner_text() and "0:45 تا 2:15" in spaced(island.inner_text())
        assert problems == []
    finally:
        ctx.close()


def test_japanese_times_in_ones_own_zone_are_written_as_the_pages(browser, tmp_path):
    path = html_file(tmp_path, "ja")
    ctx, page, problems, _requests = open_page(browser, path, timezone_id="Europe/London")
    try:
        # 13:30～15:00 as the page's own times, not ICU's interval 14時30分～16時00分
        london = zone_name(page, "ja", "Europe/London")
        assert yours(page, "ja", "s01") == [f"あなたの時刻（{london}）：14:30～15:30"]
        assert problems == []
    finally:
        ctx.close()
