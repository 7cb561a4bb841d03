"""EventBridge for the local engine: Step Functions status-change events delivered to rule targets.

moto 5.2.6 neither emits "Step Functions Execution Status Change" events nor delivers any
event to a state-machine target (its `Rule.send_to_targets` raises NotImplementedError).
This emulator:

* builds the event AWS sends whenever an execution starts or ends (shape of the AWS docs:
  version, id, detail-type, source ``aws.states``, account, time, region, resources, detail
  {executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, ...});
* reads the rules *deployed into moto* through the EventBridge API (``ListRules``,
  ``ListTargetsByRule``), matches each ENABLED rule's EventPattern with moto's own matcher,
  and starts every matching state-machine target through ``StartExecution``, with the
  event (or the target's Input / InputPath / InputTransformer) as input;
* delivers asynchronously on its own thread, like EventBridge, with hooks for the faults
  AWS documents for these best-effort events: loss, duplication and delay;
* fires scheduled rules (``ScheduleExpression``) on demand or on a compressed period.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from moto.events.models import EventPattern
from moto.events.utils import EventTemplateParser
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.backend.execution import (
    BaseExecutionWorkerCommunication,
    Execution,
)

from local.shims._patch import Undo, replace_attr, undo_all

DETAIL_TYPE = "Step Functions Execution Status Change"
EventFilter = Callable[[dict[str, Any]], bool]
EventCount = Callable[[dict[str, Any]], int]
EventDelay = Callable[[dict[str, Any]], float]


def _millis(moment: datetime.datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_change_event(execution: Any, *, account: str, region: str, status: str | None = None) -> dict[str, Any]:
    """The EventBridge event AWS publishes for ``execution``'s current status (or ``status``)."""
    status = status or execution.status
    ended = status != "RUNNING"
    output = None
    if status == "SUCCEEDED" and execution.output is not None:
        output = execution.output if isinstance(execution.output, str) else to_json_str(execution.output)
    moment = execution.stop_date if ended and execution.stop_date else execution.start_date
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": DETAIL_TYPE,
        "source": "aws.states",
        "account": account,
        "time": _iso(moment),
        "region": region,
        "resources": [execution.exec_arn],
        "detail": {
            "executionArn": execution.exec_arn,
            "stateMachineArn": execution.state_machine_arn,
            "name": execution.name,
            "status": status,
            "startDate": _millis(execution.start_date),
            "stopDate": _millis(execution.stop_date) if ended else None,
            "input": json.dumps(execution.input_data, separators=(",", ":")),
            "output": output,
            "inputDetails": {"included": True},
            "outputDetails": {"included": True} if output is not None else None,
            "error": execution.error if status == "FAILED" else None,
            "cause": execution.cause if status == "FAILED" else None,
            "redriveCount": getattr(execution, "redrive_count", 0),  # set by local.shims.redrive
            "redriveDate": _millis(getattr(execution, "redrive_date", None)),
            "redriveStatus": "NOT_REDRIVABLE" if status == "SUCCEEDED" or not ended else "REDRIVABLE",
            "redriveStatusReason": "Execution is RUNNING and cannot be redriven" if not ended else None,
        },
    }


