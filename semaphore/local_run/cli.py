"""``python deploy.py --local``: the whole system on this machine, with a report.

``deploy.py`` parses every option (so ``deploy.py --help`` lists the local run's too):
``add_arguments`` declares the local run's own, ``check`` refuses bad ones before anything
starts, ``run`` runs. Nothing here imports the emulator: ``run`` does, so that ``--help``
works without the ``[local]`` extra.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from rich.console import Console

from deployer.config import DeployConfig
from deployer.errors import BadOption
from semaphore.local_run import DRIVERS

TEST_MACHINE_EXECUTIONS = 100
DEFAULT_OUT = Path("local-run")
# The options only a local run has (argparse dests); their defaults are applied in ``run``.
LOCAL_ONLY = ("executions", "work_seconds", "failure_rate", "seed", "driver", "out", "timeout")
DESCRIPTION = (
    "--local starts an embedded AWS emulator (moto) on 127.0.0.1, deploys the stack into it with the same deploy "
    "code as for AWS (every workflow of generated/, the semaphore system and yours, with --param/--params), runs "
    "the semaphore, and reports: peak holders, leaked slots, makespan, utilization, transitions and DynamoDB "
    "requests per execution, in OUT/report.json and OUT/timeline.svg. Exit status 1 when more than --limit held or "
    "worked at once, work ran without a slot, a slot leaked, or an execution never ended. Needs the local extra: "
    'pip install -e ".[local]".')


def add_arguments(group: argparse._ArgumentGroup) -> None:
    """The local run's own options (``--prefix``, ``--lock-name``, ``--limit``, ``--param`` are shared)."""
    group.add_argument("--executions", type=int, default=None,
                       help=f"how many executions compete (default: the test machine's {TEST_MACHINE_EXECUTIONS}; "
                            "a number starts them directly instead of through the test machine)")
    group.add_argument("--work-seconds", type=float, default=None, help="seconds of work per execution (default: 1)")
    group.add_argument("--failure-rate", type=float, default=None,
                       help="share of worker calls that raise RandomSimulatedFailure (default: 0.1)")
    group.add_argument("--seed", type=int, default=None, help="seed of the worker's random failures")
    group.add_argument("--driver", choices=DRIVERS, default=None,
                       help="test-machine: run the deployed test machine; direct: start the executions "
                            "directly (default: test-machine without --executions, direct with it)")
    group.add_argument("--out", type=Path, default=None, metavar="FOLDER",
                       help=f"folder for report.json and timeline.svg (default: {DEFAULT_OUT})")
    group.add_argument("--timeout", type=float, default=None,
                       help="give up waiting after this many seconds (default: 1800)")


def check(args: argparse.Namespace) -> None:
    """Refuse what would fail only after the run: a count below 1, an --out that cannot be written."""
    if args.executions is not None and args.executions < 1:
        raise BadOption(f"--executions {args.executions}: expected a positive number of executions")
    out: Path = args.out or DEFAULT_OUT
    if out.exists() and not out.is_dir():
        raise BadOption(f"--out {out}: is a file; expected a folder for report.json and timeline.svg")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise BadOption(f"--out {out}: cannot write there ({exc.strerror or exc}); expected a writable folder") \
            from None


def run(args: argparse.Namespace, config: DeployConfig, console: Console) -> int:
    """Run the local system for ``config``'s prefix, lock, limit and params; 0, or 1 when a promise broke."""
    out: Path = args.out or DEFAULT_OUT
    driver = args.driver or ("test-machine" if args.executions is None else "direct")
    # Loading moto and deploying take several seconds: say what is happening meanwhile.
    console.print("loading the local AWS emulator (moto)...", markup=False)
    from semaphore.local_run.report import RunSettings
    from semaphore.local_run.run import (
        Injections,
        LocalRun,
        LocalRunError,
        StackOptions,
        run_local,
    )

    console.print("starting it on 127.0.0.1 and deploying the stack into it...", markup=False)

    def deployed(_: LocalRun) -> None:
        what = ("the test machine (it starts the executions)" if driver == "test-machine"
                else f"{settings.requested} executions")
        console.print(f"deployed; starting {what}, limit {settings.limit}", markup=False)

    settings = RunSettings(
        requested=TEST_MACHINE_EXECUTIONS if args.executions is None else args.executions, limit=config.limit,
        work_seconds=1.0 if args.work_seconds is None else args.work_seconds,
        failure_rate=0.1 if args.failure_rate is None else args.failure_rate, seed=args.seed, driver=driver)
    try:
        report = run_local(settings, stack=StackOptions(prefix=config.prefix, lock_name=config.lock_name,
                                                        params=config.params, params_file=config.params_file),
                           inject=Injections(before_start=deployed), out_dir=out, console=console,
                           timeout=1800.0 if args.timeout is None else args.timeout)
    except LocalRunError as exc:  # an option out of range, found before the emulator starts
        raise BadOption(str(exc).removeprefix(f"{LocalRunError.code} ")) from None
    console.print(f"report: {out / 'report.json'}, timeline: {out / 'timeline.svg'}", markup=False)
    return report.exit_code
