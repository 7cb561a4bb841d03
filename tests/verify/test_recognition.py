"""Lock operations are recognised from their DynamoDB semantics (semaphore.verify.lockops)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from verify_asl import (
    KEY,
    RULE,
    acquire,
    errors,
    good_cleanup,
    good_semaphore,
    machine,
    ops,
    release,
    work,
)

from dsl.graph import build_graph
from semaphore.verify import event_releases, verify
from semaphore.verify.lockops import OpKind, recognise
from semaphore.verify.refs import canonical
from tests.samples import SAMPLES, Sample


def _kinds(doc: dict[str, Any]) -> dict[str, str]:
    graph = build_graph(doc)
    return {graph.label(n): op.kind.value for n, op in recognise(graph).ops.items()}


@pytest.fixture(params=SAMPLES, ids=[s.name for s in SAMPLES])
def sample(request: pytest.FixtureRequest) -> Sample:
    """The original sample (skipped when absent) and the project's counter_lock fixtures."""
    the_sample: Sample = request.param
    the_sample.folder(request)
    return the_sample


def test_the_original_files_are_recognised(sample: Sample, request: pytest.FixtureRequest) -> None:
    n = sample.names
    semaphore = sample.load(request, sample.semaphore)
    assert _kinds(semaphore) == {n["acquire"]: "acquire", n["release"]: "release",
                                 n["init"]: "init", n["read"]: "read"}
    (taken,) = ops(semaphore, OpKind.ACQUIRE)
    assert str(taken.lock) == "${SF_TableSemaphore}[LockName=S:${SF_LockName}]." + n["count"]
    assert (taken.owner and taken.owner.expr) == "{context.Execution.Id}"
    cleanup = sample.load(request, sample.cleanup)
    (freed,) = ops(cleanup, OpKind.RELEASE)
    assert freed.lock == taken.lock and (freed.owner and freed.owner.expr) == "{input.detail.executionArn}"
    assert event_releases(cleanup) == {taken.lock}
    assert event_releases(semaphore) == set()


def _rename(doc: Any, names: dict[str, str]) -> Any:
    """``doc`` with every state name (and each reference to one) replaced."""
    if isinstance(doc, list):
        return [_rename(d, names) for d in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key == "States":
            out[key] = {names[k]: _rename(v, names) for k, v in value.items()}
        elif key in ("StartAt", "Next", "Default") and isinstance(value, str):
            out[key] = names[value]
        else:
            out[key] = _rename(value, names)
    return out


def _all_names(doc: Any, found: list[str]) -> list[str]:
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "States":
                found.extend(value)
            _all_names(value, found)
    elif isinstance(doc, list):
        for item in doc:
            _all_names(item, found)
    return found


def test_findings_do_not_depend_on_state_names(sample: Sample, request: pytest.FixtureRequest) -> None:
    semaphore = sample.load(request, sample.semaphore)
    cleanup = sample.load(request, sample.cleanup)
    before = verify(semaphore, cleanup=cleanup, rule=RULE)
    rename = {n: f"step {i}" for i, n in enumerate(sorted(set(_all_names(semaphore, []) + _all_names(cleanup, []))))}
    after = verify(_rename(semaphore, rename), cleanup=_rename(cleanup, rename), rule=RULE)
    assert sorted((f.rule, f.document) for f in before) == sorted((f.rule, f.document) for f in after)
    assert {"LOCK-LIMIT", "LOCK-STALE-READ"} <= errors(after)


def test_jsonata_sdk_integration_and_add_counters_are_recognised() -> None:
    jsonata = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::aws-sdk:dynamodb:updateItem",
               "Arguments": {
                   "TableName": "${SF_TableSemaphore}", "Key": KEY,
                   "ExpressionAttributeNames": {"#c": "currentlockcount", "#o": "{% $states.context.Execution.Id %}"},
                   "ExpressionAttributeValues": {":one": {"N": "1"}, ":limit": {"N": "5"},
                                                 ":now": {"S": "{% $states.context.State.EnteredTime %}"}},
                   "UpdateExpression": "ADD #c :one SET #o = :now",
                   "ConditionExpression": ":limit > #c AND attribute_not_exists(#o)"},
               "Next": "Work"}
    doc = machine({"Acquire": jsonata, "Work": work(Next="Release"), "Release": release(Next="Done"),
                   "Done": {"Type": "Succeed"}})
    (taken,) = ops(doc, OpKind.ACQUIRE)
    (freed,) = ops(doc, OpKind.RELEASE)
    assert taken.lock == freed.lock and taken.owner == freed.owner
    findings = verify(doc, cleanup=good_cleanup(), rule=RULE)
    assert errors(findings) == set()


