"""Random events that are feasible by construction, for tests and benchmarks.

The generator first *plants* a timetable that obeys every hard rule (rooms, days, breaks, plenaries, speakers,
interpreter teams, relays, rest), then draws every constraint of the event so that the planted timetable obeys
it: room capacities, booths and interpreter caps cover what the plant uses; unavailable periods avoid what the
plant occupies; `after` relations follow the planted order; pins copy the planted day, start or room. Soft
preferences (preferred windows, tracks) are drawn loosely and may be broken by the plant.

Everything is driven by one `random.Random(seed)`, so a seed always gives the same event.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .event import Event
from .timetable import Timetable

# --- fixed shape of every generated event --------------------------------------------------------------

#: Audience languages, in the order they are added; fr and en always come first.
LANGUAGES = ["fr", "en", "es", "de", "ar", "zh", "pt", "ru", "it", "ja", "ko", "nl", "pl", "tr", "hi", "sw", "uk",
             "el", "sv", "fa"]
SLOT = 15
DAY_START, DAY_END = 9 * 60, 18 * 60
LUNCH_START, LUNCH_END = 12 * 60 + 30, 13 * 60 + 30
DURATIONS = (30, 45, 60, 90)
DURATION_WEIGHTS = (0.15, 0.25, 0.35, 0.25)
SHORTEST = DURATIONS[0]
#: The most sessions a room holds in a day: back to back, all of the shortest duration.
MAX_PER_ROOM_DAY = (LUNCH_START - DAY_START) // SHORTEST + (DAY_END - LUNCH_END) // SHORTEST
INTERPRETER_GAP = 30  # planted assignments of one interpreter are at least this far apart (the rest rule's break)
PLANT_DAILY_MINUTES = 300  # planted daily load of an interpreter, under the default max_minutes_per_day (360)
TRIES = 8

EVENT_ZONES = ["Europe/Paris", "America/Toronto", "Europe/Brussels", "Europe/Zurich", "America/Mexico_City",
               "Europe/Madrid"]

# Locales per language (the first is the most common) and the time zone of each region.
LOCALES = {
    "fr": ["fr_CA", "fr_FR", "fr_BE", "fr_CH"], "en": ["en_CA", "en_GB", "en_US"], "es": ["es_ES", "es_MX", "es_AR"],
    "de": ["de_DE", "de_AT", "de_CH"], "ar": ["ar_EG", "ar_MA", "ar_LB"], "zh": ["zh_Hans_CN", "zh_Hant_TW"],
    "pt": ["pt_BR", "pt_PT"], "ru": ["ru_RU"], "it": ["it_IT", "it_CH"], "ja": ["ja_JP"], "ko": ["ko_KR"],
    "nl": ["nl_NL", "nl_BE"], "pl": ["pl_PL"], "tr": ["tr_TR"], "hi": ["hi_IN"], "sw": ["sw_KE", "sw_TZ"],
    "uk": ["uk_UA"], "el": ["el_GR"], "sv": ["sv_SE"], "fa": ["fa_IR"],
}
REGION_ZONES = {
    "CA": "America/Toronto", "FR": "Europe/Paris", "BE": "Europe/Brussels", "CH": "Europe/Zurich",
    "GB": "Europe/London", "US": "America/New_York", "ES": "Europe/Madrid", "MX": "America/Mexico_City",
    "AR": "America/Argentina/Buenos_Aires", "DE": "Europe/Berlin", "AT": "Europe/Vienna", "EG": "Africa/Cairo",
    "MA": "Africa/Casablanca", "LB": "Asia/Beirut", "CN": "Asia/Shanghai", "TW": "Asia/Taipei",
    "BR": "America/Sao_Paulo", "PT": "Europe/Lisbon", "RU": "Europe/Moscow", "IT": "Europe/Rome", "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul", "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw", "TR": "Europe/Istanbul",
    "IN": "Asia/Kolkata", "KE": "Africa/Nairobi", "TZ": "Africa/Dar_es_Salaam", "UA": "Europe/Kyiv",
    "GR": "Europe/Athens", "SE": "Europe/Stockholm", "IR": "Asia/Tehran",
}
AUDIENCE_ZONE_CHOICES = ["Asia/Karachi", "America/Mexico_City", "Africa/Nairobi", "Asia/Tokyo", "America/Vancouver"]

FIRST_NAMES = ["Marie", "Jean", "Amina", "Priya", "Luis", "Sofia", "Chen", "Yuki", "Olga", "Kwame", "Fatima",
               "Pierre", "Ana", "Omar", "Ingrid", "Mateo", "Léa", "Noah", "Aïcha", "Dmitri", "Giulia", "Hiroshi",
               "Zeynep", "Lucas", "Nadia", "Tomás", "Élise", "Ravi", "Mei", "Kofi", "Hanna", "Youssef", "Camille",
               "Jonas", "Inès", "Pablo", "Ayesha", "Nikos", "Astrid", "Malik"]
LAST_NAMES = ["Tremblay", "Gagnon", "Nguyen", "Okafor", "García", "Müller", "Rossi", "Wang", "Kowalski", "Haddad",
              "Silva", "Ivanova", "Tanaka", "Kim", "Dubois", "Roy", "Côté", "Mensah", "Fernández", "Bianchi",
              "Yılmaz", "Singh", "Papadopoulos", "Lindqvist", "Moreau", "Bouchard", "Kaya", "Santos", "Petrov",
              "Hoffmann", "Diallo", "Leblanc", "Morales", "Sato", "Novak", "Abdi", "Larsen", "Fontaine"]
ROOM_NAMES = ["Salle Champlain", "Salle Riel", "Salle Cartier", "Salle Papineau", "Salle Hubert-Aquin",
              "Salle Gabrielle-Roy", "Salle Marie-Curie", "Salle Senghor", "Salle Frida-Kahlo", "Salle Rosa-Luxemburg",
              "Salle Aimé-Césaire", "Salle Hypatie", "Salle Ibn-Khaldoun", "Salle Tagore", "Salle Neruda"]
TRACKS = ["histoire", "economie", "climat", "travail", "culture", "sante", "education", "numerique", "feminisme",
          "international"]
TOPICS = [
    ("La transition énergétique", "The energy transition"), ("Le travail de plateforme", "Platform work"),
    ("L'histoire du syndicalisme", "A history of trade unions"), ("Logement et loyers", "Housing and rents"),
    ("La santé publique", "Public health"), ("L'école et l'égalité", "Schools and equality"),
    ("Les communs numériques", "The digital commons"), ("Les luttes des femmes", "Women's struggles"),
    ("La crise climatique", "The climate crisis"), ("Les migrations", "Migration"),
    ("L'intelligence artificielle", "Artificial intelligence"), ("La dette publique", "Public debt"),
    ("Les coopératives", "Cooperatives"), ("La traduction militante", "Activist translation"),
    ("L'agriculture paysanne", "Peasant farming"), ("Les villes et les transports", "Cities and transport"),
]
FORMATS = [("Conférence : {}", "Lecture: {}"), ("Table ronde : {}", "Round table: {}"),
           ("Atelier : {}", "Workshop: {}"), ("Débat : {}", "Debate: {}"),
           ("Introduction : {}", "Introduction: {}")]
PLENARY_FORMATS = [("Plénière : {}", "Plenary: {}"), ("Ouverture : {}", "Opening: {}"),
                   ("Clôture : {}", "Closing: {}")]


@dataclass(frozen=True)
class GeneratorSettings:
    """The size of a generated event. `interpreters=None` means what the plant needs plus about 20% spares."""

    sessions: int = 40
    days: int = 3
    rooms: int = 4
    languages: int = 3
    interpreters: int | None = None
    seed: int = 0

    def problems(self) -> list[str]:
        """Why these settings cannot give an event (empty when they can)."""
        out = []
        if self.days < 1:
            out.append(f"days must be at least 1 (got {self.days})")
        if self.rooms < 1:
            out.append(f"rooms must be at least 1 (got {self.rooms})")
        if self.sessions < 0:
            out.append(f"sessions cannot be negative (got {self.sessions})")
        if not 1 <= self.languages <= len(LANGUAGES):
            out.append(f"languages must be between 1 and {len(LANGUAGES)} (got {self.languages})")
        if self.interpreters is not None and self.interpreters < 0:
            out.append(f"interpreters cannot be negative (got {self.interpreters})")
        if not out and self.sessions > self.capacity:
            out.append(f"{self.sessions} sessions do not fit {self.days} day(s) x {self.rooms} room(s): at most "
                       f"{MAX_PER_ROOM_DAY} sessions per room and day (09:00-18:00 with a lunch break, sessions of "
                       f"{SHORTEST} minutes or more), so at most {self.capacity}")
        return out

    @property
    def capacity(self) -> int:
        """The most sessions the generator can plant in these days and rooms."""
        return max(0, self.days) * max(0, self.rooms) * MAX_PER_ROOM_DAY

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("impossible generator settings: " + "; ".join(problems))


def generate_event(settings: GeneratorSettings) -> tuple[Event, Timetable]:
    """A random event and a timetable of it that obeys every hard rule (the plant)."""
    settings.validate()
    return _Builder(settings).build()


# --- planting ------------------------------------------------------------------------------------------


@dataclass
class _Slot:
    """One planted session: where and when, and what it needs."""

    day: int
    room: int
    start: int  # event minutes
    duration: int
    plenary: bool = False
    id: str = ""
    floor: str = "fr"
    interpretation: str = "required"
    # into -> (from, via or None, interpreter ids); only staffed channels
    staffed: dict[str, tuple[str, str | None, list[str]]] = field(default_factory=dict)
    speakers: list[str] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass
class _Interp:
    id: str
    A: list[str]
    B: list[str]
    C: list[str]
    pairs: list[list[str]] | None
    reach: int = 0  # how many language pairs of the event this interpreter can work
    busy: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    load: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def can(self, src: str, dst: str) -> bool:
        # Section 2 rule 7 of the contract (same as Interpreter.can_interpret).
        if src == dst:
            return False
        if self.pairs is not None:
            return [src, dst] in self.pairs
        if dst in self.A:
            return src in self.A or src in self.B or src in self.C
        return dst in self.B and src in self.A

    def free(self, day: int, start: int, end: int) -> bool:
        if self.load[day] + end - start > PLANT_DAILY_MINUTES:
            return False
        return all(s >= end + INTERPRETER_GAP or e <= start - INTERPRETER_GAP for s, e in self.busy[day])


@dataclass
class _Speaker:
    id: str
    busy: list[tuple[int, int]] = field(default_factory=list)
    per_day: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def free(self, start: int, end: int) -> bool:
        return all(s >= end or e <= start for s, e in self.busy)


def _free_gaps(busy: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Maximal free intervals of [lo, hi) around the busy spans."""
    gaps, at = [], lo
    for s, e in sorted(busy):
        if s > at:
            gaps.append((at, min(s, hi)))
        at = max(at, e)
    if at < hi:
        gaps.append((at, hi))
    return [(s, e) for s, e in gaps if e > s]


