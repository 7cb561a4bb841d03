"""``python -m dsl test``: AWS MockConfigFile cases on workflows not written for this tool (the original sample, and
the project's counter-lock semaphore in its style, so that every check also runs without the sample)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dsl.cli import main
from tests.samples import SAMPLES, Sample

DATA = Path(__file__).parent / "data"
DONE = [{"payload": {"done": True}}]


@dataclass(frozen=True)
class Expected:
    """What ``dsl test`` reports for one sample's mocks: each case's path, and the coverage."""

    mocks: str
    typo: str
    paths: dict[str, list[str]]
    states: dict[str, Any]
    choice_missed: list[str]
    retry_missed: list[str]


SEED_HEAD = ["Get Lock", "Acquire Lock"]
SEED_BODY = ["Do Work", "Here", "You", "Do", "Work", "Run Lambda Function With Controlled Concurrency"]
COUNTER_BODY = ["Guarded Work", "Prepare Input", "Call Worker"]
EXPECTED = {
    "seed": Expected("seed-semaphore.mocks.json", "Acquire Lok", {
        "HappyPath": [*SEED_HEAD, *SEED_BODY, "Release Lock", "Success State"],
        "BusyThenFree": [*SEED_HEAD, "Get Current Lock Record", "Check If Lock Already Acquired", "Wait to Get Lock",
                         "Acquire Lock", *SEED_BODY, "Release Lock", "Success State"],
        "FirstUse": [*SEED_HEAD, "Initialize Lock Item", "Acquire Lock", *SEED_BODY, "Release Lock", "Success State"],
        "WorkFails": [*SEED_HEAD, *SEED_BODY],
    }, {"covered": 14, "total": 15, "missed": ["Continue Because Lock Was Already Acquired"]},
        ["Check If Lock Already Acquired rule 1"], ["Release Lock retry 2"]),
    # Claim Slot's States.ALL retrier retries a refusal 4 times (calls 0-4) before the catch reads the
    # item; the item without this execution's timestamp sends it to the pause and call 5 claims.
    "counter_lock": Expected("counter-semaphore.mocks.json", "Claim Slt", {
        "HappyPath": ["Take Slot", "Claim Slot", *COUNTER_BODY, "Give Back Slot", "Finished"],
        "BusyThenFree": ["Take Slot", "Claim Slot", "Read Lock Item", "Already Holding?", "Pause Before Retry",
                         "Claim Slot", *COUNTER_BODY, "Give Back Slot", "Finished"],
        "FirstUse": ["Take Slot", "Claim Slot", "Create Lock Item", "Claim Slot", *COUNTER_BODY, "Give Back Slot",
                     "Finished"],
        "WorkFails": ["Take Slot", "Claim Slot", *COUNTER_BODY],
    }, {"covered": 11, "total": 12, "missed": ["Holding Already"]},
        ["Already Holding? rule 1"], ["Give Back Slot retry 2"]),
}


@dataclass(frozen=True)
class Subject:
    """A sample's semaphore ASL, its MockConfigFile, the name of its acquire state and what to expect."""

    asl: str
    mocks: str
    acquire: str
    expected: Expected


