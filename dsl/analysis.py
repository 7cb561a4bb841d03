"""The checks the build runs on each compiled workflow, and its review summary.

Validation (schema + semantic rules) and verification (lock safety) both
read the ASL dict, exactly as they would read a hand-written file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class AnalysisFailed(Exception):
    """A compiled workflow has validation or verification findings."""


def cleanup_context(file_name: str, documents: dict[str, dict[str, Any]]
                    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The cleanup workflow and EventBridge rule that apply to ``file_name``, if any."""
    rules = [doc for doc in documents.values() if "EventPattern" in doc and "Target" in doc]
    for rule in rules:
        target = rule["Target"]
        if target != file_name and target in documents:
            return documents[target], rule
    return None, None


def check_and_summarise(name: str, file_name: str, documents: dict[str, dict[str, Any]], *,
                        verify_report: Callable[[str], None] | None = None) -> str:
    """Validate and verify one workflow; return its Markdown review summary.

    Validation errors always raise; verify's errors raise too unless ``verify_report`` is
    given, which then receives each one as a line (the build reports without blocking).
    """
    from dsl.review import render_summary
    from dsl.validate import validate
    from dsl.verify import verify

    doc = documents[file_name]
    cleanup, rule = cleanup_context(file_name, documents)
    problems = [f.line(file_name) for f in validate(doc) if f.severity == "error"]
    cleanup_name = rule["Target"] if rule else None
    where = {"": file_name, "cleanup": cleanup_name, "rule": "the cleanup rule"}
    findings = verify(doc, cleanup=cleanup, rule=rule, cleanup_name=cleanup_name)
    verify_problems = [f.line(where.get(getattr(f, "document", ""), file_name) or file_name)
                       for f in findings if f.severity == "error"]
    if verify_report is not None and not problems:
        for line in verify_problems:
            verify_report(line)
    else:
        problems += verify_problems
    if problems:
        raise AnalysisFailed("; ".join(problems))
    summary: str = render_summary(name, doc, cleanup=cleanup, rule=rule, findings=findings)
    return summary
