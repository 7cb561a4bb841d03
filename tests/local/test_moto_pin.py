"""The moto version check: one line and exit 2 on another moto, before any shim is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from local.moto_pin import (
    OVERRIDE_ENV,
    PINNED_MOTO_VERSION,
    MotoVersionError,
    MotoVersionWarning,
    check_moto_version,
    installed_moto_version,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_installed_moto_is_the_pinned_one() -> None:
    assert installed_moto_version() == PINNED_MOTO_VERSION
    check_moto_version()


def test_the_pin_matches_pyproject() -> None:
    assert f"=={PINNED_MOTO_VERSION}" in (REPO / "pyproject.toml").read_text()
    assert f"moto=={PINNED_MOTO_VERSION}" in (REPO / "requirements.lock").read_text()


def test_another_version_is_one_line_naming_both_versions_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OVERRIDE_ENV, raising=False)
    with pytest.raises(MotoVersionError) as caught:
        check_moto_version("5.2.5")
    message = str(caught.value)
    assert "\n" not in message
    assert "moto 5.2.5 is installed" in message and f"needs moto {PINNED_MOTO_VERSION}" in message
    assert "pip install -r requirements.lock" in message


def test_a_missing_moto_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("local.moto_pin.installed_moto_version", lambda: None)
    with pytest.raises(MotoVersionError, match=r"moto is not installed.*\[local\] extra"):
        check_moto_version()


def test_the_override_warns_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OVERRIDE_ENV, "1")
    with pytest.warns(MotoVersionWarning, match="moto 9.9.9 is installed"):
        check_moto_version("9.9.9")


def _fake_moto(tmp_path: Path, version: str) -> dict[str, str]:
    """An environment whose package metadata reports moto ``version`` (moto's code is untouched)."""
    dist = tmp_path / f"moto-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: moto\nVersion: {version}\n")
    env = {k: v for k, v in os.environ.items() if k != OVERRIDE_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(REPO)])
    return env


def test_deploy_local_on_another_moto_exits_2_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "deploy.py", "--local", "--out", str(tmp_path / "run")],
                          cwd=REPO, env=_fake_moto(tmp_path, "5.2.5"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "moto 5.2.5 is installed" in lines[0] and PINNED_MOTO_VERSION in lines[0]
    assert not (tmp_path / "run").exists()


def test_pytest_on_another_moto_exits_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0",
                           "tests/local/test_moto_pin.py::test_the_override_warns_instead"],
                          cwd=REPO, env=_fake_moto(tmp_path, "5.2.5"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "moto 5.2.5 is installed" in done.stdout + done.stderr
