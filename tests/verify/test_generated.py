"""The card's own test: every workflow in generated/ verifies, with its cleanup and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsl.aslfile import load
from semaphore.verify import acquired_locks, verify
from semaphore.verify.cli import main
from semaphore.verify.discover import find_cleanup, find_rule


def _machines(repo: Path) -> list[Path]:
    files = sorted((repo / "generated").glob("*.asl.json"))
    if not files:
        pytest.fail(f"no *.asl.json in {repo / 'generated'}; run python -m dsl build")
    return files


def test_every_acquire_path_has_a_release_or_a_cleanup(repo: Path) -> None:
    locked = 0
    for file in _machines(repo):
        doc = load(str(file))
        cleanup_path = find_cleanup(file, doc)
        rule_path = find_rule(file)
        if acquired_locks(doc):
            locked += 1
            assert cleanup_path is not None, f"{file.name}: no cleanup workflow beside it"
            assert rule_path is not None, f"{file.name}: no cleanup-rule.json beside it"
        found = verify(doc, cleanup=load(str(cleanup_path)) if cleanup_path else None,
                       rule=load(str(rule_path)) if rule_path else None,
                       cleanup_name=cleanup_path.name if cleanup_path else None)
        assert [f.line(file.name) for f in found if f.severity == "error"] == []
    assert locked >= 1, "no generated workflow takes a lock"


def test_cli_on_generated_exits_zero(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(repo / "generated")]) == 0
    assert "0 with errors, 0 unreadable; 0 errors" in capsys.readouterr().out
