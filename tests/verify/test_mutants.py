"""Mutation suite: each seeded defect in the semaphore, its cleanup or its rule is caught by the right rule.

Two families are mutated: ours (``generated/``) and the original sample with its
reported defects fixed. Mutants find the states to change by what they do
(acquire, release, work), never by name, so they apply to both.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from verify_asl import errors, fixed_seed, load_family, ops, state_at, states_of

from dsl.graph import EdgeKind, build_graph
from dsl.verify import verify
from dsl.verify.lockops import OpKind

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
    _params(f["machine"], OpKind.ACQUIRE)["ExpressionAttributeNames"]["#lockownerid.$"] = "$$.Execution.Name"


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
    _params(f["cleanup"], OpKind.RELEASE)["ExpressionAttributeNames"]["#lockownerid.$"] = "$.detail.name"


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
    params["ConditionExpression"] = params["ConditionExpression"].replace(
        "and attribute_not_exists(#lockownerid)", "").replace("AND attribute_not_exists(#lockownerid)", "")
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
# Mutants of parts only one family has.
SEED_ONLY = [(cleanup_read_made_stale, "LOCK-STALE-READ"), (init_unconditional, "LOCK-INIT")]
GENERATED_ONLY = [(probe_unconditional, "LOCK-OWNER")]


def _generated(repo: Path) -> Family:
    folder = repo / "generated"
    if not (folder / "dynamodb-semaphore.asl.json").is_file():
        pytest.fail(f"{folder} has no dynamodb-semaphore.asl.json; run python -m dsl build")
    machine, cleanup, rule = load_family(folder)
    return {"machine": machine, "cleanup": cleanup, "rule": rule}


def _seed(seed_dir: Path) -> Family:
    machine, cleanup, rule = fixed_seed(seed_dir)
    return {"machine": machine, "cleanup": cleanup, "rule": rule}


def _verify(family: Family) -> set[str]:
    return errors(verify(family["machine"], cleanup=family["cleanup"], rule=family["rule"]))


@pytest.fixture(params=["generated", "seed"])
def family(request: pytest.FixtureRequest, repo: Path, seed_dir: Path) -> Family:
    return _generated(repo) if request.param == "generated" else _seed(seed_dir)


def test_unmutated_families_verify(family: Family) -> None:
    assert _verify(family) == set()


@pytest.mark.parametrize(("mutate", "rule"), MUTANTS, ids=[m.__name__ for m, _ in MUTANTS])
def test_mutant_is_caught(family: Family, mutate: Callable[[Family], None], rule: str) -> None:
    mutant = copy.deepcopy(family)
    mutate(mutant)
    assert mutant != family, "the mutation changed nothing"
    assert rule in _verify(mutant)


ONE_FAMILY = [("seed", m, r) for m, r in SEED_ONLY] + [("generated", m, r) for m, r in GENERATED_ONLY]


@pytest.mark.parametrize(("name", "mutate", "rule"), ONE_FAMILY, ids=[f"{n}-{m.__name__}" for n, m, _ in ONE_FAMILY])
def test_family_specific_mutant_is_caught(repo: Path, seed_dir: Path, name: str, mutate: Callable[[Family], None],
                                          rule: str) -> None:
    mutant = _generated(repo) if name == "generated" else _seed(seed_dir)
    before = json.dumps(mutant, sort_keys=True)
    mutate(mutant)
    assert json.dumps(mutant, sort_keys=True) != before, "the mutation changed nothing"
    assert rule in _verify(mutant)
