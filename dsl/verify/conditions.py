"""What a lock operation's DynamoDB condition guarantees.

Conditions are in disjunctive normal form (see ``expressions``): a
guarantee holds when *every* conjunct carries it, because DynamoDB writes if
any one conjunct is true.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dsl.verify.expressions import (
    Cmp,
    Conjunct,
    Func,
    Literal,
    Path,
    ValueRef,
    oriented,
)
from dsl.verify.lockops import LockOp

__all__ = ["init_guarded", "limit_problem", "requires_absent", "requires_present"]

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


def requires_present(op: LockOp) -> bool:
    """The write happens only if the owner's slot exists (no decrement without an owner)."""
    def test(lit: Literal) -> bool:
        if isinstance(lit, Func):
            return lit.name in _PRESENT_FUNCTIONS and _on(lit, op.owner_path)
        if isinstance(lit, Cmp) and op.owner_path is not None:
            # any comparison but <> is false on a missing attribute
            oriented_cmp = oriented(lit, op.owner_path)
            return oriented_cmp is not None and oriented_cmp.op != "<>"
        return False
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
