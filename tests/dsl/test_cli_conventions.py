"""One error convention across ``python -m dsl`` commands, --version, help (issue 23, items 16, 18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dsl(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsl", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_every_command_error_reads_prog_error_file_message(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.asl.json")
    (tmp_path / "flow.py").write_text("from dsl import Wait, Workflow\nWF = Workflow('w', Wait('W'))\n")
    cases = {
        ("nosuch",): "python -m dsl: error: unknown command 'nosuch'",
        ("graph", missing): f"python -m dsl graph: error: {missing}: no such file",
        ("diff", missing, missing): f"python -m dsl diff: error: {missing}",
        ("build", "--definitions", str(tmp_path), "--out", str(tmp_path / "o")):
            "python -m dsl build: error: ",
        ("verify", missing, "--rule", missing): f"python -m dsl verify: error: --rule {missing}: no such file",
        ("validate",): "python -m dsl validate: error: give at least one PATH",
    }
    for args, start in cases.items():
        result = _dsl(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith(start), (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)


def test_version_and_the_no_argument_hint() -> None:
    from dsl.cli import version

    shown = _dsl("--version")
    assert shown.returncode == 0 and shown.stdout == f"python -m dsl (sfn-dsl) {version()}\n"
    assert version()[0].isdigit()
    bare = _dsl()
    assert bare.returncode == 2 and "python -m dsl COMMAND --help" in bare.stderr


@pytest.mark.parametrize("command", ["build", "validate", "verify", "graph", "diff", ""])
def test_help_gives_exit_codes_and_no_raw_markup(command: str) -> None:
    shown = _dsl(*([command] if command else []), "--help")
    assert shown.returncode == 0, shown.stderr
    assert "Exit status: 0 " in shown.stdout and "2 " in shown.stdout.split("Exit status:")[1]
    assert "``" not in shown.stdout
