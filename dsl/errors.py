"""Errors raised by the DSL, each with a stable code.

Every build-time error names the state it is about and the Python ``file:line``
where that state was defined, so the message points at the author's code, not
at the compiler.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Site:
    """Where in the author's Python code something happened."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def caller_site() -> Site:
    """The first stack frame outside the ``dsl`` package: the author's line."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        # "<string>" frames are the __init__ methods that dataclasses generate.
        if not filename.startswith(_PACKAGE_DIR + os.sep) and not frame.f_code.co_filename.startswith("<"):
            return Site(_relative(filename), frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return Site("<unknown>", 0)


def _relative(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


class DslError(Exception):
    """Base class of every error the DSL raises; ``code`` is stable across releases."""

    code = "DSL000"

    def __init__(self, message: str, *, state: str | None = None, site: Site | None = None,
                 other: Site | None = None) -> None:
        self.message = message
        self.state = state
        self.site = site
        self.other = other
        super().__init__(self.format())

    def format(self) -> str:
        where = f"{self.site}: " if self.site else ""
        subject = f"state {self.state!r}: " if self.state is not None else ""
        also = f" (other site: {self.other})" if self.other else ""
        return f"{where}{self.code} {subject}{self.message}{also}"


class DuplicateStateName(DslError):
    code = "DSL001"


class UnknownTransition(DslError):
    code = "DSL002"


class UnreachableState(DslError):
    code = "DSL003"


class EndNextConflict(DslError):
    code = "DSL004"


class TerminalStateTransition(DslError):
    code = "DSL005"


class NameTooLong(DslError):
    code = "DSL006"


class BadPath(DslError):
    code = "DSL007"


class ErrorOrder(DslError):
    code = "DSL008"


class QueryLanguageMismatch(DslError):
    code = "DSL009"


class WiringError(DslError):
    """One state placed in two scopes, or a transition set twice."""

    code = "DSL010"


class FrozenError(DslError):
    """A change to a state after its workflow was built."""

    code = "DSL011"


class InvalidField(DslError):
    """A field value of the wrong type or out of its range."""

    code = "DSL012"


class DefinitionError(DslError):
    """A definition module that cannot be loaded or exports no workflow."""

    code = "DSL013"


class UnassignedVariableWarning(UserWarning):
    """A state reads a variable (``$name``) that no earlier ``Assign`` defines (ASL-VAR-001).

    Issued with the reading state's Python ``file:line``; ``python -m dsl build``
    prints each as one line and still builds, since Step Functions accepts it.
    """
