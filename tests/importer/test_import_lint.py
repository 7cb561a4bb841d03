"""Emitted modules are ruff-clean (default rules) and mypy --strict clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from import_helpers import CORPUS, FIXTURES, GENERATED, REPO

from dsl.importer import cli


def test_emitted_modules_pass_ruff_and_mypy(tmp_path: Path) -> None:
    out = tmp_path / "defs"
    sources = [*map(str, CORPUS), *map(str, GENERATED), str(FIXTURES / "sam-template.yaml"),
               str(FIXTURES / "cfn-template.yaml")]
    assert cli.main([*sources, "--out", str(out)]) == 0
    assert len(list(out.glob("*.py"))) == len(CORPUS) + len(GENERATED) + 3
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", str(out)],
                          capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--follow-imports=silent", str(out)], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert mypy.returncode == 0, mypy.stdout
