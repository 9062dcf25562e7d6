"""The command line. Exit codes live here and nowhere else."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterable
from enum import IntEnum
from pathlib import Path

import click

from .english import counted, names, plural
from .loading import InputError, load_event, load_timetable, write_atomic


class Exit(IntEnum):
    OK = 0
    BREACHES = 1
    BAD_INPUT = 2
    INFEASIBLE = 3
    NO_SOLUTION = 4
    INTERNAL = 70  # a bug of ours, not the user's input (EX_SOFTWARE); never 1, which means breaches
    INTERRUPTED = 130  # Ctrl-C before anything could be written (128 + SIGINT, as shells report it)


def _fail_input(error: InputError) -> None:
    for line in error.lines:
        click.echo(line, err=True)
    sys.exit(Exit.BAD_INPUT)


FILE = click.Path(path_type=Path)  # existence and kind are checked by read_json, in our error format


class Seconds(click.FloatRange):
    """A positive, finite number of seconds: FloatRange lets 'nan' through (no comparison holds for it), and the
    solver then got no time at all."""

    name = "number of seconds"

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True)

    def convert(self, value, param, ctx):
        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a number of seconds (e.g. 60)", param, ctx)
        return seconds


def _check_output(path: Path, folder: bool = False, inputs: tuple[Path | None, ...] = ()) -> None:
    """Exit 2 at once, before any work, if `path` cannot be written (a solve of minutes must not end in an
    error): an existing file of the wrong kind, one of the command's `inputs` (never modified), or a nearest
    existing folder we may not write in."""
    problem = None
    if path.exists() and any(p is not None and p.exists() and path.samefile(p) for p in inputs):
        problem = "cannot write: it is an input of this command, which is never modified"
    elif path.exists() and path.is_dir() != folder:
        problem = "cannot write: it is a folder, not a file" if not folder else "cannot write: it is a file, not a folder"
    else:
        ancestor = path if folder and path.exists() else path.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            problem = f"cannot write: {ancestor} is not a folder"
        elif not os.access(ancestor, os.W_OK | os.X_OK):
            problem = f"cannot write: no permission to write in {ancestor}"
    if problem:
        click.echo(f"{path}: {problem}", err=True)
        sys.exit(Exit.BAD_INPUT)


def _check_folders(output: Path, relative: Iterable[Path]) -> None:
    """Exit 2 before writing any of the files `relative` to `output` if a file stands where one of their folders
    must be, or a folder where one of the files must be (the agendas of all interpreters were written before a
    speaker's failed: half a folder)."""
    relative = list(relative)
    for path in sorted(output / p for p in relative):
        if path.is_dir():
            click.echo(f"{path}: cannot write: it is a folder, not a file", err=True)
            sys.exit(Exit.BAD_INPUT)
    for folder in sorted({output / p.parent for p in relative}):
        for part in [folder, *folder.parents]:
            if part == output.parent:
                break
            if part.exists() and not part.is_dir():
                click.echo(f"{part}: cannot write: it is a file, not a folder", err=True)
                sys.exit(Exit.BAD_INPUT)


def _write(path: Path, content: str | bytes) -> None:
    """`write_atomic`, with exit 2 and one line (no traceback) when the system refuses."""
    try:
        write_atomic(path, content)
    except OSError as exc:
        click.echo(f"{path}: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(Exit.BAD_INPUT)


# Search threads (and, in the decomposition, forked processes) at most: each CP-SAT worker takes memory (3 MB on the
# school, more on large events) and a process pool forks all its processes at once, so a typo such as
# --workers 100000 ran the machine out of memory (killed, no exit code of ours) instead of being refused.
MAX_WORKERS = 256
SEED_LIMIT = 2**31  # CP-SAT's random_seed is a 32-bit integer: 2**31 was an internal error (exit 70)
EXPLAIN_FLOOR = 10.0  # seconds `solve` gives the explanation of an infeasible event at least, whatever its proof took
NOW_FORMAT = "ISO 8601, e.g. 2021-02-13T13:00, on the event's clock unless it has an offset; or 'now'"
NOW_HELP = (f"Re-plan during the event, as of this time ({NOW_FORMAT}): what began before it stays exactly as in "
            f"--previous, and nothing new starts before it.")


def _as_of(event, old, old_path: Path | None, now: str | None):
    """The event re-planned as of `--now` (the past of `old` kept); exit 2 on a bad time, or on an event that
    now contradicts what already happened."""
    if now is None:
        return event
    if old is None:
        raise click.UsageError("--now needs --previous: the timetable followed until now")
    from .loading import json_path
    from .past import parse_now, past_issues, past_of

    try:
        moment = parse_now(now, event)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now")
    past = past_of(event, old, moment)
    lines = [f"{old_path}: {json_path(loc)}: {msg}" for loc, msg in past_issues(event, old, past)]
    if lines:
        _fail_input(InputError(lines))
    return event.as_of(past)


def _under_way(event):
    """The event's wall-clock time now if today is one of its days (re-planning then usually wants --now)."""
    from datetime import datetime

    moment = datetime.now(event.zone)
    return moment if any(d.date == moment.date() for d in event.event.days) else None


class _Command(click.Command):
    """A command whose parsing errors know it: Click's parser raises some (an option missing its value) without a
    context, and the one-line message would then name `scheduler`, not `scheduler solve`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx
            raise


class _Group(click.Group):
    command_class = _Command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scheduler")
def cli() -> None:
    """Multilingual, translation-aware conference scheduler."""


@cli.command()
@click.argument("event_path", metavar="EVENT.json", type=FILE)
@click.argument("timetable_path", metavar="TIMETABLE.json", type=FILE)
@click.option("--previous", type=FILE, help="With --now: the timetable followed until now, whose past must be kept.")
@click.option("--now", metavar="TIME", help=f"With --previous: also check that a re-plan made at this time "
              f"({NOW_FORMAT}) kept what began before it and starts nothing new before it.")
def check(event_path: Path, timetable_path: Path, previous: Path | None, now: str | None) -> None:
    """Verify every hard rule on a timetable; list each breach (exit 1) or exit 0."""
    from .check import check as run_check

    try:
        event = load_event(event_path)
        timetable = load_timetable(timetable_path, event, once=False)  # a session placed twice is a breach
        old = load_timetable(previous, event, references=False) if previous is not None else None
    except InputError as exc:
        _fail_input(exc)
    if old is not None and now is None:
        raise click.UsageError("--previous needs --now: check a re-plan made during the event")
    event = _as_of(event, old, previous, now)
    breaches = run_check(event, timetable)
    for breach in breaches:
        click.echo(f"{breach.rule}: {breach.message}  [{', '.join(breach.ids)}]")
    if breaches:
        click.echo(f"{counted(len(breaches), 'breach', 'breaches')} of the hard rules.", err=True)
        sys.exit(Exit.BREACHES)
    click.echo(f"{timetable_path}: obeys every hard rule ({counted(len(timetable.sessions), 'session')}).")


@cli.command()
@click.argument("event_path", metavar="EVENT.json", type=FILE)
@click.option("-o", "--output", type=FILE, required=True, help="Where to write the timetable.")
@click.option("--time-limit", default=60.0, show_default=True, type=Seconds(), metavar="SECONDS",
              help="Seconds of search at most.")
@click.option("--workers", default=None, type=click.IntRange(1, MAX_WORKERS),
              help="Search threads, and processes for staffing days side by side (default: all cores).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(-SEED_LIMIT, SEED_LIMIT - 1),
              help="Random seed of the search.")
@click.option("--previous", type=FILE, help="An earlier timetable: re-plan with as few moves as possible.")
@click.option("--method", default="auto", show_default=True, type=click.Choice(["auto", "exact", "decompose"]),
              help="One exact model (proofs), a decomposition (large events), or by size (both in turn for "
                   "mid-size events).")
@click.option("--now", metavar="TIME", help=NOW_HELP)
def solve(event_path: Path, output: Path, time_limit: float, workers: int | None, seed: int,
          previous: Path | None, method: str, now: str | None) -> None:
    """Find a timetable that obeys every hard rule and costs as little as possible."""
    from .interrupt import requested as stop_requested, stopping_on_ctrl_c
    from .solve import Progress, solve as run_solve

    try:
        event = load_event(event_path)
        old = load_timetable(previous, event, references=False) if previous is not None else None
    except InputError as exc:
        _fail_input(exc)
    event = _as_of(event, old, previous, now)
    _check_output(output, inputs=(event_path, previous))
    if old is not None and now is None and (under_way := _under_way(event)) is not None:
        click.echo(f"{event_path}: note: the event is under way (it is {under_way:%Y-%m-%d %H:%M} on its clock): "
                   f"this re-plan may change what has already happened; add --now to keep it.", err=True)
    live = sys.stderr.isatty()

    def show(p: Progress) -> None:
        if live:
            click.echo(f"\r{p.elapsed:7.1f} s  best {p.objective:,.0f}  bound {p.bound:,.0f}  gap {p.gap:6.1%}  ",
                       err=True, nl=False)

    with stopping_on_ctrl_c("the search stops, and the best timetable found so far will be written; "
                            "Ctrl-C again to quit at once"):
        outcome = run_solve(event, time_limit=time_limit, workers=workers, seed=seed, previous=old,
                            on_progress=show, method=method)
        interrupted = stop_requested()
    if live:
        click.echo("", err=True)
    if outcome.timetable is None and interrupted and outcome.status != "infeasible":
        click.echo(f"{event_path}: interrupted after {outcome.solve_seconds:.1f} s, before any timetable was "
                   f"found; nothing written.", err=True)
        sys.exit(Exit.INTERRUPTED)
    if outcome.timetable is None:
        if outcome.status == "infeasible":
            from .explain import explain as run_explain, render_text

            click.echo(f"{event_path}: no timetable exists: the hard rules cannot all hold together "
                       f"(proven in {outcome.solve_seconds:.1f} s).", err=True)
            if interrupted:  # Ctrl-C came during the proof: no explanation of minutes after it
                click.echo("Interrupted: `scheduler explain` says why.", err=True)
                sys.exit(Exit.INFEASIBLE)
            # The explanation gets what the proof left of --time-limit (at least EXPLAIN_FLOOR seconds): a solve
            # should end near the limit it was given.
            left = max(min(time_limit, EXPLAIN_FLOOR), time_limit - outcome.solve_seconds)
            with stopping_on_ctrl_c("the explanation ends with what it has found; Ctrl-C again to quit at once"):
                why = run_explain(event, time_limit=left, workers=workers, known_infeasible=True)
            click.echo(render_text(event, why), err=True, nl=False)
            sys.exit(Exit.INFEASIBLE)
        note = f" ({outcome.note})" if outcome.note else ""
        if interrupted or outcome.method != "decompose" or outcome.solve_seconds >= time_limit - 1.0:
            click.echo(f"{event_path}: no timetable found within {time_limit:g} s{note}; try a longer "
                       f"--time-limit, or `scheduler explain` to look for a conflict.", err=True)
        else:  # the decomposition gave up before the limit: more time would not help it
            other = "--method exact or auto" if method == "decompose" else "--method exact"
            click.echo(f"{event_path}: no timetable found: the decomposition gave up at "
                       f"{outcome.solve_seconds:.0f} s of {time_limit:g} s{note}; try {other}, "
                       f"or `scheduler explain` to look for a conflict.", err=True)
        sys.exit(Exit.NO_SOLUTION)
    tt = outcome.timetable
    _write(output, tt.to_json())
    stopped = " (interrupted: the best found so far)" if interrupted else ""
    click.echo(f"{output}: {tt.status}, objective {tt.objective} (bound {tt.bound}), "
               f"{counted(len(tt.sessions), 'session')}, {outcome.solve_seconds:.2f} s{stopped}.", err=True)
    if old is not None:
        from .changes import changes

        what = changes(event, old, tt)
        click.echo(f"{output}: against {previous}: {_changes_line(event, what)}", err=True)
        for line in _interpretation_lines(event, what):
            click.echo(f"{output}: against {previous}: {line}", err=True)
    if event.past is not None:  # the moment read, which a slip (a 'Z', a date alone) would change silently
        click.echo(f"{output}: as of {event.past.label} ({event.event.timezone}): "
                   f"{counted(len(event.past.kept), 'session')} had begun and kept their day, room and teams.",
                   err=True)


def _tell_speakers(dropped: list[str]) -> str:
    """'s10: tell its speakers': timetables do not name speakers, and the event no longer has these sessions, so
    only the organiser knows whom to tell (`assignments --previous-event` reads them in the event as it was)."""
    return f"{names(dropped, 10)}: tell {'its' if len(dropped) == 1 else 'their'} speakers"


def _interpretation_lines(event, what) -> list[str]:
    """One line per session of both timetables whose audience loses interpretation into some language (its
    channels had interpreters and have none now: an optional one given up), or gains it: the organiser tells its
    audience, whom no agenda reaches."""
    from .render.i18n import _language_name

    def languages(codes) -> str:
        return names([_language_name(code, "en") for code in codes], 10)

    def why(sid: str, n: int, lost: bool) -> str:
        session = event.session.get(sid)
        kind = session.interpretation if session is not None else None
        if kind == "none":
            return "its interpretation is now 'none'"
        channel = f"{'optional ' if kind == 'optional' else ''}{plural(n, 'channel')}"
        return f"{channel} left unstaffed" if lost else f"{channel} staffed"

    return ([f"{sid}: no longer interpreted into {languages(langs)} ({why(sid, len(langs), True)}): tell its audience."
             for sid, langs in what.unstaffed]
            + [f"{sid}: now interpreted into {languages(langs)} ({why(sid, len(langs), False)}): tell its audience."
               for sid, langs in what.staffed])


def _changes_line(event, what) -> str:
    """Whom a re-plan concerns, in one line: the sessions moved or gone, and whose agendas changed (speakers whose
    agendas changed only in the names of their interpreters apart: they need not be told)."""
    moved = f"{counted(len(what.moved), 'session')} moved" + (f" ({names(what.moved, 10)})" if what.moved else "")
    if what.added:
        moved += f", {len(what.added)} added ({names(what.added, 10)})"
    if what.dropped:
        moved += f", {len(what.dropped)} no longer in the event ({_tell_speakers(what.dropped)})"
    people = [(who, kind) for who, kind in ((what.interpreters, "interpreter"), (what.speakers, "speaker")) if who]
    lookup = {**{i.id: i.name for i in event.interpreters}, **{s.id: s.name for s in event.speakers}}
    minor = (f"{counted(len(what.speakers_minor), 'speaker')} ({names([lookup[x] for x in what.speakers_minor], 10)}) "
             f"only in the names of their interpreters, who need not be told") if what.speakers_minor else ""
    if not people:
        return f"{moved}; nobody's agenda changed." if not minor else f"{moved}; agendas changed for {minor}."
    told = "; ".join(f"{counted(len(who), kind)} ({names([lookup[x] for x in who], 10)})" for who, kind in people)
    every = " (`scheduler assignments --previous` lists every one)" if any(len(who) > 10 for who, _ in people) else ""
    return f"{moved}; agendas changed for {told}{every}" + (f"; and for {minor}." if minor else ".")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the input (event.json)."""
    from .event import Event

    click.echo(json.dumps(Event.model_json_schema(), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("event_path", metavar="EVENT.json", type=FILE)
def validate(event_path: Path) -> None:
    """Validate an event file and say what it holds (exit 2 with every problem found otherwise)."""
    try:
        ev = load_event(event_path)
    except InputError as exc:
        _fail_input(exc)
    from .lint import notes
    from .loading import json_path

    click.echo(f"{event_path}: valid: {counted(len(ev.sessions), 'session')}, {counted(len(ev.rooms), 'room')}, "
               f"{counted(len(ev.event.days), 'day')}, {counted(len(ev.speakers), 'speaker')}, "
               f"{counted(len(ev.interpreters), 'interpreter')}.")
    for where, note in notes(ev):
        click.echo(f"{event_path}: {json_path(where)}: note: {note}")


@cli.command()
@click.option("-o", "--output", "output", type=FILE, required=True, help="Where to write the event.")
@click.option("--timetable", "timetable_out", type=FILE, help="Also write the planted timetable here.")
@click.option("--sessions", default=40, show_default=True, type=click.IntRange(1))
@click.option("--days", default=3, show_default=True, type=click.IntRange(1))
@click.option("--rooms", default=4, show_default=True, type=click.IntRange(1))
@click.option("--languages", default=3, show_default=True, type=click.IntRange(1))
@click.option("--interpreters", default=None, type=click.IntRange(0), help="Default: what the plant needs, plus spares.")
@click.option("--seed", default=0, show_default=True, type=int)
def generate(output: Path, timetable_out: Path | None, sessions: int, days: int, rooms: int, languages: int,
             interpreters: int | None, seed: int) -> None:
    """Write a random event that is feasible by construction (a valid timetable is planted first)."""
    from .generate import GeneratorSettings, generate_event

    settings = GeneratorSettings(sessions=sessions, days=days, rooms=rooms, languages=languages,
                                 interpreters=interpreters, seed=seed)
    for path in (output, timetable_out):
        if path is not None:
            _check_output(path)
    try:
        event, planted = generate_event(settings)
    except ValueError as exc:
        raise click.UsageError(str(exc))
    _write(output, event.model_dump_json(indent=2, exclude_defaults=True) + "\n")
    if timetable_out is not None:
        _write(timetable_out, planted.to_json())
    click.echo(f"{output}: {counted(len(event.sessions), 'session')}, {counted(len(event.interpreters), 'interpreter')}.")


def _zone_option(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from .types import check_timezone

    if value and set(value) == {"none"}:  # 'none' alone, even given twice
        return ("none",)
    if "none" in value:  # with zones, it read "'none' is not an IANA time zone ..., nor 'none'"
        raise click.BadParameter("'none' (no other zone shown) cannot be combined with zones: give 'none' alone, "
                                 "or zones only")
    for zone in value:
        try:
            check_timezone(zone)
        except ValueError as exc:  # the input's own wording, with its 'did you mean'
            raise click.BadParameter(f"{exc}, nor 'none'") from None
    return tuple(dict.fromkeys(value))  # a zone given twice is one column, not two identical ones


AUDIENCE_ZONES = 3  # shown by default: more would crowd a Markdown or CSV line


def audience_zones(event) -> tuple[str, ...]:
    """The zones of the event's audience other than its own, largest share first, at most AUDIENCE_ZONES."""
    own = event.event.timezone
    shares = sorted((a for a in event.event.audience if a.timezone != own), key=lambda a: -a.share)
    return tuple(dict.fromkeys(a.timezone for a in shares))[:AUDIENCE_ZONES]


def _locale_option(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from .render.i18n import parse_locale

    try:
        parse_locale(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc))
    return value


ZONED_FORMATS = ("md", "html", "ics", "csv")  # those that show times in --also-tz zones too


@cli.command()
@click.argument("event_path", metavar="EVENT.json", type=FILE)
@click.argument("timetable_path", metavar="TIMETABLE.json", type=FILE)
@click.option("--locale", "locale", required=True, callback=_locale_option,
              help="CLDR locale of the reader: fr_CA, fr_FR, en_CA, en_GB...")
@click.option("--format", "fmt", required=True,
              type=click.Choice(["md", "html", "ics", "csv", "frab-json", "workload-csv"]),
              help="workload-csv: not the timetable but each interpreter's minutes of work per day, days worked "
                   "and minutes in all (what they are paid by).")
@click.option("-o", "--output", type=FILE, required=True, help="Where to write the rendering.")
@click.option("--also-tz", "also", multiple=True, callback=_zone_option, metavar="ZONE",
              help="Also show times in this IANA zone (repeatable); without it, in the zones of the event's "
                   f"audience (up to {AUDIENCE_ZONES}, largest share first); 'none': in none.")
@click.option("--previous", type=FILE, metavar="OLD_TIMETABLE.json",
              help="With --format ics: the timetable this one replaces; its sessions no longer in this one come as "
                   "cancelled entries (same UIDs as its calendar), so that calendars that imported it drop them.")
def render(event_path: Path, timetable_path: Path, locale: str, fmt: str, output: Path, also: tuple[str, ...],
           previous: Path | None) -> None:
    """The timetable for people, in one locale and format (times in the event's time zone)."""
    from .render import render as run_render

    if previous is not None and fmt != "ics":
        raise click.UsageError("--previous is only read with --format ics: calendars keep what they imported")
    try:
        event = load_event(event_path)
        timetable = load_timetable(timetable_path, event)
        old = load_timetable(previous, event, references=False) if previous is not None else None
    except InputError as exc:
        _fail_input(exc)
    _check_output(output, inputs=(event_path, timetable_path, previous))
    left_out = ()
    if not also and fmt in ZONED_FORMATS:
        zones = tuple(dict.fromkeys(a.timezone for a in event.event.audience if a.timezone != event.event.timezone))
        also = audience_zones(event)
        left_out = tuple(z for z in zones if z not in also)
    elif also == ("none",):
        also = ()
    _write(output, run_render(event, timetable, fmt, locale, also, old))
    gone = [] if old is None else sorted({p.session for p in old.sessions} - {p.session for p in timetable.sessions})
    cancelled = f", {len(gone)} cancelled ({names(gone, 10)})" if gone else ""
    click.echo(f"{output}: {fmt}, {locale}, {counted(len(timetable.sessions), 'session')}{cancelled}.", err=True)
    if left_out:  # said, not silent: an audience zone without its column is easily missed
        click.echo(f"{output}: times also in {names(list(also), 10)} (the {len(also)} largest audience shares); not "
                   f"in {names(list(left_out), 10)}: give --also-tz once per zone to choose.", err=True)


@cli.command()
@click.argument("event_path", metavar="EVENT.json", type=FILE)
@click.argument("timetable_path", metavar="TIMETABLE.json", type=FILE)
@click.option("-o", "--output", type=FILE, required=True, help="Folder to write the agendas into.")
@click.option("--previous", type=FILE, help="The timetable these agendas replace: agendas list apart, and calendars "
              "cancel, what it gave and this one takes away, and the folders whose agenda changed are listed (the ones "
              "to send again).")
@click.option("--previous-event", "previous_event", type=FILE, metavar="OLD_EVENT.json",
              help="With --previous: the event it was planned for. Timetables name no speaker: with it, the speakers "
                   "of sessions removed from the event, or taken off one, get their cancellations too, and removed "
                   "sessions keep their titles.")
def assignments(event_path: Path, timetable_path: Path, output: Path, previous: Path | None,
                previous_event: Path | None) -> None:
    """One folder per interpreter and per speaker: their agenda in their own locale and time zone (.md, .html, .ics)."""
    from .changes import changes
    from .loading import json_path, timetable_reference_issues
    from .render.assignments import files, talks_taken_away

    if previous_event is not None and previous is None:
        raise click.UsageError("--previous-event needs --previous: the timetable planned for that event")
    try:
        event = load_event(event_path)
        timetable = load_timetable(timetable_path, event)
        old = load_timetable(previous, event, references=False) if previous is not None else None
        before = load_event(previous_event) if previous_event is not None else None
    except InputError as exc:
        _fail_input(exc)
    if before is not None:  # `old` must be that event's: its speakers and titles are read there
        lines = [f"{previous}: {json_path(loc)}: {msg} in --previous-event {previous_event}"
                 for loc, msg in timetable_reference_issues(old, before)]
        if lines:
            _fail_input(InputError(lines))
    _check_output(output, folder=True)
    rendered = files(event, timetable, old, before)  # everything is rendered before anything is written
    _check_folders(output, rendered)
    for relative, content in rendered.items():
        _write(output / relative, content)
    click.echo(f"{output}: agendas of {counted(len(event.interpreters), 'interpreter')} and "
               f"{counted(len(event.speakers), 'speaker')}.", err=True)
    if old is not None:
        # Every folder whose agenda changed, one a line (for people and scripts): the ones to send again.
        what = changes(event, old, timetable, before)
        named = {**{i.id: i.name for i in event.interpreters}, **{s.id: s.name for s in event.speakers}}
        left = [("interpreters", x, "work") for x in sorted(
            {who for p in old.sessions for c in p.channels for who in c.interpreters} - set(event.interpreter))]
        if before is not None:  # and the speakers who have: timetables name none
            left += [("speakers", x, "sessions") for x in
                     sorted(set(talks_taken_away(event, timetable, old, before)) - set(event.speaker))]
        told = [("interpreters", x) for x in what.interpreters] + [("speakers", x) for x in what.speakers]
        click.echo(f"{output}: against {previous}: {counted(len(told) + len(left), 'agenda')} changed"
                   + (":" if told or left else "."), err=True)
        for kind, who in told:
            click.echo(f"{output / kind / who} ({named[who]})")
        was = {} if before is None else {"interpreters": before.interpreter, "speakers": before.speaker}
        for kind, who, theirs in left:
            person = was.get(kind, {}).get(who)
            click.echo(f"{output / kind / who} ({f'{person.name}, ' if person else ''}no longer in the event: their "
                       f"agenda and calendar cancel their {theirs})")
        if what.speakers_minor:  # their folders are up to date, but nothing they need to know changed
            click.echo(f"{output}: not listed, as only the names of their sessions' interpreters changed: the agendas "
                       f"of {counted(len(what.speakers_minor), 'speaker')} "
                       f"({names([named[x] for x in what.speakers_minor], 10)}), up to date all the same.", err=True)
        for line in _interpretation_lines(event, what):
            click.echo(f"{output}: against {previous}: {line}", err=True)
        if what.dropped and before is None:  # their speakers are not known: nor are their cancellations written
            click.echo(f"{output}: no longer in the event: {_tell_speakers(what.dropped)}, or pass --previous-event "
                       f"OLD_EVENT.json to write their cancellations.", err=True)
        elif what.dropped:
            click.echo(f"{output}: no longer in the event: {names(what.dropped, 10)}: cancelled in the agendas and "
                       f"calendars of {'its' if len(what.dropped) == 1 else 'their'} speakers.", err=True)


@cli.command()
@click.argument("event_path", metavar="EVENT.json", type=FILE)
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]),
              help="Words for people, or a JSON list of {rule, ids, message, found_by} for tools.")
@click.option("--time-limit", default=60.0, show_default=True, type=Seconds(), metavar="SECONDS",
              help="Seconds of search at most.")
@click.option("--workers", default=None, type=click.IntRange(1, MAX_WORKERS), help="Search threads (default: up to 2).")
@click.option("--previous", type=FILE, help="With --now: the timetable followed until now.")
@click.option("--now", metavar="TIME", help=f"With --previous: explain a re-plan made at this time ({NOW_FORMAT}), "
              f"what began before it being kept.")
def explain(event_path: Path, fmt: str, time_limit: float, workers: int | None, previous: Path | None,
            now: str | None) -> None:
    """Say why an event has no timetable: the smallest set of conflicting rules and resources found (exit 3),
    or that it has one (exit 0)."""
    from .explain import explain as run_explain, render_text
    from .interrupt import requested as stop_requested, stopping_on_ctrl_c

    try:
        event = load_event(event_path)
        old = load_timetable(previous, event, references=False) if previous is not None else None
    except InputError as exc:
        _fail_input(exc)
    if old is not None and now is None:
        raise click.UsageError("--previous needs --now: explain a re-plan made during the event")
    event = _as_of(event, old, previous, now)
    with stopping_on_ctrl_c("the explanation ends with what it has found; Ctrl-C again to quit at once"):
        why = run_explain(event, time_limit=time_limit, workers=workers)
        interrupted = stop_requested()
    if why.status == "unknown" and interrupted:
        click.echo(f"{event_path}: interrupted after {why.seconds:.1f} s, undecided.", err=True)
        sys.exit(Exit.INTERRUPTED)
    if fmt == "json":  # data for tools, on standard output
        click.echo(json.dumps([c.model_dump(exclude_none=True) for c in why.conflicts + why.repairs], indent=2,
                              ensure_ascii=False))
    else:  # words for people: on standard error when infeasible, as the contract says for exit 3
        click.echo(render_text(event, why), nl=False, err=why.status == "infeasible")
    if why.status == "infeasible":
        # Each conflict of the checks is one; the facts found by search are together one.
        facts = sum(1 for c in why.conflicts if c.found_by == "search")
        found = sum(1 for c in why.conflicts if c.found_by == "check") + (facts > 0)
        told = counted(found, 'conflict') if found else 'no conflict isolated'
        if facts > 1:
            told += f" ({facts} facts together)" if found == 1 else f" (one of them {facts} facts together)"
        ways = len({c.option for c in why.repairs})
        if ways:
            told += f", {counted(ways, 'way')} to a timetable"
        click.echo(f"{event_path}: infeasible: {told}, explained in {why.seconds:.2f} s.", err=True)
        sys.exit(Exit.INFEASIBLE)
    if why.status == "unknown":
        click.echo(f"{event_path}: undecided within {time_limit:g} s; try a longer --time-limit.", err=True)
        sys.exit(Exit.NO_SOLUTION)
    click.echo(f"{event_path}: feasible (checked in {why.seconds:.2f} s).", err=True)


DEBUG = "SCHEDULER_DEBUG"  # set: an internal error shows its traceback


def main() -> None:
    """The program. Click's standalone mode would end a Ctrl-C outside the solver and an internal error with
    exit 1, which scripts read as breaches found by `check`: here they get 130 and 70, in one line."""
    try:
        code = cli.main(prog_name="scheduler", standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C while nothing stops gracefully (loading, rendering, writing)
        click.echo("scheduler: interrupted; nothing was written.", err=True)
        sys.exit(Exit.INTERRUPTED)
    except click.UsageError as exc:  # a bad option or argument: Click's words, on one line as every input error
        if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # bare `scheduler`: the help
            exc.show()
            sys.exit(exc.exit_code)
        command = exc.ctx.command_path if exc.ctx is not None else "scheduler"
        said = " ".join(exc.format_message().split()).rstrip(".")
        see = f" See '{command} --help'." if said.endswith("?") else f"; see '{command} --help'."
        click.echo(f"{command}: {said}{see}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:  # Click's other errors: its own message
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - SystemExit, our exit codes, is not an Exception
        if os.environ.get(DEBUG):
            raise
        # One line whatever the exception says (OR-Tools' TypeErrors list the signatures it takes, line by line).
        said = " ".join(str(exc).split())
        click.echo(f"scheduler: internal error, not a problem of the input: {type(exc).__name__}: {said}. "
                   f"Please report it with the command and its input files; {DEBUG}=1 shows the traceback.",
                   err=True)
        sys.exit(Exit.INTERNAL)
    sys.exit(code or 0)
