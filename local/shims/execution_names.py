"""Executions started without a name.

AWS: StartExecution without `name` names the execution with a fresh UUID.
moto 5.2.5: `StepFunctionsParserBackend.start_execution` formats the ARN with the Python
value `None`, so every unnamed execution of a machine is `...:execution:<machine>:None`
and the second one collides with the first (`ExecutionAlreadyExists`). Children started
by `states:startExecution` without `Name` hit this at once.
Shim: give unnamed executions a UUID before moto builds the ARN.
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from local.shims._patch import Undo, replace_attr


def install() -> Undo:
    """Name unnamed executions with a UUID, as AWS does."""
    original = StepFunctionsParserBackend.start_execution

    def start_execution(self: Any, state_machine_arn: str, name: str | None = None,
                        execution_input: Any = None, trace_header: Any = None) -> Any:
        return original(self, state_machine_arn, name or str(uuid.uuid4()), execution_input, trace_header)

    return replace_attr(StepFunctionsParserBackend, "start_execution", start_execution)
