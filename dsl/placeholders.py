"""Deploy-time placeholders: ``${Name}`` strings filled in before a definition is deployed.

One definition of what a placeholder looks like, shared by the validator (which
accepts them), the IAM derivation and the review summary (which report them)
and the deployer (which fills them in).
"""

from __future__ import annotations

import re

# ``${SF_LockName}`` as in the original sample; ``.``, ``:`` and ``-`` also occur in
# substitution schemes such as CloudFormation's ``${AWS::Region}``.
PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.:-]*)\}")


def is_placeholder(value: object) -> bool:
    """True when ``value`` is a string that is exactly one placeholder."""
    return isinstance(value, str) and PATTERN.fullmatch(value) is not None


def find_all(text: str) -> list[str]:
    """Every placeholder in ``text``, as written (``${Name}``), in order."""
    return [match.group(0) for match in PATTERN.finditer(text)]
