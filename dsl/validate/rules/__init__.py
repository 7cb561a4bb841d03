"""The semantic rules: checks a JSON Schema cannot express.

Each module exposes ``check(machine, options) -> Iterator[Finding]``. Rules
must tolerate schema-invalid documents: they skip values of the wrong type
(the schema reports those) instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dsl.findings import Finding
from dsl.validate.model import Machine
from dsl.validate.rules import (
    aws_sdk,
    errors,
    integrations,
    map_config,
    paths,
    placeholders,
    query_language,
    references,
    timing,
    transitions,
)
from dsl.validate.rules.base import Options

Check = Callable[[Machine, Options], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (
    references.check,
    transitions.check,
    errors.check,
    paths.check,
    query_language.check,
    timing.check,
    map_config.check,
    placeholders.check,
    aws_sdk.check,
    integrations.check,
)

__all__ = ["CHECKS", "Check", "Options"]
