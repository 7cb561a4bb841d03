"""The benchmark's generated machines are real work for the verifier (its speed is measured by
benchmarks/verify.py, not here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from dsl.graph import build_graph
from semaphore.verify import verify


def _benchmark(repo: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_benchmark", repo / "benchmarks" / "verify.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_machines_are_nested_and_correct(repo: Path) -> None:
    benchmark = _benchmark(repo)
    machine, cleanup, rule = benchmark.generate(2000)
    assert abs(benchmark.count_states(machine) - 2000) <= 20
    graph = build_graph(machine)
    types = {n.type for n in graph.states()}
    assert {"Parallel", "Map", "Choice", "Wait", "Task"} <= types
    assert max(n.depth for n in graph.nodes.values()) >= 3
    found = verify(machine, cleanup=cleanup, rule=rule, cleanup_name="cleanup.asl.json")
    assert [f for f in found if f.severity == "error"] == []
    # A failed acquire that goes straight to the body: every work Task, however deeply
    # nested, now runs without the lock on some path, and each one is reported.
    machine["States"]["Acquire"]["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": machine["States"]["Probe"]["Next"]}]
    unguarded = {f.pointer for f in verify(machine, cleanup=cleanup, rule=rule) if f.rule == "LOCK-UNGUARDED"}
    work = {n.id for n in graph.states() if (n.resource or "").startswith("arn:aws:states:::lambda")}
    assert unguarded == work and max(graph.node(p).depth for p in work) >= 3
