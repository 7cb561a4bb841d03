"""--arn reads a deployed machine with DescribeStateMachine (moto's Step Functions)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from import_helpers import GENERATED, load
from moto import mock_aws

from dsl.importer import cli
from dsl.importer.roundtrip import build_module, load_workflow, same


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> object:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "eu-west-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


def test_a_deployed_machine_imports_exactly(aws: object, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (path,) = [p for p in GENERATED if p.name == "test-run-semaphore.asl.json"]
    document = load(path)
    sfn = boto3.client("stepfunctions", region_name="eu-west-1")
    arn = sfn.create_state_machine(name="load-test", definition=json.dumps(document),
                                   roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
    assert cli.main(["--arn", arn, "--out", str(tmp_path)]) == 0
    module = (tmp_path / "load_test.py").read_text(encoding="utf-8")
    assert f"Source: {arn}" in module and 'Workflow(\n    "load-test"' in module
    assert same(build_module(module), document)
    assert capsys.readouterr().err == ""


def test_an_unknown_machine_is_one_line(aws: object, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:missing"
    assert cli.main(["--arn", arn, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"import: {arn}: DescribeStateMachine failed: ") and err.count("\n") == 1


def test_not_an_arn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--arn", "my-machine", "--out", str(tmp_path)]) == 2
    assert "not a state machine ARN" in capsys.readouterr().err


def test_through_a_moto_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command talks HTTP to whatever endpoint boto3 is configured with (AWS_ENDPOINT_URL)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_ENDPOINT_URL": f"http://{host}:{port}"}.items():
            monkeypatch.setenv(name, value)
        (path,) = [p for p in GENERATED if p.name == "dynamodb-semaphore-cleanfromincomplete.asl.json"]
        sfn = boto3.client("stepfunctions", region_name="us-east-2")
        arn = sfn.create_state_machine(name="cleanup", definition=path.read_text(encoding="utf-8"),
                                       roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
        assert cli.main(["--arn", arn, "--out", str(tmp_path)]) == 0
        assert same(build_module((tmp_path / "cleanup.py").read_text(encoding="utf-8")), load(path))
    finally:
        server.stop()


def test_an_express_machine_stays_express(aws: object, tmp_path: Path) -> None:
    document = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    sfn = boto3.client("stepfunctions", region_name="eu-west-1")
    arn = sfn.create_state_machine(name="quick", definition=json.dumps(document), type="EXPRESS",
                                   roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
    assert cli.main(["--arn", arn, "--out", str(tmp_path)]) == 0
    module = (tmp_path / "quick.py").read_text(encoding="utf-8")
    assert 'type="EXPRESS"' in module
    assert load_workflow(module).type == "EXPRESS"
