"""The local engine's speed-ups change no answer: fair DynamoDB lock, parse cache, warm-up."""

from __future__ import annotations

import json
import sys
import threading
import time

import pytest

from local import server_speed
from local.shims.dynamodb_atomic import FairRLock

DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def _wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.time() + timeout
    while not condition():  # type: ignore[operator]
        assert time.time() < deadline, "timed out"
        time.sleep(0.001)


def test_the_dynamodb_lock_is_granted_in_request_order() -> None:
    lock = FairRLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for number in range(8):
        thread = threading.Thread(target=lambda n=number: (lock.acquire(), order.append(n), lock.release()))
        thread.start()
        threads.append(thread)
        _wait_until(lambda count=number + 1: len(lock._waiters) == count)  # queued before the next asks
    lock.release()
    for thread in threads:
        thread.join(5)
    assert order == list(range(8))


def test_the_dynamodb_lock_is_reentrant_and_owned() -> None:
    lock = FairRLock()
    with lock, lock:
        taken: list[bool] = []
        other = threading.Thread(target=lambda: taken.append(lock.acquire()) or lock.release())
        other.start()
        time.sleep(0.05)
        assert taken == []  # still held by this thread after leaving the inner block
    other.join(5)
    assert taken == [True]
    with pytest.raises(RuntimeError):
        lock.release()


def test_one_definition_is_parsed_once_and_its_components_are_shared_with_their_heap_keys_set() -> None:
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent

    definition = json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "End": True}}})
    parse = server_speed._cached_parse()
    first, tree = parse(definition)
    second, same_tree = parse(definition)
    assert first is second and tree is same_tree  # parsed and built once
    components, pending, seen = [], [first], set()
    while pending:
        node = pending.pop()
        if id(node) not in seen:
            seen.add(id(node))
            components += [node] if isinstance(node, EvalComponent) else []
            pending += list(vars(node).values()) if hasattr(node, "__dict__") else []
            pending += list(node) if isinstance(node, (list, tuple)) else []
            pending += list(node.values()) if isinstance(node, dict) else []
    # The retrier's attempt counter lives in each execution's heap under its component's key:
    # set once now, so two executions starting together cannot give one component two keys.
    assert len(components) > 10
    assert all(component._EvalComponent__heap_key is not None for component in components)


def test_warm_up_loads_the_models_and_clients_before_any_execution() -> None:
    from local.shims import _models

    _models._models.pop("dynamodb", None)
    server_speed.warm_up("us-east-1", ("dynamodb",))
    assert "dynamodb" in _models._models


def test_the_executors_calls_are_answered_in_process_with_the_servers_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError
    from moto.dynamodb.responses import DynamoHandler
    from moto.stepfunctions.parser.asl.utils import boto_client

    from local import client_cache
    from local.server import local_server

    answered: list[str] = []
    dispatch = client_cache._DISPATCHER.process_request
    monkeypatch.setattr(client_cache._DISPATCHER, "process_request",
                        lambda request: answered.append(request.url) or dispatch(request))
    with local_server() as server:
        server.client("dynamodb").create_table(
            TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
        executor = boto_client.boto_client_for(region=server.region, service="dynamodb")
        assert executor.list_tables()["TableNames"] == ["t"]
        assert answered == ["https://dynamodb.us-east-1.amazonaws.com/"]
        # A handler that crashes: the server answers 500, and so does the in-process path.
        monkeypatch.setattr(DynamoHandler, "list_tables", lambda self: 1 / 0)
        with pytest.raises(ClientError) as failed:
            executor.list_tables()
        assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        with pytest.raises(ClientError) as over_http:
            server.client("dynamodb").list_tables()
        assert over_http.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500



def test_the_switch_interval_is_lengthened_while_installed_and_restored() -> None:
    before = sys.getswitchinterval()
    undo = server_speed.install()
    try:
        assert sys.getswitchinterval() == pytest.approx(server_speed.SWITCH_INTERVAL)
    finally:
        undo()
    assert sys.getswitchinterval() == pytest.approx(before)
