"""``python deploy.py``: deploy, plan, destroy and test the semaphore system."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from dataclasses import replace

from botocore.exceptions import BotoCoreError  # type: ignore[import-untyped]
from rich.console import Console

from deployer import api, engine
from deployer.clients import Clients
from deployer.config import DeployConfig
from deployer.errors import BadOption, DeployError
from deployer.stack import Stack, build_stack, prepare

PROG = "deploy.py"
_KIND_WIDTH = 17


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Deploy the DynamoDB semaphore (table, lock item, function, roles, state machines, "
                               "rules) with boto3. Safe to run twice: only what differs is changed.")
    parser.add_argument("--prefix", default="CC", help="name prefix of every resource (default: CC)")
    parser.add_argument("--region", default="us-east-1", help="AWS region (default: us-east-1)")
    parser.add_argument("--profile", help="AWS credentials profile (default: the default credential chain)")
    parser.add_argument("--lock-name", default="MySemaphore", help="name of the semaphore (default: MySemaphore)")
    parser.add_argument("--limit", default="5", help="how many executions may hold the lock at once (default: 5); "
                                                     "kept in the lock item, so a change rewrites only that item")
    parser.add_argument("--endpoint-url", help="send every AWS call to this emulator endpoint instead")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    mode.add_argument("--destroy", action="store_true",
                      help="delete every resource this tool created for the prefix")
    parser.add_argument("--run-test", action="store_true",
                        help="after deploying, run the test machine and report on its executions")
    parser.add_argument("--local", action="store_true",
                        help="run the whole system on this machine in an embedded emulator instead of AWS "
                             "(handled by local/; see `deploy.py --local --help`)")
    return parser


def config_from(args: argparse.Namespace, defaults: DeployConfig) -> DeployConfig:
    try:
        limit = int(args.limit.strip(), 10)
    except ValueError:
        raise BadOption(f"--limit must be a positive integer, got {args.limit!r}") from None
    return replace(defaults, prefix=args.prefix, region=args.region, lock_name=args.lock_name, limit=limit)


def main(argv: list[str] | None = None, *, defaults: DeployConfig | None = None,
         make_clients: Callable[..., Clients] = Clients.create, console: Console | None = None) -> int:
    """Run the command line; returns the exit status (2: refused before any AWS call, 1: AWS failed).

    ``defaults`` supplies what has no option (folders, function environment);
    ``make_clients`` and ``console`` let tests and the local run supply their own.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    if "--local" in args_list:
        return _run_local(args_list)
    args = build_parser().parse_args(args_list)
    out = console or Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        if args.run_test and (args.dry_run or args.destroy):
            raise BadOption("--run-test needs a deploy; it cannot be combined with --dry-run or --destroy")
        config = config_from(args, defaults or DeployConfig())
        if args.destroy:
            return _destroy(config, args, make_clients, out)
        return _deploy(config, args, make_clients, out, err)
    except DeployError as exc:
        err.print(f"{PROG}: error: {exc}", markup=False, soft_wrap=True)
        return exc.exit_status
    except BotoCoreError as exc:  # no credentials, unknown profile, endpoint unreachable
        err.print(f"{PROG}: error: DEPLOY-AWS {' '.join(str(exc).split())}", markup=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        err.print(f"{PROG}: interrupted; run the same command again to converge", markup=False)
        return 130


def _deploy(config: DeployConfig, args: argparse.Namespace, make_clients: Callable[..., Clients],
            out: Console, err: Console) -> int:
    prepared = prepare(config)
    for warning in prepared.warnings:
        err.print(f"{PROG}: warning: {warning}", markup=False, soft_wrap=True)
    clients = make_clients(region=config.region, profile=args.profile, endpoint_url=args.endpoint_url)
    stack = build_stack(config, api.account_of(clients), prepared)
    planned = engine.plan(stack, clients)
    _print_header(out, "Plan" if args.dry_run else "Deploy", stack)
    capacity = prepared.capacity
    out.print(f"lock {config.lock_name!r}, limit {config.limit} (at most {capacity.max_holders}); "
              f"{capacity.queue_room(config.limit)} executions can queue in the lock item",
              markup=False, soft_wrap=True)
    if args.dry_run:
        for change in planned.changes:
            _print_change(out, change)
        out.print(f"Plan: {planned.count(engine.CREATE)} to create, {planned.count(engine.UPDATE)} to update, "
                  f"{planned.count(engine.UNCHANGED)} unchanged. Nothing was changed (--dry-run).", markup=False)
        return 0
    result = engine.apply(planned, clients, progress=lambda change: _print_change(out, change))
    out.print(f"Done: {planned.count(engine.CREATE)} created, {planned.count(engine.UPDATE)} updated, "
              f"{planned.count(engine.UNCHANGED)} unchanged.", markup=False)
    if args.run_test:
        from deployer.runtest import print_report, run_test
        report = run_test(clients, result, lock_name=config.lock_name, console=out)
        print_report(report, out, lock_name=config.lock_name)
    out.print(f"test state machine: {result.test_machine_arn}", markup=False, soft_wrap=True)
    return 0


def _destroy(config: DeployConfig, args: argparse.Namespace, make_clients: Callable[..., Clients],
             out: Console) -> int:
    clients = make_clients(region=config.region, profile=args.profile, endpoint_url=args.endpoint_url)
    stack = api.destroy_stack(config, clients)
    _print_header(out, "Destroy", stack)
    result = engine.destroy(stack, clients, progress=lambda change: _print_change(out, change))
    deleted = sum(1 for c in result.changes if c.action == engine.DELETE)
    out.print(f"Done: {deleted} deleted, {len(result.changes) - deleted} already absent.", markup=False)
    return 0


def _print_header(out: Console, verb: str, stack: Stack) -> None:
    out.print(f"{verb} prefix {stack.prefix!r} in {stack.region}, account {stack.account}:", markup=False)


def _print_change(out: Console, change: engine.Change) -> None:
    fields = f"  ({', '.join(change.fields)})" if change.fields else ""
    out.print(f"  {change.action:<10} {change.resource.kind:<{_KIND_WIDTH}} {change.resource.name}{fields}",
              markup=False, soft_wrap=True)


def _run_local(argv: list[str]) -> int:
    """``--local`` belongs to the local-run package: hand it the whole command line."""
    from local.moto_pin import MotoVersionError

    try:
        local_cli = importlib.import_module("local.cli")
    except MotoVersionError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except ModuleNotFoundError as exc:
        if exc.name not in ("local", "local.cli"):
            raise
        sys.stderr.write(f"{PROG}: error: DEPLOY-OPTION --local needs the local package (local/cli.py)\n")
        return 2
    status: int = local_cli.main([a for a in argv if a != "--local"])
    return status
