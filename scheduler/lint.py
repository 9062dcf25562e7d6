"""What a valid event may hold by mistake: `scheduler validate` says it after "valid", and still exits 0.

Each note is a JSON path and a sentence, like an input error, because it points at data to look at again. A
note may also mean that no timetable exists (a required channel nobody can staff): it then says so, and
`scheduler explain` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

from .english import counted
from .event import Event, Interpreter

Note = tuple[tuple[str | int, ...], str]


def _spoken(ev: Event) -> list[str]:
    """Every language a channel may be interpreted from: the audience's and the floor's."""
    return sorted(set(ev.event.languages) | {s.language for s in ev.sessions})


def _works_into(it: Interpreter, target: str, spoken: list[str]) -> bool:
    return any(it.can_interpret(source, target) for source in spoken)


def interpreter_without_channel(ev: Event) -> Iterator[Note]:
    """An interpreter whose languages fit no channel of the event (a typo in a language code, often)."""
    spoken = _spoken(ev)
    for i, it in enumerate(ev.interpreters):
        if any(_works_into(it, target, spoken) for target in ev.event.languages):
            continue
        if it.pairs is not None:
            theirs = ", ".join(f"{a}->{b}" for a, b in it.pairs) or "none"
            what = f"their pairs ({theirs})"
        else:
            classes = [f"{c} {' '.join(getattr(it.languages, c))}" for c in "ABC" if getattr(it.languages, c)]
            what = f"their languages ({'; '.join(classes) or 'none'})"
        yield (("interpreters", i),
               f"{it.id} ({it.name}) can work no channel of this event: {what} fit none of its channels "
               f"(from {', '.join(spoken)} into {', '.join(ev.event.languages)})")


def language_without_interpreter(ev: Event) -> Iterator[Note]:
    """An audience language nobody can interpret into, while sessions have a channel into it."""
    spoken = _spoken(ev)
    for k, language in enumerate(ev.event.languages):
        sessions = [s for s in ev.sessions if language in ev.channels(s)]
        if sessions and not any(_works_into(it, language, spoken) for it in ev.interpreters):
            required = sum(1 for s in sessions if s.interpretation == "required")
            yield (("event", "languages", k),
                   (f"nobody can interpret into {language!r}, and {counted(len(sessions), 'session')} "
                    f"{'has' if len(sessions) == 1 else 'have'} a channel into it "
                    f"({required} required: no timetable then, see `scheduler explain`)" if required else
                    f"nobody can interpret into {language!r}: the {counted(len(sessions), 'session')} with a "
                    f"channel into "
                    f"it will all leave it unstaffed") + _variant_hint(ev, language))


def _variant_hint(ev: Event, language: str) -> str:
    """Codes are matched exactly: 'es_419' in `event.languages` and 'es' in the interpreters' classes never meet.
    Name the variants of the same language the interpreters list, if any."""
    base = language.split("_")[0]
    theirs = sorted({code for it in ev.interpreters
                     for code in [*it.languages.A, *it.languages.B, *it.languages.C,
                                  *(c for pair in it.pairs or [] for c in pair)]
                     if code != language and code.split("_")[0] == base})
    if not theirs:
        return ""
    listed = " and ".join(repr(c) for c in theirs)
    return (f"; the interpreters list {listed}: language codes are matched exactly, so write the same code in "
            f"event.languages and in their languages")


def period_outside_event(ev: Event) -> Iterator[Note]:
    """An unavailable period or a preferred window that meets no day of the event (a wrong date, often): it
    changes nothing, or, for a preferred window, makes the session pay outside_preferred wherever it goes."""
    windows = [ev.day_window(d) for d in ev.event.days]

    def outside(period) -> bool:
        start, end = ev.minute(period.start), ev.minute(period.end)
        return not any(start < b and a < end for a, b in windows)

    dates = [d.date for d in ev.event.days]
    days = (f"the event runs on {dates[0]}" if len(set(dates)) == 1 else
            f"the event runs from {min(dates)} to {max(dates)}" if dates else "the event has no days")
    for kind, items in (("rooms", ev.rooms), ("speakers", ev.speakers), ("interpreters", ev.interpreters)):
        for i, item in enumerate(items):
            for j, p in enumerate(item.unavailable):
                if outside(p):
                    yield ((kind, i, "unavailable", j),
                           f"{item.id} ({item.name}) is unavailable {p.start:%Y-%m-%d %H:%M} to "
                           f"{p.end:%Y-%m-%d %H:%M}, outside every day's hours ({days}): it changes nothing; check its date")
    for i, s in enumerate(ev.sessions):
        for j, p in enumerate(s.preferred):
            if outside(p):
                yield (("sessions", i, "preferred", j),
                       f"{s.id}'s preferred window {p.start:%Y-%m-%d %H:%M} to {p.end:%Y-%m-%d %H:%M} is outside "
                       f"every day's hours ({days}): the session cannot be placed in it; check its date")


def interpreter_at_night(ev: Event) -> Iterator[Note]:
    """An interpreter in another time zone for whom some of the event's hours, where they are not marked
    unavailable, fall outside the `awake` hours of their own clock: nothing keeps the solver from giving them
    work at 3 a.m. unless they say when they will not work."""
    if not ev.sessions:
        return
    slot = ev.event.slot_minutes
    awake = ev.event.awake
    spoken = _spoken(ev)
    for i, it in enumerate(ev.interpreters):
        if it.timezone is None or it.timezone == ev.event.timezone or not any(
                _works_into(it, t, spoken) for t in ev.event.languages):
            continue
        zone = ZoneInfo(it.timezone)
        away = ev.periods(it.unavailable)
        # per day, the first run of night slots (a day may cross their night twice): event minutes
        nights: list[tuple[int, int]] = []
        for d in ev.event.days:
            a, b = ev.day_window(d)
            theirs = ((m, ev.aware(m).astimezone(zone)) for m in range(a, b, slot))
            night = [m for m, t in theirs if not any(x <= m < y for x, y in away)
                     and not awake.start <= t.time() < awake.end]
            if night:
                end, dark = night[0] + slot, set(night)
                while end in dark:
                    end += slot
                nights.append((night[0], end))
        if nights:
            start, end = nights[0]
            first, last = ev.aware(start).astimezone(zone), ev.aware(end).astimezone(zone)
            # `unavailable` is read in the event's zone, not theirs: give the period as it is to be written
            period = f'{{"start": "{ev.local(start):%Y-%m-%dT%H:%M}", "end": "{ev.local(end):%Y-%m-%dT%H:%M}"}}'
            yield (("interpreters", i),
                   f"{it.id} ({it.name}) is in {it.timezone}, where {counted(len(nights), 'day')} of the event "
                   f"{'runs' if len(nights) == 1 else 'run'} into their night (on {first:%Y-%m-%d}: "
                   f"{first:%H:%M}-{last:%H:%M} their time, outside awake hours {awake.start:%H:%M}-"
                   f"{awake.end:%H:%M}): the solver may give them work then; mark the hours they will not work as "
                   f"unavailable, written in the event's time zone ({ev.event.timezone}): the first is {period}")


def audience_zone_repeated(ev: Event) -> Iterator[Note]:
    """A time zone listed twice in `event.audience`: their shares add up, but a second entry is more often a slip
    for another zone (a share of the audience left out)."""
    first: dict[str, int] = {}
    for i, part in enumerate(ev.event.audience):
        if part.timezone in first:
            yield (("event", "audience", i),
                   f"{part.timezone} is listed already (event.audience[{first[part.timezone]}]): their shares add up "
                   f"to {sum(p.share for p in ev.event.audience if p.timezone == part.timezone):g}; if another "
                   f"zone was meant, its audience is left out")
        else:
            first[part.timezone] = i


def pinned_room_unfit(ev: Event) -> Iterator[Note]:
    """A session pinned to rooms none of which seats its attendance and has booths for its required channels."""
    for i, s in enumerate(ev.sessions):
        rooms = s.pin.room_ids if s.pin is not None else None
        if not rooms or any(r not in ev.room for r in rooms):
            continue
        need = len(ev.channels(s)) if s.interpretation == "required" else 0
        if any(ev.room[r].capacity >= s.attendance and ev.room[r].channels >= need for r in rooms):
            continue
        channels = f"its required channels need (into {', '.join(ev.channels(s))})"
        seated = [r for r in rooms if ev.room[r].capacity >= s.attendance]
        if len(rooms) == 1:
            room = ev.room[rooms[0]]
            faults = ([f"seats {room.capacity}, fewer than its {s.attendance} attendees"]
                      if room.capacity < s.attendance else []) + (
                [f"has {counted(room.channels, 'booth')}, fewer than the {need} {channels}"]
                if room.channels < need else [])
            what = f"{s.id} is pinned to {room.id} ({room.name}), which {' and '.join(faults)}"
        elif need == 0 or not seated:
            what = f"{s.id} is pinned to {', '.join(rooms)}, none of which seats its {s.attendance} attendees"
        else:
            what = (f"{s.id} is pinned to {', '.join(rooms)}, none of which both seats its {s.attendance} attendees "
                    f"and has the {counted(need, 'booth')} {channels}")
        # optional interpretation needs no booth: it helps only when some pinned room seats them all
        booths = need > 0 and bool(seated)
        yield (("sessions", i, "pin"), f"{what}: no timetable then (see `scheduler explain`); pin another room"
                                       f"{', or make its interpretation optional' if booths else ''}")


NOTES: list[Callable[[Event], Iterator[Note]]] = [interpreter_without_channel, language_without_interpreter,
                                                  period_outside_event, interpreter_at_night, audience_zone_repeated,
                                                  pinned_room_unfit]


def notes(ev: Event) -> list[Note]:
    """Every note on the event, in the order of `NOTES`."""
    return [n for rule in NOTES for n in rule(ev)]
