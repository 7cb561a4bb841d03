"""Benchmark ``python -m dsl validate`` against asl-validator (npm) and statelint (PyPI).

Usage (from the repository root)::

    python benchmarks/validate.py [--corpus DIR] [--no-peers] [--runs N]
    python benchmarks/validate.py --suites ASL_VALIDATOR_CHECKOUT STATELINT_CHECKOUT
    python benchmarks/validate.py --scan FOLDER

Validates every ``*.asl.json`` in the corpus (default ``tests/validate/corpus``,
at least 150 definitions) with our validator, in one process and through the
CLI, then installs the peers into temporary folders and runs their CLIs on the
same files, all files in one invocation each:

- asl-validator: ``npm install --prefix TMP asl-validator`` when node and npm exist;
- statelint: ``pip install --target TMP statelint`` (optional; the result is noted).

Installation time is not measured. Prints the wall times, the ratios and how
many files each tool rejects.

Two more measurements, always made:

- the cost of the integration rules (aws-sdk and optimized Tasks checked against
  botocore's models): the corpus validated in one process with and without them,
  median of ``--runs`` passes, plus the first pass with them (which loads the models);
  target: at most 20 % more;
- ``python -m dsl validate ONE_FILE`` as one process (median of ``--runs``) on the
  corpus file with the most aws-sdk Tasks, and statelint on the same file when it
  could be installed.

``--scan FOLDER`` prints every integration finding (ASL-SDK-*, ASL-INT-*) on the ASL files
of a folder of real workflows, e.g. a checkout of aws-samples/step-functions-workflows-collection.

``--suites`` instead runs our validator on the peers' own test suites, from checkouts made
outside the repository (``git clone https://github.com/ChristopheBougere/asl-validator``,
``git clone https://github.com/awslabs/statelint``): asl-validator's
``src/__tests__/definitions/`` (a file is expected valid when its name starts with ``valid``)
and statelint's ``test/*.json`` (expected valid when ``spec/statelint_spec.rb`` expects no
problem). It prints each disagreement; docs/integrations.md holds the decision on each.

Exit status 1 when our CLI is not faster than asl-validator or the rules cost more
than 20 %, 0 otherwise (also when node is missing, which is reported).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests" / "validate" / "corpus"
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 900


@dataclass
class Run:
    """One tool's timing on the corpus."""

    tool: str
    seconds: float | None
    rejected: int | None
    note: str = ""


def main(argv: list[str]) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python benchmarks/validate.py", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of *.asl.json files")
    parser.add_argument("--no-peers", action="store_true", help="time only our validator")
    parser.add_argument("--runs", type=int, default=7, help="repeats of the rule-cost and one-file timings")
    parser.add_argument("--scan", type=Path, metavar="FOLDER", help="list integration findings on real workflows")
    parser.add_argument("--suites", nargs=2, type=Path, metavar=("ASL_VALIDATOR", "STATELINT"),
                        help="compare with the peers' test suites in these checkouts instead")
    args = parser.parse_args(argv)
    if args.suites:
        return compare_suites(*args.suites)
    if args.scan:
        return scan(args.scan)
    files = sorted(str(path) for path in args.corpus.rglob("*.asl.json"))
    if len(files) < 150:
        print(f"error: {args.corpus} holds {len(files)} definitions; the benchmark needs at least 150")
        return 2
    print(f"corpus: {len(files)} definitions in {args.corpus}")
    runs = [in_process(files), our_cli(args.corpus)]
    cheap = rule_cost(files, args.runs)
    one = max(files, key=lambda name: Path(name).read_text(encoding="utf-8").count("aws-sdk:"))
    plain = min((name for name in files if "aws-sdk:" not in Path(name).read_text(encoding="utf-8")),
                key=lambda name: Path(name).stat().st_size)
    ours_one = one_file(one, args.runs)
    ours_plain = one_file(plain, args.runs)
    print(f"python -m dsl validate {Path(one).name} (most aws-sdk Tasks): median {ours_one * 1000:.0f} ms per "
          f"process; {Path(plain).name} (none): {ours_plain * 1000:.0f} ms ({args.runs} runs each)")
    faster = True
    if not args.no_peers:
        with tempfile.TemporaryDirectory(prefix="asl-bench-") as tmp:
            runs.append(asl_validator(files, Path(tmp) / "npm"))
            runs.append(statelint(files, Path(tmp) / "pip"))
            peer_one = statelint_one_file(one, Path(tmp) / "pip", args.runs)
        if peer_one is not None:
            print(f"statelint {Path(one).name}: median {peer_one * 1000:.0f} ms per process -> ours is "
                  f"{ours_one / peer_one:.2f}x statelint (goal <= 1.0x: {'met' if ours_one <= peer_one else 'NOT met'})")
    report(runs)
    ours, peer = runs[1], (runs[2] if len(runs) > 2 else None)
    if peer is not None and peer.seconds is not None and ours.seconds is not None:
        faster = ours.seconds < peer.seconds
        print(f"goal (our CLI faster than asl-validator): {'met' if faster else 'NOT met'}")
    return 0 if faster and cheap else 1


