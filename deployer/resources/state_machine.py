"""A Step Functions state machine with logging and tracing."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.resources.base import Observed, Resource, absent_on
from deployer.retry import CallRetry

_MISSING = "StateMachineDoesNotExist"
# desired field -> UpdateStateMachine parameter
_UPDATABLE = {"definition": "definition", "role": "roleArn", "logging": "loggingConfiguration",
              "tracing": "tracingConfiguration"}


class StateMachine(Resource):
    """Desired fields: ``definition`` (ASL dict), ``role``, ``logging``, ``tracing``, ``type``."""

    kind = "state machine"
    immutable = frozenset({"type"})

    def read(self, clients: Clients) -> Observed | None:
        try:
            found = clients.sfn.describe_state_machine(stateMachineArn=self.arn)
        except ClientError as error:
            absent_on(error, _MISSING)
            return None
        if found.get("status") == "DELETING":
            return None  # create retries until the old one is gone
        tags = clients.sfn.list_tags_for_resource(resourceArn=self.arn).get("tags", [])
        state = {
            "definition": json.loads(found["definition"]),
            "role": found["roleArn"],
            "logging": found.get("loggingConfiguration", {"level": "OFF", "includeExecutionData": False}),
            "tracing": found.get("tracingConfiguration", {"enabled": False}),
            "type": found.get("type", "STANDARD"),
        }
        return Observed(state, {t["key"]: t["value"] for t in tags})

    def create(self, clients: Clients, retry: CallRetry) -> None:
        retry.call(clients.sfn.create_state_machine, name=self.name, type=self.desired["type"],
                   tags=[{"key": k, "value": v} for k, v in self.tags.items()],
                   **self._parameters(tuple(_UPDATABLE)))

    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        retry.call(clients.sfn.update_state_machine, stateMachineArn=self.arn,
                   **self._parameters(tuple(f for f in fields if f in _UPDATABLE)))

    def delete(self, clients: Clients) -> None:
        try:
            clients.sfn.delete_state_machine(stateMachineArn=self.arn)
        except ClientError as error:
            absent_on(error, _MISSING)

    def _parameters(self, fields: tuple[str, ...]) -> dict[str, Any]:
        values = dict(self.desired, definition=definition_text(self.desired["definition"]))
        return {_UPDATABLE[f]: values[f] for f in fields}


def definition_text(definition: dict[str, Any]) -> str:
    """The definition as sent to AWS: readable in the console, same bytes every time."""
    return json.dumps(definition, indent=2, ensure_ascii=False)
