"""botocore's service models, read the way the ``aws-sdk:*`` integration names things.

Models load lazily, one service at a time, and stay cached for the process, so a
file that calls two services reads two models. ``check_parameters`` compares a
Task's Parameters/Arguments with an operation's input shape and reports
:class:`ParameterProblem` s; the DSL turns them into ``DslError`` and ``dsl validate`` into
findings.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dsl.integrations import botocore_data, naming
from dsl.paths import Intrinsic, P
from dsl.placeholders import is_placeholder

# aws-sdk service names that are not botocore's name without its dashes. Each one
# follows naming.sfn_service_name(serviceId); tests check every entry against the model.
SERVICE_EXCEPTIONS: dict[str, str] = {
    "applicationdiscovery": "discovery",
    "cloudwatchlogs": "logs",
    "cognitoidentityprovider": "cognito-idp",
    "costandusagereport": "cur",
    "costexplorer": "ce",
    "databasemigration": "dms",
    "directory": "ds",
    "directoryservicedata": "ds-data",
    "elasticloadbalancing": "elb",
    "elasticloadbalancingv2": "elbv2",
    "elasticsearch": "es",
    "eventbridge": "events",
    "iotdataplane": "iot-data",
    "iotjobsdataplane": "iot-jobs-data",
    "lexmodelbuilding": "lex-models",
    "lexmodelsv2": "lexv2-models",
    "lexruntimev2": "lexv2-runtime",
    "marketplacemetering": "meteringmarketplace",
    "migrationhub": "mgh",
    "pinpointsmsvoice": "sms-voice",
    "serverlessapplicationrepository": "serverlessrepo",
    "sfn": "stepfunctions",
    "simpledb": "sdb",
}

ERROR = "error"
WARNING = "warning"


class UnknownService(LookupError):
    """No botocore model answers to this aws-sdk service name."""

    def __init__(self, service: str, suggestion: str | None) -> None:
        self.service = service
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        super().__init__(f"aws-sdk service {service!r} is not a service Step Functions can call{hint}")


class UnknownAction(LookupError):
    """The service has no operation of this name."""

    def __init__(self, service: str, action: str, suggestion: str | None) -> None:
        self.service = service
        self.action = action
        self.suggestion = suggestion
        hint = f"; did you mean {suggestion!r}?" if suggestion else ""
        super().__init__(f"aws-sdk:{service} has no action {action!r}{hint}")


@dataclass(frozen=True)
class ParameterProblem:
    """One mismatch between a Task's parameters and the model."""

    path: tuple[str | int, ...]  # inside Parameters/Arguments, with the key as written
    kind: str                    # name | required | type | enum | spelling
    severity: str
    message: str


@functools.lru_cache(maxsize=1)
def _botocore_names() -> tuple[str, ...]:
    return botocore_data.service_names()


@functools.cache
def _model_or_none(botocore_name: str) -> Mapping[str, Any] | None:
    # Read from botocore's data folder: importing botocore.loaders would cost more than the read.
    return botocore_data.service_model(botocore_name)


