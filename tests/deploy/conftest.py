"""Fixtures for the deploy tests: moto, boto3 clients, generated files in a temp dir."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from deployer import Clients, DeployConfig

REPO = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
READ_PREFIXES = ("Describe", "Get", "List")

# The files of generated/ that the deployer reads: four machines and two rules.
GENERATED_FILES = ("dynamodb-semaphore.asl.json", "dynamodb-semaphore-cleanfromincomplete.asl.json",
                   "dynamodb-semaphore-reconciler.asl.json", "test-run-semaphore.asl.json",
                   "cleanup-rule.json", "reconciler-rule.json")


@dataclass
class CallLog:
    """Every AWS operation the clients sent, in order, as ``service:Operation``."""

    calls: list[str] = field(default_factory=list)
    interrupt_after_writes: int | None = None

    @property
    def writes(self) -> list[str]:
        return [c for c in self.calls if not c.split(":", 1)[1].startswith(READ_PREFIXES)]

    def clear(self) -> None:
        self.calls.clear()

    def hook(self, model: Any, **_: Any) -> None:
        name = f"{model.service_model.service_name}:{model.name}"
        is_write = not model.name.startswith(READ_PREFIXES)
        if is_write and self.interrupt_after_writes is not None and len(self.writes) >= self.interrupt_after_writes:
            raise Interrupted(name)
        self.calls.append(name)


class Interrupted(Exception):
    """Stands for the deploy process being killed before this call."""


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def call_log() -> CallLog:
    return CallLog()


@pytest.fixture
def clients(aws: None, call_log: CallLog) -> Clients:
    made = Clients.from_session(boto3.session.Session(), region=REGION)
    for client in made.all():
        client.meta.events.register("before-call", call_log.hook)
    return made


def copy_generated(target: Path) -> Path:
    """The repository's generated/ files, copied so that a test may edit them.

    test_generated.py checks that they are what the definitions build and that
    they pass validate and verify; here they are the input of the deployer.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in GENERATED_FILES:
        shutil.copyfile(REPO / "generated" / name, target / name)
        (target / name).chmod(0o644)
    return target


def tasks_in(value: Any) -> list[dict[str, Any]]:
    """Every Task state anywhere in a document, found by shape rather than by structure."""
    if isinstance(value, list):
        return [t for v in value for t in tasks_in(v)]
    if not isinstance(value, dict):
        return []
    found = [value] if value.get("Type") == "Task" else []
    return found + [t for v in value.values() for t in tasks_in(v)]


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    return copy_generated(tmp_path / "generated")


@pytest.fixture
def source_root(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "functions").mkdir(parents=True)
    (root / "functions" / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    return root


@pytest.fixture
def make_config(generated: Path, source_root: Path) -> Any:
    def make(**overrides: Any) -> DeployConfig:
        # validate and verify are left to test_generated.py: they take time, and the refusal tests
        # edit definitions into shapes that must reach the deployer's own checks.
        options: dict[str, Any] = {"generated_dir": generated, "source_root": source_root, "definitions_dir": None,
                                   "check_definitions": False}
        options.update(overrides)
        return DeployConfig(**options)
    return make
