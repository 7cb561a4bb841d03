"""What a test run returns: status, output, error, cause, path, per-state inspection, history."""

from __future__ import annotations

import datetime
import enum
import functools
import json
from dataclasses import dataclass, field
from typing import Any

from local.instrument import Visit


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} in an execution history")


@dataclass(frozen=True)
class StateInspection:
    """One entry into a state, with the values TestState's DEBUG level shows (JSON values)."""

    name: str
    input: Any
    after_input_path: Any
    after_parameters: Any
    result: Any
    after_result_selector: Any
    after_result_path: Any
    output: Any
    variables: dict[str, Any]
    attempts: int
    retries: tuple[int, ...]
    caught_by: int | None
    choice: int | str | None
    next: str | None

    @classmethod
    def of(cls, visit: Visit) -> StateInspection:
        """The inspection recorded by the engine's probe."""
        return cls(
            name=visit.name, input=visit.input, after_input_path=visit.after_input_path,
            after_parameters=visit.after_parameters, result=visit.result,
            after_result_selector=visit.after_result_selector, after_result_path=visit.after_result_path,
            output=visit.output, variables=visit.variables, attempts=visit.attempts,
            retries=tuple(visit.retries), caught_by=visit.caught_by, choice=visit.choice, next=visit.next,
        )


@dataclass(frozen=True)
class TestResult:
    """One execution of a workflow under test."""

    __test__ = False  # not a pytest test class

    status: str
    output: Any
    error: str | None
    cause: str | None
    path: tuple[str, ...]
    states: tuple[StateInspection, ...]
    events: tuple[Any, ...] = field(repr=False, compare=False)
    """The executor's history events as recorded (moto's dicts); see :attr:`history`."""
    virtual_seconds: float
    calls: dict[str, int] = field(default_factory=dict)
    execution_arn: str = ""
    doc: dict[str, Any] = field(default_factory=dict, repr=False)
    workflow: str | None = None

    @functools.cached_property
    def history(self) -> tuple[dict[str, Any], ...]:
        """The execution's history events as JSON values (converted on first use)."""
        converted: list[dict[str, Any]] = json.loads(json.dumps(list(self.events), default=_json_default))
        return tuple(converted)

    def state(self, name: str, entry: int = 0) -> StateInspection:
        """The ``entry``-th (from 0) entry into state ``name``."""
        entries = [s for s in self.states if s.name == name]
        if entry >= len(entries):
            raise KeyError(f"state {name!r} was entered {len(entries)} time(s), not {entry + 1}")
        return entries[entry]

    def as_json(self, case: str | None = None) -> dict[str, Any]:
        """The CLI's per-case JSON object."""
        body: dict[str, Any] = {"case": case} if case is not None else {}
        body.update(status=self.status, output=self.output, error=self.error, cause=self.cause,
                    path=list(self.path))
        return body
