"""``python -m dsl verify``: exit codes, output formats, finding the cleanup and the rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from verify_asl import RULE, good_cleanup, good_semaphore

from semaphore.verify.cli import main

CLEANUP_NAME = "dynamodb-semaphore-cleanfromincomplete.asl.json"


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    _write(tmp_path / "dynamodb-semaphore.asl.json", good_semaphore())
    _write(tmp_path / CLEANUP_NAME, good_cleanup())
    _write(tmp_path / "cleanup-rule.json", RULE)
    return tmp_path


def test_a_verified_folder_exits_zero_and_warnings_are_marked(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(folder)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert all(line.endswith("[warning]") for line in lines[:-1])
    # the work has no redrive guard and no TimeoutSeconds, and the cleanup has no Retry
    assert lines[0].startswith(str(folder / "dynamodb-semaphore.asl.json") + ":/States/Work: LOCK-REDRIVE ")
    assert lines[1].startswith(str(folder / "dynamodb-semaphore.asl.json") + ":/States/Work: LOCK-WORK-BOUND ")
    assert lines[2].startswith(str(folder / CLEANUP_NAME) + ":/States/Clean: LOCK-CLEANUP-FAIL ")
    assert lines[-1] == "2 files checked: 2 verified, 0 with errors, 0 unreadable; 0 errors, 3 warnings"


def test_a_violation_exits_one_and_json_lists_it(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule = json.loads(json.dumps(RULE))
    rule["EventPattern"]["detail"]["status"] = ["FAILED"]
    _write(folder / "cleanup-rule.json", rule)
    assert main([str(folder / "dynamodb-semaphore.asl.json"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    # unguarded and unbounded work, a cleanup that can fail
    assert report["errors"] == 2 and report["warnings"] == 3
    assert len(report["findings"]) == 5
    assert sorted(f["message"].split(" executions")[0].rsplit(" ", 1)[1] for f in report["findings"]
                  if f["severity"] == "error") == ["ABORTED", "TIMED_OUT"]
    first = report["findings"][0]
    assert set(first) == {"file", "pointer", "rule", "message", "severity", "document", "witness"}
    assert {f["file"] for f in report["findings"] if f["rule"] == "LOCK-CLEANUP-RULE"} == {
        str(folder / "cleanup-rule.json")}


def test_cleanup_is_found_by_what_it_releases(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / CLEANUP_NAME).rename(folder / "reaper.asl.json")
    _write(folder / "notes.json", [1, 2])  # not ASL: skipped while looking for the cleanup
    rule = dict(RULE, Target="reaper.asl.json")
    _write(folder / "cleanup-rule.json", rule)
    assert main([str(folder / "dynamodb-semaphore.asl.json")]) == 0
    assert str(folder / "reaper.asl.json") in capsys.readouterr().out


def test_no_cleanup_anywhere(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / CLEANUP_NAME).unlink()
    assert main([str(folder / "dynamodb-semaphore.asl.json")]) == 1
    assert "LOCK-CLEANUP no cleanup workflow" in capsys.readouterr().out


def test_explicit_cleanup_and_rule_files(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    machine = _write(other / "m.asl.json", good_semaphore())
    assert main([str(machine)]) == 1  # nothing beside it
    capsys.readouterr()
    assert main([str(machine), "--cleanup", str(folder / CLEANUP_NAME), "--rule",
                 str(folder / "cleanup-rule.json")]) == 0


@pytest.mark.parametrize(("content", "words"), [
    (b"", "file is empty"),
    (b"{nope", "invalid JSON at line 1 column 2"),
    (b"[1]", "top level is a JSON array"),
])
def test_unreadable_input_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                                    words: str) -> None:
    bad = tmp_path / "bad.asl.json"
    bad.write_bytes(content)
    assert main([str(bad)]) == 2
    out = capsys.readouterr().out
    assert f"{bad}: ASL-LOAD" in out and words in out
    # Counted, and the summary on standard output as validate's is (issue 23, item 16).
    assert out.splitlines()[-1] == "1 file checked: 0 verified, 0 with errors, 1 unreadable; 0 errors, 0 warnings"


def test_unfollowable_structure_and_missing_options_exit_two(tmp_path: Path, folder: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    broken = _write(tmp_path / "broken.asl.json", {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    assert main([str(broken)]) == 2
    assert f"{broken}:/States/A/Next: GRAPH transition to 'B'" in capsys.readouterr().out
    assert main([str(folder / "dynamodb-semaphore.asl.json"), "--rule", str(tmp_path / "missing.json")]) == 2
    assert "python -m dsl verify: error: --rule " in capsys.readouterr().err


def test_python_dash_m_dsl_verify_reads_stdin(folder: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dsl", "verify", "-", "--cleanup", str(folder / CLEANUP_NAME),
                             "--rule", str(folder / "cleanup-rule.json")],
                            input=(folder / "dynamodb-semaphore.asl.json").read_bytes(), capture_output=True,
                            cwd=Path(__file__).resolve().parents[2], check=False)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
