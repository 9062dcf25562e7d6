"""`scheduler assignments`: every interpreter's and speaker's agenda in their own locale and time zone."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from scheduler.changes import changes
from scheduler.cli import cli
from scheduler.event import Event
from scheduler.loading import load_event, load_timetable
from scheduler.render import ics
from scheduler.render.assignments import files, interpreter_agenda, speaker_locale
from scheduler.render.i18n import Reader
from scheduler.timetable import Timetable

ROOT = Path(__file__).resolve().parents[1]
EVENT = ROOT / "fixtures" / "school.json"
TIMETABLE = ROOT / "fixtures" / "school.timetable.json"
THIN = "\u2009"


@pytest.fixture(scope="module")
def school() -> tuple[Event, Timetable]:
    event = load_event(EVENT)
    return event, load_timetable(TIMETABLE, event)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("assignments")
    result = CliRunner().invoke(cli, ["assignments", str(EVENT), str(TIMETABLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_a_folder_per_interpreter_and_speaker(school, written):
    event, _ = school
    assert sorted(p.name for p in (written / "interpreters").iterdir()) == sorted(i.id for i in event.interpreters)
    assert sorted(p.name for p in (written / "speakers").iterdir()) == sorted(s.id for s in event.speakers)
    for folder in [*(written / "interpreters").iterdir(), *(written / "speakers").iterdir()]:
        assert sorted(p.name for p in folder.iterdir()) == ["agenda.html", "agenda.md", "assignments.ics"]


def test_paris_interpreter_sees_paris_times(written):
    # Claire Lefebvre (fr_FR, Europe/Paris) interprets s04, 13:30-15:00 in Montreal: 19:30-21:00 in Paris
    md = (written / "interpreters" / "i-clefebvre" / "agenda.md").read_text("utf-8")
    assert "Heures de Paris (Europe/Paris)" in md
    assert f"### 19:30{THIN}–{THIN}21:00 · Logement, loyers et économie de l'hiver" in md
    assert f"Heure de l’événement : 13:30{THIN}–{THIN}15:00 (Toronto)" in md
    assert "## vendredi 12 février 2021 (1\u202fh 30\u00a0min)" in md
    assert "## samedi 13 février 2021 (3\u202fh)" in md  # two sessions that day: the day's work in all
    assert "Langues : anglais → français" in md and "En équipe avec : Jean-François Gagnon" in md
    html = (written / "interpreters" / "i-clefebvre" / "agenda.html").read_text("utf-8")
    assert '<html lang="fr-FR" dir="ltr">' in html and f"19:30{THIN}–{THIN}21:00" in html


def test_english_interpreter_agenda_in_english(written):
    md = (written / "interpreters" / "i-swilson" / "agenda.md").read_text("utf-8")
    assert md.startswith("# Sarah Wilson: interpretation assignments")
    assert "Languages: French into English" in md and "Times are in Toronto time" in md
    assert "## Friday, February 12, 2021" in md and "Event time" not in md  # same zone as the event


def test_ics_times_equal_the_timetable(school, written):
    event, timetable = school
    uids = set()
    for who in event.interpreters:
        cal = icalendar.Calendar.from_ical((written / "interpreters" / who.id / "assignments.ics").read_bytes())
        zone = who.timezone or event.event.timezone
        assert zone in [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
        expected = sorted((p.start, p.end, p.session) for p in timetable.sessions
                          for ch in p.channels if who.id in ch.interpreters)
        events = cal.walk("VEVENT")
        got = []
        for ev in events:
            assert ev["dtstart"].params["TZID"] == zone and ev["dtstamp"]
            uids.add(str(ev["uid"]))
            got.append((ev.decoded("dtstart"), ev.decoded("dtend")))
        assert sorted(got) == [(s, e) for s, e, _ in expected]
    assert len(uids) == sum(len(ch.interpreters) for p in timetable.sessions for ch in p.channels)


def test_ics_entries_say_room_pair_team(written):
    cal = icalendar.Calendar.from_ical((written / "interpreters" / "i-clefebvre" / "assignments.ics").read_bytes())
    first = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))[0]
    assert "anglais → français" in str(first["summary"])
    assert str(first["location"]) == "Grande salle / Main hall"
    text = str(first["description"])
    assert "En équipe avec : Jean-François Gagnon" in text and "Source : le parquet (anglais)" in text


def test_uids_are_stable(school):
    a = files(*school)
    b = files(*school)
    for path in a:
        if path.suffix == ".ics":
            ua = [str(e["uid"]) for e in icalendar.Calendar.from_ical(a[path]).walk("VEVENT")]
            ub = [str(e["uid"]) for e in icalendar.Calendar.from_ical(b[path]).walk("VEVENT")]
            assert ua == ub


def test_each_rendering_revises_the_calendar_entries(school, monkeypatch):
    """Calendar programs take an entry they already hold (same UID) as an update only with a higher SEQUENCE:
    a later rendering has a higher one on every entry."""
    def sequences(epoch: int) -> set[int]:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        cal = icalendar.Calendar.from_ical(files(*school)[Path("interpreters/i-swilson/assignments.ics")])
        return {int(e["sequence"]) for e in cal.walk("VEVENT")}
    first, later = sequences(1_700_000_000), sequences(1_700_000_060)
    assert len(first) == len(later) == 1 and max(first) < min(later)


def replanned(school) -> tuple[Event, Timetable, Timetable]:
    """The school with Sarah Wilson taken off s03 (Émilie Roy instead) and David MacLeod gone from the event
    (his channels given to Jean-François Gagnon, whatever the rules say: only the calendars are looked at)."""
    event, old = school
    data = event.model_dump(mode="json")
    data["interpreters"] = [i for i in data["interpreters"] if i["id"] != "i-dmacleod"]
    smaller = Event.model_validate(data)

    def swapped(p):
        channels = [c.model_copy(update={"interpreters": [
            {"i-swilson": "i-eroy", "i-dmacleod": "i-jfgagnon"}.get(w, w) if p.session == "s03" or w == "i-dmacleod"
            else w for w in c.interpreters]}) for c in p.channels]
        return p.model_copy(update={"channels": channels})
    return smaller, old.model_copy(update={"sessions": [swapped(p) for p in old.sessions]}), old


def test_calendars_cancel_what_a_replan_took_away(school):
    event, new, old = replanned(school)
    out = files(event, new, old)
    cal = icalendar.Calendar.from_ical(out[Path("interpreters/i-swilson/assignments.ics")])
    cancelled = [e for e in cal.walk("VEVENT") if str(e.get("status")) == "CANCELLED"]
    s03 = next(p for p in old.sessions if p.session == "s03")
    assert [str(e["uid"]) for e in cancelled] == [ics.guid(event.event.id, "s03", "i-swilson")]
    assert cancelled[0].decoded("dtstart") == s03.start
    # who has left the event gets a calendar that cancels all they had
    gone = icalendar.Calendar.from_ical(out[Path("interpreters/i-dmacleod/assignments.ics")])
    theirs = {p.session for p in old.sessions for c in p.channels if "i-dmacleod" in c.interpreters}
    assert {str(e["uid"]) for e in gone.walk("VEVENT")} == {ics.guid(event.event.id, s, "i-dmacleod") for s in theirs}
    assert {str(e["status"]) for e in gone.walk("VEVENT")} == {"CANCELLED"}
    # without the previous timetable, nothing is cancelled
    plain = icalendar.Calendar.from_ical(files(event, new)[Path("interpreters/i-swilson/assignments.ics")])
    assert not [e for e in plain.walk("VEVENT") if e.get("status")]


def test_cli_assignments_previous_lists_the_agendas_to_send_again(school, tmp_path):
    event, new, old = replanned(school)
    paths = {}
    for name, model in (("event", event), ("new", new), ("old", old)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(model.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    out = tmp_path / "agendas"
    result = CliRunner().invoke(cli, ["assignments", str(paths["event"]), str(paths["new"]), "-o", str(out),
                                      "--previous", str(paths["old"])])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{out / 'interpreters' / 'i-swilson'} (Sarah Wilson)" in lines
    assert f"{out / 'interpreters' / 'i-eroy'} (Émilie Roy)" in lines
    assert (f"{out / 'interpreters' / 'i-dmacleod'} (no longer in the event: their agenda and calendar cancel their "
            f"work)") in lines
    assert not any("i-clefebvre" in line for line in lines)  # her agenda did not change
    assert sorted(p.name for p in (out / "interpreters" / "i-dmacleod").iterdir()) == [
        "agenda.html", "agenda.md", "assignments.ics"]
    assert "Affectations annulées depuis le programme précédent" in (
        out / "interpreters" / "i-dmacleod" / "agenda.md").read_text("utf-8")


CANCELLED_EN = "## Cancelled since the previous timetable"
CANCELLED_FR = "## Affectations annulées depuis le programme précédent"


def section(md: str, heading: str) -> str:
    """The text of an agenda's section, from its heading to the next one of its level."""
    assert md.count(heading + "\n") == 1, md
    return md.split(heading + "\n", 1)[1].split("\n## ", 1)[0]


