"""DynamoDB update and condition expressions, parsed into small trees.

Only what lock recognition needs: document paths (with ``#name`` resolved
through ExpressionAttributeNames, possibly to a run-time expression such as
the execution id), value references, the SET/REMOVE/ADD/DELETE clauses, and
conditions in disjunctive normal form so "every way this condition can be
true also requires X" is a simple check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dsl.errors import CodedError

__all__ = [
    "Arith",
    "Cmp",
    "Conjunct",
    "ExpressionError",
    "Func",
    "Literal",
    "Operand",
    "Other",
    "Part",
    "Path",
    "Update",
    "ValueRef",
    "oriented",
    "parse_condition",
    "parse_paths",
    "parse_update",
    "resolvers",
]

# A condition is at most 4 KB; more nesting than this is not a real lock condition.
_MAX_DEPTH = 64
# DNF can grow exponentially; past this many disjuncts the condition is not analysed.
_MAX_DISJUNCTS = 256


class ExpressionError(CodedError):
    """An expression that cannot be parsed or resolved; ``message`` says where."""

    code = "EXPR"

    def __init__(self, message: str) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Part:
    """One step of a document path: a name (static, or a run-time expression) or ``[n]``."""

    name: str
    dynamic: bool = False

    def __str__(self) -> str:
        return self.name  # a run-time name is already spelled {context.Execution.Id}


@dataclass(frozen=True)
class Path:
    """A document path such as ``currentlockcount`` or ``holders.{context.Execution.Id}``."""

    parts: tuple[Part, ...]

    @property
    def dynamic(self) -> bool:
        """Whether some step is named at run time (e.g. by the execution id)."""
        return any(p.dynamic for p in self.parts)

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.parts)


@dataclass(frozen=True)
class ValueRef:
    """A ``:value`` placeholder and what it resolves to (``type`` is N, S, ... or "")."""

    name: str
    type: str
    text: str
    dynamic: bool

    def number(self) -> float | None:
        """The value as a number, when it is a static N value."""
        if self.type != "N" or self.dynamic:
            return None
        try:
            return float(self.text)
        except ValueError:
            return None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Func:
    """A function call: ``if_not_exists(p, :v)``, ``attribute_exists(p)``, ``size(p)``, ...

    ``negated`` marks a condition function under NOT (``NOT contains(w, :me)``);
    ``attribute_exists`` is negated into ``attribute_not_exists`` instead.
    """

    name: str
    args: tuple[Operand, ...]
    negated: bool = False

    def __str__(self) -> str:
        call = f"{self.name}({', '.join(str(a) for a in self.args)})"
        return f"NOT {call}" if self.negated else call


Operand = Path | ValueRef | Func


@dataclass(frozen=True)
class Arith:
    """``left + right`` or ``left - right`` (right side of a SET action)."""

    op: str
    left: Operand
    right: Operand


@dataclass(frozen=True)
class Update:
    """A parsed UpdateExpression."""

    set: tuple[tuple[Path, Operand | Arith], ...]
    remove: tuple[Path, ...]
    add: tuple[tuple[Path, ValueRef], ...]
    delete: tuple[tuple[Path, ValueRef], ...]


@dataclass(frozen=True)
class Cmp:
    """A comparison literal ``left op right`` (``op`` one of = <> < <= > >=; negated already)."""

    op: str
    left: Operand
    right: Operand

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


@dataclass(frozen=True)
class Other:
    """A literal this module does not interpret (BETWEEN, IN, a negated function, ...)."""

    text: str

    def __str__(self) -> str:
        return self.text


Literal = Cmp | Func | Other
Conjunct = frozenset[Literal]

_TOKEN = re.compile(r"\s*(?:(?P<name>#[A-Za-z0-9_]+)|(?P<value>:[A-Za-z0-9_]+)|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
                    r"|(?P<op><>|<=|>=|=|<|>)|(?P<punct>[(),.\[\]+\-])|(?P<number>\d+))")
_NEGATE = {"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIP = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_CONDITION_FUNCTIONS = {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"}
_OPPOSITE_FUNCTION = {"attribute_exists": "attribute_not_exists", "attribute_not_exists": "attribute_exists"}


NameResolver = Callable[[str], Part]
ValueResolver = Callable[[str], ValueRef]


def resolvers(names: Mapping[str, Part], values: Mapping[str, ValueRef]) -> tuple[NameResolver, ValueResolver]:
    """Look-ups for ``#name`` and ``:value`` that fail with a clear message."""
    def name(token: str) -> Part:
        if token not in names:
            raise ExpressionError(f"{token} is not defined in ExpressionAttributeNames")
        return names[token]

    def value(token: str) -> ValueRef:
        if token not in values:
            raise ExpressionError(f"{token} is not defined in ExpressionAttributeValues")
        return values[token]
    return name, value


