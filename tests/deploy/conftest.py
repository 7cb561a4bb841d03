"""Fixtures for the deploy tests: moto, boto3 clients, generated files in a temp dir."""

from __future__ import annotations

import json
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
SEED = REPO.parent / "shared" / "seed" / "statemachines"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
READ_PREFIXES = ("Describe", "Get", "List")

# The cleanup rule in the format TEAM.md fixes for generated/cleanup-rule.json.
CLEANUP_RULE = {
    "EventPattern": {
        "source": ["aws.states"],
        "detail-type": ["Step Functions Execution Status Change"],
        "detail": {"stateMachineArn": ["${SF_StateMachineSemaphore}"], "status": ["FAILED", "TIMED_OUT", "ABORTED"]},
    },
    "Target": "dynamodb-semaphore-cleanfromincomplete.asl.json",
}


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


def copy_seed(target: Path) -> Path:
    """The original sample's three definitions and the cleanup rule, as a generated/ folder.

    They are fixed reference data, so these tests do not move when the DSL's
    output does; tests of the real generated/ are in test_generated.py.
    """
    target.mkdir(parents=True, exist_ok=True)
    for path in SEED.glob("*.asl.json"):
        shutil.copyfile(path, target / path.name)
        (target / path.name).chmod(0o644)
    (target / "cleanup-rule.json").write_text(json.dumps(CLEANUP_RULE, indent=2) + "\n")
    return target


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    return copy_seed(tmp_path / "generated")


@pytest.fixture
def source_root(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "functions").mkdir(parents=True)
    (root / "functions" / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    return root


@pytest.fixture
def make_config(generated: Path, source_root: Path) -> Any:
    def make(**overrides: Any) -> DeployConfig:
        # The originals fail verify by design (that is why the project exists).
        options: dict[str, Any] = {"generated_dir": generated, "source_root": source_root, "definitions_dir": None,
                                   "check_definitions": False}
        options.update(overrides)
        return DeployConfig(**options)
    return make
