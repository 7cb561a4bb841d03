"""Least-privilege IAM derived from an ASL document.

``required_permissions(doc)`` walks every Task state (also inside Parallel
branches and Map processors) and returns, per state, exactly the IAM actions
its integration calls and the resources it touches. ``policy_document`` merges
them into one deterministic IAM policy. Both are pure functions of the ASL
dict: the deployer calls them on definitions whose ``${SF_...}`` placeholders
are already filled (so ARNs are concrete), the review renderer on the
generated files (so placeholders show as written).

ARNs that depend on where the machine runs use the placeholders below; the
deployer substitutes them. A field that is one whole ``${...}`` placeholder is
read as an ARN when the field holds ARNs (``StateMachineArn``) or the
placeholder's name ends in ``ARN`` (``${SF_LambdaARN}``), else as a name. A value read from the execution's data (a dynamic
``.$`` key or a JSONata ``{% %}`` expression) cannot be scoped from the
definition, so the grant falls back to every resource of that type in the
account and region, and says so in ``Grant.why`` (Step Functions' own
generated policies fall back to ``*`` in that case).

An integration this module does not know is refused with
``UnsupportedIntegration`` rather than granted nothing or everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dsl.errors import CodedError
from dsl.findings import pointer as json_pointer
from dsl.placeholders import is_placeholder

PARTITION = "${AWS_Partition}"
REGION = "${AWS_Region}"
ACCOUNT = "${AWS_AccountId}"
# The name of the state machine that runs the definition (Distributed Map
# child executions are started on the machine itself).
SELF_NAME = "${AWS_StateMachineName}"

# The rule Step Functions manages to learn that a .sync child has finished.
SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule"

POLICY_VERSION = "2012-10-17"

_INTEGRATION = re.compile(r"^arn:[a-z-]+:states:::(?P<rest>.+)$")
_LAMBDA_ARN = re.compile(r"^arn:[a-z-]+:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$")
_ACTIVITY_ARN = re.compile(r"^arn:[a-z-]+:states:[^:]+:\d{12}:activity:.+$")
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


@dataclass(frozen=True)
class StatePermissions:
    """What one state (a Task, or a Map that starts child executions) needs."""

    pointer: str
    state: str
    integration: str
    grants: tuple[Grant, ...]

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action this state needs, sorted, without repeats."""
        return tuple(sorted({a for g in self.grants for a in g.actions}))


def required_permissions(doc: Mapping[str, Any]) -> list[StatePermissions]:
    """The permissions each state of ``doc`` needs, in document order.

    Raises ``IamDerivationError`` for a document whose Task fields are not the
    types ASL requires, and ``UnsupportedIntegration`` for an integration this
    module cannot scope.
    """
    language = _text(doc.get("QueryLanguage"), "JSONPath")
    return list(_walk(doc, (), language))


