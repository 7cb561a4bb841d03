"""``python -m dsl graph`` and ``python -m dsl diff``: output, exit codes, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dsl.review import diff_cli, graph_cli
from tests.samples import Sample

REPO = Path(__file__).resolve().parents[2]


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def semaphore_file(sample: Sample, request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A copy of the sample's semaphore (the seed's or counter_lock's, see conftest.py)."""
    path = tmp_path / "dynamodb-semaphore.asl.json"
    shutil.copyfile(sample.folder(request) / sample.semaphore, path)
    return path


def test_graph_prints_mermaid_by_default_and_dot_on_request(semaphore_file: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert graph_cli.main([str(semaphore_file)]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD\n")
    assert graph_cli.main([str(semaphore_file), "--format", "dot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph workflow {\n") and "subgraph cluster_s0 {" in out


def test_graph_writes_output_file(semaphore_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "diagram.mmd"
    assert graph_cli.main([str(semaphore_file), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("flowchart TD\n")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "file is empty"),
    (b"{not json", "invalid JSON at line 1 column 2"),
    (b"[]", "top level is a JSON array"),
    (b'{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}',
     "/States/A/Next: GRAPH transition to 'B', which is no state of this scope"),
])
def test_graph_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert graph_cli.main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"python -m dsl graph: error: {path}") and message in captured.err
    assert captured.err.count("\n") == 1


def test_diff_exit_codes(sample: Sample, semaphore_file: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(semaphore_file.read_text(encoding="utf-8"))
    same = tmp_path / "same.json"
    same.write_text(json.dumps(doc, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    assert diff_cli.main([str(semaphore_file), str(same)]) == 0
    assert "No semantic differences" in capsys.readouterr().out
    doc["States"][sample.names["release"]]["Retry"][1]["MaxAttempts"] = 9
    changed = _write(tmp_path / "changed.json", doc)
    report = tmp_path / "comment.md"
    assert diff_cli.main([str(semaphore_file), str(changed), "-o", str(report)]) == 1
    out = capsys.readouterr().out
    assert f"| retry | `Retry States.ALL › MaxAttempts` | `{sample.numbers['release_retries']}` | `9` |" in out
    assert report.read_text(encoding="utf-8") == out


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01", "file is binary"),
    (b'{"StartAt": "A", "States": {"A": "x"}}', "/States/A: REVIEW-INPUT expected a state object"),
    (b'{"StartAt": "A"}', "/States: REVIEW-INPUT expected an object of states"),
])
def test_diff_bad_input_exit_2(semaphore_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               content: bytes, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert diff_cli.main([str(semaphore_file), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith(f"python -m dsl diff: error: {bad}") and message in captured.err
    assert diff_cli.main([str(tmp_path / "missing.json"), str(semaphore_file)]) == 2
    assert "missing.json: no such file" in capsys.readouterr().err


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_against_a_committed_version(sample: Sample, semaphore_file: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "repo"
    (work / "generated").mkdir(parents=True)
    target = work / "generated" / "dynamodb-semaphore.asl.json"
    shutil.copyfile(semaphore_file, target)
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "first")
    doc = json.loads(target.read_text(encoding="utf-8"))
    doc["States"][sample.names["lock"]]["Branches"][0]["States"][sample.names["wait"]]["Seconds"] = 5
    _write(target, doc)
    monkeypatch.chdir(work)
    spec = "git:HEAD:generated/dynamodb-semaphore.asl.json"
    assert diff_cli.main([spec, "generated/dynamodb-semaphore.asl.json"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"### Semantic diff: `{spec}` → `generated/dynamodb-semaphore.asl.json`")
    assert f"| field | `Seconds` | `{sample.numbers['wait_seconds']}` | `5` |" in out
    assert diff_cli.main([spec, spec]) == 0
    capsys.readouterr()
    assert diff_cli.main(["git:HEAD~5:generated/dynamodb-semaphore.asl.json", spec]) == 2
    assert "git show failed: fatal:" in capsys.readouterr().err
    assert diff_cli.main(["git:HEAD", spec]) == 2
    assert "expected git:REV:PATH" in capsys.readouterr().err


def test_cli_entry_point_and_deterministic_output(semaphore_file: Path, tmp_path: Path) -> None:
    """Through ``python -m dsl`` in fresh interpreters with different hash seeds: same bytes."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-m", "dsl", "graph", str(semaphore_file), "--format", "dot"],
                              capture_output=True, env=env, cwd=tmp_path, check=False, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