@pytest.fixture(params=SAMPLES, ids=[sample.name for sample in SAMPLES])
def subject(request: pytest.FixtureRequest) -> Subject:
    sample: Sample = request.param
    expected = EXPECTED[sample.name]
    return Subject(str(sample.folder(request) / sample.semaphore), str(DATA / expected.mocks),
                   sample.names["acquire"], expected)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["test", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_report_of_every_case(subject: Subject, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, subject.asl, "--mock-config", subject.mocks, "--input", '{"n": 1}',
                           "--format", "json", "--coverage")
    assert (status, err) == (0, "")
    report = json.loads(out)
    paths = subject.expected.paths
    assert report["cases"] == [
        {"case": "HappyPath", "status": "SUCCEEDED", "output": DONE, "error": None, "cause": None,
         "path": paths["HappyPath"]},
        {"case": "BusyThenFree", "status": "SUCCEEDED", "output": DONE, "error": None, "cause": None,
         "path": paths["BusyThenFree"]},
        {"case": "FirstUse", "status": "SUCCEEDED", "output": DONE, "error": None, "cause": None,
         "path": paths["FirstUse"]},
        {"case": "WorkFails", "status": "FAILED", "output": None, "error": "Lambda.ServiceException",
         "cause": "worker crashed", "path": paths["WorkFails"]},
    ]
    coverage = report["coverage"]
    assert set(coverage) == {"states", "transitions", "choice_rules", "catches", "retries"}
    assert coverage["states"] == subject.expected.states
    assert coverage["choice_rules"]["missed"] == subject.expected.choice_missed
    assert coverage["retries"]["missed"] == subject.expected.retry_missed


def test_text_report_one_case_and_coverage_gate(subject: Subject, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, subject.asl, "--mock-config", subject.mocks, "--case", "WorkFails",
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


LOCKED: dict[str, Any] = {"0": {"Return": {"Attributes": {}}}}
Mocks = Callable[[Subject], Any]


def mocks_on(responses: dict[str, Any]) -> Mocks:
    """A config whose one case mocks the sample's acquire state with response R."""
    return lambda subject: config({"A": {subject.acquire: "R"}}, responses)


@pytest.mark.parametrize(("mocks", "extra", "message"), [
    (lambda subject: config({"A": {subject.expected.typo: "R"}}, {"R": LOCKED}), [],
     r"TestCases\.A: mocked state '<typo>' is not a state of the workflow; did you mean '<acquire>'"),
    (lambda subject: config({"A": {subject.acquire: "Missing"}}, {"R": LOCKED}), [],
     r"response 'Missing' is not in MockedResponses"),
    (mocks_on({"R": {"0-2": LOCKED["0"], "2": LOCKED["0"]}}), [], r"MockedResponses\.R: call range '2' overlaps call 2"),
    (mocks_on({"R": {"0": LOCKED["0"], "3-4": LOCKED["0"]}}), [], r"MockedResponses\.R: calls 1-2 have no response"),
    (mocks_on({"R": {"x": LOCKED["0"]}}), [], r"call key 'x': expected \"N\" or \"N-M\""),
    (mocks_on({"R": {"0": {"Throw": {"Cause": "no error"}}}}), [], r"R\.0\.Throw: expected \{\"Error\": string"),
    (mocks_on({"R": LOCKED}), ["--case", "B"], r"no test case 'B'"),
    (mocks_on({"R": LOCKED}), ["--machine", "Semafore"], r"no state machine 'Semafore'; did you mean Semaphore"),
    (lambda subject: "{not json", [], r"mocks\.json: not JSON"),
    (lambda subject: [], [], r"expected an object with \"StateMachines\""),
    (lambda subject: config({"A": {}}, {}), ["--input", "{oops"], r"--input is not JSON"),
])
def test_bad_input_is_one_line_and_exit_2(subject: Subject, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          mocks: Mocks, extra: list[str], message: str) -> None:
    status, out, err = run(capsys, subject.asl, "--mock-config", write(tmp_path, mocks(subject)), *extra)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("dsl test: error: ")
    names = message.replace("<typo>", re.escape(subject.expected.typo)).replace("<acquire>", re.escape(subject.acquire))
    assert re.search(names, err), err


def test_a_workflow_that_does_not_validate_gets_its_findings(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    broken = write(tmp_path, {"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": True}}}, "broken.asl.json")
    status, out, err = run(capsys, broken, "--mock-config", write(tmp_path, config({}, {})))
    assert status == 1 and out == "" and "Nowhere" in err


def test_a_mock_aws_could_not_return_is_refused(subject: Subject, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    wrong = config({"A": {subject.acquire: "R"}}, {"R": {"0": {"Return": {"Attributes": {"count": {"N": 1}}}}}})
    status, out, err = run(capsys, subject.asl, "--mock-config", write(tmp_path, wrong))
    assert status == 2 and out == "" and err.count("\n") == 1
    assert f"state '{subject.acquire}'" in err and "field Attributes.count.N: expected string, found number" in err


def test_run_without_an_engine_uses_the_shared_one() -> None:
    from dsl.testing import close_shared_engine
    from dsl.testing import run as run_workflow

    try:
        result = run_workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}})
        assert (result.status, result.output, result.path) == ("SUCCEEDED", 1, ("P",))
    finally:
        close_shared_engine()
