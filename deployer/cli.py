"""``python deploy.py``: deploy, plan, destroy and test the semaphore system."""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Callable
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from botocore.exceptions import BotoCoreError  # type: ignore[import-untyped]
from botocore.parsers import ResponseParserError  # type: ignore[import-untyped]
from rich.console import Console

from deployer import api, engine
from deployer.clients import Clients
from deployer.config import DeployConfig, check_endpoint
from deployer.errors import BadOption, DeployError
from deployer.params import parse_param
from deployer.stack import Stack, build_stack, prepare
from local.moto_pin import MotoVersionError
from semaphore.local_run import cli as local_cli

PROG = "deploy.py"
_KIND_WIDTH = 17
_WIDTH = 79  # of --help's paragraphs
# The options a local run has no use for (argparse dests), refused with --local.
_DEPLOY_ONLY = ("region", "profile", "endpoint_url", "dry_run", "destroy", "run_test")
EXIT_CODES = """exit status:
  0    done (or nothing to do)
  1    AWS refused or failed (one line: DEPLOY-AWS ...); with --local, a promise of the semaphore broke
  2    refused before any AWS call: a bad option, a stale or invalid generated/, a missing placeholder
  130  interrupted; run the same command again to converge"""


def package_version() -> str:
    """The installed version of this project (``sfn-dsl``)."""
    try:
        return metadata.version("sfn-dsl")
    except metadata.PackageNotFoundError:
        return "unknown (not installed; pip install -e .)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXIT_CODES,
        description=textwrap.fill(
            "Deploy every workflow of generated/ with boto3: each as a state machine <prefix>-<workflow name> with "
            "its own least-privilege role, and the DynamoDB semaphore system (table, lock item, function, roles, "
            "machines, rules). Safe to run twice: only what differs is changed; a machine whose workflow is gone "
            "is deleted. See docs/deploy.md.", _WIDTH))
    parser.add_argument("--version", action="version", version=f"{PROG} {package_version()}")
    parser.add_argument("--prefix", default="CC", help="name prefix of every resource (default: CC)")
    parser.add_argument("--region", default=None, help="AWS region (default: us-east-1)")
    parser.add_argument("--profile", help="AWS credentials profile (default: the default credential chain)")
    parser.add_argument("--lock-name", default="MySemaphore", help="name of the semaphore (default: MySemaphore)")
    parser.add_argument("--limit", default="5", help="how many executions may hold the lock at once (default: 5); "
                                                     "kept in the lock item, so a change rewrites only that item")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="fill placeholder ${NAME} of the workflows with VALUE where the stack does not "
                             "(repeatable)")
    parser.add_argument("--params", type=Path, metavar="FILE.json",
                        help="fill placeholders from a JSON object of names to values, after --param")
    parser.add_argument("--endpoint-url", help="send every AWS call to this emulator endpoint instead "
                                               "(e.g. http://127.0.0.1:5000)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    mode.add_argument("--destroy", action="store_true",
                      help="delete every resource this tool created for the prefix")
    parser.add_argument("--run-test", action="store_true",
                        help="after deploying, run the test machine and report on its executions")
    group = parser.add_argument_group("local run", textwrap.fill(local_cli.DESCRIPTION, _WIDTH))
    group.add_argument("--local", action="store_true",
                       help="run the whole system on this machine in an embedded emulator instead of AWS")
    local_cli.add_arguments(group)
    return parser


def config_from(args: argparse.Namespace, defaults: DeployConfig) -> DeployConfig:
    try:
        limit = int(args.limit.strip(), 10)
    except ValueError:
        raise BadOption(f"--limit must be a positive integer, got {args.limit!r}") from None
    given = dict(parse_param(text) for text in args.param)
    return replace(defaults, prefix=args.prefix, region=args.region or defaults.region, lock_name=args.lock_name,
                   limit=limit, params={**defaults.params, **given}, params_file=args.params or defaults.params_file)


