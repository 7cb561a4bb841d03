"""``python -m dsl test FILE --mock-config MockConfigFile.json``: run a MockConfigFile's cases locally.

Exit 0 when every case ran to an end (whatever its status), 1 when the workflow does not
validate or coverage is under ``--fail-under``, 2 on bad input (one line, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from dsl.jsontext import dumps


class _TestCommandParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"dsl test: error: {message}\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _TestCommandParser(prog="python -m dsl test", description=__doc__)
    parser.add_argument("file", help="the workflow's ASL file")
    parser.add_argument("--mock-config", required=True, help="AWS MockConfigFile (Step Functions Local format)")
    parser.add_argument("--machine", help="state machine in the mock file (default: its only one)")
    parser.add_argument("--case", action="append", help="test case to run (repeatable; default: all)")
    parser.add_argument("--input", default="{}", help="execution input, JSON (default {})")
    parser.add_argument("--validation", choices=("STRICT", "PRESENT", "NONE"), default="STRICT",
                        help="check mocked results against the API's response shape (default STRICT)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--coverage", action="store_true", help="report states, transitions, rules, catches, retries")
    parser.add_argument("--coverage-format", choices=("text", "markdown", "mermaid"), default="text",
                        help="coverage report in text output (default text)")
    parser.add_argument("--fail-under", type=float, metavar="PCT",
                        help="exit 1 when state and transition coverage is under PCT")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(list(argv))
    from dsl.aslfile import AslLoadError, load
    from dsl.testing.errors import TestingError

    try:
        execution_input = json.loads(args.input)
    except json.JSONDecodeError as error:
        sys.stderr.write(f"dsl test: error: --input is not JSON: {error}\n")
        return 2
    try:
        doc = load(args.file)
    except AslLoadError as error:
        sys.stderr.write(f"dsl test: error: {error}\n")
        return 2
    if not _valid(doc, args.file):
        return 1
    try:
        return _run(args, doc, execution_input)
    except TestingError as error:
        sys.stderr.write(f"dsl test: error: {error}\n")
        return 2


def _valid(doc: dict[str, Any], name: str) -> bool:
    from dsl.validate import is_valid, validate

    findings = validate(doc)
    for item in findings:
        sys.stderr.write(item.line(name) + ("" if item.severity == "error" else " (warning)") + "\n")
    return is_valid(findings)


def _run(args: argparse.Namespace, doc: dict[str, Any], execution_input: Any) -> int:
    from dsl.testing import mockconfig
    from dsl.testing.coverage import Coverage
    from dsl.testing.definition import states_by_name
    from dsl.testing.engine import Engine

    config = mockconfig.load(args.mock_config)
    machine = mockconfig.machine_name(config, args.machine, args.mock_config)
    cases = mockconfig.test_cases(config, machine, states_by_name(doc), args.mock_config, args.case)
    coverage = Coverage(machine, doc)
    results = []
    with Engine() as engine:
        for case in cases:
            result = engine.run(doc, execution_input, mocks=case.mocks, validation=args.validation,
                                execution_name=f"{machine}-{case.name}"[:80])
            coverage.add(result)
            results.append(result.as_json(case.name))
    if args.format == "json":
        body: dict[str, Any] = {"cases": results}
        if args.coverage:
            body["coverage"] = coverage.summary()
        sys.stdout.write(dumps(body))
    else:
        for item in results:
            sys.stdout.write(f"{item['case']}: {item['status']}")
            if item["error"] is not None:
                sys.stdout.write(f" ({item['error']}: {item['cause']})")
            sys.stdout.write(f"\n  path: {' > '.join(item['path'])}\n  output: {json.dumps(item['output'])}\n")
        if args.coverage:
            report = {"text": coverage.text, "markdown": coverage.markdown, "mermaid": coverage.mermaid}
            sys.stdout.write(report[args.coverage_format]())
    if args.fail_under is not None and coverage.percent() < args.fail_under:
        sys.stderr.write(f"dsl test: coverage {coverage.percent():.1f} % is under --fail-under {args.fail_under:g}\n")
        return 1
    return 0
