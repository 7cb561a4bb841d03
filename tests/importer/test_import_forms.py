"""Forms the corpus has few of: each imports exactly, written the DSL's way."""

from __future__ import annotations

from typing import Any

import pytest

from dsl.importer.cli import convert
from dsl.importer.roundtrip import build_module, same
from dsl.importer.sources import Source


def choice(*rules: dict[str, Any], default: bool = True) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Choice",
                             "Choices": [{**rule, "Next": "Yes"} for rule in rules]}
    if default:
        state["Default"] = "No"
    return {"StartAt": "C", "States": {"C": state, "Yes": {"Type": "Succeed"},
                                       "No": {"Type": "Fail", "Error": "No"}}}


def imported(document: dict[str, Any]) -> str:
    text = convert(Source("test", "test", "test", document, "a test"))
    assert same(build_module(text), document)
    return text


def compare(operator: str, value: Any, variable: str = "$.x") -> dict[str, Any]:
    return {"Variable": variable, operator: value}


@pytest.mark.parametrize(("rule", "written"), [
    (compare("NumericGreaterThan", 3), 'Var("$.x") > 3'),
    (compare("NumericEquals", 2.5), 'Var("$.x") == 2.5'),
    (compare("StringLessThanEquals", "m"), 'Var("$.x") <= "m"'),
    (compare("BooleanEquals", False), 'Var("$.x").boolean_equals(False)'),
    (compare("IsNull", False), 'Var("$.x").is_null(False)'),
    (compare("IsPresent", True), 'Var("$.x").is_present()'),
    (compare("TimestampLessThanPath", "$.deadline"), 'Var("$.x").timestamp_less_than_path("$.deadline")'),
    (compare("TimestampEquals", "2026-01-01T00:00:00Z"),
     'Var("$.x").timestamp_equals("2026-01-01T00:00:00Z")'),
    ({"Not": compare("StringEquals", "a")}, 'Var("$.x") != "a"'),
    ({"Not": {"Not": compare("StringEquals", "a")}}, 'Not((Var("$.x") != "a",))'),
    ({"And": [compare("NumericLessThan", 1), {"And": [compare("IsString", True)]}]},
     'And((Var("$.x") < 1, And((Var("$.x").is_string(),))))'),
    ({"Or": [compare("NumericLessThan", 1), {"And": [compare("IsNumeric", True),
                                                       {"Not": compare("NumericEquals", 0)}]}]},
     '(Var("$.x") < 1) | (Var("$.x").is_numeric() & (Var("$.x") != 0))'),
])
def test_conditions(rule: dict[str, Any], written: str) -> None:
    assert f".when({written}, " in imported(choice(rule))


def test_choice_without_default_and_a_loop() -> None:
    document = {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 5, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": False, "Next": "W"},
                                            {"Variable": "$.done", "BooleanEquals": True, "Next": "S"}]},
        "S": {"Type": "Succeed"}}}
    text = imported(document)
    assert "w >> c" in text


def test_catch_to_a_later_state_is_wired_once_it_exists() -> None:
    document = {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Parameters": {"QueueUrl": "q", "MessageBody.$": "$"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "B"}], "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Parameters": {"QueueUrl": "q", "MessageBody": "retry"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "A"}], "End": True}}}
    text = imported(document)
    assert text.index("b = ") < text.index("a = ")
    assert 'b.catch(["States.ALL"], a)' in text


def test_jsonata_machine_with_a_lambda_helper_and_jsonata_strings() -> None:
    document = {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
        "Call": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
                 "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                 "Output": "{% $states.result.Payload %}", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "Done"}],
                  "Default": "Done"},
        "Done": {"Type": "Succeed"}}}
    text = imported(document)
    assert 'payload=jsonata("$states.input")' in text
    assert 'Condition.jsonata("$states.input.ok")' in text


def test_names_are_snake_case_unique_and_never_keywords() -> None:
    document = {"StartAt": "class", "States": {
        "class": {"Type": "Pass", "Comment": "c", "Next": "Class"},
        "Class": {"Type": "Pass", "Comment": "c", "Next": "2nd step"},
        "2nd step": {"Type": "Pass", "Comment": "c", "Next": "map"},
        "map": {"Type": "Pass", "Comment": "c", "End": True}}}
    text = imported(document)
    for line in ("class_state = Pass(", "class_state_2 = Pass(", "state_2nd_step = Pass(",
                 "map_state = Pass("):
        assert line in text


