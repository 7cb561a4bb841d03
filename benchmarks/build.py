"""Time a cold ``python -m dsl build --check`` against a bare ``python -c pass``.

Each sample is a new interpreter (cold imports, no warm caches beyond the OS's),
run from the repository root. Prints the median of several runs of each and
their ratio. Target: build --check under 0.5 s and within 4x of the bare start.

    python benchmarks/build.py [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    bare = median_seconds([sys.executable, "-c", "pass"], args.runs)
    build = median_seconds([sys.executable, "-m", "dsl", "build", "--check"], args.runs)
    ratio = build / bare
    print(f"python -c pass           median {bare * 1000:7.1f} ms")
    print(f"python -m dsl build --check median {build * 1000:7.1f} ms")
    print(f"build: {build:.3f} s, {ratio:.1f}x the bare interpreter "
          f"(targets: < 0.5 s, <= 4x) -> {'met' if build < 0.5 and ratio <= 4 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
