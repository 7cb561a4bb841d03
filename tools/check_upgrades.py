"""Find dependency drift on purpose: the newest allowed releases, moto's newest included, against our shims.

Builds a throwaway virtual environment with the newest releases that pyproject.toml's ranges
allow (moto's exact pin is lifted to its newest release), then, in a copy of nothing but this
checkout's own files:

1. imports and installs every patch of :mod:`local.patches` on its own, and names each that breaks;
2. runs the shim and local-engine tests (``tests/local``) and lists the failures.

Not part of CI: it downloads whatever the index serves today. Usage:
``python tools/check_upgrades.py [--keep DIR]``. Exit 0 when nothing broke, 1 when something did,
2 on a usage or environment error. See docs/local-engine.md, "Upgrading moto".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_PROBE = r"""
import json, sys, traceback
result = {"moto": None, "broken": {}, "patches": 0}
try:
    from importlib import metadata
    result["moto"] = metadata.version("moto")
    from local.patches import patches
    every = patches()
    result["patches"] = len(every)
    for patch in every:
        try:
            patch.install()()
        except Exception as exc:
            result["broken"][patch.name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
except Exception as exc:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/local/" in f.filename]
    where = f"{frames[-1].filename.split('/local/', 1)[1]}:{frames[-1].lineno}" if frames else "?"
    result["broken"]["(import)"] = f"local/{where}: {type(exc).__name__}: {exc}".splitlines()[0]
print(json.dumps(result))
"""


def unpinned_requirements(pyproject: Path) -> list[str]:
    """Every requirement of the project and its local/test extras, with moto's ``==`` pin lifted."""
    project = tomllib.loads(pyproject.read_text())["project"]
    name = project["name"]
    requirements = list(project["dependencies"])
    for extra in ("local", "test"):
        requirements += [r for r in project["optional-dependencies"][extra] if not r.startswith(name)]
    return [re.sub(r"^(moto(\[[^\]]*\])?)==[^,;\s]+", r"\1", r) for r in requirements]


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the shims against the newest allowed releases.")
    parser.add_argument("--keep", type=Path, help="build the venv here and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="check-upgrades-") as scratch:
        venv = args.keep or Path(scratch) / "venv"
        python = venv / "bin" / "python"
        print(f"check_upgrades: building {venv} with the newest allowed releases", flush=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", *unpinned_requirements(REPO / "pyproject.toml")],
            [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(REPO)],
        ]
        for step in steps:
            done = _run(step)
            if done.returncode != 0:
                tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
                print(f"check_upgrades: error: {' '.join(step[:4])} ...: {tail}", file=sys.stderr)
                return 2
        env_override = {**os.environ, "SFN_DSL_ANY_MOTO": "1"}
        probe = _run([str(python), "-c", _PROBE], cwd=REPO, env=env_override)
        try:
            found = json.loads(probe.stdout.strip().splitlines()[-1])
        except (json.JSONDecodeError, IndexError):
            print(f"check_upgrades: error: the patch probe printed no result: {probe.stderr.strip()[-300:]}",
                  file=sys.stderr)
            return 2
        print(f"moto {found['moto']}: {found['patches']} patches probed, {len(found['broken'])} broken")
        for name, reason in sorted(found["broken"].items()):
            print(f"  broken: {name}: {reason}")
        tests = _run([str(python), "-m", "pytest", "tests/local", "-q", "-p", "no:cacheprovider", "-rf"],
                     cwd=REPO, env=env_override)
        failures = [line for line in tests.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
        summary = (tests.stdout.strip().splitlines() or ["(no pytest output)"])[-1]
        print(f"tests/local: {summary}")
        for line in failures:
            print(f"  {line}")
        versions = _run([str(python), "-m", "pip", "list", "--format=json"])
        newer = {p["name"].lower(): p["version"] for p in json.loads(versions.stdout or "[]")}
        print("newest allowed: " + ", ".join(f"{n} {newer[n]}" for n in ("moto", "boto3", "jsonata-python",
                                                                           "jsonschema", "pytest") if n in newer))
        return 1 if found["broken"] or failures or tests.returncode != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
