"""Each rule on small machines: it fires when the property is broken and stays quiet when it holds."""

from __future__ import annotations

import copy
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
    release,
    rules,
    update,
    work,
)

from dsl.graph import build_graph
from semaphore.verify import RULES, verify
from semaphore.verify.analysis import analyse, tracked_locks
from semaphore.verify.flow import HELD
from semaphore.verify.lockops import OpKind, recognise
from semaphore.verify.rules import VerifyFinding


def check(doc: dict[str, Any], *, cleanup: dict[str, Any] | None = None, rule: dict[str, Any] | None = None,
          **options: Any) -> list[VerifyFinding]:
    found = verify(doc, cleanup=good_cleanup() if cleanup is None else cleanup,
                   rule=RULE if rule is None else rule, **options)
    assert all(isinstance(f, VerifyFinding) for f in found)
    return found  # type: ignore[return-value]


def only(found: list[VerifyFinding], rule: str) -> VerifyFinding:
    matching = [f for f in found if f.rule == rule]
    assert len(matching) == 1, found
    return matching[0]


def test_the_good_semaphore_verifies() -> None:
    found = check(good_semaphore())
    assert errors(found) == set()
    # the cleanup has no Retry: it can fail, which only a reconciler would cover;
    # and its work has no TimeoutSeconds (see test_work_bound) and no redrive guard
    # (tests/verify/test_redrive_and_jsonata.py)
    assert rules(found) == {"LOCK-CLEANUP-FAIL", "LOCK-WORK-BOUND", "LOCK-REDRIVE"}
    assert {f.severity for f in found} == {"warning"}


def test_every_rule_has_a_statement() -> None:
    assert set(RULES) == {"LOCK-RELEASE", "LOCK-CLEANUP", "LOCK-CLEANUP-RULE", "LOCK-STALE-READ",
                          "LOCK-CLEANUP-FAIL", "LOCK-UNDERFLOW", "LOCK-DOUBLE", "LOCK-LIMIT", "LOCK-UNGUARDED",
                          "LOCK-OWNER", "LOCK-INIT", "LOCK-EXPR", "LOCK-WORK-BOUND", "LOCK-REDRIVE"}


# -- LOCK-RELEASE


def test_a_path_around_the_release_is_reported_with_its_witness() -> None:
    doc = good_semaphore()
    doc["States"]["Work"]["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]
    finding = only(check(doc), "LOCK-RELEASE")
    assert finding.pointer == "/States/Acquire"
    assert finding.witness == "Acquire -> Work -[States.ALL]-> Done -> (succeeded)"
    assert finding.message.endswith(finding.witness)


def test_a_swallowed_release_failure_is_a_leak() -> None:
    doc = good_semaphore()
    doc["States"]["Release"]["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]
    finding = only(check(doc), "LOCK-RELEASE")
    assert "may not have happened" in finding.message
    assert finding.witness.endswith("Release -[States.ALL]-> Done -> (succeeded)")


def test_a_release_of_another_owner_does_not_count() -> None:
    doc = good_semaphore()
    doc["States"]["Release"] = release(owner="$$.Execution.Name", Next="Done")
    assert "LOCK-RELEASE" in errors(check(doc))


def test_locks_taken_inside_parallel_branches_and_sequential_maps() -> None:
    inner = good_semaphore()
    inner["States"]["Release"]["Next"] = "Done"
    inner["States"]["Done"] = {"Type": "Pass", "End": True}
    wrapped = machine({"Batch": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": inner, "Next": "Report"},
                       "Report": work(End=True)}, start="Batch")
    assert errors(check(wrapped)) == set()
    # the same body in parallel branches of one execution shares one owner
    parallel = machine({"Both": {"Type": "Parallel", "Branches": [inner, copy.deepcopy(inner)], "End": True}},
                       start="Both")
    assert "LOCK-DOUBLE" in errors(check(parallel))
    concurrent = copy.deepcopy(wrapped)
    concurrent["States"]["Batch"]["MaxConcurrency"] = 0
    finding = only(check(concurrent), "LOCK-DOUBLE")
    assert "MaxConcurrency unlimited" in finding.message


def test_distributed_map_items_are_child_executions() -> None:
    inner = good_semaphore()
    inner["States"]["Done"] = {"Type": "Succeed"}
    doc = machine({"Batch": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, **inner},
                             "End": True}}, start="Batch")
    found = check(doc)
    assert "LOCK-DOUBLE" not in errors(found)  # each item has its own execution id
    finding = only(found, "LOCK-CLEANUP")
    assert "child execution" in finding.message


