"""How large a limit one DynamoDB lock item can serve.

The semaphore keeps everything in the lock item (see ``semaphore.pattern``):
the limit and the count, every owner in the ``lockowners`` map (execution ARN ->
acquire time, ``$$.State.EnteredTime``), and every queued execution also in the
``lockwaiters`` list (its ARN) and the ``waitertokens`` list (its task token).
DynamoDB caps an item at 400 KB, counting the UTF-8 bytes of every attribute name
and value, 3 bytes per list or map and 1 byte per element of one.

So a holder costs one owners entry, and a queued execution an owners entry, a
waiters element and a tokens element; the token dominates. The bound gives every
slot room for its holder *and one queued execution*: at any limit up to
``max_holders`` a full lock still has room to queue at least one execution per
slot. Beyond the queue room DynamoDB refuses the park (the item would exceed 400 KB).
For the defaults (prefix CC, us-east-1, lock MySemaphore) the maximum limit is 157
(2,595 bytes per slot: a 190-byte holder and a 2,405-byte queued execution); at the
default limit 5 the item can queue 169 executions.

The sizes are upper bounds: the longest execution ARN the semaphore machine can
have (an 80-character execution name) and the longest task token AWS's API model
allows (``TaskToken``: 2048 characters in the current model, 1024 in older ones;
tokens are ASCII, one byte per character).
"""

from __future__ import annotations

from dataclasses import dataclass

from deployer.catalog import SEMAPHORE
from deployer.errors import BadOption
from semaphore.pattern import Semaphore

ITEM_MAX_BYTES = 400 * 1024
# ISO 8601 with milliseconds, as Step Functions writes $$.State.EnteredTime.
TIMESTAMP_BYTES = len("2024-01-01T00:00:00.000Z")
EXECUTION_NAME_MAX = 80
ACCOUNT_ID_LENGTH = 12
TASK_TOKEN_MAX = 2048
# A number: 1 byte per two significant digits (at most 38) + 1 = 20 by DynamoDB's estimate; 21 to spare.
NUMBER_MAX_BYTES = 21
# A list or a map costs 3 bytes, and each of its elements 1 byte more.
CONTAINER_BYTES = 3
ELEMENT_BYTES = 1


@dataclass(frozen=True)
class Capacity:
    """The largest limit one lock item serves, and how that was computed (in bytes)."""

    max_holders: int
    holder_bytes: int
    queued_bytes: int
    fixed_bytes: int

    def queue_room(self, limit: int) -> int:
        """How many executions can be queued while ``limit`` executions hold a slot."""
        return max(0, (ITEM_MAX_BYTES - self.fixed_bytes - limit * self.holder_bytes) // self.queued_bytes)


def lock_item_capacity(*, lock_name: str, machine_name: str, region: str, partition: str,
                       semaphore: Semaphore = SEMAPHORE) -> Capacity:
    """The capacity of the lock item of ``lock_name`` for executions of ``machine_name``."""
    arn = len((f"arn:{partition}:states:{region}:{'0' * ACCOUNT_ID_LENGTH}:execution:"
               f"{machine_name}:{'x' * EXECUTION_NAME_MAX}").encode())
    holder = arn + TIMESTAMP_BYTES + ELEMENT_BYTES
    queued = holder + (arn + ELEMENT_BYTES) + (TASK_TOKEN_MAX + ELEMENT_BYTES)
    fixed = (len(semaphore.key_attribute) + len(lock_name.encode("utf-8"))
             + sum(len(name) + NUMBER_MAX_BYTES for name in (semaphore.count_attribute, semaphore.limit_attribute))
             + sum(len(name) + CONTAINER_BYTES for name in (semaphore.owners_attribute, semaphore.waiters_attribute,
                                                             semaphore.tokens_attribute)))
    return Capacity((ITEM_MAX_BYTES - fixed) // (holder + queued), holder, queued, fixed)


def check_limit(limit: int, capacity: Capacity) -> None:
    """Refuse a limit the lock item cannot serve."""
    if limit > capacity.max_holders:
        raise BadOption(f"--limit {limit} exceeds the maximum {capacity.max_holders}: one DynamoDB item (400 KB) "
                        f"records at most {capacity.max_holders} holders of {capacity.holder_bytes} bytes (execution "
                        f"ARN + acquire time) with one queued execution of {capacity.queued_bytes} bytes each "
                        "(ARN twice, acquire time, task token) for this prefix, region and lock name")
