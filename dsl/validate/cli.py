"""``python -m dsl validate PATH...``: validate ASL files from the command line.

PATH may be a file, a folder (every ``*.asl.json`` below it, in sorted order)
or ``-`` for standard input. Each problem is printed as
``FILE:/json/pointer: RULE-ID message``, then one summary line.
Exit status: 0 all valid, 1 some definition invalid, 2 some input unreadable
(or bad arguments).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dsl.aslfile import AslLoadError, load
from dsl.findings import Finding
from dsl.jsontext import dumps

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
PATTERN = "*.asl.json"


@dataclass
class FileResult:
    """The outcome for one input."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def valid(self) -> bool:
        """Readable and without errors (warnings allowed)."""
        return self.error is None and all(item.severity != "error" for item in self.findings)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready record."""
        return {"file": self.name, "valid": self.valid, "error": self.error,
                "findings": [item.as_dict() for item in self.findings]}


def main(argv: Sequence[str]) -> int:
    """Run the validator on the given paths; returns the exit status."""
    args = _parser().parse_args(list(argv))
    if args.list_rules:
        return _list_rules()
    if not args.paths:
        sys.stderr.write("python -m dsl validate: error: give at least one PATH (a file, a folder or -)\n")
        return EXIT_UNREADABLE
    results = [check_file(name, strict=args.strict) if problem is None else FileResult(name, error=problem)
               for name, problem in expand(args.paths)]
    try:
        _report(results, args.format)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; stop quietly like other Unix tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if any(result.error for result in results):
        return EXIT_UNREADABLE
    return EXIT_VALID if all(result.valid for result in results) else EXIT_INVALID


def expand(paths: Sequence[str]) -> Iterator[tuple[str, str | None]]:
    """(input, problem) in order: files as given, each folder's ``*.asl.json`` sorted, ``-``.

    A folder without definitions is reported as a problem instead of silently passing.
    """
    for path in paths:
        if path != "-" and Path(path).is_dir():
            # Anything but a folder: a FIFO or a device named *.asl.json is refused by load(), not skipped.
            found = sorted(str(item) for item in Path(path).rglob(PATTERN) if not item.is_dir())
            yield from ((name, None) for name in found)
            if not found:
                yield path, f"folder holds no {PATTERN} files"
        else:
            yield path, None


def check_file(name: str, *, strict: bool) -> FileResult:
    """Load and validate one input; unreadable input becomes ``error``."""
    from dsl.validate import validate

    try:
        document = load(name)
    except AslLoadError as exc:
        return FileResult(_display(name), error=exc.message)
    return FileResult(_display(name), validate(document, strict=strict))


def _display(name: str) -> str:
    return "<stdin>" if name == "-" else name


def _report(results: list[FileResult], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        out.write(dumps({"files": [result.as_dict() for result in results], "summary": _summary(results)}))
        return
    for result in results:
        if result.error is not None:
            out.write(f"{result.name}: ASL-LOAD {result.error}\n")
        for item in result.findings:
            out.write(item.line(result.name) + ("" if item.severity == "error" else " (warning)") + "\n")
    counts = _summary(results)
    out.write(f"{_count(counts['files'], 'file')} checked: {counts['valid']} valid, {counts['invalid']} invalid, "
              f"{counts['unreadable']} unreadable; {_count(counts['errors'], 'error')}, "
              f"{_count(counts['warnings'], 'warning')}\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(results: list[FileResult]) -> dict[str, int]:
    findings = [item for result in results for item in result.findings]
    return {
        "files": len(results),
        "valid": sum(result.valid for result in results),
        "invalid": sum(result.error is None and not result.valid for result in results),
        "unreadable": sum(result.error is not None for result in results),
        "errors": sum(item.severity == "error" for item in findings),
        "warnings": sum(item.severity != "error" for item in findings),
    }


def _list_rules() -> int:
    from dsl.validate import RULES

    for rule in RULES.values():
        sys.stdout.write(f"{rule.id:<20} {rule.text}\n")
    return EXIT_VALID


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dsl validate",
        description="Validate Amazon States Language files: JSON Schema plus semantic rules.",
        epilog="Exit status: 0 all valid, 1 invalid definitions, 2 unreadable input or bad arguments.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=f"an ASL file, a folder (all {PATTERN} below it) or - for standard input")
    parser.add_argument("--strict", action="store_true",
                        help="also reject ${Name} deploy-time placeholders")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--list-rules", action="store_true", help="print every rule id and exit")
    return parser
