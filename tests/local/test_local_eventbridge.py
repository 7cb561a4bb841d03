"""EventBridge emulation: status-change events, rules read from moto, deliveries and their faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from localengine_helpers import create_machine, start, wait

from local.eventbridge import DETAIL_TYPE, EventFaults
from local.server import LocalServer

WATCHED = {"StartAt": "Fail?", "States": {
    "Fail?": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Fail"},
                                            {"Variable": "$.wait", "IsPresent": True, "Next": "Wait"}],
              "Default": "Done"},
    "Wait": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Done"},
    "Fail": {"Type": "Fail", "Error": "Boom", "Cause": "asked to fail"},
    "Done": {"Type": "Succeed"}}}
ECHO = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}


@pytest.fixture(scope="module")
def machines(server: LocalServer) -> dict[str, str]:
    watched, target = create_machine(server, WATCHED, "watched"), create_machine(server, ECHO, "target")
    events = server.client("events")
    events.put_rule(Name="on-failure", State="ENABLED", EventPattern=json.dumps({
        "source": ["aws.states"], "detail-type": [DETAIL_TYPE],
        "detail": {"stateMachineArn": [watched], "status": ["FAILED", "TIMED_OUT", "ABORTED"]}}))
    events.put_targets(Rule="on-failure", Targets=[{"Id": "t", "Arn": target,
                                                    "RoleArn": "arn:aws:iam::123456789012:role/events"}])
    return {"watched": watched, "target": target}


@pytest.fixture(autouse=True)
def normal_delivery(server: LocalServer) -> Iterator[None]:
    assert server.eventbridge is not None
    server.eventbridge.faults = EventFaults()
    yield
    server.eventbridge.faults = EventFaults()


def _deliveries_for(server: LocalServer, target: str, source_arn: str) -> list[dict[str, Any]]:
    """Inputs of the target executions started for ``source_arn``'s events."""
    assert server.eventbridge is not None
    server.eventbridge.drain(timeout=10)
    sfn = server.client("stepfunctions")
    inputs = []
    for execution in sfn.list_executions(stateMachineArn=target)["executions"]:
        wait(server, execution["executionArn"])
        document = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
        if document.get("detail", {}).get("executionArn") == source_arn:
            inputs.append(document)
    return inputs


def _run_watched(server: LocalServer, machines: dict[str, str], document: dict[str, Any]) -> dict[str, Any]:
    return wait(server, start(server, machines["watched"], document))


def test_a_failed_execution_starts_the_target_with_the_aws_event(server: LocalServer,
                                                                 machines: dict[str, str]) -> None:
    failed = _run_watched(server, machines, {"fail": True})
    [event] = _deliveries_for(server, machines["target"], failed["executionArn"])
    assert {k: event[k] for k in ("version", "detail-type", "source", "account", "region", "resources")} == {
        "version": "0", "detail-type": DETAIL_TYPE, "source": "aws.states", "account": "123456789012",
        "region": "us-east-1", "resources": [failed["executionArn"]]}
    detail = event["detail"]
    assert detail["executionArn"] == failed["executionArn"]
    assert detail["stateMachineArn"] == machines["watched"]
    assert (detail["status"], detail["error"], detail["cause"]) == ("FAILED", "Boom", "asked to fail")
    assert detail["name"] == failed["name"] and json.loads(detail["input"]) == {"fail": True}
    assert isinstance(detail["startDate"], int) and detail["stopDate"] >= detail["startDate"]
    assert detail["output"] is None


def test_a_succeeded_execution_matches_no_failure_rule(server: LocalServer, machines: dict[str, str]) -> None:
    succeeded = _run_watched(server, machines, {})
    assert succeeded["status"] == "SUCCEEDED"
    assert _deliveries_for(server, machines["target"], succeeded["executionArn"]) == []