class _Builder:
    def __init__(self, settings: GeneratorSettings):
        self.s = settings
        self.rng = random.Random(settings.seed)
        self.langs = LANGUAGES[: settings.languages]
        self.slots: list[_Slot] = []
        self.interps: list[_Interp] = []
        self.pools: dict[tuple[str, str], list[_Interp]] = defaultdict(list)
        self.speakers: list[_Speaker] = []

    # -- helpers --

    def local(self, minute: int) -> str:
        """The local date-time string (event zone) of an event minute."""
        clock = minute % 1440
        return f"{self.dates[minute // 1440]}T{clock // 60:02d}:{clock % 60:02d}"

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def pick_period(self, busy_by_day: dict[int, list[tuple[int, int]]], min_len: int = 30) -> tuple[int, int] | None:
        """A random period inside a day's hours that overlaps none of the busy spans."""
        days = list(range(self.s.days))
        self.rng.shuffle(days)
        for d in days:
            base = d * 1440
            gaps = [g for g in _free_gaps(busy_by_day.get(d, []), base + DAY_START, base + DAY_END)
                    if g[1] - g[0] >= min_len]
            if not gaps:
                continue
            lo, hi = self.rng.choice(gaps)
            if self.rng.random() < 0.5:
                return lo, hi
            units = (hi - lo) // SLOT
            length = self.rng.randint(min_len // SLOT, units)
            offset = self.rng.randint(0, units - length)
            return lo + offset * SLOT, lo + (offset + length) * SLOT
        return None

    # -- the whole event --

    def build(self) -> tuple[Event, Timetable]:
        rng = self.rng
        self.zone = rng.choice(EVENT_ZONES)
        first = date(2025, 1, 6) + timedelta(days=rng.randrange(330))
        self.dates = [(first + timedelta(days=d)).isoformat() for d in range(self.s.days)]
        self.plan_rooms()
        self.plant_slots()
        for slot in sorted(self.slots, key=lambda x: (x.start, x.room)):
            self.plant_interpretation(slot)
        self.plant_speakers()
        needed = len(self.interps)
        if self.s.interpreters is None:
            spares = math.ceil(needed * 0.2)
        elif self.s.interpreters < needed:
            raise ValueError(f"this event needs at least {needed} interpreters for its planted timetable; "
                             f"{self.s.interpreters} are too few (leave the number out to get {needed} plus spares)")
        else:
            spares = self.s.interpreters - needed
        for _ in range(spares):
            self.new_spare()
        data = {
            "event": self.event_info(),
            "rooms": self.rooms_json(),
            "speakers": self.speakers_json(),
            "interpreters": self.interpreters_json(),
            "sessions": self.sessions_json(),
        }
        event = Event.model_validate(data)
        return event, self.timetable(event)

    # -- rooms and the planted slots --

    def plan_rooms(self) -> None:
        n = self.s.rooms
        full = len(self.langs) - 1
        self.booths = [full] * n  # most staffed channels a room may hold
        self.limited = None
        if n >= 3:
            self.limited = n - 1  # a small room with few booths: optional or no interpretation there
            self.booths[self.limited] = 1 if full >= 2 else 0
        self.capacity = [self.rng.choice([400, 500, 600, 800, 1000])]
        self.capacity += [self.rng.randrange(40, 260, 10) for _ in range(n - 1)]
        if self.limited is not None:
            self.capacity[self.limited] = self.rng.randrange(20, 80, 10)
        tracks = TRACKS[: max(2, min(len(TRACKS), n + 1))]
        self.tracks = tracks
        self.room_track = [self.rng.choice(tracks) for _ in range(n)]

    def plant_slots(self) -> None:
        rng, s = self.rng, self.s
        # Plenaries: one on each of a few days, opening or closing the day, with every room empty meanwhile.
        # A plenary empties every room meanwhile, so it is only planted while the rest still fits.
        n_plenary = min(s.days, max(1, s.sessions // 100)) if s.sessions else 0
        morning = {d: [DAY_START, LUNCH_START] for d in range(s.days)}
        afternoon = {d: [LUNCH_END, DAY_END] for d in range(s.days)}
        room_slots, to_place = s.capacity, s.sessions
        for d in sorted(rng.sample(range(s.days), n_plenary)):
            fitting = [n for n in (60, 90) if room_slots - s.rooms * n // SHORTEST >= to_place - 1]
            if not fitting:
                break
            duration = rng.choice(fitting)
            room_slots -= s.rooms * duration // SHORTEST
            to_place -= 1
            if rng.random() < 0.5:
                start = DAY_START
                morning[d][0] += duration
            else:
                start = DAY_END - duration
                afternoon[d][1] -= duration
            self.slots.append(_Slot(d, 0, d * 1440 + start, duration, plenary=True))
        # Blocks: one half-day of one room; the other sessions are spread over them, evenly but not exactly.
        blocks = []
        for d in range(s.days):
            for r in range(s.rooms):
                for lo, hi in (morning[d], afternoon[d]):
                    blocks.append((d, r, lo, hi, (hi - lo) // SHORTEST))
        weight = [(b[3] - b[2]) * rng.uniform(0.6, 1.4) for b in blocks]
        count = [0] * len(blocks)
        heap = [(1 / weight[i], rng.random(), i) for i in range(len(blocks))]
        heapq.heapify(heap)
        for _ in range(to_place):
            _, _, i = heapq.heappop(heap)
            count[i] += 1
            if count[i] < blocks[i][4]:
                heapq.heappush(heap, ((count[i] + 1) / weight[i], rng.random(), i))
        busy: dict[int, int] = defaultdict(int)  # sessions planted in each slot of the event
        for i in rng.sample(range(len(blocks)), len(blocks)):
            (d, r, lo, hi, _), k = blocks[i], count[i]
            if k == 0:
                continue
            durations = rng.choices(DURATIONS, DURATION_WEIGHTS, k=k)
            while sum(durations) > hi - lo:
                j = max(range(k), key=lambda x: durations[x])
                durations[j] = DURATIONS[DURATIONS.index(durations[j]) - 1]
            # Of a few random arrangements of the free time, keep the one that overlaps the sessions already
            # planted least: a level load keeps the number of interpreters needed at once (and in all) down.
            best = None
            for _ in range(TRIES):
                gaps = [0] * (k + 1)
                for _ in range((hi - lo - sum(durations)) // SLOT):
                    gaps[rng.randrange(k + 1)] += SLOT
                at, starts = d * 1440 + lo, []
                for j, duration in enumerate(durations):
                    at += gaps[j]
                    starts.append(at)
                    at += duration
                crowd = sum(busy[t] for a, n in zip(starts, durations) for t in range(a // SLOT, (a + n) // SLOT))
                if best is None or crowd < best[0]:
                    best = (crowd, starts)
            for at, duration in zip(best[1], durations):
                self.slots.append(_Slot(d, r, at, duration))
                for t in range(at // SLOT, (at + duration) // SLOT):
                    busy[t] += 1
        # Ids in random order, so that the id order tells nothing about the plant.
        order = list(range(len(self.slots)))
        rng.shuffle(order)
        width = max(3, len(str(len(self.slots))))
        for number, i in enumerate(order, 1):
            self.slots[i].id = f"s{number:0{width}d}"
        self.slots.sort(key=lambda x: x.id)

    # -- interpretation --

    def plant_interpretation(self, slot: _Slot) -> None:
        rng, langs = self.rng, self.langs
        if len(langs) >= 2 and rng.random() < 0.8:
            slot.floor = rng.choice(langs[:2])
        else:
            slot.floor = rng.choice(langs)
        channels = [t for t in langs if t != slot.floor]
        cap = self.booths[slot.room]
        if slot.plenary:
            slot.interpretation = "required"
        elif slot.room == self.limited:
            slot.interpretation = "none" if rng.random() < 0.4 else "optional"
        else:
            r = rng.random()
            slot.interpretation = "required" if r < 0.75 else "optional" if r < 0.92 else "none"
        if slot.interpretation == "none" or not channels:
            return
        if slot.interpretation == "required":
            staffed = channels
        else:
            staffed = [t for t in channels if rng.random() < 0.5]
            while len(staffed) > cap:
                staffed.remove(rng.choice(staffed))
        assert len(staffed) <= cap
        relay: dict[str, str] = {}
        if len(staffed) >= 2 and rng.random() < 0.15:
            pivots = [t for t in staffed if t in ("fr", "en")] or staffed
            pivot = rng.choice(pivots)
            others = [t for t in staffed if t != pivot]
            for t in rng.sample(others, rng.randint(1, min(2, len(others)))):
                relay[t] = pivot
        team = 1 if slot.duration <= 40 else 2  # event.team_size with the default rule
        used: set[str] = set()
        for into in sorted(staffed, key=lambda t: t in relay):  # direct channels first: pivots must be staffed
            src = relay.get(into, slot.floor)
            members = self.team(src, into, slot, team, used)
            slot.staffed[into] = (src, relay.get(into), [m.id for m in members])

    def team(self, src: str, dst: str, slot: _Slot, size: int, used: set[str]) -> list[_Interp]:
        """`size` interpreters free for the slot who can work src->dst: reuse the free ones who can work the fewest
        other pairs (keeping the versatile for later), those already at work that day first; create the rest."""
        pool = self.pools[(src, dst)]
        free = []
        if pool:
            offset = self.rng.randrange(len(pool))
            for k in range(len(pool)):
                cand = pool[(offset + k) % len(pool)]
                if cand.id not in used and cand.free(slot.day, slot.start, slot.end):
                    free.append(cand)
        free.sort(key=lambda c: (c.reach, c.load[slot.day] == 0))
        members = free[:size]
        while len(members) < size:
            members.append(self.new_interpreter(src, dst))
        for m in members:
            used.add(m.id)
            m.busy[slot.day].append((slot.start, slot.end))
            m.load[slot.day] += slot.duration
        return members

    def new_interpreter(self, src: str, dst: str, explicit_pairs: bool = False) -> _Interp:
        rng = self.rng
        rest = [x for x in self.langs if x not in (src, dst)]
        extra = rng.sample(rest, min(len(rest), rng.choice([0, 0, 1, 1, 2])))
        # Conference interpreters here nearly all know both working languages of the event (fr and en).
        extra = [x for x in ("fr", "en") if x in rest and x not in extra and rng.random() < 0.75] + extra
        r = 0.2 if explicit_pairs else rng.random()
        pairs = None
        if r < 0.08:
            A, B, C = [src], [dst], extra  # works into dst as a retour
        elif r < 0.18:
            A, B, C = [dst, src], [], extra  # two mother tongues
        elif r < 0.26:
            A, B, C = [dst], [src], []
            pairs = [[src, dst]] + ([[dst, src]] if rng.random() < 0.5 else [])
        elif r < 0.72:
            A, B, C = [dst], [src], extra
        else:
            A, B, C = [dst], [], [src, *extra]
        interp = _Interp(f"i{len(self.interps) + 1:03d}", A, B, C, pairs)
        assert interp.can(src, dst)
        self.interps.append(interp)
        for x in self.langs:
            for y in self.langs:
                if interp.can(x, y):
                    self.pools[(x, y)].append(interp)
                    interp.reach += 1
        return interp

    def new_spare(self) -> None:
        langs = self.langs if len(self.langs) >= 2 else LANGUAGES[:2]  # a one-language event: fr<->en anyway
        weights = [3 if x in ("fr", "en") else 1 for x in langs]
        dst = self.rng.choices(langs, weights)[0]
        src = self.rng.choice([x for x in langs if x != dst])
        first = not any(it.pairs for it in self.interps)
        self.new_interpreter(src, dst, explicit_pairs=first)  # at least one with explicit pairs

    # -- speakers --

    def plant_speakers(self) -> None:
        rng = self.rng
        for slot in sorted(self.slots, key=lambda x: (x.start, x.room)):
            r = rng.random()
            n = (rng.randint(1, 3) if slot.plenary else 0 if r < 0.04 else 2 if r < 0.24 else 1)
            chosen: list[_Speaker] = []
            for _ in range(n):
                sp = None
                if self.speakers and rng.random() < 0.4:
                    for _ in range(6):
                        cand = rng.choice(self.speakers)
                        if cand not in chosen and cand.free(slot.start, slot.end):
                            sp = cand
                            break
                if sp is None:
                    sp = _Speaker(f"sp{len(self.speakers) + 1:03d}")
                    self.speakers.append(sp)
                chosen.append(sp)
                sp.busy.append((slot.start, slot.end))
                sp.per_day[slot.day] += 1
            slot.speakers = [sp.id for sp in chosen]

    # -- JSON of the event --

    def event_info(self) -> dict:
        rng = self.rng
        info = {
            "id": f"gen-{self.s.seed}-{self.s.sessions}",
            "name": {"fr": f"Colloque généré n° {self.s.seed}", "en": f"Generated conference #{self.s.seed}"},
            "timezone": self.zone,
            "languages": self.langs,
            "slot_minutes": SLOT,
            "days": [{"date": d, "start": "09:00", "end": "18:00", "breaks": [{"start": "12:30", "end": "13:30"}]}
                     for d in self.dates],
        }
        if rng.random() < 0.5:
            remote = rng.choice(AUDIENCE_ZONE_CHOICES)
            share = rng.choice([0.1, 0.2, 0.3])
            info["audience"] = [{"timezone": self.zone, "share": round(1 - share, 2)},
                                {"timezone": remote, "share": share}]
        return info

    def rooms_json(self) -> list[dict]:
        rng = self.rng
        n = self.s.rooms
        busy: list[dict[int, list[tuple[int, int]]]] = [defaultdict(list) for _ in range(n)]
        most_people = [0] * n
        most_staffed = [0] * n
        for slot in self.slots:
            busy[slot.room][slot.day].append((slot.start, slot.end))
            people = {who for _, _, team in slot.staffed.values() for who in team}
            most_people[slot.room] = max(most_people[slot.room], len(people))
            most_staffed[slot.room] = max(most_staffed[slot.room], len(slot.staffed))
        names = ROOM_NAMES[:]
        rng.shuffle(names)
        out = []
        unavailable_rooms = set(rng.sample(range(n), max(1, n // 3)))
        for r in range(n):
            room: dict = {"id": "main" if r == 0 else f"r{r + 1:02d}"}
            zoom = r > 0 and rng.random() < 0.3
            if r == 0:
                room["name"] = "Grand auditorium — plénière"
            else:
                room["name"] = f"Zoom — {names[r % len(names)]}" if zoom else names[r % len(names)]
                if r >= len(names):
                    room["name"] += f" {r + 1}"
            room["capacity"] = self.capacity[r]
            assert most_staffed[r] <= self.booths[r]
            if self.booths[r]:
                room["channels"] = self.booths[r]
            if zoom or (r == 0 and rng.random() < 0.2):
                room["max_interpreters"] = 20 if most_people[r] <= 20 else most_people[r]
            if r in unavailable_rooms:
                periods = []
                for _ in range(rng.randint(1, 2)):
                    period = self.pick_period(busy[r], min_len=60)
                    if period:
                        periods.append({"start": self.local(period[0]), "end": self.local(period[1])})
                        busy[r][period[0] // 1440].append(period)
                if periods:
                    room["unavailable"] = periods
            out.append(room)
        return out

    def speakers_json(self) -> list[dict]:
        rng = self.rng
        zones = [self.zone, self.zone, self.zone, "Europe/London", "America/New_York", "Africa/Dakar",
                 "Asia/Kolkata", "America/Sao_Paulo"]
        out = []
        for sp in self.speakers:
            item: dict = {"id": sp.id, "name": self.person()}
            if rng.random() < 0.6:
                item["timezone"] = rng.choice(zones)
            if rng.random() < 0.25:
                busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
                for s, e in sp.busy:
                    busy[s // 1440].append((s, e))
                period = self.pick_period(busy)
                if period:
                    item["unavailable"] = [{"start": self.local(period[0]), "end": self.local(period[1])}]
            if rng.random() < 0.3:
                item["max_sessions_per_day"] = max(sp.per_day.values(), default=1) + rng.choice([0, 0, 1])
            out.append(item)
        return out

    def interpreters_json(self) -> list[dict]:
        rng = self.rng
        out = []
        for it in self.interps:
            locale = LOCALES[it.A[0]][0] if rng.random() < 0.5 else rng.choice(LOCALES[it.A[0]])
            item: dict = {"id": it.id, "name": self.person(), "languages": {}}
            for key in ("A", "B", "C"):
                if getattr(it, key):
                    item["languages"][key] = getattr(it, key)
            if it.pairs is not None:
                item["pairs"] = it.pairs
            item["locale"] = locale
            item["timezone"] = REGION_ZONES[locale.rsplit("_", 1)[1]]
            if rng.random() < 0.2:
                period = self.pick_period(it.busy)
                if period:
                    item["unavailable"] = [{"start": self.local(period[0]), "end": self.local(period[1])}]
            most = max(it.load.values(), default=0)
            r = rng.random()
            if r < 0.15 and most <= 240:
                item["max_minutes_per_day"] = 240
            elif r < 0.3 and most <= 300:
                item["max_minutes_per_day"] = 300
            elif r < 0.35:
                item["max_minutes_per_day"] = 420
            out.append(item)
        return out

    def sessions_json(self) -> list[dict]:
        rng = self.rng
        by_end = sorted(self.slots, key=lambda x: x.end)
        ends = [x.end for x in by_end]
        out = []
        for slot in self.slots:
            topic = rng.choice(TOPICS)
            fmt = rng.choice(PLENARY_FORMATS if slot.plenary else FORMATS)
            item: dict = {
                "id": slot.id,
                "title": {"fr": fmt[0].format(topic[0]), "en": fmt[1].format(topic[1])},
                "duration": slot.duration,
                "speakers": slot.speakers,
                "language": slot.floor,
            }
            if slot.interpretation != "required":
                item["interpretation"] = slot.interpretation
            if slot.plenary:
                item["kind"] = "plenary"
            elif rng.random() < 0.85:
                item["track"] = self.room_track[slot.room] if rng.random() < 0.7 else rng.choice(self.tracks)
            cap = self.capacity[slot.room]
            if rng.random() < 0.95:
                item["attendance"] = rng.randint(int(cap * 0.3), cap) // 5 * 5
            before = bisect_right(ends, slot.start)  # by_end[:before] all end by the time this one starts
            if before and rng.random() < 0.12:
                picks = {by_end[rng.randrange(before)].id for _ in range(rng.choice([1, 1, 2]))}
                item["after"] = sorted(picks)
            if rng.random() < (0.5 if slot.plenary else 0.06):
                pin = {"day": self.dates[slot.day], "start": self.local(slot.start)[11:],
                       "room": "main" if slot.room == 0 else f"r{slot.room + 1:02d}"}
                keys = [k for k in pin if rng.random() < 0.5] or [rng.choice(list(pin))]
                item["pin"] = {k: pin[k] for k in keys}
            if rng.random() < 0.15:
                item["preferred"] = self.preferred(slot)
            out.append(item)
        return out

    def preferred(self, slot: _Slot) -> list[dict]:
        rng = self.rng
        base = slot.day * 1440
        if rng.random() < 0.7:  # a window holding the planted time: its half-day, or a little around it
            if rng.random() < 0.5:
                lo, hi = ((base + DAY_START, base + LUNCH_START) if slot.start < base + LUNCH_START
                          else (base + LUNCH_END, base + DAY_END))
                if slot.plenary:
                    lo, hi = slot.start, slot.end
            else:
                lo = max(base + DAY_START, slot.start - SLOT * rng.randint(0, 4))
                hi = min(base + DAY_END, slot.end + SLOT * rng.randint(0, 4))
        else:  # elsewhere, maybe not holding the planted time (a soft wish the plant breaks)
            d = rng.randrange(self.s.days)
            lo, hi = rng.choice([(DAY_START, LUNCH_START), (LUNCH_END, DAY_END), (DAY_START, DAY_END)])
            lo, hi = d * 1440 + lo, d * 1440 + hi
        return [{"start": self.local(lo), "end": self.local(hi)}]

    # -- the planted timetable --

    def timetable(self, event: Event) -> Timetable:
        placements = []
        room_id = {r: ("main" if r == 0 else f"r{r + 1:02d}") for r in range(self.s.rooms)}
        for slot in self.slots:
            session = event.session[slot.id]
            channels = []
            for into in event.channels(session):
                if into in slot.staffed:
                    src, via, team = slot.staffed[into]
                    ch = {"into": into, "from": src, "interpreters": team}
                    if via is not None:
                        ch["via"] = via
                else:
                    ch = {"into": into, "from": slot.floor, "interpreters": []}
                channels.append(ch)
            placements.append({
                "session": slot.id, "room": room_id[slot.room],
                "start": event.aware(slot.start).isoformat(), "end": event.aware(slot.end).isoformat(),
                "channels": channels,
            })
        return Timetable.model_validate({
            "event": event.event.id, "status": "feasible", "objective": 0, "bound": 0, "solve_seconds": 0.0,
            "sessions": placements,
        })
