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
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from moto.dynamodb.responses import DynamoHandler

from local.shims._patch import Undo, replace_attr

LOCK = threading.RLock()
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
