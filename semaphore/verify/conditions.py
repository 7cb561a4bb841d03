"""What a lock operation's DynamoDB condition guarantees.

Conditions are in disjunctive normal form (see ``expressions``): a
guarantee holds when *every* conjunct carries it, because DynamoDB writes if
any one conjunct is true.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from semaphore.verify.expressions import (
    Cmp,
    Conjunct,
    Func,
    Literal,
    Part,
    Path,
    ValueRef,
    oriented,
)
from semaphore.verify.lockops import LockOp

__all__ = ["Proof", "failure_proof", "init_guarded", "limit_problem", "requires_absent", "requires_holding",
           "requires_present", "transfer_bounded"]

_PRESENT_FUNCTIONS = {"attribute_exists", "attribute_type", "begins_with", "contains"}


def _on(literal: Literal, path: Path | None) -> bool:
    """Whether a function literal's first argument is ``path``."""
    return isinstance(literal, Func) and bool(literal.args) and literal.args[0] == path


def _every(dnf: list[Conjunct] | None, test: Callable[[Literal], bool]) -> bool:
    return dnf is not None and bool(dnf) and all(any(test(lit) for lit in conj) for conj in dnf)


def requires_absent(op: LockOp) -> bool:
    """The write happens only if the owner holds no slot yet (no second slot)."""
    return _every(op.guard, lambda lit: isinstance(lit, Func) and lit.name == "attribute_not_exists"
                  and _on(lit, op.owner_path))


def _present(op: LockOp, lit: Literal) -> bool:
    """A literal that is false when the owner's entry is missing."""
    if isinstance(lit, Func):
        return lit.name in _PRESENT_FUNCTIONS and not lit.negated and _on(lit, op.owner_path)
    if isinstance(lit, Cmp) and op.owner_path is not None:
        # any comparison but <> is false on a missing attribute
        oriented_cmp = oriented(lit, op.owner_path)
        return oriented_cmp is not None and oriented_cmp.op != "<>"
    return False


def _not_queued(op: LockOp, lit: Literal, queue: Path | None = None) -> bool:
    """``NOT contains(queue, <the owner>)``: the owner is not waiting in ``queue`` (any of the
    lock's queues when None)."""
    return (isinstance(lit, Func) and lit.negated and lit.name == "contains" and len(lit.args) == 2
            and (lit.args[0] == queue if queue is not None else lit.args[0] in op.queue)
            and isinstance(lit.args[1], ValueRef) and op.owner is not None and lit.args[1].text == op.owner.expr)


def requires_present(op: LockOp) -> bool:
    """The write happens only if the owner's slot exists (no decrement without an owner)."""
    return _every(op.guard, lambda lit: _present(op, lit))


def requires_holding(op: LockOp) -> bool:
    """The write happens only if the owner *holds* a slot: its entry exists and, where the
    lock has a queue, the owner is not queued in it."""
    if not requires_present(op):
        return False
    guard = op.guard or []
    return all(any(_not_queued(op, lit, queue) for lit in conj) for queue in op.queue for conj in guard)


class Proof(enum.Enum):
    """What a failed condition proves about the owner."""

    ABSENT = "no entry"  # neither holding nor queued
    NOT_HOLDING = "not holding"  # maybe queued


def failure_proof(op: LockOp) -> Proof | None:
    """What ``op``'s condition failing proves: some alternative of it is implied by the owner's
    entry existing (ABSENT) or by the owner holding (NOT_HOLDING); None when it proves nothing.

    Without a queue, any condition requiring the entry is taken as its test (as the
    classic release ``attribute_exists(#o)`` is)."""
    if op.guard is None:
        return None
    if not op.queue:
        return Proof.ABSENT if requires_present(op) else None
    entry = [conj for conj in op.guard if conj and all(_exists(op, lit) for lit in conj)]
    if entry:
        return Proof.ABSENT
    holding = [conj for conj in op.guard if conj and all(_exists(op, lit) or _not_queued(op, lit) for lit in conj)]
    return Proof.NOT_HOLDING if holding else None


def _exists(op: LockOp, lit: Literal) -> bool:
    return isinstance(lit, Func) and lit.name == "attribute_exists" and _on(lit, op.owner_path)


def transfer_bounded(op: LockOp) -> bool:
    """A hand-off (count unchanged) happens only while the count is not above some bound
    (``#c <= #l``): otherwise a lowered limit is never reached while others wait."""
    counter = op.counter_path or (Path(tuple(Part(p) for p in op.counter.split("."))) if op.counter else None)

    def test(lit: Literal) -> bool:
        if not isinstance(lit, Cmp) or counter is None:
            return False
        cmp = oriented(lit, counter)
        return cmp is not None and cmp.op in ("<", "<=", "=") and not _mentions(cmp.right, counter)
    return _every(op.guard, test)


def limit_problem(op: LockOp) -> str | None:
    """Why the acquire's limit test can be passed with the counter at or above the limit, or None."""
    counter = op.counter_path
    if counter is None:
        return "no counter to test"
    if op.limit is None:
        return "the acquire has no ConditionExpression, so it never tests the limit"
    for conjunct in op.limit:
        tests = [o for lit in conjunct if isinstance(lit, Cmp) and (o := oriented(lit, counter)) is not None
                 and not _mentions(o.right, counter)]
        if any(t.op == "<" for t in tests):
            continue
        if any(isinstance(lit, Func) and lit.name == "attribute_not_exists" and _on(lit, counter)
               for lit in conjunct):
            continue  # a missing counter starts at zero
        shown = " and ".join(sorted(str(lit) for lit in conjunct))
        weak = next((t for t in tests if t.op in ("<>", "<=", "=")), None)
        if weak is not None and weak.op == "<>":
            return (f"limit test `{weak}` (in `{shown}`) passes again once the count is above the limit "
                    f"(limit lowered while slots are held); use `<`")
        if weak is not None:
            return f"limit test `{weak}` (in `{shown}`) admits one holder more than the limit; use `<`"
        return f"the condition can hold without `{counter} < limit`: `{shown}`"
    return None


def _mentions(operand: object, path: Path) -> bool:
    if operand == path:
        return True
    return isinstance(operand, Func) and any(_mentions(a, path) for a in operand.args)


def init_guarded(op: LockOp, key_attrs: Iterable[str]) -> bool:
    """A write that (re)sets the lock item happens only if the item, or its counter, does not exist."""
    names = set(key_attrs) | ({str(op.counter_path)} if op.counter_path else set())
    if op.counter is not None:
        names.add(op.counter)
    key_values = dict(op.item.key)

    def test(lit: Literal) -> bool:
        if isinstance(lit, Func) and lit.name == "attribute_not_exists" and lit.args:
            return str(lit.args[0]) in names
        if isinstance(lit, Cmp) and lit.op == "<>" and isinstance(lit.left, Path) and str(lit.left) in key_values:
            # "LockName <> :name" is false whenever the item with that key exists
            right = lit.right
            return isinstance(right, ValueRef) and f"{right.type}:{right.text}" == key_values[str(lit.left)]
        return False
    return _every(op.guard, test)
