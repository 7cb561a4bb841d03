"""Forms of real ASL that ``python -m dsl import`` needs the DSL to write back exactly."""

from __future__ import annotations

import pytest

from dsl import Fail, Map, Pass, Task, Workflow
from dsl.errors import DslError


def test_map_without_processor_config() -> None:
    flow = Workflow("m", Map("M", items_path="$.items", mode=None).iterate(Pass("Each")))
    processor = flow.to_asl()["States"]["M"]["ItemProcessor"]
    assert "ProcessorConfig" not in processor and processor["StartAt"] == "Each"


def test_map_default_still_writes_inline_mode() -> None:
    flow = Workflow("m", Map("M").iterate(Pass("Each")))
    assert flow.to_asl()["States"]["M"]["ItemProcessor"]["ProcessorConfig"] == {"Mode": "INLINE"}


def test_retry_comment() -> None:
    task = Task("T", resource="arn:aws:lambda:eu-west-1:1:function:f")
    task.retry(["States.Timeout"], max_attempts=2, comment="the function is slow to start")
    retry = Workflow("r", task).to_asl()["States"]["T"]["Retry"]
    assert retry == [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2,
                      "Comment": "the function is slow to start"}]


def test_fail_cause_path_may_be_an_intrinsic() -> None:
    fail = Fail("F", error="JobFailed", cause_path="States.Format('job {} failed', $.id)")
    assert Workflow("f", fail).to_asl()["States"]["F"]["CausePath"] == \
        "States.Format('job {} failed', $.id)"


def test_fail_error_path_still_refuses_a_bad_path() -> None:
    with pytest.raises(DslError, match="ErrorPath"):
        Workflow("f", Fail("F", error_path="$.a[?(@.b)]")).to_asl()
