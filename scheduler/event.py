"""The input contract (`event.json`): pydantic models, field checks, and cross-reference checks.

Field-level rules live on the fields; rules that need the whole file (unique ids, references, cycles in
`after`, breaks inside their day, the slot grid) are collected by `consistency_issues`, which reports every
problem with its JSON path instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from types import SimpleNamespace
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from .english import counted, did_you_mean
from .types import ClockTime, Day, Id, LanguageCode, LocalDateTime, TimeZoneName, minutes_of

if TYPE_CHECKING:
    from .past import Past

Path = tuple[str | int, ...]

# Upper bound on counts and weights: far above any real event, far below CP-SAT's 64-bit arithmetic limits.
BIG = 10**6


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors and JSON types are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Issue(BaseModel):
    """One problem found in an input file: where (JSON path) and why."""

    path: Path
    message: str


class ConsistencyError(ValueError):
    """Raised by the root validator with every cross-reference issue at once."""

    def __init__(self, issues: list[Issue]):
        super().__init__(f"{counted(len(issues), 'consistency issue')}")
        self.issues = issues


# --- pieces -------------------------------------------------------------------------------------------


class Window(Strict):
    """A clock-time window within one day, e.g. a break or the audience's waking hours."""

    start: ClockTime
    end: ClockTime


class Period(Strict):
    """A span of local date-times in the event's time zone (unavailability, preferred windows)."""

    start: LocalDateTime
    end: LocalDateTime


class DaySchedule(Strict):
    date: Day
    start: ClockTime
    end: ClockTime
    breaks: list[Window] = []


class AudienceZone(Strict):
    timezone: TimeZoneName
    share: float = Field(ge=0, le=1)


class TeamSize(Strict):
    solo_max_minutes: int = Field(default=40, ge=0, le=BIG)
    team: int = Field(default=2, ge=1, le=100)


class InterpreterRest(Strict):
    max_continuous: int = Field(default=180, gt=0, le=1440)
    min_break: int = Field(default=30, ge=0, le=BIG)


class Weights(Strict):
    """Weights of the soft goals; each key may be overridden in `event.weights`."""

    optional_channel_unstaffed: int = Field(default=10, ge=0, le=BIG)
    track_overlap: int = Field(default=50, ge=0, le=BIG)
    outside_preferred: int = Field(default=20, ge=0, le=BIG)
    audience_asleep: int = Field(default=30, ge=0, le=BIG)
    interpreter_load: int = Field(default=1, ge=0, le=BIG)
    relay: int = Field(default=50, ge=0, le=BIG)
    retour: int = Field(default=10, ge=0, le=BIG)
    interpreter_day: int = Field(default=20, ge=0, le=BIG)
    moved: int = Field(default=100, ge=0, le=BIG)
    # An extension of the contract (README): re-planning also counts the interpreters it takes off their channels.
    reassigned: int = Field(default=10, ge=0, le=BIG)


class EventInfo(Strict):
    id: Id
    name: dict[LanguageCode, str] = Field(min_length=1)
    timezone: TimeZoneName
    languages: list[LanguageCode] = Field(min_length=1)
    slot_minutes: int = Field(gt=0, le=1440)
    days: list[DaySchedule] = Field(min_length=1)
    audience: list[AudienceZone] = []
    awake: Window = Window(start="08:00", end="22:00")
    weights: Weights = Weights()
    team_size: TeamSize = TeamSize()
    interpreter_rest: InterpreterRest = InterpreterRest()


class Room(Strict):
    id: Id
    name: str
    capacity: int = Field(ge=0, le=BIG)
    channels: int = Field(default=0, ge=0, le=BIG)
    max_interpreters: int | None = Field(default=None, ge=0, le=BIG)
    unavailable: list[Period] = []


class Speaker(Strict):
    id: Id
    name: str
    locale: LanguageCode | None = None  # extension: how their agenda is rendered (derived when absent)
    timezone: TimeZoneName | None = None
    unavailable: list[Period] = []
    max_sessions_per_day: int | None = Field(default=None, ge=0, le=BIG)


