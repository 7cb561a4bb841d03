"""``run_local``: the whole system on this machine (the engine behind ``python deploy.py --local``).

Starts the embedded moto server (state machines executing, shims installed), deploys the
stack through the deploy tool's own API and boto3 calls (``deployer.deploy`` against the
server's endpoint URL), starts the work, watches it with a progress bar, and returns a
:class:`~semaphore.local_run.report.Report`; ``local-run/report.json`` and ``local-run/timeline.svg`` are
written beside. Fault injection (DynamoDB errors, stopped executions, lost/duplicated/delayed
events) and a ``during`` hook for mid-run actions serve the fault-scenario tests.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
from moto.dynamodb.exceptions import ResourceNotFoundException
from rich.console import Console

from deployer import Clients, DeployConfig, DeployResult, catalog, deploy
from dsl.errors import CodedError
from dsl.jsontext import dumps, write_atomic
from local.dynamodb_gateway import DynamoFault, execution_arn_holders
from local.eventbridge import EventFaults
from local.server import LocalServer, local_server
from local.shims import dynamodb_atomic
from semaphore.local_run import DRIVERS, measure
from semaphore.local_run.progress import progress_display
from semaphore.local_run.report import (
    TERMINAL,
    Report,
    RunRecord,
    RunSettings,
    build_report,
    render,
    running_at_once_note,
)
from semaphore.local_run.stops import Stopper, StopRule
from semaphore.local_run.timeline import render_svg

WORK_LOG_ENV = "WORK_LOG"
_SAMPLE_SECONDS = 0.1
_POLL_SECONDS = 0.25
# The starting threads' niceness (0 normal, 19 lowest): see _as_client_thread.
_CLIENT_NICENESS = 10


class LocalRunError(CodedError):
    """A local run cannot start: an option is out of range."""

    code = "LOCAL-RUN"
    code_in_text = True


@dataclass
class LocalRun:
    """A run in progress, handed to the ``during`` hook (e.g. to lower the limit or disable the rule)."""

    server: LocalServer
    clients: Clients
    deployed: DeployResult
    table: str
    lock_name: str
    started: list[str] = field(default_factory=list)

    @property
    def semaphore_arn(self) -> str:
        """The lock-holding state machine."""
        return self.deployed.machine_arn(_lock_holder().key)


def _lock_holder() -> catalog.MachineSpec:
    return next(m for m in catalog.MACHINES if m.acquires_lock)


@dataclass(frozen=True, kw_only=True)
class StackOptions:
    """Which stack a local run deploys, and how."""

    prefix: str = "CC"
    lock_name: str = "MySemaphore"
    generated_dir: Path | None = None
    """Deploy these generated files instead of the repository's ``generated/``."""
    source_root: Path | None = None
    check_definitions: bool = True
    """Refuse definitions that fail validate or verify (off for the original sample in benchmarks)."""
    params: Mapping[str, str] = field(default_factory=dict)
    params_file: Path | None = None
    """Fill the placeholders of the other workflows of ``generated/``, deployed alongside the system
    (``deploy.py --param``, ``--params``)."""


@dataclass(frozen=True, kw_only=True)
class Injections:
    """Faults and hooks of the fault-scenario tests.

    ``before_start`` runs after the deploy and before the first execution (e.g. to pre-create
    the lock item); ``during`` runs once they have started; ``wait_for``, when given, must also
    return True before the run counts as settled (e.g. "a scheduled reconciler has released
    every leaked slot").
    """

    dynamodb_faults: Sequence[DynamoFault] = ()
    stops: Sequence[StopRule] = ()
    event_faults: EventFaults | None = None
    before_start: Callable[[LocalRun], None] | None = None
    during: Callable[[LocalRun], None] | None = None
    wait_for: Callable[[LocalRun], bool] | None = None


