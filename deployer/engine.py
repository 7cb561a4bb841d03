"""Plan, apply and destroy a stack.

``plan`` only reads. ``apply`` creates or updates, in creation order, only
what the plan found missing or different, so a second run makes no write
call, and a run interrupted half-way converges when started again. Every
resource is checked for the prefix tag before it is changed or deleted:
a resource of the same name that this tool did not create is left alone.
What the tool created for the prefix but the stack no longer has (a removed
workflow's machine, role and log group; a removed rule file's rule) is
planned as a delete (``deployer.orphans``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from deployer import catalog, conventions
from deployer.clients import Clients
from deployer.errors import DeployFailure
from deployer.machines import system_machine
from deployer.orphans import orphans
from deployer.resources.base import Observed, Resource
from deployer.resources.event_rule import EventRule
from deployer.retry import CallRetry
from deployer.stack import Stack

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
DELETE = "delete"
ABSENT = "absent"


@dataclass(frozen=True)
class Change:
    """What a deploy does (or would do) to one resource."""

    resource: Resource
    action: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The changes a deploy would make, resource by resource, in order."""

    stack: Stack
    changes: tuple[Change, ...]

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


@dataclass(frozen=True)
class DeployResult:
    """What a deploy did; the ARN and name of every resource by logical key
    (``table:locks``, ``lock-item``, ``function:worker``, ``machine:<workflow name>``, ``rule:cleanup-rule``, ...);
    and each EventBridge rule as deployed (``EventPattern`` or ``ScheduleExpression``,
    ``Targets``), for an emulator that must deliver its events."""

    changes: tuple[Change, ...]
    arns: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def machine_arn(self, key: str) -> str:
        """The ARN of the catalogued machine ``key`` (``semaphore``, ``cleanup``, ``reconciler``, ``test``)."""
        return self.workflow_arn(system_machine(catalog.machine_by_key(key)).workflow)

    def workflow_arn(self, workflow: str) -> str:
        """The ARN of the machine deployed for the workflow named ``workflow``."""
        return self.arns[f"machine:{workflow}"]

    @property
    def test_machine_arn(self) -> str:
        return self.machine_arn(catalog.test_machine().key)


@dataclass(frozen=True)
class DestroyResult:
    """Each resource, deleted or already absent, in deletion order."""

    changes: tuple[Change, ...]


Progress = Callable[[Change], None]


def plan(stack: Stack, clients: Clients) -> Plan:
    """Read every resource and compare it with the stack; makes no write call."""
    changes = []
    for resource in stack.resources:
        observed = _read(resource, clients, stack.prefix)
        if observed is None:
            changes.append(Change(resource, CREATE))
            continue
        fields = resource.differences(observed)
        fixed = sorted(set(fields) & resource.immutable)
        if fixed:
            raise DeployFailure(f"{resource.kind} {resource.name}: {', '.join(fixed)} cannot be changed in place; "
                                "run with --destroy first, then deploy again")
        changes.append(Change(resource, UPDATE if fields else UNCHANGED, fields))
    changes += [Change(resource, DELETE) for resource in _orphans(stack, clients)]
    return Plan(stack, tuple(changes))


def apply(planned: Plan, clients: Clients, *, retry: CallRetry | None = None,
          progress: Progress | None = None) -> DeployResult:
    """Carry out ``planned``; returns the ARNs of the whole stack."""
    retry = retry or CallRetry()
    for change in planned.changes:
        resource = change.resource
        try:
            if change.action == CREATE:
                resource.create(clients, retry)
            elif change.action == UPDATE:
                resource.update(clients, retry, change.fields)
            elif change.action == DELETE:
                resource.delete(clients)
        except (ClientError, BotoCoreError) as error:
            raise DeployFailure(f"{change.action} {resource.kind} {resource.name}: {_one_line(error)}") from None
        if progress:
            progress(change)
    stack = planned.stack
    rules = {r.name: r.deployed() for r in stack.resources if isinstance(r, EventRule)}
    return DeployResult(planned.changes, {r.key: r.arn for r in stack.resources},
                        {r.key: r.name for r in stack.resources}, rules)


def destroy(stack: Stack, clients: Clients, *, progress: Progress | None = None) -> DestroyResult:
    """Delete every resource of the stack that exists, in reverse creation order, and every orphan first."""
    changes = []
    for resource in [*_orphans(stack, clients), *reversed(stack.resources)]:
        if _read(resource, clients, stack.prefix) is None:
            change = Change(resource, ABSENT)
        else:
            try:
                resource.delete(clients)
            except (ClientError, BotoCoreError) as error:
                raise DeployFailure(f"delete {resource.kind} {resource.name}: {_one_line(error)}") from None
            change = Change(resource, DELETE)
        changes.append(change)
        if progress:
            progress(change)
    return DestroyResult(tuple(changes))


def _orphans(stack: Stack, clients: Clients) -> list[Resource]:
    try:
        return orphans(stack, clients)
    except (ClientError, BotoCoreError) as error:
        raise DeployFailure(f"list what prefix {stack.prefix} has: {_one_line(error)}") from None


def _read(resource: Resource, clients: Clients, prefix: str) -> Observed | None:
    try:
        observed = resource.read(clients)
    except (ClientError, BotoCoreError) as error:
        raise DeployFailure(f"read {resource.kind} {resource.name}: {_one_line(error)}") from None
    if observed is not None and observed.tags.get(conventions.TAG_KEY) != prefix:
        raise DeployFailure(f"{resource.kind} {resource.name} exists but is not tagged {conventions.TAG_KEY}={prefix}: "
                            "it was not created by deploy.py for this prefix; refusing to change or delete it")
    return observed


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