def scheduled_event(rule: dict[str, Any], *, account: str, region: str) -> dict[str, Any]:
    """The event a scheduled rule sends to its targets."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": _iso(datetime.datetime.now(tz=datetime.UTC)),
        "region": region,
        "resources": [rule["Arn"]],
        "detail": {},
    }


@dataclass
class Delivery:
    """One event handed to one target (``started`` is the execution ARN it started, if any)."""

    event: dict[str, Any]
    rule: str
    target: str
    time: float
    started: str | None = None
    error: str | None = None


@dataclass
class EventFaults:
    """What happens to published events before delivery (documented best-effort behaviour).

    ``lose``: drop the event; ``duplicate``: number of extra copies; ``delay``: seconds to
    hold it. Each is a function of the event (return False / 0 / 0.0 for normal delivery).
    """

    lose: EventFilter | None = None
    duplicate: EventCount | None = None
    delay: EventDelay | None = None


@dataclass
class EventBridgeEmulator:
    """Publishes execution status changes and delivers them (and scheduled events) to rule targets."""

    events_client: Any
    sfn_client: Any
    account: str
    region: str
    faults: EventFaults = field(default_factory=EventFaults)
    published: list[dict[str, Any]] = field(default_factory=list)
    lost: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _queue: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list, repr=False)
    _sequence: itertools.count[int] = field(default_factory=itertools.count, repr=False)
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _busy: int = 0
    _stopping: bool = False
    _schedules_stopped: bool = False
    _thread: threading.Thread | None = field(default=None, repr=False)
    _schedule_thread: threading.Thread | None = field(default=None, repr=False)

    def install(self) -> Undo:
        """Start publishing: hook execution start and end, start the delivery thread."""
        emulator = self
        original_start = Execution.start
        original_terminated = BaseExecutionWorkerCommunication.terminated

        def start(execution: Any) -> None:
            # The RUNNING event is built before the worker runs: a machine that fails at once
            # must not publish its end status twice and no RUNNING.
            emulator.publish_status(execution, status="RUNNING")
            original_start(execution)

        def terminated(comm: Any) -> None:
            original_terminated(comm)
            emulator.publish_status(comm.execution)

        self._thread = threading.Thread(target=self._deliver_loop, daemon=True, name="local-eventbridge")
        self._thread.start()
        undo_patches = undo_all([
            replace_attr(Execution, "start", start),
            replace_attr(BaseExecutionWorkerCommunication, "terminated", terminated),
        ])

        def undo() -> None:
            undo_patches()
            with self._cond:
                self._stopping = True
                self._cond.notify_all()
            if self._thread is not None:
                self._thread.join(timeout=5)
            if self._schedule_thread is not None:
                self._schedule_thread.join(timeout=5)

        return undo

    def publish_status(self, execution: Any, *, status: str | None = None) -> None:
        """Publish ``execution``'s status change (its current status, or ``status``); never raises
        into moto's execution thread."""
        try:
            event = status_change_event(execution, account=self.account, region=self.region, status=status)
        except Exception as error:  # noqa: BLE001 - recorded; the execution itself must end normally
            self.errors.append(f"{getattr(execution, 'exec_arn', '?')}: {type(error).__name__}: {error}")
            return
        self.publish(event)

    def publish(self, event: dict[str, Any]) -> None:
        """Put ``event`` on the bus (subject to the fault hooks)."""
        with self._cond:
            self.published.append(event)
            if self.faults.lose is not None and self.faults.lose(event):
                self.lost.append(event)
                return
            copies = 1 + (self.faults.duplicate(event) if self.faults.duplicate is not None else 0)
            due = time.time() + (self.faults.delay(event) if self.faults.delay is not None else 0.0)
            for _ in range(copies):
                heapq.heappush(self._queue, (due, next(self._sequence), event))
            self._cond.notify_all()

    def fire_schedules(self) -> int:
        """Deliver one event of every ENABLED scheduled rule now; returns how many rules fired."""
        fired = 0
        for rule in self._rules():
            if rule.get("ScheduleExpression") and rule.get("State") == "ENABLED":
                self._deliver_to_rule(rule, scheduled_event(rule, account=self.account, region=self.region))
                fired += 1
        return fired

    def run_schedules_every(self, seconds: float) -> None:
        """Fire scheduled rules every ``seconds`` (a compressed clock: AWS's minimum is one minute)."""

        with self._cond:
            self._schedules_stopped = False

        def loop() -> None:
            while True:
                with self._cond:
                    if self._cond.wait_for(lambda: self._stopping or self._schedules_stopped, timeout=seconds):
                        return
                self.fire_schedules()

        self._schedule_thread = threading.Thread(target=loop, daemon=True, name="local-eventbridge-schedule")
        self._schedule_thread.start()

    def stop_schedules(self) -> None:
        """Fire no more scheduled rules (a run that has settled stops starting reconcilers)."""
        with self._cond:
            self._schedules_stopped = True
            self._cond.notify_all()
        if self._schedule_thread is not None:
            self._schedule_thread.join(timeout=5)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued event has been delivered; False on timeout."""
        deadline = time.time() + timeout
        with self._cond:
            while self._queue or self._busy:
                remaining = deadline - time.time()
                if remaining <= 0:
                    return False
                self._cond.wait(timeout=min(remaining, 0.1))
        return True

    def _deliver_loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and (not self._queue or self._queue[0][0] > time.time()):
                    wait = None if not self._queue else max(0.0, self._queue[0][0] - time.time())
                    self._cond.wait(timeout=wait if wait is not None else 0.5)
                if self._stopping:
                    return
                _, _, event = heapq.heappop(self._queue)
                self._busy += 1
            try:
                for rule in self._rules():
                    if (rule.get("State") == "ENABLED" and rule.get("EventPattern")
                            and EventPattern.load(rule["EventPattern"]).matches_event(cast(Any, event))):
                        self._deliver_to_rule(rule, event)
            except Exception as error:  # noqa: BLE001 - the bus survives a failed delivery; the failure is recorded
                self.deliveries.append(Delivery(event=event, rule="?", target="?", time=time.time(),
                                                error=f"{type(error).__name__}: {error}"))
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _rules(self) -> list[dict[str, Any]]:
        rules: list[dict[str, Any]] = []
        for page in self.events_client.get_paginator("list_rules").paginate():
            rules.extend(page.get("Rules", []))
        return rules

    def _deliver_to_rule(self, rule: dict[str, Any], event: dict[str, Any]) -> None:
        targets = self.events_client.list_targets_by_rule(
            Rule=rule["Name"], EventBusName=rule.get("EventBusName", "default"))["Targets"]
        for target in targets:
            delivery = Delivery(event=event, rule=rule["Name"], target=target["Arn"], time=time.time())
            if ":states:" in target["Arn"] and ":stateMachine:" in target["Arn"]:
                try:
                    started = self.sfn_client.start_execution(
                        stateMachineArn=target["Arn"], input=json.dumps(_target_input(target, event)))
                    delivery.started = started["executionArn"]
                except Exception as error:  # noqa: BLE001 - EventBridge would retry, then drop; record and go on
                    delivery.error = f"{type(error).__name__}: {error}"
            else:
                delivery.error = "target type not emulated (only Step Functions state machines)"
            self.deliveries.append(delivery)


def _target_input(target: dict[str, Any], event: dict[str, Any]) -> Any:
    if "Input" in target:
        return json.loads(target["Input"])
    if "InputPath" in target:
        from jsonpath_ng.ext import parse  # type: ignore[attr-defined]

        matches = parse(target["InputPath"]).find(event)
        return matches[0].value if matches else None
    if "InputTransformer" in target:
        transformer = target["InputTransformer"]
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=cast(Any, event),
        )
    return event
