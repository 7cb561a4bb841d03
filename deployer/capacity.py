"""How many holders one DynamoDB lock item can record.

The semaphore keeps every holder in the lock item: an attribute named by the
holder's execution ARN whose value is the time it acquired
(``$$.State.EnteredTime``). DynamoDB caps an item at 400 KB, counting the
UTF-8 bytes of every attribute name and value, so the limit cannot exceed
what fits. The bound uses the longest execution ARN the semaphore machine can
have (an 80-character execution name) so that no execution name breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from deployer.errors import BadOption

ITEM_MAX_BYTES = 400 * 1024
# ISO 8601 with milliseconds, as Step Functions writes $$.State.EnteredTime.
TIMESTAMP_BYTES = len("2024-01-01T00:00:00.000Z")
EXECUTION_NAME_MAX = 80
ACCOUNT_ID_LENGTH = 12
# DynamoDB stores a number in at most 21 bytes.
NUMBER_MAX_BYTES = 21
KEY_ATTRIBUTE = "LockName"
COUNT_ATTRIBUTE = "currentlockcount"


@dataclass(frozen=True)
class Capacity:
    """The most holders one lock item can record, and how that was computed."""

    max_holders: int
    holder_bytes: int
    fixed_bytes: int


def lock_item_capacity(*, lock_name: str, machine_name: str, region: str, partition: str) -> Capacity:
    """The capacity of the lock item of ``lock_name`` for executions of ``machine_name``."""
    arn = (f"arn:{partition}:states:{region}:{'0' * ACCOUNT_ID_LENGTH}:execution:"
           f"{machine_name}:{'x' * EXECUTION_NAME_MAX}")
    holder = len(arn.encode("utf-8")) + TIMESTAMP_BYTES
    fixed = (len(KEY_ATTRIBUTE) + len(lock_name.encode("utf-8"))
             + len(COUNT_ATTRIBUTE) + NUMBER_MAX_BYTES)
    return Capacity((ITEM_MAX_BYTES - fixed) // holder, holder, fixed)


def check_limit(limit: int, capacity: Capacity) -> None:
    """Refuse a limit the lock item cannot hold."""
    if limit > capacity.max_holders:
        raise BadOption(f"--limit {limit} exceeds the maximum {capacity.max_holders}: one DynamoDB item "
                        f"(400 KB) holds at most {capacity.max_holders} holders of {capacity.holder_bytes} "
                        "bytes each (execution ARN + acquire time) for this prefix, region and lock name")
