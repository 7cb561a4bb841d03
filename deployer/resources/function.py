"""A Python Lambda function deployed from an in-memory zip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.package import Package
from deployer.resources.base import Observed, Resource, absent_on
from deployer.retry import CallRetry

_MISSING = "ResourceNotFoundException"
_WAIT = {"Delay": 2, "MaxAttempts": 150}
_CONFIGURATION = ("runtime", "handler", "role", "timeout", "environment")


class Function(Resource):
    """Desired fields: ``runtime``, ``handler``, ``role``, ``timeout``, ``environment``,
    ``code`` (the zip's SHA-256) and ``ready`` (Active, last update done)."""

    kind = "lambda function"

    def __init__(self, *, key: str, name: str, arn: str, tags: Mapping[str, str], desired: Mapping[str, Any],
                 package: Package | None) -> None:
        super().__init__(key=key, name=name, arn=arn, tags=tags, desired=desired)
        self.package = package  # None when only deleting

    def read(self, clients: Clients) -> Observed | None:
        try:
            found = clients.lambda_.get_function(FunctionName=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)
            return None
        conf = found["Configuration"]
        state = {
            "runtime": conf.get("Runtime"),
            "handler": conf.get("Handler"),
            "role": conf.get("Role"),
            "timeout": conf.get("Timeout"),
            "environment": conf.get("Environment", {}).get("Variables", {}),
            "code": conf.get("CodeSha256"),
            "ready": conf.get("State", "Active") == "Active"
                     and conf.get("LastUpdateStatus", "Successful") == "Successful",
        }
        return Observed(state, dict(found.get("Tags", {})))

    def create(self, clients: Clients, retry: CallRetry) -> None:
        assert self.package is not None
        retry.call(clients.lambda_.create_function, FunctionName=self.name, Code={"ZipFile": self.package.data},
                   Tags=self.tags, Publish=False, **self._configuration())
        clients.lambda_.get_waiter("function_active_v2").wait(FunctionName=self.name, WaiterConfig=_WAIT)

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        self._wait_updated(clients)
        if "code" in fields:
            assert self.package is not None
            clients.lambda_.update_function_code(FunctionName=self.name, ZipFile=self.package.data)
            self._wait_updated(clients)
        if any(f in fields for f in _CONFIGURATION):
            retry.call(clients.lambda_.update_function_configuration, FunctionName=self.name,
                       **self._configuration())
            self._wait_updated(clients)
        clients.lambda_.get_waiter("function_active_v2").wait(FunctionName=self.name, WaiterConfig=_WAIT)

    def delete(self, clients: Clients) -> None:
        try:
            clients.lambda_.delete_function(FunctionName=self.name)
        except ClientError as error:
            absent_on(error, _MISSING)

    def _configuration(self) -> dict[str, object]:
        return {"Runtime": self.desired["runtime"], "Handler": self.desired["handler"],
                "Role": self.desired["role"], "Timeout": self.desired["timeout"],
                "Environment": {"Variables": dict(self.desired["environment"])}}

    def _wait_updated(self, clients: Clients) -> None:
        clients.lambda_.get_waiter("function_updated_v2").wait(FunctionName=self.name, WaiterConfig=_WAIT)
