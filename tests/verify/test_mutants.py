"""Mutation suite: each seeded defect in the semaphore, its cleanup or its rule is caught by the right rule.

Three families are mutated: ours (compiled from ``definitions/`` in the test, so
the current pattern is what is mutated), and the original sample and the
project's counter_lock fixtures (tests/samples.py), each with its reported
defects fixed. Mutants find the states to change by what they do
(acquire, release, work), never by name, so they apply to both.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
from verify_asl import errors, fixed_family, ops, rules, state_at, states_of

from dsl.build import compile_workflow_files
from dsl.graph import EdgeKind, build_graph
from semaphore.verify import verify
from semaphore.verify.lockops import OpKind
from tests.samples import SAMPLES

Family = dict[str, Any]  # {"machine": ..., "cleanup": ... or None, "rule": ...}


def _name(pointer: str) -> str:
    return pointer.rsplit("/States/", 1)[1].replace("~1", "/").replace("~0", "~")


def _scope(doc: dict[str, Any], pointer: str) -> dict[str, Any]:
    base = pointer.rsplit("/States/", 1)[0]
    holder = state_at(doc, base) if base else doc
    states: dict[str, Any] = holder["States"]
    return states


def _redirect(doc: dict[str, Any], target: str, new: str) -> None:
    """Send every transition into the state at ``target`` to the state named ``new``."""
    graph = build_graph(doc)
    for edge in graph.in_edges(target):
        if edge.kind is EdgeKind.NEXT:
            state_at(doc, edge.source)["Next"] = new
        elif edge.kind is EdgeKind.DEFAULT:
            state_at(doc, edge.source)["Default"] = new
        elif edge.kind in (EdgeKind.CATCH, EdgeKind.CHOICE):
            state_at(doc, edge.pointer)["Next"] = new


def _bypass(doc: dict[str, Any], pointer: str) -> None:
    """Remove the state at ``pointer``, sending its callers to where it would have gone."""
    state = state_at(doc, pointer)
    _redirect(doc, pointer, state["Next"])
    del _scope(doc, pointer)[_name(pointer)]
    if doc.get("StartAt") == _name(pointer):
        doc["StartAt"] = state["Next"]


def _top(doc: dict[str, Any], pointer: str) -> str:
    """The top-level state holding ``pointer`` (itself if top-level)."""
    return "/States/" + pointer.split("/States/")[1].split("/")[0]


def _work(doc: dict[str, Any]) -> str:
    return next(p for p, s in states_of(doc).items() if s.get("Resource", "").startswith("arn:aws:states:::lambda"))


def _op(doc: dict[str, Any], kind: OpKind) -> str:
    return ops(doc, kind)[0].node


def _params(doc: dict[str, Any], kind: OpKind) -> dict[str, Any]:
    params: dict[str, Any] = state_at(doc, _op(doc, kind))["Parameters"]
    return params


def _set_owner(params: dict[str, Any], reference: str) -> None:
    """Name the owner of a lock call by ``reference`` (its run-time attribute name)."""
    names = params["ExpressionAttributeNames"]
    (key,) = [k for k in names if k.endswith(".$")]
    names[key] = reference


def release_removed(f: Family) -> None:
    _bypass(f["machine"], _op(f["machine"], OpKind.RELEASE))


def catch_redirected_to_succeed(f: Family) -> None:
    top = _top(f["machine"], _work(f["machine"]))
    f["machine"]["States"]["Gave Up"] = {"Type": "Succeed"}
    state_at(f["machine"], top)["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Gave Up"}]


def release_swallows_errors(f: Family) -> None:
    release = state_at(f["machine"], _op(f["machine"], OpKind.RELEASE))
    release["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": release["Next"]}]


def owner_changed_in_acquire(f: Family) -> None:
    _set_owner(_params(f["machine"], OpKind.ACQUIRE), "$$.Execution.Name")


def _without_status(status: str) -> Callable[[Family], None]:
    def mutate(f: Family) -> None:
        f["rule"]["EventPattern"]["detail"]["status"].remove(status)
    mutate.__name__ = f"rule_missing_{status.lower()}"
    return mutate


def rule_other_source(f: Family) -> None:
    f["rule"]["EventPattern"]["source"] = ["aws.events"]


def rule_missing(f: Family) -> None:
    f["rule"] = None


def cleanup_missing(f: Family) -> None:
    f["cleanup"] = None


def cleanup_other_owner(f: Family) -> None:
    _set_owner(_params(f["cleanup"], OpKind.RELEASE), "$.detail.name")


def cleanup_skips_release(f: Family) -> None:
    _bypass(f["cleanup"], _op(f["cleanup"], OpKind.RELEASE))


def cleanup_release_condition_dropped(f: Family) -> None:
    del _params(f["cleanup"], OpKind.RELEASE)["ConditionExpression"]


def cleanup_read_made_stale(f: Family) -> None:
    for state in states_of(f["cleanup"]).values():
        state.get("Parameters", {}).pop("ConsistentRead", None)


def release_condition_dropped(f: Family) -> None:
    del _params(f["machine"], OpKind.RELEASE)["ConditionExpression"]


def release_without_remove(f: Family) -> None:
    params = _params(f["machine"], OpKind.RELEASE)
    params["UpdateExpression"] = params["UpdateExpression"].split(" REMOVE ")[0]


def acquire_may_take_two_slots(f: Family) -> None:
    """The owner condition dropped from an acquire that is retried after any error."""
    pointer = _op(f["machine"], OpKind.ACQUIRE)
    params = state_at(f["machine"], pointer)["Parameters"]
    params["ConditionExpression"] = re.sub(r"\s+(?:and|AND)\s+attribute_not_exists\([^)]*\)", "",
                                           params["ConditionExpression"])
    state_at(f["machine"], pointer).setdefault("Retry", []).append({"ErrorEquals": ["States.ALL"], "MaxAttempts": 3})


def limit_not_equal(f: Family) -> None:
    params = _params(f["machine"], OpKind.ACQUIRE)
    params["ConditionExpression"] = params["ConditionExpression"].replace("<", "<>")


def limit_at_most(f: Family) -> None:
    params = _params(f["machine"], OpKind.ACQUIRE)
    params["ConditionExpression"] = params["ConditionExpression"].replace("<", "<=")


def failed_acquire_goes_to_work(f: Family) -> None:
    machine = f["machine"]
    work_top = _top(machine, _work(machine))
    state_at(machine, _top(machine, _op(machine, OpKind.ACQUIRE)))["Catch"] = [
        {"ErrorEquals": ["States.ALL"], "Next": _name(work_top)}]


def init_unconditional(f: Family) -> None:
    del _params(f["machine"], OpKind.INIT)["ConditionExpression"]


def probe_unconditional(f: Family) -> None:
    del _params(f["machine"], OpKind.REFRESH)["ConditionExpression"]


def _ops_of(doc: dict[str, Any], kind: OpKind) -> list[str]:
    return [op.node for op in ops(doc, kind)]


def _condition(doc: dict[str, Any], node: str, old: str, new: str) -> None:
    params = state_at(doc, node)["Parameters"]
    assert old in params["ConditionExpression"], params["ConditionExpression"]
    params["ConditionExpression"] = params["ConditionExpression"].replace(old, new)


# -- mutants of the queued design (a hand-off to parked waiters)


def acquire_without_owner(f: Family) -> None:
    params = _params(f["machine"], OpKind.ACQUIRE)
    params["UpdateExpression"] = re.sub(r",\s*#o\.#me = :since", "", params["UpdateExpression"])


def handover_without_holds(f: Family) -> None:
    for node in _ops_of(f["machine"], OpKind.TRANSFER):
        _condition(f["machine"], node, "attribute_exists(#o.#me) AND NOT contains(#w, :me) AND ", "")


def handover_of_a_queued_owner(f: Family) -> None:
    """The hand-off only asks for an entry: a queued owner's entry passes."""
    for node in _ops_of(f["cleanup"], OpKind.TRANSFER):
        _condition(f["cleanup"], node, " AND NOT contains(#w, :me)", "")