# -- LOCK-CLEANUP, LOCK-CLEANUP-RULE, LOCK-STALE-READ, LOCK-CLEANUP-FAIL


def test_no_cleanup_workflow() -> None:
    found = verify(good_semaphore(), rule=RULE)
    finding = only(found, "LOCK-CLEANUP")
    assert "no cleanup workflow" in finding.message and finding.witness.endswith("(failed)")


def test_a_cleanup_releasing_another_owner_or_lock() -> None:
    cleanup = good_cleanup()
    cleanup["States"]["Clean"]["Parameters"]["ExpressionAttributeNames"]["#o.$"] = "$.detail.name"
    finding = only(check(good_semaphore(), cleanup=cleanup), "LOCK-CLEANUP")
    assert finding.document == "cleanup" and "{input.detail.name}" in finding.message
    other_table = good_cleanup()
    other_table["States"]["Clean"]["Parameters"]["TableName"] = "Elsewhere"
    assert "releases no slot" in only(check(good_semaphore(), cleanup=other_table), "LOCK-CLEANUP").message


def test_an_owner_the_event_cannot_name() -> None:
    doc = good_semaphore()
    for state in ("Acquire", "Probe", "Release"):
        doc["States"][state]["Parameters"]["ExpressionAttributeNames"]["#o.$"] = "$.requestId"
    assert "not derived from the execution's id" in only(check(doc), "LOCK-CLEANUP").message


@pytest.mark.parametrize(("status", "witness_end"), [
    ("ABORTED", "-[StopExecution]-> (aborted)"),
    ("TIMED_OUT", "-[TimeoutSeconds 3600]-> (timed out)"),
    ("FAILED", "-[uncaught error]-> (failed)"),
])
def test_each_status_must_reach_the_cleanup(status: str, witness_end: str) -> None:
    rule = copy.deepcopy(RULE)
    rule["EventPattern"]["detail"]["status"].remove(status)
    doc = good_semaphore()
    doc["TimeoutSeconds"] = 3600
    finding = only(check(doc, rule=rule), "LOCK-CLEANUP-RULE")
    assert (finding.document, finding.pointer) == ("rule", "/EventPattern/detail/status")
    assert status in finding.message and finding.witness.endswith(witness_end)


def test_rule_shapes() -> None:
    assert "unproven" in only(verify(good_semaphore(), cleanup=good_cleanup()), "LOCK-CLEANUP-RULE").message
    anything_but = copy.deepcopy(RULE)
    anything_but["EventPattern"]["detail"]["status"] = [{"anything-but": ["RUNNING", "SUCCEEDED"]}]
    assert errors(check(good_semaphore(), rule=anything_but)) == set()
    wrong_source = copy.deepcopy(RULE)
    wrong_source["EventPattern"]["source"] = ["aws.state"]
    found = [f for f in check(good_semaphore(), rule=wrong_source) if f.rule == "LOCK-CLEANUP-RULE"]
    assert {(f.pointer, f.message.split(" executions")[0][-9:].split()[-1]) for f in found} == {
        ("/EventPattern/source", "FAILED"), ("/EventPattern/source", "TIMED_OUT"), ("/EventPattern/source", "ABORTED")}
    disabled = {**RULE, "State": "DISABLED"}
    assert only(check(good_semaphore(), rule=disabled), "LOCK-CLEANUP-RULE").pointer == "/State"
    found = check(good_semaphore(), cleanup_name="other.asl.json")
    assert only(found, "LOCK-CLEANUP-RULE").pointer == "/Target"
    as_text = {**RULE, "EventPattern": '{"source": ["aws.states"]}'}
    assert errors(check(good_semaphore(), rule=as_text)) == set()  # no status filter: every status matches


