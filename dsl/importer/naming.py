"""Python names from state, file and machine names: snake_case, unique, never a keyword."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

import dsl

# Names the emitted module imports, and builtins a reader would not want shadowed.
# l, O and I read as digits (pycodestyle E741).
_TAKEN = frozenset({"l", "O", "I", "aws_lambda", "dynamodb", "stepfunctions", *dsl.__all__,
                    *(name for name in dir(builtins) if not name.startswith("_"))})


def snake_case(text: str) -> str:
    """``"Get Lock"`` -> ``get_lock``, ``"myFlow-v2"`` -> ``my_flow_v2`` (may be empty)."""
    text = unicodedata.normalize("NFKC", text)  # as Python reads identifiers: one name, one variable
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text)
    return re.sub(r"\W+", "_", spaced).strip("_").lower()


def module_name(text: str) -> str:
    """A module name (file stem) for ``text``: a valid, non-keyword identifier."""
    return _identifier(snake_case(text), "workflow")


def _identifier(name: str, fallback: str) -> str:
    name = name or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or not name.isidentifier():
        name = f"{name}_{fallback}" if name.isidentifier() else fallback
    return name


class Namer:
    """Hands out unique variable names within one module."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def variable(self, state_name: str) -> str:
        """A snake_case variable for a state."""
        return self._unique(_identifier(snake_case(state_name), "state"))

    def constant(self, text: str) -> str:
        """An UPPER_CASE module constant (the workflow)."""
        return self._unique(_identifier(snake_case(text), "workflow").upper())

    def _unique(self, name: str) -> str:
        if name in _TAKEN:
            name = f"{name}_state"
        candidate, n = name, 2
        while candidate in self._used:
            candidate, n = f"{name}_{n}", n + 1
        self._used.add(candidate)
        return candidate