def test_input_path_is_applied_to_owner_references() -> None:
    cleanup = good_cleanup()
    clean = cleanup["States"]["Clean"]
    clean["InputPath"] = "$.detail"
    clean["Parameters"]["ExpressionAttributeNames"]["#o.$"] = "$.executionArn"
    (freed,) = ops(cleanup, OpKind.RELEASE)
    assert freed.owner is not None and freed.owner.expr == "{input.detail.executionArn}"
    assert errors(verify(good_semaphore(), cleanup=cleanup, rule=RULE)) == set()
    assert canonical("States.Format('h#{}', $$.Execution.Id)") == "States.Format('h#{}', {context.Execution.Id})"


def _transact(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:transactWriteItems",
            "Parameters": {"TransactItems": items}, "ResultPath": None, **extra}


def _counter(sign: str, condition: str | None) -> dict[str, Any]:
    update: dict[str, Any] = {"TableName": "T", "Key": {"pk": {"S": "lock#main"}},
                              "UpdateExpression": f"SET #c = #c {sign} :one",
                              "ExpressionAttributeNames": {"#c": "count", **({"#l": "limit"} if condition else {})},
                              "ExpressionAttributeValues": {":one": {"N": "1"}}}
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}


def transact_family(owner_condition: str = "attribute_exists(pk)", *,
                    swallow_cancel: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """A semaphore with one holder item per owner, written in transactions, and its cleanup.

    ``swallow_cancel`` catches a cancelled release transaction and ends successfully.
    """
    take = _transact([_counter("+", "#c < #l"),
                      {"Put": {"TableName": "T", "Item": {"pk": {"S.$": "$$.Execution.Id"},
                                                          "since": {"S.$": "$$.State.EnteredTime"}},
                               "ConditionExpression": "attribute_not_exists(pk)"}}],
                     Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                     Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Pause"}], Next="Work")

    def give(owner: str, after: str) -> dict[str, Any]:
        catch = [{"ErrorEquals": ["DynamoDb.TransactionCanceledException"], "Next": after}]
        return _transact([_counter("-", None),
                          {"Delete": {"TableName": "T", "Key": {"pk": {"S.$": owner}},
                                      "ConditionExpression": owner_condition}}],
                         Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                         **({"Catch": catch} if swallow_cancel else {}), Next=after)
    semaphore = machine({"Acquire": take, "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Acquire"},
                         "Work": work(Next="Release"), "Release": give("$$.Execution.Id", "Done"),
                         "Done": {"Type": "Succeed"}})
    cleanup = machine({"Clean": give("$.detail.executionArn", "Cleaned"), "Cleaned": {"Type": "Succeed"}},
                      start="Clean")
    return semaphore, cleanup


def test_transactions_with_holder_items_are_recognised() -> None:
    semaphore, cleanup = transact_family()
    (taken,) = ops(semaphore, OpKind.ACQUIRE)
    (freed,) = ops(semaphore, OpKind.RELEASE)
    assert taken.owner == freed.owner and taken.owner is not None
    assert taken.owner.where == "item T pk={owner}" and str(taken.lock) == "T[pk=S:lock#main].count"
    # The Acquire's catch-all can follow a committed transaction, and the wait loop then
    # re-runs it: only its attribute_not_exists(pk) keeps it from a second slot.
    assert errors(verify(semaphore, cleanup=cleanup, rule=RULE)) == set()
    # A cancelled transaction is not a failed condition (it can be a conflict): catching it
    # and ending successfully can leave the slot held, in the machine and in its cleanup.
    unsafe, unsafe_cleanup = transact_family(swallow_cancel=True)
    found = verify(unsafe, cleanup=unsafe_cleanup, rule=RULE)
    assert {(f.rule, f.document) for f in found if f.severity == "error"} == {
        ("LOCK-RELEASE", ""), ("LOCK-CLEANUP", "cleanup")}
    dropped, _ = transact_family(owner_condition="attribute_exists(other)")
    assert "LOCK-UNDERFLOW" in errors(verify(dropped, cleanup=cleanup, rule=RULE))


def test_hand_off_transfer_and_receive() -> None:
    """A releaser passes its slot to a parked waiter; the waiter's park is recognised as receiving it."""
    park = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 60,
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "owner.$": "$$.Execution.Id"}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Probe"}], "Next": "Work"}
    hand_off = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "ResultPath": None,
                "Parameters": {"TableName": "${SF_TableSemaphore}", "Key": KEY,
                               "ExpressionAttributeNames": {"#o.$": "$$.Execution.Id", "#w.$": "$.waiter"},
                               "ExpressionAttributeValues": {":t": {"S.$": "$$.State.EnteredTime"}},
                               "UpdateExpression": "REMOVE #o SET #w = :t",
                               "ConditionExpression": "attribute_exists(#o) AND attribute_not_exists(#w)"},
                "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Release"}],
                "Next": "Done"}
    states = {
        "Acquire": acquire(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Park"}], Next="Work"),
        "Park": park,
        "Probe": {**good_semaphore()["States"]["Probe"], "Next": "Work",
                  "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Acquire"}]},
        "Work": work(Next="HandOff"),
        "HandOff": hand_off,
        "Release": release(Next="Done"),
        "Done": {"Type": "Succeed"},
    }
    doc = machine(states)
    assert _kinds(doc) == {"Acquire": "acquire", "Park": "receive", "Probe": "refresh", "HandOff": "transfer",
                           "Release": "release"}
    assert errors(verify(doc, cleanup=good_cleanup(), rule=RULE)) == set()
    # A park that times out must not go to work without checking ownership.
    unchecked = copy.deepcopy(doc)
    unchecked["States"]["Park"]["Catch"][0]["Next"] = "Work"
    found = verify(unchecked, cleanup=good_cleanup(), rule=RULE)
    assert "LOCK-UNGUARDED" in errors(found)


