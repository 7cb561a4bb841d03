"""Choice rules: comparisons, And/Or/Not, and JSONata conditions.

Rules read like Python::

    Var("$.count") < 5                        # NumericLessThan
    (Var("$.name") == "x") & Var("$.ok").is_present()
    ~Var("$.flag").boolean_equals(True)       # Not
    Var("$.when").timestamp_less_than_path("$.deadline")
    Condition.jsonata("$states.input.count < 5")  # JSONata Condition

Every comparison operator of the ASL spec has a method on ``Var``; the Python
operators ``== != < <= > >=`` pick the String, Numeric, Boolean or Timestamp
family from the value's Python type (a ``datetime`` is a timestamp).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dsl.errors import InvalidField, caller_site
from dsl.paths import P, jsonata


class Condition(ABC):
    """A Choice rule's condition; combine with ``&``, ``|`` and ``~``."""

    @abstractmethod
    def to_asl(self) -> dict[str, Any]:
        """The rule's ASL object, without ``Next``."""

    def __and__(self, other: Condition) -> And:
        return And(*_flatten(And, self), *_flatten(And, other))

    def __or__(self, other: Condition) -> Or:
        return Or(*_flatten(Or, self), *_flatten(Or, other))

    def __invert__(self) -> Condition:
        return self.conditions[0] if isinstance(self, Not) else Not(self)

    @staticmethod
    def jsonata(expression: str) -> Jsonata:
        """A JSONata ``Condition`` (for states in JSONata query language)."""
        return Jsonata(expression)


def _flatten(kind: type[And | Or], condition: Condition) -> tuple[Condition, ...]:
    return condition.conditions if isinstance(condition, kind) else (condition,)


def _operands(kind: str, given: tuple[Any, ...]) -> tuple[Condition, ...]:
    """``And(a, b, ...)``'s operands; one tuple or list of conditions is accepted too."""
    items = tuple(given[0]) if len(given) == 1 and isinstance(given[0], (tuple, list)) else given
    for item in items:
        if not isinstance(item, Condition):
            raise InvalidField(f"{kind}() takes conditions such as Var('$.x') == 1, got "
                               f"{type(item).__name__}", site=caller_site())
    wanted = "exactly one condition" if kind == "Not" else "at least one condition"
    if not items or (kind == "Not" and len(items) != 1):
        raise InvalidField(f"{kind}() takes {wanted}, got {len(items)}", site=caller_site())
    return items


@dataclass(frozen=True)
class Compare(Condition):
    """One comparison: ``{"Variable": ..., operator: value}``."""

    variable: str
    operator: str
    value: Any

    def to_asl(self) -> dict[str, Any]:
        return {"Variable": self.variable, self.operator: self.value}



