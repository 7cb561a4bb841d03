"""An embedded moto server on a free loopback port, executing state machines, shims installed.

moto's ASL executor calls the other services through boto3 clients aimed at
``localhost:$MOTO_PORT`` (``moto.stepfunctions.parser.asl.utils.boto_client``), so the
variable is set to the chosen port while the server runs. moto's backends are process-wide,
so one embedded server may run per process at a time; starting one resets all moto state.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]

from dsl.errors import CodedError
from local import server_speed
from local.dynamodb_gateway import DynamoDBGateway
from local.eventbridge import EventBridgeEmulator
from local.patches import FIDELITY, Patch, patches
from local.shims._patch import Undo
from local.shims.lambda_inprocess import InProcessLambdaRuntime

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
_ONE_SERVER = threading.Lock()


class LocalServerError(CodedError):
    """The embedded server could not start."""

    code = "LOCAL-SERVER"


@dataclass
class LocalServer:
    """A running embedded moto server: its endpoint, boto3 clients and the engine's instruments.

    ``lambda_runtime`` runs and records Lambda invocations, ``dynamodb`` logs, fails (fault
    rules) and ledgers DynamoDB requests, ``eventbridge`` delivers status-change events.
    """

    endpoint_url: str
    port: int
    lambda_runtime: InProcessLambdaRuntime
    dynamodb: DynamoDBGateway
    eventbridge: EventBridgeEmulator | None = None
    region: str = REGION
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` aimed at this server (cached per service)."""
        if service not in self._clients:
            self._clients[service] = boto3.client(
                service,
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                config=Config(retries={"max_attempts": 1, "mode": "standard"},
                              max_pool_connections=64),
                **_CREDENTIALS,
            )
        return self._clients[service]

    def dynamodb_table(self, name: str) -> Any:
        """moto's in-process DynamoDB table ``name`` (raises moto's ResourceNotFoundException)."""
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[ACCOUNT_ID][self.region].get_table(name)

    def execution_statuses(self, machine_arn: str) -> list[str]:
        """The status of every execution of ``machine_arn``, read in-process.

        A progress poll through ``ListExecutions`` parses every execution's timestamps on
        the client: with 100 running that was 40 % of the process's CPU, taken from the
        executions being measured.
        """
        from moto.stepfunctions.parser.models import stepfunctions_parser_backends

        backend = stepfunctions_parser_backends[ACCOUNT_ID][self.region]
        for machine in list(backend.state_machines):
            if machine.arn == machine_arn:
                # exec_status: the parser's executions; None while one is being started.
                statuses = (getattr(e, "exec_status", None) for e in list(machine.executions))
                return [str(status.value) for status in statuses if status is not None]
        return []

    def environment(self) -> dict[str, str]:
        """Environment variables that point AWS tools (AWS CLI, boto3) at this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ACCESS_KEY_ID": _CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": _CREDENTIALS["aws_secret_access_key"],
        }


def _reset_moto() -> None:
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def _stop_running_executions() -> None:
    """Stop every execution still running so its worker thread ends with the server."""
    import datetime

    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    now = datetime.datetime.now(tz=datetime.UTC)
    for account in list(stepfunctions_parser_backends.keys()):
        for region in list(stepfunctions_parser_backends[account].keys()):
            backend = stepfunctions_parser_backends[account][region]
            for machine in list(backend.state_machines):
                for execution in list(machine.executions):
                    worker = getattr(execution, "exec_worker", None)  # parser executions only
                    if execution.status == "RUNNING" and worker is not None and worker.env:
                        worker.env.set_stop(stop_date=now, cause="server stopped", error=None)


@contextmanager
def local_server(*, fidelity: Sequence[Patch] = FIDELITY, time_scale: float = 1.0,
                 verbose: bool = False) -> Iterator[LocalServer]:
    """Run an embedded moto server (state-machine execution on, every patch of :mod:`local.patches`).

    ``fidelity=()`` leaves out the fidelity shims (a bare moto, for tests that show a gap).

    ``time_scale`` runs ASL Wait states and Retry intervals on a compressed clock
    (:mod:`local.clock`); 1.0 is real time.

    Yields a :class:`LocalServer`; on exit running executions are stopped, the server shut
    down, the shims removed and moto's configuration restored.
    """
    from moto.core.config import default_user_config
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    if not _ONE_SERVER.acquire(blocking=False):
        raise LocalServerError("an embedded moto server already runs in this process")
    saved_sfn = default_user_config.get("stepfunctions")
    saved_lambda = default_user_config.get("lambda")
    saved_port = os.environ.get("MOTO_PORT")
    # werkzeug logs every request at INFO; a run makes tens of thousands.
    werkzeug_log = logging.getLogger("werkzeug")
    saved_level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    # The executor logs every failed state at WARNING/ERROR; the history records them anyway.
    sfn_log = logging.getLogger("moto.stepfunctions")
    saved_sfn_level = sfn_log.level
    sfn_log.setLevel(logging.CRITICAL)
    undos: list[Undo] = []
    server = None
    try:
        _reset_moto()
        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        # The worker runs in-process (see local.shims.lambda_inprocess), never in Docker.
        default_user_config["lambda"] = {"use_docker": False}
        run_patches = patches(time_scale=time_scale, fidelity=fidelity)
        undos.extend(patch.install() for patch in run_patches if patch.before_start)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=verbose)
        server.start()
        host, port = server.get_host_and_port()
        os.environ["MOTO_PORT"] = str(port)
        for patch in run_patches:
            if not patch.before_start:
                undos.append(patch.install())
        local = LocalServer(
            endpoint_url=f"http://{host}:{port}", port=port,
            lambda_runtime=InProcessLambdaRuntime(), dynamodb=DynamoDBGateway(),
        )
        undos.append(local.lambda_runtime.install())
        undos.append(local.dynamodb.install())
        local.eventbridge = EventBridgeEmulator(
            events_client=local.client("events"), sfn_client=local.client("stepfunctions"),
            account=ACCOUNT_ID, region=local.region,
        )
        stop_eventbridge = local.eventbridge.install()
        server_speed.warm_up(local.region)
        try:
            yield local
        finally:
            # Deliveries stop first: the executions stopped below must not start cleanups.
            stop_eventbridge()
    finally:
        try:
            _stop_running_executions()
        finally:
            if server is not None:
                server.stop()
            for undo in reversed(undos):
                undo()
            if saved_port is None:
                os.environ.pop("MOTO_PORT", None)
            else:
                os.environ["MOTO_PORT"] = saved_port
            if saved_sfn is not None:
                default_user_config["stepfunctions"] = saved_sfn
            if saved_lambda is not None:
                default_user_config["lambda"] = saved_lambda
            werkzeug_log.setLevel(saved_level)
            sfn_log.setLevel(saved_sfn_level)
            _ONE_SERVER.release()
