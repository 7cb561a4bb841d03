"""Where a state sits in its document, as the review artifacts show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dsl.review.markdown import code


@dataclass(frozen=True)
class Enclosing:
    """One enclosing scope of a state: a Parallel's branch (numbered from 1) or a Map's items (``branch=None``)."""

    state: str
    branch: int | None = None


def where_text(where: Sequence[Enclosing]) -> str:
    """A scope chain as Markdown: ``top level``, or the code-quoted state names with branch numbers."""
    if not where:
        return "top level"
    return " › ".join(code(scope.state) + (f" › branch {scope.branch}" if scope.branch else "")
                      for scope in where)
