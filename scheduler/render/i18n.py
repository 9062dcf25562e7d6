"""Everything a person reads passes through here: Babel (CLDR) formatting and the gettext catalogs.

`Reader` bundles one locale, one time zone and the matching gettext translations. Renderers ask it for dates,
time intervals, durations, lists of names, language names and UI strings; nothing else formats a date.

Catalogs live in `locales/<lang>/LC_MESSAGES/messages.po` at the root of the project and are compiled in memory
when first used (`.mo` files are never needed on disk). A language without a catalog shows the English msgids,
and then every word put into them is English too (`Reader.ui_locale`: language and city names, lists, durations),
so that no sentence mixes two languages; dates and times still follow the reader's own CLDR locale. Those are then
islands in another language among the interface's words (Persian dates in English sentences): `Reader.own` marks
them, with their language and direction in HTML and, where their direction differs, Unicode isolates in plain text.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from pathlib import Path
from unicodedata import bidirectional
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import (format_date, format_interval, format_skeleton, get_datetime_format, get_timezone_gmt,
                         get_timezone_location)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.units import format_unit
from markupsafe import Markup, escape

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The gettext translations of a language, compiled in memory from its `.po` file (English msgids if none)."""
    po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return _gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def parse_locale(code: str) -> Locale:
    """A CLDR locale from `fr_CA`, `fr-CA` or `fr`; ValueError with a readable reason otherwise."""
    if code.lower() in ("root", "und"):  # refused as an interpreter's locale too (types._check_language)
        raise ValueError(f"{code!r} is CLDR's neutral locale and names no language: give a reader's locale "
                         "(e.g. fr_CA, en_GB)")
    try:
        return Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError) as exc:
        raise ValueError(f"{code!r} is not a locale known to CLDR (e.g. fr_CA, en_GB)") from exc


# CLDR's aliases between list styles (root.xml), followed key by key: a locale may define only some of a style's
# patterns ("is" has unit-narrow's start and middle), the others come from the next style of the chain.
_LIST_STYLE_CHAIN = {
    "standard": ("standard",),
    "unit-narrow": ("unit-narrow", "unit-short", "unit", "standard"),
}


@cache
def _list_patterns(locale: str, style: str) -> dict[str, str]:
    patterns: dict[str, str] = {}
    styles = Locale.parse(locale).list_patterns
    for name in _LIST_STYLE_CHAIN.get(style, (style, "standard")):
        for key, pattern in (styles.get(name) or {}).items():
            patterns.setdefault(key, pattern)
    return patterns


def format_list(items: list[str], style: str = "standard", locale: Locale | str = "en") -> str:
    """'A, B and C' in a locale. Not Babel's `format_list` (2.19): it takes the first style of the chain that
    a locale has, even partly, so Bulgarian, Icelandic and Thai durations of 1 h 30 min raised KeyError, and
    Arabic read '1 h and 30 min and 30 min' (two items glued by 'start', then by 'end' again)."""
    if len(items) <= 1:
        return items[0] if items else ""
    patterns = _list_patterns(str(locale), style)
    if len(items) == 2:
        return patterns["2"].format(*items)
    text = patterns["start"].format(items[0], items[1])
    for item in items[2:-1]:
        text = patterns["middle"].format(text, item)
    return patterns["end"].format(text, items[-1])


