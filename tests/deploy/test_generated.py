"""The real pipeline: definitions/ built by ``python -m dsl build``, checked, deployed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from deployer import Clients, DeployConfig, deploy, plan, prepare
from deployer.errors import InvalidDefinition
from dsl.build import main as build
from tests.samples import SAMPLES, Sample

from .conftest import REPO
from .test_iam import assert_roles_grant_exactly_what_tasks_need
from .test_refusals import refuse


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    assert build(["--definitions", str(REPO / "definitions"), "--out", str(out)]) == 0
    return out


@pytest.fixture
def fresh(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "generated"))


def config(generated: Path, source_root: Path, **overrides: Any) -> DeployConfig:
    options: dict[str, Any] = {"generated_dir": generated, "definitions_dir": REPO / "definitions",
                               "source_root": source_root, **overrides}
    return DeployConfig(**options)


def test_built_definitions_pass_every_check_and_deploy_least_privilege(
        clients: Clients, fresh: Path, source_root: Path) -> None:
    prepared = prepare(config(fresh, source_root))
    assert prepared.warnings == ()

    deploy(config(fresh, source_root), clients, prepared=prepared)

    assert {c.action for c in plan(config(fresh, source_root), clients).changes} == {"unchanged"}
    assert_roles_grant_exactly_what_tasks_need(clients)


def test_stale_generated_is_refused(fresh: Path, source_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fresh / "dynamodb-semaphore.asl.json"
    document = json.loads(path.read_text())
    document["Comment"] = "edited by hand"
    path.write_text(json.dumps(document, indent=2) + "\n")

    line = refuse([], config(fresh, source_root), capsys)

    assert "DEPLOY-STALE" in line and "dynamodb-semaphore.asl.json" in line and "python -m dsl build" in line


def test_a_definition_failing_validate_is_refused(generated: Path, source_root: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = generated / "dynamodb-semaphore.asl.json"
    document = json.loads(path.read_text())
    document["StartAt"] = "Nowhere"
    path.write_text(json.dumps(document))

    line = refuse([], config(generated, source_root, definitions_dir=None), capsys)

    assert "DEPLOY-INVALID" in line and "python -m dsl validate" in line and "Nowhere" in line


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_a_definition_failing_verify_is_refused(sample: Sample, request: pytest.FixtureRequest, generated: Path,
                                                source_root: Path) -> None:
    """The original semaphore (skipped when absent) or the counter_lock fixture that reproduces it:
    its `<>` limit test admits without bound once the count passes the limit."""
    shutil.copyfile(sample.folder(request) / sample.semaphore, generated / "dynamodb-semaphore.asl.json")
    lock = re.escape(sample.names["lock"])
    with pytest.raises(InvalidDefinition, match=rf"dynamodb-semaphore.asl.json:/States/{lock}/.*LOCK-.*"
                                                r"python -m dsl verify"):
        prepare(config(generated, source_root, definitions_dir=None))
