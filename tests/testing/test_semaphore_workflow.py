"""The semaphore workflow under dsl.testing: every path mocked, 100 % state and transition coverage."""

from __future__ import annotations

import pytest

from dsl.testing import Calls, Engine, TestResult, Throw
from dsl.testing.coverage import Coverage
from tests.testing.semaphore_cases import (
    ACQUIRE,
    CASES,
    CONDITION_FAILED,
    DONE,
    FREE,
    GENERATED,
    RELEASE,
    UPDATED,
    WORK,
    Case,
)

SEMAPHORE = GENERATED / "dynamodb-semaphore.asl.json"


@pytest.mark.parametrize("name", list(CASES))
def test_semaphore_path(engine: Engine, name: str) -> None:
    case = CASES[name]
    result = engine.run(SEMAPHORE, case.input, mocks=case.mocks)
    assert (result.status, result.path) == (case.status, case.path)


def _redriven(engine: Engine) -> tuple[TestResult, TestResult]:
    """A run stopped during its work, then redriven: the guard re-acquires a slot first."""

    def stop_during_work(request: object) -> object:
        engine.stop_execution(cause="stopped while working")
        return DONE

    stopped = engine.run(SEMAPHORE, {}, mocks={ACQUIRE: UPDATED, WORK: stop_during_work})
    redriven = engine.redrive(stopped, mocks={ACQUIRE: UPDATED, WORK: DONE, RELEASE: CONDITION_FAILED, FREE: {}})
    return stopped, redriven


def test_redrive_guard_acquires_again_before_working(engine: Engine) -> None:
    stopped, redriven = _redriven(engine)
    assert stopped.status == "ABORTED"
    assert redriven.status == "SUCCEEDED"
    assert redriven.path[2:] == (
        WORK, "Redriven Without Slot?", "Wait For Stopped Work", ACQUIRE, WORK, RELEASE, FREE, "Success State")
    # The guard's 90 s wait passed on the virtual clock.
    assert redriven.virtual_seconds >= 90
    guard = redriven.state("Run Lambda Function With Controlled Concurrency", 1)
    assert guard.next == "Redriven Without Slot?" and guard.caught_by == 0


def test_work_retries_then_succeeds_on_the_virtual_clock(engine: Engine) -> None:
    throttled = Throw("Lambda.TooManyRequestsException", "Rate exceeded")
    result = engine.run(SEMAPHORE, {}, mocks={ACQUIRE: UPDATED, WORK: Calls(throttled, throttled, DONE),
                                              RELEASE: CONDITION_FAILED, FREE: {}})
    assert result.status == "SUCCEEDED"
    work = result.state(WORK)
    assert (work.attempts, work.retries) == (3, (0, 0))
    assert result.path.count(WORK) == 1  # a retry is not a new entry
    # JitterStrategy FULL: each interval is drawn from [0, 1 s] then [0, 2 s].
    assert 0 <= result.virtual_seconds <= 3


def test_all_cases_cover_every_state_and_transition(engine: Engine) -> None:
    coverage = Coverage("semaphore", engine_doc())
    for case in CASES.values():
        coverage.add(_run(engine, case))
    for result in _redriven(engine):
        coverage.add(result)
    summary = coverage.summary()
    print(coverage.text())
    assert summary["states"]["missed"] == [] and summary["states"]["total"] == 31
    assert summary["transitions"]["missed"] == []
    assert summary["choice_rules"]["missed"] == []
    assert coverage.percent() == 100.0


def engine_doc() -> dict[str, object]:
    from dsl.aslfile import load

    return load(str(SEMAPHORE))


def _run(engine: Engine, case: Case) -> TestResult:
    return engine.run(SEMAPHORE, case.input, mocks=case.mocks)