def main(argv: list[str] | None = None, *, defaults: DeployConfig | None = None,
         make_clients: Callable[..., Clients] = Clients.create, console: Console | None = None) -> int:
    """Run the command line; returns the exit status (see ``EXIT_CODES``).

    ``defaults`` supplies what has no option (folders, function environment);
    ``make_clients`` and ``console`` let tests and the local run supply their own.
    """
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    out = console or Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    try:
        if args.local:
            _load_local_engine()  # before --out is created: a wrong moto leaves nothing behind
        _check_modes(args)
        config = config_from(args, defaults or DeployConfig())
        if args.local:
            return _run_local(args, config, out)
        if args.destroy:
            return _destroy(config, args, make_clients, out)
        return _deploy(config, args, make_clients, out, err)
    except DeployError as exc:
        for line in exc.message.splitlines():
            err.print(f"{PROG}: error: {exc.code} {line}", markup=False, soft_wrap=True)
        return exc.exit_status
    except MotoVersionError as exc:
        err.print(f"{PROG}: error: {exc}", markup=False, soft_wrap=True)
        return 2
    except BotoCoreError as exc:  # no credentials, unknown profile, endpoint unreachable
        err.print(f"{PROG}: error: DEPLOY-AWS {_one_line(exc)}", markup=False, soft_wrap=True)
        return 1
    except ResponseParserError as exc:  # an endpoint that answered the first call, then not as AWS
        err.print(f"{PROG}: error: DEPLOY-AWS an answer botocore cannot read: {_one_line(exc)[:200]}",
                  markup=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        err.print(f"{PROG}: interrupted; run the same command again to converge", markup=False)
        return 130


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _clients(make_clients: Callable[..., Clients], config: DeployConfig, args: argparse.Namespace) -> Clients:
    try:
        return make_clients(region=config.region, profile=args.profile, endpoint_url=args.endpoint_url)
    except ValueError as exc:  # botocore's own endpoint check
        raise BadOption(f"--endpoint-url {args.endpoint_url!r}: {_one_line(exc)}") from None


def _check_modes(args: argparse.Namespace) -> None:
    if args.endpoint_url is not None:
        check_endpoint(args.endpoint_url)
    if args.run_test and (args.dry_run or args.destroy):
        raise BadOption("--run-test needs a deploy; it cannot be combined with --dry-run or --destroy")
    if args.local:
        given = [name for name in _DEPLOY_ONLY if getattr(args, name) not in (None, False)]
        if given:
            raise BadOption(f"--{given[0].replace('_', '-')} is not an option of --local (a local run deploys "
                            "into its own emulator and runs the test itself)")
        local_cli.check(args)
        return
    given = [name for name in local_cli.LOCAL_ONLY if getattr(args, name) is not None]
    if given:
        raise BadOption(f"--{given[0].replace('_', '-')} is an option of the local run; add --local")


def _deploy(config: DeployConfig, args: argparse.Namespace, make_clients: Callable[..., Clients],
            out: Console, err: Console) -> int:
    prepared = prepare(config)
    for warning in prepared.warnings:
        err.print(f"{PROG}: warning: {warning}", markup=False, soft_wrap=True)
    clients = _clients(make_clients, config, args)
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
                  f"{planned.count(engine.DELETE)} to delete, {planned.count(engine.UNCHANGED)} unchanged. "
                  "Nothing was changed (--dry-run).", markup=False, soft_wrap=True)
        return 0
    result = engine.apply(planned, clients, progress=lambda change: _print_change(out, change))
    out.print(f"Done: {planned.count(engine.CREATE)} created, {planned.count(engine.UPDATE)} updated, "
              f"{planned.count(engine.DELETE)} deleted, {planned.count(engine.UNCHANGED)} unchanged.",
              markup=False, soft_wrap=True)
    if args.run_test:
        from deployer.runtest import print_report, run_test
        report = run_test(clients, result, lock_name=config.lock_name, console=out)
        print_report(report, out, lock_name=config.lock_name)
    out.print(f"test state machine: {result.test_machine_arn}", markup=False, soft_wrap=True)
    return 0


def _destroy(config: DeployConfig, args: argparse.Namespace, make_clients: Callable[..., Clients],
             out: Console) -> int:
    clients = _clients(make_clients, config, args)
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


def _load_local_engine() -> None:
    """Import the emulator and its shims (after the moto version check), or refuse in one line."""
    from local.moto_pin import FIX_COMMAND

    try:
        importlib.import_module("semaphore.local_run.run")
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] == "local":
            raise
        raise BadOption(f"--local needs the local extra, which is not installed (no module "
                        f"{exc.name.split('.')[0]!r}): run `{FIX_COMMAND}`") from None


def _run_local(args: argparse.Namespace, config: DeployConfig, out: Console) -> int:
    return local_cli.run(args, config, out)
