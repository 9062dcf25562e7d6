"""Output files are written whole or not at all, with the permissions a plain `open` would give them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scheduler.loading import write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path, umask: int, expected: int):
    # The temporary file beside it is private (0600) until renamed: a rendered HTML page left that way could
    # not be served by a web server running as another user.
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "out" / "schedule.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out" / "schedule.html") == expected
    assert (tmp_path / "out" / "schedule.html").read_text() == "<p>x</p>"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["schedule.html"]  # no temporary file left


def test_a_replaced_file_keeps_its_mode(tmp_path: Path):
    path = tmp_path / "timetable.json"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert (_mode(path), path.read_bytes()) == (0o640, b"new")


ROOT = Path(__file__).resolve().parents[1]
SCHOOL = str(ROOT / "fixtures" / "school.json")
SCHOOL_TT = str(ROOT / "fixtures" / "school.timetable.json")


@pytest.mark.parametrize("command", [
    ["solve", SCHOOL, "--time-limit", "30", "-o"],
    ["generate", "--sessions", "4", "-o"],
    ["render", SCHOOL, SCHOOL_TT, "--locale", "fr_CA", "--format", "md", "-o"],
])
def test_an_output_that_is_a_folder_is_refused_before_any_work(tmp_path: Path, command: list[str]):
    # solve wrote its timetable only after its whole search, then failed with a traceback (IsADirectoryError)
    from click.testing import CliRunner

    from scheduler.cli import cli

    result = CliRunner().invoke(cli, [*command, str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"{tmp_path}: cannot write: it is a folder, not a file"
    assert list(tmp_path.iterdir()) == []


def test_an_output_under_a_file_is_refused(tmp_path: Path):
    from click.testing import CliRunner

    from scheduler.cli import cli

    (tmp_path / "notes.txt").write_text("x")
    result = CliRunner().invoke(cli, ["solve", SCHOOL, "-o", str(tmp_path / "notes.txt" / "t.json")])
    assert result.exit_code == 2 and "is not a folder" in result.output
    result = CliRunner().invoke(cli, ["assignments", SCHOOL, SCHOOL_TT, "-o", str(tmp_path / "notes.txt")])
    assert result.exit_code == 2 and "it is a file, not a folder" in result.output


@pytest.mark.parametrize("command, given", [
    (["solve", "{event}", "--time-limit", "5", "-o", "{event}"], "event"),
    (["solve", "{event}", "--previous", "{tt}", "--time-limit", "5", "-o", "{tt}"], "tt"),
    (["render", "{event}", "{tt}", "--locale", "fr_CA", "--format", "md", "-o", "{tt}"], "tt"),
])
def test_an_output_that_is_an_input_is_refused(tmp_path: Path, command: list[str], given: str):
    # solve -o EVENT.json replaced the event with its timetable; render -o TIMETABLE.json with Markdown
    import shutil

    from click.testing import CliRunner

    from scheduler.cli import cli

    paths = {"event": tmp_path / "event.json", "tt": tmp_path / "tt.json"}
    shutil.copy(SCHOOL, paths["event"])
    shutil.copy(SCHOOL_TT, paths["tt"])
    before = {k: p.read_bytes() for k, p in paths.items()}
    result = CliRunner().invoke(cli, [a.format(**{k: str(p) for k, p in paths.items()}) for a in command])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"{paths[given]}: cannot write: it is an input of this command, which is never modified"
    assert {k: p.read_bytes() for k, p in paths.items()} == before


def test_assignments_write_nothing_when_a_file_stands_where_a_folder_must_be(tmp_path: Path):
    # the interpreters' agendas were written, then a speaker's failed: half a folder, with exit 2
    from click.testing import CliRunner

    from scheduler.cli import cli

    out = tmp_path / "agendas"
    out.mkdir()
    (out / "speakers").write_text("not a folder")
    result = CliRunner().invoke(cli, ["assignments", SCHOOL, SCHOOL_TT, "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip() == f"{out / 'speakers'}: cannot write: it is a file, not a folder"
    assert [p.name for p in out.iterdir()] == ["speakers"]


def test_a_long_output_name_is_written(tmp_path: Path):
    # the temporary file's name (".NAME.XXXXXXXX.tmp") passed the 255 bytes a name may have
    from scheduler.loading import write_atomic

    path = tmp_path / ("n" * 250 + ".md")
    write_atomic(path, "x")
    assert path.read_text() == "x" and [p.name for p in tmp_path.iterdir()] == [path.name]
