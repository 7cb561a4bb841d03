"""A DynamoDB table, billed per request, keyed by one string attribute."""

from __future__ import annotations

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.resources.base import Observed, Resource, absent_on
from deployer.retry import CallRetry

_MISSING = "ResourceNotFoundException"
_WAIT = {"Delay": 2, "MaxAttempts": 150}


class Table(Resource):
    """Desired fields: ``billing``, ``keys``, ``attributes``, ``ready`` (ACTIVE)."""

    kind = "dynamodb table"
    immutable = frozenset({"keys", "attributes"})

    def read(self, clients: Clients) -> Observed | None:
        try:
            table = clients.dynamodb.describe_table(TableName=self.name)["Table"]
        except ClientError as error:
            absent_on(error, _MISSING)
            return None
        if table["TableStatus"] == "DELETING":
            # A table of this name is going away: wait, then it is absent.
            clients.dynamodb.get_waiter("table_not_exists").wait(TableName=self.name, WaiterConfig=_WAIT)
            return None
        tags = clients.dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
        state = {
            "billing": table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
            "keys": table["KeySchema"],
            "attributes": table["AttributeDefinitions"],
            "ready": table["TableStatus"] == "ACTIVE",
        }
        return Observed(state, {t["Key"]: t["Value"] for t in tags})

    def create(self, clients: Clients, retry: CallRetry) -> None:
        clients.dynamodb.create_table(TableName=self.name, BillingMode=self.desired["billing"],
                                      KeySchema=self.desired["keys"],
                                      AttributeDefinitions=self.desired["attributes"],
                                      Tags=[{"Key": k, "Value": v} for k, v in self.tags.items()])
        self._wait_active(clients)

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        if "billing" in fields:
            self._wait_active(clients)
            clients.dynamodb.update_table(TableName=self.name, BillingMode=self.desired["billing"])
        self._wait_active(clients)

    def delete(self, clients: Clients) -> None:
        try:
            clients.dynamodb.delete_table(TableName=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)
            return
        clients.dynamodb.get_waiter("table_not_exists").wait(TableName=self.name, WaiterConfig=_WAIT)

    def _wait_active(self, clients: Clients) -> None:
        clients.dynamodb.get_waiter("table_exists").wait(TableName=self.name, WaiterConfig=_WAIT)
