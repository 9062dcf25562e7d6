"""The names of the hard rules: one vocabulary for the checker, the CP-SAT model and the explanations.

The checker (`check.py`) has one function per name below, and so has the model (`constraints.py`). Each module
asserts at import that its list of rule functions names exactly these rules, and a test (tests/test_check.py)
finds the rule functions each defines, so that none is left out of its list.
"""

HARD_RULES: dict[str, str] = {
    "session_scheduled_once": "Every session of the event appears exactly once in the timetable.",
    "session_timing": "A session lasts its duration and starts on the slot grid.",
    "inside_day": "A session lies inside the window of one of the event's days.",
    "no_break_overlap": "A session overlaps no break of its day.",
    "room_available": "A session overlaps no unavailable period of its room.",
    "room_one_session_at_a_time": "A room holds one session at a time.",
    "room_capacity": "A session's attendance fits its room's capacity.",
    "plenary_alone": "A plenary session overlaps no other session.",
    "speaker_one_place": "A speaker is in one session at a time.",
    "speaker_available": "A speaker is never scheduled in one of their unavailable periods.",
    "speaker_sessions_per_day": "A speaker gives at most max_sessions_per_day sessions a day.",
    "after_order": "A session starts no earlier than the end of every session it comes after.",
    "pin_obeyed": "A pinned session is on its pinned day, at its pinned start, in its pinned room (or rooms).",
    "channels_listed": "Each audience language other than the floor language is listed once as a channel (none "
    "when interpretation is 'none').",
    "required_channel_staffed": "Every channel of a session whose interpretation is 'required' is staffed.",
    "room_channels": "A session has at most as many staffed channels as its room has booths (channels).",
    "room_max_interpreters": "A session has at most its room's max_interpreters interpreters.",
    "team_size": "A staffed channel has at least team_size(duration) interpreters.",
    "channel_source": "A channel listens to the floor directly, or relays a pivot channel of the same session "
    "that is staffed directly.",
    "interpreter_competence": "Every member of a team can interpret from the channel's source into its language.",
    "interpreter_one_place": "An interpreter is in one channel of one session at a time.",
    "interpreter_available": "An interpreter is never assigned in one of their unavailable periods.",
    "interpreter_minutes_per_day": "An interpreter works at most max_minutes_per_day minutes of sessions a day.",
    "interpreter_rest": "An interpreter works at most max_continuous minutes in a row without a break of "
    "min_break minutes.",
    "past_kept": "When re-planning during the event (--now), a session begun before now keeps its day, start, "
    "room and teams as in the old timetable.",
    "not_before_now": "When re-planning during the event (--now), a session not begun before now starts at now "
    "or later.",
}

# The rules that re-staffing alone can mend (teams change, every session keeps its time and room).
STAFFING_RULES: frozenset[str] = frozenset({
    "required_channel_staffed", "room_channels", "room_max_interpreters", "team_size", "channel_source",
    "interpreter_competence", "interpreter_one_place", "interpreter_available", "interpreter_minutes_per_day",
    "interpreter_rest",
})