def test_the_queued_design_is_recognised_whatever_its_names(repo: Path) -> None:
    from dsl.build import compile_workflow_files
    compiled = compile_workflow_files(repo / "definitions")
    semaphore = compiled["dynamodb-semaphore.asl.json"]
    cleanup = compiled["dynamodb-semaphore-cleanfromincomplete.asl.json"]
    # Acquire first, then park; each tried once more when the lock changed between the two.
    release_chain = {"Release Lock": "transfer", "Free Slot": "release", "Check Lock Still Held": "refresh"}
    expected = {"Acquire Lock": "acquire", "Acquire Lock Again": "acquire",
                "Wait for Lock": "enqueue", "Wait for Lock Again": "enqueue",
                "Check Lock Granted": "refresh", "Check Still Queued": "refresh", "Check Lock Item": "read",
                **release_chain, **{f"{name} After Failure": kind for name, kind in release_chain.items()}}
    assert _kinds(semaphore) == expected
    assert _kinds(cleanup) == release_chain
    parks = ops(semaphore, OpKind.ENQUEUE)
    assert len(parks) == 2
    for park in parks:
        assert park.receives and [str(q) for q in park.queue] == ["lockwaiters"]
    rule = compiled["cleanup-rule.json"]
    rename = {n: f"step {i}" for i, n in enumerate(sorted(set(_all_names(semaphore, []) + _all_names(cleanup, []))))}
    assert _kinds(_rename(semaphore, rename)) == {rename[name]: kind for name, kind in expected.items()}
    before = verify(semaphore, cleanup=cleanup, rule=rule)
    after = verify(_rename(semaphore, rename), cleanup=_rename(cleanup, rename), rule=rule)
    assert errors(before) == errors(after) == set()
    assert sorted((f.rule, f.document) for f in before) == sorted((f.rule, f.document) for f in after)