def run_local(settings: RunSettings = RunSettings(), *, stack: StackOptions = StackOptions(),
              inject: Injections = Injections(), out_dir: Path | None = Path("local-run"),
              console: Console | None = None, progress: bool = True, timeout: float = 900.0) -> Report:
    """Deploy into an embedded moto server, run ``settings.requested`` semaphore executions, report.

    With driver ``test-machine`` the deployed test machine starts with input
    ``{"executions": N}`` (a machine that ignores it runs its own count, and the report says
    so); ``direct`` starts N executions of the lock-holding machine itself, all at once.
    """
    _check(settings)
    console = console or Console()
    if settings.seed is not None:
        random.seed(settings.seed)  # the worker draws from the global generator, in call order
    with _frozen_heap(), local_server(time_scale=settings.time_scale) as server:
        clients = Clients.from_session(
            boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local"),
            region=server.region, endpoint_url=server.endpoint_url)
        config = DeployConfig(prefix=stack.prefix, limit=settings.limit, lock_name=stack.lock_name,
                              region=server.region,
                              function_env={"WORK_SECONDS": f"{settings.work_seconds:g}",
                                            "FAILURE_RATE": f"{settings.failure_rate:g}"},
                              check_definitions=stack.check_definitions, params=dict(stack.params),
                              params_file=stack.params_file)
        if stack.generated_dir is not None:
            config = replace(config, generated_dir=stack.generated_dir, definitions_dir=None)
        if stack.source_root is not None:
            config = replace(config, source_root=stack.source_root)
        deployed = deploy(config, clients)
        run = LocalRun(server=server, clients=clients, deployed=deployed,
                       table=deployed.names[f"table:{catalog.TABLES[0].key}"], lock_name=stack.lock_name)
        if inject.before_start is not None:
            inject.before_start(run)
        return _run(run, settings, inject, out_dir=out_dir, console=console, progress=progress, timeout=timeout)


def _check(settings: RunSettings) -> None:
    if settings.requested < 1:
        raise LocalRunError(f"--executions {settings.requested}: expected a positive number")
    if settings.limit < 1:
        raise LocalRunError(f"--limit {settings.limit}: expected a positive number")
    if settings.work_seconds < 0:
        raise LocalRunError(f"--work-seconds {settings.work_seconds}: expected 0 or more")
    if not 0.0 <= settings.failure_rate <= 1.0:
        raise LocalRunError(f"--failure-rate {settings.failure_rate}: expected a number from 0 to 1")
    if settings.driver not in DRIVERS:
        raise LocalRunError(f"driver {settings.driver!r}: expected one of {', '.join(DRIVERS)}")
    if not settings.time_scale > 0:
        raise LocalRunError(f"time scale {settings.time_scale}: expected a number > 0")