def _reading_cleanup(consistent: bool) -> dict[str, Any]:
    """The original's idiom: read the owner's slot, stringify it, look for the timestamp's Z."""
    read = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "${SF_TableSemaphore}", "Key": KEY,
                           "ExpressionAttributeNames": {"#o.$": "$.detail.executionArn"},
                           "ProjectionExpression": "#o", **({"ConsistentRead": True} if consistent else {})},
            "ResultSelector": {"Item.$": "$.Item", "ItemString.$": "States.JsonToString($.Item)"},
            "ResultPath": "$.lock", "Next": "Held?"}
    held = {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.lock.ItemString", "IsPresent": True},
                                                   {"Variable": "$.lock.ItemString", "StringMatches": "*Z*"}],
                                           "Next": "Clean"}], "Default": "Done"}
    cleanup = good_cleanup()
    cleanup["StartAt"] = "Read"
    cleanup["States"] = {"Read": read, "Held?": held, **cleanup["States"]}
    return cleanup


def test_stale_reads_in_the_cleanup() -> None:
    finding = only(check(good_semaphore(), cleanup=_reading_cleanup(consistent=False)), "LOCK-STALE-READ")
    assert (finding.document, finding.pointer) == ("cleanup", "/States/Held?")
    assert finding.witness == "Read -> Held? -[Default]-> Done -> (succeeded)"
    assert errors(check(good_semaphore(), cleanup=_reading_cleanup(consistent=True))) == set()


def test_a_choice_that_does_not_test_the_slot_gives_no_proof() -> None:
    cleanup = _reading_cleanup(consistent=True)
    # IsPresent alone is true for "{}" too: it does not tell whether the slot exists
    cleanup["States"]["Held?"]["Choices"][0] = {"Variable": "$.lock.ItemString", "IsPresent": True, "Next": "Done"}
    cleanup["States"]["Held?"]["Default"] = "Clean"
    finding = only(check(good_semaphore(), cleanup=cleanup), "LOCK-CLEANUP")
    assert finding.witness == "Read -> Held? -[IsPresent($.lock.ItemString)]-> Done -> (succeeded)"


def test_a_cleanup_that_can_fail_is_a_warning() -> None:
    finding = only(check(good_semaphore()), "LOCK-CLEANUP-FAIL")
    assert finding.severity == "warning" and finding.witness == "Clean -[other errors]-> (failed)"


# -- operation shapes


def test_underflow() -> None:
    doc = good_semaphore()
    doc["States"]["Release"] = release(condition=None, Next="Done")
    finding = only(check(doc), "LOCK-UNDERFLOW")
    assert finding.pointer == "/States/Release/Parameters/ConditionExpression"
    doc["States"]["Release"] = update("SET #c = #c - :one", "attribute_exists(#o)", {":one": {"N": "1"}},
                                      Next="Done")
    assert "without removing an owner" in only(check(doc), "LOCK-UNDERFLOW").message


@pytest.mark.parametrize(("condition", "words"), [
    ("#c <> :limit AND attribute_not_exists(#o)", "passes again once the count is above the limit"),
    ("#c <= :limit AND attribute_not_exists(#o)", "one holder more than the limit"),
    ("(#c < :limit OR attribute_exists(#c)) AND attribute_not_exists(#o)", "can hold without"),
])
def test_limit_tests_that_can_be_bypassed(condition: str, words: str) -> None:
    doc = good_semaphore()
    doc["States"]["Acquire"]["Parameters"]["ConditionExpression"] = condition
    assert words in only(check(doc), "LOCK-LIMIT").message


@pytest.mark.parametrize("condition", [
    ":limit > #c AND attribute_not_exists(#o)",
    "NOT (#c >= :limit) AND attribute_not_exists(#o)",
    "attribute_not_exists(#o) AND (attribute_not_exists(#c) OR #c < #limitattr)",
])
def test_limit_tests_that_hold(condition: str) -> None:
    doc = good_semaphore()
    doc["States"]["Acquire"]["Parameters"]["ConditionExpression"] = condition
    doc["States"]["Acquire"]["Parameters"]["ExpressionAttributeNames"]["#limitattr"] = "limit"
    assert errors(check(doc)) == set()


