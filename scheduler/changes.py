"""What a re-planned timetable changes for people: the sessions moved or gone, and whose agendas differ from
the previous timetable's (the interpreters and speakers the organiser must tell)."""

from __future__ import annotations

from typing import NamedTuple

from .event import Event
from .timetable import Timetable


class Changes(NamedTuple):
    moved: list[str]  # sessions of both timetables placed at another time or in another room
    dropped: list[str]  # sessions of the previous timetable that the new one no longer holds
    interpreters: list[str]  # whose assignments differ: one added, taken off, or moved
    speakers: list[str]  # whose sessions moved (a dropped session's speakers are no longer known)


def changes(event: Event, previous: Timetable, new: Timetable) -> Changes:
    """The differences between two timetables of an event that reach people, in the event's order of ids."""
    now = {p.session: p for p in new.sessions}
    moved = [p.session for p in previous.sessions
             if p.session in now and (now[p.session].start != p.start or now[p.session].room != p.room)]
    dropped = [p.session for p in previous.sessions if p.session not in now]

    def work(tt: Timetable) -> set[tuple[str, str, str]]:
        return {(who, p.session, c.into) for p in tt.sessions for c in p.channels for who in c.interpreters}

    touched = {who for who, _, _ in work(previous) ^ work(new)}
    touched |= {who for who, session, _ in work(new) if session in moved}
    talks = {sp for s in event.sessions if s.id in moved for sp in s.speakers}
    return Changes(moved, dropped, [it.id for it in event.interpreters if it.id in touched],
                   [sp.id for sp in event.speakers if sp.id in talks])
