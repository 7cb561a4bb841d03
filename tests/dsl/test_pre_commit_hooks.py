"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself on a scratch repository (issue 23, 18).

``pre-commit try-repo`` installs this repository into a fresh hook environment,
as another repository's pre-commit would, then runs both hooks on a repository
holding a valid and an invalid ASL file and a stale generated/ folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
GOOD = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}\n'
BAD = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}\n'
NO_INDEX = ("No matching distribution found", "Could not find a version", "Failed to establish a new connection",
            "Temporary failure in name resolution")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=repo,
                   check=True, capture_output=True)


def test_hooks_validate_asl_files_and_check_the_build(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "definitions").mkdir(parents=True)
    (repo / "good.asl.json").write_text(GOOD)
    (repo / "bad.asl.json").write_text(BAD)
    (repo / "definitions" / "flow.py").write_text(
        "from dsl import Pass, Workflow\nFLOW = Workflow('flow', Pass('A'))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "dsl", "build"], cwd=repo, env=env, check=True, capture_output=True)
    (repo / "generated" / "flow.asl.json").write_text(GOOD)  # hand-edited: no longer what the build writes
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "scratch")
    hook_env = {key: value for key, value in env.items() if key != "PYTHONPATH"}
    hook_env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    hook_env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    result = subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), "--all-files"], cwd=repo,
                            env=hook_env, capture_output=True, text=True, timeout=600, check=False)
    output = result.stdout + result.stderr
    if result.returncode != 0 and any(sign in output for sign in NO_INDEX):
        pytest.skip("the package index is unreachable: pre-commit cannot install the hook environment")
    assert result.returncode == 1, output
    assert "bad.asl.json:/States/A/Next: ASL-REF-002" in output
    assert "3 files checked: 2 valid, 1 invalid, 0 unreadable" in output  # generated/ too
    assert "stale: generated/flow.asl.json" in output
    assert "- hook id: dsl-validate" in output and "- hook id: dsl-build-check" in output