def has_catalog(name: str) -> bool:
    """Whether `locales/` holds a catalog of that name (`fr`, `pt_BR`, `zh_Hant`)."""
    return (LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()


def format_duration(minutes: int, locale: Locale | str) -> str:
    """'1 h 30 min': CLDR's short unit pieces, glued by the locale's narrow unit list ('1 hr 30 min', not the short
    list's '1 hr, 30 mins' or French '1 h et 30 min'); where that list glues with nothing, being made for narrow
    pieces ('1時間30分'), and the short pieces are spaced ('1 時間'), by the short list ('1 時間 30 分', not
    '1 時間30 分')."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="short", locale=locale))
    if rest or not hours:
        parts.append(format_unit(rest, "duration-minute", length="short", locale=locale))
    glued = _list_patterns(str(locale), "unit-narrow")["2"] == "{0}{1}" and any(" " in p for p in parts)
    return format_list(parts, style="unit-short" if glued else "unit-narrow", locale=locale)


@cache
def clock_skeleton(locale: str) -> str:
    """'hm' where CLDR's preferred hour cycle is 12 hours (its short time has 'h' or 'K': en_US, en_CA, ko, ar,
    hi...), else 'Hm'. Also 'Hm' where Babel cannot format the 12-hour patterns: Traditional Chinese writes them
    with flexible day periods ('Bh:mm', 下午1:30), which Babel 2.19 does not implement; CLDR allows 24 hours
    there (timeData: 'h hB hb H' in Taiwan)."""
    loc = Locale.parse(locale)
    pattern = re.sub(r"'[^']*'", "", loc.time_formats["short"].pattern)  # quoted text: fr_CA's "HH 'h' mm"
    if "h" not in pattern and "K" not in pattern:
        return "Hm"
    morning, noon, afternoon = (datetime(2021, 2, 12, h, 30) for h in (11, 13, 15))
    try:  # a time, an interval within a half-day and one across noon: each may use a different pattern
        format_skeleton("hm", noon, locale=loc)
        format_interval(noon, afternoon, "hm", locale=loc)
        format_interval(morning, afternoon, "hm", locale=loc)
    except NotImplementedError:
        return "Hm"
    return "hm"


_HOUR_TO_MINUTE = re.compile(r"[HhKk]+(.*?)m")


def _between_hour_and_minute(pattern: str) -> str:
    """What a time pattern writes between the hour and the minute ('時' in 'H時mm分', ':' in 'H:mm'), quotes removed."""
    found = _HOUR_TO_MINUTE.search(_unquote(pattern))
    return found.group(1) if found else ""


@cache
def interval_in_words(locale: str, skeleton: str) -> bool:
    """Whether CLDR's interval of a skeleton spells the hour and the minute with words where the locale's single
    time is numeric: Japanese 'H時mm分～H時mm分' (13時30分～15時00分) against 'H:mm' (13:30) for a time alone. Such
    an interval is then written as two single times in the locale's fallback ('{0}～{1}': 13:30～15:00), so that a
    page does not mix both styles. French ('9 h 30 – 10 h 30', '09 h 30') and German ('13:30–15:00 Uhr') keep
    CLDR's: the same style either way."""
    loc = Locale.parse(locale)
    single = loc.datetime_skeletons.get(skeleton)
    intervals = loc.interval_formats.get(skeleton)
    if single is None or not intervals:
        return False

    def in_words(pattern: str) -> bool:
        return any(c.isalpha() for c in _between_hour_and_minute(pattern))

    halves = [half for parts in intervals.values() for half in parts]
    return not in_words(str(single)) and all(in_words(str(half)) for half in halves)


def catalog_name(locale: Locale) -> str:
    """The catalog of a locale: its region's when one exists (`pt_BR`), else its script's (`zh_Hant` for a
    Traditional Chinese reader), else the language's."""
    for name in (f"{locale.language}_{locale.territory}" if locale.territory else None,
                 f"{locale.language}_{locale.script}" if locale.script else None):
        if name and has_catalog(name):
            return name
    return locale.language


@cache
def ui_locale(locale: Locale) -> Locale:
    """The locale of a reader's words: theirs when their language has a catalog, else that of the English msgids
    they read instead, in their region when CLDR has it (hi_IN -> en_IN, ko_KR -> en)."""
    return locale if has_catalog(catalog_name(locale)) else sibling_locale(locale, "en")


def sibling_locale(locale: Locale, language: str) -> Locale:
    """The locale of `language` in the same region as `locale` when CLDR has it (fr_CA -> en_CA), else `language`."""
    if locale.language == language:
        return locale
    if locale.territory:
        try:
            return Locale.parse(f"{language}_{locale.territory}")
        except (ValueError, UnknownLocaleError):
            pass
    return Locale.parse(language)


# Unicode isolates (UAX #9): text between LRI or RLI and PDI is laid out on its own, left to right or right to left,
# and the text around sees it as one neutral character. Plain text cannot carry a direction otherwise.
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


def direction(locale: Locale) -> str:
    """'rtl' for a locale written right to left (Arabic, Hebrew, Persian, Urdu...), else 'ltr' (HTML's `dir`)."""
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def bcp47(locale: Locale) -> str:
    """The BCP 47 tag of a locale, for `lang` attributes (fr-CA)."""
    return str(locale).replace("_", "-")


class Marked(str):
    """Text holding islands in the reader's own locale among the interface's words (`Reader.own`): as a string, plain
    text with Unicode isolates around the islands whose direction differs from the interface's; `__html__` (which
    Jinja2's autoescape and `Markup` use) marks each island up with its language and direction; `plain` has
    neither (CSV cells). Any other string operation gives a plain `str`: compose with `Reader._`."""

    html: Markup
    plain: str

    def __new__(cls, text: str, html: Markup, plain: str) -> Marked:
        self = super().__new__(cls, text)
        self.html = html
        self.plain = plain
        return self

    def __html__(self) -> Markup:
        return self.html


