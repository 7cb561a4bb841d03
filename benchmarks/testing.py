"""Measure dsl.testing against raw moto executions of the same definitions, in the same process.

Peers, on the same embedded server and shims:
- raw: moto's Step Functions backend starts the execution (no probe, no mocks; Tasks call
  moto's real DynamoDB), completion seen by polling its status every 0.5 ms;
- dsl.testing: ``Engine.run`` with mocks, per-state inspection, the virtual clock.

Workloads:
1. an 8-state workflow with a 2-item Map (Task, Choice, Pass, Map of a Task, Wait, Task, Succeed);
2. the semaphore's fast path (generated/dynamodb-semaphore.asl.json, 31 states) and its longest
   mocked case; the raw peer is a 31-state Pass chain (the semaphore needs a lock table, a worker
   and a waiter to run raw);
3. a 31-state Pass chain under both (the cost of inspection alone);
4. 100 mocked cases of the semaphore, one after the other.

    python benchmarks/testing.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dsl.testing import Calls, Engine
from tests.testing.semaphore_cases import CASES

SEMAPHORE = ROOT / "generated" / "dynamodb-semaphore.asl.json"
TABLE = "bench"
GET = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
       "Parameters": {"TableName": TABLE, "Key": {"k": {"S": "1"}}}}
PUT = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
       "Parameters": {"TableName": TABLE, "Item": {"k": {"S.$": "States.Format('{}', $.n)"}}}}
EIGHT_STATES: dict[str, Any] = {"StartAt": "Read", "States": {
    "Read": {**GET, "ResultPath": "$.read", "Next": "Found?"},
    "Found?": {"Type": "Choice", "Choices": [{"Variable": "$.read.Item", "IsPresent": True, "Next": "Shape"}],
               "Default": "Shape"},
    "Shape": {"Type": "Pass", "Parameters": {"items": [{"n": 1}, {"n": 2}]}, "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.written",
             "ItemProcessor": {"StartAt": "Write", "States": {"Write": {**PUT, "End": True}}}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Confirm"},
    "Confirm": {**GET, "ResultPath": "$.confirm", "Next": "Done"},
    "Done": {"Type": "Succeed"},
}}
EIGHT_STATE_MOCKS = {"Read": {"Item": {"k": {"S": "1"}}}, "Write": Calls({}, {}), "Confirm": {"Item": {}}}
PASS_CHAIN: dict[str, Any] = {"StartAt": "P0", "States": {
    f"P{i}": {"Type": "Pass", **({"Next": f"P{i + 1}"} if i < 30 else {"End": True})} for i in range(31)}}


def raw_run(engine: Engine, doc: dict[str, Any], machines: dict[str, str]) -> float:
    """Seconds for one raw moto execution of ``doc``."""
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    backend = stepfunctions_parser_backends["123456789012"][engine.server.region]
    text = json.dumps(doc)
    if text not in machines:
        machines[text] = backend.create_state_machine(
            name=f"raw-{len(machines)}", definition=text, roleArn="arn:aws:iam::123456789012:role/r").arn
    began = time.perf_counter()
    execution = backend.start_execution(machines[text], name=f"raw-{time.perf_counter_ns()}", execution_input="{}")
    while str(getattr(execution.exec_status, "value", execution.exec_status)) == "RUNNING":
        time.sleep(0.0005)
    elapsed = time.perf_counter() - began
    assert execution.exec_status.value == "SUCCEEDED", execution.exec_status
    return elapsed


def timed(action: Callable[[], Any]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="executions per measurement (default 30)")
    runs = parser.parse_args().runs
    with Engine() as engine:
        engine.server.client("dynamodb").create_table(
            TableName=TABLE, KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
        machines: dict[str, str] = {}
        fast = CASES["fast path, nobody waiting"]
        longest = max(CASES.values(), key=lambda case: len(case.path))

        def mocked(doc: Any, mocks: Any, execution_input: Any = None) -> Callable[[], Any]:
            return lambda: engine.run(doc, execution_input or {}, mocks=mocks)

        # Warm both paths (parse caches, botocore models) before measuring.
        for _ in range(3):
            raw_run(engine, EIGHT_STATES, machines)
            raw_run(engine, PASS_CHAIN, machines)
            mocked(EIGHT_STATES, EIGHT_STATE_MOCKS)()
            mocked(SEMAPHORE, fast.mocks)()
        samples: dict[str, list[float]] = {name: [] for name in (
            "raw 8-state", "testing 8-state", "raw 31 Pass", "testing 31 Pass", "testing semaphore fast path",
            "testing semaphore longest case")}
        for _ in range(runs):  # interleaved, so both peers see the same machine load
            samples["raw 8-state"].append(raw_run(engine, EIGHT_STATES, machines))
            samples["testing 8-state"].append(timed(mocked(EIGHT_STATES, EIGHT_STATE_MOCKS)))
            samples["raw 31 Pass"].append(raw_run(engine, PASS_CHAIN, machines))
            samples["testing 31 Pass"].append(timed(mocked(PASS_CHAIN, None)))
            samples["testing semaphore fast path"].append(timed(mocked(SEMAPHORE, fast.mocks)))
            samples["testing semaphore longest case"].append(timed(mocked(SEMAPHORE, longest.mocks, longest.input)))
        cases = list(CASES.values())
        hundred = timed(lambda: [engine.run(SEMAPHORE, c.input, mocks=c.mocks) for c in (cases * 4)[:100]])

    medians = {name: median_ms(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:<32} median {value:7.1f} ms   p90 {1000 * sorted(samples[name])[int(0.9 * runs)]:7.1f} ms")
    print(f"{'100 semaphore cases':<32} total  {hundred:7.2f} s")
    eight_ratio = medians["testing 8-state"] / medians["raw 8-state"]
    pass_ratio = medians["testing 31 Pass"] / medians["raw 31 Pass"]
    sem_ratio = medians["testing semaphore fast path"] / medians["raw 31 Pass"]
    print()
    print(f"8-state with 2-item Map: testing/raw = {eight_ratio:.2f}x (mocks vs moto's DynamoDB)")
    print(f"31-state Pass chain:     testing/raw = {pass_ratio:.2f}x (inspection overhead alone)")
    print(f"semaphore fast path vs raw 31 Pass chain = {sem_ratio:.2f}x "
          f"({len(fast.path)} states entered of 31)")
    print()
    goals = [
        ("mocked 8-state workflow with a 2-item Map, median < 50 ms", medians["testing 8-state"] < 50),
        ("31-state semaphore path (longest mocked case), median < 100 ms",
         medians["testing semaphore longest case"] < 100),
        ("100 cases < 5 s", hundred < 5),
        ("mocks + inspection <= 1.3x raw (8-state)", eight_ratio <= 1.3),
        ("inspection <= 1.3x raw (31 Pass)", pass_ratio <= 1.3),
    ]
    for text, met in goals:
        print(f"{'met    ' if met else 'MISSED '} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
