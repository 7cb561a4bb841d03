"""Atomic DynamoDB requests.

AWS: every single-item write (and each transaction) is atomic and isolated: a
conditional update checks its condition and applies its change as one step.
moto 5.2.5: `DynamoDBBackend.update_item` reads the item, evaluates the condition and then
mutates the shared `Item` without any lock, and the server answers requests on many
threads; measured: 40 threads doing "count < 5" acquire/release saw a count of 6, one
request died with `RuntimeError: dictionary changed size during iteration`, and an owner
attribute leaked (count 0 with an owner left). A semaphore test on that store proves nothing.
Shim: one re-entrant lock around every DynamoDB request the server handles, so requests are
linearizable. Instruments that must observe the table between requests (the holder ledger)
enter :func:`serialised`, the same lock while the shim is installed.

The lock is granted in request order. Python's locks are not fair: with 100 conditional
writes waiting (a start storm), they were served in an arbitrary order, so executions were
queued in the lock item in an order unrelated to when they asked, which AWS does not do.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from typing import Any

from moto.dynamodb.responses import DynamoHandler

from local.shims._patch import Undo, replace_attr


class FairRLock:
    """A re-entrant lock handed to waiting threads first come, first served."""

    _HANDING = -1  # owner while the lock passes to the next waiter: a newcomer cannot barge in

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self) -> bool:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return True
            if self._owner is None:
                self._owner, self._depth = me, 1
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()
        with self._mutex:
            self._owner, self._depth = me, 1
        return True

    def release(self) -> None:
        with self._mutex:
            if self._owner != threading.get_ident():
                raise RuntimeError("release of a FairRLock not held by this thread")
            self._depth -= 1
            if self._depth:
                return
            if self._waiters:
                self._owner = self._HANDING
                self._waiters.popleft().set()
            else:
                self._owner = None

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


LOCK = FairRLock()
_installed = threading.Event()


def serialised() -> contextlib.AbstractContextManager[Any]:
    """The request lock while the shim is installed; without it, moto's unlocked behaviour."""
    return LOCK if _installed.is_set() else contextlib.nullcontext()


def install() -> Undo:
    """Serialise every DynamoDB request."""
    original = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with LOCK:
            return original(self)

    undo_patch = replace_attr(DynamoHandler, "call_action", call_action)
    _installed.set()

    def undo() -> None:
        _installed.clear()
        undo_patch()

    return undo
