"""The function zip: same bytes for the same sources, whatever the file times."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from deployer.package import zip_directory


def write_sources(root: Path, order: list[str]) -> None:
    for name in order:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {name}\n")


def test_same_sources_give_the_same_zip(tmp_path: Path) -> None:
    names = ["app.py", "lib/util.py", "lib/__init__.py"]
    write_sources(tmp_path / "a", names)
    write_sources(tmp_path / "b", list(reversed(names)))
    for path in (tmp_path / "b").rglob("*.py"):
        os.utime(path, (1_000_000_000, 1_000_000_000))

    first = zip_directory(tmp_path / "a", handler="app.lambda_handler")
    second = zip_directory(tmp_path / "b", handler="app.lambda_handler")

    assert first.data == second.data
    assert first.sha256 == second.sha256
    assert zipfile.ZipFile(io.BytesIO(first.data)).namelist() == ["app.py", "lib/__init__.py", "lib/util.py"]


def test_caches_and_hidden_files_are_left_out(tmp_path: Path) -> None:
    write_sources(tmp_path, ["app.py", "__pycache__/app.cpython-311.pyc", ".env", "stale.pyc"])
    archive = zipfile.ZipFile(io.BytesIO(zip_directory(tmp_path, handler="app.lambda_handler").data))
    assert archive.namelist() == ["app.py"]


def test_a_change_changes_the_hash(tmp_path: Path) -> None:
    write_sources(tmp_path, ["app.py"])
    before = zip_directory(tmp_path, handler="app.lambda_handler").sha256
    (tmp_path / "app.py").write_text("# changed\n")
    assert zip_directory(tmp_path, handler="app.lambda_handler").sha256 != before