def test_a_stopped_execution_is_delivered_as_aborted(server: LocalServer, machines: dict[str, str]) -> None:
    arn = start(server, machines["watched"], {"wait": 30})
    time.sleep(0.3)
    server.client("stepfunctions").stop_execution(executionArn=arn)
    assert wait(server, arn)["status"] == "ABORTED"
    [event] = _deliveries_for(server, machines["target"], arn)
    assert event["detail"]["status"] == "ABORTED"


def test_a_disabled_rule_delivers_nothing(server: LocalServer, machines: dict[str, str]) -> None:
    events = server.client("events")
    events.disable_rule(Name="on-failure")
    try:
        failed = _run_watched(server, machines, {"fail": True})
        assert _deliveries_for(server, machines["target"], failed["executionArn"]) == []
    finally:
        events.enable_rule(Name="on-failure")


def test_lost_duplicated_and_delayed_events(server: LocalServer, machines: dict[str, str]) -> None:
    assert server.eventbridge is not None
    server.eventbridge.faults = EventFaults(lose=lambda event: True)
    lost = _run_watched(server, machines, {"fail": True})
    assert _deliveries_for(server, machines["target"], lost["executionArn"]) == []
    assert any(e["detail"]["executionArn"] == lost["executionArn"] for e in server.eventbridge.lost)

    server.eventbridge.faults = EventFaults(duplicate=lambda event: 1)
    doubled = _run_watched(server, machines, {"fail": True})
    assert len(_deliveries_for(server, machines["target"], doubled["executionArn"])) == 2

    server.eventbridge.faults = EventFaults(delay=lambda event: 1.5)
    delayed = _run_watched(server, machines, {"fail": True})
    stopped = delayed["stopDate"].timestamp()
    assert _deliveries_for(server, machines["target"], delayed["executionArn"])
    [delivery] = [d for d in server.eventbridge.deliveries if d.event["detail"]["executionArn"] == delayed["executionArn"]]
    assert delivery.time - stopped >= 1.5


def test_a_scheduled_rule_fires_its_target(server: LocalServer, machines: dict[str, str]) -> None:
    assert server.eventbridge is not None
    events = server.client("events")
    events.put_rule(Name="every-minute", ScheduleExpression="rate(1 minute)", State="ENABLED")
    events.put_targets(Rule="every-minute", Targets=[{"Id": "t", "Arn": machines["target"]}])
    try:
        before = len(server.client("stepfunctions").list_executions(stateMachineArn=machines["target"])["executions"])
        assert server.eventbridge.fire_schedules() == 1
        runs = server.client("stepfunctions").list_executions(stateMachineArn=machines["target"])["executions"]
        assert len(runs) == before + 1
        scheduled = json.loads(server.client("stepfunctions").describe_execution(
            executionArn=runs[0]["executionArn"])["input"])
        assert (scheduled["detail-type"], scheduled["source"]) == ("Scheduled Event", "aws.events")
    finally:
        events.remove_targets(Rule="every-minute", Ids=["t"])
        events.delete_rule(Name="every-minute")


def test_stopped_schedules_start_nothing_more(server: LocalServer, machines: dict[str, str]) -> None:
    """A settled local run stops the schedule, so no reconciler starts after it counted the cleanups."""
    assert server.eventbridge is not None
    events = server.client("events")
    sfn = server.client("stepfunctions")
    events.put_rule(Name="often", ScheduleExpression="rate(1 minute)", State="ENABLED")
    events.put_targets(Rule="often", Targets=[{"Id": "t", "Arn": machines["target"]}])
    try:
        server.eventbridge.run_schedules_every(0.05)
        time.sleep(0.3)
        server.eventbridge.stop_schedules()
        stopped = len(sfn.list_executions(stateMachineArn=machines["target"])["executions"])
        assert stopped >= 1
        time.sleep(0.3)
        assert len(sfn.list_executions(stateMachineArn=machines["target"])["executions"]) == stopped
    finally:
        events.remove_targets(Rule="often", Ids=["t"])
        events.delete_rule(Name="often")