def _run(run: LocalRun, settings: RunSettings, inject: Injections, *, out_dir: Path | None, console: Console,
         progress: bool, timeout: float) -> Report:
    executions, limit, driver = settings.requested, settings.limit, settings.driver
    server = run.server
    assert server.eventbridge is not None
    sfn = server.client("stepfunctions")
    ledger = server.dynamodb.watch(run.table)
    scratch = tempfile.TemporaryDirectory(prefix="local-run-")
    work_log = Path(scratch.name) / "work-log.jsonl"
    server.lambda_runtime.extra_environment[WORK_LOG_ENV] = str(work_log)
    for fault in inject.dynamodb_faults:
        server.dynamodb.add_fault(fault)
    stop_rules = [rule if rule.machine_arn else replace(rule, machine_arn=run.semaphore_arn)
                  for rule in inject.stops]
    stopper = Stopper(sfn_client=sfn, gateway=server.dynamodb, runtime=server.lambda_runtime,
                      lock_table=run.table, rules=stop_rules)
    stopper.attach()
    if inject.event_faults is not None:
        server.eventbridge.faults = inject.event_faults
    sampler = _Sampler(functools.partial(server.dynamodb_table, run.table))
    sampler.start()
    notes: list[str] = []
    began = time.time()
    test_arn = _start(run, driver, executions, sfn)
    if inject.during is not None:
        threading.Thread(target=inject.during, args=(run,), daemon=True, name="local-during").start()
    _watch(run, sfn, driver, executions, test_arn, stopper, limit, console, progress, began + timeout,
           inject.wait_for)
    sampler.stop()
    semaphore_runs = _list(sfn, run.semaphore_arn)
    if test_arn is not None:
        notes.extend(_test_machine_notes(sfn, test_arn))
    if driver == "test-machine" and len(semaphore_runs) != executions:
        notes.append(f"the test machine started {len(semaphore_runs)} executions of the lock-holding machine, "
                     f"not {executions}: its definition (its count, its retries of failed children) decides")
    record = RunRecord(
        settings=settings,
        executions=semaphore_runs,
        histories={e["executionArn"]: _history(sfn, e["executionArn"]) for e in semaphore_runs},
        cleanups=[e for arn in _cleanup_machines(run) for e in _list(sfn, arn)],
        holds=list(ledger.intervals), holders_left=sorted(ledger.current), peak_holders=ledger.peak,
        samples=list(sampler.samples), lock_item_numbers=_lock_numbers(server, run),
        invocations=list(server.lambda_runtime.invocations), work_log=_read_and_remove(work_log, scratch),
        dynamodb_faults_injected=sum(f.injected for f in server.dynamodb.faults),
        stops_injected=sum(len(r.stopped) for r in stop_rules),
        events_published=len(server.eventbridge.published), events_lost=len(server.eventbridge.lost),
        notes=notes + stopper.errors,
    )
    report = build_report(record)
    if out_dir is not None:
        spans, _ = measure.work_spans(record.invocations, record.work_log)
        write_atomic(out_dir / "report.json", dumps(report.as_dict()))
        write_atomic(out_dir / "timeline.svg", render_svg(
            report.per_execution, record.holds, spans, limit=limit,
            title=f"{len(semaphore_runs)} executions, limit {limit}, work {settings.work_seconds:g} s, "
                  f"failure rate {settings.failure_rate:g}"))
    if progress:
        render(report, console)
    return report


def _read_and_remove(work_log: Path, scratch: tempfile.TemporaryDirectory[str]) -> list[dict[str, Any]]:
    try:
        return measure.read_work_log(work_log)
    finally:
        scratch.cleanup()


def _test_machine_notes(sfn: Any, test_arn: str) -> list[str]:
    """What the test machine says about contention (its output's ``runningAtOnce.count``)."""
    output = sfn.describe_execution(executionArn=test_arn).get("output")
    try:
        count = json.loads(output)["runningAtOnce"]["count"] if output else None
    except (ValueError, KeyError, TypeError):
        count = None
    if not isinstance(count, int):
        return []
    return [running_at_once_note(count)]


def _start(run: LocalRun, driver: str, executions: int, sfn: Any) -> str | None:
    if driver == "test-machine":
        started = sfn.start_execution(stateMachineArn=run.deployed.test_machine_arn,
                                      input=dumps({"executions": executions}))
        return str(started["executionArn"])
    payload = dumps({"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": "local-run"})
    barrier = threading.Barrier(min(executions, 16))

    def start_some(indices: range) -> None:
        _as_client_thread()
        barrier.wait()
        for _ in indices:
            run.started.append(sfn.start_execution(stateMachineArn=run.semaphore_arn, input=payload)["executionArn"])

    # All at once, as a test run's Map would: several threads released together.
    threads = [threading.Thread(target=start_some, args=(range(i, executions, 16),), daemon=True)
               for i in range(min(executions, 16))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return None


def _as_client_thread() -> None:
    """Give the calling thread a lower CPU priority (Linux): it stands for a client, not the service.

    On AWS whoever calls StartExecution does not share a CPU with the executions. Here the
    16 starting threads shared two cores and one interpreter lock with them, and every call a
    running execution made waited its turn among them: during a 100-execution start storm the
    first holders' 1 s of work took 2 s and their hand-off 1.5 s. The threads hold no lock
    the service needs, so lowering them cannot stall it.
    """
    if sys.platform != "linux":  # elsewhere the call may set the whole process's priority
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _CLIENT_NICENESS)
    except OSError:  # not permitted here: run at the normal priority
        pass


