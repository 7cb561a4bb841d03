"""Amazon API Gateway optimized integration: ``apigateway:invoke`` (request-response, ``.waitForTaskToken``)."""

from __future__ import annotations

import re
from typing import Any

from dsl.integrations.grants import ACCOUNT, PARTITION, REGION, Args, Grant
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task

_ENDPOINT = re.compile(r"^(?P<api>[a-z0-9]+)\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com")


def invoke(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``apigateway.invoke("Call", ApiEndpoint=..., Method="GET", Stage="prod", Path="/items", AuthType="IAM_ROLE")``."""
    return build(INVOKE, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    args.require("ApiEndpoint", "apigateway:invoke")
    auth = args.static("AuthType") if args.present("AuthType") else "NO_AUTH"
    if auth == "NO_AUTH":
        return ()  # the API does not check the caller's identity
    endpoint = args.static("ApiEndpoint")
    match = _ENDPOINT.match(endpoint or "")
    api, region = (match["api"], match["region"]) if match else ("*", REGION)
    parts = [args.static(k) if args.present(k) else None for k in ("Stage", "Method", "Path")]
    route = "/".join(p.strip("/") if p else "*" for p in parts)
    return (Grant(("execute-api:Invoke",), (f"arn:{PARTITION}:execute-api:{region}:{ACCOUNT}:{api}/{route}",),
                  "the Task calls this API route with its role's credentials" if match and all(parts) else
                  "part of the route is computed at run time, so the grant covers every such route"),)


INVOKE = Optimized("apigateway", "invoke", frozenset({REQUEST_RESPONSE, WAIT}), _grants,
                   fields=frozenset({"ApiEndpoint", "Method", "Headers", "Stage", "Path", "QueryParameters",
                                     "RequestBody", "AllowNullValues", "AuthType"}))
OPTIMIZED = (INVOKE,)
