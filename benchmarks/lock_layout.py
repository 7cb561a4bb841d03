"""Write units of one acquire and one release: the single lock item against one item per holder.

For each layout and each limit (5, 500, 5,000) the lock is filled with limit - 1 holders in
moto's DynamoDB, then the acquire that takes the last slot and its release are sent with the
very parameters of the compiled ASL states (read from the compiled workflow, ``.$`` values
filled with this execution's ARN and time), and the items they touch are read back before and
after each call. Write units follow DynamoDB's documented rules (cited below); an item over
400 KB "does not fit" (DynamoDB refuses the write), and is then neither written nor measured.

    python benchmarks/lock_layout.py [--limits 5,500,5000] [--json FILE]

Single item: the FIFO hand-off semaphore (``semaphore.pattern``), nobody queued (its
cheapest case: a queued execution also stores its ~2 KB task token in the item). Holder items:
``semaphore.pattern_items``. The last line sums acquire + release for scripts.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3
from moto import mock_aws

from dsl import Succeed, Wait, Workflow
from dsl.jsontext import dumps, write_atomic
from semaphore.pattern import Semaphore
from semaphore.pattern_items import HolderItemSemaphore

PROG = "python benchmarks/lock_layout.py"
TABLE, LOCK, REGION = "CC-locktable", "MySemaphore", "us-east-1"
MACHINE_ARN_PREFIX = "arn:aws:states:us-east-1:123456789012:execution:CC-ConcurrencyControlledStateMachine:"
SINCE = "2026-11-26T20:15:00.000Z"  # $$.State.EnteredTime: ISO 8601 with milliseconds
# DynamoDB's item size limit (developer guide, "Service, account, and table quotas"): 400 KB.
ITEM_MAX_BYTES = 400 * 1024
# Developer guide, "DynamoDB read and write operations": one write unit per 1 KB of the item
# (rounded up); an update or put is billed on the larger of the item before and after, a
# delete on the deleted item; a transactional write takes two write units per 1 KB.
WRITE_UNIT_BYTES = 1024
TRANSACTIONAL_FACTOR = 2


class BenchmarkError(Exception):
    """The compiled workflow does not have the state the benchmark sends (code ``LAYOUT-BENCH``)."""

    code = "LAYOUT-BENCH"


# --- DynamoDB item size (developer guide, "DynamoDB item sizes and formats") --------

def item_size(item: dict[str, Any]) -> int:
    """The size of an item (typed attribute values) by DynamoDB's documented rules."""
    return sum(_value_size(name, value) for name, value in item.items())


def _value_size(name: str, value: dict[str, Any]) -> int:
    """An attribute: the UTF-8 bytes of its name plus its value's size. Strings: their UTF-8
    bytes; numbers: 1 byte per two significant digits + 1; binary: raw bytes; null and
    Boolean: 1; lists and maps: 3 bytes + 1 byte per element + the elements (a map element's
    name is its key)."""
    (kind, content), = value.items()
    named = len(name.encode("utf-8"))
    if kind == "S":
        return named + len(content.encode("utf-8"))
    if kind == "N":
        return named + math.ceil(_significant_digits(content) / 2) + 1
    if kind == "B":
        return named + len(content)
    if kind in ("BOOL", "NULL"):
        return named + 1
    if kind == "M":
        return named + 3 + sum(1 + _value_size(key, element) for key, element in content.items())
    if kind == "L":
        return named + 3 + sum(1 + _value_size("", element) for element in content)
    raise BenchmarkError(f"{BenchmarkError.code} attribute {name!r}: type {kind} is not sized by this benchmark "
                         "(expected S, N, B, BOOL, NULL, M or L)")


def _significant_digits(number: str) -> int:
    digits = re.sub(r"[^0-9]", "", number.lower().split("e")[0]).strip("0")
    return max(1, len(digits))


def write_units(before: dict[str, Any] | None, after: dict[str, Any] | None, *, transactional: bool) -> int:
    """Write units of one item's write: the larger of the item before and after, per 1 KB."""
    size = max(item_size(before or {}), item_size(after or {}))
    units = max(1, math.ceil(size / WRITE_UNIT_BYTES))
    return units * (TRANSACTIONAL_FACTOR if transactional else 1)


# --- the compiled states and their parameters ----------------------------------------

def _compiled_states(workflow: Workflow) -> dict[str, dict[str, Any]]:
    return dict(workflow.to_asl()["States"])