class _Parser:
    def __init__(self, text: str, name: NameResolver, value: ValueResolver) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise ExpressionError(f"unexpected character {text[pos:].lstrip()[:1]!r} at column {pos + 1}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind), match.start(kind)))
            pos = match.end()
        self.index = 0
        self.name = name
        self.value = value
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].upper() in words

    def at(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token[1] == text and token[0] in ("punct", "op")

    def take(self, text: str) -> None:
        token = self.peek()
        if token is None or token[1] != text:
            where = f"at column {token[2] + 1}" if token else "at the end"
            raise ExpressionError(f"expected {text!r} {where} of {self.text!r}")
        self.index += 1

    def done(self) -> None:
        token = self.peek()
        if token is not None:
            raise ExpressionError(f"unexpected {token[1]!r} at column {token[2] + 1} of {self.text!r}")

    def path(self) -> Path:
        parts = [self._path_name()]
        while True:
            if self.at("."):
                self.index += 1
                parts.append(self._path_name())
            elif self.at("["):
                self.index += 1
                token = self.peek()
                if token is None or token[0] != "number":
                    raise ExpressionError(f"expected a list index in {self.text!r}")
                self.index += 1
                self.take("]")
                parts.append(Part(f"[{token[1]}]"))
            else:
                return Path(tuple(parts))

    def _path_name(self) -> Part:
        token = self.peek()
        if token is None or token[0] not in ("name", "word"):
            where = f"at column {token[2] + 1}" if token else "at the end"
            raise ExpressionError(f"expected an attribute name {where} of {self.text!r}")
        self.index += 1
        return self.name(token[1]) if token[0] == "name" else Part(token[1])

    def operand(self) -> Operand:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"expression {self.text!r} ends where an operand was expected")
        if token[0] == "value":
            self.index += 1
            return self.value(token[1])
        if token[0] == "word" and self.index + 1 < len(self.tokens) and self.tokens[self.index + 1][1] == "(":
            return self.function()
        return self.path()

    def function(self) -> Func:
        token = self.peek()
        assert token is not None
        self.index += 1
        self.take("(")
        args = [self.operand()]
        while self.at(","):
            self.index += 1
            args.append(self.operand())
        self.take(")")
        return Func(token[1], tuple(args))

    # -- conditions: OR < AND < NOT < comparison/function/parentheses
    def condition(self) -> list[Conjunct]:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ExpressionError("condition nested too deeply to analyse")
        result = self.conjunction()
        while self.at_word("OR"):
            self.index += 1
            result = _cap(result + self.conjunction())
        self.depth -= 1
        return result

    def conjunction(self) -> list[Conjunct]:
        result = self.negation()
        while self.at_word("AND"):
            self.index += 1
            right = self.negation()
            result = _cap([a | b for a in result for b in right])
        return result

    def negation(self) -> list[Conjunct]:
        if self.at_word("NOT"):
            self.index += 1
            return _negate(self.negation())
        return self.primary()

    def primary(self) -> list[Conjunct]:
        if self.at("("):
            self.index += 1
            inner = self.condition()
            self.take(")")
            return inner
        token = self.peek()
        if token is not None and token[0] == "word" and token[1] in _CONDITION_FUNCTIONS \
                and self.index + 1 < len(self.tokens) and self.tokens[self.index + 1][1] == "(":
            return [frozenset({self.function()})]
        left = self.operand()
        if self.at_word("BETWEEN"):
            self.index += 1
            low = self.operand()
            if not self.at_word("AND"):
                raise ExpressionError(f"BETWEEN needs AND in {self.text!r}")
            self.index += 1
            high = self.operand()
            return [frozenset({Cmp(">=", left, low), Cmp("<=", left, high)})]
        if self.at_word("IN"):
            self.index += 1
            self.take("(")
            options = [self.operand()]
            while self.at(","):
                self.index += 1
                options.append(self.operand())
            self.take(")")
            return _cap([frozenset({Cmp("=", left, o)}) for o in options])
        token = self.peek()
        if token is None or token[0] != "op":
            raise ExpressionError(f"expected a comparison after {left} in {self.text!r}")
        self.index += 1
        return [frozenset({Cmp(token[1], left, self.operand())})]


