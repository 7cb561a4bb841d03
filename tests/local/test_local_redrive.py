"""RedriveExecution and JSONata evaluation errors on the embedded server, every shim installed."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from localengine_helpers import ROLE_ARN, create_machine, history, start, wait

from local.eventbridge import DETAIL_TYPE
from local.server import LocalServer
from local.shims import redrive
from local.shims.redrive import resume_point

HANDLER = '''
import os

class NotYet(Exception):
    pass

def handler(event, context):
    marker = event.get("marker")
    if marker and not os.path.exists(marker):
        open(marker, "w").close()
        raise NotYet("first attempt fails")
    if event.get("redrives", 0) < event.get("succeed_from", 0):
        raise NotYet("too few redrives")
    return {"ok": True}
'''


LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def _zip(filename: str, source: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(filename, source)
    return archive.getvalue()


@pytest.fixture(scope="module")
def function_arn(server: LocalServer) -> str:
    """The flaky handler, deployed with its role."""
    server.client("iam").create_role(RoleName=ROLE_ARN.rsplit("/", 1)[1],
                                     AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))
    return str(server.client("lambda").create_function(
        FunctionName="flaky", Runtime="python3.12", Role=ROLE_ARN, Handler="flaky.handler", Timeout=5,
        Code={"ZipFile": _zip("flaky.py", HANDLER)})["FunctionArn"])


def _work(function_arn: str, payload: dict[str, Any], next_state: str | None) -> dict[str, Any]:
    """A Lambda Task; the last state of its machine or branch when ``next_state`` is None."""
    follow: dict[str, Any] = {"Next": next_state} if next_state else {"End": True}
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": function_arn, "Payload": payload}, "ResultPath": "$.work", **follow}


def _flaky_machine(function_arn: str) -> dict[str, Any]:
    """First (Pass) -> Work (fails on its first call) -> Last (reports the redrive context)."""
    return {"StartAt": "First", "States": {
        "First": {"Type": "Pass", "Parameters": {"marker.$": "$.marker", "firstSaw.$": "$$.Execution.RedriveCount"},
                  "Next": "Work"},
        "Work": _work(function_arn, {"marker.$": "$.marker"}, "Last"),
        "Last": {"Type": "Pass", "Parameters": {"firstSaw.$": "$.firstSaw", "redrives.$": "$$.Execution.RedriveCount",
                                                "redriveTime.$": "$$.Execution.RedriveTime"}, "End": True}}}


def _entered(server: LocalServer, arn: str, name: str) -> int:
    return sum(1 for e in history(server, arn) if e.get("stateEnteredEventDetails", {}).get("name") == name)


def _types(server: LocalServer, arn: str) -> list[str]:
    return [e["type"] for e in history(server, arn)]


def test_redrive_resumes_at_the_failed_task_with_the_same_arn(server: LocalServer, function_arn: str,
                                                              tmp_path: Path) -> None:
    sfn = server.client("stepfunctions")
    machine = create_machine(server, _flaky_machine(function_arn))
    arn = start(server, machine, {"marker": str(tmp_path / "marker")})
    failed = wait(server, arn)
    assert (failed["status"], failed["error"]) == ("FAILED", "NotYet"), failed
    assert failed["redriveCount"] == 0 and "redriveDate" not in failed and failed["redriveStatus"] == "REDRIVABLE"

    answer = sfn.redrive_execution(executionArn=arn)
    described = wait(server, arn)

    assert described["status"] == "SUCCEEDED", described
    assert described["redriveCount"] == 1 and described["redriveDate"] == answer["redriveDate"]
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=machine)["executions"]] == [arn]
    result = json.loads(described["output"])
    assert result["firstSaw"] == 0 and result["redrives"] == 1  # First ran before the redrive, Last after
    assert result["redriveTime"].endswith("Z")
    assert _entered(server, arn, "First") == 1 and _entered(server, arn, "Work") == 2
    types = _types(server, arn)
    assert types.index("ExecutionFailed") < types.index("ExecutionRedriven") < types.index("ExecutionSucceeded")
    [redriven] = [e for e in history(server, arn) if e["type"] == "ExecutionRedriven"]
    assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
    [entered_again] = [e for e in history(server, arn) if e["id"] > redriven["id"] and e["type"] == "TaskStateEntered"]
    assert json.loads(entered_again["stateEnteredEventDetails"]["input"]) == {
        "marker": str(tmp_path / "marker"), "firstSaw": 0}


def test_redrive_count_grows_with_each_redrive(server: LocalServer, function_arn: str) -> None:
    sfn = server.client("stepfunctions")
    machine = create_machine(server, {"StartAt": "Work", "States": {
        "Work": _work(function_arn, {"redrives.$": "$$.Execution.RedriveCount", "succeed_from": 2}, "Done"),
        "Done": {"Type": "Pass", "Parameters": {"redrives.$": "$$.Execution.RedriveCount"}, "End": True}}})
    arn = start(server, machine)
    assert wait(server, arn)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=arn)
    again = wait(server, arn)
    assert (again["status"], again["redriveCount"]) == ("FAILED", 1)
    sfn.redrive_execution(executionArn=arn)
    described = wait(server, arn)
    assert described["status"] == "SUCCEEDED", described
    assert described["redriveCount"] == 2 and json.loads(described["output"]) == {"redrives": 2}
    counts = [e["executionRedrivenEventDetails"]["redriveCount"] for e in history(server, arn)
              if e["type"] == "ExecutionRedriven"]
    assert counts == [1, 2]


def test_a_never_redriven_execution_sees_redrive_count_zero_and_no_redrive_time(server: LocalServer) -> None:
    machine = create_machine(server, {"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Parameters": {"count.$": "$$.Execution.RedriveCount", "execution.$": "$$.Execution"},
        "End": True}}})
    described = wait(server, start(server, machine))
    result = json.loads(described["output"])
    assert result["count"] == 0 and "RedriveTime" not in result["execution"]
    assert described["redriveCount"] == 0 and described["redriveStatus"] == "NOT_REDRIVABLE"


WAITING = {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 30, "End": True}}}


def test_only_failed_aborted_or_timed_out_executions_are_redriven(server: LocalServer) -> None:
    sfn = server.client("stepfunctions")
    succeeded = wait(server, start(server, create_machine(server, {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "End": True}}})))
    with pytest.raises(ClientError) as refused:
        sfn.redrive_execution(executionArn=succeeded["executionArn"])
    assert refused.value.response["Error"]["Code"] == "ExecutionNotRedrivable"

    arn = start(server, create_machine(server, WAITING))
    with pytest.raises(ClientError) as running:
        sfn.redrive_execution(executionArn=arn)
    assert running.value.response["Error"]["Code"] == "ExecutionNotRedrivable"

    sfn.stop_execution(executionArn=arn)
    assert wait(server, arn)["status"] == "ABORTED"
    sfn.redrive_execution(executionArn=arn)
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    time.sleep(0.3)
    sfn.stop_execution(executionArn=arn)
    assert wait(server, arn, timeout=5)["status"] == "ABORTED"
    types = _types(server, arn)
    assert types.count("ExecutionAborted") == 2 and types.count("WaitStateEntered") == 2
    assert types.index("ExecutionRedriven") == types.index("ExecutionAborted") + 1

    unknown = arn.rsplit(":", 1)[0] + ":no-such-execution"
    with pytest.raises(ClientError) as missing:
        sfn.redrive_execution(executionArn=unknown)
    assert missing.value.response["Error"]["Code"] == "ExecutionDoesNotExist"


def test_a_timed_out_execution_resumes_at_the_timed_out_state(server: LocalServer) -> None:
    sfn = server.client("stepfunctions")
    machine = create_machine(server, {"TimeoutSeconds": 1, "StartAt": "Note", "States": {
        "Note": {"Type": "Pass", "Result": "noted", "ResultPath": "$.note", "Next": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 2, "End": True}}})
    arn = start(server, machine)
    assert wait(server, arn)["status"] == "TIMED_OUT"
    sfn.redrive_execution(executionArn=arn)
    assert wait(server, arn)["status"] == "TIMED_OUT"  # the Wait outlasts the restarted timeout again
    assert _entered(server, arn, "Note") == 1 and _entered(server, arn, "Wait") == 2


def test_a_failed_parallel_is_rerun_whole(server: LocalServer, function_arn: str, tmp_path: Path) -> None:
    """Documented deviation: AWS would re-run only the failed branch."""
    sfn = server.client("stepfunctions")
    machine = create_machine(server, {"StartAt": "Both", "States": {"Both": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Both", "States": {"Both": {"Type": "Pass", "End": True}}},  # named like its parent
            {"StartAt": "Work", "States": {"Work": _work(function_arn, {"marker.$": "$.marker"}, None)}}]}}})
    arn = start(server, machine, {"marker": str(tmp_path / "marker")})
    assert wait(server, arn)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=arn)
    assert wait(server, arn)["status"] == "SUCCEEDED"
    assert [e["type"] for e in history(server, arn)].count("ParallelStateEntered") == 2
    assert _entered(server, arn, "Work") == 2


def test_installing_again_and_undoing_restores_the_patched_attributes(server: LocalServer) -> None:
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
    from moto.stepfunctions.responses import StepFunctionResponse

    def patched() -> tuple[object, ...]:
        return (ExecutionWorker.__dict__["_get_evaluation_environment"], Execution.__dict__["start"],
                StepFunctionResponse.__dict__["describe_execution"], StepFunctionResponse.__dict__["redrive_execution"])

    before = patched()
    undo = redrive.install()
    assert all(now is not then for now, then in zip(patched(), before, strict=True))
    undo()
    assert patched() == before


def test_resume_point_skips_states_inside_parallel_and_map() -> None:
    def entered(kind: str, name: str) -> dict[str, Any]:
        return {"type": f"{kind}StateEntered", "stateEnteredEventDetails": {"name": name, "input": '{"n": 1}'}}

    def exited(kind: str, name: str) -> dict[str, Any]:
        return {"type": f"{kind}StateExited", "stateExitedEventDetails": {"name": name}}

    events = [{"type": "ExecutionStarted"}, entered("Pass", "A"), exited("Pass", "A"), entered("Map", "M"),
              {"type": "MapStateStarted"}, entered("Pass", "M"), exited("Pass", "M"), entered("Task", "A"),
              {"type": "MapStateFailed"}, {"type": "ExecutionFailed"}]
    point = resume_point(events)
    assert point is not None and (point.state_name, point.state_input) == ("M", {"n": 1})
    assert resume_point(events[:3]) is None


def test_a_redriven_execution_ending_badly_is_delivered_again(server: LocalServer) -> None:
    sfn, events = server.client("stepfunctions"), server.client("events")
    # The Wait keeps the first run's RUNNING event ahead of its FAILED one (the emulator reads the
    # status when it publishes); the redrive resumes at Boom, which fails at once.
    watched = create_machine(server, {"StartAt": "Settle", "States": {
        "Settle": {"Type": "Wait", "Seconds": 1, "Next": "Boom"}, "Boom": {"Type": "Fail", "Error": "Boom"}}})
    target = create_machine(server, {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}})
    events.put_rule(Name="redriven-failures", State="ENABLED", EventPattern=json.dumps({
        "source": ["aws.states"], "detail-type": [DETAIL_TYPE],
        "detail": {"stateMachineArn": [watched], "status": ["FAILED"]}}))
    events.put_targets(Rule="redriven-failures", Targets=[{"Id": "t", "Arn": target,
                                                           "RoleArn": "arn:aws:iam::123456789012:role/events"}])
    arn = start(server, watched)
    assert wait(server, arn)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=arn)
    assert wait(server, arn)["status"] == "FAILED"
    assert server.eventbridge is not None and server.eventbridge.drain(timeout=10)
    published = [e["detail"] for e in server.eventbridge.published if e["detail"]["executionArn"] == arn]
    assert [(d["status"], d["redriveCount"]) for d in published] == [
        ("RUNNING", 0), ("FAILED", 0), ("RUNNING", 1), ("FAILED", 1)]
    assert published[-1]["redriveDate"] is not None
    delivered = [d for d in server.eventbridge.deliveries
                 if d.event["detail"]["executionArn"] == arn and d.started is not None]
    assert len(delivered) == 2
    inputs = [json.loads(sfn.describe_execution(executionArn=d.started)["input"]) for d in delivered]
    assert sorted(i["detail"]["redriveCount"] for i in inputs) == [0, 1]


def _jsonata_task(function_arn: str, arguments: str) -> dict[str, Any]:
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": function_arn, "Payload": arguments}}


def test_a_jsonata_error_in_arguments_is_caught_as_query_evaluation_error(server: LocalServer,
                                                                          function_arn: str) -> None:
    machine = create_machine(server, {"QueryLanguage": "JSONata", "StartAt": "Work", "States": {
        "Work": {**_jsonata_task(function_arn, "{% $error('no slot for ' & $states.input.who) %}"),
                 "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Caught",
                            "Output": "{% $states.errorOutput %}"}], "End": True},
        "Caught": {"Type": "Pass", "End": True}}})
    described = wait(server, start(server, machine, {"who": "alice"}))
    assert described["status"] == "SUCCEEDED", described
    caught = json.loads(described["output"])
    assert caught["Error"] == "States.QueryEvaluationError" and "no slot for alice" in caught["Cause"]


def test_a_jsonata_error_in_a_choice_condition_fails_the_execution_by_name(server: LocalServer) -> None:
    machine = create_machine(server, {"QueryLanguage": "JSONata", "StartAt": "Pick", "States": {
        "Pick": {"Type": "Choice", "Choices": [{"Condition": "{% $error('bad condition') %}", "Next": "Done"}],
                 "Default": "Done"},
        "Done": {"Type": "Succeed"}}})
    described = wait(server, start(server, machine))
    assert (described["status"], described["error"]) == ("FAILED", "States.QueryEvaluationError")
    assert "bad condition" in described["cause"]


def test_a_jsonata_error_is_retried_by_states_all(server: LocalServer, function_arn: str) -> None:
    machine = create_machine(server, {"QueryLanguage": "JSONata", "StartAt": "Work", "States": {
        "Work": {**_jsonata_task(function_arn, "{% $error('always') %}"),
                 "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": True}}})
    described = wait(server, start(server, machine))
    assert (described["status"], described["error"]) == ("FAILED", "States.QueryEvaluationError")
    assert _types(server, described["executionArn"]).count("EvaluationFailed") == 2
