"""The command line: what is written, what is refused, and how bad input is reported."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from import_helpers import CORPUS, FIXTURES, GENERATED, REPO, SEED_FILES, load, need_seed

from dsl.importer import cli
from dsl.importer.roundtrip import build_module, same

PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_writes_one_module_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *map(str, GENERATED), "--out", str(tmp_path / "defs"))
    assert (code, err) == (0, "")
    written = sorted(p.name for p in (tmp_path / "defs").iterdir())
    assert written == ["dynamodb_semaphore.py", "dynamodb_semaphore_cleanfromincomplete.py",
                       "dynamodb_semaphore_reconciler.py", "test_run_semaphore.py"]
    assert out.count("written: ") == 4


def test_invalid_asl_gets_validate_findings_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.asl.json", {"StartAt": "A", "States": {"A": {"Type": "Pass", "Nex": "B"}}})
    code, out, err = run(capsys, str(bad), "--out", str(tmp_path / "out"))
    assert code == 1
    assert f"{bad}:/States/A/Nex: SCHEMA" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "file is empty"),
    (b"{not json", "invalid JSON at line 1 column 2"),
    (b"foo: [1", "invalid YAML at line 1 column 8"),
    (b"- 1\n- 2\n", "top level is a list"),
    (b"{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}", "a template with no"),
    (b"{\"Hello\": 1}", "unknown shape"),
    (b"\x00\x01", "binary"),
])
def test_bad_sources_get_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             content: bytes, expected: str) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(content)
    code, out, err = run(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"import: {path}: ") and expected in err, err
    assert not (tmp_path / "out").exists()


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.json"), str(tmp_path))
    assert code == 2
    assert err.splitlines() == [f"import: {tmp_path / 'nope.json'}: no such file",
                                f"import: {tmp_path}: is a directory; expected an ASL file or a template"]


def test_existing_module_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "hello.asl.json", PASS)
    target = tmp_path / "out" / "hello.py"
    target.parent.mkdir()
    target.write_text("# mine\n", encoding="utf-8")
    code, _, err = run(capsys, str(source), "--out", str(target.parent))
    assert code == 2 and "exists; pass --force to replace it" in err
    assert target.read_text(encoding="utf-8") == "# mine\n"
    code, _, _ = run(capsys, str(source), "--out", str(target.parent), "--force")
    assert code == 0 and 'Workflow("hello"' in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["hello.py"]  # no temp file left


def test_two_sources_for_one_module_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    first = write(tmp_path / "a" / "flow.asl.json", PASS)
    second = write(tmp_path / "flow.json", PASS)
    code, _, err = run(capsys, str(first), str(second), "--out", str(tmp_path / "out"))
    assert code == 2 and "another source in this run also writes" in err


def test_what_the_dsl_cannot_write_is_refused_naming_state_and_field(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "f"}, "End": True,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "Comment": "why"}]},
        "F": {"Type": "Fail"}}}
    path = write(tmp_path / "catch-comment.asl.json", document)
    code, out, err = run(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err == f"import: {path}: refused: state 'T' field Catch[0].Comment: is not a Catch field the DSL writes\n"
    assert not (tmp_path / "out").exists()


def test_a_jsonata_condition_not_in_the_dsl_form_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Condition": "{%$states.input.ok%}", "Next": "S"}],
              "Default": "S"},
        "S": {"Type": "Succeed"}}}
    path = write(tmp_path / "tight.asl.json", document)
    code, _, err = run(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 1 and "refused: state 'C' field Choices[0]: Condition is not written" in err


def test_stdin_and_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "StartAt: W\nStates:\n  W:\n    Type: Wait\n    Timestamp: 2026-01-01T00:00:00Z\n    End: true\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, err = run(capsys, "-", "--name", "from-stdin", "--out", str(tmp_path))
    assert (code, err) == (0, "")
    module = (tmp_path / "from_stdin.py").read_text(encoding="utf-8")
    assert 'Workflow("from-stdin"' in module
    assert build_module(module)["States"]["W"]["Timestamp"] == "2026-01-01T00:00:00Z"


def test_seed_builds_with_checks_reporting_only(tmp_path: Path) -> None:
    """The original sample's lock defects block a build; --checks-report-only reports them."""
    need_seed()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "dsl", "import", *map(str, SEED_FILES), "--out",
                    str(tmp_path / "defs")], cwd=REPO, check=True, env=env, capture_output=True)
    build = [sys.executable, "-m", "dsl", "build", "--definitions", str(tmp_path / "defs"),
             "--out", str(tmp_path / "gen")]
    refused = subprocess.run(build, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "LOCK-" in refused.stderr
    assert not (tmp_path / "gen").exists()
    reported = subprocess.run([*build, "--checks-report-only"], cwd=REPO, env=env, capture_output=True,
                              text=True, check=False)
    assert reported.returncode == 0, reported.stderr
    assert "python -m dsl build: check (not blocking, --checks-report-only): dynamodb-semaphore.asl.json:" in reported.stderr
    for path in SEED_FILES:
        assert same(load(tmp_path / "gen" / path.name), load(path)), path.name


def test_corpus_and_generated_build_through_the_real_build(tmp_path: Path) -> None:
    """``python -m dsl build`` of the imported modules writes back every source document."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "dsl", "import", *map(str, GENERATED + CORPUS), "--out",
                    str(tmp_path / "defs")], cwd=REPO, check=True, env=env, capture_output=True)
    built = subprocess.run([sys.executable, "-m", "dsl", "build", "--definitions", str(tmp_path / "defs"),
                            "--out", str(tmp_path / "gen"), "--checks-report-only"], cwd=REPO, env=env,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    for path in GENERATED + CORPUS:
        assert same(load(tmp_path / "gen" / path.name), load(path)), path.name


def test_same_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "dsl", "import", *map(str, GENERATED), "--out", str(out)],
                       cwd=REPO, check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)})
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 4


def test_a_yaml_asl_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(FIXTURES / "nightly-report.asl.yaml"), "--out", str(tmp_path))
    assert (code, err) == (0, "")
    module = (tmp_path / "nightly_report.py").read_text(encoding="utf-8")
    assert 'NIGHTLY_REPORT = Workflow(\n    "nightly-report",' in module
    assert 'aws_sdk.call(\n    "Collect",\n    "s3",\n    "listObjectsV2",\n    Bucket="${ReportBucket}",\n' \
        '    Prefix=States.format("day={}/", P("$.day")),' in module


def test_an_out_folder_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "hello.asl.json", PASS)
    blocker = tmp_path / "out"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run(capsys, str(source), "--out", str(blocker))
    assert code == 2 and err.startswith(f"import: {blocker / 'hello.py'}: cannot write: ")
    assert err.count("\n") == 1


def test_the_dsls_warnings_are_left_to_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A variable no state assigns is the build's warning to give, not a Python warning here."""
    source = write(tmp_path / "unassigned.asl.json", {"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": "{% $missing %}", "End": True}}})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, out, err = run(capsys, str(source), "--out", str(tmp_path / "out"))
    assert (code, err, caught) == (0, "", [])


def test_a_refused_keyword_helper_falls_back_to_task(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyword helpers check requests against the service model; when the module they give is
    refused, the Task is written with Task(resource=...) and checked again."""
    from dsl.importer.emit import Refused
    from dsl.importer.sources import read_path

    (source,) = read_path(str(FIXTURES / "nightly-report.asl.yaml"))
    real_check = cli.check
    calls: list[str] = []

    def refuse_first(text: str, document: dict[str, object], *, express: bool = False) -> None:
        calls.append(text)
        if len(calls) == 1:
            raise Refused("Collect", "Parameters", "refused for the test")
        real_check(text, document, express=express)

    monkeypatch.setattr(cli, "check", refuse_first)
    text = cli.convert(source)
    assert "aws_sdk.call(" in calls[0] and len(calls) == 2
    assert 'resource="arn:aws:states:::aws-sdk:s3:listObjectsV2"' in text and "aws_sdk" not in text
