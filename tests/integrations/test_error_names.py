"""Impossible Retry/Catch error names: warned by the DSL at the .retry()/.catch() line, as validate's ASL-SDK-008."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from dsl import Fail, Workflow
from dsl.build import compile_workflow_files
from dsl.errors import ImpossibleErrorWarning
from dsl.integrations import aws_lambda, aws_sdk, dynamodb, ecs, http
from dsl.integrations.optimized import Optimized
from dsl.validate import validate

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def _put() -> aws_sdk.Task:
    return aws_sdk.call("Put", "dynamodb", "putItem", TableName="t", Item={"id": {"S": "a"}})


def test_the_optimized_prefix_on_an_aws_sdk_call_is_warned_at_the_retry_line() -> None:
    task = _put().retry(["DynamoDB.ConditionalCheckFailedException"])
    line = sys._getframe().f_lineno - 1
    with pytest.warns(ImpossibleErrorWarning, match='"DynamoDB.ConditionalCheckFailedException" never matches: this '
                      'integration names its errors "DynamoDb.ConditionalCheckFailedException"') as caught:
        Workflow("w", task).to_asl()
    assert len(caught) == 1
    assert caught[0].filename.endswith("test_error_names.py") and caught[0].lineno == line


def test_a_catch_is_warned_at_the_catch_line() -> None:
    task = _put()
    task.catch(["DynamoDb.ConditionalCheckFailedExceptoin"], Fail("Busy"))
    line = sys._getframe().f_lineno - 1
    with pytest.warns(ImpossibleErrorWarning, match='did you mean "DynamoDb.ConditionalCheckFailedException"') as caught:
        Workflow("w", task).to_asl()
    assert [w.lineno for w in caught] == [line]


@pytest.mark.parametrize("names", [
    [dynamodb.SDK_CONDITION_FAILED], ["States.Timeout", "States.TaskFailed"], ["DynamoDb.DynamoDbException"],
    ["DynamoDb.SdkClientException"], ["Custom.Error"]])
def test_names_the_call_can_raise_are_not_warned(names: list[str]) -> None:
    task = _put().retry(names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Workflow("w", task).to_asl()


def test_optimized_integrations_warn_on_the_aws_sdk_prefix_only() -> None:
    item = {"id": {"S": "a"}}
    wrong = dynamodb.put_item("Put", table="t", item=item).retry([dynamodb.SDK_CONDITION_FAILED])
    with pytest.warns(ImpossibleErrorWarning, match='names its errors "DynamoDB.ConditionalCheckFailedException"'):
        Workflow("w", wrong).to_asl()
    # The optimized integration's list is not complete: an unknown DynamoDB.* name is not refused.
    right = dynamodb.put_item("Put", table="t", item=item).retry([dynamodb.CONDITION_FAILED, "DynamoDB.Other"])
    invoke = aws_lambda.invoke("Run", function="f").retry(list(aws_lambda.SERVICE_ERRORS))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Workflow("w", right).to_asl()
        Workflow("w", invoke).to_asl()


def test_the_dsl_and_validate_say_the_same() -> None:
    task = _put().retry(["DynamoDB.ConditionalCheckFailedException", "DynamoDb.Nope"])
    with pytest.warns(ImpossibleErrorWarning) as caught:
        document = Workflow("w", task).to_asl()
    # Each begins with the state's name, quoted as its tool quotes names; the rest is the shared judgement.
    said = sorted(str(w.message).partition(": ")[2] for w in caught)
    found = sorted(f.message.partition(": ")[2] for f in validate(document) if f.rule == "ASL-SDK-008")
    assert said == found and len(said) == 2


def test_our_definitions_name_only_possible_errors() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ImpossibleErrorWarning)
        assert compile_workflow_files(ROOT / "definitions")


def test_build_prints_the_warning_in_one_line_and_still_builds(tmp_path: Path) -> None:
    fixture = HERE / "fixtures" / "wrong_error"
    run = subprocess.run([sys.executable, "-m", "dsl", "build", "--definitions", str(fixture), "--out",
                          str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stderr == (f"python -m dsl build: warning: {(fixture / 'flow.py').relative_to(ROOT)}:5: state 'Claim': "
                          '"DynamoDB.ConditionalCheckFailedException" never matches: this integration names its '
                          'errors "DynamoDb.ConditionalCheckFailedException"\n')
    assert (tmp_path / "out" / "wrong-error.asl.json").exists()


# --- the error-name constants of the optimized integrations (the names the developer guide documents) -----

@pytest.mark.parametrize(("constant", "name"), [
    (aws_lambda.CLIENT_EXECUTION_TIMEOUT, "Lambda.ClientExecutionTimeoutException"),
    (aws_lambda.UNKNOWN, "Lambda.Unknown"),
    (ecs.RUN_TASK_FAILURES, "AmazonECS.Unknown"),
    (http.SOCKET, "States.Http.Socket"),
    (dynamodb.CONDITION_FAILED, "DynamoDB.ConditionalCheckFailedException"),
])
def test_each_constant_is_the_documented_name(constant: str, name: str) -> None:
    assert constant == name


@pytest.mark.parametrize(("spec", "names"), [
    (aws_lambda.INVOKE, (*aws_lambda.SERVICE_ERRORS, aws_lambda.CLIENT_EXECUTION_TIMEOUT, aws_lambda.UNKNOWN)),
    (ecs.RUN_TASK, (ecs.RUN_TASK_FAILURES,)),
    (http.INVOKE, (http.SOCKET,)),
])
def test_each_integration_lists_its_documented_names(spec: Optimized, names: tuple[str, ...]) -> None:
    assert set(names) <= set(spec.error_names())


def test_the_documented_names_are_never_warned() -> None:
    tasks = [aws_lambda.invoke("Run", function="f").retry([aws_lambda.CLIENT_EXECUTION_TIMEOUT, aws_lambda.UNKNOWN]),
             ecs.run_task("Job", TaskDefinition="job:1", sync=True).retry([ecs.RUN_TASK_FAILURES]),
             http.invoke("Call", ApiEndpoint="https://example.com", Method="GET",
                         Authentication={"ConnectionArn": "arn:aws:events:us-east-1:1:connection/c/1"})
             .retry([http.SOCKET])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for task in tasks:
            Workflow("w", task).to_asl()
