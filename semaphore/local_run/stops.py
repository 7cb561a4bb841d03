"""StopExecution mid-flight, at chosen moments of the semaphore's life (fault injection).

Moments are recognised from what the engine observes, not from state names, so the rules
work for any acquire/release design:

* ``waiting``: the execution's conditional write to the lock table was refused while it
  held no slot (it is queueing for one);
* ``acquired``: the execution has just become a holder in the lock table (before its work);
* ``working``: the worker function has started for the execution (it holds a slot and the
  Lambda runs; a StopExecution does not stop that Lambda, as on AWS).

Each execution is stopped at most once, through the real ``StopExecution`` API: at the
moment itself (the request or invocation that revealed the moment waits for the stop), or
``delay`` seconds later on a separate thread.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from dsl.errors import CodedError
from local.dynamodb_gateway import DynamoDBGateway, DynamoRequest, HoldInterval
from local.shims.lambda_inprocess import InProcessLambdaRuntime, Invocation

MOMENTS = ("waiting", "acquired", "working")
_REFUSALS = {"ConditionalCheckFailedException", "TransactionCanceledException"}


class StopRuleError(CodedError, ValueError):
    """A stop rule names an unknown moment or a bad count."""

    code = "LOCAL-STOP"


@dataclass
class StopRule:
    """Stop up to ``count`` executions at ``moment``, ``delay`` seconds after it.

    ``machine_arn`` limits the rule to one machine's executions (a local run fills in the
    lock-holding machine when it is None).
    """

    moment: str
    count: int
    delay: float = 0.0
    machine_arn: str | None = None
    stopped: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.moment not in MOMENTS:
            raise StopRuleError(f"stop moment {self.moment!r}: expected one of {', '.join(MOMENTS)}")
        if self.count < 0:
            raise StopRuleError(f"stop count {self.count}: expected 0 or more")


@dataclass
class Stopper:
    """Applies :class:`StopRule`s to the executions the engine observes."""

    sfn_client: Any
    gateway: DynamoDBGateway
    runtime: InProcessLambdaRuntime
    lock_table: str
    rules: list[StopRule] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _claimed: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def attach(self) -> None:
        """Start listening to the gateway, the holder ledger and the Lambda runtime."""
        self.gateway.on_request.append(self._on_request)
        self.gateway.ledgers[self.lock_table].on_acquire.append(self._on_acquire)
        self.runtime.on_start.append(self._on_work)

    def join(self, timeout: float = 10.0) -> None:
        """Wait for the stop calls already triggered."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _on_request(self, request: DynamoRequest) -> None:
        arn = request.execution_arn
        if (arn and request.error in _REFUSALS and self.lock_table in request.tables
                and arn not in self.gateway.ledgers[self.lock_table].current):
            self._trigger("waiting", arn)

    def _on_acquire(self, interval: HoldInterval) -> None:
        self._trigger("acquired", interval.holder)

    def _on_work(self, invocation: Invocation) -> None:
        if invocation.execution_arn:
            self._trigger("working", invocation.execution_arn)

    def _trigger(self, moment: str, execution_arn: str) -> None:
        with self._lock:
            if execution_arn in self._claimed:
                return
            rule = next((r for r in self.rules if r.moment == moment and len(r.stopped) < r.count
                         and r.machine_arn in (None, _machine_of(execution_arn))), None)
            if rule is None:
                return
            self._claimed.add(execution_arn)
            rule.stopped.append(execution_arn)
        if rule.delay <= 0:
            # At the moment itself: the request that revealed it returns only once the stop has
            # landed, so a fast execution cannot finish first and dodge it.
            self._stop(execution_arn, 0.0)
            return
        thread = threading.Thread(target=self._stop, args=(execution_arn, rule.delay), daemon=True,
                                  name="local-stop")
        self._threads.append(thread)
        thread.start()

    def _stop(self, execution_arn: str, delay: float) -> None:
        if delay > 0:
            time.sleep(delay)
        try:
            self.sfn_client.stop_execution(executionArn=execution_arn, cause="local engine: injected stop")
        except Exception as error:  # noqa: BLE001 - e.g. the execution ended first: recorded, the run goes on
            self.errors.append(f"{execution_arn}: {type(error).__name__}: {error}")


def _machine_of(execution_arn: str) -> str:
    """``arn:aws:states:r:a:execution:M:name`` -> ``arn:aws:states:r:a:stateMachine:M``."""
    head, _, rest = execution_arn.partition(":execution:")
    machine = rest.split(":", 1)[0]
    return f"{head}:stateMachine:{machine}"
