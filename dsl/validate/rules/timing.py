"""Timeouts and timestamps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dsl.document import DocState, Document, Parts, choice_rules
from dsl.findings import Finding
from dsl.placeholders import is_placeholder
from dsl.validate import timestamps
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

HEARTBEAT_NOT_BELOW_TIMEOUT = RULES.rule(
    "ASL-TIME-001", "error",
    "HeartbeatSeconds is not below TimeoutSeconds",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html")
BAD_TIMESTAMP = RULES.rule(
    "ASL-TIME-002", "error",
    "a timestamp is not RFC 3339",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html")

TIMESTAMP_OPERATORS = frozenset({
    "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
    "TimestampLessThanEquals", "TimestampGreaterThanEquals",
})


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Timeout and timestamp findings."""
    for state in machine.states:
        if state.type == "Task":
            yield from _heartbeat(state)
        if state.type == "Wait":
            yield from _timestamp(state.body.get("Timestamp"), (*state.parts, "Timestamp"), "Timestamp")
        if state.type == "Choice" and not state.jsonata:
            yield from _choice_timestamps(state)


def _heartbeat(state: DocState) -> Iterator[Finding]:
    timeout, heartbeat = state.body.get("TimeoutSeconds"), state.body.get("HeartbeatSeconds")
    if isinstance(timeout, int) and isinstance(heartbeat, int) and not isinstance(timeout, bool) \
            and not isinstance(heartbeat, bool) and heartbeat >= timeout:
        yield finding(HEARTBEAT_NOT_BELOW_TIMEOUT, (*state.parts, "HeartbeatSeconds"),
                      f"HeartbeatSeconds ({heartbeat}) must be less than TimeoutSeconds ({timeout}) "
                      f"in state {quoted(state.name)}")


def _choice_timestamps(state: DocState) -> Iterator[Finding]:
    for parts, rule in choice_rules(state):
        for key in sorted(TIMESTAMP_OPERATORS & rule.keys()):
            yield from _timestamp(rule[key], (*parts, key), key)


def _timestamp(value: Any, parts: Parts, key: str) -> Iterator[Finding]:
    if not isinstance(value, str) or is_placeholder(value) or value.startswith("{%"):
        return  # absent, wrong type (the schema says so), substituted later, or JSONata
    reason = timestamps.problem(value)
    if reason:
        yield finding(BAD_TIMESTAMP, parts, f"{quoted(key)} value {value!r} {reason}")