def _watch(run: LocalRun, sfn: Any, driver: str, executions: int, test_arn: str | None, stopper: Stopper,
           limit: int, console: Console, show: bool, deadline: float,
           wait_for: Callable[[LocalRun], bool] | None) -> None:
    assert run.server.eventbridge is not None
    ledger = run.server.dynamodb.ledgers[run.table]
    quiet_polls = 0
    with progress_display(console, show=show, total=executions) as update:
        while time.time() < deadline:
            runs = run.server.execution_statuses(run.semaphore_arn)
            cleanups = [s for arn in _cleanup_machines(run) for s in run.server.execution_statuses(arn)]
            statuses = Counter(runs)
            ended = sum(n for s, n in statuses.items() if s in TERMINAL)
            update(ended, max(executions, len(runs)), (
                f"succeeded {statuses['SUCCEEDED']}, failed {statuses['FAILED'] + statuses['TIMED_OUT']}, "
                f"aborted {statuses['ABORTED']}, cleaned {cleanups.count('SUCCEEDED')}"
                f", slots held {len(ledger.current)}/{limit}"))
            driver_done = (test_arn is None and len(run.started) >= executions) or (
                test_arn is not None and sfn.describe_execution(executionArn=test_arn)["status"] != "RUNNING")
            settled = (driver_done and not statuses.get("RUNNING")
                       and all(c in TERMINAL for c in cleanups)
                       and run.server.eventbridge.drain(timeout=0.0)
                       and (wait_for is None or wait_for(run)))
            # Two quiet polls in a row: a just-delivered event may start one more cleanup.
            quiet_polls = quiet_polls + 1 if settled else 0
            if quiet_polls >= 2:
                break
            time.sleep(_POLL_SECONDS)
    stopper.join()
    # A schedule keeps starting reconcilers: stop it, then let the ones it started end, so that
    # the report does not count a reconciler started after the run settled as never ended.
    run.server.eventbridge.stop_schedules()
    while time.time() < deadline and not all(
            s in TERMINAL for arn in _cleanup_machines(run) for s in run.server.execution_statuses(arn)):
        time.sleep(_POLL_SECONDS)


def _list(sfn: Any, machine_arn: str) -> list[dict[str, Any]]:
    return [e for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=machine_arn)
            for e in page["executions"]]


def _history(sfn: Any, execution_arn: str) -> list[dict[str, Any]]:
    return [e for page in sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
            for e in page["events"]]


def _cleanup_machines(run: LocalRun) -> list[str]:
    """Machines that neither hold the lock nor drive the test: the ones rules start."""
    return [run.deployed.machine_arn(m.key) for m in catalog.MACHINES if not m.is_test and not m.acquires_lock]


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Objects left by earlier work in this process (a benchmark's previous run) sit out the run.

    Every full garbage collection would rescan them while the executions compete for the
    interpreter (measured: a benchmark's second stack started its executions twice as slowly).
    They go back to the collector afterwards.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _lock_numbers(server: LocalServer, run: LocalRun) -> dict[str, float]:
    key = {catalog.TABLES[0].hash_key: {"S": run.lock_name}}
    item = server.client("dynamodb").get_item(TableName=run.table, Key=key, ConsistentRead=True).get("Item") or {}
    return {name: float(value["N"]) for name, value in item.items() if "N" in value}


class _Sampler:
    """Counts the holders in the lock table every 0.1 s, reading moto's table in-process.

    Reading through the API (a consistent Scan over HTTP) cost more CPU than the executions
    it watched once the lock item held a long queue: the instrument slowed what it measured.
    The read takes the DynamoDB request lock, so it sees the table between two writes.
    """

    def __init__(self, table: Callable[[], Any]) -> None:
        self._table = table
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="local-sampler")
        self.samples: list[tuple[float, int]] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(_SAMPLE_SECONDS):
            with dynamodb_atomic.serialised():
                try:
                    holders = execution_arn_holders(self._table().all_items())
                except ResourceNotFoundException:  # deleted mid-run (a hazard test): nobody holds
                    holders = set()
            self.samples.append((time.time(), len(holders)))
