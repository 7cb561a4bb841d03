"""Errors raised by the DSL, each with a stable code, and :class:`CodedError`, the project's error base.

Every error the project raises on purpose (DSL, ASL loading, graph, IAM, review, build checks,
verify, deploy, local run) derives from :class:`CodedError`: a stable ``code`` in one format
(:data:`CODE_FORMAT`) and a one-line ``message``; ``docs/architecture.md`` lists every code.

Every build-time error names the state it is about and the Python ``file:line``
where that state was defined, so the message points at the author's code, not
at the compiler.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Any, ClassVar

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


CODE_FORMAT = re.compile(r"[A-Z]+(?:-[A-Z]+)*(?:-?[0-9]{3})?")
"""Upper-case words joined by hyphens, optionally ending in a three-digit number: ``DSL001``,
``IAM002``, ``ASL-LOAD``, ``DEPLOY-REFUSED``, ``LOCAL-STOP``."""


class CodedError(Exception):
    """Base of every error the project raises on purpose: a stable ``code`` and a one-line ``message``.

    ``text`` is the exception's string when it is more than the message (a location, the code);
    a subclass whose ``code`` does not match :data:`CODE_FORMAT` is refused when it is defined.
    """

    code: ClassVar[str] = "ERROR"
    code_in_text: ClassVar[bool] = False
    """When true and no ``text`` is given, the exception reads ``CODE message``."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not CODE_FORMAT.fullmatch(cls.code):
            raise TypeError(f"{cls.__qualname__}.code {cls.code!r} does not match {CODE_FORMAT.pattern}")

    def __init__(self, message: str, *, text: str | None = None) -> None:
        self.message = message
        if text is None:
            text = f"{self.code} {message}" if self.code_in_text else message
        super().__init__(text)


class DslError(CodedError):
    """Base class of every error the DSL raises; ``code`` is stable across releases."""

    code = "DSL000"

    def __init__(self, message: str, *, state: str | None = None, site: Site | None = None,
                 other: Site | None = None) -> None:
        self.message = message
        self.state = state
        self.site = site
        self.other = other
        super().__init__(message, text=self.format())

    def format(self) -> str:
        where = f"{self.site}: " if self.site else ""
        subject = f"state {self.state!r}: " if self.state is not None else ""
        also = f" (other site: {self.other})" if self.other else ""
        return f"{where}{self.code} {subject}{self.message}{also}"


class DuplicateStateName(DslError):
    """Two states of one workflow share a name."""

    code = "DSL001"


class UnknownTransition(DslError):
    """A transition names a state that is not in its scope."""

    code = "DSL002"


class UnreachableState(DslError):
    """A state no transition reaches."""

    code = "DSL003"


class EndNextConflict(DslError):
    """A state that both ends and has a next state, or neither."""

    code = "DSL004"


class TerminalStateTransition(DslError):
    """A transition out of a Succeed or Fail state."""

    code = "DSL005"


class NameTooLong(DslError):
    """A state name longer than AWS allows (80 characters)."""

    code = "DSL006"


class BadPath(DslError):
    """A JSONPath or reference path that is not well formed."""

    code = "DSL007"


class ErrorOrder(DslError):
    """``States.ALL`` that is not the last error matcher of its retrier or catcher."""

    code = "DSL008"


class QueryLanguageMismatch(DslError):
    """A field or state of one query language inside the other."""

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


class MissingPart(DslError):
    """A state without a part it cannot do without: a Map's item processor, a Choice's rules."""

    code = "DSL014"


class DslWarning(UserWarning):
    """A definition Step Functions accepts but that is probably a mistake.

    Issued at compile time with the author's Python ``file:line``; ``python -m dsl build``
    prints each as one line and still builds.
    """


class UnassignedVariableWarning(DslWarning):
    """A state reads a variable (``$name``) that no earlier ``Assign`` defines (ASL-VAR-001).

    Issued with the reading state's Python ``file:line``; ``python -m dsl build``
    prints each as one line and still builds, since Step Functions accepts it.
    """


class ImpossibleErrorWarning(DslWarning):
    """A Retry/Catch names an error the Task's integration never raises (ASL-SDK-008).

    Issued with the ``.retry()``/``.catch()`` line, e.g. ``DynamoDB.`` on an aws-sdk DynamoDB
    call, whose errors are named ``DynamoDb.``.
    """