class LanguageClasses(Strict):
    """AIIC classes: A = mother tongue(s), B = active foreign language(s), C = passive language(s)."""

    A: list[LanguageCode] = []
    B: list[LanguageCode] = []
    C: list[LanguageCode] = []


class Interpreter(Strict):
    id: Id
    name: str
    languages: LanguageClasses = LanguageClasses()
    pairs: list[tuple[LanguageCode, LanguageCode]] | None = None
    locale: LanguageCode = "en"
    timezone: TimeZoneName | None = None
    unavailable: list[Period] = []
    max_minutes_per_day: int = Field(default=360, ge=0, le=BIG)

    @model_validator(mode="before")
    @classmethod
    def _pairs_as_tuples(cls, data):
        # JSON has no tuples; strict mode wants them, so turn each two-item list into one.
        if isinstance(data, dict) and isinstance(data.get("pairs"), list):
            data = dict(data)
            data["pairs"] = [tuple(p) if isinstance(p, list) else p for p in data["pairs"]]
        return data

    def can_interpret(self, source: str, target: str) -> bool:
        """Whether this interpreter may work from `source` into `target` (explicit pairs, else AIIC classes)."""
        if source == target:
            return False
        if self.pairs is not None:
            return (source, target) in self.pairs
        known = {*self.languages.A, *self.languages.B, *self.languages.C}
        if target in self.languages.A:
            return source in known
        return target in self.languages.B and source in self.languages.A

    def known_languages(self) -> list[str]:
        """The languages they understand, A first (explicit pairs: every language of a pair)."""
        if self.pairs is not None:
            return list(dict.fromkeys(lang for pair in self.pairs for lang in pair))
        return [*self.languages.A, *self.languages.B, *self.languages.C]

    def is_retour(self, target: str) -> bool:
        """Whether working into `target` is a retour (into a B language); never with explicit pairs."""
        return self.pairs is None and target in self.languages.B and target not in self.languages.A


class Pin(Strict):
    day: Day | None = None
    start: ClockTime | None = None
    room: Id | None = None
    rooms: list[Id] | None = Field(default=None, min_length=1)  # extension: any one of these rooms

    @property
    def room_ids(self) -> list[str] | None:
        """The rooms the session may use (`room` or `rooms`), None when it may use any."""
        return [self.room] if self.room is not None else self.rooms


class Session(Strict):
    id: Id
    title: dict[LanguageCode, str] = Field(min_length=1)
    duration: int = Field(gt=0, le=1440)
    speakers: list[Id] = []
    language: LanguageCode
    interpretation: Literal["required", "optional", "none"] = "required"
    kind: Literal["plenary", "parallel"] = "parallel"
    track: str | None = None
    attendance: int = Field(default=0, ge=0, le=BIG)
    after: list[Id] = []
    pin: Pin | None = None
    preferred: list[Period] = []


# --- the file -----------------------------------------------------------------------------------------


