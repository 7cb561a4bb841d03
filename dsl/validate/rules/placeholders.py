"""Deploy-time placeholders in strict mode.

Without ``strict`` placeholders are accepted wherever a string is: the schema
lets a whole ``${Name}`` stand for a Resource or RoleArn, and the path and
timestamp rules skip values that are a whole placeholder. A placeholder in a
field that needs a number stays a schema error in both modes, because textual
substitution leaves a JSON string there (the message says so).
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.document import Document, walk_values
from dsl.findings import Finding
from dsl.placeholders import find_all
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding

PLACEHOLDER_LEFT = RULES.rule(
    "ASL-PLACEHOLDER-001", "error",
    "a ${Name} deploy-time placeholder is left in the definition (--strict only)",
    docs="")


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """In strict mode, one finding per string that holds placeholders."""
    if not options.strict:
        return
    for parts, value in walk_values(machine.doc, ()):
        if isinstance(value, str) and "${" in value:
            names = find_all(value)
            if names:
                yield finding(PLACEHOLDER_LEFT, parts,
                              f"unresolved deploy-time placeholder{'s' if len(names) > 1 else ''} "
                              f"{', '.join(names)}; --strict needs the substituted, deployable definition")
