"""An IAM role with its trust policy and inline policies (no managed ones)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.resources.base import Observed, Resource, absent_on
from deployer.retry import CallRetry

_MISSING = "NoSuchEntity"


class Role(Resource):
    """Desired fields: ``trust`` (document), ``policies`` (name -> document), ``managed`` (always [])."""

    kind = "iam role"

    def read(self, clients: Clients) -> Observed | None:
        try:
            role = clients.iam.get_role(RoleName=self.name)["Role"]
        except ClientError as error:
            absent_on(error, _MISSING)
            return None
        names = _all(clients.iam.get_paginator("list_role_policies"), "PolicyNames", RoleName=self.name)
        policies = {n: _document(clients.iam.get_role_policy(RoleName=self.name, PolicyName=n)["PolicyDocument"])
                    for n in names}
        managed = [p["PolicyArn"] for p in _all(clients.iam.get_paginator("list_attached_role_policies"),
                                                 "AttachedPolicies", RoleName=self.name)]
        tags = {t["Key"]: t["Value"] for t in role.get("Tags", [])}
        state = {"trust": _document(role["AssumeRolePolicyDocument"]), "policies": policies, "managed": managed}
        return Observed(state, tags)

    def create(self, clients: Clients, retry: CallRetry) -> None:
        clients.iam.create_role(RoleName=self.name, AssumeRolePolicyDocument=json.dumps(self.desired["trust"]),
                                Description=f"{self.name}: least privilege, written by deploy.py",
                                Tags=[{"Key": k, "Value": v} for k, v in self.tags.items()])
        for name, document in self.desired["policies"].items():
            clients.iam.put_role_policy(RoleName=self.name, PolicyName=name, PolicyDocument=json.dumps(document))

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        observed = self.read(clients)
        assert observed is not None
        if "trust" in fields:
            clients.iam.update_assume_role_policy(RoleName=self.name,
                                                  PolicyDocument=json.dumps(self.desired["trust"]))
        if "policies" in fields:
            current: dict[str, Any] = observed.state["policies"]
            for name, document in self.desired["policies"].items():
                if current.get(name) != document:
                    clients.iam.put_role_policy(RoleName=self.name, PolicyName=name,
                                                PolicyDocument=json.dumps(document))
            for name in current:
                if name not in self.desired["policies"]:
                    clients.iam.delete_role_policy(RoleName=self.name, PolicyName=name)
        if "managed" in fields:
            for arn in observed.state["managed"]:
                clients.iam.detach_role_policy(RoleName=self.name, PolicyArn=arn)

    def delete(self, clients: Clients) -> None:
        try:
            for name in _all(clients.iam.get_paginator("list_role_policies"), "PolicyNames", RoleName=self.name):
                clients.iam.delete_role_policy(RoleName=self.name, PolicyName=name)
            for policy in _all(clients.iam.get_paginator("list_attached_role_policies"), "AttachedPolicies",
                               RoleName=self.name):
                clients.iam.detach_role_policy(RoleName=self.name, PolicyArn=policy["PolicyArn"])
            clients.iam.delete_role(RoleName=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)


def _all(paginator: Any, key: str, **kwargs: Any) -> list[Any]:
    return [item for page in paginator.paginate(**kwargs) for item in page[key]]


def _document(value: Any) -> Any:
    # boto3 decodes policy documents; an emulator may hand back the JSON text.
    return json.loads(value) if isinstance(value, str) else value
