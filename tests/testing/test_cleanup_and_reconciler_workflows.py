"""The cleanup and reconciler workflows under dsl.testing: each branch mocked, 100 % coverage.

Both end with the same release procedure (release and wake the next waiter, or free the
slot, with their fallbacks); :func:`release_branches` writes its cases once for either's state names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from dsl.aslfile import load
from dsl.testing import Calls, Engine, TaskFailure, TestResult, Throw
from dsl.testing.coverage import Coverage
from dsl.testing.mocks import normalise
from tests.testing.semaphore_cases import (
    CONDITION_FAILED,
    GENERATED,
    NO_EXECUTION,
    NO_TOKEN,
    SUCCESSOR,
    described,
    fails,
)

CLEANUP = GENERATED / "dynamodb-semaphore-cleanfromincomplete.asl.json"
RECONCILER = GENERATED / "dynamodb-semaphore-reconciler.asl.json"
OWNER = "arn:aws:states:us-east-1:123456789012:execution:sem:owner"
SDK_FAILURE = Throw("Sfn.InternalServerException", "service unavailable")


@dataclass(frozen=True)
class Release:
    """The release procedure's state names in one workflow, and its success state."""

    release: str
    wake: str
    check_waiter: str
    waiter_running: str
    free: str
    still_held: str
    done: str


def release_branches(s: Release) -> dict[str, tuple[dict[str, Any], tuple[str, ...]]]:
    """Each branch of the release procedure: its mocks and the path it takes."""
    return {
        "release and wake": ({s.release: SUCCESSOR, s.wake: {}}, (s.release, s.wake, s.done)),
        "nobody waiting: free the slot": ({s.release: CONDITION_FAILED, s.free: {}}, (s.release, s.free, s.done)),
        "waiter cannot be woken, still runs": (
            {s.release: SUCCESSOR, s.wake: fails(NO_TOKEN, 4), s.check_waiter: described("RUNNING")},
            (s.release, s.wake, s.check_waiter, s.waiter_running, s.done)),
        "waiter gone: release again": (
            {s.release: Calls(SUCCESSOR, CONDITION_FAILED), s.wake: fails(NO_TOKEN, 4),
             s.check_waiter: described("SUCCEEDED"), s.free: {}},
            (s.release, s.wake, s.check_waiter, s.waiter_running, s.release, s.free, s.done)),
        "waiter cannot be described": (
            {s.release: SUCCESSOR, s.wake: fails(NO_TOKEN, 4), s.check_waiter: fails(NO_EXECUTION, 4)},
            (s.release, s.wake, s.check_waiter, s.done)),
        "a waiter queued meanwhile": (
            {s.release: Calls(CONDITION_FAILED, SUCCESSOR), s.free: CONDITION_FAILED, s.still_held: {}, s.wake: {}},
            (s.release, s.free, s.still_held, s.release, s.wake, s.done)),
        "slot no longer held": (
            {s.release: CONDITION_FAILED, s.free: CONDITION_FAILED, s.still_held: CONDITION_FAILED},
            (s.release, s.free, s.still_held, s.done)),
    }


CLEANUP_RELEASE = Release("Release Lock", "Wake Next Waiter", "Check Next Waiter", "Next Waiter Running?",
                          "Free Slot", "Check Lock Still Held", "Success State")
RECONCILER_RELEASE = Release("Release Lock For Owner", "Wake Next Waiter For Owner", "Check Next Waiter For Owner",
                             "Next Waiter Running? For Owner", "Free Slot For Owner",
                             "Check Lock Still Held For Owner", "Owner Checked")


