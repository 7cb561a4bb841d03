"""The verifier's rules: ids, severities, one-line statements, and its finding type."""

from __future__ import annotations

from dataclasses import dataclass

from dsl.findings import Finding

__all__ = ["RULES", "Rule", "VerifyFinding"]


@dataclass(frozen=True)
class Rule:
    """One property the verifier checks."""

    id: str
    severity: str
    statement: str


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("LOCK-RELEASE", "error",
         "every path from a successful acquire to a successful end passes a release of the same lock"),
    Rule("LOCK-CLEANUP", "error",
         "every path from an acquire to a failed end (Fail, uncaught error, timeout, stop) is covered by a "
         "cleanup workflow that releases exactly that owner on every path"),
    Rule("LOCK-CLEANUP-RULE", "error",
         "the EventBridge rule starts the cleanup for FAILED, TIMED_OUT and ABORTED executions of the machine"),
    Rule("LOCK-STALE-READ", "error",
         "no path skips a release because an eventually consistent read missed the slot"),
    Rule("LOCK-CLEANUP-FAIL", "warning",
         "the cleanup itself can end (fail, time out, be stopped) without releasing; only a reconciler "
         "covers that"),
    Rule("LOCK-UNDERFLOW", "error",
         "no release can decrement the counter unless the owner's slot exists (and is removed with it)"),
    Rule("LOCK-DOUBLE", "error",
         "no acquire can add a second slot for an owner that already holds one"),
    Rule("LOCK-LIMIT", "error",
         "the acquire's limit test cannot be passed once the count is at or above the limit (`<`, not `<>`)"),
    Rule("LOCK-UNGUARDED", "error",
         "a work state that runs under the lock on some path runs under it on every path"),
    Rule("LOCK-OWNER", "error",
         "the counter and the owner's slot change together (no slot without an owner, no owner without a slot)"),
    Rule("LOCK-INIT", "error",
         "a write that creates or resets the lock item happens only when the item does not exist"),
    Rule("LOCK-WORK-BOUND", "warning",
         "every work Task that runs under the lock has a TimeoutSeconds, and the cleanup waits at least the longest "
         "of them before releasing the slot of an ABORTED or TIMED_OUT execution (whose work may still run)"),
    Rule("LOCK-REDRIVE", "warning",
         "every work Task under the lock reads $$.Execution.RedriveCount in its request and has "
         "States.QueryEvaluationError caught on the way out, so a redrive after the cleanup released the slot "
         "cannot run the work without one"),
    Rule("LOCK-EXPR", "warning",
         "every DynamoDB expression can be read, so no lock operation goes unrecognised"),
)}


@dataclass(frozen=True, order=True)
class VerifyFinding(Finding):
    """A finding with the document it points into and its witness path.

    ``document`` is ``""`` for the verified machine, ``"cleanup"`` for its
    cleanup workflow, ``"rule"`` for its EventBridge rule file and
    ``"reconciler"`` for its scheduled reconciler.
    """

    document: str = ""
    witness: str = ""


def finding(rule: str, pointer: str, message: str, *, document: str = "", witness: str = "") -> VerifyFinding:
    """A finding of ``rule`` with its catalogued severity; the witness ends the message."""
    text = f"{message}: {witness}" if witness else message
    return VerifyFinding(pointer, rule, text, RULES[rule].severity, document, witness)
