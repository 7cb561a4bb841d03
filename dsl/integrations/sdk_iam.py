"""IAM of any ``aws-sdk:SERVICE:action`` call.

The action is the service's IAM prefix (botocore's signing name, else its endpoint prefix,
with the exceptions in ``sdk_model.IAM_PREFIX_EXCEPTIONS``) and the operation's name. The
resource is scoped by the service's module when it knows how (DynamoDB tables, S3 objects,
queues, topics, functions, state machines); otherwise by the call's own ARN parameters of
the same service; otherwise it is ``*``, and the grant says why.
"""

from __future__ import annotations

from dsl.integrations import registry, sdk_model
from dsl.integrations.grants import Args, Grant, UnsupportedIntegration

# Actions AWS defines without any resource type: only "*" can grant them.
NO_RESOURCE_TYPE = frozenset({
    "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat",
    "states:ListStateMachines", "states:ListActivities",
    "dynamodb:ListTables", "dynamodb:DescribeLimits",
    "lambda:ListFunctions", "sqs:ListQueues", "sns:ListTopics", "s3:ListAllMyBuckets",
})


def iam_action(service: str, api: str) -> str:
    """``s3:GetObject`` for ``aws-sdk:s3:getObject``; raises UnknownService/UnknownAction.

    The service's module names the calls authorised by an action of another name
    (``lambda:invoke`` -> ``lambda:InvokeFunction``, ``s3:listObjectsV2`` -> ``s3:ListBucket``).
    """
    svc = sdk_model.service(service)
    operation = svc.operation(api)
    return registry.sdk_action(service, api) or f"{svc.iam_prefix}:{operation}"


def sdk_grants(service: str, api: str, pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    """The grants an aws-sdk Task needs."""
    if pattern not in ("", "waitForTaskToken"):
        raise UnsupportedIntegration(where, f"aws-sdk:{service}:{api}.{pattern}: AWS SDK integrations "
                                            "support request-response and .waitForTaskToken only")
    try:
        action = iam_action(service, api)
    except (sdk_model.UnknownService, sdk_model.UnknownAction) as err:
        raise UnsupportedIntegration(where, str(err)) from None
    if action in NO_RESOURCE_TYPE:
        return (Grant((action,), ("*",), f"AWS defines {action} without a resource type, "
                                         "so only \"*\" can grant it"),)
    scope = registry.sdk_scope(service)
    scoped = scope(api, action, args, where) if scope is not None else None
    if scoped is not None:
        return scoped
    return (_by_arn_parameters(service, api, action, args) or
            Grant((action,), ("*",), f"aws-sdk:{service}:{api}: no parameter names the resource, "
                                     "so the grant is not scoped"),)


def _by_arn_parameters(service: str, api: str, action: str, args: Args) -> Grant | None:
    """The call's parameters that hold ARNs of the called service itself (``ResourceArn``, ``TopicArn``).

    None (so ``*``) when an ARN parameter is computed at run time: it may name the resource.
    """
    prefix = action.split(":", 1)[0]
    arns: set[str] = set()
    for key, value in args.raw.items():
        name = key.removesuffix(".$")
        if not name.lower().endswith("arn"):
            continue
        if args.computed(name) or not isinstance(value, str):
            return None
        if value.startswith("arn:") and value.split(":")[2:3] == [prefix]:
            arns.add(value)
    if not arns:
        return None
    return Grant((action,), tuple(sorted(arns)), f"aws-sdk:{service}:{api} names these resources")
