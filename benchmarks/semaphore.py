"""Measure the semaphore on the local engine: the original sample's three files against ours.

For each seed, one process deploys and runs, one after the other and under identical settings,
the original sample (its three files read from ``../shared/seed/statemachines/``, placeholders
filled by the deployer, its lock item pre-created) and ours (``generated/``), through
``semaphore.local_run.run.run_local`` with the ``direct`` driver (N executions of the lock-holding machine
started at once; the original's test machine ignores N and re-runs failed children). Prints for
each: makespan, ideal, slot utilization, transitions and DynamoDB requests per execution, acquire
wait p50/p99/max, fairness, peak holders, leaks; then ours/original; then the goals of issue 9.

    python benchmarks/semaphore.py [--executions 100 --limit 5 --work-seconds 1 --failure-rate 0.1]
                                   [--seed S | --seeds 1,2,3] [--json FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console

from deployer import DeployConfig, catalog, prepare
from deployer.errors import DeployError
from deployer.generated import RULE_FILE_SUFFIX
from deployer.machines import MACHINE_FILE_SUFFIX
from dsl.jsontext import dumps, write_atomic
from semaphore.local_run.report import Report, RunSettings
from semaphore.local_run.run import (
    Injections,
    LocalRun,
    LocalRunError,
    StackOptions,
    run_local,
)

PROG = "python benchmarks/semaphore.py"
ORIGINAL_DIR = ROOT.parent / "shared" / "seed" / "statemachines"
ORIGINAL_FILES = ("dynamodb-semaphore.asl.json", "dynamodb-semaphore-cleanfromincomplete.asl.json",
                  "test-run-semaphore.asl.json")
# The original has no reconciler; the deployer's catalog needs every machine, so the original
# stack gets one that does nothing (and no schedule rule starts it).
NO_RECONCILER = {"Comment": "The original sample has no reconciler.", "StartAt": "None",
                 "States": {"None": {"Type": "Succeed"}}}
# The original's EventBridge rule (its Terraform), restated as a rule file for the deployer.
ORIGINAL_RULE = {
    "EventPattern": {"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"],
                     "detail": {"stateMachineArn": ["${SF_StateMachineSemaphore}"],
                                "status": ["FAILED", "TIMED_OUT", "ABORTED"]}},
    "Target": "dynamodb-semaphore-cleanfromincomplete.asl.json",
}
ORIGINAL_RULE_FILE = "cleanup-rule.json"

COUNTING_RULES = """\
How each number is counted (only executions of the lock-holding machine; cleanup runs are
listed by status, not counted in the per-execution numbers):
  billed state transitions: per execution history, every *StateEntered event plus every retry
    attempt (a Task's TaskScheduled events beyond one per TaskStateEntered);
  DynamoDB requests: per execution history, the TaskScheduled events of resource type dynamodb
    or aws-sdk:dynamodb (retry attempts included);
  makespan: first start to last stop; ideal: ceil(N/L)*W; slot utilization: held slot-seconds
    (exact, from the lock table after every write) / (L * makespan);
  acquire wait: execution start to the moment it became a holder; p50/p99 nearest rank;
  fairness: executions ranked by start time; position k (0-based) has the ideal queueing delay
    floor(k/L)*W; ratio = wait / ideal delay for k >= L; the first L (ideal delay 0) are shown
    by their largest wait instead; "over 2x" counts ranked executions waiting more than twice
    their ideal delay plus executions that never held a slot;
  peak: the largest of the exact holder count, the sampled lock item and the workers running;
  leaks: holders left in the lock table after every execution and cleanup ended.
Over several seeds the last line gives the worst seed of each number (lowest utilization,
highest ratios and peak, leaks summed)."""

GOAL_UTILIZATION = 0.90
GOAL_RATIO = 0.5
GOAL_FAIRNESS = 2.0


class BenchmarkError(Exception):
    """The benchmark cannot run: a missing original file or a bad option (code ``BENCH-SEMAPHORE``)."""

    code = "BENCH-SEMAPHORE"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.code} {message}")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What every run of one invocation is asked to do."""

    executions: int
    limit: int
    work_seconds: float
    failure_rate: float
    timeout: float


@dataclass(frozen=True, kw_only=True)
class StackSpec:
    """One stack to measure: where its files are and how it is deployed."""

    name: str
    generated_dir: Path
    check_definitions: bool
    precreate_lock_item: bool
    fingerprint: str


@dataclass(frozen=True, kw_only=True)
class Fairness:
    """Waits against the ideal queueing delay of each arrival position."""

    worst_ratio: float | None
    worst_position: int | None
    over_2x: int
    ranked: int
    first_batch_max_wait: float | None
    never_acquired: int
    arrival_spread: float  # first to last start: the executions do not all arrive at one instant


# The report's numbers the benchmark shows and writes (``semaphore.local_run.report.Report`` fields).
REPORT_NUMBERS = ("makespan", "ideal_makespan", "slot_utilization", "work_utilization", "transitions_per_execution",
                  "dynamodb_per_execution", "acquire_wait_p50", "acquire_wait_p99", "acquire_wait_max",
                  "peak_holders", "peak_holders_sampled", "peak_workers", "work_outside_slot", "leaked", "by_status",
                  "cleanups_by_status", "worker_failures", "problems", "notes")


@dataclass(frozen=True, kw_only=True)
class StackResult:
    """One stack's run: the local engine's report, the fairness numbers and the wall time."""

    report: Report
    fairness: Fairness
    wall_seconds: float
    files: str  # fingerprint of the deployed definitions and rule

    @property
    def peak(self) -> int:
        """The largest of the exact holder count, the sampled lock item and the workers running."""
        return max(self.report.peak_holders, self.report.peak_holders_sampled, self.report.peak_workers)

    @property
    def leaks(self) -> int:
        """Holders left in the lock table after everything ended."""
        return len(self.report.leaked)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (the report's per-execution rows left out)."""
        return {**{name: getattr(self.report, name) for name in REPORT_NUMBERS}, "peak": self.peak,
                "leaks": self.leaks, "fairness": asdict(self.fairness), "wall_seconds": self.wall_seconds,
                "files": self.files}


@dataclass(frozen=True, kw_only=True)
class Goal:
    """One goal line of issue 9, judged on one seed."""

    name: str
    met: bool
    detail: str


@dataclass(kw_only=True)
class SeedResult:
    """Both stacks on one seed, their ratios and the goals."""

    seed: int
    original: StackResult
    ours: StackResult
    ratios: dict[str, float | None] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)


def fairness(per_execution: Sequence[dict[str, Any]], *, limit: int, work_seconds: float) -> Fairness:
    """Each execution's wait against ``floor(k/limit)*work_seconds`` for its arrival position ``k``."""
    ranked = sorted(per_execution, key=lambda e: (e["start"], e["executionArn"]))
    worst_ratio: float | None = None
    worst_position: int | None = None
    over = never = 0
    first_batch: list[float] = []
    for position, execution in enumerate(ranked):
        if execution["acquired"] is None:
            never += 1
            continue
        wait = execution["acquired"] - execution["start"]
        ideal = (position // limit) * work_seconds
        if ideal <= 0:
            first_batch.append(wait)
            continue
        ratio = wait / ideal
        if worst_ratio is None or ratio > worst_ratio:
            worst_ratio, worst_position = ratio, position
        if ratio > GOAL_FAIRNESS:
            over += 1
    return Fairness(worst_ratio=worst_ratio, worst_position=worst_position, over_2x=over + never,
                    ranked=len(ranked), first_batch_max_wait=max(first_batch, default=None), never_acquired=never,
                    arrival_spread=ranked[-1]["start"] - ranked[0]["start"] if ranked else 0.0)


def stack_result(report: Report, *, wall_seconds: float, files: str) -> StackResult:
    """The benchmark's view of a local run's report."""
    settings = report.settings
    return StackResult(report=report, wall_seconds=wall_seconds, files=files,
                       fairness=fairness(report.per_execution, limit=settings.limit,
                                         work_seconds=settings.work_seconds))


def _ratio(ours: float | None, original: float | None) -> float | None:
    if ours is None or original is None or original == 0:
        return None
    return ours / original


RATIO_FIELDS = ("makespan", "slot_utilization", "transitions_per_execution", "dynamodb_per_execution",
                "acquire_wait_p50", "acquire_wait_p99", "acquire_wait_max")


def ratios(ours: StackResult, original: StackResult) -> dict[str, float | None]:
    """ours / original of each comparable number."""
    return {name: _ratio(getattr(ours.report, name), getattr(original.report, name)) for name in RATIO_FIELDS}


def goals(result: SeedResult, *, limit: int) -> list[Goal]:
    """The goal lines of issue 9 for ``result.ours``."""
    ours, ratio = result.ours, result.ratios
    transitions, dynamodb = ratio["transitions_per_execution"], ratio["dynamodb_per_execution"]
    fair = ours.fairness
    return [
        Goal(name=f"slot utilization >= {GOAL_UTILIZATION:.2f}", met=ours.report.slot_utilization >= GOAL_UTILIZATION,
             detail=f"{ours.report.slot_utilization:.2f}"),
        Goal(name=f"transitions per execution <= {GOAL_RATIO}x the original's",
             met=transitions is not None and transitions <= GOAL_RATIO, detail=_num(transitions, 2)),
        Goal(name=f"DynamoDB requests per execution <= {GOAL_RATIO}x the original's",
             met=dynamodb is not None and dynamodb <= GOAL_RATIO, detail=_num(dynamodb, 2)),
        Goal(name=f"no execution waits more than {GOAL_FAIRNESS:g}x its ideal queueing delay",
             met=fair.over_2x == 0,
             detail=f"{fair.over_2x} over, worst {_num(fair.worst_ratio, 1)}x (position {fair.worst_position})"),
        Goal(name="never more than the limit working", met=ours.peak <= limit, detail=f"peak {ours.peak}/{limit}"),
        Goal(name="no work without a held slot", met=ours.report.work_outside_slot == 0,
             detail=str(ours.report.work_outside_slot)),
        Goal(name="zero leaked slots", met=ours.leaks == 0, detail=str(ours.leaks)),
        Goal(name="python -m dsl verify clean", met=True,
             detail="ours passed the deploy's validate and verify before the runs (any error stops the benchmark)"),
    ]


# --- running -----------------------------------------------------------------------------------


def create_lock_item(run: LocalRun) -> None:
    """Replace the lock item with the original's own layout, ``{LockName, currentlockcount: 0}``
    (deploy creates ours, with the limit; the original's missing-item path depends on an error
    name the emulator reports differently, so issue 9 measures it with the item pre-created)."""
    table = catalog.TABLES[0]
    run.clients.dynamodb.put_item(TableName=run.table, Item={table.hash_key: {"S": run.lock_name},
                                                             "currentlockcount": {"N": "0"}})


def _deployed_files(directory: Path) -> list[Path]:
    """The files the deployer reads from a generated folder: machine definitions and rule files."""
    suffixes = (MACHINE_FILE_SUFFIX, RULE_FILE_SUFFIX)
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(suffixes))


def fingerprint(files: Sequence[Path]) -> str:
    """The first 12 hex digits of a SHA-256 over the files' names and bytes (which definitions ran)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _snapshot(files: Sequence[Path], target: Path) -> None:
    target.mkdir()
    for path in files:
        (target / path.name).write_bytes(path.read_bytes())


def original_stack(source: Path, scratch: Path, *, limit: int) -> StackSpec:
    """The original's three files and its rule, copied into ``scratch`` and checked by the deployer."""
    missing = [name for name in ORIGINAL_FILES if not (source / name).is_file()]
    if missing:
        raise BenchmarkError(f"{source}: missing {', '.join(missing)}; expected the original sample's "
                             "three files there (give the folder with --original)")
    target = scratch / "original"
    _snapshot([source / name for name in ORIGINAL_FILES], target)
    write_atomic(target / ORIGINAL_RULE_FILE, dumps(ORIGINAL_RULE))
    for machine in catalog.MACHINES:
        if not (target / machine.file).exists():
            write_atomic(target / machine.file, dumps(NO_RECONCILER))
    prepare(DeployConfig(limit=limit, generated_dir=target, definitions_dir=None, check_definitions=False))
    return StackSpec(name="original", generated_dir=target, check_definitions=False, precreate_lock_item=True,
                     fingerprint=fingerprint(_deployed_files(target)))


def ours_stack(generated: Path | None, scratch: Path, *, limit: int) -> StackSpec:
    """A snapshot of our generated files, after the deployer's checks (fresh, valid, verified).

    Every seed deploys the snapshot, so all runs measure the same bytes even if ``generated/``
    is rebuilt while the benchmark runs.
    """
    config = DeployConfig(limit=limit)
    if generated is not None:
        config = replace(config, generated_dir=generated, definitions_dir=None)
    source = config.generated_dir
    if not source.is_dir():
        raise BenchmarkError(f"{source}: no such directory; expected our generated files (run `python -m dsl build`)")
    target = scratch / "ours"
    _snapshot(_deployed_files(source), target)
    prepare(config)
    checked = fingerprint(_deployed_files(source))
    if checked != fingerprint(_deployed_files(target)):
        raise BenchmarkError(f"{source} changed while it was being checked; run the benchmark again")
    return StackSpec(name="ours", generated_dir=target, check_definitions=True, precreate_lock_item=False,
                     fingerprint=checked)


def run_stack(spec: StackSpec, settings: Settings, seed: int, *, out: Path | None, console: Console,
              progress: bool) -> StackResult:
    """Deploy ``spec`` into a fresh embedded server and run it once."""
    began = time.monotonic()
    report = run_local(RunSettings(requested=settings.executions, limit=settings.limit,
                                   work_seconds=settings.work_seconds, failure_rate=settings.failure_rate, seed=seed,
                                   driver="direct"),
                       stack=StackOptions(generated_dir=spec.generated_dir, check_definitions=spec.check_definitions),
                       inject=Injections(before_start=create_lock_item if spec.precreate_lock_item else None),
                       out_dir=out / f"seed-{seed}" / spec.name if out else None,
                       console=console, progress=progress, timeout=settings.timeout)
    return stack_result(report, wall_seconds=time.monotonic() - began, files=spec.fingerprint)


def run_seed(stacks: Sequence[StackSpec], settings: Settings, seed: int, *, out: Path | None, console: Console,
             progress: bool, say: Callable[[str], None]) -> SeedResult:
    """Both stacks on ``seed``, one after the other."""
    results: dict[str, StackResult] = {}
    for spec in stacks:
        say(f"seed {seed}: running {spec.name} ...")
        results[spec.name] = run_stack(spec, settings, seed, out=out, console=console, progress=progress)
        say(f"seed {seed}: {spec.name} done in {results[spec.name].wall_seconds:.0f} s")
    seed_result = SeedResult(seed=seed, original=results["original"], ours=results["ours"])
    seed_result.ratios = ratios(seed_result.ours, seed_result.original)
    seed_result.goals = goals(seed_result, limit=settings.limit)
    return seed_result


# --- output ------------------------------------------------------------------------------------


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _rows(result: SeedResult, limit: int) -> list[tuple[str, str, str, str]]:
    o, u, r = result.original, result.ours, result.ratios

    def row(label: str, name: str, digits: int) -> tuple[str, str, str, str]:
        return (label, _num(getattr(o.report, name), digits), _num(getattr(u.report, name), digits),
                _num(r.get(name), 2) if name in r else "")

    def plain(label: str, original: str, ours: str) -> tuple[str, str, str, str]:
        return (label, original, ours, "")

    def statuses(counts: dict[str, int]) -> str:
        return ", ".join(f"{k.lower()} {v}" for k, v in sorted(counts.items())) or "none"

    return [
        row("makespan (s)", "makespan", 2),
        row("ideal ceil(N/L)*W (s)", "ideal_makespan", 2),
        row("slot utilization", "slot_utilization", 2),
        row("work utilization", "work_utilization", 2),
        row("transitions per execution", "transitions_per_execution", 1),
        row("DynamoDB requests per execution", "dynamodb_per_execution", 1),
        row("acquire wait p50 (s)", "acquire_wait_p50", 2),
        row("acquire wait p99 (s)", "acquire_wait_p99", 2),
        row("acquire wait max (s)", "acquire_wait_max", 2),
        plain("fairness: worst wait / ideal delay", _num(o.fairness.worst_ratio, 1), _num(u.fairness.worst_ratio, 1)),
        plain("fairness: executions over 2x", str(o.fairness.over_2x), str(u.fairness.over_2x)),
        plain("arrivals: first to last start (s)", f"{o.fairness.arrival_spread:.2f}",
              f"{u.fairness.arrival_spread:.2f}"),
        plain("first L arrivals: max wait (s)", _num(o.fairness.first_batch_max_wait, 2),
              _num(u.fairness.first_batch_max_wait, 2)),
        plain(f"peak holders/workers (of {limit})", str(o.peak), str(u.peak)),
        plain("work without a held slot", str(o.report.work_outside_slot), str(u.report.work_outside_slot)),
        plain("leaked slots", str(o.leaks), str(u.leaks)),
        plain("executions by status", statuses(o.report.by_status), statuses(u.report.by_status)),
        plain("cleanups by status", statuses(o.report.cleanups_by_status), statuses(u.report.cleanups_by_status)),
        plain("worker failures", str(o.report.worker_failures), str(u.report.worker_failures)),
        plain("wall time (s)", f"{o.wall_seconds:.0f}", f"{u.wall_seconds:.0f}"),
        plain("files deployed (sha256)", o.files, u.files),
    ]


def render_seed(result: SeedResult, settings: Settings) -> list[str]:
    """The table of one seed, then its goal lines."""
    header = ("measure", "original", "ours", "ours/original")
    rows = [header, *_rows(result, settings.limit)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [(f"seed {result.seed}: {settings.executions} executions, limit {settings.limit}, "
              f"work {settings.work_seconds:g} s, failure rate {settings.failure_rate:g}")]
    for cells in rows:
        lines.append("  " + cells[0].ljust(widths[0]) + "".join(
            "  " + cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)).rstrip())
    for name, stack in (("original", result.original), ("ours", result.ours)):
        lines += [f"  {name}: FAIL {p}" for p in stack.report.problems]
        lines += [f"  {name}: note: {n}" for n in stack.report.notes]
    lines.append(f"  goals of issue 9 (ours, seed {result.seed}):")
    lines += [f"    [{'met' if g.met else 'NOT met'}] {g.name}: {g.detail}" for g in result.goals]
    return lines


def last_line(results: Sequence[SeedResult], limit: int) -> str:
    """``semaphore: utilization U (original Uo), transitions ratio T, dynamodb ratio D, peak P/L, leaks K``."""
    def worst_ratio(name: str) -> str:
        values = [r.ratios[name] for r in results]
        return "-" if any(v is None for v in values) else f"{max(v for v in values if v is not None):.2f}"

    return (f"semaphore: utilization {min(r.ours.report.slot_utilization for r in results):.2f} "
            f"(original {min(r.original.report.slot_utilization for r in results):.2f}), "
            f"transitions ratio {worst_ratio('transitions_per_execution')}, "
            f"dynamodb ratio {worst_ratio('dynamodb_per_execution')}, "
            f"peak {max(r.ours.peak for r in results)}/{limit}, leaks {sum(r.ours.leaks for r in results)}")


def as_json(results: Sequence[SeedResult], settings: Settings) -> dict[str, Any]:
    """Every number of the invocation, JSON-ready."""
    return {"settings": asdict(settings), "counting_rules": COUNTING_RULES,
            "seeds": [{"seed": r.seed, "original": r.original.as_dict(), "ours": r.ours.as_dict(),
                       "ratios": r.ratios, "goals": [asdict(g) for g in r.goals]} for r in results],
            "all_goals_met": all(g.met for r in results for g in r.goals)}


# --- command line ------------------------------------------------------------------------------


def _seed_list(text: str) -> list[int]:
    try:
        seeds = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected whole numbers separated by commas, e.g. 1,2,3") from None
    return seeds


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run the original sample's semaphore and ours on the local engine (embedded moto, real ASL "
                    "executor) under identical settings and compare them; check the goals of issue 9.",
        epilog=(COUNTING_RULES + "\n\nExit status: 0 done; 1 ours broke a correctness promise (or, with "
                "--require-goals, a goal is not met); 2 refused (bad option, missing original, stale generated/)."))
    parser.add_argument("--executions", type=int, default=100, help="executions started at once (default: 100)")
    parser.add_argument("--limit", type=int, default=5, help="slots of the semaphore (default: 5)")
    parser.add_argument("--work-seconds", type=float, default=1.0, help="seconds of work per execution (default: 1)")
    parser.add_argument("--failure-rate", type=float, default=0.1,
                        help="share of worker calls that fail (default: 0.1)")
    seeds = parser.add_mutually_exclusive_group()
    seeds.add_argument("--seed", type=int, default=None, help="seed of the worker's random draws (default: 1)")
    seeds.add_argument("--seeds", type=_seed_list, default=None, help="several seeds, run one after the other: 1,2,3")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="write every number to FILE")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="also write each run's report.json and timeline.svg to DIR/seed-S/{original,ours}/")
    parser.add_argument("--original", type=Path, default=ORIGINAL_DIR,
                        help=f"folder of the original's three files (default: {ORIGINAL_DIR})")
    parser.add_argument("--generated", type=Path, default=None,
                        help="folder of our generated files (default: the repository's generated/, which must be "
                             "fresh against definitions/)")
    parser.add_argument("--timeout", type=float, default=900.0, help="give up a run after this many seconds")
    parser.add_argument("--progress", action="store_true", help="show each run's progress bar and full report")
    parser.add_argument("--require-goals", action="store_true", help="exit 1 unless every goal is met on every seed")
    return parser