def cancelled_ids(html: str) -> list[str]:
    """The sessions an agenda page lists as cancelled, in its order."""
    return re.findall(r'<article id="cancelled-([^"]+)">', html)


def handed_over(timetable: Timetable, session: str, who: str, to: str) -> Timetable:
    """`timetable` with `who`'s place on `session` given to `to`."""
    def swapped(p):
        if p.session != session:
            return p
        return p.model_copy(update={"channels": [c.model_copy(update={"interpreters": [
            to if w == who else w for w in c.interpreters]}) for c in p.channels]})
    return timetable.model_copy(update={"sessions": [swapped(p) for p in timetable.sessions]})


def test_agendas_list_apart_what_a_replan_took_away(school):
    event, new, old = replanned(school)
    out = files(event, new, old)
    md = out[Path("interpreters/i-swilson/agenda.md")]
    cancelled = section(md, CANCELLED_EN)
    # dated (no day heading above it), in her zone and locale, with the title, room and pair she had
    assert "### Fri, Feb 12, 1:30–3:00\u202fp.m. · Montreal's strikes in the nineteenth century\n" in cancelled
    assert "- Room: Salle Marie-Gérin-Lajoie\n- Languages: French into English" in cancelled
    assert cancelled.count("### ") == 1 and "Event time" not in cancelled  # her zone is the event's
    assert "These assignments of the previous timetable are no longer yours." in cancelled
    # before her days, and in none of them
    assert md.index(CANCELLED_EN) < md.index("## Friday, February 12, 2021")
    assert "strikes" not in md.split("## Friday", 1)[1]
    html = out[Path("interpreters/i-swilson/agenda.html")]
    assert cancelled_ids(html) == ["s03"]
    assert '<section class="cancelled">\n<h2>Cancelled since the previous timetable</h2>' in html
    assert html.index('<section class="cancelled">') < html.index("<h2>Friday, February 12, 2021")


def test_each_interpreter_is_listed_what_they_lost_and_nothing_else(school):
    event, new, old = replanned(school)
    out = files(event, new, old)

    def theirs(timetable: Timetable, who: str) -> list[str]:
        return [p.session for p in sorted(timetable.sessions, key=lambda p: p.start)
                if any(who in c.interpreters for c in p.channels)]
    lost = {}
    for who in event.interpreters:
        lost[who.id] = [s for s in theirs(old, who.id) if s not in theirs(new, who.id)]
        assert cancelled_ids(out[Path("interpreters", who.id, "agenda.html")]) == lost[who.id], who.id
        md = out[Path("interpreters", who.id, "agenda.md")]
        assert (CANCELLED_EN in md or CANCELLED_FR in md) == bool(lost[who.id]), who.id
    assert lost["i-swilson"] == ["s03"] and not lost["i-eroy"] and not lost["i-jfgagnon"]  # they gained work
    for speaker in event.speakers:  # without the event as it was, no calendar of ours cancels a speaker's sessions
        assert "cancelled" not in out[Path("speakers", speaker.id, "agenda.html")]


def test_without_a_previous_timetable_or_anything_taken_away_agendas_are_unchanged(school):
    event, new, old = replanned(school)
    plain = files(event, new)
    pages = [path for path in plain if path.suffix in (".md", ".html")]
    for path in pages:
        assert "ancel" not in plain[path] and "nnulé" not in plain[path], path
    same = files(event, new, new)  # a previous timetable that takes nothing away
    assert all(same[path] == plain[path] for path in pages)
    # after a re-plan, the pages that differ are those of the people to tell (listed to send again): Sarah Wilson
    # lost s03, and those who took David MacLeod's channels, or whose team mate changed, have entries that say so
    replan = files(event, new, old)
    changed = {path for path in pages if replan[path] != plain[path]}
    told = changes(event, old, new)
    assert changed == {Path(kind, who, page) for kind, people in (("interpreters", told.interpreters),
                                                                  ("speakers", told.speakers))
                       for who in people for page in ("agenda.md", "agenda.html")}
    assert Path("interpreters/i-swilson/agenda.md") in changed and not told.speakers  # only interpreters' names


