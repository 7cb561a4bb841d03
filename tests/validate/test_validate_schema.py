"""The ASL JSON Schema: a valid Draft 2020-12 schema whose errors read as one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from validate_cases import distributed, jsonata, machine, passing, task

from dsl.validate import validate
from dsl.validate.schema_check import SCHEMA_PATH, load_schema

ROOT = Path(__file__).resolve().parents[2]


def schema_messages(document: dict) -> dict[str, str]:
    """pointer -> message of the SCHEMA findings (one per pointer in these tests)."""
    return {item.pointer: item.message for item in validate(document) if item.rule == "SCHEMA"}


def test_schema_is_draft_2020_12_and_valid() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert SCHEMA_PATH.is_file()


def test_schema_alone_accepts_the_corpus_and_rejects_a_broken_definition() -> None:
    # The schema file is usable without our code, e.g. by an editor.
    validator = Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    corpus = sorted((Path(__file__).with_name("corpus")).glob("*.asl.json"))
    assert corpus and all(validator.is_valid(json.loads(path.read_text())) for path in corpus)
    assert not validator.is_valid(machine({"A": {"Type": "Task", "End": True}}))


STATE_TYPES_JSONPATH = machine({
    "P": passing(Next="T", Parameters={"a.$": "$.a"}, ResultPath="$.p", InputPath="$", OutputPath="$"),
    "T": task(Next="C", TimeoutSeconds=10, HeartbeatSeconds=5, ResultSelector={"r.$": "$.Payload"},
              Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "BackoffRate": 1.5,
                      "MaxDelaySeconds": 5, "JitterStrategy": "FULL"}],
              Credentials={"RoleArn": "arn:aws:iam::123456789012:role/x"}),
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "W"}], "Default": "Par"},
    "W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Par"},
    "Par": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": passing()}}], "Next": "M"},
    "M": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"v.$": "$$.Map.Item.Value"},
          "ItemProcessor": {"StartAt": "I", "States": {"I": passing()}}, "Next": "S"},
    "S": {"Type": "Succeed"},
    "F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('{}', $.c)"},
}, start="P")
STATE_TYPES_JSONATA = jsonata({
    "P": {"Type": "Pass", "Output": {"a": "{% $states.input.a %}"}, "Assign": {"n": 1}, "Next": "T"},
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f"},
          "TimeoutSeconds": "{% $n * 10 %}", "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Condition": "{% $n = 1 %}", "Next": "W"}], "Default": "Par"},
    "W": {"Type": "Wait", "Seconds": "{% $n %}", "Next": "Par"},
    "Par": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": passing()}}], "Next": "M"},
    "M": {"Type": "Map", "Items": "{% [1, 2] %}", "ItemProcessor": {"StartAt": "I", "States": {"I": passing()}},
          "Next": "S"},
    "S": {"Type": "Succeed", "Output": "{% $states.input %}"},
    "F": {"Type": "Fail", "Error": "{% 'E' %}", "Cause": "c"},
})


@pytest.mark.parametrize("document", [STATE_TYPES_JSONPATH, STATE_TYPES_JSONATA], ids=["JSONPath", "JSONata"])
def test_every_state_type_in_both_query_languages(document: dict) -> None:
    found = validate(document)
    # F is deliberately unreachable: every other field must be accepted.
    assert [(item.pointer, item.rule) for item in found] == [("/States/F", "ASL-REF-004")]


@pytest.mark.parametrize(("document", "where", "expected"), [
    (machine({"A": task(Arguments={"x": 1})}), "/States/A/Arguments", "is a JSONata field; this state uses JSONPath"),
    (jsonata({"A": passing(InputPath="$.a")}), "/States/A/InputPath", "is a JSONPath field; this state uses JSONata"),
    (jsonata({"A": passing(QueryLanguage="JSONPath")}), "/States/A",
     "cannot use JSONPath when the top-level QueryLanguage is JSONata"),
    (machine({"W": {"Type": "Wait", "Seconds": 1, "Timestamp": "2024-01-01T00:00:00Z", "End": True}}), "/States/W",
     "needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath (found: Seconds, Timestamp)"),
    (machine({"W": {"Type": "Wait", "End": True}}), "/States/W", "(found none)"),
    (machine({"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}}), "/States/F", "has both Error and ErrorPath"),
    (machine({"F": {"Type": "Fail", "Cause": "c", "CausePath": "$.c"}}), "/States/F", "has both Cause and CausePath"),
    (machine({"A": task(TimeoutSeconds=5, TimeoutSecondsPath="$.t")}), "/States/A",
     "has both TimeoutSeconds and TimeoutSecondsPath"),
    (machine({"A": task(TimeoutSeconds=100000000)}), "/States/A/TimeoutSeconds", "must be at most 99999999"),
    (machine({"A": task(HeartbeatSeconds=1.5)}), "/States/A/HeartbeatSeconds", "must be an integer; got 1.5"),
    (machine({"A": task(Retry=[{"ErrorEquals": ["X"], "BackoffRate": 0.5}])}), "/States/A/Retry/0/BackoffRate",
     "must be at least 1; got 0.5"),
    (machine({"A": task(Retry=[{"ErrorEquals": []}])}), "/States/A/Retry/0/ErrorEquals",
     "must have at least 1 item"),
    (machine({"A": {"Type": "Task", "Resource": "lambda:invoke", "End": True}}), "/States/A/Resource",
     "must be an ARN"),
    (machine({"A": {"Type": "Tsk", "End": True}}), "/States/A/Type", 'did you mean "Task"?'),
    (machine({"A": {"End": True}}), "/States/A", 'is missing required field "Type"'),
    (machine({"A": "not a state"}), "/States/A", "must be an object"),
    (machine({}, start="A"), "/States", "must have at least 1 entry"),
    ({"StartAt": "A", "States": {"A": passing()}, "Version": "1.0", "Timeout": 5}, "/Timeout",
     "is not a field of an Amazon States Language"),
    (machine({"A" * 81: passing()}), "/States/" + "A" * 81, "at most 80 allowed"),
    (machine({"S": {"Type": "Succeed", "Next": "S"}}), "/States/S/Next", "is not a field of a JSONPath Succeed state"),
])
def test_schema_errors_read_as_one_line(document: dict, where: str, expected: str) -> None:
    messages = schema_messages(document)
    assert where in messages, messages
    assert expected in messages[where]
    assert "\n" not in messages[where] and len(messages[where]) < 300


@pytest.mark.parametrize(("rule", "where", "expected"), [
    ({"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1}, "/States/Pick/Choices/0",
     "needs exactly one comparison operator next to Variable (found: StringEquals, NumericEquals)"),
    ({"Variable": "$.a"}, "/States/Pick/Choices/0", "(found none)"),
    ({"StringEquals": "x"}, "/States/Pick/Choices/0/StringEquals", "needs a Variable to compare"),
    ({"Variable": "$.a", "IsPresent": True, "And": [{"Variable": "$.b", "IsNull": False}]},
     "/States/Pick/Choices/0/And", "cannot be combined with Variable"),
    ({"And": [{"Variable": "$.b", "IsNull": False}], "Or": [{"Variable": "$.b", "IsNull": True}]},
     "/States/Pick/Choices/0", "exactly one of And, Or, Not"),
    ({"Not": {"Variable": "$.b", "IsNull": False, "Next": "Done"}}, "/States/Pick/Choices/0/Not/Next",
     "only allowed on a top-level Choice rule"),
    ({"Variable": "$.a", "StringEqual": "x"}, "/States/Pick/Choices/0/StringEqual", 'did you mean "StringEquals"?'),
    ({"Variable": "$.a", "NumericEquals": "1"}, "/States/Pick/Choices/0/NumericEquals", "must be a number"),
    ({"And": []}, "/States/Pick/Choices/0/And", "must have at least 1 item"),
])
def test_choice_rules(rule: dict, where: str, expected: str) -> None:
    document = machine({"Pick": {"Type": "Choice", "Choices": [{**rule, "Next": "Done"}]},
                        "Done": {"Type": "Succeed"}})
    messages = schema_messages(document)
    assert where in messages, messages
    assert expected in messages[where]


def test_jsonata_choice_rule_needs_condition() -> None:
    document = jsonata({"Pick": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "D"}]},
                        "D": {"Type": "Succeed"}})
    messages = schema_messages(document)
    assert 'missing required field "Condition"' in messages["/States/Pick/Choices/0"]
    assert "is a JSONPath field" in messages["/States/Pick/Choices/0/Variable"]


@pytest.mark.parametrize(("fields", "where", "expected"), [
    ({"ItemBatcher": {"BatchInput": {}}}, "/States/Fan Out/ItemBatcher", "needs at least one of MaxItemsPerBatch"),
    ({"Label": "has space"}, "/States/Fan Out/Label", "without whitespace"),
    ({"ToleratedFailurePercentage": 101}, "/States/Fan Out/ToleratedFailurePercentage", "at most 100"),
    ({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "XML"}}},
     "/States/Fan Out/ItemReader/ReaderConfig/InputType", "must be one of CSV, JSON, JSONL, PARQUET, MANIFEST"),
    ({"Iterator": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}, "/States/Fan Out",
     "needs exactly one of ItemProcessor, Iterator (found: ItemProcessor, Iterator)"),
    ({"ResultWriter": {"WriterConfig": {"OutputType": "CSV"}}}, "/States/Fan Out/ResultWriter/WriterConfig/OutputType",
     "must be one of JSON, JSONL"),
])
def test_distributed_map_fields(fields: dict, where: str, expected: str) -> None:
    messages = schema_messages(distributed(**fields))
    assert where in messages, messages
    assert expected in messages[where]


def test_variable_names_in_assign() -> None:
    messages = schema_messages(machine({"A": passing(Assign={"states": 1, "9lives": 2, "ok_name": 3})}))
    assert set(messages) == {"/States/A/Assign/states", "/States/A/Assign/9lives"}
    assert "not a valid variable name" in messages["/States/A/Assign/states"]


def test_importing_the_package_does_not_import_jsonschema() -> None:
    code = "import sys, dsl.validate; print('jsonschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_validator_is_compiled_once() -> None:
    from dsl.validate.schema_check import compiled_validator

    validate(machine({"A": passing()}))
    assert compiled_validator() is compiled_validator()
    assert compiled_validator.cache_info().currsize == 1
