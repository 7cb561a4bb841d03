"""Each executor shim against moto's real ASL executor: the gap without it, AWS's behaviour with it."""

from __future__ import annotations

import json
import re
import time

import pytest
from botocore.exceptions import ClientError
from localengine_helpers import (
    create_lock_table,
    create_machine,
    history,
    installed,
    run,
    start,
    wait,
)

from local.server import LocalServer
from local.shims import (
    api_casing,
    context_timestamps,
    definite_paths,
    execution_names,
    inline_map_concurrency,
    interruptible_retry,
    jsonata_errors,
    jsonata_python,
    runtime_errors,
    starting_executions,
    string_output,
    task_token_per_attempt,
)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AWS_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


@pytest.fixture(scope="module")
def server(bare_server: LocalServer) -> LocalServer:
    create_lock_table(bare_server, "locks")
    return bare_server


def output(described: dict) -> object:
    return json.loads(described["output"])


def test_unnamed_executions_are_named_with_uuids(server: LocalServer) -> None:
    machine = create_machine(server, PASS)
    with installed(execution_names):
        first, second = start(server, machine), start(server, machine)
    assert first != second
    assert UUID.match(first.rsplit(":", 1)[1]) and UUID.match(second.rsplit(":", 1)[1])


def test_without_shim_unnamed_executions_collide(server: LocalServer) -> None:
    machine = create_machine(server, PASS)
    first = start(server, machine)
    assert first.endswith(":None")
    wait(server, first)
    with pytest.raises(ClientError, match="ExecutionAlreadyExists"):
        start(server, machine)


def _parent_of(child_arn: str) -> dict:
    return {"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child_arn, "Input": {"x": 1}}, "End": True}}}


def test_start_execution_sync2_takes_pascal_case_and_returns_it(server: LocalServer) -> None:
    child = create_machine(server, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1},
                                                                          "End": True}}})
    with installed(execution_names, api_casing):
        described = run(server, _parent_of(child))
    assert described["status"] == "SUCCEEDED", described
    result = output(described)
    assert result["Status"] == "SUCCEEDED" and result["Output"] == {"ok": 1} and result["Input"] == {"x": 1}
    assert result["ExecutionArn"].startswith(child.replace(":stateMachine:", ":execution:"))


def test_without_shim_start_execution_fails_on_input_casing(server: LocalServer) -> None:
    child = create_machine(server, PASS)
    with installed(execution_names):
        described = run(server, _parent_of(child))
    # boto3's serializer meets a PascalCase name it does not know (KeyError 'Input' or 'StateMachineArn').
    assert (described["status"], described["error"]) == ("FAILED", "States.Runtime")
    assert re.search(r"'(Input|StateMachineArn)'$", described["cause"]), described["cause"]


def test_wait_for_task_token_is_woken_by_aws_sdk_send_task_success(server: LocalServer) -> None:
    waker = create_machine(server, {"StartAt": "Wake", "States": {"Wake": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess",
        "Parameters": {"TaskToken.$": "$.token", "Output": "{\"woken\": true}"}, "End": True}}})
    parker = {"StartAt": "Park", "States": {"Park": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
        "Parameters": {"StateMachineArn": waker, "Input": {"token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 20, "End": True}}}
    with installed(execution_names, api_casing):
        described = run(server, parker)
    assert described["status"] == "SUCCEEDED", described
    assert output(described) == {"woken": True}


def _retried_child_parent(server: LocalServer) -> dict:
    child = create_machine(server, {"StartAt": "First?", "States": {
        "First?": {"Type": "Choice", "Choices": [{"Variable": "$.attempt", "NumericEquals": 0, "Next": "Fail"}],
                   "Default": "Done"},
        "Fail": {"Type": "Fail", "Error": "FirstTry"},
        "Done": {"Type": "Pass", "Result": "second try", "End": True}}})
    return {"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child, "Input": {"attempt.$": "$$.State.RetryCount"}},
        "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 1}],
        "End": True}}}


def test_a_retried_sync_task_waits_for_its_new_child(server: LocalServer) -> None:
    parent = _retried_child_parent(server)
    with installed(execution_names, api_casing, string_output, task_token_per_attempt):
        described = run(server, parent)
    assert described["status"] == "SUCCEEDED", described
    assert output(described)["Output"] == "second try"


def test_without_shim_a_retried_sync_task_times_out_at_once(server: LocalServer) -> None:
    parent = _retried_child_parent(server)
    with installed(execution_names, api_casing, string_output):
        described = run(server, parent)
    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")


def test_describe_execution_reports_a_string_output_as_json(server: LocalServer) -> None:
    machine = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "done", "End": True}}}
    with installed(string_output):
        assert run(server, machine)["output"] == '"done"'
    assert run(server, machine)["output"] == "done"  # without the shim: not JSON


