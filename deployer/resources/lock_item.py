"""The semaphore's lock item: created with its limit, and only its limit updated afterwards.

The limit lives in the item (every acquire condition reads it), so changing ``--limit``
rewrites one attribute and no state machine; running executions see the new limit at
their next write. Holders and waiters in the item are never touched by a deploy.

An item that exists without part of the layout (created meanwhile by something else,
or left by an older version) gets the missing attributes, empty; any other attribute
that exists, the limit aside, is never overwritten.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.catalog import SEMAPHORE
from deployer.clients import Clients
from deployer.resources.base import Observed, Resource, absent_on, error_code
from deployer.retry import CallRetry
from semaphore.pattern import Semaphore

_MISSING_TABLE = "ResourceNotFoundException"
# A table keyed otherwise cannot hold the item (its key change is the table's refusal to make).
_OTHER_KEY = "ValidationException"
_EXISTS = "ConditionalCheckFailedException"


class LockItem(Resource):
    """Desired fields: ``limit``, ``layout`` (True: every attribute of the initial item exists).

    ``name`` and ``arn`` are the table's, ``lock_name`` is the item's key.
    """

    kind = "lock item"

    def __init__(self, *, lock_name: str, semaphore: Semaphore = SEMAPHORE, **fields: Any) -> None:
        super().__init__(**fields)
        self.lock_name = lock_name
        self.semaphore = semaphore

    @property
    def _key(self) -> dict[str, Any]:
        return {self.semaphore.key_attribute: {"S": self.lock_name}}

    def read(self, clients: Clients) -> Observed | None:
        try:
            item = clients.dynamodb.get_item(TableName=self.name, Key=self._key, ConsistentRead=True).get("Item")
        except ClientError as error:
            absent_on(error, _MISSING_TABLE, _OTHER_KEY)
            return None
        if item is None:
            return None
        # The item belongs to whoever owns the table: its tags decide whether it may be changed.
        tags = clients.dynamodb.list_tags_of_resource(ResourceArn=self.arn).get("Tags", [])
        limit = item.get(self.semaphore.limit_attribute, {}).get("N")
        layout = all(name in item for name in self.semaphore.lock_item(1))
        return Observed({"limit": int(limit) if limit is not None else None, "layout": layout},
                        {t["Key"]: t["Value"] for t in tags})

    def create(self, clients: Clients, retry: CallRetry) -> None:
        item = self.semaphore.lock_item(self.desired["limit"])
        item[self.semaphore.key_attribute] = {"S": self.lock_name}
        try:
            clients.dynamodb.put_item(TableName=self.name, Item=item,
                                      ConditionExpression="attribute_not_exists(#k)",
                                      ExpressionAttributeNames={"#k": self.semaphore.key_attribute})
        except ClientError as error:
            if error_code(error) != _EXISTS:
                raise
            # Created meanwhile (by a running execution, say): keep what it holds.
            self.update(clients, retry, ("limit", "layout"))

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        # One write whatever differs: the limit, and each attribute of the layout only if it is
        # missing (if_not_exists keeps holders and waiters). Should the item have vanished since
        # the plan, this writes it whole again.
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets: list[str] = []
        initial = self.semaphore.lock_item(self.desired["limit"])
        del initial[self.semaphore.key_attribute]
        for index, (name, value) in enumerate(initial.items()):
            names[f"#a{index}"], values[f":a{index}"] = name, value
            kept = name != self.semaphore.limit_attribute
            sets.append(f"#a{index} = if_not_exists(#a{index}, :a{index})" if kept else f"#a{index} = :a{index}")
        clients.dynamodb.update_item(TableName=self.name, Key=self._key, UpdateExpression="SET " + ", ".join(sets),
                                     ExpressionAttributeNames=names, ExpressionAttributeValues=values)

    def delete(self, clients: Clients) -> None:
        try:
            clients.dynamodb.delete_item(TableName=self.name, Key=self._key)
        except ClientError as error:
            absent_on(error, _MISSING_TABLE)
