"""Choice rules -> Python conditions: ``Var("$.x") > 3``, ``&``, ``|``, ``~``, the typed helpers.

Python's operators pick the comparison family from the value's type, so they
are used only where they give back the same operator; ``&`` and ``|`` flatten
nested groups, so a nested ``And`` inside an ``And`` is written ``And((...))``.
Anything unusual falls back to ``Compare(variable, operator, value)``.
"""

from __future__ import annotations

from typing import Any

from dsl.conditions import Var
from dsl.importer.code import (
    CallExpr,
    Code,
    Operators,
    Paren,
    Prefix,
    Str,
    Tuple,
    literal,
)
from dsl.importer.values import Imports, jsonata_expression

_OPERATORS = {"Equals": "==", "LessThan": "<", "LessThanEquals": "<=", "GreaterThan": ">",
              "GreaterThanEquals": ">="}
_FAMILIES: dict[str, tuple[type, ...]] = {"String": (str,), "Numeric": (int, float)}
_TESTS = ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
RULE_KEYS = frozenset({"Next", "Assign", "Output"})


class Unsupported(Exception):
    """A rule the DSL cannot write; the message names the field."""


def snake(operator: str) -> str:
    """``StringEqualsPath`` -> ``string_equals_path``."""
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(operator))


class Conditions:
    """Renders Choice rules for one module."""

    def __init__(self, imports: Imports) -> None:
        self.imports = imports

    def rule(self, rule: dict[str, Any]) -> Code:
        """The condition of one Choice rule (its Next/Assign/Output are the caller's)."""
        return self.condition({k: v for k, v in rule.items() if k not in RULE_KEYS}, top=True)

    def condition(self, rule: Any, *, top: bool = False) -> Code:
        """One condition, bare (the caller parenthesises it where precedence needs)."""
        if not isinstance(rule, dict):
            raise Unsupported(f"a condition must be an object, got {rule!r}")
        if set(rule) == {"Condition"} and top:
            expression = jsonata_expression(rule["Condition"]) if isinstance(rule["Condition"], str) \
                else None
            if expression is None:
                raise Unsupported("Condition is not written '{% expression %}' (the only form the "
                                  "DSL writes)")
            return CallExpr(f"{self.imports.name('Condition')}.jsonata", (Str(expression),))
        if set(rule) in ({"And"}, {"Or"}):
            kind = next(iter(rule))
            parts = rule[kind]
            if not isinstance(parts, list):
                raise Unsupported(f"{kind} must hold a list")
            codes = tuple(self.condition(part) for part in parts)
            nested = any(isinstance(part, dict) and kind in part for part in parts)
            if len(codes) < 2 or nested:  # '&' / '|' would flatten or need two operands
                return CallExpr(self.imports.name(kind), (Tuple(codes),))
            return Operators("&" if kind == "And" else "|", tuple(_operand(c) for c in codes))
        if set(rule) == {"Not"}:
            inner = rule["Not"]
            if isinstance(inner, dict) and set(inner) == {"Not"}:
                return CallExpr(self.imports.name("Not"), (Tuple((self.condition(inner),)),))
            negated = self._not_equals(inner)
            if negated is not None:
                return negated
            return Prefix("~", _operand(self.condition(inner)))
        return self.compare(rule)

    def compare(self, rule: dict[str, Any]) -> Code:
        """One ``{"Variable": ..., Operator: value}`` comparison."""
        if "Variable" not in rule or len(rule) != 2 or not isinstance(rule["Variable"], str):
            raise Unsupported(f"a comparison needs Variable and one operator, got {sorted(rule)}")
        operator = next(k for k in rule if k != "Variable")
        value = rule[operator]
        var = CallExpr(self.imports.name("Var"), (Str(rule["Variable"]),))
        symbol = _symbol(operator, value)
        if symbol is not None:
            return Operators(symbol, (var, literal(value)))
        if operator == "StringMatches" and isinstance(value, str):
            return _method(var, "matches", literal(value))
        if operator in _TESTS and isinstance(value, bool):
            return _method(var, snake(operator), *(() if value else (literal(False),)))
        if _known(operator) and isinstance(value, (str, int, float, bool)):
            return _method(var, snake(operator), literal(value))
        return CallExpr(self.imports.name("Compare"), (Str(rule["Variable"]), Str(operator), literal(value)))

    def _not_equals(self, inner: Any) -> Code | None:
        """``Var(...) != value`` for the Not of an Equals that ``==`` would write."""
        if not isinstance(inner, dict) or len(inner) != 2 or "Variable" not in inner:
            return None
        operator = next((k for k in inner if k != "Variable"), "")
        if _symbol(operator, inner[operator]) != "==":
            return None
        var = CallExpr(self.imports.name("Var"), (Str(inner["Variable"]),))
        return Operators("!=", (var, literal(inner[operator])))


def _symbol(operator: str, value: Any) -> str | None:
    """The Python operator that writes ``operator`` for ``value``, if one does."""
    for family, kinds in _FAMILIES.items():
        suffix = operator.removeprefix(family)
        if operator.startswith(family) and suffix in _OPERATORS and isinstance(value, kinds) \
                and not isinstance(value, bool):
            return _OPERATORS[suffix]
    return None


def _known(operator: str) -> bool:
    """True when ``Var`` has a typed method for ``operator`` (``string_less_than_path``, ...)."""
    return operator not in _TESTS and callable(getattr(Var, snake(operator), None))


def _method(var: Code, name: str, *args: Code) -> Code:
    return CallExpr(f"{var.flat()}.{name}", args)


def _operand(code: Code) -> Code:
    """Parenthesise comparisons and groups inside ``&``, ``|`` and ``~`` (``~`` binds tighter)."""
    return Paren(code) if isinstance(code, Operators) else code