CONTEXT_TIMES = {"StartAt": "P", "States": {"P": {
    "Type": "Pass", "Parameters": {"entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime"},
    "End": True}}}


def test_context_timestamps_are_written_as_aws_does(server: LocalServer) -> None:
    with installed(context_timestamps):
        described = run(server, CONTEXT_TIMES)
    times = output(described)
    assert AWS_TIMESTAMP.match(times["entered"]) and AWS_TIMESTAMP.match(times["started"]), times


def test_without_shim_entered_time_lacks_z_and_start_time_breaks_describe(server: LocalServer) -> None:
    arn = start(server, create_machine(server, CONTEXT_TIMES))
    time.sleep(0.5)
    entered = json.loads(history(server, arn)[-1]["executionSucceededEventDetails"]["output"])["entered"]
    assert entered.endswith("+00:00")
    with pytest.raises(ClientError, match="500"):
        server.client("stepfunctions").describe_execution(executionArn=arn)


MISSING_ITEM_SELECTED = {"StartAt": "Get", "States": {
    "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "locks", "Key": {"LockName": {"S": "absent"}}},
            "ResultSelector": {"Item.$": "$.Item"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": True},
    "Caught": {"Type": "Pass", "End": True}}}


def _schedules(server: LocalServer, execution_arn: str) -> int:
    return sum(1 for e in history(server, execution_arn) if e["type"] == "TaskScheduled")


def test_a_failed_result_selector_is_a_terminal_runtime_error(server: LocalServer) -> None:
    with installed(runtime_errors):
        described = run(server, MISSING_ITEM_SELECTED)
    assert (described["status"], described["error"]) == ("FAILED", "States.Runtime")
    assert _schedules(server, described["executionArn"]) == 1


def test_without_shim_a_failed_result_selector_is_retried_and_caught(server: LocalServer) -> None:
    described = run(server, MISSING_ITEM_SELECTED)
    assert described["status"] == "SUCCEEDED"
    assert _schedules(server, described["executionArn"]) == 3


INDEXED = {"StartAt": "P", "States": {"P": {
    "Type": "Pass", "Parameters": {"first.$": "$.Messages[0].Body", "all.$": "$.Messages[*].Body"}, "End": True}}}
MESSAGES = {"Messages": [{"Body": "hello"}, {"Body": "world"}]}


def test_an_indexed_path_selects_the_value(server: LocalServer) -> None:
    with installed(definite_paths):
        described = run(server, INDEXED, MESSAGES)
    assert output(described) == {"first": "hello", "all": ["hello", "world"]}


def test_without_shim_an_indexed_path_yields_a_list(server: LocalServer) -> None:
    assert output(run(server, INDEXED, MESSAGES))["first"] == ["hello"]


JSONATA = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {
    "Type": "Pass", "Output": "{% {'sum': $states.input.a + 1, 'upper': $uppercase($states.input.s)} %}",
    "End": True}}}


def test_jsonata_is_evaluated(server: LocalServer) -> None:
    with installed(jsonata_python):
        described = run(server, JSONATA, {"a": 1, "s": "x"})
    assert output(described) == {"sum": 2, "upper": "X"}


def test_without_shim_jsonata_fails(server: LocalServer) -> None:
    described = run(server, JSONATA, {"a": 1, "s": "x"})
    assert described["status"] == "FAILED"


RETRYING = {"StartAt": "Get", "States": {"Get": {
    "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
    "Parameters": {"TableName": "no-such-table", "Key": {"LockName": {"S": "x"}}},
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 2}], "End": True}}}


def _stop_during_retry_interval(server: LocalServer) -> tuple[str, float]:
    arn = start(server, create_machine(server, RETRYING))
    deadline = time.time() + 10
    while not any(e["type"] == "TaskFailed" for e in history(server, arn)) and time.time() < deadline:
        time.sleep(0.05)
    server.client("stepfunctions").stop_execution(executionArn=arn)
    return arn, time.time()


def test_stop_execution_ends_a_retry_interval_at_once(server: LocalServer) -> None:
    with installed(interruptible_retry):
        arn, stopped = _stop_during_retry_interval(server)
        described = wait(server, arn, timeout=5)
    assert described["status"] == "ABORTED"
    assert time.time() - stopped < 3


