"""``python -m dsl build``: determinism, --check, and no output on error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path = ROOT, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "dsl", "build", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "definitions", tmp_path / "definitions")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # the project's checks (semaphore.checks)
    return tmp_path


def test_committed_generated_files_are_up_to_date() -> None:
    result = _run("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_same_bytes_for_any_hash_seed(project: Path) -> None:
    outputs = []
    for seed in ("1", "2", "random"):
        out = project / f"out-{seed}"
        result = _run("--out", str(out), cwd=project, seed=seed)
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1] == outputs[2]
    assert set(outputs[0]) == {p.name for p in (ROOT / "generated").iterdir()}
    for name, data in outputs[0].items():
        assert data == (ROOT / "generated" / name).read_bytes(), name
        assert data.endswith(b"\n") and not data.endswith(b"\n\n")


def test_second_build_reports_unchanged_and_check_names_stale_files(project: Path) -> None:
    out = project / "generated"
    first = _run("--out", str(out), cwd=project)
    assert first.stdout.count("written:") == len(list(out.iterdir()))
    second = _run("--out", str(out), cwd=project)
    assert "written" not in second.stdout and "unchanged:" in second.stdout
    (out / "dynamodb-semaphore.asl.json").write_text("{}\n")
    (out / "test-run-semaphore.asl.json").unlink()
    check = _run("--out", str(out), "--check", cwd=project)
    assert check.returncode == 1
    assert "stale: " in check.stdout and "dynamodb-semaphore.asl.json" in check.stdout
    assert "missing: " in check.stdout and "test-run-semaphore.asl.json" in check.stdout
    assert (out / "dynamodb-semaphore.asl.json").read_text() == "{}\n"  # --check wrote nothing


def test_a_definition_error_stops_the_build_and_writes_nothing(project: Path) -> None:
    out = project / "generated"
    (project / "definitions" / "broken.py").write_text(
        "from dsl import Pass, Workflow\n"
        "a = Pass('A')\n"
        "BROKEN = Workflow('broken', a >> Pass('A'))\n")
    result = _run("--out", str(out), cwd=project)
    assert result.returncode == 2
    assert not out.exists()
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "DSL001" in result.stderr and "broken.py:3" in result.stderr


def test_a_definition_that_raises_names_its_line(project: Path) -> None:
    (project / "definitions" / "typo.py").write_text("from dsl import Pass\nX = Pass('A', nope=1)\n")
    result = _run("--out", str(project / "generated"), cwd=project)
    assert result.returncode == 2 and "typo.py:2" in result.stderr and "Traceback" not in result.stderr


def test_build_removes_the_files_of_a_deleted_definition_and_check_names_them(project: Path) -> None:
    from dsl.build import stale_files

    out = project / "generated"
    (project / "definitions" / "extra.py").write_text(
        "from dsl import Pass, Workflow\nEXTRA = Workflow('extra-flow', Pass('A'))\n")
    assert _run("--out", str(out), cwd=project).returncode == 0
    assert (out / "extra-flow.asl.json").is_file() and (out / "extra-flow.md").is_file()
    (out / "notes.txt").write_text("not the build's\n")
    (project / "definitions" / "extra.py").unlink()
    check = _run("--out", str(out), "--check", cwd=project)
    assert check.returncode == 1, check.stdout
    assert "orphan: " in check.stdout and "extra-flow.asl.json" in check.stdout
    assert "extra-flow.md" in check.stdout and "notes.txt" not in check.stdout
    assert set(stale_files(project / "definitions", out)) >= {"extra-flow.asl.json", "extra-flow.md"}
    build = _run("--out", str(out), cwd=project)
    assert "removed: " in build.stdout, build.stdout
    assert not (out / "extra-flow.asl.json").exists() and not (out / "extra-flow.md").exists()
    assert (out / "notes.txt").exists()
    assert _run("--out", str(out), "--check", cwd=project).returncode == 0


def test_an_unusable_out_folder_is_one_line_exit_2(project: Path) -> None:
    a_file = project / "not-a-folder"
    a_file.write_text("x\n")
    for out, named in ((a_file, a_file), (Path("/proc/no-such-dir/generated"), Path("/proc/no-such-dir"))):
        result = _run("--out", str(out), cwd=project)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"python -m dsl build: error: {named}"), result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
