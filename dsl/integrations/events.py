"""Amazon EventBridge optimized integration: ``events:putEvents`` (request-response, ``.waitForTaskToken``)."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import Args, Grant, arn
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    WAIT,
    Optimized,
    build,
    pattern_of,
)
from dsl.states import Task


def put_events(name: str, *, wait_for_task_token: bool = False, **parameters_and_state: Any) -> Task:
    """``events.put_events("Emit", Entries=[{"Detail": {...}, "DetailType": ..., "Source": ...}])``.

    An entry's ``Detail`` may be a JSON object; the integration serialises it.
    """
    return build(PUT_EVENTS, name, pattern_of(wait_for_task_token=wait_for_task_token), parameters_and_state)


def _grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    entries = args.items("Entries")
    buses: set[str] = set()
    for entry in entries or []:
        bus = entry.static("EventBusName") if entry.present("EventBusName") else "default"
        if bus is None:
            entries = None
            break
        buses.add(bus if bus.startswith("arn:") else arn("events", f"event-bus/{bus}"))
    if entries is None:
        return (Grant(("events:PutEvents",), (arn("events", "event-bus/*"),),
                      "the event bus is chosen at run time, so any bus in the account may be used"),)
    return (Grant(("events:PutEvents",), tuple(sorted(buses)), "the Task puts events on these buses"),)


def _without_object_details(parameters: dict[str, Any]) -> dict[str, Any]:
    """The optimized integration takes Detail as an object too; check the rest against the API."""
    if not isinstance(parameters.get("Entries"), list):
        return parameters
    entries = [{k: v for k, v in e.items() if not (k == "Detail" and isinstance(v, dict))} if isinstance(e, dict)
               else e for e in parameters["Entries"]]
    return {**parameters, "Entries": entries}


PUT_EVENTS = Optimized("events", "putEvents", frozenset({REQUEST_RESPONSE, WAIT}), _grants,
                       model=("eventbridge", "putEvents"), adapt=_without_object_details)
OPTIMIZED = (PUT_EVENTS,)
