"""Small definitions for the validator tests: for every rule a failing and a passing one.

``RULE_CASES[rule]`` is a list of (bad, good, pointer) triples: ``bad`` must
produce a finding of ``rule`` at ``pointer``; ``good`` is the same definition
with the mistake fixed and must produce no finding at all.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

Doc = dict[str, Any]
LAMBDA = "arn:aws:states:::lambda:invoke"


def machine(states: Doc, start: str | None = None, **top: Any) -> Doc:
    """A definition whose StartAt is the first state unless given."""
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def task(**fields: Any) -> Doc:
    """A Task state calling Lambda that ends the machine unless Next is given."""
    state: Doc = {"Type": "Task", "Resource": LAMBDA, "Parameters": {"FunctionName": "f", "Payload.$": "$"}}
    state.update(fields)
    if "Next" not in fields and "End" not in fields:
        state["End"] = True
    return state


def sdk(call: str, Retry: Any = None, **parameters: Any) -> Doc:
    """A Task calling ``aws-sdk:`` + ``call`` with ``parameters``."""
    state = task(Resource="arn:aws:states:::aws-sdk:" + call, Parameters=parameters)
    return {**state, "Retry": Retry} if Retry else state


def passing(**fields: Any) -> Doc:
    """A Pass state that ends the machine unless Next is given."""
    state: Doc = {"Type": "Pass", **fields}
    if "Next" not in fields and "End" not in fields:
        state["End"] = True
    return state


def choice(rule: Doc, default: str = "Done") -> Doc:
    """A machine: Choice with one rule going to Done, default Done."""
    return machine({"Pick": {"Type": "Choice", "Choices": [{**rule, "Next": "Done"}], "Default": default},
                    "Done": {"Type": "Succeed"}})


def jsonata(states: Doc) -> Doc:
    """A JSONata machine."""
    return machine(states, QueryLanguage="JSONata")


def distributed(**fields: Any) -> Doc:
    """A machine with one distributed Map state plus ``fields``."""
    return machine({"Fan Out": {
        "Type": "Map",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "Work", "States": {"Work": task()}},
        "End": True, **fields}})


def with_change(doc: Doc, change: Any) -> Doc:
    """A deep copy of ``doc`` after ``change(copy)``."""
    result = copy.deepcopy(doc)
    change(result)
    return result


def _branch(*names: str) -> Doc:
    states = {name: passing(Next=following) for name, following in itertools.pairwise(names)}
    states[names[-1]] = passing()
    return {"StartAt": names[0], "States": states}


RULE_CASES: dict[str, list[tuple[Doc, Doc, str]]] = {
    "SCHEMA": [
        (machine({"A": {"Type": "Task", "End": True}}), machine({"A": task()}), "/States/A"),
        (machine({"A": passing(Nxt="B"), "B": passing()}), machine({"A": passing(Next="B"), "B": passing()}),
         "/States/A/Nxt"),
        (machine({"A": task(TimeoutSeconds=0)}), machine({"A": task(TimeoutSeconds=1)}),
         "/States/A/TimeoutSeconds"),
    ],
    "ASL-REF-001": [(machine({"A": passing()}, start="B"), machine({"A": passing()}, start="A"), "/StartAt")],
    "ASL-REF-002": [
        (machine({"A": passing(Next="Missing")}), machine({"A": passing()}), "/States/A/Next"),
        (machine({"P": {"Type": "Parallel", "Branches": [
            {"StartAt": "In", "States": {"In": passing(Next="Out")}}], "Next": "Out"}, "Out": passing()}),
         machine({"P": {"Type": "Parallel", "Branches": [
             {"StartAt": "In", "States": {"In": passing()}}], "Next": "Out"}, "Out": passing()}),
         "/States/P/Branches/0/States/In/Next"),
        (machine({"M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": passing(Next="Out")}},
                        "Next": "Out"}, "Out": passing()}),
         machine({"M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": passing()}},
                        "Next": "Out"}, "Out": passing()}),
         "/States/M/ItemProcessor/States/I/Next"),
        (machine({"A": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Nope"}])}),
         machine({"A": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "B"}]), "B": passing()}),
         "/States/A/Catch/0/Next"),
        (choice({"Variable": "$.x", "IsPresent": True}, default="Gone"),
         choice({"Variable": "$.x", "IsPresent": True}), "/States/Pick/Default"),
    ],
    "ASL-REF-003": [
        (machine({"P": {"Type": "Parallel", "Branches": [_branch("A"), _branch("A")], "Next": "Z"},
                  "Z": passing()}),
         machine({"P": {"Type": "Parallel", "Branches": [_branch("A"), _branch("B")], "Next": "Z"},
                  "Z": passing()}),
         "/States/P/Branches/1/States/A"),
    ],
    "ASL-REF-004": [(machine({"A": passing(), "Orphan": passing()}),
                     machine({"A": passing(Next="Orphan"), "Orphan": passing()}), "/States/Orphan"),
                    # a loop that names its states but is never entered
                    (machine({"A": {"Type": "Succeed"}, "B": passing(Next="C"), "C": passing(Next="B")}),
                     machine({"A": passing(Next="B"), "B": passing(Next="C"),
                              "C": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": True,
                                                                   "Next": "B"}], "Default": "D"},
                              "D": {"Type": "Succeed"}}), "/States/B")],
    "ASL-REF-005": [(machine({"A": passing(Next="B"), "B": {"Type": "Wait", "Seconds": 1, "Next": "A"}}),
                     machine({"A": passing(Next="B"), "B": {"Type": "Wait", "Seconds": 1, "End": True}}),
                     "/States")],
    "ASL-NEXT-001": [(machine({"A": passing(Next="B", End=True), "B": passing()}),
                      machine({"A": passing(Next="B"), "B": passing()}), "/States/A/End")],
    "ASL-NEXT-002": [(machine({"A": {"Type": "Pass"}}), machine({"A": {"Type": "Pass", "End": True}}),
                      "/States/A"),
                     (machine({"A": {"Type": "Pass", "End": False}}), machine({"A": {"Type": "Pass", "End": True}}),
                      "/States/A")],
    "ASL-ERR-001": [
        (machine({"A": task(Retry=[{"ErrorEquals": ["States.ALL", "X"]}])}),
         machine({"A": task(Retry=[{"ErrorEquals": ["X"]}, {"ErrorEquals": ["States.ALL"]}])}),
         "/States/A/Retry/0/ErrorEquals"),
        (machine({"A": task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "B"},
                                   {"ErrorEquals": ["X"], "Next": "B"}]), "B": passing()}),
         machine({"A": task(Catch=[{"ErrorEquals": ["X"], "Next": "B"},
                                   {"ErrorEquals": ["States.ALL"], "Next": "B"}]), "B": passing()}),
         "/States/A/Catch/0/ErrorEquals"),
    ],
    "ASL-ERR-002": [(machine({"A": task(Retry=[{"ErrorEquals": ["States.Timout"]}])}),
                     machine({"A": task(Retry=[{"ErrorEquals": ["States.Timeout"]}])}),
                     "/States/A/Retry/0/ErrorEquals/0")],
    "ASL-PATH-001": [
        (machine({"A": passing(InputPath="$.a[")}), machine({"A": passing(InputPath="$.a[0]")}),
         "/States/A/InputPath"),
        (machine({"A": passing(Parameters={"x.$": "$.a b"})}), machine({"A": passing(Parameters={"x.$": "$['a b']"})}),
         "/States/A/Parameters/x.$"),
        (choice({"Variable": "$..", "IsPresent": True}), choice({"Variable": "$..a", "IsPresent": True}),
         "/States/Pick/Choices/0/Variable"),
    ],
    "ASL-PATH-002": [
        (machine({"A": passing(ResultPath="$.items[*]")}), machine({"A": passing(ResultPath="$.items[0]")}),
         "/States/A/ResultPath"),
        (machine({"A": passing(ResultPath="$$.Execution.Id")}), machine({"A": passing(ResultPath="$.id")}),
         "/States/A/ResultPath"),
        (machine({"A": task(TimeoutSecondsPath="$..timeout")}), machine({"A": task(TimeoutSecondsPath="$.timeout")}),
         "/States/A/TimeoutSecondsPath"),
    ],
    "ASL-PATH-003": [(machine({"A": passing(Parameters={"x.$": "literal"})}),
                      machine({"A": passing(Parameters={"x": "literal"})}), "/States/A/Parameters/x.$"),
                     (machine({"A": passing(Parameters={"deep": [{"n.$": 5}]})}),
                      machine({"A": passing(Parameters={"deep": [{"n": 5}]})}), "/States/A/Parameters/deep/0/n.$")],
    "ASL-PATH-004": [(machine({"A": passing(Parameters={"x": 1, "x.$": "$.x"})}),
                      machine({"A": passing(Parameters={"y": 1, "x.$": "$.x"})}), "/States/A/Parameters/x.$")],
    "ASL-FN-001": [(machine({"A": passing(Parameters={"x.$": "States.Format('a', $.b"})}),
                    machine({"A": passing(Parameters={"x.$": "States.Format('a{}', $.b)"})}),
                    "/States/A/Parameters/x.$"),
                   (machine({"A": passing(Parameters={"x.$": "States.Format('a\\q')"})}),
                    machine({"A": passing(Parameters={"x.$": "States.Format('a\\'')"})}),
                    "/States/A/Parameters/x.$")],
    "ASL-FN-002": [(machine({"A": passing(Parameters={"x.$": "States.Fromat('a')"})}),
                    machine({"A": passing(Parameters={"x.$": "States.Format('a')"})}), "/States/A/Parameters/x.$")],
    "ASL-FN-003": [(machine({"A": passing(Parameters={"x.$": "States.MathAdd($.a)"})}),
                    machine({"A": passing(Parameters={"x.$": "States.MathAdd($.a, 1)"})}),
                    "/States/A/Parameters/x.$"),
                   (machine({"A": passing(Parameters={"x.$": "States.UUID(1)"})}),
                    machine({"A": passing(Parameters={"x.$": "States.UUID()"})}), "/States/A/Parameters/x.$")],
    "ASL-FN-004": [
        (machine({"A": passing(Parameters={"x.$": "States.MathAdd(1,'-1')"})}),
         machine({"A": passing(Parameters={"x.$": "States.MathAdd(1,-1)"})}), "/States/A/Parameters/x.$"),
        (machine({"A": passing(Parameters={"x.$": "States.Format('{} {}', $.a)"})}),
                    machine({"A": passing(Parameters={"x.$": "States.Format('{} {}', $.a, $.b)"})}),
                    "/States/A/Parameters/x.$"),
                   (machine({"A": passing(Parameters={"x.$": "States.Hash($.a, 'SHA-2')"})}),
                    machine({"A": passing(Parameters={"x.$": "States.Hash($.a, 'SHA-256')"})}),
                    "/States/A/Parameters/x.$"),
                   (machine({"A": passing(Parameters={"x.$": "States.JsonMerge($.a, $.b, true)"})}),
                    machine({"A": passing(Parameters={"x.$": "States.JsonMerge($.a, $.b, false)"})}),
                    "/States/A/Parameters/x.$")],
    "ASL-QL-001": [(machine({"A": passing(Parameters={"x": "{% $states.input.a %}"})}),
                    machine({"A": passing(Parameters={"x.$": "$.a"})}), "/States/A/Parameters/x")],
    "ASL-QL-002": [(jsonata({"A": passing(Output={"x": "{% $states.input.a"})}),
                    jsonata({"A": passing(Output={"x": "{% $states.input.a %}"})}), "/States/A/Output/x"),
                   (jsonata({"A": passing(Output="{% %}")}), jsonata({"A": passing(Output="{% 1 %}")}),
                    "/States/A/Output"),
                   (jsonata({"A": passing(Output="{% $states.input.a + %}")}),
                    jsonata({"A": passing(Output="{% $states.input.a + 1 %}")}), "/States/A/Output")],
    "ASL-VAR-001": [
        (machine({"A": passing(Parameters={"id.$": "$order.id"})}),
         machine({"A": passing(Parameters={"id.$": "$.order.id"})}), "/States/A/Parameters/id.$"),
        (machine({"A": passing(Assign={"n.$": "$.n"}, Parameters={"n.$": "$n"})}),
         machine({"A": passing(Assign={"n.$": "$.n"}, Next="B"), "B": passing(Parameters={"n.$": "$n"})}),
         "/States/A/Parameters/n.$"),
        # A branch's Assign is not visible after the Parallel; an outer Assign is visible inside.
        (machine({"P": {"Type": "Parallel", "Next": "B", "Branches": [
            {"StartAt": "In", "States": {"In": passing(Assign={"inner.$": "$.a"})}}]},
                  "B": passing(Parameters={"i.$": "$inner"})}),
         machine({"O": passing(Assign={"outer.$": "$.a"}, Next="P"), "P": {"Type": "Parallel", "End": True,
                  "Branches": [{"StartAt": "In", "States": {
                      "In": passing(Parameters={"o.$": "States.Format('{} $x', $outer)"})}}]}}),
         "/States/B/Parameters/i.$"),
        (jsonata({"A": passing(Output="{% $count($items) %}")}),
         jsonata({"A": passing(Output="{% ($items := [1]; $count($map($items, $string)) + $states.input.n) %}")}),
         "/States/A/Output"),
    ],
    "ASL-TIME-001": [(machine({"A": task(TimeoutSeconds=60, HeartbeatSeconds=60)}),
                      machine({"A": task(TimeoutSeconds=60, HeartbeatSeconds=30)}), "/States/A/HeartbeatSeconds")],
    "ASL-TIME-002": [(machine({"W": {"Type": "Wait", "Timestamp": "2024-02-30T00:00:00Z", "End": True}}),
                      machine({"W": {"Type": "Wait", "Timestamp": "2024-02-29T00:00:00Z", "End": True}}),
                      "/States/W/Timestamp"),
                     (choice({"Variable": "$.t", "TimestampLessThan": "2024-01-01 10:00:00"}),
                      choice({"Variable": "$.t", "TimestampLessThan": "2024-01-01T10:00:00+01:00"}),
                      "/States/Pick/Choices/0/TimestampLessThan")],
    "ASL-MAP-001": [(machine({"M": {"Type": "Map", "ItemProcessor": {"StartAt": "W", "States": {"W": task()}},
                                    "ToleratedFailureCount": 1, "End": True}}),
                     distributed(ToleratedFailureCount=1), "/States/M/ToleratedFailureCount")],
    "ASL-MAP-002": [(with_change(distributed(), lambda d: d["States"]["Fan Out"]["ItemProcessor"]
                                 ["ProcessorConfig"].pop("ExecutionType")),
                     distributed(), "/States/Fan Out/ItemProcessor/ProcessorConfig")],
    "ASL-MAP-003": [(distributed(ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                                             "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"},
                                             "Parameters": {"Bucket": "b", "Key": "k"}}),
                     distributed(ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                                             "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN",
                                                              "CSVHeaders": ["a", "b"]},
                                             "Parameters": {"Bucket": "b", "Key": "k"}}),
                     "/States/Fan Out/ItemReader/ReaderConfig")],
    # aws-sdk Tasks, checked against botocore's models (more in tests/integrations/)
    "ASL-SDK-001": [(machine({"A": sdk("s4:getObject", Bucket="b", Key="k")}),
                     machine({"A": sdk("s3:getObject", Bucket="b", Key="k")}), "/States/A/Resource")],
    "ASL-SDK-002": [(machine({"A": sdk("s3:getObjekt", Bucket="b", Key="k")}),
                     machine({"A": sdk("s3:getObject", Bucket="b", Key="k")}), "/States/A/Resource"),
                    (machine({"A": sdk("s3:getObject.sync", Bucket="b", Key="k")}),
                     machine({"A": sdk("s3:getObject", Bucket="b", Key="k")}), "/States/A/Resource")],
    "ASL-SDK-003": [(machine({"A": sdk("s3:getObject", Bucket="b", Kye="k")}),
                     machine({"A": sdk("s3:getObject", Bucket="b", Key="k")}), "/States/A/Parameters/Kye")],
    "ASL-SDK-004": [(machine({"A": sdk("s3:getObject", Bucket="b")}),
                     machine({"A": sdk("s3:getObject", Bucket="b", Key="k")}), "/States/A/Parameters/Key")],
    "ASL-SDK-005": [(machine({"A": sdk("sqs:receiveMessage", QueueUrl="q", MaxNumberOfMessages=[1])}),
                     machine({"A": sdk("sqs:receiveMessage", QueueUrl="q", MaxNumberOfMessages=1)}),
                     "/States/A/Parameters/MaxNumberOfMessages")],
    "ASL-SDK-006": [(machine({"A": sdk("s3:getObject", Bucket="b", Key="k", ChecksumMode="ON")}),
                     machine({"A": sdk("s3:getObject", Bucket="b", Key="k", ChecksumMode="ENABLED")}),
                     "/States/A/Parameters/ChecksumMode")],
    "ASL-SDK-007": [(machine({"A": sdk("rds:describeDBInstances", DBInstanceIdentifier="db")}),
                     machine({"A": sdk("rds:describeDBInstances", DbInstanceIdentifier="db")}),
                     "/States/A/Parameters/DBInstanceIdentifier")],
    "ASL-INT-001": [(machine({"A": task(Resource="arn:aws:states:::glue:startJobRun.waitForTaskToken",
                                        Parameters={"JobName": "j"})}),
                     machine({"A": task(Resource="arn:aws:states:::glue:startJobRun.sync",
                                        Parameters={"JobName": "j"})}), "/States/A/Resource")],
    "ASL-INT-002": [(machine({"A": task(Resource="arn:aws:states:::sns:publish", Parameters={"TopicArn": "t",
                                                                                              "Mesage": "m"})}),
                     machine({"A": task(Resource="arn:aws:states:::sns:publish", Parameters={"TopicArn": "t",
                                                                                              "Message": "m"})}),
                     "/States/A/Parameters/Mesage")],
    "ASL-INT-003": [(machine({"A": task(Resource="arn:aws:states:::sqs:sendMessage", Parameters={"QueueUrl": "q"})}),
                     machine({"A": task(Resource="arn:aws:states:::sqs:sendMessage",
                                        Parameters={"QueueUrl": "q", "MessageBody": "m"})}),
                     "/States/A/Parameters/MessageBody")],
    "ASL-INT-004": [(machine({"A": task(Resource="arn:aws:states:::events:putEvents", Parameters={"Entries": {}})}),
                     machine({"A": task(Resource="arn:aws:states:::events:putEvents", Parameters={"Entries": []})}),
                     "/States/A/Parameters/Entries")],
    "ASL-INT-005": [(machine({"A": task(Resource="arn:aws:states:::ecs:runTask",
                                        Parameters={"TaskDefinition": "td", "LaunchType": "LAMBDA"})}),
                     machine({"A": task(Resource="arn:aws:states:::ecs:runTask",
                                        Parameters={"TaskDefinition": "td", "LaunchType": "FARGATE"})}),
                     "/States/A/Parameters/LaunchType")],
    "ASL-INT-006": [(machine({"A": task(Resource="arn:aws:lambda:us-east-1:123456789012:function:f:",
                                        Parameters={"x": 1})}),
                     machine({"A": task(Resource="arn:aws:lambda:us-east-1:123456789012:function:f:live",
                                        Parameters={"x": 1})}), "/States/A/Resource")],
    "ASL-SDK-008": [(machine({"A": sdk("dynamodb:getItem", TableName="t", Key={},
                                       Retry=[{"ErrorEquals": ["DynamoDB.ThrottlingException"]}])}),
                     machine({"A": sdk("dynamodb:getItem", TableName="t", Key={},
                                       Retry=[{"ErrorEquals": ["DynamoDb.ThrottlingException"]}])}),
                     "/States/A/Retry/0/ErrorEquals/0")],
}

# Placeholders are accepted unless strict: (document, strict-mode pointer).
PLACEHOLDER_CASE = (machine({"A": task(Parameters={"FunctionName": "${SF_LambdaARN}", "Payload.$": "$"})}),
                    "/States/A/Parameters/FunctionName")
