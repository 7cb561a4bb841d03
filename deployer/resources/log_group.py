"""A CloudWatch Logs log group with a retention period."""

from __future__ import annotations

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.resources.base import Observed, Resource, absent_on
from deployer.retry import CallRetry

_MISSING = "ResourceNotFoundException"


class LogGroup(Resource):
    """Desired fields: ``retention`` (days). ``arn`` has no ``:*`` suffix."""

    kind = "log group"

    def read(self, clients: Clients) -> Observed | None:
        pages = clients.logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=self.name)
        found = next((g for page in pages for g in page["logGroups"] if g["logGroupName"] == self.name), None)
        if found is None:
            return None
        tags = clients.logs.list_tags_for_resource(resourceArn=self.arn).get("tags", {})
        return Observed({"retention": found.get("retentionInDays")}, dict(tags))

    def create(self, clients: Clients, retry: CallRetry) -> None:
        clients.logs.create_log_group(logGroupName=self.name, tags=self.tags)
        clients.logs.put_retention_policy(logGroupName=self.name, retentionInDays=self.desired["retention"])

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        clients.logs.put_retention_policy(logGroupName=self.name, retentionInDays=self.desired["retention"])

    def delete(self, clients: Clients) -> None:
        try:
            clients.logs.delete_log_group(logGroupName=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)
