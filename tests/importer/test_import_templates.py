"""CloudFormation and SAM templates: every state machine, placeholders kept, short-form tags read."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import FIXTURES

from dsl.importer import cfn_yaml, cli
from dsl.importer.errors import SourceError
from dsl.importer.roundtrip import build_module, same
from dsl.importer.sources import Source, read_path


def sources(name: str) -> list[Source | SourceError]:
    return read_path(str(FIXTURES / name))


def test_short_form_tags_parse() -> None:
    text = ("A: !Ref Table\nB: !GetAtt Fn.Arn\nC: !Sub '${X}-y'\nD: !Join [',', [a, !Ref B]]\n"
            "E: !GetAtt [Fn, Arn]\nF: !If [Cond, 1, 2]\nG: !Sub\n  - '${A}'\n  - A: 1\n")
    assert cfn_yaml.load(text) == {
        "A": {"Ref": "Table"}, "B": {"Fn::GetAtt": ["Fn", "Arn"]}, "C": {"Fn::Sub": "${X}-y"},
        "D": {"Fn::Join": [",", ["a", {"Ref": "B"}]]}, "E": {"Fn::GetAtt": ["Fn", "Arn"]},
        "F": {"Fn::If": ["Cond", 1, 2]}, "G": {"Fn::Sub": ["${A}", {"A": 1}]}}


def test_timestamps_stay_strings() -> None:
    assert cfn_yaml.load("T: 2026-01-01T00:00:00Z\nD: 2026-01-01\n") == {
        "T": "2026-01-01T00:00:00Z", "D": "2026-01-01"}


def test_sam_definition_and_definition_uri() -> None:
    inline, from_file = sources("sam-template.yaml")
    assert isinstance(inline, Source) and isinstance(from_file, Source)
    assert (inline.module, inline.workflow) == ("order_flow", "order-flow")
    assert (from_file.module, from_file.workflow) == ("nightly_report", "NightlyReport")
    assert (inline.express, from_file.express) == (False, True)
    assert inline.document["States"]["Load Order"]["Parameters"]["TableName"] == "${Orders}"
    assert from_file.document["States"]["Collect"]["Parameters"]["Bucket"] == "${ReportBucket}"
    for source in (inline, from_file):
        text = cli.convert(source)
        assert same(build_module(text), source.document)
    assert 'type="EXPRESS"' in cli.convert(from_file)
    text = cli.convert(inline)
    assert 'type=' not in text
    assert 'table="${Orders}"' in text and 'function="${ChargeFn}"' in text
    assert ".retry(aws_lambda.SERVICE_ERRORS, interval=1" in text


def test_cloudformation_definition_string_sub_and_s3_refusal() -> None:
    poller, archive = sources("cfn-template.json")
    assert isinstance(poller, Source) and isinstance(archive, SourceError)
    assert str(archive).endswith("cfn-template.json: Archive: DefinitionS3Location: the definition is "
                                 "in S3; download it and import the file")
    assert (poller.module, poller.workflow) == ("job_poller", "job-poller")
    parameters = poller.document["States"]["Submit"]["Parameters"]
    assert parameters["JobQueue"] == "${JobQueue}"
    assert parameters["JobDefinition"] == "arn:aws:batch:${AWS::Region}:${AWS::AccountId}:job-definition/report"
    text = cli.convert(poller)
    assert same(build_module(text), poller.document)
    assert '(Var("$.status.status") == "FAILED") | ~Var("$.status.status").is_present()' in text


def test_cloudformation_yaml_join_with_sub() -> None:
    (notifier,) = sources("cfn-template.yaml")
    assert isinstance(notifier, Source)
    assert (notifier.module, notifier.workflow) == ("notifier", "Notifier")  # the name is a !Sub
    assert notifier.document["States"]["Notify"]["Parameters"] == {"TopicArn": "${Topic}",
                                                                    "Message.$": "$.text"}
    assert same(build_module(cli.convert(notifier)), notifier.document)


def test_functions_inside_a_definition_become_placeholders(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
        "      Definition:\n        StartAt: T\n        States:\n          T:\n            Type: Task\n"
        "            Resource: !GetAtt Fn.Arn\n            Parameters:\n              Queue: !Ref Q\n"
        "              Url: !Sub 'https://${Host}/x'\n            End: true\n", encoding="utf-8")
    (machine,) = read_path(str(template))
    assert isinstance(machine, Source)
    assert machine.document["States"]["T"]["Resource"] == "${Fn.Arn}"
    assert machine.document["States"]["T"]["Parameters"] == {"Queue": "${Q}", "Url": "https://${Host}/x"}


def test_an_unsupported_function_is_one_line(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
        "      Definition:\n        StartAt: T\n        States:\n          T:\n            Type: Pass\n"
        "            Result: !If [C, 1, 2]\n            End: true\n", encoding="utf-8")
    (error,) = read_path(str(template))
    assert isinstance(error, SourceError)
    assert "M: Definition: Fn::If cannot be kept as a placeholder" in str(error)


def test_cli_writes_every_machine_and_reports_the_s3_one(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main([str(FIXTURES / "cfn-template.json"), str(FIXTURES / "sam-template.yaml"),
                     "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "DefinitionS3Location" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job_poller.py", "nightly_report.py",
                                                          "order_flow.py"]


def test_the_docs_show_what_the_command_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli.main([str(FIXTURES / "cfn-template.json"), "--out", str(tmp_path)])
    capsys.readouterr()
    docs = (FIXTURES.parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    assert (tmp_path / "job_poller.py").read_text(encoding="utf-8") in docs
