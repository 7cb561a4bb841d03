"""Every DynamoDB request the local server answers: counted, fault-injected, and the holders tracked.

Sits around moto's DynamoDB request handler (inside the atomicity lock of
:mod:`local.shims.dynamodb_atomic`, so each request sees and leaves a consistent table):

* **request log**: operation, tables, calling execution/state (from :mod:`local.callcontext`),
  outcome, time;
* **faults**: :class:`DynamoFault` rules answer chosen requests with a DynamoDB error, either
  instead of applying them or after applying them ("committed, then reported an error");
* **holder ledger**: after every write to a watched table, the set of slot holders in that
  table is recomputed, giving exact holding intervals per execution and the exact peak.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.responses import DynamoHandler

from dsl.errors import CodedError
from local import callcontext
from local.shims import dynamodb_atomic
from local.shims._patch import Undo, replace_attr

# HTTP status DynamoDB answers each injectable error with.
FAULT_STATUS = {
    "ThrottlingException": 400,
    "ProvisionedThroughputExceededException": 400,
    "RequestLimitExceeded": 400,
    "TransactionConflictException": 400,
    "InternalServerError": 500,
}
_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


class FaultRuleError(CodedError, ValueError):
    """A fault rule names an error DynamoDB does not answer with."""

    code = "LOCAL-FAULT"


@dataclass
class DynamoFault:
    """Answer matching DynamoDB requests with ``error``.

    A request matches when every given criterion holds: ``state`` (the Task state that sent
    it), ``operation`` (e.g. ``UpdateItem``), ``execution`` (an execution ARN), and its
    position among the requests matching those (``calls``, 1-based). ``times`` caps how many
    requests are failed. ``after_commit`` applies the request first, so the change is made
    although the caller sees the error.
    """

    error: str
    state: str | None = None
    operation: str | None = None
    execution: str | None = None
    calls: frozenset[int] | None = None
    times: int | None = None
    after_commit: bool = False
    seen: int = 0
    injected: int = 0

    def __post_init__(self) -> None:
        if self.error not in FAULT_STATUS:
            raise FaultRuleError(f"fault error {self.error!r}: expected one of {', '.join(sorted(FAULT_STATUS))}")

    def claims(self, operation: str, caller: callcontext.CallContext | None) -> bool:
        """Whether this rule fails the request (counts it when it matches)."""
        if self.operation is not None and operation != self.operation:
            return False
        if self.state is not None and (caller is None or caller.state_name != self.state):
            return False
        if self.execution is not None and (caller is None or caller.execution_arn != self.execution):
            return False
        self.seen += 1
        if self.calls is not None and self.seen not in self.calls:
            return False
        if self.times is not None and self.injected >= self.times:
            return False
        self.injected += 1
        return True


@dataclass
class DynamoRequest:
    """One DynamoDB request as the server answered it."""

    time: float
    operation: str
    tables: tuple[str, ...]
    execution_arn: str | None
    state_name: str | None
    status: int
    error: str | None = None
    injected: bool = False


@dataclass
class HoldInterval:
    """When ``holder`` was recorded in the lock table (epoch seconds; end None while held)."""

    holder: str
    start: float
    end: float | None = None
    released_by: str | None = None  # the execution whose request removed it


def holder_arns(item: Mapping[str, Any], key_value: Any) -> set[str]:
    """Holders in one item (typed attribute values, as boto3 returns them), in every layout used:

    * attributes named by an execution ARN (the original sample);
    * keys of a map attribute that are execution ARNs, minus the ARNs listed in a list
      attribute (the hand-off layout: ``lockowners`` holds holders and queued waiters,
      ``lockwaiters`` lists the queued);
    * an item keyed by an execution ARN, or by ``<lock name>#<execution ARN>`` (one item per
      holder; ``#`` cannot occur in an execution ARN).
    """
    holders = {name for name in item if _is_execution_arn(name)}
    queued: set[str] = set()
    for value in item.values():
        if isinstance(value, Mapping) and isinstance(value.get("M"), Mapping):
            holders |= {name for name in value["M"] if _is_execution_arn(name)}
        elif isinstance(value, Mapping) and isinstance(value.get("L"), list):
            queued |= {_string(entry) for entry in value["L"]}
    if isinstance(key_value, str) and _is_execution_arn(key_value.rpartition("#")[2]):
        holders.add(key_value.rpartition("#")[2])
    return holders - queued


def execution_arn_holders(items: Iterable[Any]) -> set[str]:
    """Holders in moto's items of a table (see :func:`holder_arns`)."""
    holders: set[str] = set()
    for item in items:
        holders |= holder_arns({name: value.to_json() for name, value in item.attrs.items()},
                               item.hash_key.value)
    return holders


def _string(entry: Any) -> Any:
    """The string of a typed list entry: ``{"S": ...}`` from boto3, a DynamoType from moto."""
    if isinstance(entry, Mapping):
        return entry.get("S")
    return getattr(entry, "value", None) if getattr(entry, "type", None) == "S" else None


def _is_execution_arn(text: str) -> bool:
    return text.startswith("arn:") and ":states:" in text and ":execution:" in text