def scan(folder: Path) -> int:
    """Every ASL-SDK/ASL-INT finding on the definitions in ``folder``, with counts by rule."""
    sys.path.insert(0, str(ROOT))
    import json
    from collections import Counter

    from dsl.validate import validate

    counts: Counter[str] = Counter()
    documents = sdk_tasks = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".json", ".asl")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(document, dict) or "States" not in document:
            continue
        documents += 1
        sdk_tasks += path.read_text(encoding="utf-8").count(":::aws-sdk:")
        for found in validate(document):
            if found.rule.startswith(("ASL-SDK", "ASL-INT")):
                counts[f"{found.rule} ({found.severity})"] += 1
                print(found.line(str(path.relative_to(folder)))[:220])
    print(f"{documents} definitions, {sdk_tasks} aws-sdk Resources; " +
          (", ".join(f"{rule}: {n}" for rule, n in sorted(counts.items())) or "no integration finding"))
    return 0


def compare_suites(asl_validator_dir: Path, statelint_dir: Path) -> int:
    """Our verdict on each case of the peers' suites against theirs; prints the table and each disagreement."""
    sys.path.insert(0, str(ROOT))
    import json
    import re

    from dsl.validate import is_valid, validate

    def ours(path: Path) -> tuple[bool, str]:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            return False, f"not JSON: {exc}"
        if not isinstance(document, dict):
            return False, "not an object"
        found = validate(document)
        errors = [f"{f.pointer or '/'} {f.rule}" for f in found if f.severity == "error"]
        return is_valid(found), "; ".join(errors[:3])

    suites: dict[str, dict[Path, bool]] = {"asl-validator": {}, "statelint": {}}
    for path in sorted((asl_validator_dir / "src" / "__tests__" / "definitions").glob("*.json")):
        suites["asl-validator"][path] = path.name.startswith("valid")
    spec = (statelint_dir / "spec" / "statelint_spec.rb").read_text(encoding="utf-8")
    # Each case reads a file, then expects a number of problems before the next read.
    for name, body in re.findall(r'File\.read\s+"(test/[^"]+)"(.*?)(?=File\.read|\Z)', spec, re.DOTALL):
        count = re.search(r"problems\.size\)\.to eq\((\d+)\)", body)
        if count:
            suites["statelint"][statelint_dir / name] = int(count.group(1)) == 0
    print(f"{'suite':<15} {'cases':>6} {'agree':>6} {'disagree':>9}")
    disagreements = []
    for suite, cases in suites.items():
        agree = 0
        for path, expected in cases.items():
            valid, why = ours(path)
            if valid == expected:
                agree += 1
            else:
                disagreements.append(f"{suite}: {path.name}: theirs {'valid' if expected else 'invalid'}, "
                                     f"ours {'valid' if valid else 'invalid'} {why}")
        print(f"{suite:<15} {len(cases):>6} {agree:>6} {len(cases) - agree:>9}")
    for line in disagreements:
        print(line)
    return 0


def rule_cost(files: list[str], runs: int) -> bool:
    """The corpus validated with and without the integration rules; True when they cost <= 20 %."""
    sys.path.insert(0, str(ROOT))
    import statistics

    import dsl.validate.rules as registered
    from dsl.aslfile import load
    from dsl.integrations import sdk_model
    from dsl.validate import validate
    from dsl.validate.rules import aws_sdk, integrations

    documents = [load(name) for name in files]
    every = registered.CHECKS
    new = {aws_sdk.check, integrations.check}
    without = tuple(check for check in every if check not in new)

    def one_pass(checks: tuple[object, ...]) -> float:
        registered.CHECKS = checks  # type: ignore[assignment]  # validate() reads it at each call
        started = time.perf_counter()
        for document in documents:
            validate(document)
        return time.perf_counter() - started

    try:
        one_pass(without)  # warm the schema and the other imports before either is timed
        sdk_model.forget_models()  # so the first pass with the rules reads the models again
        first = one_pass(every)
        # Interleaved, so that drift in the machine's load falls on both alike.
        pairs = [(one_pass(without), one_pass(every)) for _ in range(runs)]
        base = statistics.median(pair[0] for pair in pairs)
        full = statistics.median(pair[1] for pair in pairs)
    finally:
        registered.CHECKS = every
    cost = full / base - 1
    print(f"integration rules on {len(files)} files: without {base * 1000:.0f} ms, with {full * 1000:.0f} ms "
          f"(median of {runs}), first pass reading the models {first * 1000:.0f} ms -> {cost:+.1%} "
          f"(goal <= 20 %: {'met' if cost <= 0.20 else 'NOT met'})")
    return cost <= 0.20