@dataclass(frozen=True)
class Service:
    """One service as the aws-sdk integration sees it."""

    name: str            # aws-sdk:NAME
    botocore_name: str
    model: Mapping[str, Any]

    @property
    def metadata(self) -> Mapping[str, Any]:
        """The model's metadata block."""
        return self.model["metadata"]  # type: ignore[no-any-return]

    @property
    def iam_prefix(self) -> str:
        """The IAM service prefix: the signing name, else the endpoint prefix (sfn -> states)."""
        default: str = self.metadata.get("signingName") or self.metadata["endpointPrefix"]
        return IAM_PREFIX_EXCEPTIONS.get(self.botocore_name, default)

    @property
    def error_prefix(self) -> str:
        """``DynamoDb``: the prefix of this service's aws-sdk error names."""
        return naming.error_prefix(self.metadata["serviceId"])

    @functools.cached_property
    def actions(self) -> dict[str, str]:
        """aws-sdk action name -> botocore operation name."""
        return {naming.action_name(op): op for op in self.model["operations"]}

    def operation(self, action: str) -> str:
        """The botocore operation of ``action``; raises UnknownAction."""
        operation = self.actions.get(action)
        if operation is None:
            raise UnknownAction(self.name, action, _closest(action, self.actions))
        return operation

    def input_shape(self, operation: str) -> str | None:
        """The name of the operation's input shape (None when it takes no input)."""
        shape = self.model["operations"][operation].get("input")
        return shape["shape"] if shape else None

    @functools.cached_property
    def _member_names(self) -> dict[tuple[str, bool], dict[str, str]]:
        return {}

    def member_names(self, shape: str, optimized: bool) -> dict[str, str]:
        """A structure's members by the name a Task uses (Java v2's, or the optimized spelling)."""
        key = (shape, optimized)
        found = self._member_names.get(key)
        if found is None:
            spell = _capitalized if optimized else naming.member_name
            found = {spell(m): m for m in self.model["shapes"][shape].get("members", {})}
            self._member_names[key] = found
        return found

    def input_members(self, operation: str) -> list[str]:
        """The operation's top-level parameter names, as the integration spells them."""
        shape = self.input_shape(operation)
        members = self.model["shapes"][shape].get("members", {}) if shape else {}
        return [naming.member_name(m) for m in members]

    def error_names(self, operation: str) -> tuple[str, ...]:
        """The aws-sdk error names ``operation`` can raise: its modelled errors and the service base."""
        errors = self.model["operations"][operation].get("errors", [])
        prefix = self.error_prefix
        names = {f"{prefix}.{naming.exception_name(e['shape'])}" for e in errors}
        names.add(f"{prefix}.{prefix}Exception")
        return tuple(sorted(names))

    @functools.cached_property
    def all_error_names(self) -> tuple[str, ...]:
        """Every aws-sdk error name of the service (any operation)."""
        prefix = self.error_prefix
        names = {f"{prefix}.{naming.exception_name(name)}" for name, shape in self.model["shapes"].items()
                 if shape.get("exception")}
        names.add(f"{prefix}.{prefix}Exception")
        return tuple(sorted(names))


# IAM prefixes that are neither the signing name nor the endpoint prefix (Service
# Authorization Reference: AWS IoT data plane actions are iot:*, IoT Jobs iotjobsdata:*).
IAM_PREFIX_EXCEPTIONS = {"iot-data": "iot", "iot-jobs-data": "iotjobsdata"}


@functools.cache
def service(name: str) -> Service:
    """The service ``aws-sdk:name`` calls; raises UnknownService with the closest name."""
    botocore_name = SERVICE_EXCEPTIONS.get(name, name)
    model = _model_or_none(botocore_name)  # most names are botocore's too: no directory scan
    if model is None:
        candidates = [n for n in _botocore_names() if n.replace("-", "") == name]
        if not candidates:
            raise UnknownService(name, _closest(name, known_service_names()))
        botocore_name = candidates[0]
        model = _model_or_none(botocore_name)
        assert model is not None  # listed, so it has a model
    if naming.sfn_service_name(model["metadata"]["serviceId"]) != name:
        # e.g. "stepfunctions": botocore's name, not the integration's ("sfn")
        right = naming.sfn_service_name(model["metadata"]["serviceId"])
        raise UnknownService(name, right)
    return Service(name, botocore_name, model)


def forget_models() -> None:
    """Drop every cached model (benchmarks time a cold read with this)."""
    for cached in (_botocore_names, _model_or_none, service, known_service_names):
        cached.cache_clear()