@dataclass(frozen=True)
class And(Condition):
    """All of ``conditions``."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        object.__setattr__(self, "conditions", _operands("And", conditions))

    def to_asl(self) -> dict[str, Any]:
        return {"And": [c.to_asl() for c in self.conditions]}



@dataclass(frozen=True)
class Or(Condition):
    """Any of ``conditions``."""

    conditions: tuple[Condition, ...]

    def __init__(self, *conditions: Condition) -> None:
        object.__setattr__(self, "conditions", _operands("Or", conditions))

    def to_asl(self) -> dict[str, Any]:
        return {"Or": [c.to_asl() for c in self.conditions]}



@dataclass(frozen=True)
class Not(Condition):
    """The negation of its one condition."""

    conditions: tuple[Condition]

    def __init__(self, *condition: Condition) -> None:
        object.__setattr__(self, "conditions", _operands("Not", condition))

    def to_asl(self) -> dict[str, Any]:
        return {"Not": self.conditions[0].to_asl()}



@dataclass(frozen=True)
class Jsonata(Condition):
    """A JSONata condition: ``{"Condition": "{% ... %}"}``."""

    expression: str

    def to_asl(self) -> dict[str, Any]:
        return {"Condition": jsonata(self.expression)}



def _family(value: object) -> str:
    if value is None:
        raise InvalidField("a comparison with None is not a JSON null test; use Var(...).is_null() "
                           "(or .is_null(False) for != None)", site=caller_site())
    if isinstance(value, (Var, P)):
        raise InvalidField(f"to compare with another path {str(getattr(value, 'path', value))!r} use "
                           "the *_path methods, e.g. Var('$.a').numeric_equals_path('$.b')",
                           site=caller_site())
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, (int, float)):
        return "Numeric"
    if isinstance(value, datetime):
        return "Timestamp"
    if isinstance(value, str):
        return "String"
    raise InvalidField(f"cannot compare with a {type(value).__name__}; use str, int, float, bool or "
                       "datetime", site=caller_site())


def _value(value: object) -> object:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidField("timestamps must be timezone-aware (RFC 3339 needs an offset)",
                               site=caller_site())
        return value.isoformat().replace("+00:00", "Z")
    return value


@dataclass(frozen=True, eq=False)
class Var:
    """The ``Variable`` of a comparison: a reference path into the state's input."""

    path: str

    def __init__(self, path: str | P) -> None:
        object.__setattr__(self, "path", str(path))

    def _op(self, operator: str, value: Any) -> Compare:
        return Compare(self.path, operator, value)

    def _infer(self, suffix: str, value: object) -> Compare:
        family = _family(value)
        if family == "Boolean" and suffix != "Equals":
            raise InvalidField("booleans support only == and !=", site=caller_site())
        return self._op(family + suffix, _value(value))

    def __eq__(self, value: object) -> Compare:  # type: ignore[override]
        return self._infer("Equals", value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return Not(self._infer("Equals", value))

    def __lt__(self, value: object) -> Compare:
        return self._infer("LessThan", value)

    def __le__(self, value: object) -> Compare:
        return self._infer("LessThanEquals", value)

    def __gt__(self, value: object) -> Compare:
        return self._infer("GreaterThan", value)

    def __ge__(self, value: object) -> Compare:
        return self._infer("GreaterThanEquals", value)

    def __hash__(self) -> int:
        return hash(self.path)

    def matches(self, pattern: str) -> Compare:
        """``StringMatches`` (``*`` is a wildcard, ``\\*`` a literal star)."""
        return self._op("StringMatches", pattern)

    def string_equals(self, value: str) -> Compare:
        """``StringEquals``."""
        return self._op("StringEquals", value)

    def string_equals_path(self, path: str | P) -> Compare:
        """``StringEqualsPath``."""
        return self._op("StringEqualsPath", str(path))

    def string_less_than(self, value: str) -> Compare:
        """``StringLessThan``."""
        return self._op("StringLessThan", value)

    def string_less_than_path(self, path: str | P) -> Compare:
        """``StringLessThanPath``."""
        return self._op("StringLessThanPath", str(path))

    def string_greater_than(self, value: str) -> Compare:
        """``StringGreaterThan``."""
        return self._op("StringGreaterThan", value)

    def string_greater_than_path(self, path: str | P) -> Compare:
        """``StringGreaterThanPath``."""
        return self._op("StringGreaterThanPath", str(path))

    def string_less_than_equals(self, value: str) -> Compare:
        """``StringLessThanEquals``."""
        return self._op("StringLessThanEquals", value)

    def string_less_than_equals_path(self, path: str | P) -> Compare:
        """``StringLessThanEqualsPath``."""
        return self._op("StringLessThanEqualsPath", str(path))

    def string_greater_than_equals(self, value: str) -> Compare:
        """``StringGreaterThanEquals``."""
        return self._op("StringGreaterThanEquals", value)

    def string_greater_than_equals_path(self, path: str | P) -> Compare:
        """``StringGreaterThanEqualsPath``."""
        return self._op("StringGreaterThanEqualsPath", str(path))

    def numeric_equals(self, value: float) -> Compare:
        """``NumericEquals``."""
        return self._op("NumericEquals", value)

    def numeric_equals_path(self, path: str | P) -> Compare:
        """``NumericEqualsPath``."""
        return self._op("NumericEqualsPath", str(path))

    def numeric_less_than(self, value: float) -> Compare:
        """``NumericLessThan``."""
        return self._op("NumericLessThan", value)

    def numeric_less_than_path(self, path: str | P) -> Compare:
        """``NumericLessThanPath``."""
        return self._op("NumericLessThanPath", str(path))

    def numeric_greater_than(self, value: float) -> Compare:
        """``NumericGreaterThan``."""
        return self._op("NumericGreaterThan", value)

    def numeric_greater_than_path(self, path: str | P) -> Compare:
        """``NumericGreaterThanPath``."""
        return self._op("NumericGreaterThanPath", str(path))

    def numeric_less_than_equals(self, value: float) -> Compare:
        """``NumericLessThanEquals``."""
        return self._op("NumericLessThanEquals", value)

    def numeric_less_than_equals_path(self, path: str | P) -> Compare:
        """``NumericLessThanEqualsPath``."""
        return self._op("NumericLessThanEqualsPath", str(path))

    def numeric_greater_than_equals(self, value: float) -> Compare:
        """``NumericGreaterThanEquals``."""
        return self._op("NumericGreaterThanEquals", value)

    def numeric_greater_than_equals_path(self, path: str | P) -> Compare:
        """``NumericGreaterThanEqualsPath``."""
        return self._op("NumericGreaterThanEqualsPath", str(path))

    def boolean_equals(self, value: bool) -> Compare:
        """``BooleanEquals``."""
        return self._op("BooleanEquals", value)

    def boolean_equals_path(self, path: str | P) -> Compare:
        """``BooleanEqualsPath``."""
        return self._op("BooleanEqualsPath", str(path))

    def timestamp_equals(self, value: str) -> Compare:
        """``TimestampEquals``."""
        return self._op("TimestampEquals", value)

    def timestamp_equals_path(self, path: str | P) -> Compare:
        """``TimestampEqualsPath``."""
        return self._op("TimestampEqualsPath", str(path))

    def timestamp_less_than(self, value: str) -> Compare:
        """``TimestampLessThan``."""
        return self._op("TimestampLessThan", value)

    def timestamp_less_than_path(self, path: str | P) -> Compare:
        """``TimestampLessThanPath``."""
        return self._op("TimestampLessThanPath", str(path))

    def timestamp_greater_than(self, value: str) -> Compare:
        """``TimestampGreaterThan``."""
        return self._op("TimestampGreaterThan", value)

    def timestamp_greater_than_path(self, path: str | P) -> Compare:
        """``TimestampGreaterThanPath``."""
        return self._op("TimestampGreaterThanPath", str(path))

    def timestamp_less_than_equals(self, value: str) -> Compare:
        """``TimestampLessThanEquals``."""
        return self._op("TimestampLessThanEquals", value)

    def timestamp_less_than_equals_path(self, path: str | P) -> Compare:
        """``TimestampLessThanEqualsPath``."""
        return self._op("TimestampLessThanEqualsPath", str(path))

    def timestamp_greater_than_equals(self, value: str) -> Compare:
        """``TimestampGreaterThanEquals``."""
        return self._op("TimestampGreaterThanEquals", value)

    def timestamp_greater_than_equals_path(self, path: str | P) -> Compare:
        """``TimestampGreaterThanEqualsPath``."""
        return self._op("TimestampGreaterThanEqualsPath", str(path))

    def is_null(self, value: bool = True) -> Compare:
        """``IsNull``."""
        return self._op("IsNull", value)

    def is_present(self, value: bool = True) -> Compare:
        """``IsPresent``."""
        return self._op("IsPresent", value)

    def is_numeric(self, value: bool = True) -> Compare:
        """``IsNumeric``."""
        return self._op("IsNumeric", value)

    def is_string(self, value: bool = True) -> Compare:
        """``IsString``."""
        return self._op("IsString", value)

    def is_boolean(self, value: bool = True) -> Compare:
        """``IsBoolean``."""
        return self._op("IsBoolean", value)

    def is_timestamp(self, value: bool = True) -> Compare:
        """``IsTimestamp``."""
        return self._op("IsTimestamp", value)