def test_a_long_chain_of_choices_imports_without_recursion() -> None:
    count = 1500  # deeper than Python's recursion limit
    states: dict[str, Any] = {
        f"S{i}": {"Type": "Choice", "Default": "End",
                  "Choices": [{"Variable": "$.x", "NumericEquals": i,
                               "Next": f"S{i + 1}" if i + 1 < count else "End"}]}
        for i in range(count)}
    states["End"] = {"Type": "Succeed"}
    text = imported({"StartAt": "S0", "States": states})
    assert text.index("s1499 = ") < text.index("s0 = ")


def test_short_passes_and_waits_are_written_in_their_chain() -> None:
    document = {"StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Again?"},
        "Again?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 3,
                                                  "Next": "Loop"}], "Default": "Done"},
        "Loop": {"Type": "Pass", "Result": {"n": 3}, "Next": "Again?"},
        "Done": {"Type": "Succeed"}}}
    text = imported(document)
    assert 'Pass("Start") >> Wait("Pause", seconds=2) >> again' in text
    assert "loop = Pass(" in text  # a Choice target keeps its variable


def test_helper_keywords_keep_the_helpers_order() -> None:
    """Importing the build of an import gives the same code, whatever the source's key order."""
    request = {"ReturnValues": "ALL_NEW", "UpdateExpression": "SET #a = :a",
               "ExpressionAttributeValues": {":a": {"S": "x"}}, "ExpressionAttributeNames": {"#a": "a"},
               "Key": {"Id": {"S": "1"}}, "TableName": "t"}
    document = {"StartAt": "U", "States": {"U": {"Type": "Task", "End": True, "Parameters": request,
                                                 "Resource": "arn:aws:states:::dynamodb:updateItem"}}}
    first = imported(document)
    assert first.index("table=") < first.index("key=") < first.index("update=") \
        < first.index("names=") < first.index("values=") < first.index("return_values=")
    assert imported(build_module(first)) == first


def test_names_python_reads_as_one_identifier_get_two_variables() -> None:
    document = {"StartAt": "ｶﾀ", "States": {  # half-width katakana: NFKC makes it "カタ"
        "ｶﾀ": {"Type": "Pass", "Comment": "a", "Next": "カタ"},
        "カタ": {"Type": "Pass", "Comment": "b", "End": True}}}
    text = imported(document)
    assert "カタ = Pass(" in text and "カタ_2 = Pass(" in text


def test_jsonata_only_where_aws_evaluates_it() -> None:
    document = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Comment": "{% not evaluated %}", "Output": "{% $states.input.a %}",
              "End": True}}}
    text = imported(document)
    assert 'comment="{% not evaluated %}"' in text and 'output=jsonata("$states.input.a")' in text


def test_a_request_the_typed_helper_cannot_take_is_a_task() -> None:
    """dynamodb.update_item takes table=/key=/update=, not PascalCase keywords: a request with a
    field it has no keyword for is written Task(resource=...), never update_item(TableName=...)."""
    request = {"TableName": "t", "Key": {"Id": {"S": "1"}}, "UpdateExpression": "SET a = :a",
               "ExpressionAttributeValues": {":a": {"N": "1"}}, "ReturnConsumedCapacity": "TOTAL"}
    document = {"StartAt": "U", "States": {"U": {"Type": "Task", "End": True, "Parameters": request,
                                                 "Resource": "arn:aws:states:::dynamodb:updateItem"}}}
    text = imported(document)
    assert 'u = Task(\n    "U",\n    resource="arn:aws:states:::dynamodb:updateItem",' in text


def test_optimized_and_sdk_keyword_helpers() -> None:
    document = {"StartAt": "Notify", "States": {
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                   "Parameters": {"TopicArn": "arn:aws:sns:eu-west-1:1:t", "Message.$": "$.text"},
                   "Next": "Copy"},
        "Copy": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:copyObject",
                 "Parameters": {"Bucket": "b", "CopySource.$": "States.Format('a/{}', $.key)", "Key": "k"},
                 "End": True}}}
    text = imported(document)
    assert 'sns.publish("Notify", TopicArn="arn:aws:sns:eu-west-1:1:t", Message=P("$.text"))' in text
    assert 'aws_sdk.call(\n    "Copy",\n    "s3",\n    "copyObject",\n' in text
    assert 'CopySource=States.format("a/{}", P("$.key")),' in text
