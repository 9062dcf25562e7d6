#!/usr/bin/env python3
"""Benchmark of the solver on the targets of issue 3; writes `benchmarks/RESULTS.md`.

Every instance is solved in its own child process (this same file, run with `--child`), so that its peak
memory is its own: the parent reaps each child with `os.wait4`, whose resource usage is that child's alone, even
when the child was killed. Each child gets a hard wall-clock timeout (its time limit + 120 s) and an
address-space cap (8 GB by default), so a runaway instance is recorded as killed instead of taking the machine.

Run from the repository root with the project's environment:

    .venv/bin/python benchmarks/run.py                      # school, medium, large (defaults 10/60/120 s)
    .venv/bin/python benchmarks/run.py --only medium --time-limit 30 --out /tmp/r.md

Only the public API is used: `scheduler.solve.solve`, `scheduler.generate.generate_event`,
`scheduler.check.check`, `scheduler.loading.load_event`. Instances are written to a temporary folder.
"""

from __future__ import annotations

import argparse
import logging
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TIMEFOLD = REPO.parent / "shared" / "bench-data" / "timefold"
COSPLIB = REPO.parent / "shared" / "bench-data" / "cosplib" / "Dataset"
GRACE = 120.0  # seconds a child may run past its time limit before it is killed
GB = 1024**3


# --- instances and targets -----------------------------------------------------------------------------


@dataclass
class Target:
    """One target of issue 3: a description and the name of the judge that tells pass or fail."""

    text: str
    judge: str  # "optimal_within" | "first_within" | "gap_within" | "memory_under"
    value: float
    gap: float = 0.05


@dataclass
class Instance:
    name: str
    source: str  # "file" | "generated" | "timefold" | "cosplib"
    time_limit: float
    path: str | None = None  # for "file", "timefold" and "cosplib"
    settings: dict = field(default_factory=dict)  # for "generated": GeneratorSettings keyword arguments
    targets: list[Target] = field(default_factory=list)
    optional: bool = False  # run only when named with --only
    runs: int = 1  # runs of the same seed; the table shows the median one (see `median_run`)


INSTANCES = [
    # Two CP-SAT workers are not deterministic: the school's proof took 1.0-3.8 s over runs of one code on one
    # machine, so a single run decides little.
    Instance("school", "file", 10, path=str(REPO / "fixtures" / "school.json"),
             targets=[Target("proven optimal in < 2 s", "optimal_within", 2)], runs=7),
    Instance("medium", "generated", 60,
             settings=dict(sessions=130, days=5, rooms=10, languages=6, interpreters=None, seed=1),
             targets=[Target("valid timetable in < 10 s", "first_within", 10),
                      Target("gap < 5% within 60 s", "gap_within", 60, gap=0.05)]),
    Instance("large", "generated", 120,
             settings=dict(sessions=560, days=8, rooms=25, languages=10, interpreters=None, seed=1),
             targets=[Target("valid timetable in < 60 s", "first_within", 60),
                      Target("peak memory < 4 GB", "memory_under", 4096)]),
]
# Optional real-data instances (see import_timefold.py): no target of issue 3, figures only. `-fr`: the same talks
# with French added as an audience language (optional channels, two interpreters per room).
for _size, _limit, _bilingual in (("18talks-6timeslots-5rooms", 30, None), ("72talks-12timeslots-10rooms", 60, None),
                                  ("72talks-12timeslots-10rooms", 60, "fr"),
                                  ("216talks-18timeslots-20rooms", 120, None)):
    INSTANCES.append(Instance(f"timefold-{_size.split('talks')[0]}" + (f"-{_bilingual}" if _bilingual else ""),
                              "timefold", _limit, path=str(TIMEFOLD / f"{_size}.json"),
                              settings={"bilingual": _bilingual} if _bilingual else {}, optional=True))