def main(argv: list[str]) -> int:
    """Run the benchmark; returns the exit status."""
    args = build_parser().parse_args(argv)
    err = Console(stderr=True, highlight=False)

    def say(message: str) -> None:
        err.print(message, markup=False, soft_wrap=True)

    settings = Settings(executions=args.executions, limit=args.limit, work_seconds=args.work_seconds,
                        failure_rate=args.failure_rate, timeout=args.timeout)
    seeds: list[int] = args.seeds or [1 if args.seed is None else args.seed]
    results: list[SeedResult] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-semaphore-") as scratch:
            stacks = (original_stack(args.original, Path(scratch), limit=settings.limit),
                      ours_stack(args.generated, Path(scratch), limit=settings.limit))
            say("files: " + ", ".join(f"{spec.name} {spec.fingerprint}" for spec in stacks))
            for seed in seeds:
                result = run_seed(stacks, settings, seed, out=args.out, console=err, progress=args.progress, say=say)
                results.append(result)
                print("\n".join(render_seed(result, settings)), flush=True)
    except (BenchmarkError, LocalRunError, DeployError) as exc:
        say(f"{PROG}: error: {exc}")
        return 2
    except KeyboardInterrupt:
        say(f"{PROG}: interrupted")
        return 130
    if args.json is not None:
        write_atomic(args.json, dumps(as_json(results, settings)))
    print(last_line(results, settings.limit))
    broken = any(r.ours.report.problems for r in results)
    unmet = args.require_goals and not all(g.met for r in results for g in r.goals)
    return 1 if broken or unmet else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