def one_file(name: str, runs: int) -> float:
    """Median wall time of ``python -m dsl validate NAME`` as a new process."""
    import statistics

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dsl", "validate", name], cwd=ROOT, capture_output=True,
                       timeout=RUN_TIMEOUT, check=False)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def statelint_one_file(name: str, target: Path, runs: int) -> float | None:
    """Median wall time of statelint on one file as a new process (None when it is not installed)."""
    import statistics

    if not (target / "statelint").exists():
        return None
    environment = {**os.environ, "PYTHONPATH": str(target)}
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "statelint", name], capture_output=True, timeout=RUN_TIMEOUT,
                       check=False, env=environment)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def in_process(files: list[str]) -> Run:
    """Import, load and validate everything in this process (includes the jsonschema import)."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from dsl.aslfile import load
    from dsl.validate import is_valid, validate

    rejected = sum(not is_valid(validate(load(name))) for name in files)
    return Run("dsl.validate.validate() in one process", time.perf_counter() - started, rejected,
               "import + load + validate")


def our_cli(corpus: Path) -> Run:
    """``python -m dsl validate CORPUS`` as a user runs it."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dsl", "validate", str(corpus)], cwd=ROOT,
                            capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    elapsed = time.perf_counter() - started
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()
    invalid = int(summary.split(" invalid")[0].rsplit(" ", 1)[-1]) if " invalid" in summary else None
    return Run("python -m dsl validate", elapsed, invalid, summary)


def asl_validator(files: list[str], prefix: Path) -> Run:
    """asl-validator's CLI on all files in one invocation."""
    if not (shutil.which("node") and shutil.which("npm")):
        return Run("asl-validator (npm)", None, None, "skipped: node/npm not found")
    try:
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent",
                        "asl-validator"], capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        return Run("asl-validator (npm)", None, None, f"install failed: {_last_line(exc)}")
    binary = prefix / "node_modules" / ".bin" / "asl-validator"
    version = _package_version(prefix / "node_modules" / "asl-validator" / "package.json")
    command = [str(binary)] + [part for name in files for part in ("--json-path", name)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    elapsed = time.perf_counter() - started
    valid = result.stdout.count(" is valid")
    return Run(f"asl-validator {version} (npm)", elapsed, len(files) - valid, f"exit {result.returncode}")


def statelint(files: list[str], target: Path) -> Run:
    """The PyPI port of awslabs' statelint, all files in one invocation (optional peer)."""
    # pip when the interpreter has it, else uv (the project's venv is made by uv, without pip).
    installer = ([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
                 if _has_pip() else ["uv", "pip", "install", "--quiet", "--python", sys.executable])
    try:
        subprocess.run([*installer, "--target", str(target), "statelint"], capture_output=True, text=True,
                       timeout=INSTALL_TIMEOUT, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        return Run("statelint (PyPI)", None, None, f"not available: {_last_line(exc)}")
    environment = {**os.environ, "PYTHONPATH": str(target)}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "statelint", *files], capture_output=True, text=True,
                            timeout=RUN_TIMEOUT, check=False, env=environment)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        return Run("statelint (PyPI)", None, None, f"failed: {_last_line(result.stderr)}")
    # With several inputs statelint prints each failing file's name on a line of its own.
    rejected = sum(line in files for line in result.stdout.splitlines())
    return Run(f"statelint {_dist_version(target, 'statelint')} (PyPI)", elapsed, rejected,
               "its rejections are its false positives here: see the README (validate: compared with asl-validator and statelint)")


def _has_pip() -> bool:
    from importlib.util import find_spec

    return find_spec("pip") is not None


def report(runs: list[Run]) -> None:
    """Print the table of wall times and ratios against our CLI."""
    base = runs[1].seconds
    print(f"{'tool':<44} {'wall time':>10} {'rejected':>9} {'vs our CLI':>11}  note")
    for run in runs:
        seconds = f"{run.seconds:.2f} s" if run.seconds is not None else "-"
        rejected = str(run.rejected) if run.rejected is not None else "-"
        ratio = f"{run.seconds / base:.1f}x" if run.seconds is not None and base else "-"
        print(f"{run.tool:<44} {seconds:>10} {rejected:>9} {ratio:>11}  {run.note}")


def _last_line(source: object) -> str:
    text = source if isinstance(source, str) else str(getattr(source, "stderr", "") or source)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else "no output"


def _package_version(path: Path) -> str:
    import json

    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("version", "?"))
    except (OSError, ValueError):
        return "?"


def _dist_version(target: Path, name: str) -> str:
    found = sorted(target.glob(f"{name}-*.dist-info"))
    return found[0].name[len(name) + 1:-len(".dist-info")] if found else "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