def handover_above_a_lowered_limit(f: Family) -> None:
    _condition(f["machine"], _op(f["machine"], OpKind.TRANSFER), " AND #c <= #l", "")


def park_without_owner_guard(f: Family) -> None:
    _condition(f["machine"], _op(f["machine"], OpKind.ENQUEUE), " AND attribute_not_exists(#o.#me)", "")


def timed_out_park_goes_to_work(f: Family) -> None:
    machine = f["machine"]
    state_at(machine, _op(machine, OpKind.ENQUEUE))["Catch"][0]["Next"] = _name(_work(machine))


def queued_probe_taken_for_holding(f: Family) -> None:
    """The probe that only asks "is my entry there?" (true while queued) is trusted as holding."""
    machine = f["machine"]
    probe = next(n for n in _ops_of(machine, OpKind.REFRESH)
                 if state_at(machine, n)["Parameters"]["ConditionExpression"] == "attribute_exists(#o.#me)")
    state_at(machine, probe)["Next"] = _name(_work(machine))


def granted_probe_weakened(f: Family) -> None:
    """The ownership probe after a park no longer excludes being queued."""
    machine = f["machine"]
    probe = next(n for n in _ops_of(machine, OpKind.REFRESH) if "$$.Execution.Id" in json.dumps(state_at(machine, n)))
    _condition(machine, probe, " AND NOT contains(#w, :me)", "")


