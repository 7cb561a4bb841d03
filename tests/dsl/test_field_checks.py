"""Field values are checked when set: a DslError at the author's line (issue 23, item 11)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dsl import Choice, DslError, Fail, Map, Parallel, Pass, Task, Var, Wait, Workflow
from dsl.analysis import AnalysisFailed, check_and_summarise

ARN = "arn:aws:states:::lambda:invoke"

BAD: dict[str, Callable[[], object]] = {
    "wait seconds text": lambda: Wait("W", seconds="ten"),
    "wait seconds bool": lambda: Wait("W", seconds=True),
    "wait seconds negative": lambda: Wait("W", seconds=-1),
    "wait timestamp": lambda: Wait("W", timestamp="tomorrow"),
    "wait seconds_path": lambda: Wait("W", seconds_path=3),
    "retry max_attempts": lambda: Task("T", resource=ARN).retry(max_attempts="3"),
    "retry jitter": lambda: Task("T", resource=ARN).retry(jitter="SOME"),  # type: ignore[arg-type]
    "retry interval 0": lambda: Task("T", resource=ARN).retry(interval=0),
    "retry backoff below 1": lambda: Task("T", resource=ARN).retry(backoff=0.5),
    "retry max_delay over a year": lambda: Task("T", resource=ARN).retry(max_delay=31_622_401),
    "task timeout float": lambda: Task("T", resource=ARN, timeout_seconds=1.5),
    "task heartbeat 0": lambda: Task("T", resource=ARN, heartbeat_seconds=0),
    "task heartbeat not below timeout": lambda: Task("T", resource=ARN, timeout_seconds=60, heartbeat_seconds=60),
    "task parameters list": lambda: Task("T", resource=ARN, parameters=[1]),  # type: ignore[arg-type]
    "task credentials text": lambda: Task("T", resource=ARN, credentials="role"),  # type: ignore[arg-type]
    "map max_concurrency": lambda: Map("M", max_concurrency=-1),
    "map tolerated percentage": lambda: Map("M", tolerated_failure_percentage=101),
    "map tolerated count": lambda: Map("M", tolerated_failure_count=-2),
    "map label": lambda: Map("M", label="has space"),
    "map mode": lambda: Map("M", mode="FAST"),  # type: ignore[arg-type]
    "map execution type": lambda: Map("M", execution_type="QUICK"),  # type: ignore[arg-type]
    "comment": lambda: Pass("C", comment=5),  # type: ignore[arg-type]
    "query language": lambda: Pass("Q", query_language="XPath"),  # type: ignore[arg-type]
    "fail error": lambda: Fail("F", error=42),  # type: ignore[arg-type]
    "catch assign": lambda: Task("T", resource=ARN).catch(["States.ALL"], Pass("H"), assign=[1]),  # type: ignore[arg-type]
    "when assign": lambda: Choice("C").when(Var("$.x") == 1, Pass("H"), assign="x"),  # type: ignore[arg-type]
    "workflow timeout 0": lambda: Workflow("w", Pass("A"), timeout_seconds=0),
    "workflow timeout jsonata": lambda: Workflow("w", Pass("A"), timeout_seconds="{% 1 %}"),  # type: ignore[arg-type]
    "set later": lambda: setattr(Wait("W", seconds=1), "seconds", "ten"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_value_is_refused_at_the_authors_line(case: str) -> None:
    with pytest.raises(DslError) as caught:
        BAD[case]()
    text = str(caught.value)
    assert caught.value.code == "DSL012", text
    assert caught.value.site is not None and caught.value.site.file.endswith("test_field_checks.py"), text
    assert " must be " in text and ", got " in text and "\n" not in text


def test_good_values_pass() -> None:
    Wait("W1", seconds=0)
    Wait("W2", seconds="{% $n %}")
    Wait("W3", timestamp="2016-03-14T01:59:00Z")
    Task("T", resource=ARN, timeout_seconds=99_999_999, heartbeat_seconds="{% $h %}").retry(
        interval=1, max_attempts=0, backoff=1, max_delay=10, jitter="FULL")
    Map("M", max_concurrency=0, tolerated_failure_percentage=12.5, label="items")
    Parallel("P", comment="ok")
    Workflow("w", Pass("A"), timeout_seconds=60, version="1.0")


def test_build_of_a_wrong_field_exits_2_with_the_python_line(tmp_path: Path) -> None:
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    (definitions / "flow.py").write_text(
        "from dsl import Wait, Workflow\n"
        "WF = Workflow('w', Wait('W', seconds='ten'))\n")
    result = subprocess.run([sys.executable, "-m", "dsl", "build", "--definitions", str(definitions),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False,
                            cwd=Path(__file__).parents[2])
    assert result.returncode == 2, result.stderr
    assert "flow.py:2: DSL012 state 'W': seconds must be" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_checks_stop_before_verify_on_a_schema_failure() -> None:
    # A document the schema rejects must not reach the graph builder (it raised GraphError).
    doc = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [], "End": True}}}
    with pytest.raises(AnalysisFailed, match="Branches"):
        check_and_summarise("p", "p.asl.json", {"p.asl.json": doc})


def test_a_workflow_field_error_names_the_workflow() -> None:
    with pytest.raises(DslError, match=r"DSL012 workflow 'w': timeout_seconds must be an integer from 1"):
        Workflow("w", Pass("A"), timeout_seconds=0)
