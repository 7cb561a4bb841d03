"""What every integration's IAM derivation shares: grants, ARNs, and reading a Task's arguments.

``dsl.iam`` walks a document and asks each integration (through ``dsl.integrations.registry``)
for the grants of its Tasks; the integration modules build them with these pieces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dsl.errors import CodedError
from dsl.placeholders import is_placeholder

PARTITION = "${AWS_Partition}"
REGION = "${AWS_Region}"
ACCOUNT = "${AWS_AccountId}"
# The name of the state machine that runs the definition (Distributed Map
# child executions are started on the machine itself).
SELF_NAME = "${AWS_StateMachineName}"

_QUEUE_URL = re.compile(r"^https://(?:sqs\.)?(?P<region>[a-z0-9-]+)\.(?:queue\.)?amazonaws\.com"
                        r"(?:\.cn)?/(?P<account>\d{12})/(?P<name>[^/?]+)$")


class IamDerivationError(CodedError):
    """The permissions of a state cannot be derived from the document."""

    code = "IAM001"

    def __init__(self, where: str, message: str) -> None:
        self.pointer = where
        super().__init__(message, text=f"{where or '/'}: {self.code} {message}")


class UnsupportedIntegration(IamDerivationError):
    """A Task resource whose IAM needs this module does not know."""

    code = "IAM002"


@dataclass(frozen=True)
class Grant:
    """Some IAM actions on some resources, and why they are needed."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    why: str


class Args:
    """Static values of a Task's Parameters (JSONPath) or Arguments (JSONata)."""

    def __init__(self, raw: Mapping[str, Any], language: str, where: str, *, opaque: bool = False) -> None:
        self.raw = raw
        self.language = language
        self.where = where
        self.opaque = opaque  # the whole object is computed at run time

    def computed(self, key: str) -> bool:
        """Whether ``key``'s value is read at run time (``.$`` key, JSONata expression)."""
        if self.opaque or (self.language != "JSONata" and f"{key}.$" in self.raw):
            return True
        value = self.raw.get(key)
        return self.language == "JSONata" and isinstance(value, str) and value.strip().startswith("{%")

    def static(self, key: str) -> str | None:
        """The value of ``key`` if written in the definition; None if computed at run time or absent."""
        value = None if self.computed(key) else self.raw.get(key)
        if value is not None and not isinstance(value, str):
            raise IamDerivationError(f"{self.where}/{key}", f"{key} must be a string")
        return value

    def present(self, key: str) -> bool:
        """Whether ``key`` is given, as a value or as a run-time path."""
        return self.opaque or key in self.raw or f"{key}.$" in self.raw

    def require(self, key: str, integration: str) -> str | None:
        """``static(key)`` of a field the integration cannot do without."""
        if not self.present(key):
            raise IamDerivationError(f"{self.where}/{key}", f"{integration} needs {key}")
        return self.static(key)

    def nested(self, key: str) -> Args | None:
        """The object under ``key``; None if computed at run time or absent."""
        if self.computed(key) or key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, Mapping):
            raise IamDerivationError(f"{self.where}/{key}", f"{key} must be an object")
        return Args(value, self.language, f"{self.where}/{key}")

    def items(self, key: str) -> list[Args] | None:
        """A list of objects under ``key``; None if computed at run time."""
        if self.computed(key):
            return None
        value = self.raw.get(key)
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise IamDerivationError(f"{self.where}/{key}", f"{key} must be an array of objects")
        return [Args(v, self.language, f"{self.where}/{key}/{i}") for i, v in enumerate(value)]

    def keys_of(self, key: str) -> list[str] | None:
        """The keys of the object under ``key``; None if computed at run time."""
        if self.computed(key):
            return None
        value = self.raw.get(key)
        if not isinstance(value, Mapping):
            raise IamDerivationError(f"{self.where}/{key}", f"{key} must be an object")
        return [k.removesuffix(".$") for k in value]


def arn(service: str, resource: str, *, region: str = REGION, account: str = ACCOUNT) -> str:
    """An ARN in the deployment's partition, region and account (placeholders the deployer fills)."""
    return f"arn:{PARTITION}:{service}:{region}:{account}:{resource}"


# What a Task is granted on when it names an execution by an ARN read at run time.
ANY_EXECUTION = arn("states", "execution:*")


def executions_of(machine_name: str) -> str:
    """Every execution of the state machine named ``machine_name``, in this account and region.

    An execution ARN is ``arn:PARTITION:states:REGION:ACCOUNT:execution:MACHINE:EXECUTION``
    (the IAM resource type ``execution``), also when started through a version or alias.
    """
    return arn("states", f"execution:{machine_name}:*")


def why(args: Args, key: str, static_reason: str) -> str:
    """``static_reason``, or why the grant is wide when ``key`` is computed at run time."""
    if args.static(key) is None:
        return f"{key} is computed at run time, so every such resource in the account may be used"
    return static_reason


def is_arn_placeholder(value: str) -> bool:
    """``${SF_LambdaARN}``-like: a whole placeholder named as an ARN stands for one."""
    return is_placeholder(value) and value[2:-1].lower().endswith("arn")


def queue_arn(url: str | None, where: str) -> str:
    """The ARN of the SQS queue at ``url`` (any queue when computed at run time)."""
    if url is None:
        return arn("sqs", "*")
    if is_placeholder(url):
        return url
    match = _QUEUE_URL.match(url)
    if not match:
        raise IamDerivationError(where, f"QueueUrl {url!r} is not an SQS queue URL")
    return f"arn:{PARTITION}:sqs:{match['region']}:{match['account']}:{match['name']}"


def scoped(action: str, args: Args, key: str, resource_of: Any, what: str) -> Grant:
    """``action`` on the resource named by ``key`` (``resource_of(value)``), or on any when computed."""
    value = args.static(key)
    return Grant((action,), (resource_of(value) if value is not None else resource_of(None),),
                 why(args, key, f"the Task {what}"))
