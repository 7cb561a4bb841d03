"""What this tool created earlier for the prefix that the stack no longer has.

A workflow whose definition was removed from ``generated/`` leaves its state machine,
its role and its log group behind, a removed rule file its rule, and the last one the
role EventBridge starts machines with. They are found by
listing state machines and rules whose names start with ``<prefix>-``, and are kept
only when they carry the prefix tag: a resource this tool did not create for the prefix
is never touched. A machine's role and log group are deleted with it only when they are
tagged too. The order is the deletion order: rules first, and a machine last, so that an
interrupted run finds the machine, and through it what is left, again.
"""

from __future__ import annotations

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.conventions import EVENTS_ROLE_SUFFIX, TAG_KEY
from deployer.names import STATES_LOG_PREFIX
from deployer.resources.base import Resource
from deployer.resources.event_rule import EventRule
from deployer.resources.log_group import LogGroup
from deployer.resources.role import Role
from deployer.resources.state_machine import StateMachine
from deployer.stack import Stack


def orphans(stack: Stack, clients: Clients) -> list[Resource]:
    """Tagged resources of the prefix that ``stack`` does not hold, in deletion order (only reads)."""
    known = {(r.kind, r.name) for r in stack.resources}
    start = f"{stack.prefix}-"
    tags = {TAG_KEY: stack.prefix}
    found: list[Resource] = []
    for page in clients.events.get_paginator("list_rules").paginate(NamePrefix=start):
        for rule in page["Rules"]:
            resource = EventRule(key=f"orphan:rule:{rule['Name']}", name=rule["Name"], arn=rule["Arn"], tags=tags,
                                 desired={})
            if (resource.kind, resource.name) not in known and _ours(resource, clients, stack.prefix):
                found.append(resource)
    events_role = f"{start}{EVENTS_ROLE_SUFFIX}"  # needed only while there are rules
    role = Role(key="orphan:role:events", name=events_role,
                arn=f"arn:{stack.partition}:iam::{stack.account}:role/{events_role}", tags=tags, desired={})
    if (role.kind, role.name) not in known and _ours(role, clients, stack.prefix):
        found.append(role)
    for page in clients.sfn.get_paginator("list_state_machines").paginate():
        for listed in page["stateMachines"]:
            machine = StateMachine(key=f"orphan:machine:{listed['name']}", name=listed["name"],
                                   arn=listed["stateMachineArn"], tags=tags, desired={})
            if (not machine.name.startswith(start) or (machine.kind, machine.name) in known
                    or not _ours(machine, clients, stack.prefix)):
                continue
            found += _belonging_to(machine, clients, stack, known)
            found.append(machine)
    return found


def _belonging_to(machine: StateMachine, clients: Clients, stack: Stack,
                  known: set[tuple[str, str]]) -> list[Resource]:
    """The machine's role and log group, where this tool made them for the prefix."""
    tags = {TAG_KEY: stack.prefix}
    try:
        role_arn: str = clients.sfn.describe_state_machine(stateMachineArn=machine.arn)["roleArn"]
    except ClientError:
        role_arn = ""  # deleted meanwhile: nothing to find through it
    role_name = role_arn.rsplit("/", 1)[-1]
    log_name = STATES_LOG_PREFIX + machine.name
    candidates: list[Resource] = []
    if role_name.startswith(f"{stack.prefix}-"):
        candidates.append(Role(key=f"orphan:role:{role_name}", name=role_name, arn=role_arn, tags=tags, desired={}))
    candidates.append(LogGroup(key=f"orphan:logs:{log_name}", name=log_name,
                               arn=f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:{log_name}",
                               tags=tags, desired={}))
    return [r for r in candidates if (r.kind, r.name) not in known and _ours(r, clients, stack.prefix)]


def _ours(resource: Resource, clients: Clients, prefix: str) -> bool:
    observed = resource.read(clients)
    return observed is not None and observed.tags.get(TAG_KEY) == prefix
