"""The verifier's rules (the shared :class:`dsl.rules.Rule` type) and its finding type.

Declared here, in one catalogue, because each rule is checked by several modules of the verifier
(recognition, flow analysis, cleanup coverage); :func:`finding` refuses an id not declared here.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsl.findings import Finding
from dsl.rules import Catalogue, Rule

__all__ = ["RULES", "Rule", "VerifyFinding"]

RULES = Catalogue("python -m dsl verify")
RULES.rule("LOCK-RELEASE", "error",
           "every path from a successful acquire to a successful end passes a release of the same lock")
RULES.rule("LOCK-CLEANUP", "error",
           "every path from an acquire to a failed end (Fail, uncaught error, timeout, stop) is covered by a "
           "cleanup workflow that releases exactly that owner on every path")
RULES.rule("LOCK-CLEANUP-RULE", "error",
           "the EventBridge rule starts the cleanup for FAILED, TIMED_OUT and ABORTED executions of the machine")
RULES.rule("LOCK-STALE-READ", "error",
           "no path skips a release because an eventually consistent read missed the slot")
RULES.rule("LOCK-CLEANUP-FAIL", "warning",
           "the cleanup itself can end (fail, time out, be stopped) without releasing; only a reconciler "
           "covers that")
RULES.rule("LOCK-UNDERFLOW", "error",
           "no release can decrement the counter unless the owner's slot exists (and is removed with it)")
RULES.rule("LOCK-DOUBLE", "error",
           "no acquire can add a second slot for an owner that already holds one")
RULES.rule("LOCK-LIMIT", "error",
           "the acquire's limit test cannot be passed once the count is at or above the limit (`<`, not `<>`)")
RULES.rule("LOCK-UNGUARDED", "error",
           "a work state that runs under the lock on some path runs under it on every path")
RULES.rule("LOCK-OWNER", "error",
           "the counter and the owner's slot change together (no slot without an owner, no owner without a slot)")
RULES.rule("LOCK-INIT", "error",
           "a write that creates or resets the lock item happens only when the item does not exist")
RULES.rule("LOCK-WORK-BOUND", "warning",
           "every work Task that runs under the lock has a TimeoutSeconds, and the cleanup waits at least the longest "
           "of them before releasing the slot of an ABORTED or TIMED_OUT execution (whose work may still run)")
RULES.rule("LOCK-REDRIVE", "warning",
           "every work Task under the lock reads $$.Execution.RedriveCount in its request and has "
           "States.QueryEvaluationError caught on the way out, so a redrive after the cleanup released the slot "
           "cannot run the work without one")
RULES.rule("LOCK-EXPR", "warning",
           "every DynamoDB expression can be read, so no lock operation goes unrecognised")


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
    """A finding of ``rule`` with its catalogued severity; the witness ends the message.

    Raises ``KeyError`` for an id not declared in :data:`RULES`.
    """
    text = f"{message}: {witness}" if witness else message
    return VerifyFinding(pointer, rule, text, RULES[rule].severity, document, witness)