def test_double_acquire() -> None:
    doc = good_semaphore()
    doc["States"]["Acquire"]["Parameters"]["ConditionExpression"] = "#c < :limit"
    # the ownership probe decides before any new attempt: no second slot
    assert errors(check(doc)) == set()
    # without it, an error that hid a success sends the acquire round again while it holds the slot
    doc["States"]["Acquire"]["Catch"][1]["Next"] = "Wait"
    finding = only(check(doc), "LOCK-DOUBLE")
    assert "already holds a slot" in finding.message
    assert finding.witness == "Acquire -[States.ALL]-> Wait -> Acquire"
    retried = good_semaphore()
    retried["States"]["Acquire"] = acquire("#c < :limit", Retry=[{"ErrorEquals": ["States.ALL"]}], Next="Work")
    assert "a retry takes a second slot" in only(check(retried), "LOCK-DOUBLE").message


def test_unguarded_work() -> None:
    doc = good_semaphore()
    doc["States"]["Acquire"]["Catch"][1]["Next"] = "Work"
    finding = only(check(doc), "LOCK-UNGUARDED")
    assert finding.pointer == "/States/Work"
    assert finding.witness == "Acquire -[States.ALL]-> Work"
    doc = good_semaphore()
    doc["States"]["Acquire"]["Catch"][0]["Next"] = "Work"
    assert only(check(doc), "LOCK-UNGUARDED").witness == "Acquire -[DynamoDB.ConditionalCheckFailedException]-> Work"


def test_half_operations() -> None:
    doc = good_semaphore()
    doc["States"]["Acquire"] = update("SET #c = #c + :one", "#c < :limit", {":one": {"N": "1"}, ":limit": {"N": "5"}},
                                      Next="Work")
    assert "without recording an owner" in only(verify(doc), "LOCK-OWNER").message
    doc = good_semaphore()
    doc["States"]["Release"] = update("REMOVE #o", "attribute_exists(#o)", Next="Done")
    found = check(doc)
    assert "without decrementing" in only(found, "LOCK-OWNER").message
    doc = good_semaphore()
    doc["States"]["Probe"]["Parameters"].pop("ConditionExpression")
    assert "without requiring it to exist" in only(check(doc), "LOCK-OWNER").message


def test_initialising_the_lock_item() -> None:
    put = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "ResultPath": None,
           "Parameters": {"TableName": "${SF_TableSemaphore}",
                          "Item": {**KEY, "currentlockcount": {"N": "0"}}}, "Next": "Acquire"}
    doc = good_semaphore()
    doc["States"]["Init"] = put
    doc["StartAt"] = "Init"
    assert "erases the slots held" in only(check(doc), "LOCK-INIT").message
    for guard in ("attribute_not_exists(LockName)", "LockName <> :name"):
        put["Parameters"]["ConditionExpression"] = guard
        put["Parameters"]["ExpressionAttributeValues"] = {":name": {"S": "${SF_LockName}"}}
        assert errors(check(doc)) == set()
    put["Parameters"]["ExpressionAttributeValues"] = {":name": {"S": "another"}}
    assert "LOCK-INIT" in errors(check(doc))


def test_unreadable_expressions_are_warned_about() -> None:
    doc = good_semaphore()
    doc["States"]["Work"] = update("SET #c = = 1", None, Next="Release")
    finding = only(check(doc), "LOCK-EXPR")
    assert finding.severity == "warning" and "expected an attribute name at column 10" in finding.message


