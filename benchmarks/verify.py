"""Time ``semaphore.verify.verify`` on generated semaphore machines of 1,000 and 10,000 states.

Each machine acquires a DynamoDB-semaphore slot, runs a body of nested
Parallel branches and Map item processors (up to 4 levels deep), retry
loops (Choice -> Wait -> back), Tasks with Retry and Catch, then releases;
its cleanup workflow and EventBridge rule come with it, so every rule runs.
The verifier must report no error on them (they are correct by
construction). Prints the median time of each size, the time per state,
and the ratio of the per-state times (1.0 = linear). Target: 10,000 states
in under 2 s, ratio near 1.

    python benchmarks/verify.py [--runs 3] [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from semaphore.verify import verify

LOCK_KEY = {"LockName": {"S": "${SF_LockName}"}}
MAX_DEPTH = 4


def _lock_call(update: str, condition: str, values: dict[str, Any], owner: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "TableName": "${SF_TableSemaphore}", "Key": LOCK_KEY,
        "ExpressionAttributeNames": {"#count": "currentlockcount", "#owner.$": owner},
        "UpdateExpression": update, "ConditionExpression": condition,
    }
    if values:
        params["ExpressionAttributeValues"] = values
    return {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "Parameters": params,
            "ResultPath": None}


def _release(owner: str, after: str) -> dict[str, Any]:
    state = _lock_call("SET #count = #count - :one REMOVE #owner", "attribute_exists(#owner)",
                       {":one": {"N": "1"}}, owner)
    state["Retry"] = [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "MaxAttempts": 0},
                      {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]
    state["Catch"] = [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": after}]
    state["Next"] = after
    return state


class _Generator:
    """Builds a body of about ``budget`` states, deterministically."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)

    def name(self, kind: str) -> str:
        return f"{kind} {next(self.ids)}"

    def scope(self, budget: int, depth: int, end: str | None) -> tuple[dict[str, Any], str]:
        """States of one scope (about ``budget`` of them, nested ones included), ending
        at ``end`` (a state of the enclosing scope) or with End: true."""
        blocks: list[tuple[str, int]] = []
        remaining = budget
        for turn in itertools.count():
            if remaining <= 0:
                break
            kind = ("parallel", "work", "map", "loop")[turn % 4] if depth < MAX_DEPTH else ("work", "loop")[turn % 2]
            size = {"work": 2, "loop": 3}.get(kind, max(6, remaining // 3))
            if kind in ("parallel", "map") and remaining < 12:
                kind, size = "work", 2
            size = min(size, remaining) if kind in ("parallel", "map") else size
            blocks.append((kind, size))
            remaining -= size
        states: dict[str, Any] = {}
        heads = [self.name(kind.title()) for kind, _ in blocks]
        for index, (kind, size) in enumerate(blocks):
            head = heads[index]
            following = heads[index + 1] if index + 1 < len(blocks) else end
            link: dict[str, Any] = {"Next": following} if following else {"End": True}
            getattr(self, "_" + kind)(states, head, size, depth, link)
        return states, heads[0]

    def _work(self, states: dict[str, Any], head: str, _size: int, _depth: int, link: dict[str, Any]) -> None:
        handler = self.name("Handle")
        states[head] = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                        "Parameters": {"FunctionName": "${SF_LambdaARN}", "Payload": {"Input.$": "$"}},
                        "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 3}],
                        "Catch": [{"ErrorEquals": ["Custom.Error"], "ResultPath": "$.error", "Next": handler}],
                        **link}
        states[handler] = {"Type": "Pass", **link}

    def _loop(self, states: dict[str, Any], head: str, _size: int, _depth: int, link: dict[str, Any]) -> None:
        check, pause = self.name("Check"), self.name("Pause")
        states[head] = {"Type": "Pass", "Result": 0, "ResultPath": "$.turn", "Next": check}
        leave = link.get("Next") or self.name("Leave")
        states[check] = {"Type": "Choice", "Choices": [{"Variable": "$.turn", "NumericLessThan": 3, "Next": pause}],
                         "Default": leave}
        states[pause] = {"Type": "Wait", "Seconds": 1, "Next": head}
        if "End" in link:
            states[leave] = {"Type": "Pass", "End": True}

    def _parallel(self, states: dict[str, Any], head: str, size: int, depth: int, link: dict[str, Any]) -> None:
        handler = self.name("Recover")
        half = max(2, (size - 2) // 2)
        branches = []
        for _ in range(2):
            inner, start = self.scope(half, depth + 1, None)
            branches.append({"StartAt": start, "States": inner})
        states[head] = {"Type": "Parallel", "Branches": branches, "ResultPath": None,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": handler}], **link}
        states[handler] = {"Type": "Pass", **link}

    def _map(self, states: dict[str, Any], head: str, size: int, depth: int, link: dict[str, Any]) -> None:
        inner, start = self.scope(max(2, size - 1), depth + 1, None)
        states[head] = {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ResultPath": None,
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": start, "States": inner},
                        **link}


def generate(total: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(machine of ``total`` states within 1 %, its cleanup workflow, its EventBridge rule)."""
    budget = total
    for _ in range(30):  # nesting overhead is not known in advance: scale the budget until it fits
        machine, cleanup, rule = _generate(budget)
        states = count_states(machine)
        if abs(states - total) <= total // 100:
            break
        budget = max(10, budget * total // states)
    return machine, cleanup, rule


def _generate(total: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    generator = _Generator()
    body, body_start = generator.scope(max(10, total - 6), 0, "Release")
    acquire = _lock_call("SET #count = if_not_exists(#count, :zero) + :one, #owner = :now",
                         "(attribute_not_exists(#count) OR #count < :limit) AND attribute_not_exists(#owner)",
                         {":one": {"N": "1"}, ":zero": {"N": "0"}, ":limit": {"N": "${SF_ConcurrentAccessLimit}"},
                          ":now": {"S.$": "$$.State.EnteredTime"}}, "$$.Execution.Id")
    acquire["Catch"] = [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Wait"},
                        {"ErrorEquals": ["States.ALL"], "Next": "Probe"}]
    acquire["Next"] = body_start
    probe = _lock_call("SET #owner = #owner", "attribute_exists(#owner)", {}, "$$.Execution.Id")
    probe["Catch"] = [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Wait"}]
    probe["Next"] = body_start
    machine = {"StartAt": "Acquire", "States": {
        "Acquire": acquire, "Probe": probe, "Wait": {"Type": "Wait", "Seconds": 3, "Next": "Acquire"},
        **body, "Release": _release("$$.Execution.Id", "Done"), "Done": {"Type": "Succeed"}}}
    cleanup = {"StartAt": "Clean", "States": {"Clean": _release("$.detail.executionArn", "Cleaned"),
                                              "Cleaned": {"Type": "Succeed"}}}
    rule = {"EventPattern": {"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"],
                             "detail": {"status": ["FAILED", "TIMED_OUT", "ABORTED"]}},
            "Target": "cleanup.asl.json"}
    return machine, cleanup, rule


def count_states(doc: dict[str, Any]) -> int:
    """Every state of ``doc``, nested ones included."""
    total, stack = 0, [doc]
    while stack:
        scope = stack.pop()
        for state in scope["States"].values():
            total += 1
            stack.extend(state.get("Branches", []))
            if "ItemProcessor" in state:
                stack.append(state["ItemProcessor"])
    return total


def time_verify(size: int, runs: int) -> tuple[int, float, int]:
    """(states, median seconds, error findings) for a machine of about ``size`` states."""
    machine, cleanup, rule = generate(size)
    samples = []
    errors = 0
    for _ in range(runs):
        start = time.perf_counter()
        findings = verify(machine, cleanup=cleanup, rule=rule, cleanup_name="cleanup.asl.json")
        samples.append(time.perf_counter() - start)
        errors = sum(1 for f in findings if f.severity == "error")
    return count_states(machine), statistics.median(samples), errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000], metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    results = [time_verify(size, args.runs) for size in args.sizes]
    for states, seconds, errors in results:
        print(f"{states:>6} states: {seconds * 1000:8.1f} ms  ({seconds / states * 1e6:6.1f} us/state, "
              f"{errors} error findings)")
    (small_n, small_t, small_e), (large_n, large_t, large_e) = results
    ratio = (large_t / large_n) / (small_t / small_n)
    met = large_t < 2.0 and ratio < 2.0 and small_e == large_e == 0
    print(f"verify: {large_n} states in {large_t:.3f} s; per-state time ratio {ratio:.2f} "
          f"(targets: < 2 s, near-linear, no error) -> {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
