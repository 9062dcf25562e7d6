"""The CP-SAT model of one event: the one place that owns every variable.

Building happens in three steps:
1. the *domain* rules of `constraints.py` narrow what each session may do before any variable exists (which
   starts, which rooms, which interpreter may serve which channel from which source): forbidden options are
   never created, which keeps the model small;
2. variables are created for what is left;
3. the *constraint* rules post their constraints, and `goals.py` adds the named penalty terms.

Time is in event minutes (see `Event.minute`). A *zone* is a stretch of a day between breaks long enough to
rest in (at least `interpreter_rest.min_break`, or the moment the clocks go back, a rest in fact); sessions never
cross breaks (nor that moment), so each session lies in one zone.

*Switches* (for `scheduler explain`): a model built with `switchable` fact keys gives each of those relaxable
facts a Boolean literal (`fact`); the constraints of the fact then hold only when its literal is true, so that
CP-SAT assumptions over the literals find a conflicting set of facts. Without switches nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from .event import Event, Session
from .timetable import Channel, Timetable


@dataclass(frozen=True)
class Zone:
    """A window of one day between rest-long breaks; `spans` are its break-free pieces."""

    index: int
    day: date
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]
    rested: bool = False  # the clocks go back between it and the zone before: a rest in fact lies between them


@dataclass(frozen=True)
class Option:
    """One interpreter who could staff channel `into` of a session, listening to `source`."""

    interpreter: str
    session: str
    into: str
    source: str


@dataclass
class SessionVars:
    start: cp_model.IntVar
    end: cp_model.LinearExpr
    interval: cp_model.IntervalVar
    room: dict[str, cp_model.IntVar] = field(default_factory=dict)
    zone: dict[int, cp_model.IntVar] = field(default_factory=dict)
    staffed: dict[str, cp_model.IntVar] = field(default_factory=dict)  # channel -> staffed
    source: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)  # (channel, source) -> chosen


def starts_avoiding(duration: int, spans: list[tuple[int, int]]) -> Domain:
    """Every start at which something lasting `duration` overlaps none of the (start, end) spans."""
    allowed = Domain.all_values()
    for start, end in spans:
        allowed = allowed.intersection_with(Domain(start - duration + 1, end - 1).complement())
    return allowed


def zones_of(event: Event, ignore_breaks: Collection[date] = ()) -> list[Zone]:
    """The rest zones of every day: break-free spans, merged across breaks shorter than the minimum rest.
    The breaks of the days in `ignore_breaks` are left out (their whole window is one span)."""
    min_break = event.event.interpreter_rest.min_break
    back = event.clocks_back
    zones: list[Zone] = []
    for day in sorted(event.event.days, key=lambda d: d.date):
        spans = [event.day_window(day)] if day.date in ignore_breaks else event.open_spans(day)
        # Split where the clocks go back: a gap across that moment is a rest in fact, however short on the clock.
        for cut in back:
            spans = [part for a, b in spans for part in (((a, cut), (cut, b)) if a < cut < b else ((a, b),))]
        group: list[tuple[int, int]] = []
        rested = False
        for span in spans:
            across = bool(group) and any(group[-1][1] <= cut <= span[0] for cut in back)
            if group and (span[0] - group[-1][1] >= min_break or across):
                zones.append(Zone(len(zones), day.date, group[0][0], group[-1][1], tuple(group), rested))
                group, rested = [], across
            group.append(span)
        if group:
            zones.append(Zone(len(zones), day.date, group[0][0], group[-1][1], tuple(group), rested))
    return zones


class ScheduleModel:
    """Variables, constraints and penalty terms of one event."""

    def __init__(self, event: Event, previous: Timetable | None = None, *, staffing: bool = True,
                 fixed_times: dict[str, tuple[int, str]] | None = None,
                 fixed_staff: dict[str, list[Channel]] | None = None, relay_pivots: set[str] | None = None,
                 switchable: Collection[tuple] = (),
                 load_offset: dict[str, int] | None = None, optional_demand: bool = True,
                 free_into: Collection[str] = ()):
        """Build the model. `staffing=False` leaves interpreters out (a relaxation: interpretation is then
        only bounded by capacity cuts); `fixed_times` pins sessions to (start minute, room); `fixed_staff`
        keeps the given teams of some sessions (only those people may serve those sessions' channels), except
        their channels into the languages of `free_into`, which anyone able may staff;
        `relay_pivots` limits relay to those pivot languages (a restriction used by neighbourhood search).
        `load_offset` adds minutes each interpreter works outside this model (when it holds part of an event,
        see `Event.day_part`) to their load.
        `optional_demand` (with `staffing=False`): staffing an optional channel needs people that day, as in
        reality (a tighter bound); when false, channels are left out of the relaxation as if all were staffed
        for free (it then makes placements that the real staffing does better).

        `switchable` holds keys of relaxable facts (as `explain.facts_of` makes them, e.g. ("pin", sid, "day"),
        ("after", sid, before), ("unavailable", "interpreters", iid, j), ("rest",)) that get a switch literal:
        see `fact`. Such a model is for feasibility only: it has no goals, no objective and no redundant cuts
        (the cuts assume every fact holds)."""
        from . import constraints, goals

        self.event = event
        self.previous = previous
        self.staffing = staffing
        self.fixed_times = fixed_times or {}
        self.fixed_staff = fixed_staff or {}
        self.free_into = frozenset(free_into)
        self.relay_pivots = relay_pivots
        self.optional_demand = optional_demand
        self.load_offset = load_offset or {}
        self.model = cp_model.CpModel()
        self.switchable = frozenset(switchable)
        self.switches: dict[tuple, cp_model.IntVar] = {}  # fact key -> its switch literal, made by `fact`
        self._deferred_starts: list[tuple[str, Domain, list[cp_model.IntVar]]] = []
        self._deferred_rooms: list[tuple[str, str, list[cp_model.IntVar]]] = []
        self._deferred_posts: list[Callable[[], None]] = []
        # With switched breaks, zones ignore those breaks: a constraint enforced by the switch keeps sessions off them.
        self.zones = zones_of(event, {d.date for d in event.event.days
                                      if ("breaks", d.date.isoformat()) in self.switchable})
        self.horizon = max(end for _, end in (event.day_window(d) for d in event.event.days))
        # Step 1: options, narrowed by the domain rules.
        self.start_domain: dict[str, Domain] = {s.id: Domain(0, self.horizon) for s in event.sessions}
        self.room_options: dict[str, list[str]] = {s.id: [r.id for r in event.rooms] for s in event.sessions}
        self.options: list[Option] = []
        for rule in constraints.DOMAIN_RULES:
            rule(self)
        for sid, (start, room) in self.fixed_times.items():
            self.start_domain[sid] = self.start_domain[sid].intersection_with(Domain(start, start))
            self.room_options[sid] = [r for r in self.room_options[sid] if r == room]
        # Step 2: variables.
        self.sessions: dict[str, SessionVars] = {}
        self.assign: dict[Option, cp_model.IntVar] = {}
        self.works: dict[tuple[str, str], cp_model.IntVar] = {}  # (interpreter, session) -> works in it
        self._works_in_zone: dict[tuple[str, str, int], cp_model.LinearExprT] = {}
        self._staffed_on_day: dict[tuple[str, str, date], cp_model.LinearExprT] = {}
        self._create_variables()
        self._post_deferred()
        # Step 3: constraints, redundant cuts and goals.
        for rule in constraints.CONSTRAINT_RULES:
            rule(self)
        self.penalties: list[goals.Penalty] = []
        if self.switchable:
            return
        for cut in constraints.CUTS:
            cut(self)
        for goal in goals.GOALS:
            self.penalties.extend(goal(self))
        self.model.minimize(sum(p.weight * p.term for p in self.penalties))

    @cached_property
    def open_spans(self) -> dict[date, list[tuple[int, int]]]:
        """The spans of each day that sessions may use (its zones')."""
        out: dict[date, list[tuple[int, int]]] = {}
        for z in self.zones:
            out.setdefault(z.day, []).extend(z.spans)
        return out

    @cached_property
    def open_minutes(self) -> dict[date, int]:
        """Minutes of each day that sessions may use (its zones' spans)."""
        return {day: sum(b - a for a, b in spans) for day, spans in self.open_spans.items()}

    def fixed_start(self, sid: str) -> int | None:
        """The start of a session whose start domain holds a single value, else None."""
        domain = self.start_domain[sid]
        return domain.min() if domain.size() == 1 else None

    # --- switches of relaxable facts ----------------------------------------------------------------

    def fact(self, *key) -> cp_model.IntVar | None:
        """The switch literal of the relaxable fact `key` (made on first use), or None when that fact has no
        switch (always, unless the model was built with it in `switchable`): the fact then always holds."""
        if key not in self.switchable:
            return None
        if key not in self.switches:
            self.switches[key] = self.model.new_bool_var(f"fact[{','.join(map(str, key))}]")
        return self.switches[key]

    @staticmethod
    def when(*switches: cp_model.IntVar | None) -> list[cp_model.IntVar]:
        """The enforcement literals for a constraint that holds when all of `switches` are true (None: always
        on); `[]`, which `only_enforce_if` ignores, when none is a switch."""
        return [lit for lit in switches if lit is not None]

    # --- narrowing (used by domain rules) ------------------------------------------------------------

    def restrict_start(self, session: Session, allowed: Domain, *switches: cp_model.IntVar | None) -> None:
        """Keep only the starts of `session` inside `allowed` (when the `switches` are on: with switch
        literals the narrowing becomes a constraint enforced by them, posted once the variables exist)."""
        if self.when(*switches):
            self._deferred_starts.append((session.id, allowed, self.when(*switches)))
        else:
            self.start_domain[session.id] = self.start_domain[session.id].intersection_with(allowed)

    def forbid_spans(self, session: Session, spans: list[tuple[int, int]], *switches: cp_model.IntVar | None) -> None:
        """Forbid every start at which `session` would overlap one of the (start, end) spans."""
        self.restrict_start(session, starts_avoiding(session.duration, spans), *switches)

    def forbid_room(self, session: Session, room: str, *switches: cp_model.IntVar | None) -> None:
        """Remove `room` from the options of `session` (with switches: forbid it when they are on)."""
        if self.when(*switches):
            self._deferred_rooms.append((session.id, room, self.when(*switches)))
        else:
            self.room_options[session.id] = [r for r in self.room_options[session.id] if r != room]

    def by_switch(self, items: list, *prefix) -> list[tuple[cp_model.IntVar | None, list]]:
        """`items`, the j-th being the fact `prefix + (j,)` (such as the unavailable periods of one person),
        grouped for posting: first one group of those without a switch (when there are any), then one group
        per switched item, each with its switch (None for the first group)."""
        switches = [self.fact(*prefix, j) for j in range(len(items))]
        always = [x for x, lit in zip(items, switches) if lit is None]
        return ([(None, always)] if always else []) + [(lit, [x]) for x, lit in zip(items, switches) if lit is not None]

    def once_variables_exist(self, post: Callable[[], None]) -> None:
        """Call `post` once the variables exist (for a domain rule that also fixes some of them)."""
        self._deferred_posts.append(post)

    def _post_deferred(self) -> None:
        for post in self._deferred_posts:
            post()
        for sid, allowed, lits in self._deferred_starts:
            domain = self.start_domain[sid]
            if not domain.is_included_in(allowed):
                self.model.add_linear_expression_in_domain(self.sessions[sid].start, allowed).only_enforce_if(lits)
        for sid, room, lits in self._deferred_rooms:
            if room in self.sessions[sid].room:
                self.model.add_bool_or([*(lit.Not() for lit in lits), self.sessions[sid].room[room].Not()])

    # --- variables -----------------------------------------------------------------------------------

    def _create_variables(self) -> None:
        m = self.model
        for s in self.event.sessions:
            domain = self.start_domain[s.id]
            if domain.is_empty():
                # No start obeys the domain rules: the model is infeasible (explain says which rules).
                m.add_bool_or([])
                domain = Domain(0, 0)
            start = m.new_int_var_from_domain(domain, f"start[{s.id}]")
            interval = m.new_fixed_size_interval_var(start, s.duration, f"when[{s.id}]")
            sv = SessionVars(start=start, end=start + s.duration, interval=interval)
            sv.room = {r: m.new_bool_var(f"room[{s.id},{r}]") for r in self.room_options[s.id]}
            for z in self.zones:
                fits = Domain.from_intervals([[a, b - s.duration] for a, b in z.spans if b - a >= s.duration])
                inside = domain.intersection_with(fits)
                if inside.is_empty():
                    continue
                lit = m.new_bool_var(f"zone[{s.id},{z.index}]")
                m.add_linear_expression_in_domain(start, inside).only_enforce_if(lit)
                sv.zone[z.index] = lit
            m.add_exactly_one(sv.zone.values())  # a session lies in one zone (empty: no valid start)
            # Also without interpreters, unless optional channels are free there: the relaxation then weighs
            # staffing them (in people counted per day, see goals._people_cuts) against leaving them unstaffed.
            if self.staffing or self.optional_demand:
                for t in self.event.channels(s):
                    sv.staffed[t] = m.new_bool_var(f"staffed[{s.id},{t}]")
            self.sessions[s.id] = sv
        for opt in self.options:
            sv = self.sessions[opt.session]
            key = (opt.into, opt.source)
            if key not in sv.source:
                sv.source[key] = m.new_bool_var(f"source[{opt.session},{opt.into}<-{opt.source}]")
            self.assign[opt] = m.new_bool_var(f"assign[{opt.interpreter},{opt.session},{opt.into}<-{opt.source}]")
        by_pair: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        for opt, lit in self.assign.items():
            by_pair.setdefault((opt.interpreter, opt.session), []).append(lit)
        for (who, sid), lits in by_pair.items():
            if len(lits) == 1:
                self.works[(who, sid)] = lits[0]
            else:
                w = m.new_bool_var(f"works[{who},{sid}]")
                m.add(sum(lits) == w)  # one channel of one session at a time
                self.works[(who, sid)] = w

    def session_of(self, sid: str) -> Session:
        return self.event.session[sid]

    def works_in_zone(self, who: str, sid: str, zone: int) -> cp_model.LinearExprT:
        """A literal that is true exactly when `who` works in session `sid` and that session lies in `zone`.

        The literals of one (interpreter, session) pair are made together: they sum to `works` and each implies
        its zone, which makes them the exact product and gives the LP the per-zone (so per-day) split of work.
        """
        key = (who, sid, zone)
        if key not in self._works_in_zone:
            sv = self.sessions[sid]
            works = self.works[(who, sid)]
            if len(sv.zone) == 1:
                self._works_in_zone[key] = works
            else:
                lits = []
                for z, placed in sv.zone.items():
                    lit = self.model.new_bool_var(f"works_in_zone[{who},{sid},{z}]")
                    self.model.add_implication(lit, placed)
                    self._works_in_zone[(who, sid, z)] = lit
                    lits.append(lit)
                self.model.add(sum(lits) == works)
        return self._works_in_zone[key]

    def staffed_on_day(self, sid: str, into: str, day: date) -> cp_model.LinearExprT:
        """A literal that is true exactly when channel `into` of session `sid` is staffed and the session lies on
        `day` (made together for all days of the channel, like `works_in_zone`)."""
        key = (sid, into, day)
        if key not in self._staffed_on_day:
            sv = self.sessions[sid]
            days: dict[date, list[cp_model.IntVar]] = {}
            for z, placed in sv.zone.items():
                days.setdefault(self.zones[z].day, []).append(placed)
            lits = []
            for d, placed in days.items():
                lit = self.model.new_bool_var(f"staffed_on_day[{sid},{into},{d}]")
                self.model.add(lit <= sum(placed))
                self._staffed_on_day[(sid, into, d)] = lit
                lits.append(lit)
            self.model.add(sum(lits) == sv.staffed[into])
        return self._staffed_on_day.get(key, 0)

    def interpreter_sessions(self) -> dict[str, list[str]]:
        """For each interpreter, the sessions they could work in."""
        out: dict[str, list[str]] = {}
        for who, sid in self.works:
            out.setdefault(who, []).append(sid)
        return out