def test_a_cancelled_assignment_is_shown_in_the_readers_zone_and_locale(school):
    # Claire Lefebvre (fr_FR, Europe/Paris) is taken off s04 (13:30-15:00 in Montreal, 19:30-21:00 in Paris)
    event, old = school
    new = handed_over(old, "s04", "i-clefebvre", "i-mtremblay")
    md = files(event, new, old)[Path("interpreters/i-clefebvre/agenda.md")]
    cancelled = section(md, CANCELLED_FR)
    assert f"### ven. 12 févr., 19:30{THIN}–{THIN}21:00 · Logement, loyers et économie de l'hiver\n" in cancelled
    assert "- Salle : Grande salle / Main hall\n- Langues : anglais → français\n" in cancelled
    assert f"- Heure de l’événement : 13:30{THIN}–{THIN}15:00 (Toronto)" in cancelled
    assert "Ces affectations du programme précédent ne sont plus les vôtres." in cancelled
    assert "## vendredi 12 février 2021" not in md  # s04 was her only work that day


def test_an_interpreter_who_left_gets_an_agenda_that_cancels_all_they_had(school):
    event, new, old = replanned(school)  # David MacLeod has left the event
    out = files(event, new, old)
    theirs = [p.session for p in sorted(old.sessions, key=lambda p: p.start)
              if any("i-dmacleod" in c.interpreters for c in p.channels)]
    md = out[Path("interpreters/i-dmacleod/agenda.md")]
    # in the event's first language and zone, as his calendar: his own and his name are no longer known
    assert md.startswith("# i-dmacleod : affectations d’interprétation\n\nÉcole d'hiver de Montréal\n\n"
                         "Heures de Toronto (America/Toronto).\n")
    assert ("Vous ne faites plus partie des interprètes de cet événement : toutes vos affectations sont "
            "annulées.") in md
    assert re.findall(r"^## .*", md, re.M) == [CANCELLED_FR]  # no day of work
    headings = re.findall(r"^### (.*)", section(md, CANCELLED_FR), re.M)
    assert len(headings) == len(theirs) == 6
    assert headings[0] == f"ven. 12 févr., 09:30{THIN}–{THIN}10:30 · Ouverture de l'École d'hiver"
    html = out[Path("interpreters/i-dmacleod/agenda.html")]
    assert '<html lang="fr" dir="ltr">' in html and cancelled_ids(html) == theirs
    cal = icalendar.Calendar.from_ical(out[Path("interpreters/i-dmacleod/assignments.ics")])
    assert str(cal["x-wr-calname"]) == "i-dmacleod : affectations d’interprétation"


def test_a_session_removed_from_the_event_is_named_so(school):
    """Timetables hold no title, and the event no longer has the session's: it is named by its id, said removed,
    in the agenda and in the calendar entry that cancels it (which showed the bare id)."""
    event, old = school
    data = event.model_dump(mode="json")
    data["sessions"] = [s for s in data["sessions"] if s["id"] != "s05"]
    smaller = Event.model_validate(data)
    new = old.model_copy(update={"sessions": [p for p in old.sessions if p.session != "s05"]})
    out = files(smaller, new, old)
    md = out[Path("interpreters/i-dmacleod/agenda.md")]  # s05 was David MacLeod's alone
    assert "### Fri, Feb 12, 3:30–4:00\u202fp.m. · Session s05 (removed from the event)\n" in section(md, CANCELLED_EN)
    assert "- Room: Salle Marie-Gérin-Lajoie\n- Languages: French into English" in md
    html = out[Path("interpreters/i-dmacleod/agenda.html")]
    assert '<span lang="en" dir="auto">Session s05 (removed from the event)</span>' in html
    cal = icalendar.Calendar.from_ical(out[Path("interpreters/i-dmacleod/assignments.ics")])
    gone = [e for e in cal.walk("VEVENT") if str(e.get("status")) == "CANCELLED"]
    assert [str(e["summary"]) for e in gone] == ["Session s05 (removed from the event)"]
    # a French reader's words: David MacLeod gone too, his page is in the event's French
    data["interpreters"] = [i for i in data["interpreters"] if i["id"] != "i-dmacleod"]
    md = files(Event.model_validate(data), new, old)[Path("interpreters/i-dmacleod/agenda.md")]
    assert f"### ven. 12 févr., 15:30{THIN}–{THIN}16:00 · Séance s05 (retirée de l’événement)\n" in md


def test_escaping_in_the_cancelled_section():
    event, timetable = relay_event()
    data = event.model_dump(mode="json")
    data["sessions"][0]["title"] = {"en": "<b>Night</b> & *talk*"}
    event = Event.model_validate(data)
    new = handed_over(timetable, "s1", "f1", "idle")
    out = files(event, new, timetable)
    html = out[Path("interpreters/f1/agenda.html")]
    assert cancelled_ids(html) == ["s1"]
    assert "&lt;b&gt;Night&lt;/b&gt; &amp; *talk*" in html and "Room &lt;A&gt;" in html
    assert "<b>" not in html and "<A>" not in html
    md = section(out[Path("interpreters/f1/agenda.md")], "## Affectations annulées depuis le programme précédent")
    assert "\\<b\\>Night\\</b\\> \\& \\*talk\\* \\[en\\]" in md and "Room \\<A\\>" in md


def test_speaker_agenda_in_their_zone(written):
    md = (written / "speakers" / "rthompson" / "agenda.md").read_text("utf-8")
    assert "Times are in London time (Europe/London)." in md
    assert "### 3:45–5:15\u202fp.m. · Cities under snow" in md  # 10:45 in Montreal; en_CA: 12 hours
    assert "Interpretation: French (Marie Tremblay and Jean-François Gagnon)" in md
    fr = (written / "speakers" / "mlavoie" / "agenda.md").read_text("utf-8")
    assert fr.startswith("# Marc Lavoie : séances") and "Heures de Toronto" in fr


def test_speaker_locale(school):
    event, _ = school
    assert str(speaker_locale(event, event.speaker["mlavoie"])) == "fr_CA"
    assert str(speaker_locale(event, event.speaker["lmckenzie"])) == "en_CA"


def test_a_zone_written_by_an_alias_keeps_its_city_and_region():
    """America/Montreal is an alias of America/Toronto: CLDR would name it Toronto and give it no region."""
    data = json.loads(EVENT.read_text("utf-8"))
    data["event"]["timezone"] = "America/Montreal"
    event = Event.model_validate(data)
    assert str(speaker_locale(event, event.speaker["mlavoie"])) == "fr_CA"  # as with America/Toronto
    assert Reader.of("fr_CA", "America/Montreal").zone_name() == "Montréal"  # the key has no accent
    assert Reader.of("en_CA", "America/Montreal").zone_name() == "Montreal"
    assert Reader.of("fr", "Asia/Saigon").zone_name() == "Hô-Chi-Minh-Ville"  # renamed, not merged: CLDR's
    assert Reader.of("en", "US/Eastern").zone_name() == "New York"  # no city in the name: CLDR's
    assert Reader.of("fr_CA", "America/Toronto").zone_name() == "Toronto"