# CoSPLib's real conferences (see import_cosplib.py; reading them needs openpyxl): figures only. `-fr` as above.
for _book, _limit, _bilingual in (("N2OR", 30, None), ("GECCO19", 60, None), ("GECCO21", 60, None),
                                  ("GECCO22", 60, None), ("ISF22", 60, None), ("OR60F", 60, None),
                                  ("OR60F2", 120, None), ("OR60F3", 120, None), ("GECCO22", 60, "fr"),
                                  ("OR60F", 60, "fr")):
    INSTANCES.append(Instance(f"cosplib-{_book.lower()}" + (f"-{_bilingual}" if _bilingual else ""), "cosplib",
                              _limit, path=str(COSPLIB / f"{_book}.xlsx"),
                              settings={"bilingual": _bilingual} if _bilingual else {}, optional=True))
BY_NAME = {i.name: i for i in INSTANCES}


# --- the child: load, solve, check, report ------------------------------------------------------------


def child(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    result_path, progress_path = Path(spec["result"]), Path(spec["progress"])
    result: dict = {"phase": "start"}

    def save() -> None:
        result["peak_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The solver's side processes (`scheduler/parallel.py`), once reaped: the largest one's peak.
        result["peak_side_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        tmp = result_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, indent=2))
        tmp.replace(result_path)

    # The solver's own log (steps of the decomposition, neighbourhood rounds) goes to the child's log file.
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(relativeCreated)8.0f ms %(message)s")
    try:
        sys.path.insert(0, str(REPO))
        from scheduler.check import check
        from scheduler.loading import load_event
        from scheduler.solve import solve

        result["source"] = source_fingerprint()
        t = time.perf_counter()
        event = load_event(spec["event"])
        result.update(phase="loaded", load_seconds=time.perf_counter() - t)
        save()

        progress = progress_path.open("a", buffering=1)

        def on_progress(p) -> None:
            progress.write(json.dumps({"t": p.elapsed, "objective": p.objective, "bound": p.bound}) + "\n")

        t = time.perf_counter()
        result["phase"] = "solving"
        save()
        outcome = solve(event, time_limit=spec["time_limit"], workers=spec["workers"], seed=spec["seed"],
                        on_progress=on_progress)
        wall = time.perf_counter() - t
        progress.close()
        tt = outcome.timetable
        result.update(phase="solved", status=outcome.status, solve_wall=wall, build_seconds=outcome.build_seconds,
                      solve_seconds=outcome.solve_seconds, first_solution_seconds=outcome.first_solution_seconds,
                      solver_objective=outcome.solver_objective)
        # Whatever else the Outcome tells (e.g. the method used, a note on why there is no timetable).
        extra = {k: v for k, v in vars(outcome).items() if k not in result and k != "timetable"
                 and isinstance(v, (str, int, float, bool, type(None)))}
        result["extra"] = extra
        if tt is not None:
            result.update(objective=tt.objective, bound=tt.bound, timetable_status=tt.status,
                          costs=len(tt.costs))
            Path(spec["timetable"]).write_text(tt.to_json())
            save()
            t = time.perf_counter()
            breaches = check(event, tt)
            result.update(check_seconds=time.perf_counter() - t, breaches=len(breaches),
                          breach_samples=[f"{b.rule}: {b.message}" for b in breaches[:5]])
        result["phase"] = "done"
    except MemoryError:
        result.update(error="out of memory (MemoryError under the address-space cap)")
        traceback.print_exc()
    except BaseException as exc:  # noqa: BLE001 - the parent must learn of every failure
        result.update(error=f"{type(exc).__name__}: {exc}"[:500])
        traceback.print_exc()
    save()
    return 0


# --- the parent: prepare, spawn, watch, reap --------------------------------------------------------------


def prepare(inst: Instance, folder: Path) -> tuple[Path, dict]:
    """Write the instance's event.json into `folder`; return it and a description of its size."""
    sys.path.insert(0, str(REPO))
    event_path = folder / "event.json"
    if inst.source == "file":
        shutil.copyfile(inst.path, event_path)
    elif inst.source == "generated":
        from scheduler.generate import GeneratorSettings, generate_event

        event, planted = generate_event(GeneratorSettings(**inst.settings))
        event_path.write_text(event.model_dump_json(indent=2, exclude_defaults=True) + "\n")
        (folder / "planted.json").write_text(planted.to_json())
    elif inst.source == "timefold":
        sys.path.insert(0, str(HERE))
        from import_timefold import convert

        event_path.write_text(json.dumps(convert(json.loads(Path(inst.path).read_text()), **inst.settings), indent=2,
                                         ensure_ascii=False) + "\n")
    elif inst.source == "cosplib":
        sys.path.insert(0, str(HERE))
        import openpyxl
        from import_cosplib import convert

        book = openpyxl.load_workbook(inst.path, read_only=True, data_only=True)
        event_path.write_text(json.dumps(convert(book, Path(inst.path).stem, **inst.settings), indent=2,
                                         ensure_ascii=False) + "\n")
    else:
        raise ValueError(inst.source)
    data = json.loads(event_path.read_text())
    size = {"sessions": len(data["sessions"]), "rooms": len(data["rooms"]), "days": len(data["event"]["days"]),
            "languages": len(data["event"]["languages"]), "interpreters": len(data.get("interpreters", [])),
            "speakers": len(data.get("speakers", []))}
    return event_path, size


def _limit_memory(cap: int):
    def apply() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return apply


def run_instance(inst: Instance, time_limit: float, workers: int, seed: int, cap: int, root: Path,
                 grace: float = GRACE) -> dict:
    folder = root / inst.name
    folder.mkdir(parents=True, exist_ok=True)
    rec: dict = {"name": inst.name, "time_limit": time_limit, "workers": workers, "folder": str(folder)}
    try:
        event_path, rec["size"] = prepare(inst, folder)
    except Exception as exc:  # noqa: BLE001
        rec.update(outcome="error", error=f"preparing the instance: {type(exc).__name__}: {exc}"[:500])
        return rec
    spec = {"event": str(event_path), "time_limit": time_limit, "workers": workers, "seed": seed,
            "result": str(folder / "result.json"), "progress": str(folder / "progress.jsonl"),
            "timetable": str(folder / "timetable.json")}
    (folder / "spec.json").write_text(json.dumps(spec, indent=2))
    hard = time_limit + grace
    log = (folder / "child.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(folder / "spec.json")],
                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_limit_memory(cap), cwd=REPO)
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if not timed_out and time.perf_counter() - started > hard:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)  # the child's own session, started by setsid above
        time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    rec["wall"] = time.perf_counter() - started
    rec["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux; this child's alone
    rec["exit"] = proc.returncode
    result_file = Path(spec["result"])
    child_rec = json.loads(result_file.read_text()) if result_file.exists() else {}
    rec.update(child_rec)
    if child_rec.get("peak_side_mb") and child_rec.get("peak_self_mb"):
        # wait4 gives the largest process of the child's tree, not their sum; side processes (forked, pages shared
        # until written) may run `workers` at once, so the peak is taken as at most the solver's plus that many.
        rec["peak_mb"] = max(rec["peak_mb"], child_rec["peak_self_mb"] + workers * child_rec["peak_side_mb"])
    rec["progress"] = [json.loads(line) for line in Path(spec["progress"]).read_text().splitlines()
                       if line.strip()] if Path(spec["progress"]).exists() else []
    if rec["progress"] and rec.get("first_solution_seconds") is None:
        rec["first_solution_seconds"] = rec["progress"][0]["t"]  # a killed child's first solution, if it had one

    if timed_out:
        rec["outcome"] = f"killed: hard timeout after {hard:.0f} s (phase {child_rec.get('phase', '?')})"
    elif proc.returncode < 0:
        sig = signal.Signals(-proc.returncode).name
        hint = " (likely out of memory under the cap)" if sig in ("SIGABRT", "SIGSEGV", "SIGKILL") else ""
        rec["outcome"] = f"killed: {sig}{hint} (phase {child_rec.get('phase', '?')})"
    elif "error" in child_rec:
        rec["outcome"] = f"error: {child_rec['error']}"
    elif child_rec.get("status") in ("optimal", "feasible"):
        rec["outcome"] = child_rec["status"]
    elif child_rec.get("status") == "infeasible":
        rec["outcome"] = "infeasible (wrong: generated events are feasible)" if inst.source == "generated" \
            else "infeasible"
    elif child_rec.get("status") == "unknown":
        rec["outcome"] = "no solution within limit"
        if (child_rec.get("extra") or {}).get("note"):
            rec["outcome"] += f" ({child_rec['extra']['note']})"
    else:
        rec["outcome"] = f"child exited {proc.returncode} without a result"
    if rec.get("objective") is not None:
        obj, bound = rec["objective"], rec["bound"]
        rec["gap"] = 0.0 if obj <= 0 else max(0.0, (obj - bound) / obj)
    rec["optimal_at"] = rec.get("solve_seconds") if rec.get("status") == "optimal" else None
    rec["gap5_at"] = next((p["t"] for p in rec["progress"]
                           if p["objective"] <= 0 or (p["objective"] - p["bound"]) / p["objective"] < 0.05), None)
    if rec.get("status") == "optimal" and rec["gap5_at"] is None:
        rec["gap5_at"] = rec["optimal_at"]
    return rec


# --- judging and writing ------------------------------------------------------------------------------------


def median_run(runs: list[dict]) -> dict:
    """The median of an instance's runs, ordered by when they were proven optimal (never last), then objective
    and solve time; it carries the list of all runs (`rec["runs"]`) for the notes and the judge."""
    def key(r: dict) -> tuple:
        never = float("inf")
        return (r.get("optimal_at") if r.get("optimal_at") is not None else never,
                r.get("objective") if r.get("objective") is not None else never,
                r.get("solve_seconds") if r.get("solve_seconds") is not None else never)
    ordered = sorted(runs, key=key)
    median = dict(ordered[(len(ordered) - 1) // 2])
    if len(runs) > 1:
        median["runs"] = [{k: r.get(k) for k in ("optimal_at", "objective", "first_solution_seconds", "outcome")}
                          for r in runs]
    return median


def judge(target: Target, rec: dict) -> tuple[str, bool]:
    """What was measured for `target`, and whether it passes (for an instance run several times, in its
    median run)."""
    valid = rec.get("breaches") == 0
    if target.judge == "memory_under":
        if rec.get("peak_mb") is None:
            return rec.get("outcome", "?"), False
        ended = "" if rec.get("objective") is not None else f" (run ended: {rec.get('outcome', '?')})"
        return f"{rec['peak_mb']:,.0f} MB{ended}", rec["peak_mb"] < target.value
    if rec.get("objective") is None:
        return rec.get("outcome", "?"), False
    if target.judge == "optimal_within":
        t = rec.get("optimal_at")
        if t is None:
            return f"not proven optimal in {rec['time_limit']:g} s (gap {rec['gap']:.1%})", False
        measured = f"optimal in {t:.2f} s" + ("" if valid else " but check() rejects it")
        if rec.get("runs"):
            times = [r["optimal_at"] for r in rec["runs"]]
            over = sum(1 for x in times if x is None or x >= target.value)
            measured += f" (median of {len(times)} runs; {over} of them not within {target.value:g} s)"
        return measured, valid and t < target.value
    if target.judge == "first_within":
        t = rec.get("first_solution_seconds")
        if t is None:
            return "no solution time reported", False
        return (f"first solution at {t:.2f} s; final timetable " + ("accepted by check()" if valid
                else f"REJECTED by check() ({rec.get('breaches')} breaches)")), valid and t < target.value
    if target.judge == "gap_within":
        if rec["time_limit"] <= target.value:
            ok = rec["gap"] < target.gap
            return f"gap {rec['gap']:.1%} at the {rec['time_limit']:g} s limit", valid and ok
        t = rec.get("gap5_at")
        return (f"gap < {target.gap:.0%} at {t:.1f} s" if t is not None else
                f"gap {rec['gap']:.1%} at {rec['time_limit']:g} s"), valid and t is not None and t <= target.value
    raise ValueError(target.judge)


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GB"
    except OSError:
        pass
    try:
        from importlib.metadata import version

        ortools = version("ortools")
    except Exception:  # noqa: BLE001
        ortools = "?"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": f"{os.cpu_count()} cores ({usable} usable by this process)", "ram": ram,
            "python": platform.python_version(), "ortools": ortools, "os": platform.platform()}


def source_fingerprint() -> str:
    """A short digest of scheduler/*.py: which solver version was measured (the tree may be uncommitted)."""
    digest = hashlib.sha256()
    for f in sorted((REPO / "scheduler").glob("*.py")):
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:12]


def _f(x, fmt: str = "{:.2f}", none: str = "–") -> str:
    return none if x is None else fmt.format(x)


def write_results(records: list[dict], args, out: Path, started: dt.datetime) -> None:
    m = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `benchmarks/run.py` on {started:%Y-%m-%d %H:%M} UTC "
        f"(workers {args.workers}, seed {args.seed}, address-space cap {args.memory_cap_gb:g} GB per instance, "
        f"hard timeout = limit + {args.grace:g} s). Targets are those of issue 3; see `benchmarks/README.md`.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']}, {m['ram']} RAM, {m['os']}",
        f"- Python {m['python']}, OR-Tools {m['ortools']}",
        "- Solver source fingerprint (sha256 of scheduler/*.py, taken by each child): "
        + ", ".join(f"{r['name']} `{r.get('source', '?')}`" for r in records),
        "",
        "## Measurements",
        "",
        "| instance | size (sessions / rooms / days / languages / interpreters) | limit s | build s "
        "| first solution s | outcome | objective | bound | gap | optimal at s | check() | peak MB | wall s |",
        "|---|---|--:|--:|--:|---|--:|--:|--:|--:|---|--:|--:|",
    ]
    for r in records:
        s = r.get("size") or {}
        size = " / ".join(str(s.get(k, "?")) for k in ("sessions", "rooms", "days", "languages", "interpreters"))
        if r.get("breaches") is None:
            chk = "–"
        elif r["breaches"] == 0:
            chk = "accepted"
        else:
            chk = f"REJECTED ({r['breaches']} breaches)"
        lines.append(
            f"| {r['name']} | {size} | {r['time_limit']:g} | {_f(r.get('build_seconds'))} "
            f"| {_f(r.get('first_solution_seconds'))} | {r.get('outcome', '?')} | {_f(r.get('objective'), '{:,}')} "
            f"| {_f(r.get('bound'), '{:,}')} | {_f(r.get('gap'), '{:.1%}')} | {_f(r.get('optimal_at'))} | {chk} "
            f"| {_f(r.get('peak_mb'), '{:,.0f}')} | {_f(r.get('wall'), '{:.1f}')} |")
    lines += ["", "## Targets", "", "| instance | target | measured | pass |", "|---|---|---|---|"]
    for r in records:
        inst = BY_NAME[r["name"]]
        for t in inst.targets:
            measured, ok = judge(t, r)
            lines.append(f"| {r['name']} | {t.text} | {measured} | {'pass' if ok else '**FAIL**'} |")
        if not inst.targets:
            lines.append(f"| {r['name']} | (none: real-data instance, figures only) | {r.get('outcome', '?')} | – |")
    notes = []
    for r in records:
        if r.get("breach_samples"):
            notes.append(f"- {r['name']}: check() breaches, first ones: " + "; ".join(r["breach_samples"]))
        if r.get("progress"):
            p = r["progress"]
            notes.append(f"- {r['name']}: {len(p)} improving solutions reported; first at {p[0]['t']:.2f} s "
                         f"(objective {p[0]['objective']:,.0f}), last at {p[-1]['t']:.2f} s "
                         f"(objective {p[-1]['objective']:,.0f}, bound {p[-1]['bound']:,.0f})"
                         + (f"; gap < 5% first at {r['gap5_at']:.2f} s" if r.get("gap5_at") is not None else ""))
        if r.get("extra"):
            notes.append(f"- {r['name']}: other Outcome fields: "
                         + ", ".join(f"{k} = {v!r}" for k, v in r["extra"].items() if v not in ("", None)))
        if r.get("runs"):
            times = sorted((x["optimal_at"] for x in r["runs"] if x["optimal_at"] is not None))
            unproven = len(r["runs"]) - len(times)
            notes.append(f"- {r['name']}: {len(r['runs'])} runs (seed {args.seed} each), the table shows the median "
                         "one; proven optimal at " + ", ".join(f"{x:.2f}" for x in times) + " s"
                         + (f"; {unproven} not proven optimal" if unproven else "")
                         + "; objectives " + ", ".join(sorted({f"{x['objective']:,}" for x in r["runs"]
                                                               if x["objective"] is not None})))
        if r.get("load_seconds") is not None:
            if r.get("peak_side_mb"):
                notes.append(f"- {r['name']}: peak MB = the solver process ({r['peak_self_mb']:,.0f} MB) + "
                             f"{r['workers']} x its largest side process ({r['peak_side_mb']:,.0f} MB), "
                             "an upper bound on what they held at once")
            notes.append(f"- {r['name']}: load_event {r['load_seconds']:.2f} s"
                         + (f", check() {r['check_seconds']:.2f} s" if r.get("check_seconds") is not None else ""))
    lines += ["", "## Notes", "",
              "- *build s*: `Outcome.build_seconds`; *first solution s*: `Outcome.first_solution_seconds` (from the "
              "start of `solve()`, build included); *optimal at s*: `Outcome.solve_seconds` when the status is "
              "optimal; *gap* = (objective − bound) / objective of the returned timetable; *peak MB*: the child "
              "process's maximum resident set (`ru_maxrss` from `wait4`), loading and checking included (with side "
              "processes, see the instance's note); "
              "*check()*: the independent checker on the **final** timetable (intermediate ones are not exposed).",
              *notes, ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", metavar="NAME",
                    help=f"run only these instances (repeatable or comma-separated): {', '.join(BY_NAME)}")
    ap.add_argument("--time-limit", type=float, help="seconds per instance (default: school 10, medium 60, "
                                                     "large 120, timefold-* 30/60/120, cosplib-* 30-120)")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2: the targets are on 2 cores)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, help="runs of each instance, the median one reported "
                                             "(default: school 7, others 1)")
    ap.add_argument("--memory-cap-gb", type=float, default=8.0, help="address-space cap of each child (default 8)")
    ap.add_argument("--grace", type=float, default=GRACE,
                    help=f"seconds past its limit before a child is killed (default {GRACE:g})")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--json", type=Path, help="also write the raw records here")
    ap.add_argument("--keep", type=Path, help="keep instances, logs and timetables in this folder "
                                              "(default: a temporary folder, removed at the end)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child)

    names = [n for item in (args.only or []) for n in item.split(",") if n]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        ap.error(f"unknown instance(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
    chosen = [BY_NAME[n] for n in names] if names else [i for i in INSTANCES if not i.optional]

    started = dt.datetime.now(dt.timezone.utc)
    root = args.keep or Path(tempfile.mkdtemp(prefix="scheduler-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    records = []
    try:
        for inst in chosen:
            limit = args.time_limit if args.time_limit is not None else inst.time_limit
            runs = args.runs or inst.runs
            print(f"[{inst.name}] solving (limit {limit:g} s, {args.workers} workers"
                  + (f", {runs} runs" if runs > 1 else "") + ") ...", flush=True)
            rec = median_run([run_instance(inst, limit, args.workers, args.seed, int(args.memory_cap_gb * GB),
                                           root / f"run-{k}" if runs > 1 else root, args.grace)
                              for k in range(runs)])
            records.append(rec)
            print(f"[{inst.name}] {rec.get('outcome')}: objective {rec.get('objective')}, bound {rec.get('bound')}, "
                  f"first {_f(rec.get('first_solution_seconds'))} s, build {_f(rec.get('build_seconds'))} s, "
                  f"check {'ok' if rec.get('breaches') == 0 else rec.get('breaches')}, "
                  f"peak {_f(rec.get('peak_mb'), '{:,.0f}')} MB, wall {_f(rec.get('wall'), '{:.1f}')} s", flush=True)
            write_results(records, args, args.out, started)  # after each instance, so a stop keeps what was done
        if args.json:
            args.json.write_text(json.dumps(records, indent=2, default=str))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