@dataclass
class HolderLedger:
    """Exact holder history of one table, updated under the DynamoDB lock after each write."""

    table: str
    holders_of: Callable[[Iterable[Any]], set[str]] = execution_arn_holders
    current: dict[str, HoldInterval] = field(default_factory=dict)
    intervals: list[HoldInterval] = field(default_factory=list)
    peak: int = 0
    on_acquire: list[Callable[[HoldInterval], None]] = field(default_factory=list)

    def observe(self, items: Iterable[Any], when: float, by: str | None) -> None:
        """Record the holder set found in ``items`` after a write made by ``by``."""
        now = self.holders_of(items)
        for holder in set(self.current) - now:
            interval = self.current.pop(holder)
            interval.end = when
            interval.released_by = by
        for holder in now - set(self.current):
            interval = HoldInterval(holder=holder, start=when)
            self.current[holder] = interval
            self.intervals.append(interval)
            for listener in self.on_acquire:
                listener(interval)
        self.peak = max(self.peak, len(self.current))


@dataclass
class DynamoDBGateway:
    """Request log, fault rules and holder ledgers for the local server's DynamoDB."""

    faults: list[DynamoFault] = field(default_factory=list)
    requests: list[DynamoRequest] = field(default_factory=list)
    ledgers: dict[str, HolderLedger] = field(default_factory=dict)
    on_request: list[Callable[[DynamoRequest], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_fault(self, fault: DynamoFault) -> DynamoFault:
        """Start failing requests that match ``fault``; returns it (its counters show its effect)."""
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Stop injecting faults."""
        with self._lock:
            self.faults.clear()

    def watch(self, table: str, holders_of: Callable[[Iterable[Any]], set[str]] = execution_arn_holders) -> HolderLedger:
        """Keep an exact holder ledger for ``table`` from now on."""
        ledger = HolderLedger(table=table, holders_of=holders_of)
        self.ledgers[table] = ledger
        return ledger

    def install(self) -> Undo:
        """Route the server's DynamoDB requests through this gateway."""
        gateway = self
        original = DynamoHandler.call_action

        def call_action(handler: Any) -> Any:
            with dynamodb_atomic.serialised():
                return gateway._handle(handler, original)

        return replace_attr(DynamoHandler, "call_action", call_action)

    def _handle(self, handler: Any, original: Callable[[Any], Any]) -> Any:
        operation = handler._get_action()
        caller = callcontext.from_headers(handler.headers)
        params = getattr(handler, "params", None) or _json_body(handler.body)
        tables = _tables_of(params)
        with self._lock:
            fault = next((f for f in self.faults if f.claims(operation, caller)), None)
        if fault is not None and not fault.after_commit:
            response = _error_response(fault.error)
        else:
            response = original(handler)
            # A refused or failed write changed nothing: only an applied one can move holders.
            if operation in _WRITES and _status(response) < 400:
                self._observe(handler, tables, caller)
            if fault is not None:
                response = _error_response(fault.error)
        status = _status(response)
        error = _error_code(response) if status >= 400 else None
        request = DynamoRequest(
            time=time.time(), operation=operation, tables=tables,
            execution_arn=caller.execution_arn if caller else None,
            state_name=caller.state_name if caller else None,
            status=status, error=error, injected=fault is not None,
        )
        self.requests.append(request)
        for listener in self.on_request:
            listener(request)
        return response

    def _observe(self, handler: Any, tables: tuple[str, ...], caller: callcontext.CallContext | None) -> None:
        when = time.time()
        for table_name in tables:
            ledger = self.ledgers.get(table_name)
            if ledger is None:
                continue
            try:
                table = handler.dynamodb_backend.get_table(table_name)
            except ResourceNotFoundException:  # the table was deleted mid-run: no holder remains in it
                ledger.observe([], when, caller.execution_arn if caller else None)
                continue
            ledger.observe(table.all_items(), when, caller.execution_arn if caller else None)


def _status(response: Any) -> int:
    """The HTTP status of a moto handler's answer (a bare body means 200)."""
    return int(response[0]) if isinstance(response, tuple) else 200


def _json_body(body: Any) -> dict[str, Any]:
    if isinstance(body, dict):
        return body
    try:
        parsed = json.loads(body or "{}")
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _tables_of(params: dict[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    if isinstance(params.get("TableName"), str):
        names.append(params["TableName"])
    for key in ("RequestItems",):
        if isinstance(params.get(key), dict):
            names.extend(params[key])
    for entry in params.get("TransactItems") or []:
        for action in entry.values() if isinstance(entry, dict) else []:
            if isinstance(action, dict) and isinstance(action.get("TableName"), str):
                names.append(action["TableName"])
    return tuple(dict.fromkeys(names))


def _error_response(error: str) -> tuple[int, dict[str, str], str]:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{error}",
                       "message": f"Injected by the local engine: {error}"})
    headers = {"content-type": "application/x-amz-json-1.0", "status": str(FAULT_STATUS[error]),
               "x-amzn-RequestId": uuid.uuid4().hex.upper()}
    return FAULT_STATUS[error], headers, body


def _error_code(response: Any) -> str | None:
    try:
        body = response[2]
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        kind = json.loads(body).get("__type", "")
    except (IndexError, TypeError, ValueError, AttributeError):
        return None
    return str(kind).rpartition("#")[2] or None