@functools.lru_cache(maxsize=1)
def known_service_names() -> tuple[str, ...]:
    """The aws-sdk names of every service (by rule, without loading the models)."""
    exceptional = set(SERVICE_EXCEPTIONS.values())
    return tuple(sorted({n.replace("-", "") for n in _botocore_names() if n not in exceptional}
                        | set(SERVICE_EXCEPTIONS)))


def _closest(word: str, options: Iterable[str]) -> str | None:
    choices = list(options)
    folded = {c.lower(): c for c in choices}
    if word.lower() in folded:
        return folded[word.lower()]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


# --- checking values against shapes ---------------------------------------------

def is_dynamic(value: object) -> bool:
    """A value not known from the definition: ``P(...)``, an intrinsic, a ``{% %}`` JSONata expression,
    or a whole ``${Name}`` deploy-time placeholder (it may stand for a value of any type)."""
    if isinstance(value, (P, Intrinsic)):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (text.startswith("{%") and text.endswith("%}")) or is_placeholder(value)


def check_parameters(svc: Service, operation: str, parameters: object, *,
                     optimized: bool = False) -> list[ParameterProblem]:
    """Every problem of ``parameters`` (a Task's Parameters or Arguments) for ``operation``.

    ``optimized`` reads the names as an optimized integration does: the API's own
    member names with the first letter capitalised, instead of the Java SDK v2 names.
    """
    shape = svc.input_shape(operation)
    if is_dynamic(parameters):
        return []
    if shape is None:
        if isinstance(parameters, Mapping) and parameters:
            return [ParameterProblem((), "name", ERROR, f"{naming.action_name(operation)} takes no parameters")]
        return []
    return list(_Checker(svc, optimized).value(shape, parameters, ()))


_NUMBER = {"integer", "long", "double", "float"}
_TYPE_WORD = {"string": "a string", "integer": "an integer", "long": "an integer",
              "double": "a number", "float": "a number", "boolean": "a boolean", "list": "an array",
              "map": "an object (map)", "structure": "an object", "timestamp": "a timestamp string or "
              "epoch number", "blob": "a string (blob)"}