def test_without_shim_a_stopped_execution_sleeps_out_its_retry_interval(server: LocalServer) -> None:
    arn, _ = _stop_during_retry_interval(server)
    time.sleep(2)
    assert server.client("stepfunctions").describe_execution(executionArn=arn)["status"] == "RUNNING"


MAP_45 = {"StartAt": "Items", "States": {
    "Items": {"Type": "Pass", "Parameters": {"items.$": "States.ArrayRange(1, 45, 1)"}, "Next": "Map"},
    "Map": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 0,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "W",
                              "States": {"W": {"Type": "Wait", "Seconds": 2, "End": True}}},
            "End": True}}}


def _started_before_first_finished(server: LocalServer) -> int:
    described = run(server, MAP_45, timeout=60)
    assert described["status"] == "SUCCEEDED", described
    events = history(server, described["executionArn"])
    first_end = min(e["id"] for e in events if e["type"] == "MapIterationSucceeded")
    return sum(1 for e in events if e["type"] == "MapIterationStarted" and e["id"] < first_end)


def test_an_inline_map_runs_at_most_40_iterations_at_once(server: LocalServer) -> None:
    with installed(inline_map_concurrency):
        assert _started_before_first_finished(server) == 40


def test_without_shim_an_inline_map_runs_every_iteration_at_once(server: LocalServer) -> None:
    assert _started_before_first_finished(server) == 45


def _starting_execution(server: LocalServer, machine_arn: str) -> object:
    """An execution registered with its machine but not started yet, as moto has it for a moment
    inside StartExecution."""
    from moto.stepfunctions.parser.backend.execution import Execution
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    backend = stepfunctions_parser_backends["123456789012"][server.region]
    machine = next(m for m in backend.state_machines if m.arn == machine_arn)
    starting = object.__new__(Execution)
    starting.exec_status, starting.exec_worker = None, None
    machine.executions.append(starting)
    return machine, starting


def test_a_starting_execution_does_not_break_task_callbacks(server: LocalServer) -> None:
    machine_arn = create_machine(server, PASS)
    machine, starting = _starting_execution(server, machine_arn)
    sfn = server.client("stepfunctions")
    try:
        with installed(starting_executions), pytest.raises(ClientError) as refused:
            sfn.send_task_success(taskToken="no-such-token", output="{}")
        assert refused.value.response["Error"]["Code"] == "InvalidToken"  # the answer for an unknown token
    finally:
        machine.executions.remove(starting)


def test_without_shim_a_starting_execution_fails_task_callbacks(server: LocalServer) -> None:
    machine_arn = create_machine(server, PASS)
    machine, starting = _starting_execution(server, machine_arn)
    sfn = server.client("stepfunctions")
    try:
        with pytest.raises(ClientError) as failed:
            sfn.send_task_success(taskToken="no-such-token", output="{}")
        assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    finally:
        machine.executions.remove(starting)


FAILING = {"StartAt": "Fail", "States": {"Fail": {"Type": "Fail", "Error": "Boom", "Cause": "on purpose"}}}


def test_without_shim_redrive_execution_is_not_answered(server: LocalServer) -> None:
    """moto has no RedriveExecution: the shim (local/shims/redrive.py) adds it."""
    described = run(server, FAILING)
    assert described["status"] == "FAILED"
    with pytest.raises(ClientError) as caught:
        server.client("stepfunctions").redrive_execution(executionArn=described["executionArn"])
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


JSONATA_ERROR = {"QueryLanguage": "JSONata", "StartAt": "Pick", "States": {
    "Pick": {"Type": "Choice", "Choices": [{"Condition": "{% $error('no slot') %}", "Next": "Done"}],
             "Default": "Done"},
    "Done": {"Type": "Succeed"}}}


def test_without_shim_a_jsonata_error_is_not_a_query_evaluation_error(server: LocalServer) -> None:
    """With jsonata-python alone, ``$error`` is ``States.Runtime`` (never caught or retried)."""
    with installed(jsonata_python):
        described = run(server, JSONATA_ERROR)
    assert (described["status"], described.get("error")) == ("FAILED", "States.Runtime")
    with installed(jsonata_python, jsonata_errors):
        described = run(server, JSONATA_ERROR)
    assert (described["status"], described.get("error")) == ("FAILED", "States.QueryEvaluationError")
