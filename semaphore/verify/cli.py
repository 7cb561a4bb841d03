"""``python -m dsl verify PATH... [--cleanup FILE] [--rule FILE] [--format text|json]``.

Exit status: 0 when no error-severity finding, 1 when some rule is violated,
2 when an input cannot be read or followed (nothing is verified for it).
A directory PATH means its ``*.asl.json`` files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsl.aslfile import AslLoadError, load
from dsl.graph import GraphError
from dsl.jsontext import dumps
from semaphore.verify import verify
from semaphore.verify.discover import find_cleanup, find_rule, find_schedule
from semaphore.verify.rules import RULES, VerifyFinding

__all__ = ["main"]


@dataclass(frozen=True)
class _Reported:
    file: str
    finding: VerifyFinding


def _parser() -> argparse.ArgumentParser:
    rules = "; ".join(f"{r.id}: {r.text}" for r in RULES.values())
    parser = argparse.ArgumentParser(
        prog="python -m dsl verify",
        description="Prove that every acquired DynamoDB-semaphore lock is released or cleaned up.",
        epilog=f"Rules: {rules}. Exit status: 0 verified; 1 a rule is violated; 2 unreadable input or bad "
               "arguments.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="ASL files, or folders of *.asl.json files")
    parser.add_argument("--cleanup", metavar="FILE",
                        help="the cleanup workflow (default: <stem>-cleanfromincomplete.asl.json beside each "
                             "machine, or the file beside it that releases the same lock for the event's owner)")
    parser.add_argument("--rule", metavar="FILE",
                        help="the EventBridge rule data {EventPattern, Target} (default: cleanup-rule.json beside)")
    parser.add_argument("--reconciler", metavar="FILE",
                        help="the scheduled reconciler workflow (default: the Target of a rule file beside each "
                             "machine that has a ScheduleExpression)")
    parser.add_argument("--schedule", metavar="FILE",
                        help="the reconciler's schedule rule data {ScheduleExpression, Target}")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _files(paths: list[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            out.extend(str(p) for p in sorted(folder.glob("*.asl.json")))
        else:
            out.append(path)
    return out


def main(argv: list[str]) -> int:
    """Run the verifier; returns the exit code."""
    args = _parser().parse_args(argv)
    # Inputs that could not be read or followed; like validate, reported in the output, counted.
    unreadable: list[str] = []
    cache: dict[str, Mapping[str, Any]] = {}

    def read(path: str) -> Mapping[str, Any] | None:
        if path not in cache:
            try:
                cache[path] = load(path)
            except AslLoadError as exc:
                if args.format == "text":
                    sys.stdout.write(f"{exc.source}: {AslLoadError.code} {exc.message}\n")
                if path not in unreadable:
                    unreadable.append(path)
                return None
        return cache[path]

    for option, path in (("--cleanup", args.cleanup), ("--rule", args.rule),
                         ("--reconciler", args.reconciler), ("--schedule", args.schedule)):
        if path:
            try:
                cache[path] = load(path)
            except AslLoadError as exc:  # a bad option, not a finding: the usage-error convention
                sys.stderr.write(f"python -m dsl verify: error: {option} {exc.source}: {exc.message}\n")
                return 2
    files = _files(args.paths)
    reported: list[_Reported] = []
    for file in files:
        doc = read(file)
        if doc is None:
            continue
        cleanup_path = args.cleanup or (str(p) if file != "-" and (p := find_cleanup(Path(file), doc)) else None)
        rule_path = args.rule or (str(p) if file != "-" and (p := find_rule(Path(file))) else None)
        swept = find_schedule(Path(file), doc) if file != "-" and not args.reconciler else None
        reconciler_path = args.reconciler or (str(swept[0]) if swept else None)
        schedule_path = args.schedule or (str(swept[1]) if swept else None)
        cleanup = read(cleanup_path) if cleanup_path else None
        rule = read(rule_path) if rule_path else None
        try:
            findings = verify(doc, cleanup=cleanup, rule=rule,
                              cleanup_name=Path(cleanup_path).name if cleanup_path else None,
                              reconciler=read(reconciler_path) if reconciler_path else None,
                              schedule=read(schedule_path) if schedule_path else None)
        except GraphError as exc:
            if args.format == "text":
                sys.stdout.write(f"{file}:{exc.pointer or '/'}: {GraphError.code} {exc.message}\n")
            unreadable.append(file)
            continue
        where = {"": file, "cleanup": cleanup_path or file, "rule": rule_path or file,
                 "reconciler": reconciler_path or file}
        for item in findings:
            assert isinstance(item, VerifyFinding)
            entry = _Reported(where[item.document], item)
            if entry not in reported:  # a cleanup verified as a PATH and as a machine's cleanup
                reported.append(entry)
    if args.format == "text":
        for r in reported:
            sys.stdout.write(f"{r.finding.line(r.file)} [{r.finding.severity}]\n" if r.finding.severity != "error"
                             else r.finding.line(r.file) + "\n")
    errors = _summary(args.format, files, unreadable, reported)
    if unreadable:
        return 2
    return 1 if errors else 0


def _summary(fmt: str, files: list[str], unreadable: list[str], reported: list[_Reported]) -> int:
    """Print the summary (on standard output, as validate does); returns the error count."""
    errors = sum(1 for r in reported if r.finding.severity == "error")
    warnings = len(reported) - errors
    if fmt == "json":
        sys.stdout.write(dumps({"files": files, "unreadable": unreadable, "errors": errors,
                                "warnings": warnings,
                                "findings": [{"file": r.file, **r.finding.as_dict()} for r in reported]}))
        return errors
    failing = {r.file for r in reported if r.finding.severity == "error"}
    verified = sum(1 for f in files if f not in unreadable and f not in failing)
    invalid = sum(1 for f in files if f not in unreadable and f in failing)
    sys.stdout.write(f"{_count(len(files), 'file')} checked: {verified} verified, {invalid} with errors, "
                     f"{len(unreadable)} unreadable; {_count(errors, 'error')}, "
                     f"{_count(warnings, 'warning')}\n")
    return errors


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
