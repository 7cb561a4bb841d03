"""The checks the build runs on each compiled workflow, and its review summary.

Validation (schema + semantic rules) runs on every workflow; the project's own checks
(:mod:`dsl.checks`) run on the workflows they apply to. Both read the ASL dict, exactly as they
would read a hand-written file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dsl.checks import Check, Subject, run_checks
from dsl.errors import CodedError


class AnalysisFailed(CodedError):
    """A compiled workflow has validation or check findings."""

    code = "BUILD-CHECK"


def check_and_summarise(name: str, file_name: str, documents: Mapping[str, Mapping[str, Any]], *,
                        checks: Sequence[Check] = (), declared: frozenset[str] = frozenset()) -> str:
    """Validate one workflow and run the checks that apply to it; return its Markdown review summary."""
    from dsl.review import render_summary
    from dsl.validate import validate

    doc = documents[file_name]
    problems = [f.line(file_name) for f in validate(dict(doc)) if f.severity == "error"]
    if problems:
        # The checks and the summary's graph assume a document the schema accepts.
        raise AnalysisFailed("; ".join(problems))
    outcomes = run_checks(checks, Subject(name, file_name, documents, declared))
    for outcome in outcomes:
        problems += outcome.error_lines(file_name)
    if problems:
        raise AnalysisFailed("; ".join(problems))
    summary: str = render_summary(name, dict(doc), outcomes=outcomes)
    return summary