def _cap(disjuncts: list[Conjunct]) -> list[Conjunct]:
    if len(disjuncts) > _MAX_DISJUNCTS:
        raise ExpressionError("condition has too many alternatives to analyse")
    return disjuncts


def _negate_literal(literal: Literal) -> Literal:
    if isinstance(literal, Cmp):
        return Cmp(_NEGATE[literal.op], literal.left, literal.right)
    if isinstance(literal, Func) and literal.name in _OPPOSITE_FUNCTION:
        return Func(_OPPOSITE_FUNCTION[literal.name], literal.args)
    if isinstance(literal, Func):
        return Func(literal.name, literal.args, not literal.negated)
    text = literal.text[4:] if isinstance(literal, Other) and literal.text.startswith("NOT ") else f"NOT {literal}"
    return Other(text)


def _negate(disjuncts: list[Conjunct]) -> list[Conjunct]:
    # NOT (a1 and a2) or (b1) ... = (not a1 or not a2) and (not b1) ...
    result: list[Conjunct] = [frozenset()]
    for conjunct in disjuncts:
        result = _cap([r | {_negate_literal(lit)} for r in result for lit in conjunct])
    return result


def parse_condition(text: str, name: NameResolver, value: ValueResolver) -> list[Conjunct]:
    """A ConditionExpression in disjunctive normal form: the condition holds iff
    every literal of at least one conjunct holds. Comparisons are oriented as
    written; NOT is pushed down (``NOT attribute_exists(p)`` becomes
    ``attribute_not_exists(p)``, ``NOT a < b`` becomes ``a >= b``)."""
    parser = _Parser(text, name, value)
    result = parser.condition()
    parser.done()
    return result


def parse_update(text: str, name: NameResolver, value: ValueResolver) -> Update:
    """An UpdateExpression: its SET, REMOVE, ADD and DELETE actions."""
    parser = _Parser(text, name, value)
    sets: list[tuple[Path, Operand | Arith]] = []
    removes: list[Path] = []
    adds: list[tuple[Path, ValueRef]] = []
    deletes: list[tuple[Path, ValueRef]] = []
    if parser.peek() is None:
        raise ExpressionError("UpdateExpression is empty")
    while parser.peek() is not None:
        token = parser.peek()
        assert token is not None
        clause = token[1].upper() if token[0] == "word" else ""
        if clause not in ("SET", "REMOVE", "ADD", "DELETE"):
            raise ExpressionError(f"expected SET, REMOVE, ADD or DELETE at column {token[2] + 1} of {text!r}")
        parser.index += 1
        while True:
            target = parser.path()
            if clause == "SET":
                parser.take("=")
                left = parser.operand()
                if parser.at("+") or parser.at("-"):
                    op = parser.tokens[parser.index][1]
                    parser.index += 1
                    sets.append((target, Arith(op, left, parser.operand())))
                else:
                    sets.append((target, left))
            elif clause == "REMOVE":
                removes.append(target)
            else:
                operand = parser.operand()
                if not isinstance(operand, ValueRef):
                    raise ExpressionError(f"{clause} {target} needs a :value in {text!r}")
                (adds if clause == "ADD" else deletes).append((target, operand))
            if not parser.at(","):
                break
            parser.index += 1
    return Update(tuple(sets), tuple(removes), tuple(adds), tuple(deletes))


def parse_paths(text: str, name: NameResolver) -> tuple[Path, ...]:
    """A ProjectionExpression: comma-separated document paths."""
    def no_values(token: str) -> ValueRef:
        raise ExpressionError(f"{token}: a ProjectionExpression takes no values")
    parser = _Parser(text, name, no_values)
    paths = [parser.path()]
    while parser.at(","):
        parser.index += 1
        paths.append(parser.path())
    parser.done()
    return tuple(paths)


def oriented(literal: Cmp, path: Path) -> Cmp | None:
    """``literal`` rewritten with ``path`` on the left (``:l > c`` -> ``c < :l``), or None."""
    if literal.left == path:
        return literal
    if literal.right == path:
        return Cmp(_FLIP[literal.op], literal.right, literal.left)
    return None
