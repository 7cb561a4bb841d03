"""The local engine's speed-ups change no answer: fair DynamoDB lock, parse cache, warm-up."""

from __future__ import annotations

import json
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


def test_each_parse_is_a_fresh_copy_of_one_cached_program() -> None:
    parse = server_speed._cached_parse()
    first, tree = parse(DEFINITION)
    second, same_tree = parse(DEFINITION)
    assert first is not second and type(first) is type(second)
    assert tree is same_tree  # parsed once


def test_warm_up_loads_the_models_and_clients_before_any_execution() -> None:
    from local.shims import _models

    _models._models.pop("dynamodb", None)
    server_speed.warm_up("us-east-1", ("dynamodb",))
    assert "dynamodb" in _models._models
