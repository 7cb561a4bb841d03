"""``python deploy.py --local``: the whole system on this machine, with a report (see :func:`main`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from deployer.errors import DeployError
from local import DRIVERS

PROG = "deploy.py --local"
TEST_MACHINE_EXECUTIONS = 100


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Start an embedded AWS emulator (moto) on 127.0.0.1, deploy the stack into it with the same "
                    "deploy code as for AWS, run the semaphore, and report: peak holders, leaked slots, makespan, "
                    "utilization, transitions and DynamoDB requests per execution. Writes local-run/report.json "
                    "and local-run/timeline.svg.",
        epilog="Exit status: 0 every promise kept; 1 more than --limit held or worked at once, work ran "
               "without a slot, a slot leaked, or an execution never ended; 2 the run was refused (bad "
               "option, stale or invalid generated/); 130 interrupted.")
    parser.add_argument("--executions", type=int, default=None,
                        help=f"how many executions compete (default: the test machine's {TEST_MACHINE_EXECUTIONS}; "
                             "a number starts them directly instead of through the test machine)")
    parser.add_argument("--limit", type=int, default=5, help="how many may hold the lock at once (default: 5)")
    parser.add_argument("--work-seconds", type=float, default=1.0, help="seconds of work per execution (default: 1)")
    parser.add_argument("--failure-rate", type=float, default=0.1,
                        help="share of worker calls that raise RandomSimulatedFailure (default: 0.1)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the worker's random failures")
    parser.add_argument("--driver", choices=DRIVERS, default=None,
                        help="test-machine: run the deployed test machine; direct: start the executions "
                             "directly (default: test-machine without --executions, direct with it)")
    parser.add_argument("--prefix", default="CC", help="name prefix of every resource (default: CC)")
    parser.add_argument("--lock-name", default="MySemaphore", help="name of the semaphore (default: MySemaphore)")
    parser.add_argument("--out", type=Path, default=Path("local-run"),
                        help="folder for report.json and timeline.svg (default: local-run)")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="give up waiting after this many seconds (default: 1800)")
    return parser


def main(argv: list[str]) -> int:
    """Run the local system; returns 0, 1 (a promise broke), 2 (refused) or 130 (interrupted)."""
    args = build_parser().parse_args(argv)
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    driver = args.driver or ("test-machine" if args.executions is None else "direct")
    # 0 is refused by run_local like any other count below 1, not taken for "the default".
    requested = TEST_MACHINE_EXECUTIONS if args.executions is None else args.executions
    # Loading moto and deploying take several seconds: say what is happening meanwhile.
    console.print("loading the local AWS emulator (moto)...", markup=False)
    from local.report import RunSettings
    from local.run import Injections, LocalRunError, StackOptions, run_local

    console.print("starting it on 127.0.0.1 and deploying the stack into it...", markup=False)

    def deployed(_: object) -> None:
        what = ("the test machine (it starts the executions)" if driver == "test-machine"
                else f"{requested} executions")
        console.print(f"deployed; starting {what}, limit {args.limit}", markup=False)

    try:
        report = run_local(
            RunSettings(requested=requested, limit=args.limit, work_seconds=args.work_seconds,
                        failure_rate=args.failure_rate, seed=args.seed, driver=driver),
            stack=StackOptions(prefix=args.prefix, lock_name=args.lock_name),
            inject=Injections(before_start=deployed), out_dir=args.out, console=console, timeout=args.timeout)
    except (LocalRunError, DeployError) as exc:
        err.print(f"{PROG}: error: {exc}", markup=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        err.print(f"{PROG}: error: interrupted", markup=False)
        return 130
    console.print(f"report: {args.out / 'report.json'}, timeline: {args.out / 'timeline.svg'}", markup=False)
    return report.exit_code
