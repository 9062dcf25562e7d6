"""Builders of tiny events as plain dicts, shared by the solver and explanation tests (a dict lets a test
remove a culprit before validating)."""

DAY = "2021-02-13"  # a Saturday in February: Toronto is UTC-5, Tokyo UTC+9 (14 hours ahead)
DAY2 = "2021-02-14"


def session(sid: str, duration: int = 60, language: str = "en", **extra) -> dict:
    return {"id": sid, "title": {"en": f"Session {sid}"}, "duration": duration, "language": language, **extra}


def room(rid: str, channels: int = 1, capacity: int = 500, **extra) -> dict:
    return {"id": rid, "name": f"Room {rid}", "capacity": capacity, "channels": channels, **extra}


def interpreter(iid: str, A=(), B=(), C=(), **extra) -> dict:
    return {"id": iid, "name": f"Interpreter {iid}", "languages": {"A": list(A), "B": list(B), "C": list(C)}, **extra}


def en_fr(iid: str, **extra) -> dict:
    """An en -> fr interpreter: into their A language (fr) from a passive one (en), no retour."""
    return interpreter(iid, A=["fr"], C=["en"], **extra)


def speaker(spid: str, **extra) -> dict:
    return {"id": spid, "name": f"Speaker {spid}", **extra}


def day(date: str = DAY, start: str = "09:00", end: str = "12:00", breaks=()) -> dict:
    return {"date": date, "start": start, "end": end, "breaks": list(breaks)}


def event_dict(sessions: list[dict], *, rooms: list[dict] | None = None, interpreters=(), speakers=(),
               languages=("fr", "en"), days: list[dict] | None = None, **info) -> dict:
    """A one-day Toronto event (09:00-12:00, 15-minute grid, fr+en) unless told otherwise."""
    return {
        "event": {"id": "tiny", "name": {"en": "Tiny event"}, "timezone": "America/Toronto",
                  "languages": list(languages), "slot_minutes": 15, "days": days or [day()], **info},
        "rooms": rooms if rooms is not None else [room("r1")],
        "speakers": list(speakers),
        "interpreters": list(interpreters),
        "sessions": sessions,
    }


def two_days_greedy():
    """A generated event of two days (24 sessions) and the greedy staffing of its planted placement: where the
    by-day duty staffing starts from in its tests."""
    from scheduler.generate import GeneratorSettings, generate_event
    from scheduler.greedy import greedy_staffing
    from scheduler.solutions import assemble

    event, planted = generate_event(GeneratorSettings(sessions=24, days=2, rooms=3, languages=3, seed=1))
    placement = {p.session: (event.minute(p.start), p.room) for p in planted.sessions}
    return event, assemble(event, placement, greedy_staffing(event, placement), "feasible", 0, 0, None)
