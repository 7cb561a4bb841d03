"""The compiler covers the whole of ASL: every state type, field, operator and both query languages."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dsl import (
    Choice, Condition, Context, Fail, Map, P, Parallel, Pass, States, Succeed, Task, Var, Wait,
    Workflow, jsonata,
)
from dsl.conditions import Compare
from dsl.errors import DslError


def test_every_field_of_a_jsonpath_task_in_conventional_order() -> None:
    handler = Pass("Handler").end()
    task = Task("T", resource="arn:aws:states:::lambda:invoke", comment="c",
                input_path="$.in", parameters={"a": P("$.x"), "b": 1, "n": {"c.$": "$.y"}},
                result_selector={"r": P("$.Payload")}, result_path="$.out", output_path="$",
                timeout_seconds=30, heartbeat_seconds=10,
                credentials={"RoleArn": "arn:aws:iam::1:role/r"}, assign={"v.$": "$.x"})
    task.retry(["States.Timeout"], interval=2, max_attempts=3, backoff=1.5, max_delay=9,
               jitter="FULL")
    task.catch(["States.ALL"], handler, result_path="$.error")
    doc = Workflow("t", task >> Succeed("Done"), comment="top", timeout_seconds=60,
                   version="1.0").to_asl()
    assert list(doc) == ["Comment", "Version", "TimeoutSeconds", "StartAt", "States"]
    state = doc["States"]["T"]
    assert list(state) == ["Type", "Comment", "Resource", "Credentials", "InputPath", "Parameters",
                           "ResultSelector", "ResultPath", "OutputPath", "Assign", "TimeoutSeconds",
                           "HeartbeatSeconds", "Retry", "Catch", "Next"]
    assert state["Parameters"] == {"a.$": "$.x", "b": 1, "n": {"c.$": "$.y"}}
    assert state["Retry"] == [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2,
                               "MaxAttempts": 3, "BackoffRate": 1.5, "MaxDelaySeconds": 9,
                               "JitterStrategy": "FULL"}]
    assert state["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                               "Next": "Handler"}]
    assert list(doc["States"]) == ["T", "Done", "Handler"]


def test_path_variants_of_timeouts_and_wait() -> None:
    task = Task("T", resource="arn:x", timeout_seconds_path="$.t", heartbeat_seconds_path="$.h")
    waits = [Wait("W1", seconds=5), Wait("W2", timestamp="2024-01-01T00:00:00Z"),
             Wait("W3", seconds_path="$.s"), Wait("W4", timestamp_path="$.ts")]
    doc = Workflow("w", task >> waits[0] >> waits[1] >> waits[2] >> waits[3]).to_asl()
    s = doc["States"]
    assert s["T"]["TimeoutSecondsPath"] == "$.t" and s["T"]["HeartbeatSecondsPath"] == "$.h"
    assert s["W1"]["Seconds"] == 5 and s["W2"]["Timestamp"].endswith("Z")
    assert s["W3"]["SecondsPath"] == "$.s" and s["W4"]["TimestampPath"] == "$.ts"
    assert s["W4"]["End"] is True


def test_fail_fields_and_pass_result() -> None:
    fail = Fail("F", error="E", cause="C")
    fail2 = Fail("F2", error_path="$.e", cause_path="$.c")
    choice = Choice("C").when(Var("$.a") == 1, fail).otherwise(fail2)
    doc = Workflow("f", Pass("P", result={"x": 1}, result_path="$.r") >> choice).to_asl()
    assert doc["States"]["F"] == {"Type": "Fail", "Error": "E", "Cause": "C"}
    assert doc["States"]["F2"] == {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}
    assert doc["States"]["P"]["Result"] == {"x": 1}


def test_pass_result_null_is_kept() -> None:
    doc = Workflow("n", Pass("P", result=None, result_path=None)).to_asl()
    assert doc["States"]["P"]["Result"] is None and doc["States"]["P"]["ResultPath"] is None


ALL_OPERATORS = [
    "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals",
    "StringGreaterThanEquals", "NumericEquals", "NumericLessThan", "NumericGreaterThan",
    "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals",
    "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
]


def _builder(operator: str) -> str:
    out = ""
    for ch in operator:
        out += ("_" + ch.lower()) if ch.isupper() and out else ch.lower()
    return out


@pytest.mark.parametrize("operator", ALL_OPERATORS)
def test_every_comparison_operator_and_its_path_form(operator: str) -> None:
    var = Var("$.v")
    value = {"String": "a", "Numeric": 1, "Boolean": True, "Timestamp": "2024-01-01T00:00:00Z"}[
        next(f for f in ("String", "Numeric", "Boolean", "Timestamp") if operator.startswith(f))]
    plain = getattr(var, _builder(operator))(value)
    path = getattr(var, _builder(operator) + "_path")("$.other")
    assert plain.to_asl() == {"Variable": "$.v", operator: value}
    assert path.to_asl() == {"Variable": "$.v", operator + "Path": "$.other"}


@pytest.mark.parametrize("method,operator", [
    ("is_null", "IsNull"), ("is_present", "IsPresent"), ("is_numeric", "IsNumeric"),
    ("is_string", "IsString"), ("is_boolean", "IsBoolean"), ("is_timestamp", "IsTimestamp")])
def test_type_tests(method: str, operator: str) -> None:
    assert getattr(Var("$.v"), method)().to_asl() == {"Variable": "$.v", operator: True}
    assert getattr(Var("$.v"), method)(False).to_asl() == {"Variable": "$.v", operator: False}


def test_python_operators_pick_the_family_and_combine() -> None:
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rule = ((Var("$.n") < 5) & (Var("$.s") == "x")) | ~(Var("$.b") == True)  # noqa: E712
    assert rule.to_asl() == {"Or": [
        {"And": [{"Variable": "$.n", "NumericLessThan": 5},
                 {"Variable": "$.s", "StringEquals": "x"}]},
        {"Not": {"Variable": "$.b", "BooleanEquals": True}}]}
    assert (Var("$.t") >= when).to_asl() == {"Variable": "$.t",
                                             "TimestampGreaterThanEquals": "2024-01-01T00:00:00Z"}
    assert (Var("$.s") != "y").to_asl() == {"Not": {"Variable": "$.s", "StringEquals": "y"}}
    assert Var("$.s").matches("log-*.txt").to_asl() == {"Variable": "$.s",
                                                        "StringMatches": "log-*.txt"}
    with pytest.raises(DslError):
        _ = Var("$.b") < True


def test_choice_rules_default_and_choice_path_check() -> None:
    done = Succeed("Done")
    choice = Choice("C").when(Var("$.x") > 1, done).otherwise(done)
    doc = Workflow("c", choice).to_asl()
    assert doc["States"]["C"] == {"Type": "Choice", "Choices": [
        {"Variable": "$.x", "NumericGreaterThan": 1, "Next": "Done"}], "Default": "Done"}
    bad = Choice("Bad").when(Compare("$.a[*]", "IsPresent", True), Succeed("S"))
    with pytest.raises(DslError, match="reference path"):
        Workflow("bad", bad).to_asl()


def test_parallel_branches_and_nested_map_scopes() -> None:
    inner = Map("Inner", items_path="$.items", max_concurrency=2).iterate(Pass("Item"))
    par = Parallel("Par", result_path="$.r").branch(Pass("B1"), Pass("B2a") >> inner)
    par.catch(["States.ALL"], Fail("Oops", error="E"))
    doc = Workflow("p", par).to_asl()
    branches = doc["States"]["Par"]["Branches"]
    assert [b["StartAt"] for b in branches] == ["B1", "B2a"]
    assert branches[1]["States"]["Inner"]["ItemProcessor"] == {
        "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item",
        "States": {"Item": {"Type": "Pass", "End": True}}}
    assert doc["States"]["Par"]["Catch"][0]["Next"] == "Oops"


def test_distributed_map_with_every_field() -> None:
    m = Map("D", mode="DISTRIBUTED", execution_type="EXPRESS", label="Files",
            item_reader={"Resource": "arn:aws:states:::s3:listObjectsV2",
                         "Parameters": {"Bucket": "b"}},
            item_selector={"key": P("$$.Map.Item.Value.Key")},
            item_batcher={"MaxItemsPerBatch": 10}, result_writer={
                "Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "o"}},
            max_concurrency=100, tolerated_failure_percentage=5, tolerated_failure_count=3)
    m.iterate(Pass("Each"))
    state = Workflow("d", m).to_asl()["States"]["D"]
    assert state["ItemProcessor"]["ProcessorConfig"] == {"Mode": "DISTRIBUTED",
                                                         "ExecutionType": "EXPRESS"}
    assert state["ItemSelector"] == {"key.$": "$$.Map.Item.Value.Key"}
    for key in ("ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency",
                "ToleratedFailurePercentage", "ToleratedFailureCount", "Label"):
        assert key in state


def test_map_path_variants_and_legacy_iterator() -> None:
    m = Map("L", items_path="$.xs", legacy_iterator=True, item_selector={"v": Context.map_item_value},
            max_concurrency_path="$.mc", tolerated_failure_percentage_path="$.p",
            tolerated_failure_count_path="$.c").iterate(Pass("Each"))
    state = Workflow("l", m).to_asl()["States"]["L"]
    assert "Iterator" in state and "ItemProcessor" not in state
    assert state["Parameters"] == {"v.$": "$$.Map.Item.Value"}
    assert state["MaxConcurrencyPath"] == "$.mc"
    assert state["ToleratedFailureCountPath"] == "$.c"


def test_jsonata_machine_arguments_output_assign_condition() -> None:
    task = Task("Call", resource="arn:aws:states:::lambda:invoke",
                arguments={"FunctionName": "f", "Payload": jsonata("$states.input")},
                output=jsonata("$states.result.Payload"), assign={"count": jsonata("$count + 1")})
    task.catch(["States.ALL"], Fail("F", error="E", cause=jsonata("$states.errorOutput.Cause")),
               output=jsonata("$states.errorOutput"))
    choice = Choice("Again").when(Condition.jsonata("$count < 3"), task).otherwise(Succeed("Ok"))
    m = Map("M", items=jsonata("[1,2]")).iterate(Pass("I", output=jsonata("$states.input")))
    doc = Workflow("j", m >> task >> choice, query_language="JSONata").to_asl()
    assert doc["QueryLanguage"] == "JSONata"
    call = doc["States"]["Call"]
    assert call["Arguments"]["Payload"] == "{% $states.input %}"
    assert call["Output"] == "{% $states.result.Payload %}"
    assert call["Catch"][0]["Output"] == "{% $states.errorOutput %}"
    assert doc["States"]["Again"]["Choices"][0] == {"Condition": "{% $count < 3 %}",
                                                    "Next": "Call"}
    assert doc["States"]["M"]["Items"] == "{% [1,2] %}"


def test_state_level_query_language_switch() -> None:
    a = Pass("A", query_language="JSONata", output=jsonata("{'x': 1}"))
    doc = Workflow("mix", Pass("B", result_path="$.b") >> a).to_asl()
    assert doc["States"]["A"]["QueryLanguage"] == "JSONata"
    with pytest.raises(DslError, match="JSONPath inside a JSONata workflow"):
        Workflow("bad", Pass("C", query_language="JSONPath"), query_language="JSONata").to_asl()
    with pytest.raises(DslError, match="Variable comparison"):
        Workflow("bad2", Choice("D", query_language="JSONata").when(
            Var("$.x") == 1, Succeed("S"))).to_asl()


def test_intrinsics_render_and_escape() -> None:
    text = States.format("it's {} and \\{x\\}", P("$.a"))
    assert str(text) == "States.Format('it\\'s {} and \\\\{x\\\\}', $.a)"
    assert str(States.array_range(1, 10, 1)) == "States.ArrayRange(1, 10, 1)"
    assert str(States.hash(P("$.v"), "SHA-256")) == "States.Hash($.v, 'SHA-256')"
    assert str(States.json_merge(P("$.a"), P("$.b"))) == "States.JsonMerge($.a, $.b, false)"
    assert str(States.string_split("a{b}", ",")) == "States.StringSplit('a\\{b\\}', ',')"
    assert str(States.uuid()) == "States.UUID()"
    doc = Workflow("i", Pass("P", parameters={"id": States.uuid(),
                                              "n": States.math_add(P("$.n"), 1)})).to_asl()
    assert doc["States"]["P"]["Parameters"] == {"id.$": "States.UUID()",
                                                "n.$": "States.MathAdd($.n, 1)"}


def test_compiled_workflow_is_frozen_and_recompiles_identically() -> None:
    t = Task("T", resource="arn:x")
    wf = Workflow("z", t)
    first = wf.to_asl()
    assert wf.to_asl() == first
    with pytest.raises(DslError, match="already built"):
        t.retry(["X"])
    with pytest.raises(DslError, match="already built"):
        t.end()


def test_package_exports_every_public_name_lazily() -> None:
    import dsl

    assert sorted(dsl.__all__) == sorted(dsl._MODULE_OF)
    for name in dsl.__all__:
        assert getattr(dsl, name) is not None
    with pytest.raises(AttributeError):
        _ = dsl.NoSuchName  # type: ignore[attr-defined]


def test_branch_and_item_processor_chains_end_implicitly() -> None:
    # docs/dsl.md (DSL004): not only the workflow's chain, every scope's chain ends implicitly.

    flow = Workflow("w", Parallel("P").branch(Pass("A") >> Pass("B")) >> Map("M").iterate(Pass("X") >> Pass("Y")))
    doc = flow.to_asl()
    assert doc["States"]["P"]["Branches"][0]["States"]["B"] == {"Type": "Pass", "End": True}
    assert doc["States"]["M"]["ItemProcessor"]["States"]["Y"] == {"Type": "Pass", "End": True}