def test_agendas_in_a_zone_of_no_place_name_its_offset():
    """A person in Etc/GMT-3 (UTC+3 in IANA's POSIX signs) reads 'UTC+03:00', never 'GMT-3' alone."""
    data = json.loads(EVENT.read_text("utf-8"))
    next(i for i in data["interpreters"] if i["id"] == "i-mtremblay").update(timezone="Etc/GMT-3")
    next(s for s in data["speakers"] if s["id"] == "gbergeron").update(timezone="Etc/GMT-3", locale="en_GB")
    event = Event.model_validate(data)
    out = files(event, load_timetable(TIMETABLE, event))
    marie = out[Path("interpreters/i-mtremblay/agenda.md")]
    assert "Heures en UTC+03:00 (Etc/GMT-3)." in marie and "GMT-3 " not in marie
    assert f"### 18 h 45{THIN}–{THIN}20 h 15 · Villes sous la neige" in marie  # s02, 10:45 in Toronto
    speaker = out[Path("speakers/gbergeron/agenda.md")]
    assert "Times are in GMT+03:00 (Etc/GMT-3)." in speaker and "### 17:30–18:30 · " in speaker


def test_an_agenda_without_a_catalog_reads_whole_english_sentences():
    """Vietnamese and Ukrainian have no catalog: their agendas' sentences are English through and through (no
    'Tiếng Anh into Tiếng Pháp'), their calendar entries are tagged English; dates stay theirs."""
    data = json.loads(EVENT.read_text("utf-8"))
    next(i for i in data["interpreters"] if i["id"] == "i-jfgagnon").update(locale="vi", timezone="Asia/Ho_Chi_Minh")
    next(s for s in data["speakers"] if s["id"] == "rthompson").update(locale="uk")
    event = Event.model_validate(data)
    out = files(event, load_timetable(TIMETABLE, event))
    vi = out[Path("interpreters/i-jfgagnon/agenda.md")]
    assert "Times are in Ho Chi Minh City time (Asia/Ho\\_Chi\\_Minh)." in vi
    assert "- Languages: English into French" in vi and "- Source: the floor (English)" in vi
    assert "- Team mate: Marie Tremblay" in vi and "(Toronto)" in vi and "Thứ Sáu, 12 tháng 2, 2021 (" in vi
    assert "Tiếng" not in vi and " và " not in vi and " giờ" not in vi
    uk = out[Path("speakers/rthompson/agenda.md")]
    assert "- Interpretation: French (Marie Tremblay and Jean-François Gagnon)" in uk and "французька" not in uk
    cal = icalendar.Calendar.from_ical(out[Path("interpreters/i-jfgagnon/assignments.ics")])
    assert {e["summary"].params["language"] for e in cal.walk("VEVENT")} == {"en"}


def test_a_persian_agenda_is_english_with_persian_dates_marked_as_islands():
    """Persian has no catalog: the agenda's sentences are English, so the agenda is English and left to right (in
    a page marked fa/rtl, '6 assignments, 6 hr 30 min in all.' showed its stop on the left), and its dates and
    times, CLDR's Persian, are islands: <bdi lang="fa" dir="rtl"> in HTML, Unicode isolates in Markdown and in the
    calendar. An Arabic agenda (a catalog) stays Arabic and right to left, with no island."""
    rli, pdi = "\u2067", "\u2069"
    data = json.loads(EVENT.read_text("utf-8"))
    next(i for i in data["interpreters"] if i["id"] == "i-dmacleod").update(locale="fa", timezone="Asia/Tehran")
    next(i for i in data["interpreters"] if i["id"] == "i-swilson").update(locale="ar_EG", timezone="Africa/Cairo")
    event = Event.model_validate(data)
    out = files(event, load_timetable(TIMETABLE, event))
    html = out[Path("interpreters/i-dmacleod/agenda.html")]
    assert '<html lang="en" dir="ltr">' in html and "<p>6 assignments, 6 hr 30 min in all.</p>" in html
    assert '<h2><bdi lang="fa" dir="rtl">جمعه 12 فوریه 2021</bdi> (1 hr 30 min)</h2>' in html
    assert '<h3><span class="when"><bdi lang="fa" dir="rtl">18:00 تا 19:00</bdi></span> · ' in html
    assert '<dt>Event time</dt><dd><bdi lang="fa" dir="rtl">9:30 تا 10:30</bdi> (Toronto)</dd>' in html
    md = out[Path("interpreters/i-dmacleod/agenda.md")]
    assert f"## {rli}جمعه 12 فوریه 2021{pdi} (1 hr 30 min)" in md
    assert f"### {rli}18:00 تا 19:00{pdi} · Ouverture de l'École d'hiver" in md
    assert f"- Event time: {rli}9:30 تا 10:30{pdi} (Toronto)" in md and "\n6 assignments, 6 hr 30 min in all.\n" in md
    cal = icalendar.Calendar.from_ical(out[Path("interpreters/i-dmacleod/assignments.ics")])
    assert any(f"Event time: {rli}9:30 تا 10:30{pdi} (Toronto)" in str(e["description"]) for e in cal.walk("VEVENT"))
    arabic = out[Path("interpreters/i-swilson/agenda.html")]
    assert '<html lang="ar-EG" dir="rtl">' in arabic and "<bdi" not in arabic
    assert not any(c in out[Path("interpreters/i-swilson/agenda.md")] for c in (rli, pdi))


def relay_event() -> tuple[Event, Timetable]:
    """Three languages, one relay through French, one idle interpreter, a Spanish-only speaker title."""
    data = {
        "event": {"id": "relay", "name": {"en": "Relay test"}, "timezone": "America/Toronto",
                  "languages": ["en", "fr", "es"], "slot_minutes": 15,
                  "days": [{"date": "2021-02-12", "start": "18:00", "end": "23:00"}]},
        "rooms": [{"id": "r", "name": "Room <A>", "capacity": 10, "channels": 2}],
        "speakers": [{"id": "sp", "name": "Sam"}],
        "interpreters": [
            {"id": "f1", "name": "Fanny", "languages": {"A": ["fr"], "C": ["en"]}, "locale": "fr_CA"},
            {"id": "e1", "name": "Elena", "languages": {"A": ["es"], "C": ["fr"]}, "locale": "es_ES",
             "timezone": "Europe/Madrid"},
            {"id": "idle", "name": "Ida", "languages": {"A": ["fr"], "B": ["en"]}, "locale": "fr_CA"},
        ],
        "sessions": [{"id": "s1", "title": {"en": "Night talk"}, "duration": 30, "speakers": ["sp"],
                      "language": "en"}],
    }
    event = Event.model_validate_json(json.dumps(data))
    timetable = Timetable.model_validate_json(json.dumps({
        "event": "relay", "status": "feasible", "objective": 0, "bound": 0, "solve_seconds": 0,
        "sessions": [{"session": "s1", "room": "r", "start": "2021-02-12T22:15:00-05:00",
                      "end": "2021-02-12T22:45:00-05:00", "channels": [
                          {"into": "fr", "from": "en", "interpreters": ["f1"]},
                          {"into": "es", "from": "fr", "via": "fr", "interpreters": ["e1"]}]}],
    }))
    return event, timetable


