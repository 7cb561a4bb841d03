"""Resource names from the prefix, and AWS's rules for each kind of name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deployer import catalog, conventions
from deployer.errors import BadGenerated, BadOption
from deployer.machines import Machine


@dataclass(frozen=True)
class NameRule:
    """AWS's length and character rules for one kind of resource name."""

    kind: str
    min_length: int
    max_length: int
    characters: str  # a regex character class body
    described: str


STATE_MACHINE = NameRule("state machine", 1, 80, r"A-Za-z0-9_-", "letters, digits, - and _")
FUNCTION = NameRule("Lambda function", 1, 64, r"A-Za-z0-9_-", "letters, digits, - and _")
ROLE = NameRule("IAM role", 1, 64, r"A-Za-z0-9_+=,.@-", "letters, digits and +=,.@-_")
TABLE = NameRule("DynamoDB table", 3, 255, r"A-Za-z0-9_.-", "letters, digits and _.-")
RULE = NameRule("EventBridge rule", 1, 64, r"A-Za-z0-9_.-", "letters, digits and _.-")
LOG_GROUP = NameRule("log group", 1, 512, r"A-Za-z0-9_./#-", "letters, digits and _./#-")

STATES_LOG_PREFIX = "/aws/vendedlogs/states/"
LAMBDA_LOG_PREFIX = "/aws/lambda/"


@dataclass(frozen=True)
class Names:
    """Every resource name for one prefix."""

    prefix: str

    def table(self, spec: catalog.TableSpec) -> str:
        return f"{self.prefix}-{spec.suffix}"

    def function(self, spec: catalog.FunctionSpec) -> str:
        return f"{self.prefix}-{spec.suffix}"

    def machine(self, machine: Machine) -> str:
        """``<prefix>-<workflow name>``; the semaphore system's machines keep their catalogued names."""
        return f"{self.prefix}-{machine.spec.suffix if machine.spec else machine.workflow}"

    def machine_role(self, machine: Machine) -> str:
        return self.role(machine.spec.role_suffix if machine.spec else f"{machine.workflow}-role")

    def role(self, suffix: str) -> str:
        return f"{self.prefix}-{suffix}"

    def rule(self, stem: str) -> str:
        return f"{self.prefix}-{stem}"

    def machine_log_group(self, machine: Machine) -> str:
        # /aws/vendedlogs/ keeps Step Functions' log delivery under the size
        # limit of CloudWatch Logs resource policies.
        return STATES_LOG_PREFIX + self.machine(machine)

    def function_log_group(self, spec: catalog.FunctionSpec) -> str:
        return LAMBDA_LOG_PREFIX + self.function(spec)

    def all_names(self, rule_stems: tuple[str, ...], machines: tuple[Machine, ...]) -> list[Named]:
        """Every name the prefix produces, with what besides the prefix chose it."""
        pairs: list[Named] = []
        pairs += [Named(TABLE, self.table(t)) for t in catalog.TABLES]
        for f in catalog.FUNCTIONS:
            pairs += [Named(FUNCTION, self.function(f)), Named(ROLE, self.role(f.role_suffix)),
                      Named(LOG_GROUP, self.function_log_group(f))]
        for m in machines:
            source = "" if m.spec else f"workflow {m.workflow!r}"
            pairs += [Named(STATE_MACHINE, self.machine(m), source), Named(ROLE, self.machine_role(m), source),
                      Named(LOG_GROUP, self.machine_log_group(m), source)]
        pairs.append(Named(ROLE, self.role(conventions.EVENTS_ROLE_SUFFIX)))
        pairs += [Named(RULE, self.rule(stem), f"rule file {stem + '.json'!r}") for stem in rule_stems]
        return pairs


@dataclass(frozen=True)
class Named:
    """A resource name and what chose it besides the prefix (a workflow, a rule file; empty: the tool)."""

    rule: NameRule
    name: str
    source: str = ""


def check_names(prefix: str, rule_stems: tuple[str, ...], machines: tuple[Machine, ...]) -> None:
    """Refuse a prefix, workflow or rule file that makes a resource name invalid, naming the first one."""
    if not prefix:
        raise BadOption("--prefix is empty; expected e.g. CC")
    named = Names(prefix).all_names(rule_stems, machines)
    for n in named:
        rule, name = n.rule, n.name
        if not re.fullmatch(f"[{rule.characters}]+", name):
            bad = next(c for c in name if not re.fullmatch(f"[{rule.characters}]", c))
            if bad in prefix or not n.source:
                raise BadOption(f"--prefix {prefix!r} puts {bad!r} into {rule.kind} name {name!r}; "
                                f"{rule.kind} names allow only {rule.described} "
                                "(use letters, digits, - and _ in the prefix)")
            raise BadGenerated(f"{n.source} puts {bad!r} into {rule.kind} name {name!r}; {rule.kind} names "
                               f"allow only {rule.described} (rename it)")
    fixed = [n for n in named if not n.source]
    longest = min(n.rule.max_length - (len(n.name) - len(prefix)) for n in fixed)
    for n in named:
        rule, name = n.rule, n.name
        if len(name) > rule.max_length and n.source:
            raise BadGenerated(f"{n.source} with --prefix {prefix!r} makes {rule.kind} name {name!r} {len(name)} "
                               f"characters long; AWS allows {rule.max_length} (shorten the name or the prefix)")
        if len(name) > rule.max_length:
            raise BadOption(f"--prefix {prefix!r} makes {rule.kind} name {name!r} {len(name)} characters "
                            f"long; AWS allows {rule.max_length} (longest prefix: {longest} characters)")
        if len(name) < rule.min_length:
            raise BadOption(f"--prefix {prefix!r} makes {rule.kind} name {name!r} shorter than "
                            f"{rule.min_length} characters")
    seen: dict[tuple[str, str], Named] = {}
    for n in named:
        first = seen.setdefault((n.rule.kind, n.name), n)
        if first is not n:
            raise BadGenerated(f"{n.source or 'the semaphore system'} and {first.source or 'the semaphore system'} "
                               f"both make {n.rule.kind} name {n.name!r}; rename one")
