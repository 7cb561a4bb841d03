"""The test workflow (starts 100 semaphore executions, waits for them, collects their status) under dsl.testing."""

from __future__ import annotations

from typing import Any

from dsl.aslfile import load
from dsl.testing import Calls, Engine
from dsl.testing.coverage import Coverage
from tests.testing.semaphore_cases import GENERATED, MACHINE, described

TEST_RUN = GENERATED / "test-run-semaphore.asl.json"
CHILD = "arn:aws:states:us-east-1:123456789012:execution:sem:child-"


def started(request: dict[str, Any]) -> dict[str, Any]:
    """StartExecution's result for the child the request starts (each Map iteration is a call)."""
    assert request["StateMachineArn"] == "${SF_StateMachineSemaphore}"
    return {"ExecutionArn": CHILD + request["Input"]["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"][-8:],
            "StartDate": 1767225600000}


def listed(count: int) -> dict[str, Any]:
    """ListExecutions' result with ``count`` running children."""
    return {"Executions": [{"ExecutionArn": f"{CHILD}{n}", "StateMachineArn": MACHINE, "Name": f"child-{n}",
                            "Status": "RUNNING", "StartDate": 1767225600000} for n in range(count)]}


def test_test_run_waits_for_its_children_and_collects_them(engine: Engine) -> None:
    result = engine.run(TEST_RUN, {}, mocks={
        "RunChildStateMachine": started,
        "CountRunningAtOnce": listed(5),
        "CountStillRunning": Calls(listed(3), listed(1), listed(0)),
        "DescribeChild": described("SUCCEEDED"),
    })
    assert result.status == "SUCCEEDED"
    assert result.calls["RunChildStateMachine"] == 100 and result.calls["DescribeChild"] == 100
    assert result.output["runningAtOnce"] == {"count": 5}
    assert result.output["results"] == [{"Status": "SUCCEEDED"}] * 100
    assert result.path.count("WaitForChildren") == 3
    assert result.virtual_seconds == 30  # three 10 s waits, no real sleep

    coverage = Coverage(TEST_RUN.name, load(str(TEST_RUN)))
    coverage.add(result)
    print(coverage.text())
    assert coverage.percent() == 100.0 and coverage.missed("choice_rules") == []