def _written(text: str, way: str) -> bool:
    """Whether a text holds a character of that direction: a letter (or, right to left, an Arabic digit)."""
    kinds = ("R", "AL", "AN") if way == "rtl" else ("L",)
    return any(bidirectional(c) in kinds for c in text)


def first_strong(text: str) -> str | None:
    """The direction of a text's first strong character ('ltr', 'rtl'), as `dir="auto"` finds it; None without."""
    for c in text:
        kind = bidirectional(c)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def plain(text: str) -> str:
    """A text without the marks of its islands (`Marked.plain`): for a CSV cell, which stands alone."""
    return text.plain if isinstance(text, Marked) else text


def fill(message: str, values: dict[str, object]) -> str:
    """`message % values`, keeping the islands of `Marked` values marked in the result."""
    text = message % values
    if not any(isinstance(v, Marked) for v in values.values()):
        return text
    return Marked(text, Markup(escape(message)) % values,
                  message % {k: plain(v) if isinstance(v, str) else v for k, v in values.items()})


def _unquote(pattern: str) -> str:
    # CLDR date-time glue patterns may quote literal words ("{1} 'à' {0}"); '' is a literal quote.
    return pattern.replace("''", "\0").replace("'", "").replace("\0", "'")


@dataclass(frozen=True)
class Reader:
    """One reader's way of seeing the timetable: a CLDR locale, a time zone and UI translations."""

    locale: Locale
    zone: ZoneInfo
    also: tuple[ZoneInfo, ...] = field(default=())

    @classmethod
    def of(cls, locale: str | Locale, zone: str | ZoneInfo, also: tuple[str, ...] = ()) -> Reader:
        loc = locale if isinstance(locale, Locale) else parse_locale(locale)
        tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        return cls(loc, tz, tuple(ZoneInfo(z) for z in also))

    @property
    def language(self) -> str:
        return self.locale.language

    @property
    def ui_locale(self) -> Locale:
        """The locale of the words around dates and times: UI strings, and the language and city names, lists and
        durations put into them (English ones when the reader's language has no catalog)."""
        return ui_locale(self.locale)

    @property
    def ui_language(self) -> str:
        """The language of the UI strings ('en' for a Korean reader: no Korean catalog)."""
        return self.ui_locale.language

    @property
    def direction(self) -> str:
        """The direction of the reader's locale, that of its dates and times: 'rtl' for Arabic, Hebrew, Persian or
        Urdu readers, else 'ltr'."""
        return direction(self.locale)

    @property
    def tag(self) -> str:
        """BCP 47 tag of the reader's locale (fr-CA), that of its dates and times."""
        return bcp47(self.locale)

    @property
    def ui_direction(self) -> str:
        """The direction of the interface's words, that of a page or an agenda: 'ltr' for a Persian reader, who
        reads English sentences (no catalog); 'rtl' for an Arabic one."""
        return direction(self.ui_locale)

    @property
    def ui_tag(self) -> str:
        """BCP 47 tag of the interface's words, the `lang` of a page or an agenda ('en' for a Persian reader)."""
        return bcp47(self.ui_locale)

    def own(self, text: str) -> str:
        """Text in the reader's own locale (a date, a time, an interval), as an island when the words around it are
        in another language (the English interface of a reader without a catalog): marked up in HTML with its
        language and direction (`<bdi lang="fa" dir="rtl">`), set apart in plain text by Unicode isolates when its
        direction differs from the interface's (RLI ... PDI: a Persian interval in an English sentence keeps its
        order, and the sentence its final punctuation). The text itself when the interface is in the reader's
        locale (Arabic, French...).

        Its direction is its locale's when it holds letters or digits of that direction ('9:30 تا 10:30', a Hebrew
        date: right to left), else that of the words around it: a Hebrew '13:30–15:00', digits only, reads left to
        right in an English line, as it would in English, where right to left would show '15:00–13:30'."""
        if self.locale == self.ui_locale:
            return text
        way = self.direction if _written(text, self.direction) else self.ui_direction
        isolated = text if way == self.ui_direction else (RLI if way == "rtl" else LRI) + text + PDI
        return Marked(isolated, Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(self.tag, way, text), text)

    @cached_property
    def _t(self) -> _gettext.NullTranslations:
        return translations(catalog_name(self.locale))

    # gettext ---------------------------------------------------------------------------------------------

    def _(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return fill(text, values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return fill(self._t.ngettext(singular, plural, n), {"num": n, **values})

    # CLDR ------------------------------------------------------------------------------------------------

    def in_zone(self, moment: datetime, zone: ZoneInfo | None = None) -> datetime:
        return moment.astimezone(zone or self.zone)

    def date(self, day: date | datetime, zone: ZoneInfo | None = None) -> str:
        """'vendredi 12 février 2021' (CLDR 'full')."""
        if isinstance(day, datetime):
            day = self.in_zone(day, zone).date()
        return format_date(day, "full", locale=self.locale)

    def short_date(self, day: date | datetime, zone: ZoneInfo | None = None) -> str:
        """'ven. 12 févr.' (skeleton MMMEd)."""
        if isinstance(day, datetime):
            day = self.in_zone(day, zone).date()
        return format_skeleton("MMMEd", day, locale=self.locale)

    @property
    def clock(self) -> str:
        """The skeleton of a time of day: 'hm' (1:30 PM) where the locale prefers 12 hours, else 'Hm' (13:30)."""
        return clock_skeleton(str(self.locale))

    def time(self, moment: datetime, zone: ZoneInfo | None = None) -> str:
        """'13 h 00', '1:30 PM' (the locale's hour cycle)."""
        return format_skeleton(self.clock, self.in_zone(moment, zone), locale=self.locale)

    @property
    def glue(self) -> str:
        """The locale's glue of a date ('{1}') and a time ('{0}'): '{1}, {0}'; Japanese '{1} {0}'."""
        return _unquote(str(get_datetime_format("medium", locale=self.locale)))

    @property
    def interval_fallback(self) -> str:
        """The locale's interval of two dates or times written in full ('{0}'), ('{1}'): '{0} – {1}'; Japanese
        '{0}～{1}'."""
        return self.locale.interval_formats.get(None, "{0} – {1}")

    @property
    def interval_in_words(self) -> bool:
        """Whether CLDR's time interval spells times with words that a single time does not (`interval_in_words`):
        such an interval is written as two single times in `interval_fallback`."""
        return interval_in_words(str(self.locale), self.clock)

    def date_time(self, moment: datetime, zone: ZoneInfo | None = None) -> str:
        """'sam. 13 févr., 00 h 30': the locale's own glue of a short date and a time."""
        return self.glue.format(self.time(moment, zone), self.short_date(moment, zone))

    def interval(self, start: datetime, end: datetime, zone: ZoneInfo | None = None,
                 on: date | None = None, dated: bool = False) -> str:
        """'13 h 00 – 14 h 30', '1:30 – 3:00 PM' in a zone; a date change inside the interval is shown on its end,
        and a start on another date than `on` (the day heading the reader sees), or any start when `dated` (no
        day heading above it), is shown on its start."""
        tz = zone or self.zone
        s, e = self.in_zone(start, tz), self.in_zone(end, tz)
        dated = dated or (on is not None and s.date() != on)
        crosses = s.date() != (e - timedelta(microseconds=1)).date()
        fallback = self.interval_fallback
        if not crosses:
            if self.interval_in_words:  # Japanese: 13:30～15:00, as a time alone
                text = fallback.format(self.time(s, tz), self.time(e, tz))
            else:
                text = format_interval(s, e, self.clock, tzinfo=tz, locale=self.locale)
            if dated:
                text = self.glue.format(text, self.short_date(s, tz))
            return text
        first = self.date_time(s, tz) if dated else self.time(s, tz)
        return fallback.format(first, self.date_time(e, tz))

    def duration(self, minutes: int) -> str:
        """'1 h 30 min', in the UI's words."""
        return format_duration(minutes, self.ui_locale)

    def annotated(self, text: str, note: str) -> str:
        """'Salle B (Toronto)': a note after a text, in the reader's brackets (full-width in Chinese)."""
        return self._("%(text)s (%(note)s)", text=text, note=note)

    def series(self, items: list[str]) -> str:
        """Items that contain lists themselves, one after the other: 'a (x, y); b' ('a (x, y) ; b' in French)."""
        text = items[0] if items else ""
        for item in items[1:]:
            text = self._("%(first)s; %(second)s", first=text, second=item)
        return text

    def names(self, names: list[str]) -> str:
        """'Amina, Jean et Priya' (in the UI's words). In HTML, two names written the other way than the interface
        and joined by a separator without a letter of the interface's direction are each isolated in `<bdi>`: two
        Arabic names joined by '、' (Japanese) or ', ' read as one right-to-left run, the second name first."""
        if not names:
            return ""
        items = list(names)
        text = format_list(items, locale=self.ui_locale)
        holders = [f"\ue000{i}\ue001" for i in range(len(items))]
        pattern = format_list(holders, locale=self.ui_locale)
        other = [not isinstance(n, Marked) and first_strong(n) not in (None, self.ui_direction) for n in items]
        isolated = set()
        for i in range(len(items) - 1):
            between = pattern[pattern.index(holders[i]) + len(holders[i]):pattern.index(holders[i + 1])]
            if other[i] and other[i + 1] and first_strong(between) != self.ui_direction:
                isolated |= {i, i + 1}
        if not isolated:
            return text
        html = str(escape(pattern))
        for i, (holder, n) in enumerate(zip(holders, items)):
            html = html.replace(holder, str(Markup("<bdi>{}</bdi>").format(n) if i in isolated else escape(n)))
        return Marked(text, Markup(html), text)

    def language_name(self, code: str) -> str:
        """The name of a language in the UI's words ('anglais' for en in fr_CA; 'English' in ko: no catalog)."""
        return _language_name(code, str(self.ui_locale))

    def zone_name(self, zone: ZoneInfo | None = None) -> str:
        """The city of a zone in the UI's words ('Toronto', 'Paris'), or its offset ('UTC+03:00') for a zone of
        no place. A zone of a city that tzdata merged into another's keeps its own name: CLDR names
        America/Montreal 'Toronto'."""
        zone = zone or self.zone
        if is_offset_zone(zone):
            # CLDR has no city for Etc/GMT-3 and Babel would say 'GMT-3', the POSIX sign: it is UTC+3
            return get_timezone_gmt(datetime(2000, 1, 1, tzinfo=zone), locale=self.ui_locale)
        if zone.key in MERGED_CITIES:
            city = MERGED_CITY_NAMES.get(zone.key, {}).get(self.ui_locale.language)
            return city or zone.key.rsplit("/", 1)[1].replace("_", " ")
        return get_timezone_location(zone, locale=self.ui_locale, return_city=True)

    @staticmethod
    def gap_after(sentence: str) -> str:
        """What separates a sentence from the next one: a space, or nothing after a full-width stop (Japanese and
        Chinese write '…です。併記…', never '…です。 併記…')."""
        return "" if sentence.rstrip().endswith(("\u3002", "\uff01", "\uff1f", "\uff0e")) else " "

    def zone_note(self) -> str:
        """'Times are in Toronto time (America/Toronto).', or 'in GMT+03:00 (Etc/GMT-3).' for a zone of no place."""
        if is_offset_zone(self.zone):
            return self._("Times are in %(offset)s (%(zone)s).", offset=self.zone_name(), zone=self.zone.key)
        return self._("Times are in %(city)s time (%(zone)s).", city=self.zone_name(), zone=self.zone.key)


# Zones of tzdata's 'backward' file that name a city merged into another city's zone (not a city renamed, such
# as Asia/Calcutta or Europe/Kiev, which CLDR names in the reader's language under its new name).
MERGED_CITIES = frozenset({
    "America/Montreal", "America/Nipigon", "America/Thunder_Bay", "America/Rainy_River", "America/Yellowknife",
    "America/Pangnirtung", "America/Santa_Isabel", "America/Ensenada", "America/Shiprock", "Asia/Tel_Aviv",
    "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "Asia/Kashgar", "Australia/Currie", "Europe/Belfast",
    "Europe/Tiraspol", "Europe/Uzhgorod", "Europe/Zaporozhye", "Pacific/Johnston",
})
# Their names in a language whose spelling the zone key lacks (CLDR has none: it names them by the city they were
# merged into). A Montréal event read in French said "Heures de Montreal".
MERGED_CITY_NAMES = {"America/Montreal": {"fr": "Montréal"}}


def is_offset_zone(zone: ZoneInfo) -> bool:
    """Whether a zone is a fixed offset of no place (Etc/GMT-3, Etc/UTC, UTC): CLDR files those under Etc/."""
    return canonical_zone(zone.key).startswith("Etc/")


def canonical_zone(name: str) -> str:
    """The name CLDR files a zone under: 'America/Montreal' is an alias of 'America/Toronto'."""
    return get_global("zone_aliases").get(name, name)


def zone_names(zone: ZoneInfo) -> tuple[str, ...]:
    """Every name of a zone as CLDR files it: its own, the one CLDR files it under and that one's aliases
    ('America/Toronto', 'America/Montreal', 'Canada/Eastern'...), sorted. A browser may name its zone by any."""
    key = canonical_zone(zone.key)
    aliases = (name for name, canonical in get_global("zone_aliases").items() if canonical == key)
    return tuple(sorted({zone.key, key, *aliases}))


@cache
def _language_name(code: str, locale: str) -> str:
    """`Reader.language_name`, asked once per language and locale (186,000 times for the agendas of the
    560-session benchmark event)."""
    try:
        name = Locale.parse(code).get_language_name(locale)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code