def cleanup_cases() -> dict[str, tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]]:
    """Cleanup cases: input (the status-change event), mocks, path."""
    def event(status: str) -> dict[str, Any]:
        return {"detail": {"executionArn": OWNER, "status": status}}

    head = ("Read Owner", "Stopped or Timed Out?")
    cases = {
        "owner redriven: nothing to clean": (
            event("FAILED"), {"Check Owner Ended": described("RUNNING")},
            (*head, "Check Owner Ended", "Owner Redriven?", "Success State")),
        "stopped owner: wait for its work, then release": (
            event("ABORTED"), {"Check Owner Ended": described("ABORTED"), "Release Lock": SUCCESSOR,
                               "Wake Next Waiter": {}},
            (*head, "Wait For Work To End", "Check Owner Ended", "Owner Redriven?", "Release Lock",
             "Wake Next Waiter", "Success State")),
        "owner cannot be described: release anyway": (
            event("TIMED_OUT"), {"Check Owner Ended": fails(SDK_FAILURE, 4), "Release Lock": CONDITION_FAILED,
                                 "Free Slot": {}},
            (*head, "Wait For Work To End", "Check Owner Ended", "Release Lock", "Free Slot", "Success State")),
    }
    for name, (mocks, tail) in release_branches(CLEANUP_RELEASE).items():
        cases[f"failed owner, {name}"] = (
            event("FAILED"), {"Check Owner Ended": described("FAILED"), **mocks},
            (*head, "Check Owner Ended", "Owner Redriven?", *tail))
    return cases


def lock_item(*owners: str) -> dict[str, Any]:
    """GetItem's result: the lock item with ``owners`` holding or queued."""
    return {"Item": {"lockowners": {"M": {owner: {"S": "2026-01-01T00:00:00.000Z"} for owner in owners}}}}


OTHER = OWNER + "-running"  # a second owner, still running: its iteration only checks it


def for_owner(spec: Any) -> Any:
    """Describe Owner's mock: ``spec``'s responses for OWNER's calls, RUNNING for the other owner.

    Map iterations run concurrently, so a call sequence shared by two iterations would be
    consumed in a racing order; answering by the request keeps each owner's sequence its own.
    """
    mine = normalise({"Describe Owner": spec})["Describe Owner"]
    calls = iter(range(1000))

    def answer(request: dict[str, Any]) -> Any:
        if request["ExecutionArn"] == OTHER:
            return described("RUNNING")
        response = mine.response(next(calls), request)
        if isinstance(response, Throw):
            raise TaskFailure(response.error, response.cause)
        return response.value

    return answer


def reconciler_cases() -> dict[str, tuple[dict[str, Any], tuple[str, ...]]]:
    """Reconciler cases: mocks and the path of OWNER's Map iteration (the other owner runs on)."""
    head = ("Describe Owner",)
    read = {"Read Lock Owners": lock_item(OWNER, OTHER)}
    cases = {
        "owner running": ({**read, "Describe Owner": for_owner(described("RUNNING"))},
                          (*head, "Owner Running?", "Owner Checked")),
        "owner cannot be described": ({**read, "Describe Owner": for_owner(fails(SDK_FAILURE, 4))},
                                      (*head, "Owner Checked")),
        "stopped owner: wait, then release": (
            {**read, "Describe Owner": for_owner(described("ABORTED")), "Release Lock For Owner": SUCCESSOR,
             "Wake Next Waiter For Owner": {}},
            (*head, "Owner Running?", "Wait For Owner Work To End", "Release Lock For Owner",
             "Wake Next Waiter For Owner", "Owner Checked")),
    }
    for name, (mocks, tail) in release_branches(RECONCILER_RELEASE).items():
        cases[f"ended owner, {name}"] = ({**read, "Describe Owner": for_owner(described("FAILED")), **mocks},
                                         (*head, "Owner Running?", *tail))
    return cases


def iteration_path(result: TestResult, owner: str) -> tuple[str, ...]:
    """The states entered by ``owner``'s Map iteration (its item, ``{"owner": ...}``, rides in every input)."""
    return tuple(s.name for s in result.states if isinstance(s.input, dict) and s.input.get("owner") == owner)


CLEANUP_CASES = cleanup_cases()