class _Checker:
    def __init__(self, svc: Service, optimized: bool) -> None:
        self.svc = svc
        self.shapes = svc.model["shapes"]
        self.optimized = optimized
        self.spell = _capitalized if optimized else naming.member_name

    def value(self, shape_name: str, value: object, path: tuple[str | int, ...]) -> Iterator[ParameterProblem]:
        shape = self.shapes[shape_name]
        kind = shape["type"]
        if is_dynamic(value) or shape.get("document"):
            return
        if kind == "structure":
            if not isinstance(value, Mapping):
                yield _type_problem(path, kind, value)
            else:
                yield from self.structure(shape_name, value, path)
        elif kind == "list":
            if not isinstance(value, list):
                yield _type_problem(path, kind, value)
                return
            for index, item in enumerate(value):
                yield from self.value(shape["member"]["shape"], item, (*path, index))
        elif kind == "map":
            if not isinstance(value, Mapping):
                yield _type_problem(path, kind, value)
                return
            for key, item in value.items():
                if isinstance(key, str) and key.endswith(".$"):
                    continue
                yield from self.value(shape["value"]["shape"], item, (*path, key))
        else:
            yield from _scalar(shape, kind, value, path)

    def structure(self, shape_name: str, value: Mapping[str, Any],
                  path: tuple[str | int, ...]) -> Iterator[ParameterProblem]:
        shape = self.shapes[shape_name]
        members: Mapping[str, Any] = shape.get("members", {})
        java = self.svc.member_names(shape_name, self.optimized)
        seen: set[str] = set()
        for key, item in value.items():
            if not isinstance(key, str):
                continue
            dynamic = key.endswith(".$")
            name = key[:-2] if dynamic else key
            member = java.get(name)
            if member is None and name in members and not name[:1].isupper():
                seen.add(name)  # misspelt, not missing: one finding is enough
                yield ParameterProblem((*path, key), "name", ERROR,
                              f"{name!r} is the service's camelCase spelling; Step Functions parameters are "
                              f"PascalCase: did you mean {self.spell(name)!r}?")
                continue
            if member is None and name in members:
                member = name
                yield ParameterProblem((*path, key), "spelling", WARNING,
                              f"{name!r} is botocore's spelling; the aws-sdk integration names it "
                              f"{naming.member_name(name)!r} (Java SDK v2); that AWS accepts {name!r} "
                              "is unverified")
            if member is None:
                close = _closest(name, java)
                hint = f"; did you mean {close!r}?" if close else ""
                if close:
                    seen.add(java[close])  # misspelt, not missing: one finding is enough
                yield ParameterProblem((*path, key), "name", ERROR,
                              f"unknown parameter {name!r}{hint} (expected one of "
                              f"{_listing(sorted(java))})")
                continue
            seen.add(member)
            if not dynamic:
                yield from self.value(members[member]["shape"], item, (*path, key))
        for required in shape.get("required", []):
            if required in seen or required not in members:
                continue
            if members[required].get("idempotencyToken"):
                continue  # the SDK fills idempotency tokens itself
            yield ParameterProblem((*path, self.spell(required)), "required", ERROR,
                          f"missing required parameter {self.spell(required)!r}")


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def suggestion(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'X'?`` for the closest of ``choices``, or nothing."""
    close = _closest(word, choices)
    return f"; did you mean {close!r}?" if close else ""


def _listing(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= 8 else ", ".join(names[:8]) + f", ... ({len(names)} in all)"


def _type_problem(path: tuple[str | int, ...], kind: str, value: object) -> ParameterProblem:
    return ParameterProblem(path, "type", ERROR,
                   f"expected {_TYPE_WORD.get(kind, kind)}, found {_json_type(value)}")


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__


def _scalar(shape: Mapping[str, Any], kind: str, value: object,
            path: tuple[str | int, ...]) -> Iterator[ParameterProblem]:
    if kind == "string":
        if not isinstance(value, str):
            # Published workflows pass objects (sfn SendTaskSuccess's Output) and numbers where the API
            # says string; that AWS serialises them is unverified, so this is a warning, never an error.
            yield ParameterProblem(path, "spelling", WARNING,
                                   f"expected a string, found {_json_type(value)} (AWS may serialise it; "
                                   "that it does is unverified)")
        elif "enum" in shape and value not in shape["enum"]:
            close = _closest(value, shape["enum"])
            hint = f"; did you mean {close!r}?" if close else ""
            yield ParameterProblem(path, "enum", ERROR, f"{value!r} is not one of {_listing(list(shape['enum']))}{hint}")
    elif kind in _NUMBER:
        integral = kind in ("integer", "long")
        ok = (isinstance(value, int) or (not integral and isinstance(value, float))) \
            and not isinstance(value, bool)
        if ok:
            return
        if isinstance(value, str) and _numeric(value):
            # Jackson, which reads the Task's JSON, coerces numeric strings by default;
            # that Step Functions keeps that default is unverified.
            yield ParameterProblem(path, "spelling", WARNING, f"expected {_TYPE_WORD[kind]}, found the string "
                                                     f"{value!r} (AWS may coerce it; write the number)")
        else:
            yield _type_problem(path, kind, value)
    elif kind == "boolean":
        if isinstance(value, bool):
            return
        if value in ("true", "false"):
            yield ParameterProblem(path, "spelling", WARNING, f"expected a boolean, found the string {value!r} "
                                                     "(AWS may coerce it; write true or false)")
        else:
            yield _type_problem(path, kind, value)
    elif kind == "timestamp":
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            yield _type_problem(path, kind, value)
    # A streaming blob (S3 PutObject's Body) also takes JSON, which the integration serialises.
    elif kind == "blob" and not isinstance(value, str) and not shape.get("streaming"):
        yield _type_problem(path, kind, value)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