def policy_document(permissions: Iterable[StatePermissions],
                    extra: Iterable[Grant] = ()) -> dict[str, Any]:
    """One IAM policy granting exactly ``permissions`` (and ``extra``).

    Actions that need the same set of resources share a statement; actions,
    resources and statements are sorted so the same needs give the same text.
    """
    by_action: dict[str, set[str]] = {}
    for grant in [g for p in permissions for g in p.grants] + list(extra):
        for action in grant.actions:
            by_action.setdefault(action, set()).update(grant.resources)
    by_resources: dict[tuple[str, ...], list[str]] = {}
    for action, resources in by_action.items():
        by_resources.setdefault(tuple(sorted(resources)), []).append(action)
    statements = [
        {"Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}
        for resources, actions in by_resources.items()
    ]
    statements.sort(key=lambda s: (s["Action"], s["Resource"]))
    return {"Version": POLICY_VERSION, "Statement": statements}


# --- walking the document -------------------------------------------------

def _walk(scope: Mapping[str, Any], at: tuple[str | int, ...],
          language: str) -> Iterator[StatePermissions]:
    states = scope.get("States")
    if not isinstance(states, Mapping):
        raise IamDerivationError(json_pointer(*at, "States"), "States must be an object of states")
    for name, state in states.items():
        where = (*at, "States", name)
        if not isinstance(state, Mapping):
            raise IamDerivationError(json_pointer(*where), "a state must be an object")
        state_language = _text(state.get("QueryLanguage"), language)
        kind = state.get("Type")
        if kind == "Task":
            yield _task(name, state, where, state_language)
        elif kind == "Parallel":
            branches = state.get("Branches")
            if not isinstance(branches, list):
                raise IamDerivationError(json_pointer(*where, "Branches"), "Branches must be an array")
            for index, branch in enumerate(branches):
                if not isinstance(branch, Mapping):
                    raise IamDerivationError(json_pointer(*where, "Branches", index),
                                             "a branch must be an object with StartAt and States")
                # Nested states default to the machine's QueryLanguage, not their parent's.
                yield from _walk(branch, (*where, "Branches", index), language)
        elif kind == "Map":
            yield from _map(name, state, where, language)


def _map(name: str, state: Mapping[str, Any], where: tuple[str | int, ...],
         language: str) -> Iterator[StatePermissions]:
    for field in ("ItemReader", "ResultWriter"):
        if field in state:
            raise UnsupportedIntegration(json_pointer(*where, field),
                                         f"{field} (S3 access of a Distributed Map) is not supported")
    key = "ItemProcessor" if "ItemProcessor" in state else "Iterator"
    processor = state.get(key)
    if not isinstance(processor, Mapping):
        raise IamDerivationError(json_pointer(*where, key), f"{key} must be an object with StartAt and States")
    config = processor.get("ProcessorConfig")
    if isinstance(config, Mapping) and config.get("Mode") == "DISTRIBUTED":
        # A Distributed Map runs each batch as a child execution of this very
        # state machine, so the role must start, watch and stop those.
        yield StatePermissions(json_pointer(*where), name, "Map (DISTRIBUTED)", (
            Grant(("states:StartExecution",), (_arn("states", f"stateMachine:{SELF_NAME}"),),
                  "a Distributed Map starts its child workflows on this state machine"),
            Grant(("states:DescribeExecution", "states:StopExecution"),
                  (_arn("states", f"execution:{SELF_NAME}/*"),),
                  "a Distributed Map watches and stops its child workflow executions"),
        ))
    yield from _walk(processor, (*where, key), language)


def _task(name: str, state: Mapping[str, Any], where: tuple[str | int, ...],
          language: str) -> StatePermissions:
    resource = state.get("Resource")
    if not isinstance(resource, str):
        raise IamDerivationError(json_pointer(*where, "Resource"), "a Task needs a Resource string")
    field = "Arguments" if language == "JSONata" else "Parameters"
    raw = state.get(field, {})
    if language == "JSONata" and isinstance(raw, str):
        args = _Args({}, language, json_pointer(*where, field), opaque=True)  # one expression: all dynamic
    elif isinstance(raw, Mapping):
        args = _Args(raw, language, json_pointer(*where, field))
    else:
        raise IamDerivationError(json_pointer(*where, field), f"{field} must be an object")
    grants = _integration_grants(resource, args, json_pointer(*where, "Resource"))
    credentials = state.get("Credentials")
    if isinstance(credentials, Mapping):
        creds = _Args(credentials, language, json_pointer(*where, "Credentials"))
        role = creds.static("RoleArn")
        grants += (Grant(("sts:AssumeRole",), (role or _arn("iam", "role/*", region=""),),
                         _why(creds, "RoleArn", "the Task runs with the credentials of this role")),)
    return StatePermissions(json_pointer(*where), name, resource, grants)


# --- reading Parameters / Arguments ---------------------------------------

class _Args:
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
        return self.opaque or key in self.raw or f"{key}.$" in self.raw

    def require(self, key: str, integration: str) -> str | None:
        """``static(key)`` of a field the integration cannot do without."""
        if not self.present(key):
            raise IamDerivationError(f"{self.where}/{key}", f"{integration} needs {key}")
        return self.static(key)

    def items(self, key: str) -> list[_Args] | None:
        """A list of objects under ``key``; None if computed at run time."""
        if self.computed(key):
            return None
        value = self.raw.get(key)
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise IamDerivationError(f"{self.where}/{key}", f"{key} must be an array of objects")
        return [_Args(v, self.language, f"{self.where}/{key}/{i}") for i, v in enumerate(value)]

    def keys_of(self, key: str) -> list[str] | None:
        """The keys of the object under ``key``; None if computed at run time."""
        if self.computed(key):
            return None
        value = self.raw.get(key)
        if not isinstance(value, Mapping):
            raise IamDerivationError(f"{self.where}/{key}", f"{key} must be an object")
        return [k.removesuffix(".$") for k in value]


# --- integrations ---------------------------------------------------------

def _integration_grants(resource: str, args: _Args, where: str) -> tuple[Grant, ...]:
    if _LAMBDA_ARN.match(resource):
        return (Grant(("lambda:InvokeFunction",), (resource,), "the Task invokes this function"),)
    if _ACTIVITY_ARN.match(resource):
        return ()  # workers poll the activity with their own credentials
    match = _INTEGRATION.match(resource)
    if not match:
        raise UnsupportedIntegration(where, f"Resource {resource!r} is not a service integration, "
                                            "Lambda function or activity ARN")
    rest = match.group("rest")
    if rest.startswith("aws-sdk:"):
        parts = rest[len("aws-sdk:"):].split(":", 1)
        if len(parts) != 2 or not parts[1]:
            raise UnsupportedIntegration(where, f"Resource {resource!r}: expected "
                                                "arn:aws:states:::aws-sdk:SERVICE:apiAction")
        api, _, pattern = parts[1].partition(".")
        return _sdk(parts[0], api, pattern, args, where)
    service, _, call = rest.partition(":")
    api, _, pattern = call.partition(".")
    optimized = _OPTIMIZED.get((service, api))
    if optimized is None or pattern not in _OPTIMIZED_PATTERNS[(service, api)]:
        raise UnsupportedIntegration(where, f"Resource {resource!r}: IAM derivation is not known for "
                                            "this integration; supported: "
                                            + ", ".join(sorted(f"{s}:{a}" for s, a in _OPTIMIZED)))
    return optimized(api, pattern, args, where)


def _dynamodb_optimized(api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    return (_table_grant(f"dynamodb:{_pascal(api)}", args, where),)


def _lambda_optimized(api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    return (Grant(("lambda:InvokeFunction",), (_function_arn(args, where),),
                  _why(args, "FunctionName", "the Task invokes this function")),)


def _states_optimized(api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    machine = args.require("StateMachineArn", "states:startExecution")
    if machine is None:
        machine_arn = _arn("states", "stateMachine:*")
        executions = ANY_EXECUTION
    else:
        machine_arn = machine
        executions = _executions_of(machine, where)
    grants = [Grant(("states:StartExecution",), (machine_arn,),
                    _why(args, "StateMachineArn", "the Task starts an execution of this state machine"))]
    if pattern in ("sync", "sync:2"):
        grants.append(Grant(("states:DescribeExecution", "states:StopExecution"), (executions,),
                            f"startExecution.{pattern} polls the child execution and stops it "
                            "when the parent stops"))
        grants.append(Grant(("events:DescribeRule", "events:PutRule", "events:PutTargets"),
                            (_arn("events", f"rule/{SYNC_RULE}"),),
                            f"startExecution.{pattern} learns of the child's end through this "
                            "rule, which Step Functions manages"))
    return tuple(grants)


def _sqs_optimized(api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    url = args.require("QueueUrl", "sqs:sendMessage")
    return (Grant(("sqs:SendMessage",), (_queue_arn(url, f"{args.where}/QueueUrl"),),
                  _why(args, "QueueUrl", "the Task sends a message to this queue")),)


def _sns_optimized(api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    for key in ("TopicArn", "TargetArn"):
        if args.present(key):
            return (Grant(("sns:Publish",), (args.static(key) or _arn("sns", "*"),),
                          _why(args, key, "the Task publishes to this topic or endpoint")),)
    return (Grant(("sns:Publish",), ("*",), "an SMS to a phone number has no resource ARN to scope to"),)


def _events_optimized(api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    entries = args.items("Entries")
    buses: set[str] = set()
    for entry in entries or []:
        bus = entry.static("EventBusName") if entry.present("EventBusName") else "default"
        if bus is None:
            entries = None
            break
        buses.add(bus if bus.startswith("arn:") else _arn("events", f"event-bus/{bus}"))
    if entries is None:
        return (Grant(("events:PutEvents",), (_arn("events", "event-bus/*"),),
                      "the event bus is chosen at run time, so any bus in the account may be used"),)
    return (Grant(("events:PutEvents",), tuple(sorted(buses)), "the Task puts events on these buses"),)


_Handler = Callable[[str, str, "_Args", str], tuple[Grant, ...]]

_OPTIMIZED: dict[tuple[str, str], _Handler] = {
    ("dynamodb", "getItem"): _dynamodb_optimized,
    ("dynamodb", "putItem"): _dynamodb_optimized,
    ("dynamodb", "updateItem"): _dynamodb_optimized,
    ("dynamodb", "deleteItem"): _dynamodb_optimized,
    ("lambda", "invoke"): _lambda_optimized,
    ("states", "startExecution"): _states_optimized,
    ("sqs", "sendMessage"): _sqs_optimized,
    ("sns", "publish"): _sns_optimized,
    ("events", "putEvents"): _events_optimized,
}

# The integration patterns each optimized integration accepts ("" = request-response).
_OPTIMIZED_PATTERNS: dict[tuple[str, str], frozenset[str]] = {
    key: frozenset({""}) for key in _OPTIMIZED
} | {
    ("lambda", "invoke"): frozenset({"", "waitForTaskToken"}),
    ("states", "startExecution"): frozenset({"", "sync", "sync:2", "waitForTaskToken"}),
    ("sqs", "sendMessage"): frozenset({"", "waitForTaskToken"}),
    ("sns", "publish"): frozenset({"", "waitForTaskToken"}),
    ("events", "putEvents"): frozenset({"", "waitForTaskToken"}),
}

# AWS SDK integration service names whose IAM prefix differs (facts from the
# Service Authorization Reference).
_SDK_PREFIX = {
    "sfn": "states",
    "cloudwatchlogs": "logs",
    "eventbridge": "events",
    "elasticloadbalancingv2": "elasticloadbalancing",
    "efs": "elasticfilesystem",
    "emrcontainers": "emr-containers",
    "emrserverless": "emr-serverless",
    "applicationautoscaling": "application-autoscaling",
    "cognitoidentityprovider": "cognito-idp",
    "cognitoidentity": "cognito-identity",
    "costexplorer": "ce",
    "sagemakerruntime": "sagemaker",
    "iotdata": "iot",
    "databasemigration": "dms",
    "opensearch": "es",
    "elasticsearch": "es",
}

# SDK calls authorised by an action of another name.
_SDK_ACTION = {
    ("s3", "listObjectsV2"): "s3:ListBucket",
    ("s3", "listObjects"): "s3:ListBucket",
    ("s3", "headObject"): "s3:GetObject",
    ("s3", "headBucket"): "s3:ListBucket",
}

# DynamoDB transactions are authorised per item operation, not as a whole.
_TRANSACT_WRITE = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem",
                   "Delete": "dynamodb:DeleteItem", "ConditionCheck": "dynamodb:ConditionCheckItem"}

# Actions AWS defines without any resource type: only "*" can grant them.
_NO_RESOURCE_TYPE = frozenset({
    "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat",
    "states:ListStateMachines", "states:ListActivities",
    "dynamodb:ListTables", "dynamodb:DescribeLimits",
    "lambda:ListFunctions", "sqs:ListQueues", "sns:ListTopics",
})


def _sdk(service: str, api: str, pattern: str, args: _Args, where: str) -> tuple[Grant, ...]:
    if pattern not in ("", "waitForTaskToken"):
        raise UnsupportedIntegration(where, f"aws-sdk:{service}:{api}.{pattern}: AWS SDK integrations "
                                            "support request-response and .waitForTaskToken only")
    if not api[:1].islower():
        raise UnsupportedIntegration(where, f"aws-sdk:{service}:{api}: the API action must be "
                                            "camelCase, e.g. getItem")
    action = _SDK_ACTION.get((service, api), f"{_SDK_PREFIX.get(service, service)}:{_pascal(api)}")
    if action in _NO_RESOURCE_TYPE:
        return (Grant((action,), ("*",), f"AWS defines {action} without a resource type, "
                                         "so only \"*\" can grant it"),)
    if service == "dynamodb":
        return _dynamodb_sdk(api, action, args, where)
    if service == "lambda" and args.present("FunctionName"):
        return (Grant((action,), (_function_arn(args, where),),
                      _why(args, "FunctionName", "the Task calls the API on this function")),)
    if service == "sfn":
        for key, kind in (("StateMachineArn", "stateMachine"), ("ExecutionArn", "execution")):
            if args.present(key):
                value = args.static(key)
                return (Grant((action,), (value or _arn("states", f"{kind}:*"),),
                              _why(args, key, f"the Task calls the API on this {kind}")),)
    if service == "sqs" and args.present("QueueUrl"):
        url = args.static("QueueUrl")
        return (Grant((action,), (_queue_arn(url, f"{args.where}/QueueUrl"),),
                      _why(args, "QueueUrl", "the Task calls the API on this queue")),)
    if service == "sns" and args.present("TopicArn"):
        return (Grant((action,), (args.static("TopicArn") or _arn("sns", "*"),),
                      _why(args, "TopicArn", "the Task calls the API on this topic")),)
    return (Grant((action,), ("*",), f"aws-sdk:{service}:{api}: the resource cannot be derived from "
                                     "the parameters of this service, so the grant is not scoped"),)


def _dynamodb_sdk(api: str, action: str, args: _Args, where: str) -> tuple[Grant, ...]:
    if api == "transactWriteItems" or api == "transactGetItems":
        items = args.items("TransactItems")
        if items is None:
            actions = tuple(sorted(_TRANSACT_WRITE.values())) if api == "transactWriteItems" \
                else ("dynamodb:GetItem",)
            return (Grant(actions, (_arn("dynamodb", "table/*"),),
                          "the transaction's items are computed at run time, so every table may be used"),)
        grants = []
        for item in items:
            kinds = _TRANSACT_WRITE if api == "transactWriteItems" else {"Get": "dynamodb:GetItem"}
            for kind, item_action in kinds.items():
                if kind in item.raw:
                    inner = item.raw[kind]
                    if not isinstance(inner, Mapping):
                        raise IamDerivationError(f"{item.where}/{kind}", f"{kind} must be an object")
                    grants.append(_table_grant(item_action, _Args(inner, args.language,
                                                                  f"{item.where}/{kind}"), where))
        return tuple(grants)
    if api in ("batchGetItem", "batchWriteItem"):
        tables = args.keys_of("RequestItems")
        if tables is None:
            return (Grant((action,), (_arn("dynamodb", "table/*"),),
                          "the batch's tables are computed at run time, so every table may be used"),)
        return (Grant((action,), tuple(sorted(_table_arn(t) for t in tables)),
                      "the batch reads or writes these tables"),)
    grant = _table_grant(action, args, where)
    if not args.present("IndexName"):
        return (grant,)
    # A Query or Scan of an index is authorised on the index's ARN.
    index = args.static("IndexName")
    return (Grant(grant.actions, (f"{grant.resources[0]}/index/{index or '*'}",),
                  _why(args, "IndexName", grant.why)),)


# --- ARNs -----------------------------------------------------------------

def _arn(service: str, resource: str, *, region: str = REGION) -> str:
    return f"arn:{PARTITION}:{service}:{region}:{ACCOUNT}:{resource}"


# What a Task is granted on when it names an execution by an ARN read at run time.
ANY_EXECUTION = _arn("states", "execution:*")


def executions_of(machine_name: str) -> str:
    """Every execution of the state machine named ``machine_name``, in this account and region.

    An execution ARN is ``arn:PARTITION:states:REGION:ACCOUNT:execution:MACHINE:EXECUTION``
    (the IAM resource type ``execution``), also when started through a version or alias.
    """
    return _arn("states", f"execution:{machine_name}:*")


def _table_arn(name: str) -> str:
    if name.startswith("arn:"):
        return name
    return _arn("dynamodb", f"table/{name}")


def _table_grant(action: str, args: _Args, where: str) -> Grant:
    name = args.require("TableName", action)
    if name is None:
        return Grant((action,), (_arn("dynamodb", "table/*"),),
                     "the table is chosen at run time, so every table in the account may be used")
    return Grant((action,), (_table_arn(name),), "the Task reads or writes this table")


def _function_arn(args: _Args, where: str) -> str:
    name = args.require("FunctionName", "lambda:invoke")
    if name is None:
        return _arn("lambda", "function:*")
    qualifier = args.static("Qualifier") if args.present("Qualifier") else ""
    if args.present("Qualifier") and qualifier is None:
        qualifier = "*"
    if name.startswith("arn:") or _is_arn_placeholder(name):
        arn = name
    else:
        parts = name.split(":")
        # name, name:qualifier, ACCOUNT:function:name[:qualifier] are the accepted forms
        if len(parts) >= 3 and parts[1] == "function":
            arn = f"arn:{PARTITION}:lambda:{REGION}:{':'.join(parts)}"
        else:
            arn = _arn("lambda", f"function:{name}")
    return f"{arn}:{qualifier}" if qualifier else arn


def _executions_of(machine_arn: str, where: str) -> str:
    if is_placeholder(machine_arn):
        # Not yet substituted (review of generated/): the placeholder stands
        # in for the machine's name; the deployer always substitutes first.
        return executions_of(machine_arn)
    parts = machine_arn.split(":")
    if len(parts) < 7 or parts[5] != "stateMachine":
        raise IamDerivationError(where, f"StateMachineArn {machine_arn!r} is not a state machine ARN")
    # Executions of a version or alias are executions of the machine itself.
    return ":".join([*parts[:5], "execution", parts[6], "*"])


def _queue_arn(url: str | None, where: str) -> str:
    if url is None:
        return _arn("sqs", "*")
    if is_placeholder(url):
        return url
    match = _QUEUE_URL.match(url)
    if not match:
        raise IamDerivationError(where, f"QueueUrl {url!r} is not an SQS queue URL")
    return f"arn:{PARTITION}:sqs:{match['region']}:{match['account']}:{match['name']}"


def _is_arn_placeholder(value: str) -> bool:
    """``${SF_LambdaARN}``-like: a whole placeholder named as an ARN stands for one."""
    return is_placeholder(value) and value[2:-1].lower().endswith("arn")


def _why(args: _Args, key: str, static_reason: str) -> str:
    if args.static(key) is None:
        return f"{key} is computed at run time, so every such resource in the account may be used"
    return static_reason


def _pascal(api: str) -> str:
    return api[:1].upper() + api[1:]


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default
