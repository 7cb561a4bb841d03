"""Resource names from the prefix, and AWS's rules for each kind of name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deployer import catalog
from deployer.errors import BadOption


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

    def machine(self, spec: catalog.MachineSpec) -> str:
        return f"{self.prefix}-{spec.suffix}"

    def role(self, suffix: str) -> str:
        return f"{self.prefix}-{suffix}"

    def rule(self, stem: str) -> str:
        return f"{self.prefix}-{stem}"

    def machine_log_group(self, spec: catalog.MachineSpec) -> str:
        # /aws/vendedlogs/ keeps Step Functions' log delivery under the size
        # limit of CloudWatch Logs resource policies.
        return STATES_LOG_PREFIX + self.machine(spec)

    def function_log_group(self, spec: catalog.FunctionSpec) -> str:
        return LAMBDA_LOG_PREFIX + self.function(spec)

    def all_names(self, rule_stems: tuple[str, ...]) -> list[tuple[NameRule, str]]:
        """Every (rule, name) pair the prefix produces."""
        pairs: list[tuple[NameRule, str]] = []
        pairs += [(TABLE, self.table(t)) for t in catalog.TABLES]
        for f in catalog.FUNCTIONS:
            pairs += [(FUNCTION, self.function(f)), (ROLE, self.role(f.role_suffix)),
                      (LOG_GROUP, self.function_log_group(f))]
        for m in catalog.MACHINES:
            pairs += [(STATE_MACHINE, self.machine(m)), (ROLE, self.role(m.role_suffix)),
                      (LOG_GROUP, self.machine_log_group(m))]
        pairs.append((ROLE, self.role(catalog.EVENTS_ROLE_SUFFIX)))
        pairs += [(RULE, self.rule(stem)) for stem in rule_stems]
        return pairs


def check_prefix(prefix: str, rule_stems: tuple[str, ...]) -> None:
    """Refuse a prefix that makes any resource name invalid, naming the first one."""
    if not prefix:
        raise BadOption("--prefix is empty; expected e.g. CC")
    pairs = Names(prefix).all_names(rule_stems)
    for rule, name in pairs:
        if not re.fullmatch(f"[{rule.characters}]+", name):
            bad = next(c for c in name if not re.fullmatch(f"[{rule.characters}]", c))
            raise BadOption(f"--prefix {prefix!r} puts {bad!r} into {rule.kind} name {name!r}; "
                            f"{rule.kind} names allow only {rule.described} "
                            "(use letters, digits, - and _ in the prefix)")
    longest = min(rule.max_length - (len(name) - len(prefix)) for rule, name in pairs)
    for rule, name in pairs:
        if len(name) > rule.max_length:
            raise BadOption(f"--prefix {prefix!r} makes {rule.kind} name {name!r} {len(name)} characters "
                            f"long; AWS allows {rule.max_length} (longest prefix: {longest} characters)")
        if len(name) < rule.min_length:
            raise BadOption(f"--prefix {prefix!r} makes {rule.kind} name {name!r} shorter than "
                            f"{rule.min_length} characters")
