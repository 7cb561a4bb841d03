"""Reading a Task's Resource: which integration it calls, and how.

The one parser of ``arn:PARTITION:states:::...`` integration ARNs; ``dsl.iam``, ``dsl validate``
and any other analysis read Resources through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INTEGRATION = re.compile(r"^arn:[a-z-]+:states:::(?P<rest>.+)$")


@dataclass(frozen=True)
class IntegrationCall:
    """What a Task's Resource calls: ``sdk`` for ``aws-sdk:SERVICE:action``, else an optimized integration."""

    sdk: bool
    service: str
    api: str
    pattern: str  # "" (request-response), "sync", "sync:2" or "waitForTaskToken"

    @property
    def name(self) -> str:
        """``aws-sdk:s3:getObject`` or ``dynamodb:updateItem``, without the pattern."""
        return f"{'aws-sdk:' if self.sdk else ''}{self.service}:{self.api}"


def parse(resource: str) -> IntegrationCall | None:
    """The integration ``resource`` calls; None for anything else (a Lambda or activity ARN, a typo).

    A malformed aws-sdk Resource (no action) gives an IntegrationCall with an empty ``api``.
    """
    match = _INTEGRATION.match(resource)
    if match is None:
        return None
    rest = match["rest"]
    sdk = rest.startswith("aws-sdk:")
    if sdk:
        rest = rest[len("aws-sdk:"):]
    service, _, call = rest.partition(":")
    api, _, pattern = call.partition(".")
    return IntegrationCall(sdk, service, api, pattern)
