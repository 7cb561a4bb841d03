"""``python -m dsl import SOURCE... [--out DIR] [--force] [--arn ARN]``.

Writes one module per workflow into ``--out`` (default ``definitions/``).
A source that is unreadable or of unknown shape gets one line and exit 2; an
invalid definition gets validate's findings and exit 1; a definition the DSL
cannot write exactly is refused with one line naming the state and field
(exit 1). Nothing is written for a failed source, an existing module is
replaced only with ``--force``, and every write is atomic.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from dsl.importer.emit import Module, Refused, emit_module
from dsl.importer.errors import SourceError
from dsl.importer.roundtrip import check
from dsl.importer.sources import Source, read_arn, read_path


def convert(source: Source) -> str:
    """The module text for ``source``, checked to build exactly its document.

    Raises :class:`Refused` when the DSL cannot write the document exactly.
    """
    module = Module(source.document, source.workflow, source.origin, source.express)
    try:
        try:
            text = emit_module(module)
            check(text, source.document, express=source.express)
        except Refused:
            # The keyword-request helpers check requests against the service models, stricter
            # than validate: write those Tasks as Task(resource=...) instead.
            text = emit_module(replace(module, keyword_helpers=False))
            check(text, source.document, express=source.express)
    except RecursionError:
        raise Refused(None, "States", "nested too deeply to write as one module") from None
    return text


def main(argv: list[str]) -> int:
    """Entry point of ``python -m dsl import``."""
    parser = argparse.ArgumentParser(prog="python -m dsl import", description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="ASL file (JSON or YAML), CloudFormation/SAM template, or - for stdin")
    parser.add_argument("--arn", action="append", default=[],
                        help="a deployed state machine's ARN (read with DescribeStateMachine)")
    parser.add_argument("--out", type=Path, default=Path("definitions"),
                        help="folder for the modules (default: definitions)")
    parser.add_argument("--force", action="store_true", help="replace existing modules")
    parser.add_argument("--name", default="imported",
                        help="workflow name for a definition read from stdin (default: imported)")
    args = parser.parse_args(argv)
    if not args.sources and not args.arn:
        parser.error("give at least one SOURCE or --arn ARN")
    worst = 0
    written: set[str] = set()
    for source in _sources(args):
        if isinstance(source, SourceError):
            worst = max(worst, _fail(str(source), 2))
            continue
        worst = max(worst, _import_one(source, args.out, args.force, written))
    return worst


def _sources(args: argparse.Namespace) -> list[Source | SourceError]:
    found: list[Source | SourceError] = []
    for path in args.sources:
        try:
            found += read_path(path, stdin_name=args.name)
        except SourceError as exc:
            found.append(exc)
    for arn in args.arn:
        try:
            found.append(read_arn(arn))
        except SourceError as exc:
            found.append(exc)
    return found


def _import_one(source: Source, out: Path, force: bool, written: set[str]) -> int:
    from dsl.jsontext import write_atomic
    from dsl.validate import validate

    errors = [f for f in validate(source.document) if f.severity == "error"]
    if errors:
        for finding in errors:
            sys.stderr.write(finding.line(source.label) + "\n")
        return 1
    target = out / f"{source.module}.py"
    if str(target) in written:
        return _fail(f"{source.label}: another source in this run also writes {target}; "
                     "rename one of them", 2)
    if target.exists() and not force:
        return _fail(f"{source.label}: {target} exists; pass --force to replace it", 2)
    try:
        text = convert(source)
    except Refused as exc:
        return _fail(f"{source.label}: refused: {exc}", 1)
    try:
        write_atomic(target, text)
    except OSError as exc:
        return _fail(f"{target}: cannot write: {exc.strerror or exc}", 2)
    written.add(str(target))
    sys.stdout.write(f"written: {target} ({source.workflow})\n")
    return 0


def _fail(line: str, code: int) -> int:
    sys.stderr.write(f"import: {line}\n")
    return code