def _find(states: dict[str, dict[str, Any]], what: str, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    for state in states.values():
        if state.get("Type") == "Task" and test(state.get("Parameters", {})):
            return dict(state["Parameters"])
    raise BenchmarkError(f"{BenchmarkError.code} the compiled workflow has no {what} state")


def _resolve(value: Any, bindings: dict[str, Any]) -> Any:
    """``value`` with every ``"key.$": expression`` replaced by ``"key": bindings[expression]``."""
    if isinstance(value, list):
        return [_resolve(v, bindings) for v in value]
    if not isinstance(value, dict):
        return value
    resolved = {}
    for key, item in value.items():
        if key.endswith(".$"):
            if item not in bindings:
                raise BenchmarkError(f"{BenchmarkError.code} no value for {item!r} (field {key!r})")
            resolved[key[:-2]] = bindings[item]
        else:
            resolved[key] = _resolve(item, bindings)
    return resolved


def _owner(index: int) -> str:
    """An execution ARN as Step Functions makes it (the default execution name is a UUID)."""
    return f"{MACHINE_ARN_PREFIX}{index:08x}-0000-4000-8000-000000000000"


# --- one layout ------------------------------------------------------------------------

@dataclass
class Measure:
    """One layout at one limit."""

    layout: str
    limit: int
    fits: bool
    largest_item_bytes: int
    acquire_units: int | None = None
    release_units: int | None = None

    @property
    def total(self) -> int | None:
        if self.acquire_units is None or self.release_units is None:
            return None
        return self.acquire_units + self.release_units


class _Table:
    def __init__(self) -> None:
        self.client = boto3.client("dynamodb", region_name=REGION)
        self.client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                                 KeySchema=[{"AttributeName": "LockName", "KeyType": "HASH"}],
                                 AttributeDefinitions=[{"AttributeName": "LockName", "AttributeType": "S"}])

    def get(self, key: str) -> dict[str, Any] | None:
        item = self.client.get_item(TableName=TABLE, Key={"LockName": {"S": key}}, ConsistentRead=True).get("Item")
        return dict(item) if item else None

    def put_all(self, items: Sequence[dict[str, Any]]) -> None:
        for first in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[first:first + 25]]
            self.client.batch_write_item(RequestItems={TABLE: batch})

    def drop(self) -> None:
        self.client.delete_table(TableName=TABLE)


def single_item(limit: int) -> Measure:
    """The FIFO hand-off lock item: every holder is an entry of its ``lockowners`` map."""
    semaphore = Semaphore(table=TABLE, lock_name=LOCK)
    states = _compiled_states(Workflow("single", semaphore.acquire() >> Wait("Work", seconds=1)
                                       >> semaphore.release(Succeed("Done"))))
    acquire = _find(states, "acquire (count + 1)", lambda p: "#c + :one" in p.get("UpdateExpression", ""))
    release = _find(states, "free-slot (count - 1)", lambda p: "#c - :one" in p.get("UpdateExpression", ""))
    item = semaphore.lock_item(limit)
    item[semaphore.owners_attribute]["M"] = {_owner(i): {"S": SINCE} for i in range(limit - 1)}
    item[semaphore.count_attribute] = {"N": str(limit - 1)}
    me = _owner(limit - 1)
    full = {**item, semaphore.owners_attribute: {"M": {**item[semaphore.owners_attribute]["M"], me: {"S": SINCE}}},
            semaphore.count_attribute: {"N": str(limit)}}
    largest = item_size(full)
    if largest > ITEM_MAX_BYTES:
        return Measure("single item", limit, False, largest)
    table = _Table()
    try:
        table.client.put_item(TableName=TABLE, Item=item)
        bindings = {"$$.Execution.Id": me, "$$.State.EnteredTime": SINCE, "$.lock.owner": me}
        before = table.get(LOCK)
        table.client.update_item(**_resolve(acquire, bindings))
        held = table.get(LOCK)
        table.client.update_item(**_resolve(release, bindings))
        after = table.get(LOCK)
    finally:
        table.drop()
    return Measure("single item", limit, True, max(item_size(i or {}) for i in (before, held, after)),
                   write_units(before, held, transactional=False), write_units(held, after, transactional=False))


