"""The soft goals evaluated on a finished timetable: the itemised `costs` and the objective it reports.

One function per goal, named as the weight key in `event.weights` and as the model's penalty in `goals.py`.
Like the checker, it never looks at solver variables, so the solver's objective can be tested against it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo

from .event import Event
from .timetable import Cost, Placement, Timetable

GOAL_NAMES = [
    "optional_channel_unstaffed", "track_overlap", "outside_preferred", "audience_asleep", "interpreter_load",
    "relay", "retour", "interpreter_day", "moved", "reassigned",
]


@lru_cache(maxsize=65536)
def _awake_minutes(start_utc: datetime, minutes: int, zone: str, wake, sleep) -> int:
    tz = ZoneInfo(zone)
    end_utc = start_utc + timedelta(minutes=minutes)
    first = start_utc.astimezone(tz).date() - timedelta(days=1)
    awake = 0
    for offset in range(3 + minutes // 1440):
        day = first + timedelta(days=offset)
        a = datetime.combine(day, wake, tzinfo=tz).astimezone(timezone.utc)
        b = datetime.combine(day, sleep, tzinfo=tz).astimezone(timezone.utc)
        overlap = (min(b, end_utc) - max(a, start_utc)).total_seconds() // 60
        awake += max(0, int(overlap))
    return awake


def asleep_cost(event: Event, start: datetime, minutes: int) -> int:
    """The audience_asleep cost of a session of `minutes` starting at aware `start`, over all audience zones."""
    info = event.event
    return _asleep_cost(start, minutes, info.weights.audience_asleep,
                        tuple((zone.timezone, zone.share) for zone in info.audience), info.awake.start, info.awake.end)


def own_start_cost(event: Event, session, start: int) -> int:
    """What `session` pays for starting at minute `start`, whatever else happens: its audience asleep and its
    preferred windows missed (for the greedy and the bounds; the evaluation below counts on its own)."""
    cost = asleep_cost(event, event.aware(start), session.duration) if event.event.audience else 0
    if session.preferred and not any(a <= start and start + session.duration <= b
                                     for a, b in event.periods(session.preferred)):
        cost += event.event.weights.outside_preferred
    return cost


# Models and the greedy ask for every start of every session: on the 560-session event 108,000 calls for about
# a thousand distinct (start, length) pairs, which took 7 of the 9 s of a model's build without the cache.
@lru_cache(maxsize=65536)
def _asleep_cost(start: datetime, minutes: int, weight: int, zones: tuple[tuple[str, float], ...], wake, sleep) -> int:
    total = 0
    start_utc = start.astimezone(timezone.utc)
    for zone, share in zones:
        outside = minutes - _awake_minutes(start_utc, minutes, zone, wake, sleep)
        # Exact decimal arithmetic: 100 * 0.29 * 60 / 60 must floor to 29, not to 28.999... -> 28.
        total += math.floor(weight * Fraction(str(share)) * outside / 60)
    return total


class _Eval:
    def __init__(self, event: Event, timetable: Timetable, previous: Timetable | None):
        self.event = event
        self.weights = event.event.weights
        self.previous = previous
        self.placed = [(p, event.session[p.session]) for p in timetable.sessions if p.session in event.session]

    def minutes(self, p: Placement) -> tuple[int, int]:
        return self.event.minute(p.start), self.event.minute(p.end)


def optional_channel_unstaffed(ev: _Eval) -> list[Cost]:
    """An optional channel left without interpreters costs weight x max(1, attendance // 100)."""
    out = []
    for p, s in ev.placed:
        if s.interpretation != "optional":
            continue
        staffed = {c.into for c in p.channels if c.interpreters}
        for lang in ev.event.channels(s):
            if lang not in staffed:
                # Not Event.unstaffed_cost, on purpose: this evaluation checks the model, which uses that.
                out.append(Cost(goal="optional_channel_unstaffed", sessions=[s.id], language=lang,
                                cost=ev.weights.optional_channel_unstaffed * max(1, s.attendance // 100)))
    return out


def track_overlap(ev: _Eval) -> list[Cost]:
    """Two sessions of one track that overlap cost the weight per pair."""
    out = []
    for (p, s), (q, t) in combinations(ev.placed, 2):
        if s.track is not None and s.track == t.track:
            (a0, a1), (b0, b1) = ev.minutes(p), ev.minutes(q)
            if a0 < b1 and b0 < a1:
                out.append(Cost(goal="track_overlap", sessions=sorted([s.id, t.id]), cost=ev.weights.track_overlap))
    return out


def outside_preferred(ev: _Eval) -> list[Cost]:
    """A session wholly inside none of its preferred windows costs the weight."""
    out = []
    for p, s in ev.placed:
        if not s.preferred:
            continue
        a, b = ev.minutes(p)
        if not any(w0 <= a and b <= w1 for w0, w1 in ev.event.periods(s.preferred)):
            out.append(Cost(goal="outside_preferred", sessions=[s.id], cost=ev.weights.outside_preferred))
    return out


def audience_asleep(ev: _Eval) -> list[Cost]:
    """Session time outside the audience's awake hours costs floor(weight x share x minutes / 60) per zone."""
    out = []
    for p, s in ev.placed:
        cost = asleep_cost(ev.event, p.start, s.duration)
        if cost:
            out.append(Cost(goal="audience_asleep", sessions=[s.id], cost=cost))
    return out


def interpreter_load(ev: _Eval) -> list[Cost]:
    """The busiest interpreter's minutes over the whole event cost the weight per minute."""
    load: dict[str, int] = defaultdict(int)
    for p, s in ev.placed:
        for who in {w for c in p.channels for w in c.interpreters}:
            load[who] += s.duration
    if not load or not ev.weights.interpreter_load:
        return []
    top = max(load.values())
    busiest = sorted(w for w, m in load.items() if m == top)
    return [Cost(goal="interpreter_load", interpreters=busiest, cost=ev.weights.interpreter_load * top)]


def relay(ev: _Eval) -> list[Cost]:
    """A channel staffed through a pivot instead of direct costs the weight."""
    return [Cost(goal="relay", sessions=[s.id], interpreters=list(c.interpreters), language=c.into,
                 cost=ev.weights.relay)
            for p, s in ev.placed for c in p.channels if c.interpreters and c.via is not None]


def retour(ev: _Eval) -> list[Cost]:
    """Each interpreter working into a B language (a retour) costs the weight."""
    out = []
    for p, s in ev.placed:
        for c in p.channels:
            for who in c.interpreters:
                if ev.event.interpreter[who].is_retour(c.into):
                    out.append(Cost(goal="retour", sessions=[s.id], interpreters=[who], language=c.into,
                                    cost=ev.weights.retour))
    return out


def interpreter_day(ev: _Eval) -> list[Cost]:
    """Each interpreter who works at least once on a day costs the weight (paid by the day)."""
    days = defaultdict(set)
    for p, s in ev.placed:
        day = ev.event.day_of(ev.minutes(p)[0])
        for c in p.channels:
            for who in c.interpreters:
                days[who].add(day)
    return [Cost(goal="interpreter_day", interpreters=[who], day=day, cost=ev.weights.interpreter_day)
            for who in sorted(days) for day in sorted(days[who])]


def moved(ev: _Eval) -> list[Cost]:
    """A session whose day, start or room differs from the previous timetable costs the weight."""
    if ev.previous is None:
        return []
    before = {p.session: p for p in ev.previous.sessions}
    out = []
    for p, s in ev.placed:
        old = before.get(s.id)
        if old is not None and (ev.minutes(old)[0] != ev.minutes(p)[0] or old.room != p.room):
            out.append(Cost(goal="moved", sessions=[s.id], cost=ev.weights.moved))
    return out


def reassigned(ev: _Eval) -> list[Cost]:
    """Each change to an interpreter's assignments on a session of both timetables costs the weight: one of the
    previous timetable no longer made (unless its interpreter left the event), or one made anew. Someone's agenda
    changed, and the organiser must tell them."""
    if ev.previous is None:
        return []
    before = {p.session for p in ev.previous.sessions}
    now = {(p.session, c.into, who) for p, s in ev.placed if s.id in before for c in p.channels
           for who in c.interpreters}
    placed = {s.id for _, s in ev.placed}
    then = {(p.session, c.into, who) for p in ev.previous.sessions if p.session in placed for c in p.channels
            for who in c.interpreters}
    changed = sorted(x for x in then ^ now if x[2] in ev.event.interpreter)
    known = set(ev.event.event.languages)  # an old channel may be into a language the event has dropped since
    return [Cost(goal="reassigned", sessions=[sid], interpreters=[who], language=into if into in known else None,
                 cost=ev.weights.reassigned) for sid, into, who in changed]


GOALS: list[Callable[[_Eval], list[Cost]]] = [
    optional_channel_unstaffed, track_overlap, outside_preferred, audience_asleep, interpreter_load, relay,
    retour, interpreter_day, moved, reassigned,
]
assert [g.__name__ for g in GOALS] == GOAL_NAMES


def costs(event: Event, timetable: Timetable, previous: Timetable | None = None) -> list[Cost]:
    """Every soft cost a timetable pays, itemised; zero-cost items are left out."""
    ev = _Eval(event, timetable, previous)
    return [c for goal in GOALS for c in goal(ev) if c.cost]
