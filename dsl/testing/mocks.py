"""Mocks keyed by state name: a value, an error, a sequence of calls, or a callable.

Every call of a mocked Task is answered in order: each retry attempt and each Map iteration
is one call. ``seconds`` is how long the call takes on the virtual clock: at least the
state's ``TimeoutSeconds`` fails the call with ``States.Timeout``, more than its
``HeartbeatSeconds`` with ``States.HeartbeatTimeout``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from dsl.testing.errors import MockError


@dataclass(frozen=True)
class Return:
    """The call succeeds with ``value`` (the service's response, as the Task receives it)."""

    value: Any
    seconds: float = 0.0


@dataclass(frozen=True)
class Throw:
    """The call fails with ``error`` and ``cause``."""

    error: str
    cause: str = ""
    seconds: float = 0.0


class TaskFailure(Exception):
    """Raised by a callable mock: the call fails with ``error`` and ``cause``."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


Response: TypeAlias = Return | Throw
Handler: TypeAlias = Callable[[Any], Any]


@dataclass(frozen=True)
class Calls:
    """One response per call, in order; a call past the last is a test error."""

    responses: tuple[Response, ...]

    def __init__(self, *responses: Response | Any) -> None:
        object.__setattr__(self, "responses", tuple(_response(r) for r in responses))


MockSpec: TypeAlias = Return | Throw | Calls | Handler | Any
"""What ``mocks={state: ...}`` accepts: a plain JSON value means :class:`Return` of it."""


def _response(value: Any) -> Response:
    return value if isinstance(value, Return | Throw) else Return(value)


@dataclass(frozen=True)
class StateMock:
    """The mock of one state, normalised."""

    state: str
    responses: tuple[Response, ...] = ()
    handler: Handler | None = None
    repeat: bool = True  # the one response answers every call

    def response(self, call: int, request: Any) -> Response:
        """The response to call number ``call`` (from 0) sending ``request``."""
        if self.handler is not None:
            try:
                return Return(self.handler(request))
            except TaskFailure as failure:
                return Throw(failure.error, failure.cause)
        if self.repeat:
            return self.responses[0]
        if call >= len(self.responses):
            raise MockError(f"state {self.state!r}: call {call + 1} made, but its mock has "
                            f"{len(self.responses)} response(s); add more to Calls(...)")
        return self.responses[call]


def normalise(mocks: Mapping[str, MockSpec]) -> dict[str, StateMock]:
    """``mocks`` as :class:`StateMock` objects (a callable is called with each request)."""
    result: dict[str, StateMock] = {}
    for state, spec in mocks.items():
        if isinstance(spec, Calls):
            if not spec.responses:
                raise MockError(f"state {state!r}: Calls() needs at least one response")
            result[state] = StateMock(state, spec.responses, repeat=False)
        elif isinstance(spec, Return | Throw):
            result[state] = StateMock(state, (spec,))
        elif callable(spec):
            result[state] = StateMock(state, handler=spec)
        elif isinstance(spec, Sequence) and not isinstance(spec, str | list):
            raise MockError(f"state {state!r}: a tuple is ambiguous; write Calls(...) for one response "
                            "per call or a list for a list result")
        else:
            result[state] = StateMock(state, (Return(spec),))
    return result
