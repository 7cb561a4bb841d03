"""Benchmark ``python -m dsl import``: files per second over the corpus, and the round-trip rate.

Usage (from the repository root)::

    python benchmarks/import.py [--corpus DIR] [--rounds N]

Imports every ``*.asl.json`` of the corpus (default ``tests/validate/corpus``
plus ``generated/``) in one process, the way the command does: read, validate,
emit the module, then run it, compile its workflow and compare with the source
(the safety net). The baseline, measured in the same run on the same files, is
``validate`` alone, the step every import begins with: the ratio says what
turning a definition into checked code costs on top of reading it.

Prints files per second for both, their ratio, the share of the time spent in
the safety net, and the round-trip rate (files whose module builds exactly the
source, out of the files that validate). Exit status 1 when any valid file does
not round-trip.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import this checkout's dsl

if TYPE_CHECKING:
    from dsl.importer.sources import Source


def load_all(files: list[Path]) -> list[Source]:
    """Every file's one workflow (files are read before the clock starts)."""
    from dsl.importer.sources import Source, read_path

    found = []
    for path in files:
        (source,) = read_path(str(path))
        assert isinstance(source, Source)
        found.append(source)
    return found


def main(argv: list[str]) -> int:
    """Run the benchmark; returns the exit status."""
    from dsl.importer.emit import Module, Refused, emit_module
    from dsl.importer.roundtrip import check
    from dsl.validate import is_valid, validate

    parser = argparse.ArgumentParser(prog="python benchmarks/import.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "validate" / "corpus")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the corpus (best kept)")
    args = parser.parse_args(argv)
    files = sorted(args.corpus.glob("*.asl.json")) + sorted((ROOT / "generated").glob("*.asl.json"))
    sources = load_all(files)
    valid = [s for s in sources if is_valid(validate(s.document))]  # also warms the schema
    print(f"corpus: {len(sources)} definitions ({len(valid)} valid) from {args.corpus} and generated/")

    validate_best = emit_best = check_best = float("inf")
    refused: list[str] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for source in valid:
            validate(source.document)
        validate_best = min(validate_best, time.perf_counter() - start)
        emit_time = check_time = 0.0
        refused = []
        for source in valid:
            started = time.perf_counter()
            try:
                text = emit_module(Module(source.document, source.workflow, source.origin,
                                                source.express))
                emitted = time.perf_counter()
                emit_time += emitted - started
                check(text, source.document, express=source.express)
                check_time += time.perf_counter() - emitted
            except Refused as exc:
                refused.append(f"{source.label}: {exc}")
        emit_best, check_best = min(emit_best, emit_time), min(check_best, check_time)

    import_seconds = validate_best + emit_best + check_best
    n = len(valid)
    print(f"validate only (baseline): {n / validate_best:8.1f} files/s")
    print(f"import (validate + emit + check): {n / import_seconds:8.1f} files/s "
          f"({import_seconds / validate_best:.2f}x the baseline's time; "
          f"safety net {check_best / import_seconds:.0%} of it)")
    print(f"round trip: {n - len(refused)}/{n} valid files exact ({(n - len(refused)) / n:.1%})")
    for line in refused:
        print(f"  refused: {line}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