def test_relay_source_and_pivot():
    event, timetable = relay_event()
    out = files(event, timetable)
    elena = out[Path("interpreters/e1/agenda.md")]
    # Madrid is six hours ahead: 04:15 on the next day, in Spanish, under the event's day (her daily limit's)
    assert "## viernes, 12 de febrero de 2021 (30 min)" in elena
    assert "### sáb, 13 feb, 4:15–4:45 · Night talk \\[en\\]" in elena
    assert "Los días son los del evento (Toronto), como los cuentan su límite diario" in elena
    assert "- Fuente: relé del canal en francés (Fanny)" in elena
    summary = icalendar.Calendar.from_ical(out[Path("interpreters/e1/assignments.ics")]).walk("VEVENT")[0]["summary"]
    assert str(summary) == "Night talk [en] · francés → español"
    assert summary.params["language"] == "es"  # mostly hers (the pair), not the title's English
    assert "- Idioma de sala: inglés" in elena  # relaying, she hears French but is told what the floor speaks
    # the event's time is dated when its date is not the one she reads above it
    assert "- Hora del evento: vie, 12 feb, 22:15–22:45 (Toronto)" in elena
    fanny = out[Path("interpreters/f1/agenda.md")]
    assert "Votre canal sert de relais pour : espagnol" in fanny
    assert "aucun (seul en cabine)" in fanny
    # the [en] after the title is explained, as on the timetable
    assert "Un titre suivi de \\[en\\] n’existe pas en français ; il est donné en anglais." in fanny


def test_interpreter_without_assignment_gets_a_folder_that_says_so():
    event, timetable = relay_event()
    out = files(event, timetable)
    assert "Aucune affectation pour cet événement." in out[Path("interpreters/idle/agenda.md")]
    assert "Aucune affectation pour cet événement." in out[Path("interpreters/idle/agenda.html")]
    cal = icalendar.Calendar.from_ical(out[Path("interpreters/idle/assignments.ics")])
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE")


def test_escaping_in_agendas():
    event, timetable = relay_event()
    out = files(event, timetable)
    assert "Room \\<A\\>" in out[Path("interpreters/f1/agenda.md")]
    html = out[Path("interpreters/f1/agenda.html")]
    assert "Room &lt;A&gt;" in html and "<A>" not in html


def test_crossing_midnight_in_agenda():
    event, timetable = relay_event()
    # 22:15-22:45 Toronto is 04:15-04:45 on the next day in Madrid: under the event's day, with its minutes of
    # work (what the interpreter's daily limit is about), the Madrid date on the session itself
    agenda = interpreter_agenda(event, timetable, event.interpreter["e1"])
    assert [heading for _d, heading, _i in agenda.days()] == ["viernes, 12 de febrero de 2021 (30 min)"]
    assert agenda.days()[0][2][0].view.when == "sáb, 13 feb, 4:15–4:45"


def test_an_interpreter_far_away_has_the_events_days_with_their_minutes():
    """In Tokyo (14 hours ahead), the school's first day (09:30-16:00 in Toronto) is two dates: one heading for
    it, with all its minutes, which the daily limit counts; each session on its own Tokyo date and time."""
    data = json.loads(EVENT.read_text("utf-8"))
    next(i for i in data["interpreters"] if i["id"] == "i-dmacleod").update(timezone="Asia/Tokyo", locale="en")
    event = Event.model_validate(data)
    timetable = load_timetable(TIMETABLE, event)  # i-dmacleod: s01 09:30-10:30, s05 15:30-16:00 on 12 Feb
    agenda = interpreter_agenda(event, timetable, event.interpreter["i-dmacleod"])
    days = agenda.days()
    assert days[0][1] == "Friday, February 12, 2021 (1 hr 30 min)"
    assert [i.view.when for i in days[0][2]] == [f"11:30 PM{THIN}–{THIN}Sat, Feb 13, 12:30 AM",
                                                 f"Sat, Feb 13, 5:30{THIN}–{THIN}6:00\u202fAM"]
    assert ("Days are the event's (Toronto), as your daily limit and your days of work count them; a session on "
            "another date of yours shows that date.") in agenda.intro
    # The daily limit, counted by the event's day, is what a heading's minutes must be checked against.
    for day, _heading, items in days:
        assert sum(i.minutes for i in items) == sum(
            p.minutes for p in timetable.sessions if p.start.astimezone(event.zone).date() == day
            for c in p.channels if "i-dmacleod" in c.interpreters)
    # In the event's own zone nothing is said of it.
    home = interpreter_agenda(event, timetable, event.interpreter["i-mtremblay"])
    assert not any("(Toronto)" in line for line in home.intro)


@pytest.mark.parametrize("person, sid, floor", [
    # Dora reads German and knows no French; s02 is given in English, with a French and an English title. The
    # event's first language (French) was the fallback; the floor's, which she hears, comes first now.
    ({"id": "i-de", "name": "Dora", "languages": {"A": ["de"], "C": ["en"]}, "locale": "de_DE"}, "s02", "en"),
    # Wang reads Chinese and English, not French; s01 is given in French, with French and English titles. The
    # floor's title came first and she got the French one.
    ({"id": "i-zh", "name": "Wang", "languages": {"A": ["zh"], "B": ["en"]}, "locale": "zh_Hans_CN"}, "s01", "fr"),
])
def test_a_title_missing_in_the_interpreters_language_is_shown_in_one_they_know(person, sid, floor):
    data = json.loads(EVENT.read_text("utf-8"))
    data["interpreters"].append(person)
    event = Event.model_validate(data)
    timetable = load_timetable(TIMETABLE, event)
    placed = next(p for p in timetable.sessions if p.session == sid)
    assert event.session[sid].language == floor and set(event.session[sid].title) == {"fr", "en"}
    agenda = interpreter_agenda(event, timetable, event.interpreter[person["id"]],
                                work=[(placed, placed.channels[0])])
    assert agenda.items[0].view.title.language == "en"