def cleanup_reads_wrong_owner(f: Family) -> None:
    """The cleanup puts the execution's name, not its ARN, where its releases read the owner."""
    cleanup = f["cleanup"]
    (start,) = [s for p, s in states_of(cleanup).items() if s["Type"] == "Pass" and "Parameters" in s]
    start["Parameters"] = {key: "$.detail.name" for key in start["Parameters"]}


def failure_path_without_release(f: Family) -> None:
    """A failed worker goes straight to Fail, and the rule no longer covers FAILED executions."""
    machine = f["machine"]
    fail = next(name for name, s in machine["States"].items() if s["Type"] == "Fail")
    state_at(machine, _top(machine, _work(machine)))["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": fail}]
    f["rule"]["EventPattern"]["detail"]["status"].remove("FAILED")


def work_without_timeout(f: Family) -> None:
    del state_at(f["machine"], _work(f["machine"]))["TimeoutSeconds"]


def cleanup_waits_too_little(f: Family) -> None:
    (wait,) = [s for s in states_of(f["cleanup"]).values() if s["Type"] == "Wait"]
    wait["Seconds"] = 10


def cleanup_releases_stopped_at_once(f: Family) -> None:
    (choice,) = [s for s in states_of(f["cleanup"]).values() if s["Type"] == "Choice"
                 and "$.detail.status" in json.dumps(s)]
    choice["Choices"][0]["Next"] = choice["Default"]


