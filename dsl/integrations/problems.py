"""How the integration helpers report a call that does not match the service's API."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from dsl.errors import DslError, Site
from dsl.findings import pointer
from dsl.integrations.sdk_model import ERROR, ParameterProblem


class IntegrationError(DslError):
    """A service integration called with a name, value or pattern its API does not have."""

    code = "DSL101"


class IntegrationWarning(UserWarning):
    """A call AWS may accept but that is probably a mistake (an unverified spelling)."""


def report(problems: Iterable[ParameterProblem], *, field: str, state: str, site: Site) -> None:
    """Raise the first error of ``problems`` as IntegrationError; warn about the rest."""
    problems = list(problems)
    # A misspelt name explains a "missing" required member, so names come first.
    for problem in sorted(problems, key=lambda p: p.kind == "required"):
        if problem.severity == ERROR:
            raise IntegrationError(f"{field}{pointer(*problem.path)}: {problem.message}",
                                   state=state, site=site)
    for problem in problems:
        warnings.warn(f"{site}: state {state!r}: {field}{pointer(*problem.path)}: {problem.message}",
                      IntegrationWarning, stacklevel=3)