def test_task_timeouts_show_in_failure_witnesses() -> None:
    doc = good_semaphore()
    doc["States"]["Work"].update(TimeoutSeconds=60, Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Release"}])
    rule = copy.deepcopy(RULE)
    rule["EventPattern"]["detail"]["status"].remove("FAILED")
    finding = only(check(doc, rule=rule), "LOCK-CLEANUP-RULE")
    assert finding.witness == "Acquire -> Work -[uncaught States.Timeout]-> (failed)"


def test_machines_without_locks_have_nothing_to_prove() -> None:
    doc = machine({"Only": work(End=True)}, start="Only")
    assert verify(doc) == []
    assert verify(good_cleanup()) == []


def _cleanup_with_reconciler_mode() -> dict[str, Any]:
    """A cleanup that also runs on a schedule: without an event it frees every owner no longer RUNNING."""
    read = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "ResultPath": "$.lock",
            "Parameters": {"TableName": "${SF_TableSemaphore}", "Key": KEY, "ConsistentRead": True},
            "Next": "Each Owner"}
    describe = {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:describeExecution",
                "Parameters": {"ExecutionArn.$": "$.owner"}, "ResultPath": "$.execution", "Next": "Running?"}
    running = {"Type": "Choice", "Default": "Free",
               "Choices": [{"Variable": "$.execution.Status", "StringEquals": "RUNNING", "Next": "Keep"}]}
    items = {"StartAt": "Describe", "States": {"Describe": describe, "Running?": running,
                                               "Keep": {"Type": "Pass", "End": True},
                                               "Free": release(owner="$.owner", End=True)}}
    cleanup = good_cleanup()
    cleanup["StartAt"] = "Mode"
    cleanup["States"].update({
        "Mode": {"Type": "Choice", "Default": "Sweep",
                 "Choices": [{"Variable": "$.detail.executionArn", "IsPresent": True, "Next": "Clean"}]},
        "Sweep": read,
        "Each Owner": {"Type": "Map", "ItemsPath": "$.lock.owners", "ItemProcessor": items, "Next": "Done"},
    })
    return cleanup


def test_a_cleanup_with_a_scheduled_reconciler_mode() -> None:
    cleanup = _cleanup_with_reconciler_mode()
    # event-started runs always take the "Clean" branch; the sweep frees other owners
    assert errors(check(good_semaphore(), cleanup=cleanup)) == set()
    assert errors(verify(cleanup)) == set()
    # a mode switch that event runs can miss is a real gap
    cleanup["States"]["Mode"]["Choices"][0] = {"Variable": "$.detail.status", "StringEquals": "FAILED",
                                               "Next": "Clean"}
    finding = only(check(good_semaphore(), cleanup=cleanup), "LOCK-CLEANUP")
    assert finding.witness.startswith("Mode -[Default]-> Sweep -> Each Owner")
    # the reconciler's own release still needs its owner guard
    unguarded = _cleanup_with_reconciler_mode()
    unguarded["States"]["Each Owner"]["ItemProcessor"]["States"]["Free"] = release(condition=None, owner="$.owner",
                                                                                   End=True)
    assert "LOCK-UNDERFLOW" in errors(verify(unguarded))


def test_verify_restores_the_garbage_collector() -> None:
    import gc
    assert gc.isenabled()
    verify(good_semaphore())
    assert gc.isenabled()
    gc.disable()
    try:
        verify(good_semaphore())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failing_sibling_branch_stops_the_one_holding_the_lock() -> None:
    """Only a stopped branch can bring a HELD slot to the Parallel's handler here: the
    holder's own failures can only leave it maybe-held, and after the join it is free."""
    holder = {"StartAt": "Acquire", "States": {
        "Acquire": acquire(Next="Hold"),
        "Hold": {"Type": "Wait", "Seconds": 60, "Next": "Release"},
        "Release": release(End=True)}}

    def held_at_handler(sibling: dict[str, Any]) -> list[str]:
        doc = machine({"Both": {"Type": "Parallel", "Branches": [holder, sibling],
                                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}], "Next": "Done"},
                       "Recover": {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}}, start="Both")
        graph = build_graph(doc)
        recognition = recognise(graph)
        (tracked,) = tracked_locks(recognition)
        analysis = analyse(graph, recognition, tracked, recognition.of_kind(OpKind.ACQUIRE))
        recover = analysis.flow.entry["/States/Recover"]
        if not analysis.reach.has(recover, HELD):
            return []
        return [analysis.witness(recover, HELD, from_acquire=True).text]

    assert held_at_handler({"StartAt": "Other Work", "States": {"Other Work": work(End=True)}}) == [
        "Acquire -> Hold -[another branch failed]-> Both -[States.ALL]-> Recover"]
    assert held_at_handler({"StartAt": "Note", "States": {"Note": {"Type": "Pass", "End": True}}}) == []


# -- LOCK-WORK-BOUND


