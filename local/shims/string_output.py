"""DescribeExecution of an execution whose output is a JSON string.

AWS: `output` is always JSON text: an execution that ends with the string `second try`
reports `"\"second try\""`.
moto 5.2.5: `StepFunctionResponse.describe_execution` passes a Python `str` output through
unencoded (`second try`), which is not JSON; a parent's `startExecution.sync:2` then fails
with `States.Runtime` (`Expecting value`).
Shim: encode a string output as JSON text in DescribeExecution.
"""

from __future__ import annotations

import json
from typing import Any

from moto.stepfunctions.responses import StepFunctionResponse

from local.shims._patch import Undo, replace_attr


def install() -> Undo:
    """Answer DescribeExecution with JSON text for string outputs."""
    original = StepFunctionResponse.describe_execution

    def describe_execution(self: Any) -> Any:
        result = original(self)
        execution = self.stepfunction_backend.describe_execution(self._get_param("executionArn"))
        response = result.result
        if isinstance(execution.output, str) and isinstance(response, dict) and "output" in response:
            response["output"] = json.dumps(execution.output)
        return result

    return replace_attr(StepFunctionResponse, "describe_execution", describe_execution)
