"""Mocked results checked against the response shape the integration really returns.

Shapes come from botocore's output shapes. Field names follow the integration:

- ``aws-sdk:<service>:<action>``: the AWS SDK for Java v2 names, PascalCase, acronyms as
  words (botocore's ``DBInstances`` is ``DbInstances``, ``SSEKMSKeyId`` is ``SsekmsKeyId``);
- optimized integrations (``arn:aws:states:::dynamodb:getItem``, ``lambda:invoke``,
  ``sqs:sendMessage``, ``states:startExecution``...): the documented result, i.e. the API's
  output with PascalCase names; ``lambda:invoke``'s ``Payload`` is the function's JSON result,
  and every optimized result may carry ``SdkHttpMetadata``/``SdkResponseMetadata``.

Modes, as TestState's ``fieldValidationMode``: ``STRICT`` every required field present and
every present field conforms; ``PRESENT`` every present field conforms; ``NONE`` no check.
A field the API does not have does not conform. Resources whose result is the callee's own
JSON (a Lambda function ARN, ``.sync``/``.waitForTaskToken`` results, activities) are not checked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from botocore import xform_name  # type: ignore[import-untyped]
from botocore.exceptions import UnknownServiceError  # type: ignore[import-untyped]
from botocore.model import OperationModel, Shape  # type: ignore[import-untyped]

from dsl.testing.errors import MockError
from local.shims._models import service_model

Validation: TypeAlias = Literal["STRICT", "PRESENT", "NONE"]
VALIDATION_MODES: tuple[Validation, ...] = ("STRICT", "PRESENT", "NONE")

# The aws-sdk integration's service names that differ from botocore's.
_SDK_SERVICES = {"sfn": "stepfunctions"}
_OPTIMIZED_METADATA = frozenset({"SdkHttpMetadata", "SdkResponseMetadata"})
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|$|_)|[A-Z]?[a-z]+|\d+|[A-Z]+")


def java_name(botocore_name: str) -> str:
    """The AWS SDK for Java v2 member name Step Functions uses for ``botocore_name``."""
    return "".join(word[0].upper() + word[1:].lower() for word in _WORD.findall(botocore_name))


def pascal_name(botocore_name: str) -> str:
    """``botocore_name`` with its first letter upper case (the optimized integrations' naming)."""
    return botocore_name[:1].upper() + botocore_name[1:]


@functools.lru_cache(maxsize=256)
def _operation(service: str, action: str) -> OperationModel | None:
    try:
        model = service_model(service)
    except UnknownServiceError:
        return None
    wanted = xform_name(action)
    for name in model.operation_names:
        if xform_name(name) == wanted:
            return model.operation_model(name)
    return None


def target(resource: str) -> tuple[OperationModel, bool] | None:
    """The operation a Task resource's result comes from and whether it uses Java v2 names."""
    parts = resource.split(":")
    if len(parts) < 7 or parts[2] != "states" or parts[5] in ("activity", "stateMachine"):
        return None
    if parts[5] == "aws-sdk":
        if len(parts) < 8 or "." in parts[7]:
            return None
        operation = _operation(_SDK_SERVICES.get(parts[6], parts[6]), parts[7])
        return (operation, True) if operation is not None else None
    service, action = parts[5], parts[6]
    if "." in action:  # .sync, .waitForTaskToken: the callee's result
        return None
    operation = _operation(_SDK_SERVICES.get(service, "stepfunctions" if service == "states" else service), action)
    return (operation, False) if operation is not None else None


def check_mock(state: str, resource: str, value: Any, mode: Validation) -> None:
    """Raise :class:`MockError` when AWS could never return ``value`` from ``resource``."""
    if mode == "NONE":
        return
    found = target(resource)
    if found is None:
        return
    operation, java = found
    problem = _check(operation.output_shape, value, "", java=java, strict=mode == "STRICT",
                     top=True, lambda_invoke=operation.name == "Invoke" and not java)
    if problem is not None:
        raise MockError(f"state {state!r}: mocked result of {resource} ({mode}): {problem}")


_JSON_TYPES = {"structure": "object", "map": "object", "list": "array", "string": "string",
               "blob": "string", "boolean": "boolean", "integer": "integer", "long": "integer",
               "float": "number", "double": "number", "timestamp": "timestamp (string or number)"}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _conforms(shape: Shape, value: Any) -> bool:
    kind = shape.type_name
    if kind in ("structure", "map"):
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind in ("string", "blob"):
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("float", "double"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "timestamp":
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    return True


def _check(shape: Shape, value: Any, path: str, *, java: bool, strict: bool, top: bool = False,
           lambda_invoke: bool = False) -> str | None:
    where = path or "(the result)"
    if not _conforms(shape, value):
        return f"field {where}: expected {_JSON_TYPES.get(shape.type_name, shape.type_name)}, " \
               f"found {_type_name(value)}"
    if shape.type_name == "string" and shape.enum and value not in shape.enum:
        return f"field {where}: expected one of {', '.join(shape.enum)}, found {value!r}"
    if shape.type_name == "structure":
        return _check_members(shape, value, path, java=java, strict=strict, top=top, lambda_invoke=lambda_invoke)
    if shape.type_name == "list":
        for index, item in enumerate(value):
            problem = _check(shape.member, item, f"{path}[{index}]", java=java, strict=strict)
            if problem is not None:
                return problem
    if shape.type_name == "map":
        for key, item in value.items():
            problem = _check(shape.value, item, f"{path}.{key}" if path else key, java=java, strict=strict)
            if problem is not None:
                return problem
    return None


def _check_members(shape: Shape, value: Mapping[str, Any], path: str, *, java: bool, strict: bool, top: bool,
                   lambda_invoke: bool) -> str | None:
    rename = java_name if java else pascal_name
    members = {rename(name): member for name, member in shape.members.items()}
    for key, item in value.items():
        inner = f"{path}.{key}" if path else key
        if key not in members:
            if top and not java and key in _OPTIMIZED_METADATA:
                continue
            expected = ", ".join(sorted(members)) or "no fields"
            return f"field {inner}: not in the API's response (expected {expected})"
        if lambda_invoke and top and key == "Payload":
            continue  # the function's own JSON result
        problem = _check(members[key], item, inner, java=java, strict=strict)
        if problem is not None:
            return problem
    if strict:
        for name in shape.required_members:
            if rename(name) not in value:
                inner = f"{path}.{rename(name)}" if path else rename(name)
                return f"field {inner}: required, missing ({_JSON_TYPES.get(shape.members[name].type_name, '')})"
    return None
