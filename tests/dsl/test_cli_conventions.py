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