class Event(Strict):
    """A whole `event.json`: the event, its rooms, speakers, interpreters and sessions."""

    event: EventInfo
    rooms: list[Room] = Field(min_length=1)
    speakers: list[Speaker] = []
    interpreters: list[Interpreter] = []
    sessions: list[Session] = []
    # Re-planning during the event (`past.py`): not part of the file, given by the command line.
    _past: Past | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        issues = consistency_issues(self)
        if issues:
            raise ConsistencyError(issues)
        return self

    # Lookups and time arithmetic used by the checker, the model and the renderers. Time inside the
    # project is "event minutes": wall-clock minutes in the event's zone since midnight of the first day.

    def day_part(self, day: date, session_ids: set[str]) -> Event:
        """The part of the event on one day: that day alone and the given sessions, their `after` lists cut
        to them (for neighbourhood search over a day of a timetable; not re-validated). Its event minutes
        count from that day."""
        sessions = [s.model_copy(update={"after": [a for a in s.after if a in session_ids]})
                    for s in self.sessions if s.id in session_ids]
        info = self.event.model_copy(update={"days": [d for d in self.event.days if d.date == day]})
        return self.changed(event=info, sessions=sessions)

    def changed(self, **fields) -> Event:
        """This event with `fields` replaced, not re-validated, as of the same past. model_construct makes a fresh
        instance, without the lookups cached on this one (model_copy would keep them)."""
        kept = {name: getattr(self, name) for name in Event.model_fields}
        return Event.model_construct(**{**kept, **fields}).as_of(self.past)

    @property
    def past(self) -> Past | None:
        """What has already happened when re-planning during the event, or None."""
        return self._past

    def as_of(self, past: Past | None) -> Event:
        """This event re-planned as of `past.now`: what began before it stays as it was (see `past.py`)."""
        if past is None and self._past is None:
            return self
        out = self.model_copy()
        out._past = past
        return out

    @cached_property
    def room(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def speaker(self) -> dict[str, Speaker]:
        return {s.id: s for s in self.speakers}

    @cached_property
    def interpreter(self) -> dict[str, Interpreter]:
        return {i.id: i for i in self.interpreters}

    @cached_property
    def session(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.event.timezone)

    @cached_property
    def epoch(self) -> date:
        return min(d.date for d in self.event.days)

    def minute(self, moment: datetime) -> int:
        """Event minutes of a local (naive, event zone) or aware date-time."""
        if moment.tzinfo is not None:
            # Through UTC: astimezone() to the zone a datetime already carries would keep a wall-clock time
            # that does not exist (skipped by daylight saving) instead of the real one.
            moment = moment.astimezone(timezone.utc).astimezone(self.zone).replace(tzinfo=None)
        delta = moment - datetime.combine(self.epoch, datetime.min.time())
        return int(delta.total_seconds() // 60)

    def local(self, minute: int) -> datetime:
        """The naive local date-time of an event minute."""
        return datetime.combine(self.epoch, datetime.min.time()) + timedelta(minutes=minute)

    def aware(self, minute: int) -> datetime:
        """The aware date-time (event zone, with offset) of an event minute."""
        return self.local(minute).replace(tzinfo=self.zone)

    @cached_property
    def clocks_back(self) -> list[int]:
        """The event minutes on the slot grid inside a day's window at which the clocks go back: the slot before
        ends an hour (the hour repeated) later in fact than on the clock. No session runs across one, nor in the
        part of min_break before it that the repeated hour does not give (`constraints.clock_change_spans`), so
        a gap across one is a rest in fact, however short on the clock."""
        slot = self.event.slot_minutes
        return sorted({m for d in self.event.days for m in range(self.day_window(d)[0] + slot,
                                                                  self.day_window(d)[1] + 1, slot)
                       if self.aware(m).timestamp() - self.aware(m - slot).timestamp() > 60 * slot})

    def day_window(self, day: DaySchedule) -> tuple[int, int]:
        base = (day.date - self.epoch).days * 1440
        return base + minutes_of(day.start), base + minutes_of(day.end)

    def day_breaks(self, day: DaySchedule) -> list[tuple[int, int]]:
        base = (day.date - self.epoch).days * 1440
        return [(base + minutes_of(b.start), base + minutes_of(b.end)) for b in day.breaks]

    def open_spans(self, day: DaySchedule) -> list[tuple[int, int]]:
        """The break-free spans of a day, in event minutes, in time order."""
        start, end = self.day_window(day)
        spans, cursor = [], start
        for b_start, b_end in sorted(self.day_breaks(day)):
            if b_start > cursor:
                spans.append((cursor, b_start))
            cursor = max(cursor, b_end)
        if cursor < end:
            spans.append((cursor, end))
        return spans

    def periods(self, periods: list[Period]) -> list[tuple[int, int]]:
        return [(self.minute(p.start), self.minute(p.end)) for p in periods]

    def day_of(self, minute: int) -> date:
        """The date (event zone) an event minute falls on."""
        return self.epoch + timedelta(days=minute // 1440)

    def channels(self, session: Session) -> list[str]:
        """Audience languages of a session other than its floor language: its interpretation channels."""
        if session.interpretation == "none":
            return []
        return [t for t in self.event.languages if t != session.language]

    def team_size(self, session: Session) -> int:
        """Interpreters a staffed channel of this session needs (1 up to `solo_max_minutes`, else a team)."""
        rule = self.event.team_size
        return 1 if session.duration <= rule.solo_max_minutes else rule.team

    def unstaffed_cost(self, session: Session) -> int:
        """What leaving one optional channel of `session` unstaffed costs: the weight x max(1, attendance // 100)."""
        return self.event.weights.optional_channel_unstaffed * max(1, session.attendance // 100)

    def required_work(self) -> int:
        """Interpreter-minutes the required channels need (team members x minutes): someone works at least
        their even share of it."""
        return sum(len(self.channels(s)) * self.team_size(s) * s.duration
                   for s in self.sessions if s.interpretation == "required")

    def size(self) -> int:
        """Sessions x interpreters (at least one): what the exact model grows with, and what picks the methods."""
        return len(self.sessions) * max(1, len(self.interpreters))

    def even_share(self) -> int:
        """The required work's minutes shared evenly by every interpreter, rounded up (0 without any): a lower
        bound on the busiest interpreter's load."""
        return -(-self.required_work() // len(self.interpreters)) if self.interpreters else 0

    def title(self, session: Session, language: str, known: tuple[str, ...] = ()) -> tuple[str, str]:
        """The session's title in `language`, else in one of the `known` languages of the reader, else in a
        fallback language (the event's, then any); returns (title, language used)."""
        for lang in (language, language.split("_")[0], *known, *self.event.languages, *session.title):
            if lang in session.title:
                return session.title[lang], lang
        raise AssertionError("titles have at least one entry")


# --- cross-reference checks ---------------------------------------------------------------------------


def consistency_issues(ev: Event) -> list[Issue]:
    """Every whole-file problem of an event: duplicates, dangling references, grid, cycles, windows."""
    return [
        *reference_issues(ev),
        *_languages_once(ev),
        *_days_and_breaks(ev),
        *_grid(ev),
        *_periods_ordered(ev),
        *_audience_shares(ev),
        *_interpreter_pairs(ev),
    ]


def reference_issues(ev) -> list[Issue]:
    """Duplicate ids, dangling references and cycles in `after`. Takes an `Event`, or the `skeleton` of raw
    data whose fields did not all validate, so that these problems are reported in the same run."""
    return [*_unique_ids(ev), *_references(ev), *_after_acyclic(ev)]


def skeleton(data: object) -> SimpleNamespace | None:
    """The ids and references of raw event data, read leniently (malformed pieces become None or [])."""
    if not isinstance(data, dict):
        return None

    def items(container: object, key: str) -> list[dict]:
        value = container.get(key) if isinstance(container, dict) else None
        return [x if isinstance(x, dict) else {} for x in value] if isinstance(value, list) else []

    def text(item: dict, key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) else None

    def texts(item: dict, key: str) -> list[str]:
        value = item.get(key)
        return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []

    def pin(item: dict) -> SimpleNamespace | None:
        raw = item.get("pin")
        if not isinstance(raw, dict):
            return None
        return SimpleNamespace(room=text(raw, "room"), rooms=texts(raw, "rooms"), day=text(raw, "day"))

    def plain(kind: str) -> list[SimpleNamespace]:
        return [SimpleNamespace(id=text(x, "id")) for x in items(data, kind)]

    return SimpleNamespace(
        event=SimpleNamespace(days=[SimpleNamespace(date=text(d, "date")) for d in items(data.get("event"), "days")]),
        rooms=plain("rooms"), speakers=plain("speakers"), interpreters=plain("interpreters"),
        sessions=[SimpleNamespace(id=text(x, "id"), speakers=texts(x, "speakers"), after=texts(x, "after"),
                                  pin=pin(x)) for x in items(data, "sessions")],
    )


def _unique_ids(ev: Event) -> Iterator[Issue]:
    for kind in ("rooms", "speakers", "interpreters", "sessions"):
        first: dict[str, int] = {}
        for i, item in enumerate(getattr(ev, kind)):
            if item.id is None:
                continue
            if item.id in first:
                yield Issue(path=(kind, i, "id"), message=f"duplicate id {item.id!r} (also {kind}[{first[item.id]}])")
            else:
                first[item.id] = i


def _references(ev: Event) -> Iterator[Issue]:
    speakers = {s.id for s in ev.speakers}
    rooms = {r.id for r in ev.rooms}
    sessions = {s.id for s in ev.sessions}
    dates = {d.date for d in ev.event.days}
    for i, s in enumerate(ev.sessions):
        for j, sp in enumerate(s.speakers):
            if sp not in speakers:
                yield Issue(path=("sessions", i, "speakers", j),
                            message=f"unknown speaker {sp!r}{did_you_mean(sp, speakers)}")
        if len(set(s.speakers)) != len(s.speakers):
            yield Issue(path=("sessions", i, "speakers"), message="a speaker is listed twice")
        for j, a in enumerate(s.after):
            if a not in sessions:
                yield Issue(path=("sessions", i, "after", j),
                            message=f"unknown session {a!r}{did_you_mean(a, sessions)}")
            elif a == s.id:
                yield Issue(path=("sessions", i, "after", j), message="a session cannot come after itself")
        if s.pin is not None:
            if s.pin.room is not None and s.pin.room not in rooms:
                yield Issue(path=("sessions", i, "pin", "room"),
                            message=f"unknown room {s.pin.room!r}{did_you_mean(s.pin.room, rooms)}")
            for j, r in enumerate(s.pin.rooms or []):
                if r not in rooms:
                    yield Issue(path=("sessions", i, "pin", "rooms", j),
                                message=f"unknown room {r!r}{did_you_mean(r, rooms)}")
            if s.pin.room is not None and s.pin.rooms:
                yield Issue(path=("sessions", i, "pin", "rooms"),
                            message="give the pin one room (room) or a choice of rooms (rooms), not both")
            if s.pin.day is not None and s.pin.day not in dates:
                yield Issue(path=("sessions", i, "pin", "day"), message=f"{s.pin.day} is not one of the event's days")


def _languages_once(ev: Event) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, lang in enumerate(ev.event.languages):
        if lang in seen:
            yield Issue(path=("event", "languages", i), message=f"{lang!r} is listed twice (one channel a language)")
        seen.add(lang)


def _skipped(zone: ZoneInfo, moment: datetime) -> bool:
    """Whether a wall-clock time never shows in `zone` (jumped over when its clocks went forward)."""
    return moment.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != moment


def _never_on_the_clock(zone: ZoneInfo, start: datetime, end: datetime) -> bool:
    """Whether every minute of [start, end) is skipped by the zone's clocks (Pacific/Apia had no 2011-12-30)."""
    if not _skipped(zone, start):  # the usual case, answered at once
        return False
    return all(_skipped(zone, start + timedelta(minutes=m)) for m in range(int((end - start).total_seconds()) // 60))


def _days_and_breaks(ev: Event) -> Iterator[Issue]:
    seen: set[date] = set()
    for i, d in enumerate(ev.event.days):
        path = ("event", "days", i)
        if d.date in seen:
            yield Issue(path=(*path, "date"), message=f"the day {d.date} is listed twice")
        seen.add(d.date)
        if d.start >= d.end:
            yield Issue(path=(*path, "end"), message=f"the day must end after it starts ({d.start:%H:%M})")
        elif _never_on_the_clock(ev.zone, datetime.combine(d.date, d.start), datetime.combine(d.date, d.end)):
            yield Issue(path=(*path, "date"),
                        message=f"{d.date} {d.start:%H:%M}-{d.end:%H:%M} never shows on the clocks of "
                                f"{ev.event.timezone}: they skipped those hours (e.g. a day dropped when the zone "
                                f"moved across the date line)")
        for j, b in enumerate(d.breaks):
            if b.start >= b.end:
                yield Issue(path=(*path, "breaks", j, "end"), message="a break must end after it starts")
            elif b.start < d.start or b.end > d.end:
                yield Issue(
                    path=(*path, "breaks", j),
                    message=f"the break {b.start:%H:%M}-{b.end:%H:%M} is not inside the day "
                    f"{d.start:%H:%M}-{d.end:%H:%M}",
                )
    awake = ev.event.awake
    if awake.start >= awake.end:
        yield Issue(path=("event", "awake", "end"), message="awake hours must end after they start")


# The model's size grows with the event's span and its start times: a day moved to 2999 by mistake built a model
# for 31 s and 8.7 GB before the time limit began, 60 days of 1-minute slots never finished building.
MAX_SPAN_DAYS = 366
MAX_SLOTS = 20_000  # start times of all days together (the 560-session benchmark has 864)


def _grid(ev: Event) -> Iterator[Issue]:
    slot = ev.event.slot_minutes
    if 1440 % slot:
        yield Issue(path=("event", "slot_minutes"), message=f"{slot} does not divide a day (1440 minutes)")
        return
    dates = [d.date for d in ev.event.days]
    if dates and (max(dates) - min(dates)).days >= MAX_SPAN_DAYS:
        yield Issue(path=("event", "days"), message=f"the days run from {min(dates)} to {max(dates)}: an event's "
                                                    f"days lie within {MAX_SPAN_DAYS} days (a wrong year, often)")
    slots = sum(max(0, minutes_of(d.end) - minutes_of(d.start)) // slot for d in ev.event.days)
    if slots > MAX_SLOTS:
        yield Issue(path=("event", "slot_minutes"), message=f"the days hold {slots:,} start times of {slot} "
                    f"minute{'s' if slot > 1 else ''}, more than the {MAX_SLOTS:,} the solver considers: use a "
                    f"longer slot (15 minutes, say) or shorter days")

    def off(t) -> bool:
        return minutes_of(t) % slot != 0

    for i, d in enumerate(ev.event.days):
        for key in ("start", "end"):
            if off(getattr(d, key)):
                yield Issue(path=("event", "days", i, key), message=f"not on the {slot}-minute grid")
        for j, b in enumerate(d.breaks):
            for key in ("start", "end"):
                if off(getattr(b, key)):
                    yield Issue(path=("event", "days", i, "breaks", j, key), message=f"not on the {slot}-minute grid")
    for i, s in enumerate(ev.sessions):
        if s.duration % slot:
            yield Issue(
                path=("sessions", i, "duration"),
                message=f"{s.duration} minutes is not a multiple of slot_minutes ({slot})",
            )
        if s.pin is not None and s.pin.start is not None and off(s.pin.start):
            yield Issue(path=("sessions", i, "pin", "start"), message=f"not on the {slot}-minute grid")


def _periods_ordered(ev: Event) -> Iterator[Issue]:
    owners = [("rooms", ev.rooms, "unavailable"), ("speakers", ev.speakers, "unavailable"),
              ("interpreters", ev.interpreters, "unavailable"), ("sessions", ev.sessions, "preferred")]
    for kind, items, key in owners:
        for i, item in enumerate(items):
            for j, p in enumerate(getattr(item, key)):
                if p.start >= p.end:
                    yield Issue(path=(kind, i, key, j, "end"), message="a period must end after it starts")


def _audience_shares(ev: Event) -> Iterator[Issue]:
    total = sum(a.share for a in ev.event.audience)
    if total > 1 + 1e-9:
        yield Issue(path=("event", "audience"), message=f"the shares add up to {total:g}, more than 1")


def _after_acyclic(ev: Event) -> Iterator[Issue]:
    index = {s.id: i for i, s in enumerate(ev.sessions) if s.id is not None}
    after = {s.id: [a for a in s.after if a in index and a != s.id] for s in ev.sessions if s.id is not None}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in after[node]:
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for s in ev.sessions:
        if s.id is not None and s.id not in state:
            cycle = visit(s.id, [])
            if cycle:
                yield Issue(
                    path=("sessions", index[cycle[0]], "after"),
                    message="the 'after' order has a cycle: " + " comes after ".join(cycle),
                )
                for node, mark in state.items():  # close the abandoned path; look for other cycles
                    if mark == 1:
                        state[node] = 2


def _interpreter_pairs(ev: Event) -> Iterator[Issue]:
    for i, it in enumerate(ev.interpreters):
        for j, (src, dst) in enumerate(it.pairs or []):
            if src == dst:
                yield Issue(path=("interpreters", i, "pairs", j), message="a pair needs two different languages")