@pytest.mark.parametrize("name", list(CLEANUP_CASES))
def test_cleanup_branch(engine: Engine, name: str) -> None:
    execution_input, mocks, path = CLEANUP_CASES[name]
    result = engine.run(CLEANUP, execution_input, mocks=mocks)
    assert (result.status, result.path) == ("SUCCEEDED", path)


@pytest.mark.parametrize("name", list(reconciler_cases()))
def test_reconciler_branch(engine: Engine, name: str) -> None:
    mocks, path = reconciler_cases()[name]
    result = engine.run(RECONCILER, {}, mocks=mocks)
    assert result.status == "SUCCEEDED"
    assert result.path[:3] == ("Read Lock Owners", "List Owners", "Check Each Owner")
    assert iteration_path(result, OWNER) == path
    assert iteration_path(result, OTHER) == ("Describe Owner", "Owner Running?", "Owner Checked")


def test_reconciler_checks_every_owner_in_its_map(engine: Engine) -> None:
    """Several owners: each Map iteration is answered by the request it sends."""
    running, ended = OTHER, OWNER

    def describe(request: dict[str, Any]) -> dict[str, Any]:
        return {**described("RUNNING" if request["ExecutionArn"] == running else "FAILED"),
                "ExecutionArn": request["ExecutionArn"]}

    released: list[str] = []

    def release(request: dict[str, Any]) -> dict[str, Any]:
        released.append(request["ExpressionAttributeValues"][":me"]["S"])
        raise_condition_failed()
        return {}

    result = engine.run(RECONCILER, {}, mocks={"Read Lock Owners": lock_item(running, ended),
                                               "Describe Owner": describe, "Release Lock For Owner": release,
                                               "Free Slot For Owner": {}})
    assert result.status == "SUCCEEDED"
    assert released == [ended]
    assert result.path.count("Describe Owner") == 2 and result.path.count("Owner Checked") == 2
    assert sorted(s.input["owner"] for s in result.states if s.name == "Describe Owner") == sorted([running, ended])


def raise_condition_failed() -> None:
    raise TaskFailure("DynamoDB.ConditionalCheckFailedException", "The conditional request failed")


def test_reconciler_with_a_single_owner(engine: Engine) -> None:
    result = engine.run(RECONCILER, {}, mocks={"Read Lock Owners": lock_item(OWNER),
                                               "Describe Owner": described("RUNNING")})
    assert result.status == "SUCCEEDED", f"{result.error}: {result.cause}"


def test_reconciler_with_no_owner_checks_nobody(engine: Engine) -> None:
    result = engine.run(RECONCILER, {}, mocks={"Read Lock Owners": lock_item()})
    assert (result.status, result.path) == ("SUCCEEDED", ("Read Lock Owners", "List Owners", "Check Each Owner"))


def _coverage(engine: Engine, path: Any, runs: list[TestResult]) -> Coverage:
    coverage = Coverage(path.name, load(str(path)))
    for result in runs:
        coverage.add(result)
    print(coverage.text())
    return coverage


def test_cleanup_cases_cover_every_state_and_transition(engine: Engine) -> None:
    runs = [engine.run(CLEANUP, i, mocks=m) for i, m, _ in CLEANUP_CASES.values()]
    coverage = _coverage(engine, CLEANUP, runs)
    assert coverage.missed("states") == [] and coverage.missed("transitions") == []
    assert coverage.missed("choice_rules") == [] and coverage.missed("catches") == []


def test_reconciler_cases_cover_every_state_and_transition(engine: Engine) -> None:
    runs = [engine.run(RECONCILER, {}, mocks=m) for m, _ in reconciler_cases().values()]  # fresh call counts
    coverage = _coverage(engine, RECONCILER, runs)
    assert coverage.missed("states") == [] and coverage.missed("transitions") == []
    assert coverage.missed("choice_rules") == [] and coverage.missed("catches") == []