MUTANTS: list[tuple[Callable[[Family], None], str]] = [
    (release_removed, "LOCK-RELEASE"),
    (catch_redirected_to_succeed, "LOCK-RELEASE"),
    (release_swallows_errors, "LOCK-RELEASE"),
    (owner_changed_in_acquire, "LOCK-RELEASE"),
    (_without_status("ABORTED"), "LOCK-CLEANUP-RULE"),
    (_without_status("TIMED_OUT"), "LOCK-CLEANUP-RULE"),
    (_without_status("FAILED"), "LOCK-CLEANUP-RULE"),
    (rule_other_source, "LOCK-CLEANUP-RULE"),
    (rule_missing, "LOCK-CLEANUP-RULE"),
    (cleanup_missing, "LOCK-CLEANUP"),
    (cleanup_other_owner, "LOCK-CLEANUP"),
    (cleanup_skips_release, "LOCK-CLEANUP"),
    (cleanup_release_condition_dropped, "LOCK-UNDERFLOW"),
    (release_condition_dropped, "LOCK-UNDERFLOW"),
    (release_without_remove, "LOCK-UNDERFLOW"),
    (acquire_may_take_two_slots, "LOCK-DOUBLE"),
    (limit_not_equal, "LOCK-LIMIT"),
    (limit_at_most, "LOCK-LIMIT"),
    (failed_acquire_goes_to_work, "LOCK-UNGUARDED"),
]
# Mutants of parts only one design has (the counter layout of the seed and counter_lock, or ours).
SEED_ONLY = [(cleanup_read_made_stale, "LOCK-STALE-READ"), (init_unconditional, "LOCK-INIT")]
OURS_ONLY = [
    (probe_unconditional, "LOCK-OWNER"),
    (acquire_without_owner, "LOCK-OWNER"),
    (handover_without_holds, "LOCK-UNDERFLOW"),
    (handover_of_a_queued_owner, "LOCK-UNDERFLOW"),
    (handover_above_a_lowered_limit, "LOCK-LIMIT"),
    (park_without_owner_guard, "LOCK-DOUBLE"),
    (timed_out_park_goes_to_work, "LOCK-UNGUARDED"),
    (queued_probe_taken_for_holding, "LOCK-UNGUARDED"),
    (granted_probe_weakened, "LOCK-UNGUARDED"),
    (cleanup_reads_wrong_owner, "LOCK-CLEANUP"),
    (failure_path_without_release, "LOCK-CLEANUP-RULE"),
    (work_without_timeout, "LOCK-WORK-BOUND"),
    (cleanup_waits_too_little, "LOCK-WORK-BOUND"),
    (cleanup_releases_stopped_at_once, "LOCK-WORK-BOUND"),
]


@pytest.fixture(scope="module")
def compiled() -> dict[str, dict[str, Any]]:
    """Our documents, compiled from definitions/ (the current pattern, whatever generated/ holds)."""
    return compile_workflow_files(REPO / "definitions")


def _ours(compiled: dict[str, dict[str, Any]]) -> Family:
    return copy.deepcopy({"machine": compiled["dynamodb-semaphore.asl.json"],
                          "cleanup": compiled["dynamodb-semaphore-cleanfromincomplete.asl.json"],
                          "rule": compiled["cleanup-rule.json"]})


def _counter_layout(request: pytest.FixtureRequest, name: str) -> Family:
    """The seed or counter_lock family with its defects fixed (the seed skips when absent)."""
    sample = next(s for s in SAMPLES if s.name == name)
    machine, cleanup, rule = fixed_family(sample.folder(request), sample.semaphore, sample.cleanup)
    return {"machine": machine, "cleanup": cleanup, "rule": rule}


def _family(request: pytest.FixtureRequest, compiled: dict[str, dict[str, Any]], name: str) -> Family:
    return _ours(compiled) if name == "ours" else _counter_layout(request, name)


