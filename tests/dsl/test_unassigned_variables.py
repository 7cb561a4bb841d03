"""A variable nothing assigns is warned about at the reading state's Python line (issue 23, 17)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from dsl import P, Pass, Workflow
from dsl.errors import UnassignedVariableWarning

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_dot_is_warned_at_the_states_line() -> None:
    flow = Workflow("v", Pass("A", parameters={"id": P("$order.id")}))
    line = sys._getframe().f_lineno - 1
    with pytest.warns(UnassignedVariableWarning, match=r"state 'A': reads variable \$order") as caught:
        flow.to_asl()
    assert caught[0].filename.endswith("test_unassigned_variables.py") and caught[0].lineno == line


def test_an_assigned_variable_is_not_warned() -> None:
    flow = Workflow("v", Pass("A", assign={"order.$": "$.order"}) >> Pass("B", parameters={"id": P("$order.id")}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flow.to_asl()


def test_build_prints_the_warning_in_one_line_and_still_builds(tmp_path: Path) -> None:
    (tmp_path / "flow.py").write_text("from dsl import P, Pass, Workflow\n"
                                      "WF = Workflow('v', Pass('A', parameters={'id': P('$order.id')}))\n")
    result = subprocess.run([sys.executable, "-m", "dsl", "build", "--definitions", str(tmp_path),
                             "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"python -m dsl build: warning: {tmp_path / 'flow.py'}:2: state 'A': "
                                    "reads variable $order"), result.stderr
    assert len(result.stderr.splitlines()) == 1
