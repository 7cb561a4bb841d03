"""An EventBridge rule (event pattern or schedule) on the default bus, and its targets."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.resources.base import Observed, Resource, absent_on
from deployer.retry import CallRetry

_MISSING = "ResourceNotFoundException"
_RULE_FIELDS = ("pattern", "schedule", "state", "description")


class EventRule(Resource):
    """Desired fields: ``pattern`` (dict or None), ``schedule`` (str or None), ``state``,
    ``description``, ``targets`` (list of {Id, Arn, RoleArn[, Input]}; Input as a dict)."""

    kind = "eventbridge rule"

    def read(self, clients: Clients) -> Observed | None:
        try:
            rule = clients.events.describe_rule(Name=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)
            return None
        targets = [_target(t) for t in _targets(clients, self.name)]
        tags = clients.events.list_tags_for_resource(ResourceARN=rule["Arn"]).get("Tags", [])
        pattern = rule.get("EventPattern")
        state = {
            "pattern": json.loads(pattern) if pattern else None,
            "schedule": rule.get("ScheduleExpression"),
            "state": rule.get("State"),
            "description": rule.get("Description", ""),
            "targets": sorted(targets, key=lambda t: t["Id"]),
        }
        return Observed(state, {t["Key"]: t["Value"] for t in tags})

    def create(self, clients: Clients, retry: CallRetry) -> None:
        clients.events.put_rule(Name=self.name, Tags=[{"Key": k, "Value": v} for k, v in self.tags.items()],
                                **self._rule())
        clients.events.put_targets(Rule=self.name, Targets=self._targets())

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        if any(f in fields for f in _RULE_FIELDS):
            clients.events.put_rule(Name=self.name, **self._rule())
        if "targets" in fields:
            wanted = {t["Id"] for t in self.desired["targets"]}
            stale = [t["Id"] for t in _targets(clients, self.name) if t["Id"] not in wanted]
            if stale:
                clients.events.remove_targets(Rule=self.name, Ids=stale)
            clients.events.put_targets(Rule=self.name, Targets=self._targets())

    def delete(self, clients: Clients) -> None:
        try:
            ids = [t["Id"] for t in _targets(clients, self.name)]
            if ids:
                clients.events.remove_targets(Rule=self.name, Ids=ids)
            clients.events.delete_rule(Name=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)

    def deployed(self) -> dict[str, Any]:
        """The rule in PutRule/PutTargets terms, with the pattern as a dict and each Input as a dict."""
        rule: dict[str, Any] = {"Name": self.name, "Targets": [dict(t) for t in self.desired["targets"]]}
        if self.desired["pattern"] is not None:
            rule["EventPattern"] = self.desired["pattern"]
        else:
            rule["ScheduleExpression"] = self.desired["schedule"]
        return rule

    def _rule(self) -> dict[str, Any]:
        rule: dict[str, Any] = {"State": self.desired["state"], "Description": self.desired["description"]}
        if self.desired["pattern"] is not None:
            rule["EventPattern"] = json.dumps(self.desired["pattern"])
        else:
            rule["ScheduleExpression"] = self.desired["schedule"]
        return rule

    def _targets(self) -> list[dict[str, Any]]:
        return [dict(t, Input=json.dumps(t["Input"])) if "Input" in t else dict(t)
                for t in self.desired["targets"]]


def _targets(clients: Clients, rule: str) -> list[dict[str, Any]]:
    pages = clients.events.get_paginator("list_targets_by_rule").paginate(Rule=rule)
    return [t for page in pages for t in page["Targets"]]


def _target(target: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {k: target[k] for k in ("Id", "Arn", "RoleArn") if k in target}
    if "Input" in target:
        kept["Input"] = json.loads(target["Input"])
    return kept