def test_labels_follow_how_many_they_name(school):
    """'Team mate' for one, 'Speakers' for two (s14 has two speakers; each team here is of two)."""
    event, timetable = school
    s14 = next(p for p in timetable.sessions if p.session == "s14")
    who = event.interpreter[s14.channels[0].interpreters[0]]
    agenda = interpreter_agenda(event, timetable, who)
    fields = dict(next(item.fields for item in agenda.items if item.view.id == "s14"))
    reader = agenda.reader
    assert reader.ngettext("Team mate", "Team mates", 1) in fields
    assert reader.ngettext("Speaker", "Speakers", 2) in fields
    assert reader.ngettext("Speaker", "Speakers", 2) != reader.ngettext("Speaker", "Speakers", 1)


def test_cli_assignments_bad_input(tmp_path):
    bad = tmp_path / "tt.json"
    bad.write_text('{"event": "ehm-2021"}', "utf-8")
    result = CliRunner().invoke(cli, ["assignments", str(EVENT), str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and str(bad) in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_replans_calendars_revise_those_rendered_in_the_same_second(school, monkeypatch):
    # a script writing the old agendas and the re-plan's within one second gave both the same SEQUENCE, and
    # calendars kept the old entries
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    event, new, old = replanned(school)
    path = Path("interpreters/i-eroy/assignments.ics")

    def sequences(calendar: bytes) -> set[int]:
        return {int(e["sequence"]) for e in icalendar.Calendar.from_ical(calendar).walk("VEVENT")}
    assert sequences(files(event, new, old)[path]) == {s + 1 for s in sequences(files(event, old)[path])}


def speakers_replanned(school, keep_rthompson: bool = False) -> tuple[Event, Timetable, Timetable, Event]:
    """(event now, new timetable, old timetable, event as it was): s05 (François Pelletier's) and s02 (Robert
    Thompson's only session) removed from the event, Robert Thompson with it (unless `keep_rthompson`), and
    François Pelletier taken off s14, which Geneviève Bergeron now closes alone."""
    event, old = school
    data = event.model_dump(mode="json")
    data["sessions"] = [{**s, "speakers": ["gbergeron"]} if s["id"] == "s14" else s for s in data["sessions"]
                        if s["id"] not in ("s02", "s05")]
    if not keep_rthompson:
        data["speakers"] = [s for s in data["speakers"] if s["id"] != "rthompson"]
    new = old.model_copy(update={"sessions": [p for p in old.sessions if p.session not in ("s02", "s05")]})
    return Event.model_validate(data), new, old, event


def cancelled_entries(calendar: bytes) -> dict[str, tuple]:
    """{uid: (start, summary)} of a calendar's cancelled entries."""
    return {str(e["uid"]): (e.decoded("dtstart"), str(e["summary"]))
            for e in icalendar.Calendar.from_ical(calendar).walk("VEVENT") if str(e.get("status")) == "CANCELLED"}


def test_speakers_of_a_removed_session_or_taken_off_one_get_their_cancellations(school):
    """With the event as it was, François Pelletier's agenda lists apart s05 (removed from the event, under its
    own title) and s14 (he no longer speaks there), and his calendar cancels both under the UIDs it had them by."""
    now, new, old, before = speakers_replanned(school)
    out = files(now, new, old, before)
    md = out[Path("speakers/fpelletier/agenda.md")]
    cancelled = section(md, "## Interventions annulées depuis le programme précédent")
    assert cancelled.startswith("\nVous n’intervenez plus dans ces séances du programme précédent.\n")
    assert re.findall(r"^### (.*)", cancelled, re.M) == [
        f"ven. 12 févr., 15 h 30{THIN}–{THIN}16 h 00 · Visite virtuelle des archives de BAnQ",
        f"dim. 14 févr., 13 h 30{THIN}–{THIN}14 h 30 · Clôture et bilan de l'École"]
    removed, dropped = cancelled.split("\n### ")[1:]
    assert removed.endswith("- Salle : Salle Marie-Gérin-Lajoie\n- Langue : français\n"
                            "- Séance : retirée de l’événement\n")
    assert "retirée" not in dropped  # s14 still takes place
    assert md.index("## Interventions annulées") < md.index("## samedi 13 février 2021")  # s06 is still his
    assert cancelled_ids(out[Path("speakers/fpelletier/agenda.html")]) == ["s05", "s14"]
    assert "<h2>Interventions annulées depuis le programme précédent</h2>" in out[
        Path("speakers/fpelletier/agenda.html")]
    # his calendar cancels the entries it was given: same UIDs, same times
    given = {str(e["uid"]): (e.decoded("dtstart"), str(e["summary"])) for e in icalendar.Calendar.from_ical(
        files(before, old)[Path("speakers/fpelletier/assignments.ics")]).walk("VEVENT")}
    gone = cancelled_entries(out[Path("speakers/fpelletier/assignments.ics")])
    assert sorted(gone) == sorted(ics.guid("ehm-2021", s, "fpelletier") for s in ("s05", "s14"))
    assert all(gone[uid] == given[uid] for uid in gone)
    # without the event as it was, as before: nothing said (the organiser is told to tell them)
    plain = files(now, new, old)
    assert "annul" not in plain[Path("speakers/fpelletier/agenda.md")]
    assert not cancelled_entries(plain[Path("speakers/fpelletier/assignments.ics")])
    assert not any(path.parts[:2] == ("speakers", "rthompson") for path in plain)


def test_only_the_speakers_who_lost_a_session_have_their_pages_changed(school):
    now, new, old, before = speakers_replanned(school)
    plain, replan = files(now, new), files(now, new, old, before)
    changed = sorted({path.parent.name for path in plain if path.parts[0] == "speakers"
                      and path.suffix != ".ics" and replan[path] != plain[path]})
    assert changed == ["fpelletier"]  # Robert Thompson has left: his folder is new
    assert sorted({path.parent.name for path in replan if path.parts[0] == "speakers"} - {
        path.parent.name for path in plain}) == ["rthompson"]


def test_a_speaker_who_left_gets_an_agenda_that_cancels_all_they_had(school):
    """Robert Thompson's only session was removed, and he from the event: the event as it was still knows his
    name, locale and zone (London), so his folder is in English, his, as his calendar was."""
    now, new, old, before = speakers_replanned(school)
    out = files(now, new, old, before)
    md = out[Path("speakers/rthompson/agenda.md")]
    assert md.startswith("# Robert Thompson: sessions\n\nMontreal Winter School\n\n"
                         "Times are in London time (Europe/London).\n\n"
                         "You are no longer among the speakers of this event: all your sessions are cancelled.\n\n"
                         "## Sessions cancelled since the previous timetable\n\n"
                         "These sessions of the previous timetable are no longer yours.\n\n"
                         "### Fri, Feb 12, 3:45–5:15\u202fp.m. · Cities under snow: a social history of winter "
                         "in North America\n\n- Room: Grande salle / Main hall\n- Language: English\n"
                         "- Session: removed from the event\n- Event time: 10:45\u202fa.m.–12:15\u202fp.m. "
                         "(Toronto)\n")
    assert re.findall(r"^## .*", md, re.M) == ["## Sessions cancelled since the previous timetable"]
    html = out[Path("speakers/rthompson/agenda.html")]
    assert '<html lang="en-CA" dir="ltr">' in html and cancelled_ids(html) == ["s02"]
    cal = out[Path("speakers/rthompson/assignments.ics")]
    assert str(icalendar.Calendar.from_ical(cal)["x-wr-timezone"]) == "Europe/London"
    assert list(cancelled_entries(cal)) == [ics.guid("ehm-2021", "s02", "rthompson")]
    assert len(icalendar.Calendar.from_ical(cal).walk("VEVENT")) == 1


def test_a_speaker_with_no_session_left_keeps_the_language_of_those_they_had(school):
    """Robert Thompson stays in the event without a session: his agenda is in the language of the ones he had
    (English, as his calendar was), not the event's first (French)."""
    now, new, old, before = speakers_replanned(school, keep_rthompson=True)
    md = files(now, new, old, before)[Path("speakers/rthompson/agenda.md")]
    assert md.startswith("# Robert Thompson: sessions\n")
    assert "No session for this event." in md and "## Sessions cancelled since the previous timetable" in md


def test_interpreters_read_the_title_of_a_removed_session_in_the_event_as_it_was(school):
    now, new, old, before = speakers_replanned(school)
    md = files(now, new, old, before)[Path("interpreters/i-dmacleod/agenda.md")]  # s05 was his alone
    assert ("### Fri, Feb 12, 3:30–4:00\u202fp.m. · A virtual tour of the BAnQ archives\n\n"
            "- Room: Salle Marie-Gérin-Lajoie\n- Languages: French into English\n"
            "- Session: removed from the event\n") in section(md, CANCELLED_EN)
    assert "Session s05" not in md
    assert "Session s05 (removed from the event)" in files(now, new, old)[Path("interpreters/i-dmacleod/agenda.md")]


def written_replan(tmp_path: Path, *models) -> list[str]:
    paths = []
    for i, model in enumerate(models):
        paths.append(tmp_path / f"{i}.json")
        paths[-1].write_text(model.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    return [str(p) for p in paths]


def test_cli_assignments_previous_event_lists_the_speakers_folders(school, tmp_path):
    now, new, old, before = speakers_replanned(school)
    event_path, new_path, old_path, before_path = written_replan(tmp_path, now, new, old, before)
    out = tmp_path / "agendas"
    result = CliRunner().invoke(cli, ["assignments", event_path, new_path, "-o", str(out), "--previous", old_path,
                                      "--previous-event", before_path])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"{out / 'speakers' / 'fpelletier'} (François Pelletier)" in lines
    assert (f"{out / 'speakers' / 'rthompson'} (Robert Thompson, no longer in the event: their agenda and calendar "
            f"cancel their sessions)") in lines
    assert f"{out}: no longer in the event: s02 and s05: cancelled in the agendas and calendars of their speakers." \
        in result.stderr.splitlines()
    assert "Interventions annulées" in (out / "speakers" / "fpelletier" / "agenda.md").read_text("utf-8")
    assert (out / "speakers" / "rthompson" / "assignments.ics").is_file()
    # without it: as before, and the hint names the option
    plain = tmp_path / "plain"
    result = CliRunner().invoke(cli, ["assignments", event_path, new_path, "-o", str(plain), "--previous", old_path])
    assert result.exit_code == 0, result.output
    assert f"{plain}: no longer in the event: s02 and s05: tell their speakers, or pass --previous-event " \
           f"OLD_EVENT.json to write their cancellations." in result.stderr.splitlines()
    assert "speakers" not in result.stdout and not (plain / "speakers" / "rthompson").exists()


def test_cli_assignments_previous_event_refusals(school, tmp_path):
    now, new, old, before = speakers_replanned(school)
    event_path, new_path, old_path, before_path = written_replan(tmp_path, now, new, old, before)
    out = tmp_path / "agendas"
    result = CliRunner().invoke(cli, ["assignments", event_path, new_path, "-o", str(out),
                                      "--previous-event", before_path])
    assert result.exit_code == 2 and "--previous-event needs --previous" in result.output, result.output
    # the old timetable must be that event's: here the new event is given for it, which lacks s02 and s05
    result = CliRunner().invoke(cli, ["assignments", event_path, new_path, "-o", str(out), "--previous", old_path,
                                      "--previous-event", event_path])
    assert result.exit_code == 2 and "Traceback" not in result.output
    index = {p.session: i for i, p in enumerate(old.sessions)}
    assert result.output.splitlines() == [
        f"{old_path}: sessions[{index[s]}].session: unknown session {s!r} in --previous-event {event_path}"
        for s in sorted(index, key=index.get) if s in ("s02", "s05")]
    assert not out.exists()


def test_an_interpreter_who_left_is_named_in_the_event_as_it_was(school):
    """Without the event as it was, David MacLeod's folder is in the event's French, under his id; with it, in his
    own English, under his name (his locale and zone are known there), and the folder listed says who he is."""
    event, new, old = replanned(school)  # he has left the event
    md = files(event, new, old, school[0])[Path("interpreters/i-dmacleod/agenda.md")]
    assert md.startswith("# David MacLeod: interpretation assignments\n\nMontreal Winter School\n\n"
                         "Times are in Toronto time (America/Toronto).\n\n")
    assert ("\nYou are no longer among the interpreters of this event: all your assignments are cancelled.\n"
            in md)
    assert len(re.findall(r"^### ", section(md, CANCELLED_EN), re.M)) == 6


def test_cli_lists_an_interpreter_who_left_by_name_with_the_event_as_it_was(school, tmp_path):
    event, new, old = replanned(school)
    event_path, new_path, old_path, before_path = written_replan(tmp_path, event, new, old, school[0])
    out = tmp_path / "agendas"
    result = CliRunner().invoke(cli, ["assignments", event_path, new_path, "-o", str(out), "--previous", old_path,
                                      "--previous-event", before_path])
    assert result.exit_code == 0, result.output
    assert (f"{out / 'interpreters' / 'i-dmacleod'} (David MacLeod, no longer in the event: their agenda and "
            f"calendar cancel their work)") in result.stdout.splitlines()


def unstaffed_and_swapped(school) -> Timetable:
    """The school with s07's French channel (optional interpretation) left without interpreters, and Sarah Wilson
    taken off s03 for Marie Tremblay: Marc Lavoie's agenda (s03) changes only in an interpreter's name."""
    event, old = school
    bare = old.model_copy(update={"sessions": [p if p.session != "s07" else p.model_copy(update={"channels": [
        c.model_copy(update={"interpreters": []}) for c in p.channels]}) for p in old.sessions]})
    return handed_over(bare, "s03", "i-swilson", "i-mtremblay")


def test_cli_assignments_says_which_audience_lost_interpretation_and_leaves_out_interpreter_swaps(school, tmp_path):
    """A probe's organiser learnt that s17 lost its French interpreters only by comparing timetables, and was told
    to send again 4 speakers' agendas in which only the interpreters' names had changed."""
    event, old = school
    new = unstaffed_and_swapped(school)
    event_path, new_path, old_path = written_replan(tmp_path, event, new, old)
    out = tmp_path / "agendas"
    result = CliRunner().invoke(cli, ["assignments", event_path, new_path, "-o", str(out), "--previous", old_path])
    assert result.exit_code == 0, result.output
    lines, notes = result.stdout.splitlines(), result.stderr.splitlines()
    assert f"{out / 'speakers' / 'asiddiqui'} (Ayesha Siddiqui)" in lines  # s07 is no longer interpreted into French
    assert not any("mlavoie" in line for line in lines)  # only the name of an interpreter of s03 changed
    assert (f"{out}: not listed, as only the names of their sessions' interpreters changed: the agendas of 1 speaker "
            f"(Marc Lavoie), up to date all the same.") in notes
    assert "Marie Tremblay" in (out / "speakers" / "mlavoie" / "agenda.md").read_text("utf-8")  # up to date
    assert (f"{out}: against {old_path}: s07: no longer interpreted into French (optional channel left unstaffed): "
            f"tell its audience.") in notes
    # the reverse: staffed anew
    result = CliRunner().invoke(cli, ["assignments", event_path, old_path, "-o", str(tmp_path / "back"),
                                      "--previous", new_path])
    assert (f"{tmp_path / 'back'}: against {new_path}: s07: now interpreted into French (optional channel staffed): "
            f"tell its audience.") in result.stderr.splitlines()


def test_solve_previous_summary_says_which_audience_lost_interpretation(school):
    from scheduler.changes import changes
    from scheduler.cli import _changes_line, _interpretation_lines

    event, old = school
    what = changes(event, old, unstaffed_and_swapped(school))
    assert _interpretation_lines(event, what) == [
        "s07: no longer interpreted into French (optional channel left unstaffed): tell its audience."]
    assert _changes_line(event, what) == (
        "0 sessions moved; agendas changed for 5 interpreters (Marie Tremblay, Jean-François Gagnon, Sarah Wilson, "
        "Claire Lefebvre and Émilie Roy); 1 speaker (Ayesha Siddiqui); and for 1 speaker (Marc Lavoie) only in the "
        "names of their interpreters, who need not be told.")


def changed_lines(md: str) -> list[tuple[str, str]]:
    """(entry heading, its 'Changed' line) of an agenda's entries that have one."""
    return re.findall(r"^### (.*)\n\n(?:- .*\n)*?- (Chang.*)$", md, re.M)


def test_entries_of_an_agenda_sent_again_say_what_changed(school):
    """A probe's speaker got her agenda again with her session moved from 16:30 in salle-b to 14:00 in the amphi,
    and nothing said so. Here s03 moves from salle-b at 13:30 to the main hall at 15:30, Sarah Wilson's place on
    s01 goes to Émilie Roy, and s07 loses its French interpreters: each entry that differs says how it was, dated, in
    the reader's zone and locale (their calendar's description too); a speaker is not told of new interpreters."""
    event, old = school
    new = handed_over(old, "s01", "i-swilson", "i-eroy")
    new = new.model_copy(update={"sessions": [
        p if p.session != "s03" else p.model_copy(update={"room": "grande-salle", "start": p.start + timedelta(hours=2),
                                                          "end": p.end + timedelta(hours=2)})
        for p in unstaffed_and_swapped((event, new)).sessions]})
    new = handed_over(new, "s03", "i-mtremblay", "i-swilson")  # undo the swap of unstaffed_and_swapped on s03
    out = files(event, new, old)
    md = {who: out[Path(who, "agenda.md")] for who in (
        "interpreters/i-swilson", "interpreters/i-dmacleod", "interpreters/i-eroy", "speakers/mlavoie",
        "speakers/asiddiqui", "speakers/gbergeron", "interpreters/i-mtremblay")}
    previously = "Fri, Feb 12, 1:30–3:00\u202fp.m., Salle Marie-Gérin-Lajoie"
    assert changed_lines(md["interpreters/i-swilson"]) == [
        ("3:30–5:00\u202fp.m. · Montreal's strikes in the nineteenth century", f"Changed: previously {previously}")]
    assert changed_lines(md["interpreters/i-eroy"]) == [
        ("9:30–10:30\u202fa.m. · Opening of the Winter School", "Changed: new since the previous timetable"),
        ("3:30–5:00\u202fp.m. · Montreal's strikes in the nineteenth century", f"Changed: previously {previously}")]
    assert changed_lines(md["interpreters/i-dmacleod"]) == [  # a new team mate
        ("9:30–10:30\u202fa.m. · Opening of the Winter School", "Changed: previously with Sarah Wilson")]
    assert changed_lines(md["speakers/mlavoie"]) == [  # in French, her locale
        (f"15 h 30{THIN}–{THIN}17 h 00 · Les grèves de Montréal au XIXe siècle",
         f"Changement : auparavant ven. 12 févr., 13 h 30{THIN}–{THIN}15 h 00, Salle Marie-Gérin-Lajoie")]
    assert changed_lines(md["speakers/asiddiqui"]) == [  # in Karachi
        ("9:00–10:30\u202fp.m. · Partition, migration and memory in South Asian cities",
         "Changed: previously interpreted into French")]
    assert changed_lines(md["speakers/gbergeron"]) == []  # s01's interpreters changed: she need not be told
    assert changed_lines(md["interpreters/i-mtremblay"]) == []  # nothing of hers changed
    assert "<dt>Changed</dt><dd>previously with Sarah Wilson</dd>" in out[Path("interpreters/i-dmacleod/agenda.html")]
    cal = icalendar.Calendar.from_ical(out[Path("speakers/mlavoie/assignments.ics")])
    s03 = next(e for e in cal.walk("VEVENT") if str(e["uid"]) == ics.guid(event.event.id, "s03", "mlavoie"))
    assert str(s03["description"]).startswith(
        f"Changement : auparavant ven. 12 févr., 13 h 30{THIN}–{THIN}15 h 00, Salle Marie-Gérin-Lajoie\nSalle : ")
    # without the previous timetable, or against itself, no entry says it changed
    for pages in (files(event, new), files(event, new, new)):
        assert not any("Chang" in text for path, text in pages.items()
                       if path.suffix != ".ics" and path.parts[0] == "speakers")
        assert "Changed" not in pages[Path("interpreters/i-eroy/agenda.md")]