def _waiting_cleanup(seconds: int) -> dict[str, Any]:
    """Release at once for FAILED; wait ``seconds`` first for ABORTED and TIMED_OUT."""
    cleanup = good_cleanup()
    cleanup["StartAt"] = "Stopped?"
    cleanup["States"]["Stopped?"] = {"Type": "Choice", "Default": "Clean", "Choices": [
        {"Variable": "$.detail.status", "StringEquals": "FAILED", "Next": "Clean"}]}
    cleanup["States"]["Stopped?"]["Default"] = "Grace"
    cleanup["States"]["Grace"] = {"Type": "Wait", "Seconds": seconds, "Next": "Clean"}
    return cleanup


def test_work_bound() -> None:
    doc = good_semaphore()
    finding = only(check(doc, cleanup=_waiting_cleanup(60)), "LOCK-WORK-BOUND")
    assert (finding.pointer, finding.severity) == ("/States/Work", "warning")
    assert "without TimeoutSeconds" in finding.message
    doc["States"]["Work"]["TimeoutSeconds"] = 60
    assert "LOCK-WORK-BOUND" not in rules(check(doc, cleanup=_waiting_cleanup(60)))
    short = [f for f in check(doc, cleanup=_waiting_cleanup(59)) if f.rule == "LOCK-WORK-BOUND"]
    assert {(f.document, f.pointer) for f in short} == {("cleanup", "/States/Clean")}
    assert sorted(f.message.split(",")[0] for f in short) == [
        "for an execution that ended ABORTED", "for an execution that ended TIMED_OUT"]
    assert short[0].witness == "Stopped? -[Default]-> Grace -> Clean"
    # a cleanup that never waits
    assert "waiting 0 s" in next(f for f in check(doc) if f.rule == "LOCK-WORK-BOUND").message
    # a timeout read at run time bounds nothing the verifier can know
    doc["States"]["Work"].pop("TimeoutSeconds")
    doc["States"]["Work"]["TimeoutSecondsPath"] = "$.timeout"
    assert "computed at run time" in only(check(doc, cleanup=_waiting_cleanup(60)), "LOCK-WORK-BOUND").message


def test_lock_plumbing_is_not_work() -> None:
    """Tasks that only run once the slot is gone (waking a successor) need no bound."""
    doc = good_semaphore()
    doc["States"]["Work"]["TimeoutSeconds"] = 60
    doc["States"]["Release"]["Next"] = "Notify"
    doc["States"]["Notify"] = work(Next="Done")
    assert "LOCK-WORK-BOUND" not in rules(check(doc, cleanup=_waiting_cleanup(60)))


# -- owners read from the data


def _aliased_semaphore() -> dict[str, Any]:
    """The acquire writes its owner to $.lock; the release reads it from there."""
    doc = good_semaphore()
    doc["States"]["Acquire"].update(ResultSelector={"owner.$": "$$.Execution.Id"}, ResultPath="$.lock")
    doc["States"]["Probe"].update(ResultSelector={"owner.$": "$$.Execution.Id"}, ResultPath="$.lock")
    doc["States"]["Work"]["ResultPath"] = "$.result"
    doc["States"]["Release"] = release(owner="$.lock.owner", Next="Done",
                                       Catch=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                               "Next": "Done"}])
    return doc


def test_an_owner_kept_in_the_data() -> None:
    doc = _aliased_semaphore()
    assert errors(check(doc)) == set()
    # the work's output replaces $.lock: the release no longer names this execution
    overwritten = _aliased_semaphore()
    overwritten["States"]["Work"]["ResultPath"] = "$.lock"
    assert "LOCK-RELEASE" in errors(check(overwritten))
    # by default a Task's result replaces its whole input, $.lock included
    replaced = _aliased_semaphore()
    del replaced["States"]["Work"]["ResultPath"]
    assert "LOCK-RELEASE" in errors(check(replaced))
    # a Pass naming another owner there before the release
    other = _aliased_semaphore()
    other["States"]["Work"]["Next"] = "Rename"
    other["States"]["Rename"] = {"Type": "Pass", "Parameters": {"owner.$": "$.someone"}, "ResultPath": "$.lock",
                                 "Next": "Release"}
    assert "LOCK-RELEASE" in errors(check(other))
