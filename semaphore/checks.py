"""The semaphore application's build check: lock verification, for the workflows that hold a lock.

Named in the project's ``pyproject.toml`` (``[tool.sfn-dsl] checks = ["semaphore.checks"]``, see
:mod:`dsl.checks`). It applies to a workflow that asks for it (``Workflow(..., checks=("lock",))``,
as the :class:`~semaphore.pattern.Semaphore` pattern's cleanup and reconciler workflows do) or in
which the verifier identifies a lock (see :func:`semaphore.verify.uses_lock`); any other workflow is
not verified, and its summary says nothing of locks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dsl.checks import Outcome, Subject
from dsl.review.markdown import code
from semaphore import LOCK_CHECK
from semaphore.verify import acquired_locks, uses_lock, verify

__all__ = ["CHECKS", "COMMANDS", "LOCK_CHECK", "LockCheck", "cleanup_context"]



def cleanup_context(file_name: str, documents: Mapping[str, Mapping[str, Any]]
                    ) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    """The cleanup workflow and the EventBridge rule that starts it, among ``documents``, if any.

    The rule is a document with ``EventPattern`` and ``Target``; its Target is the cleanup's file.
    """
    rules = [doc for doc in documents.values() if "EventPattern" in doc and "Target" in doc]
    for rule in rules:
        target = rule["Target"]
        if target != file_name and target in documents:
            return documents[target], rule
    return None, None


def context_note(cleanup: Mapping[str, Any] | None, rule: Mapping[str, Any] | None) -> str:
    """What the verifier was given besides the workflow, as a parenthesis for the summary's prose."""
    if cleanup is not None and rule is not None:
        target = rule.get("Target")
        named = f" {code(target)}" if isinstance(target, str) else ""
        return f" (checked together with the cleanup workflow{named} and the EventBridge rule that starts it)"
    if cleanup is not None:
        return " (checked together with the cleanup workflow)"
    if rule is not None:
        return " (checked together with the EventBridge rule)"
    return ""


class LockCheck:
    """Verify the DynamoDB-semaphore locks of a workflow (``python -m dsl verify``)."""

    name = LOCK_CHECK

    def applies_to(self, subject: Subject) -> bool:
        """Asked for by name, or a lock is identified in the workflow."""
        return self.name in subject.declared or uses_lock(subject.document)

    def run(self, subject: Subject) -> Outcome:
        """Verify ``subject`` with the cleanup workflow and rule the same build writes.

        They are given (and named in the summary) only for a workflow that acquires a lock: the
        verifier reads them to prove an acquired slot is cleaned up, and for nothing else.
        """
        cleanup, rule = (cleanup_context(subject.file_name, subject.documents) if acquired_locks(subject.document)
                         else (None, None))
        cleanup_name = rule["Target"] if rule is not None else None
        findings = verify(subject.document, cleanup=cleanup, rule=rule, cleanup_name=cleanup_name,
                          declared=self.name in subject.declared)
        places = {"": subject.file_name}
        if cleanup_name is not None:
            places |= {"cleanup": cleanup_name, "rule": "the cleanup rule"}
        return Outcome("python -m dsl verify", tuple(findings), places, context_note(cleanup, rule))


CHECKS = (LockCheck(),)
COMMANDS = {"verify": ("semaphore.verify.cli", "prove every acquired lock is released or cleaned up")}
