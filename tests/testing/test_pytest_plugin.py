"""The pytest plugin: ``sfn_engine`` fixture, ``--sfn-coverage`` report and ``--sfn-fail-under`` gate (one pytest run in a subprocess)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SUITE = '''

DOC = {"Comment": "order flow", "StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution",
               "Parameters": {"StateMachineArn": "x"}, "Next": "Done",
               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}]},
    "Refund": {"Type": "Pass", "Next": "Done"},
    "Done": {"Type": "Succeed"}}}


def test_happy(sfn_engine):
    result = sfn_engine.run(DOC, {}, mocks={"Charge": {"ExecutionArn": "arn", "StartDate": 1}})
    assert result.path == ("Charge", "Done")
'''


def pytest_run(tmp_path: Path, source: str, *options: str) -> subprocess.CompletedProcess[str]:
    test_file = tmp_path / "test_flow.py"
    test_file.write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "dsl.testing.pytest_plugin",
         "-n", "0", "--rootdir", str(tmp_path), "-c", "/dev/null", *options, str(test_file)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_session_coverage_and_gate(tmp_path: Path) -> None:
    partial = pytest_run(tmp_path, SUITE, "--sfn-coverage", "--sfn-fail-under", "100")
    assert partial.returncode == 1, partial.stdout + partial.stderr
    assert "Step Functions workflow coverage" in partial.stdout
    assert "coverage of order flow (1 run(s)): 50.0 % of states and transitions" in partial.stdout
    assert "missed: Refund" in partial.stdout and "FAIL: order flow coverage 50.0 %" in partial.stdout