def holder_items(limit: int) -> Measure:
    """A counter item and one item per holder, written in one transaction."""
    semaphore = HolderItemSemaphore(table=TABLE, lock_name=LOCK)
    states = _compiled_states(Workflow("items", semaphore.acquire() >> Wait("Work", seconds=1)
                                       >> semaphore.release(Succeed("Done"))))
    acquire = _find(states, "transaction with a Put", lambda p: any("Put" in i for i in p.get("TransactItems", [])))
    release = _find(states, "transaction with a Delete",
                    lambda p: any("Delete" in i for i in p.get("TransactItems", [])))
    counter = {**semaphore.lock_item(limit), semaphore.count_attribute: {"N": str(limit - 1)}}
    me = _owner(limit - 1)
    mine = semaphore.holder_prefix + me
    table = _Table()
    try:
        table.put_all([counter] + [semaphore.holder_item(_owner(i), SINCE) for i in range(limit - 1)])
        bindings = {"$$.Execution.Id": me, "$$.State.EnteredTime": SINCE, "$.lock.owner": me,
                    f"States.Format('{semaphore.holder_prefix}{{}}', $$.Execution.Id)": mine,
                    f"States.Format('{semaphore.holder_prefix}{{}}', $.lock.owner)": mine}
        states_before = (table.get(LOCK), table.get(mine))
        table.client.transact_write_items(**_resolve(acquire, bindings))
        states_held = (table.get(LOCK), table.get(mine))
        table.client.transact_write_items(**_resolve(release, bindings))
        states_after = (table.get(LOCK), table.get(mine))
        if states_after[1] is not None or states_held[1] is None:
            raise BenchmarkError(f"{BenchmarkError.code} the holder item was not written and deleted as expected")
    finally:
        table.drop()
    touched = [i for i in (*states_before, *states_held, *states_after) if i]
    return Measure("holder items", limit, True, max(item_size(i) for i in touched),
                   sum(write_units(b, h, transactional=True) for b, h in zip(states_before, states_held)),
                   sum(write_units(h, a, transactional=True) for h, a in zip(states_held, states_after)))


# --- report ------------------------------------------------------------------------------

def measure_all(limits: Sequence[int]) -> list[Measure]:
    """Both layouts at each limit (moto's DynamoDB, in this process)."""
    with mock_aws():
        return [run(limit) for limit in limits for run in (single_item, holder_items)]


def _cell(value: int | None) -> str:
    return "does not fit" if value is None else str(value)


def render(results: Sequence[Measure]) -> Iterator[str]:
    """The table, the ratios and the last line."""
    yield f"{'layout':<13} {'limit':>6} {'largest item':>14} {'acquire WU':>12} {'release WU':>12} {'total':>13}"
    for r in results:
        size = f"{r.largest_item_bytes:,} B" + ("" if r.fits else " >400KB")
        yield (f"{r.layout:<13} {r.limit:>6} {size:>14} {_cell(r.acquire_units):>12} {_cell(r.release_units):>12} "
               f"{_cell(r.total):>13}")
    limits = sorted({r.limit for r in results})
    by = {(r.layout, r.limit): r for r in results}
    ratios = []
    for limit in limits:
        single, items = by[("single item", limit)], by[("holder items", limit)]
        ratios.append(f"limit {limit}: " + (f"{items.total / single.total:.2f}" if single.total and items.total
                                            else "single item does not fit"))
    yield "write units per acquire + release, holder items / single item: " + "; ".join(ratios)
    yield ("lock_layout: acquire+release write units at limits " + "/".join(str(x) for x in limits) + ": single "
           + "/".join(_cell(by[("single item", x)].total) for x in limits).replace("does not fit", "no-fit")
           + ", items " + "/".join(_cell(by[("holder items", x)].total) for x in limits))


def _limits(text: str) -> list[int]:
    try:
        limits = [int(part) for part in text.split(",")]
    except ValueError:
        limits = []
    if not limits or any(limit < 1 for limit in limits):
        raise argparse.ArgumentTypeError(f"{text!r}: expected positive whole numbers separated by commas, e.g. 5,500")
    return limits


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--limits", type=_limits, default=[5, 500, 5000], help="limits to measure (5,500,5000)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write every number to FILE")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        results = measure_all(args.limits)
    except BenchmarkError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    lines = list(render(results))
    if args.json is not None:
        write_atomic(args.json, dumps({"results": [{**asdict(r), "total": r.total} for r in results],
                                       "item_max_bytes": ITEM_MAX_BYTES, "summary": lines[-1]}))
    print("\n".join(lines[:-1]))
    print(f"({time.perf_counter() - began:.1f} s)")
    print(lines[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
