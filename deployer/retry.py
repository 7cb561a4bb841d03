"""Retrying the calls that fail while a new IAM role propagates.

IAM is eventually consistent: for some seconds after a role or its policy is
written, Lambda and Step Functions may not yet be able to assume it. Those
errors are recognised by code and message and retried with exponential
backoff; every other error is raised at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

T = TypeVar("T")

# (error code, fragment of the message) of errors that mean "not yet".
TRANSIENT: tuple[tuple[str, str], ...] = (
    ("InvalidParameterValueException", "cannot be assumed"),  # Lambda: role not yet visible
    ("InvalidParameterValueException", "role defined for the function"),
    ("AccessDeniedException", "not authorized to assume"),  # Step Functions: trust not yet visible
    ("AccessDeniedException", "not authorized to access the Log Destination"),  # policy not yet visible
    ("InvalidLoggingConfiguration", ""),
    ("StateMachineDeleting", ""),  # a machine of the same name is still being deleted
    ("ResourceConflictException", "update is in progress"),  # Lambda: previous update not finished
)


def is_transient(error: ClientError) -> bool:
    """Whether ``error`` is one that goes away by itself within a minute."""
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "")
    return any(code == c and fragment in message for c, fragment in TRANSIENT)


@dataclass(frozen=True)
class CallRetry:
    """Calls a function again after transient errors, waiting longer each time."""

    delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
    sleep: Callable[[float], None] = field(default=time.sleep)

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)``, retried while it fails transiently."""
        for delay in self.delays:
            try:
                return function(*args, **kwargs)
            except ClientError as error:
                if not is_transient(error):
                    raise
            self.sleep(delay)
        return function(*args, **kwargs)
