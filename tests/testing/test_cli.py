"""``python -m dsl test``: AWS MockConfigFile cases on a workflow not written for this tool (the original sample)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dsl.cli import main

MOCKS = Path(__file__).parent / "data" / "seed-semaphore.mocks.json"
WORK = "Run Lambda Function With Controlled Concurrency"
HEAD = ("Get Lock", "Acquire Lock")
BODY = ("Do Work", "Here", "You", "Do", "Work", WORK)


@pytest.fixture
def seed_semaphore(seed_dir: Path) -> Path:
    return seed_dir / "dynamodb-semaphore.asl.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["test", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_report_of_every_case(seed_semaphore: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(seed_semaphore), "--mock-config", str(MOCKS), "--input", '{"n": 1}',
                           "--format", "json", "--coverage")
    assert (status, err) == (0, "")
    report = json.loads(out)
    done = [{"payload": {"done": True}}]
    assert report["cases"] == [
        {"case": "HappyPath", "status": "SUCCEEDED", "output": done, "error": None, "cause": None,
         "path": [*HEAD, *BODY, "Release Lock", "Success State"]},
        {"case": "BusyThenFree", "status": "SUCCEEDED", "output": done, "error": None, "cause": None,
         "path": [*HEAD, "Get Current Lock Record", "Check If Lock Already Acquired", "Wait to Get Lock",
                  "Acquire Lock", *BODY, "Release Lock", "Success State"]},
        {"case": "FirstUse", "status": "SUCCEEDED", "output": done, "error": None, "cause": None,
         "path": [*HEAD, "Initialize Lock Item", "Acquire Lock", *BODY, "Release Lock", "Success State"]},
        {"case": "WorkFails", "status": "FAILED", "output": None, "error": "Lambda.ServiceException",
         "cause": "worker crashed", "path": [*HEAD, *BODY]},
    ]
    coverage = report["coverage"]
    assert set(coverage) == {"states", "transitions", "choice_rules", "catches", "retries"}
    assert coverage["states"] == {"covered": 14, "total": 15, "missed": ["Continue Because Lock Was Already Acquired"]}
    assert coverage["choice_rules"]["missed"] == ["Check If Lock Already Acquired rule 1"]
    assert coverage["retries"]["missed"] == ["Release Lock retry 2"]


def test_text_report_one_case_and_coverage_gate(seed_semaphore: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(seed_semaphore), "--mock-config", str(MOCKS), "--case", "WorkFails",
                           "--coverage", "--coverage-format", "mermaid", "--fail-under", "100")
    assert status == 1
    assert out.startswith("WorkFails: FAILED (Lambda.ServiceException: worker crashed)\n")
    assert "flowchart TD" in out and "fill:#fde2e2" in out and "linkStyle" in out
    assert err.startswith("dsl test: coverage ") and "under --fail-under 100" in err


def write(tmp_path: Path, doc: Any, name: str = "mocks.json") -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def config(cases: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    return {"StateMachines": {"Semaphore": {"TestCases": cases}}, "MockedResponses": responses}


LOCKED = {"0": {"Return": {"Attributes": {}}}}


@pytest.mark.parametrize(("mocks", "extra", "message"), [
    (config({"A": {"Acquire Lok": "R"}}, {"R": LOCKED}), [],
     r"TestCases\.A: mocked state 'Acquire Lok' is not a state of the workflow; did you mean 'Acquire Lock'"),
    (config({"A": {"Acquire Lock": "Missing"}}, {"R": LOCKED}), [], r"response 'Missing' is not in MockedResponses"),
    (config({"A": {"Acquire Lock": "R"}}, {"R": {"0-2": LOCKED["0"], "2": LOCKED["0"]}}), [],
     r"MockedResponses\.R: call range '2' overlaps call 2"),
    (config({"A": {"Acquire Lock": "R"}}, {"R": {"0": LOCKED["0"], "3-4": LOCKED["0"]}}), [],
     r"MockedResponses\.R: calls 1-2 have no response"),
    (config({"A": {"Acquire Lock": "R"}}, {"R": {"x": LOCKED["0"]}}), [], r"call key 'x': expected \"N\" or \"N-M\""),
    (config({"A": {"Acquire Lock": "R"}}, {"R": {"0": {"Throw": {"Cause": "no error"}}}}), [],
     r"R\.0\.Throw: expected \{\"Error\": string"),
    (config({"A": {"Acquire Lock": "R"}}, {"R": LOCKED}), ["--case", "B"], r"no test case 'B'"),
    (config({"A": {"Acquire Lock": "R"}}, {"R": LOCKED}), ["--machine", "Semafore"],
     r"no state machine 'Semafore'; did you mean Semaphore"),
    ("{not json", [], r"mocks\.json: not JSON"),
    ([], [], r"expected an object with \"StateMachines\""),
    (config({"A": {}}, {}), ["--input", "{oops"], r"--input is not JSON"),
])
def test_bad_input_is_one_line_and_exit_2(seed_semaphore: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          mocks: Any, extra: list[str], message: str) -> None:
    status, out, err = run(capsys, str(seed_semaphore), "--mock-config", write(tmp_path, mocks), *extra)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("dsl test: error: ")
    assert re.search(message, err), err


def test_a_workflow_that_does_not_validate_gets_its_findings(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    broken = write(tmp_path, {"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": True}}}, "broken.asl.json")
    status, out, err = run(capsys, broken, "--mock-config", write(tmp_path, config({}, {})))
    assert status == 1 and out == "" and "Nowhere" in err


def test_a_mock_aws_could_not_return_is_refused(seed_semaphore: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    wrong = config({"A": {"Acquire Lock": "R"}}, {"R": {"0": {"Return": {"Attributes": {"count": {"N": 1}}}}}})
    status, out, err = run(capsys, str(seed_semaphore), "--mock-config", write(tmp_path, wrong))
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "state 'Acquire Lock'" in err and "field Attributes.count.N: expected string, found number" in err


def test_run_without_an_engine_uses_the_shared_one() -> None:
    from dsl.testing import close_shared_engine
    from dsl.testing import run as run_workflow

    try:
        result = run_workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}})
        assert (result.status, result.output, result.path) == ("SUCCEEDED", 1, ("P",))
    finally:
        close_shared_engine()
