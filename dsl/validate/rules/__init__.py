"""The semantic rules: checks a JSON Schema cannot express.

Each module declares its rules (``RULES.rule(...)``, see :mod:`dsl.rules`) and exposes
``check(machine, options) -> Iterator[Finding]``. Rules must tolerate schema-invalid documents:
they skip values of the wrong type (the schema reports those) instead of failing.

This is the one place rule modules are registered: importing this package imports every one,
so :data:`RULES` is complete (in this order, the order ``--list-rules`` prints).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dsl.document import Document
from dsl.findings import Finding
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options

# One by one, in reading order: the rules are catalogued (and listed) in the order declared.
# isort: off
from dsl.validate import schema_check
from dsl.validate.rules import references
from dsl.validate.rules import transitions
from dsl.validate.rules import errors
from dsl.validate.rules import paths
from dsl.validate.rules import query_language
from dsl.validate.rules import timing
from dsl.validate.rules import map_config
from dsl.validate.rules import placeholders
from dsl.validate.rules import variables
from dsl.validate.rules import aws_sdk
from dsl.validate.rules import integrations
# isort: on

Check = Callable[[Document, Options], Iterator[Finding]]

MODULES = (references, transitions, errors, paths, query_language, timing, map_config, placeholders,
           variables, aws_sdk, integrations)
CHECKS: tuple[Check, ...] = tuple(module.check for module in MODULES)

__all__ = ["CHECKS", "RULES", "Check", "Options", "schema_check"]
