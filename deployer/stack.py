"""From options and ``generated/`` to the list of resources to deploy.

``prepare`` runs every check that needs no AWS call and raises a ``Refusal``
on the first failure. ``build_stack`` then fills in the account and returns
the resources in creation order (destroy walks them backwards). With no
``Prepared`` it returns the same resources without desired state, enough to
delete them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from deployer import catalog, checks, conventions, params, policies
from deployer.capacity import Capacity, check_limit, lock_item_capacity
from deployer.config import DeployConfig, check_options
from deployer.errors import InvalidDefinition
from deployer.generated import (
    Generated,
    RuleFile,
    machine_files,
    read_generated,
    rule_stems,
)
from deployer.machines import Machine, machines_for, system_machine
from deployer.names import Names, check_names
from deployer.package import Package, zip_directory
from deployer.resources.base import Resource
from deployer.resources.event_rule import EventRule
from deployer.resources.function import Function
from deployer.resources.lock_item import LockItem
from deployer.resources.log_group import LogGroup
from deployer.resources.role import Role
from deployer.resources.state_machine import StateMachine, definition_text
from deployer.resources.table import Table
from deployer.templates import PLACEHOLDER, UnknownPlaceholder, strings_in, substitute
from dsl import iam

POLICY_NAME = "least-privilege"
# AWS rejects a state machine definition over 1 MiB.
MAX_DEFINITION_BYTES = 1024 * 1024
# Used only to measure and check definitions before the real account is known.
_SAMPLE_ACCOUNT = "000000000000"


@dataclass(frozen=True)
class Prepared:
    """Options and generated files that passed every local check."""

    config: DeployConfig
    generated: Generated
    packages: dict[str, Package]
    capacity: Capacity
    warnings: tuple[str, ...]
    file_params: dict[str, str]


@dataclass(frozen=True)
class Stack:
    """The resources of one prefix in one account and region, in creation order."""

    prefix: str
    region: str
    partition: str
    account: str
    resources: tuple[Resource, ...]

    def get(self, key: str) -> Resource:
        """The resource with logical key ``key`` (e.g. ``machine:test-run-semaphore``)."""
        return next(r for r in self.resources if r.key == key)


def prepare(config: DeployConfig) -> Prepared:
    """Check options, names, limit, freshness, definitions and placeholders; read what will be deployed."""
    check_options(config)
    file_params = params.read_params_file(config.params_file) if config.params_file else {}
    check_names(config.prefix, rule_stems(config.generated_dir), machines_for(machine_files(config.generated_dir)))
    names = Names(config.prefix)
    # The machine with the longest name has the longest holder ARNs: it bounds the limit.
    holder = max((system_machine(m) for m in catalog.MACHINES if m.acquires_lock),
                 key=lambda m: len(names.machine(m)))
    capacity = lock_item_capacity(lock_name=config.lock_name, machine_name=names.machine(holder),
                                  region=config.region, partition=config.partition)
    check_limit(config.limit, capacity)
    warnings = checks.check_fresh(definitions_dir=config.definitions_dir, generated_dir=config.generated_dir)
    generated = read_generated(config.generated_dir)
    if config.check_definitions:
        warnings += checks.check_definitions(generated)
    else:
        warnings.append("check_definitions=False: the definitions were not validated or verified")
    for file, document in generated.machines.items():
        try:
            iam.required_permissions(document)
        except iam.IamDerivationError as exc:
            raise InvalidDefinition(f"{generated.directory / file}:{exc}") from None
    packages = {f.key: zip_directory(config.source_root / f.source, handler=f.handler) for f in catalog.FUNCTIONS}
    prepared = Prepared(config, generated, packages, capacity, tuple(warnings), file_params)
    builder = _Builder(config, _SAMPLE_ACCOUNT, prepared)
    builder.resources()  # every placeholder known, sizes in range
    return replace(prepared, warnings=(*prepared.warnings, *builder.param_warnings))


def build_stack(config: DeployConfig, account: str, prepared: Prepared | None = None) -> Stack:
    """The stack for ``account``; without ``prepared``, identities only (for destroy)."""
    resources = _Builder(config, account, prepared).resources()
    return Stack(config.prefix, config.region, config.partition, account, tuple(resources))


class _Builder:
    def __init__(self, config: DeployConfig, account: str, prepared: Prepared | None) -> None:
        self.config = config
        self.account = account
        self.prepared = prepared
        self.names = Names(config.prefix)
        self.tags = {conventions.TAG_KEY: config.prefix}
        if prepared:
            self.stems = tuple(r.stem for r in prepared.generated.rules)
            self.machines = prepared.generated.deployed
            self.values, self.param_warnings = params.resolve(
                self.documents(prepared.generated), stack=self.stack_values(), params=config.params,
                file_params=prepared.file_params)
        else:
            self.stems = rule_stems(config.generated_dir)
            self.machines = machines_for({*machine_files(config.generated_dir), *(m.file for m in catalog.MACHINES)})
            self.values, self.param_warnings = {}, []

    # --- ARNs -----------------------------------------------------------

    def arn(self, service: str, resource: str, *, region: str | None = None) -> str:
        region = self.config.region if region is None else region
        return f"arn:{self.config.partition}:{service}:{region}:{self.account}:{resource}"

    def role_arn(self, name: str) -> str:
        return self.arn("iam", f"role/{name}", region="")

    def machine_arn(self, machine: Machine) -> str:
        return self.arn("states", f"stateMachine:{self.names.machine(machine)}")

    def function_arn(self, spec: catalog.FunctionSpec) -> str:
        return self.arn("lambda", f"function:{self.names.function(spec)}")

    def log_group_arn(self, name: str) -> str:
        return self.arn("logs", f"log-group:{name}")

    def machine_of(self, file: str) -> Machine:
        return next(m for m in self.machines if m.file == file)

    # --- placeholders ---------------------------------------------------

    def stack_values(self) -> dict[str, str]:
        """What the stack's own resources fill in."""
        values = {catalog.LOCK_NAME_PLACEHOLDER: self.config.lock_name,
                  catalog.LIMIT_PLACEHOLDER: str(self.config.limit)}
        values.update({t.name_placeholder: self.names.table(t) for t in catalog.TABLES})
        values.update({f.arn_placeholder: self.function_arn(f) for f in catalog.FUNCTIONS})
        values.update({m.spec.arn_placeholder: self.machine_arn(m) for m in self.machines
                       if m.spec and m.spec.arn_placeholder})
        return values

    @staticmethod
    def documents(generated: Generated) -> list[tuple[str, Any]]:
        return [*((str(generated.directory / file), doc) for file, doc in sorted(generated.machines.items())),
                *((str(r.path), r.document) for r in generated.rules)]

    def filled(self, document: dict[str, Any], source: str) -> dict[str, Any]:
        try:
            result: dict[str, Any] = substitute(document, self.values)
        except UnknownPlaceholder as exc:  # resolve() found every placeholder a value
            raise AssertionError(f"{source}:{exc.where}: ${{{exc.name}}} has no value") from None
        left = next((s for s in strings_in(result) if "${" in s), None)
        if left is not None:
            raise InvalidDefinition(f"{source}: {left!r} still contains '${{' after filling placeholders "
                                    f"(placeholders look like {PLACEHOLDER.pattern})")
        return result

    # --- resources ------------------------------------------------------

    def resources(self) -> list[Resource]:
        machines = [self.machine(m) for m in self.machines]
        return [
            *(self.function_role(f) for f in catalog.FUNCTIONS),
            *(self.machine_role(m, machine) for m, machine in zip(self.machines, machines, strict=True)),
            *([self.events_role()] if self.stems else []),
            *(self.log_group(f"logs:function:{f.key}", self.names.function_log_group(f)) for f in catalog.FUNCTIONS),
            *(self.log_group(f"logs:{m.key}", self.names.machine_log_group(m)) for m in self.machines),
            *(self.table(t) for t in catalog.TABLES),
            self.lock_item(),
            *(self.function(f) for f in catalog.FUNCTIONS),
            *machines,
            *(self.rule(stem) for stem in self.stems),
        ]

    def role(self, key: str, name: str, service: str, policy: dict[str, Any] | None) -> Role:
        desired: dict[str, Any] = {}
        if policy is not None:
            desired = {"trust": policies.trust_policy(service, self.account), "policies": {POLICY_NAME: policy},
                       "managed": []}
        return Role(key=key, name=name, arn=self.role_arn(name), tags=self.tags, desired=desired)

    def function_role(self, spec: catalog.FunctionSpec) -> Role:
        policy = (policies.function_policy(self.log_group_arn(self.names.function_log_group(spec)))
                  if self.prepared else None)
        return self.role(f"role:function:{spec.key}", self.names.role(spec.role_suffix), "lambda.amazonaws.com",
                         policy)

    def machine_role(self, machine: Machine, resource: StateMachine) -> Role:
        policy = None
        if self.prepared:
            location = policies.location_values(partition=self.config.partition, region=self.config.region,
                                                account=self.account, machine_name=resource.name)
            described = machine.spec.describes_executions_of if machine.spec else None
            policy = policies.machine_policy(
                resource.desired["definition"], location,
                reads_executions_of=(self.names.machine(system_machine(catalog.machine_by_key(described.machine)))
                                     if described else None),
                because=described.reason if described else "")
        return self.role(f"role:{machine.key}", self.names.machine_role(machine), "states.amazonaws.com", policy)

    def events_role(self) -> Role:
        policy = None
        if self.prepared:
            policy = policies.start_execution_policy([self.machine_arn(self.machine_of(r.target))
                                                      for r in self.prepared.generated.rules])
        return self.role("role:events", self.names.role(conventions.EVENTS_ROLE_SUFFIX), "events.amazonaws.com",
                         policy)

    def log_group(self, key: str, name: str) -> LogGroup:
        desired = {"retention": conventions.LOG_RETENTION_DAYS} if self.prepared else {}
        return LogGroup(key=key, name=name, arn=self.log_group_arn(name), tags=self.tags, desired=desired)

    def table(self, spec: catalog.TableSpec) -> Table:
        desired: dict[str, Any] = {}
        if self.prepared:
            desired = {"billing": "PAY_PER_REQUEST",
                       "keys": [{"AttributeName": spec.hash_key, "KeyType": "HASH"}],
                       "attributes": [{"AttributeName": spec.hash_key, "AttributeType": "S"}],
                       "ready": True}
        name = self.names.table(spec)
        return Table(key=f"table:{spec.key}", name=name, arn=self.arn("dynamodb", f"table/{name}"),
                     tags=self.tags, desired=desired)

    def lock_item(self) -> LockItem:
        table = self.names.table(catalog.TABLES[0])
        desired: dict[str, Any] = {"limit": self.config.limit, "layout": True} if self.prepared else {}
        return LockItem(key="lock-item", name=table, arn=self.arn("dynamodb", f"table/{table}"), tags=self.tags,
                        desired=desired, lock_name=self.config.lock_name)

    def function(self, spec: catalog.FunctionSpec) -> Function:
        desired: dict[str, Any] = {}
        package = None
        if self.prepared:
            package = self.prepared.packages[spec.key]
            desired = {"runtime": catalog.LAMBDA_RUNTIME, "handler": spec.handler,
                       "role": self.role_arn(self.names.role(spec.role_suffix)), "timeout": spec.timeout_seconds,
                       "environment": dict(self.config.function_env), "code": package.sha256, "ready": True}
        return Function(key=f"function:{spec.key}", name=self.names.function(spec), arn=self.function_arn(spec),
                        tags=self.tags, desired=desired, package=package)

    def machine(self, machine: Machine) -> StateMachine:
        desired: dict[str, Any] = {}
        if self.prepared:
            source = str(self.prepared.generated.directory / machine.file)
            definition = self.filled(self.prepared.generated.machines[machine.file], source)
            size = len(definition_text(definition).encode("utf-8"))
            if size > MAX_DEFINITION_BYTES:
                raise InvalidDefinition(f"{source}: the filled definition is {size:,} bytes; "
                                        f"AWS accepts at most {MAX_DEFINITION_BYTES:,}")
            log_arn = self.log_group_arn(self.names.machine_log_group(machine))
            desired = {
                "definition": definition,
                "role": self.role_arn(self.names.machine_role(machine)),
                "logging": {"level": "ALL", "includeExecutionData": True,
                            "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": f"{log_arn}:*"}}]},
                "tracing": {"enabled": True},
                "type": machine.type,
            }
        return StateMachine(key=machine.key, name=self.names.machine(machine), arn=self.machine_arn(machine),
                            tags=self.tags, desired=desired)

    def rule(self, stem: str) -> EventRule:
        name = self.names.rule(stem)
        desired: dict[str, Any] = {}
        if self.prepared:
            found: RuleFile = next(r for r in self.prepared.generated.rules if r.stem == stem)
            document = self.filled(found.document, str(found.path))
            target_machine = self.machine_of(found.target)
            target: dict[str, Any] = {"Id": conventions.RULE_TARGET_ID, "Arn": self.machine_arn(target_machine),
                                      "RoleArn": self.role_arn(self.names.role(conventions.EVENTS_ROLE_SUFFIX))}
            if "Input" in document:
                target["Input"] = document["Input"]
            desired = {"pattern": document.get("EventPattern"), "schedule": document.get("ScheduleExpression"),
                       "state": "ENABLED",
                       "description": document.get("Description", f"{found.path.name}: starts "
                                                                  f"{self.names.machine(target_machine)}"),
                       "targets": [target]}
        return EventRule(key=f"rule:{stem}", name=name, arn=self.arn("events", f"rule/{name}"), tags=self.tags,
                         desired=desired)
