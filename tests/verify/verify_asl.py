"""Small ASL builders and helpers for the verifier's tests (no state names are special)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dsl.findings import Finding
from dsl.graph import build_graph
from semaphore.verify.lockops import LockOp, OpKind, recognise

KEY = {"LockName": {"S": "${SF_LockName}"}}
RULE: dict[str, Any] = {
    "EventPattern": {"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"],
                     "detail": {"stateMachineArn": ["${SF_StateMachineSemaphore}"],
                                "status": ["FAILED", "TIMED_OUT", "ABORTED"]}},
    "Target": "dynamodb-semaphore-cleanfromincomplete.asl.json",
}
ACQUIRE_CONDITION = "(attribute_not_exists(#c) OR #c < :limit) AND attribute_not_exists(#o)"


def update(update_expression: str, condition: str | None, values: Mapping[str, Any] | None = None,
           owner: str = "$$.Execution.Id", **extra: Any) -> dict[str, Any]:
    """A dynamodb:updateItem Task on the lock item, owner attribute ``#o`` named by ``owner``."""
    params: dict[str, Any] = {"TableName": "${SF_TableSemaphore}", "Key": KEY,
                              "ExpressionAttributeNames": {"#c": "currentlockcount", "#o.$": owner},
                              "UpdateExpression": update_expression}
    if condition is not None:
        params["ConditionExpression"] = condition
    if values:
        params["ExpressionAttributeValues"] = dict(values)
    return {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "Parameters": params,
            "ResultPath": None, **extra}


def acquire(condition: str = ACQUIRE_CONDITION, **extra: Any) -> dict[str, Any]:
    """An acquire: count + 1 and this owner's slot, under ``condition``."""
    return update("SET #c = if_not_exists(#c, :zero) + :one, #o = :now", condition,
                  {":one": {"N": "1"}, ":zero": {"N": "0"}, ":limit": {"N": "5"},
                   ":now": {"S.$": "$$.State.EnteredTime"}}, **extra)


def release(condition: str | None = "attribute_exists(#o)", owner: str = "$$.Execution.Id",
            **extra: Any) -> dict[str, Any]:
    """A release: count - 1 and REMOVE of the owner's slot."""
    return update("SET #c = #c - :one REMOVE #o", condition, {":one": {"N": "1"}}, owner=owner, **extra)


def work(**extra: Any) -> dict[str, Any]:
    """A Lambda Task (work)."""
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "${SF_LambdaARN}"}, **extra}


def machine(states: Mapping[str, Any], start: str = "Acquire", **extra: Any) -> dict[str, Any]:
    """A state machine document."""
    return {"StartAt": start, "States": dict(states), **extra}


def good_semaphore() -> dict[str, Any]:
    """Acquire (CCF -> wait and retry; other errors -> ownership probe) -> work -> release -> end."""
    return machine({
        "Acquire": acquire(Catch=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Wait"},
                                  {"ErrorEquals": ["States.ALL"], "Next": "Probe"}], Next="Work"),
        "Probe": update("SET #o = #o", "attribute_exists(#o)",
                        Catch=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Wait"}],
                        Next="Work"),
        "Wait": {"Type": "Wait", "Seconds": 3, "Next": "Acquire"},
        "Work": work(Next="Release"),
        "Release": release(Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                           Catch=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Done"}],
                           Next="Done"),
        "Done": {"Type": "Succeed"},
    })


def good_cleanup() -> dict[str, Any]:
    """Release the failed execution's slot (owner from the event)."""
    return machine({
        "Clean": release(owner="$.detail.executionArn",
                         Catch=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Done"}],
                         Next="Done"),
        "Done": {"Type": "Succeed"},
    }, start="Clean")


def errors(findings: Iterable[Finding]) -> set[str]:
    """The rule ids of error-severity findings."""
    return {f.rule for f in findings if f.severity == "error"}


def rules(findings: Iterable[Finding]) -> set[str]:
    """Every rule id found."""
    return {f.rule for f in findings}


def states_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Every state of ``doc`` by JSON Pointer (nested ones included); the values are
    the document's own state objects, so changing them changes ``doc``."""
    return {node.id: node.state for node in build_graph(doc).states()}


def ops(doc: Mapping[str, Any], kind: OpKind) -> list[LockOp]:
    """The lock operations of one kind in ``doc``."""
    return recognise(build_graph(doc)).of_kind(kind)


def state_at(doc: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The object at a JSON Pointer (unescaping ~1 and ~0)."""
    target: Any = doc
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        target = target[int(key)] if isinstance(target, list) else target[key]
    assert isinstance(target, dict)
    return target


def load_family(folder: Path, machine: str = "dynamodb-semaphore.asl.json",
                cleanup: str = "dynamodb-semaphore-cleanfromincomplete.asl.json",
                ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    """(semaphore, cleanup, rule or None) from a folder (the standard file names by default)."""
    machine_doc = json.loads((folder / machine).read_text())
    cleanup_doc = json.loads((folder / cleanup).read_text())
    rule_file = folder / "cleanup-rule.json"
    rule_doc = json.loads(rule_file.read_text()) if rule_file.is_file() else None
    return machine_doc, cleanup_doc, rule_doc


def rule_for(cleanup: str) -> dict[str, Any]:
    """The rule the original Terraform deploys (as data), targeting the cleanup file ``cleanup``."""
    return {**copy.deepcopy(RULE), "Target": cleanup}


def fixed_family(folder: Path, machine: str = "dynamodb-semaphore.asl.json",
                 cleanup: str = "dynamodb-semaphore-cleanfromincomplete.asl.json",
                 ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A counter-layout family in the original's style (the original three files, or the
    project's counter_lock fixtures) with the defects the verifier reports fixed (`<` limit,
    consistent cleanup read) and the rule the original Terraform deploys, as data."""
    machine_doc, cleanup_doc, _ = load_family(folder, machine, cleanup)
    acquire_op = ops(machine_doc, OpKind.ACQUIRE)[0]
    params = state_at(machine_doc, acquire_op.node)["Parameters"]
    params["ConditionExpression"] = params["ConditionExpression"].replace("<>", "<")
    for state in states_of(cleanup_doc).values():
        if state.get("Resource", "").endswith("dynamodb:getItem"):
            state["Parameters"]["ConsistentRead"] = True
    return machine_doc, cleanup_doc, rule_for(cleanup)
