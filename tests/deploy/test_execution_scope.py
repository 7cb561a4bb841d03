"""Reads of executions named at run time: deploy grants the semaphore machine's executions only.

``dsl.iam`` reads one definition and cannot tell whose execution a run-time ``ExecutionArn``
names, so it grants ``execution:*``; the catalog says (``describes_executions_of``) that every
execution our machines describe is one of the semaphore machine, and deploy narrows to those.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deployer import build_stack, catalog, policies, prepare
from deployer.resources.role import Role
from dsl import iam

from .conftest import ACCOUNT, tasks_in

P, R, A = iam.PARTITION, iam.REGION, iam.ACCOUNT
DESCRIBE = "states:DescribeExecution"
MACHINE_ROLES = tuple(f"role:machine:{w}" for w in ("dynamodb-semaphore", "dynamodb-semaphore-cleanfromincomplete",
                                                      "dynamodb-semaphore-reconciler", "test-run-semaphore"))


def role_documents(config: Any) -> dict[str, Any]:
    """The policy document of every role, as deploy builds it for ``config`` (no AWS call)."""
    stack = build_stack(config, ACCOUNT, prepare(config))
    return {r.key: r.desired["policies"]["least-privilege"] for r in stack.resources if isinstance(r, Role)}


def resources_of(document: dict[str, Any], action: str) -> list[list[str]]:
    return [s["Resource"] for s in document["Statement"] if action in s["Action"]]


@pytest.mark.parametrize(("options", "executions"), [
    ({}, f"arn:aws:states:us-east-1:{ACCOUNT}:execution:CC-ConcurrencyControlledStateMachine:*"),
    ({"prefix": "Lab2", "region": "cn-north-1"},
     f"arn:aws-cn:states:cn-north-1:{ACCOUNT}:execution:Lab2-ConcurrencyControlledStateMachine:*"),
], ids=["defaults", "other-prefix-and-partition"])
def test_every_machine_describes_only_the_semaphore_executions(make_config: Any, options: dict[str, Any],
                                                               executions: str) -> None:
    documents = role_documents(make_config(**options))
    for key in MACHINE_ROLES:
        assert resources_of(documents[key], DESCRIBE) == [[executions]], key
    assert {r for d in documents.values() for rs in resources_of(d, DESCRIBE) for r in rs} == {executions}
    granted = {r for d in documents.values() for s in d["Statement"] for r in s["Resource"]}
    assert not [r for r in granted if r.endswith(":execution:*")]


def test_the_narrowed_grant_is_a_statement_of_its_own(make_config: Any) -> None:
    """DescribeExecution alone on the semaphore's executions: nothing else rides on the narrowed ARN."""
    for key, document in role_documents(make_config()).items():
        for statement in document["Statement"]:
            if any(":execution:" in r for r in statement["Resource"]):
                assert statement["Action"] == [DESCRIBE], key


def test_the_catalog_names_a_machine_whose_executions_the_readers_can_only_see(generated: Path) -> None:
    """The premises of each row that deploy can check from generated/: the described machine exists
    and holds the lock; the cleanup's rule matches only its executions; the test machine starts only it.
    (That every owner in the lock item is its ``$$.Execution.Id`` is proven by ``python -m dsl verify``.)"""
    rows = {m.key: m.describes_executions_of for m in catalog.MACHINES}
    assert {key: row.machine if row else None for key, row in rows.items()} == dict.fromkeys(rows, "semaphore")
    semaphore = catalog.machine_by_key("semaphore")
    assert semaphore.acquires_lock
    placeholder = f"${{{semaphore.arn_placeholder}}}"
    cleanup_rule = json.loads((generated / "cleanup-rule.json").read_text())
    assert cleanup_rule["Target"] == catalog.machine_by_key("cleanup").file
    assert cleanup_rule["EventPattern"]["detail"]["stateMachineArn"] == [placeholder]
    test_definition = (generated / catalog.test_machine().file).read_text()
    starts = [s for s in tasks_in(json.loads(test_definition)) if ":states:startExecution" in s["Resource"]]
    assert starts and {s["Parameters"]["StateMachineArn"] for s in starts} == {placeholder}
    with pytest.raises(KeyError, match="no machine 'nope'"):
        catalog.machine_by_key("nope")


def test_only_reads_on_any_execution_are_narrowed() -> None:
    """Writes (StopExecution), .sync and Distributed Map grants, and ARNs written in the definition stay."""
    doc = {"StartAt": "Describe", "States": {
        "Describe": _task("aws-sdk:sfn:describeExecution", {"ExecutionArn.$": "$.owner"}),
        "History": _task("aws-sdk:sfn:getExecutionHistory", {"ExecutionArn.$": "$.owner"}),
        "Stop": _task("aws-sdk:sfn:stopExecution", {"ExecutionArn.$": "$.owner"}),
        "Fixed": _task("aws-sdk:sfn:describeExecution",
                       {"ExecutionArn": f"arn:aws:states:us-east-1:{ACCOUNT}:execution:child:x"}),
        "Sync": _task("states:startExecution.sync:2", {"StateMachineArn.$": "$.machine"}),
        "Fan": {"Type": "Map", "End": True, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Child", "States": {"Child": {"Type": "Pass", "End": True}}}},
    }}
    derived = iam.required_permissions(doc)
    scoped = policies.scope_execution_reads(derived, machine_name="M", reason="only M's executions are read")
    mine = f"arn:{P}:states:{R}:{A}:execution:M:*"
    changed = [(p.state, g.actions, g.resources) for p, q in zip(derived, scoped, strict=True)
               for g, h in zip(p.grants, q.grants, strict=True) if g != h]
    assert changed == [("Describe", (DESCRIBE,), (iam.ANY_EXECUTION,)),
                       ("History", ("states:GetExecutionHistory",), (iam.ANY_EXECUTION,))]
    narrowed = [g for p in scoped[:2] for g in p.grants]
    assert [g.resources for g in narrowed] == [(mine,), (mine,)]
    assert all("only M's executions are read" in g.why and "one of M" in g.why for g in narrowed)
    unchanged = [g.resources for p in scoped[2:] for g in p.grants if "states:StopExecution" in g.actions]
    assert unchanged == [(iam.ANY_EXECUTION,), (iam.ANY_EXECUTION,), (f"arn:{P}:states:{R}:{A}:execution:{iam.SELF_NAME}/*",)]


def test_a_machine_without_a_row_keeps_the_wide_grant() -> None:
    doc = {"StartAt": "D", "States": {"D": _task("aws-sdk:sfn:describeExecution", {"ExecutionArn.$": "$.a"})}}
    location = policies.location_values(partition="aws", region="eu-west-1", account=ACCOUNT)
    wide = policies.machine_policy(doc, location)
    assert resources_of(wide, DESCRIBE) == [[f"arn:aws:states:eu-west-1:{ACCOUNT}:execution:*"]]
    narrow = policies.machine_policy(doc, location, reads_executions_of="Other", because="test")
    assert resources_of(narrow, DESCRIBE) == [[f"arn:aws:states:eu-west-1:{ACCOUNT}:execution:Other:*"]]


def _task(integration: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"Type": "Task", "Resource": f"arn:aws:states:::{integration}", "Parameters": parameters, "End": True}
