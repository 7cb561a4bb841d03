"""The checks the build runs on each compiled workflow, and its review summary.

Validation (schema + semantic rules) and verification (lock safety) both
read the ASL dict, exactly as they would read a hand-written file.
"""

from __future__ import annotations

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


def check_and_summarise(name: str, file_name: str, documents: dict[str, dict[str, Any]]) -> str:
    """Validate and verify one workflow; return its Markdown review summary."""
    from dsl.review import render_summary
    from dsl.validate import validate
    from dsl.verify import verify

    doc = documents[file_name]
    cleanup, rule = cleanup_context(file_name, documents)
    problems = [f.line(file_name) for f in validate(doc) if f.severity == "error"]
    if problems:
        # Verification and the summary's graph assume a document the schema accepts.
        raise AnalysisFailed("; ".join(problems))
    cleanup_name = rule["Target"] if rule else None
    where = {"": file_name, "cleanup": cleanup_name, "rule": "the cleanup rule"}
    findings = verify(doc, cleanup=cleanup, rule=rule, cleanup_name=cleanup_name)
    problems += [f.line(where.get(getattr(f, "document", ""), file_name) or file_name)
                 for f in findings if f.severity == "error"]
    if problems:
        raise AnalysisFailed("; ".join(problems))
    summary: str = render_summary(name, doc, cleanup=cleanup, rule=rule, findings=findings)
    return summary
