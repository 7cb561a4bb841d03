"""AWS's MockConfigFile (Step Functions Local) read as it is.

``StateMachines -> {machine: {"TestCases": {case: {state: response name}}}}`` and
``MockedResponses -> {response name: {"0" | "1-2": {"Return": value} | {"Throw": {"Error", "Cause"}}}}``.
The numbered keys are calls of the state, from 0 (each retry attempt and each Map iteration
is one call); they must start at 0 and neither overlap nor leave gaps.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsl.testing.definition import unknown_state
from dsl.testing.errors import MockConfigError
from dsl.testing.mocks import Calls, Response, Return, Throw

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


@dataclass(frozen=True)
class TestCase:
    """One test case of the file: its name and the mocks it gives each state."""

    __test__ = False  # not a pytest test class

    name: str
    mocks: dict[str, Calls]


def load(path: str | Path) -> dict[str, Any]:
    """The MockConfigFile at ``path`` as JSON (one-line :class:`MockConfigError` otherwise)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise MockConfigError(f"{path}: cannot read: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise MockConfigError(f"{path}: not JSON: {error}") from error
    if not isinstance(doc, dict) or not isinstance(doc.get("StateMachines"), dict):
        raise MockConfigError(f"{path}: expected an object with \"StateMachines\" and \"MockedResponses\"")
    if not isinstance(doc.get("MockedResponses", {}), dict):
        raise MockConfigError(f"{path}: \"MockedResponses\" must be an object")
    return doc


def machine_name(doc: Mapping[str, Any], wanted: str | None, source: str) -> str:
    """``wanted``, checked, or the file's only machine."""
    machines = list(doc["StateMachines"])
    if wanted is None:
        if len(machines) != 1:
            raise MockConfigError(f"{source}: {len(machines)} state machines ({', '.join(machines)}); "
                                  "choose one with --machine")
        return str(machines[0])
    if wanted not in doc["StateMachines"]:
        close = difflib.get_close_matches(wanted, machines, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"machines: {', '.join(machines)}"
        raise MockConfigError(f"{source}: no state machine {wanted!r}; {hint}")
    return wanted


def test_cases(doc: Mapping[str, Any], machine: str, states: Mapping[str, Any], source: str,
               only: list[str] | None = None) -> list[TestCase]:
    """The test cases of ``machine`` (all, or those named in ``only``), mocks checked against ``states``."""
    body = doc["StateMachines"][machine]
    cases = body.get("TestCases") if isinstance(body, dict) else None
    if not isinstance(cases, dict):
        raise MockConfigError(f"{source}: StateMachines.{machine}: expected an object with \"TestCases\"")
    for name in only or ():
        if name not in cases:
            close = difflib.get_close_matches(name, list(cases), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else f"cases: {', '.join(cases)}"
            raise MockConfigError(f"{source}: machine {machine!r} has no test case {name!r}; {hint}")
    result = []
    for name in only or list(cases):
        mapping = cases[name]
        where = f"{source}: StateMachines.{machine}.TestCases.{name}"
        if not isinstance(mapping, dict):
            raise MockConfigError(f"{where}: expected an object of state name -> response name")
        mocks: dict[str, Calls] = {}
        for state, response_name in mapping.items():
            if state not in states:
                raise MockConfigError(f"{where}: " + unknown_state("mocked state", state, states))
            mocks[state] = _responses(doc, str(response_name), f"{where}.{state}", source)
        result.append(TestCase(name, mocks))
    return result


def _responses(doc: Mapping[str, Any], name: str, where: str, source: str) -> Calls:
    responses = doc.get("MockedResponses", {}).get(name)
    if responses is None:
        known = list(doc.get("MockedResponses", {}))
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise MockConfigError(f"{where}: response {name!r} is not in MockedResponses{hint}")
    if not isinstance(responses, dict) or not responses:
        raise MockConfigError(f"{source}: MockedResponses.{name}: expected an object of call numbers "
                              "(\"0\", \"1-2\") -> {\"Return\": ...} or {\"Throw\": ...}")
    ranges = []
    for key, entry in responses.items():
        match = _RANGE.match(key)
        if match is None:
            raise MockConfigError(f"{source}: MockedResponses.{name}: call key {key!r}: expected \"N\" or \"N-M\"")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise MockConfigError(f"{source}: MockedResponses.{name}: call range {key!r} ends before it starts")
        ranges.append((first, last, key, _response(entry, f"{source}: MockedResponses.{name}.{key}")))
    ranges.sort()
    expected = 0
    calls: list[Response] = []
    for first, last, key, response in ranges:
        if first < expected:
            raise MockConfigError(f"{source}: MockedResponses.{name}: call range {key!r} overlaps call {first}")
        if first > expected:
            raise MockConfigError(f"{source}: MockedResponses.{name}: calls {expected}-{first - 1} have no "
                                  f"response (ranges must start at 0 and leave no gap; next is {key!r})")
        calls.extend([response] * (last - first + 1))
        expected = last + 1
    return Calls(*calls)


def _response(entry: Any, where: str) -> Response:
    if isinstance(entry, dict) and set(entry) == {"Return"}:
        return Return(entry["Return"])
    if isinstance(entry, dict) and set(entry) == {"Throw"}:
        throw = entry["Throw"]
        if not isinstance(throw, dict) or not isinstance(throw.get("Error"), str) \
                or not isinstance(throw.get("Cause", ""), str) or set(throw) - {"Error", "Cause"}:
            raise MockConfigError(f"{where}.Throw: expected {{\"Error\": string, \"Cause\": string}}")
        return Throw(throw["Error"], throw.get("Cause", ""))
    raise MockConfigError(f"{where}: expected exactly one of {{\"Return\": ...}} or {{\"Throw\": ...}}")