def _verify(family: Family) -> set[str]:
    """Every rule reported (errors, and warnings such as LOCK-WORK-BOUND)."""
    return rules(verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"]))


@pytest.fixture(params=["ours", "seed", "counter_lock"])
def family(request: pytest.FixtureRequest, compiled: dict[str, dict[str, Any]]) -> Family:
    return _family(request, compiled, request.param)


def test_unmutated_families_verify(family: Family) -> None:
    found = verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"])
    assert errors(found) == set()


def _reconciler_waiting(reconciler: dict[str, Any], seconds: int) -> dict[str, Any]:
    """``reconciler`` with a Wait of ``seconds`` before each release it decides on (a Choice's Default)."""
    fixed = copy.deepcopy(reconciler)
    releasing = {op.node for kind in (OpKind.RELEASE, OpKind.TRANSFER) for op in ops(fixed, kind)}
    for pointer, state in list(states_of(fixed).items()):
        target = pointer.rsplit("/States/", 1)[0] + "/States/" + str(state.get("Default", ""))
        if state["Type"] == "Choice" and target in releasing:
            wait = f"Wait Out {state['Default']}"
            _scope(fixed, pointer)[wait] = {"Type": "Wait", "Seconds": seconds, "Next": state["Default"]}
            state["Default"] = wait
    return fixed


def test_our_family_with_its_reconciler(compiled: dict[str, dict[str, Any]]) -> None:
    family = _ours(compiled)
    reconciler, schedule = compiled["dynamodb-semaphore-reconciler.asl.json"], compiled["reconciler-rule.json"]
    alone = verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"])
    # without a reconciler, nothing covers the cleanup failing
    assert [(f.rule, f.severity) for f in alone] == [("LOCK-CLEANUP-FAIL", "warning")]
    found = verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"], reconciler=reconciler,
                   schedule=schedule)
    # the reconciler covers it; releasing a waiter popped from the queue head at once is fine
    # (a queued execution has no work running), so nothing remains
    assert found == []
    work = state_at(family["machine"], _work(family["machine"]))["TimeoutSeconds"]
    assert verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"],
                  reconciler=_reconciler_waiting(reconciler, work), schedule=schedule) == []
    # its grace for a stopped owner one second shorter than the work: flagged
    hurried = copy.deepcopy(reconciler)
    graces = [state for state in states_of(hurried).values()
              if state["Type"] == "Wait" and state.get("Seconds") == work]
    assert graces, "expected the reconciler's stop grace"
    for state in graces:
        state["Seconds"] = work - 1
    short = verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"], reconciler=hurried,
                   schedule=schedule)
    assert {(f.rule, f.document) for f in short} == {("LOCK-WORK-BOUND", "reconciler")}
    # the hand-off's release of an ended queue head is exempt only because it came from the queue:
    # read from elsewhere, the same release without a wait is flagged
    elsewhere = copy.deepcopy(reconciler)
    for state in states_of(elsewhere).values():
        selector = state.get("ResultSelector") or {}
        if selector.get("owner.$", "").startswith("$.Attributes.lockwaiters"):
            selector["owner.$"] = "$.Attributes.lockowners"
    assert {(f.rule, f.document) for f in verify(
        family["machine"], cleanup=family["cleanup"], rule=family["rule"], reconciler=elsewhere,
        schedule=schedule)} >= {("LOCK-WORK-BOUND", "reconciler")}
    unscheduled = verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"],
                         reconciler=_reconciler_waiting(reconciler, work), schedule={**schedule, "State": "DISABLED"})
    assert [f.rule for f in unscheduled] == ["LOCK-CLEANUP-FAIL"]


def test_the_reconciler_alone_verifies(compiled: dict[str, dict[str, Any]]) -> None:
    reconciler = compiled["dynamodb-semaphore-reconciler.asl.json"]
    assert verify(reconciler) == []
    kinds = sorted(op.kind.value for kind in OpKind for op in ops(reconciler, kind))
    assert kinds == ["read", "refresh", "release", "transfer"]
    weakened = copy.deepcopy(reconciler)
    _condition(weakened, _op(weakened, OpKind.TRANSFER), " AND NOT contains(#w, :me)", "")
    assert "LOCK-UNDERFLOW" in errors(verify(weakened))


@pytest.mark.parametrize(("mutate", "rule"), MUTANTS, ids=[m.__name__ for m, _ in MUTANTS])
def test_mutant_is_caught(family: Family, mutate: Callable[[Family], None], rule: str) -> None:
    mutant = copy.deepcopy(family)
    mutate(mutant)
    assert mutant != family, "the mutation changed nothing"
    assert rule in _verify(mutant)


ONE_FAMILY = [(s.name, m, r) for s in SAMPLES for m, r in SEED_ONLY] + [("ours", m, r) for m, r in OURS_ONLY]


@pytest.mark.parametrize(("name", "mutate", "rule"), ONE_FAMILY, ids=[f"{n}-{m.__name__}" for n, m, _ in ONE_FAMILY])
def test_family_specific_mutant_is_caught(compiled: dict[str, dict[str, Any]], request: pytest.FixtureRequest,
                                          name: str, mutate: Callable[[Family], None], rule: str) -> None:
    mutant = _family(request, compiled, name)
    before = json.dumps(mutant, sort_keys=True)
    mutate(mutant)
    assert json.dumps(mutant, sort_keys=True) != before, "the mutation changed nothing"
    assert rule in _verify(mutant)
