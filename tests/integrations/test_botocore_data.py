"""The direct reader of botocore's data folder gives what botocore's own loader gives."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import botocore.loaders
import pytest

from dsl.integrations import botocore_data

LOADER = botocore.loaders.create_loader()


@pytest.mark.parametrize("service", [
    "dynamodb",       # two API versions; the newest is gzipped
    "stepfunctions",  # gzipped
    "eks",            # sdk-extras merge its serviceId
    "s3",             # sdk-extras add a shape
    "secretsmanager",  # sdk-extras
    "sqs", "lambda", "ecs", "sns", "rds"])
def test_the_same_model_as_botocore(service: str) -> None:
    assert botocore_data.service_model(service) == LOADER.load_service_model(service, "service-2")
    assert botocore_data.latest_version(service) == LOADER.determine_latest_version(service, "service-2")


def test_the_cases_the_comparison_covers_exist() -> None:
    # Guards the parametrisation above: a gzipped model, an older version beside it, sdk-extras.
    root = Path(botocore_data.search_paths()[-1])
    assert (root / "dynamodb" / "2012-08-10" / "service-2.json.gz").is_file()
    assert (root / "dynamodb" / "2011-12-05").is_dir()
    assert (root / "eks" / botocore_data.latest_version("eks") / "service-2.sdk-extras.json").is_file()
    assert botocore_data.service_model("eks")["metadata"]["serviceId"] == "EKS"  # type: ignore[index]


def test_the_same_service_list_as_botocore() -> None:
    assert list(botocore_data.service_names()) == LOADER.list_available_services("service-2")


@pytest.mark.parametrize("name", ["", "nosuchservice", "../dynamodb", ".hidden", "dynamodb/2012-08-10"])
def test_no_model_is_none(name: str) -> None:
    assert botocore_data.service_model(name) is None


def test_a_users_model_comes_first_and_a_newer_version_wins(tmp_path: Path) -> None:
    # ~/.aws/models is searched before botocore's folder, as botocore does; the newest version wins.
    models = tmp_path / ".aws" / "models" / "dynamodb" / "2099-01-01"
    models.mkdir(parents=True)
    with gzip.open(models / "service-2.json.gz", "wt", encoding="utf-8") as handle:
        json.dump({"metadata": {"serviceId": "Mine"}, "operations": {}, "shapes": {}}, handle)
    code = ("import botocore.loaders; from dsl.integrations import botocore_data as b; "
            "mine = b.service_model('dynamodb'); theirs = botocore.loaders.create_loader()"
            ".load_service_model('dynamodb', 'service-2'); "
            "print(mine['metadata']['serviceId'], mine == theirs)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "HOME": str(tmp_path)}, cwd=Path(__file__).parents[2])
    assert run.stdout.strip() == "Mine True"


def test_validate_does_not_import_botocore() -> None:
    corpus = Path(__file__).parents[1] / "validate" / "corpus"
    sdk_file = next(p for p in sorted(corpus.glob("*.asl.json")) if "aws-sdk:" in p.read_text(encoding="utf-8"))
    code = (f"import sys; from dsl.cli import main; main(['validate', {str(sdk_file)!r}]); "
            "print('imported botocore:', 'botocore' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                         cwd=Path(__file__).parents[2])
    assert run.stdout.splitlines()[-1] == "imported botocore: False", run.stdout + run.stderr
