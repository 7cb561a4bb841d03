"""DynamoDB integrations: getItem, putItem, updateItem, deleteItem.

The optimized integration (``arn:aws:states:::dynamodb:*``, errors named
``DynamoDB.*``) answers at once; ``update_item(..., wait_for_task_token=True)``
uses the AWS SDK integration (``aws-sdk:dynamodb:updateItem.waitForTaskToken``,
errors named ``DynamoDb.*``), the only DynamoDB call that can park an execution
until someone sends its task token back.

Parameters are written in DynamoDB's request order (table, key or item,
attribute names and values, expressions, options) so generated files read
like the API reference.
"""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, IamDerivationError, arn, why
from dsl.integrations.optimized import REQUEST_RESPONSE, GrantsOf, Optimized
from dsl.paths import Intrinsic, P
from dsl.states import Task

Value = str | int | float | P | Intrinsic
ARN = "arn:aws:states:::dynamodb:"
SDK_ARN = "arn:aws:states:::aws-sdk:dynamodb:"
CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException"
SDK_CONDITION_FAILED = "DynamoDb.ConditionalCheckFailedException"


def S(value: Value) -> dict[str, Any]:
    """A string attribute value: ``{"S": value}``."""
    return {"S": value}


def N(value: Value) -> dict[str, Any]:
    """A number attribute value: ``{"N": "value"}`` (DynamoDB sends numbers as strings)."""
    return {"N": value if isinstance(value, (P, Intrinsic)) else str(value)}


def request(table: str, head: dict[str, Any], *, names: dict[str, Any] | None,
            values: dict[str, Any] | None, expressions: dict[str, str | None],
            options: dict[str, Any]) -> dict[str, Any]:
    """One DynamoDB request in the API reference's order (also a transaction item's body)."""
    out: dict[str, Any] = {"TableName": table, **head}
    if names:
        out["ExpressionAttributeNames"] = names
    if values:
        out["ExpressionAttributeValues"] = values
    out.update({k: v for k, v in expressions.items() if v is not None})
    out.update({k: v for k, v in options.items() if v is not None})
    return out


def get_item(name: str, *, table: str, key: dict[str, Any], projection: str | None = None,
             names: dict[str, Any] | None = None, consistent_read: bool | None = None,
             **state: Any) -> Task:
    """``dynamodb:getItem``; ``consistent_read=True`` for decisions that must see the latest write."""
    parameters = request(table, {"Key": key}, names=names, values=None,
                          expressions={"ProjectionExpression": projection},
                          options={"ConsistentRead": consistent_read})
    return Task(name, resource=ARN + "getItem", parameters=parameters, **state)


def put_item(name: str, *, table: str, item: dict[str, Any], condition: str | None = None,
             names: dict[str, Any] | None = None, values: dict[str, Any] | None = None,
             **state: Any) -> Task:
    """``dynamodb:putItem``, optionally conditional."""
    parameters = request(table, {"Item": item}, names=names, values=values,
                          expressions={"ConditionExpression": condition}, options={})
    return Task(name, resource=ARN + "putItem", parameters=parameters, **state)


def update_item(name: str, *, table: str, key: dict[str, Any], update: str,
                condition: str | None = None, names: dict[str, Any] | None = None,
                values: dict[str, Any] | None = None, return_values: str | None = None,
                wait_for_task_token: bool = False, **state: Any) -> Task:
    """``dynamodb:updateItem``: ``update`` is the UpdateExpression.

    With ``wait_for_task_token`` the write runs through the SDK integration and the
    state then waits until ``$$.Task.Token`` (which the write can store) is sent back.
    """
    parameters = request(table, {"Key": key}, names=names, values=values,
                          expressions={"UpdateExpression": update, "ConditionExpression": condition},
                          options={"ReturnValues": return_values})
    resource = SDK_ARN + "updateItem.waitForTaskToken" if wait_for_task_token else ARN + "updateItem"
    return Task(name, resource=resource, parameters=parameters, **state)


def delete_item(name: str, *, table: str, key: dict[str, Any], condition: str | None = None,
                names: dict[str, Any] | None = None, values: dict[str, Any] | None = None,
                **state: Any) -> Task:
    """``dynamodb:deleteItem``, optionally conditional."""
    parameters = request(table, {"Key": key}, names=names, values=values,
                          expressions={"ConditionExpression": condition}, options={})
    return Task(name, resource=ARN + "deleteItem", parameters=parameters, **state)


# --- IAM -------------------------------------------------------------------------

def table_arn(name: str) -> str:
    """A table's ARN from its name (or the ARN itself)."""
    return name if name.startswith("arn:") else arn("dynamodb", f"table/{name}")


def table_grant(action: str, args: Args) -> Grant:
    """``action`` on the table the Task names, or on every table when it is computed at run time."""
    name = args.require("TableName", action)
    if name is None:
        return Grant((action,), (arn("dynamodb", "table/*"),),
                     "the table is chosen at run time, so every table in the account may be used")
    return Grant((action,), (table_arn(name),), "the Task reads or writes this table")


def _optimized_grants(api: str) -> GrantsOf:
    def grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
        return (table_grant(f"dynamodb:{api[:1].upper()}{api[1:]}", args),)
    return grants


# DynamoDB transactions are authorised per item operation, not as a whole.
_TRANSACT_WRITE = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem",
                   "Delete": "dynamodb:DeleteItem", "ConditionCheck": "dynamodb:ConditionCheckItem"}


def sdk_grants(api: str, action: str, args: Args, where: str) -> tuple[Grant, ...] | None:
    """aws-sdk:dynamodb calls: per-item actions for transactions, the table (or index) otherwise."""
    if api in ("transactWriteItems", "transactGetItems"):
        return _transaction_grants(api, args)
    if api in ("batchGetItem", "batchWriteItem"):
        tables = args.keys_of("RequestItems")
        if tables is None:
            return (Grant((action,), (arn("dynamodb", "table/*"),),
                          "the batch's tables are computed at run time, so every table may be used"),)
        return (Grant((action,), tuple(sorted(table_arn(t) for t in tables)),
                      "the batch reads or writes these tables"),)
    if not args.present("TableName"):
        return None
    grant = table_grant(action, args)
    if not args.present("IndexName"):
        return (grant,)
    # A Query or Scan of an index is authorised on the index's ARN.
    index = args.static("IndexName")
    return (Grant(grant.actions, (f"{grant.resources[0]}/index/{index or '*'}",),
                  why(args, "IndexName", grant.why)),)


def _transaction_grants(api: str, args: Args) -> tuple[Grant, ...]:
    kinds = _TRANSACT_WRITE if api == "transactWriteItems" else {"Get": "dynamodb:GetItem"}
    items = args.items("TransactItems")
    if items is None:
        return (Grant(tuple(sorted(set(kinds.values()))), (arn("dynamodb", "table/*"),),
                      "the transaction's items are computed at run time, so every table may be used"),)
    grants = []
    for item in items:
        for kind, item_action in kinds.items():
            if kind in item.raw:
                inner = item.nested(kind)
                if inner is None:
                    raise IamDerivationError(f"{item.where}/{kind}", f"{kind} must be an object")
                grants.append(table_grant(item_action, inner))
    return tuple(grants)


OPTIMIZED = tuple(
    Optimized("dynamodb", api, frozenset({REQUEST_RESPONSE}), _optimized_grants(api),
              model=("dynamodb", api), error_prefix="DynamoDB")
    for api in ("getItem", "putItem", "updateItem", "deleteItem"))
