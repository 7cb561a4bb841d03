"""The original sample's files, verified: what is wrong with them, exactly.

Each test runs on the original (skipped when ../shared/seed is absent) and on the
project's counter_lock fixtures, which reproduce the original's defects
(tests/samples.py), so every finding is proven without the original too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from verify_asl import rule_for

from semaphore.verify import VerifyFinding, verify
from semaphore.verify.cli import main
from tests.samples import SAMPLES, Sample


@pytest.fixture(params=SAMPLES, ids=[s.name for s in SAMPLES])
def sample(request: pytest.FixtureRequest) -> Sample:
    the_sample: Sample = request.param
    the_sample.folder(request)  # skips the seed when it is absent
    return the_sample


def _pointers(sample: Sample) -> tuple[str, str]:
    """(the acquire, the work Task) of ``sample``'s semaphore."""
    n = sample.names
    return (f"/States/{n['lock']}/Branches/0/States/{n['acquire']}",
            f"/States/{n['work_box']}/Branches/0/States/{n['work']}")


def test_original_findings(sample: Sample, request: pytest.FixtureRequest) -> None:
    n = sample.names
    acquire, work = _pointers(sample)
    machine = sample.load(request, sample.semaphore)
    cleanup = sample.load(request, sample.cleanup)
    found = [f for f in verify(machine, cleanup=cleanup) if isinstance(f, VerifyFinding)]
    assert {(f.document, f.pointer, f.rule, f.severity) for f in found} == {
        # the `<>` limit test admits without bound once the count is above the limit
        ("", acquire + "/Parameters/ConditionExpression", "LOCK-LIMIT", "error"),
        # the sample has no rule file: cleanup coverage is unproven
        ("", acquire, "LOCK-CLEANUP-RULE", "error"),
        # the cleanup decides on an eventually consistent getItem
        ("cleanup", f"/States/{n['cleanup_check']}", "LOCK-STALE-READ", "error"),
        # and nothing covers the cleanup failing after its retries
        ("cleanup", f"/States/{n['cleanup_read']}", "LOCK-CLEANUP-FAIL", "warning"),
        # the Lambda Task has no TimeoutSeconds: a stopped execution's work outlives its slot
        ("", work, "LOCK-WORK-BOUND", "warning"),
        # nor a redrive guard: a redrive after the cleanup released its slot runs the work without one
        ("", work, "LOCK-REDRIVE", "warning"),
    }
    limit = next(f for f in found if f.rule == "LOCK-LIMIT")
    assert f"`{n['count']} <> {n['limit']}`" in limit.message and "use `<`" in limit.message
    stale = next(f for f in found if f.rule == "LOCK-STALE-READ")
    assert stale.witness == (f"{n['cleanup_read']} -> {n['cleanup_check']} -[Default]-> {n['cleanup_end']} "
                             "-> (succeeded)")


def test_original_with_the_deployed_rule(sample: Sample, request: pytest.FixtureRequest) -> None:
    """With the rule the original Terraform creates (as data), only the defects remain."""
    found = verify(sample.load(request, sample.semaphore), cleanup=sample.load(request, sample.cleanup),
                   rule=rule_for(sample.cleanup), cleanup_name=sample.cleanup)
    assert sorted(f.rule for f in found if f.severity == "error") == ["LOCK-LIMIT", "LOCK-STALE-READ"]


def test_the_test_workflow_takes_no_lock(sample: Sample, request: pytest.FixtureRequest) -> None:
    assert verify(sample.load(request, sample.test_run)) == []


def test_cli_on_a_copy_of_the_sample_folder(sample: Sample, request: pytest.FixtureRequest, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    acquire, work = _pointers(sample)
    for file in sample.folder(request).glob("*.json"):  # a rule file there would be used
        shutil.copy(file, tmp_path / file.name)
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    machine = str(tmp_path / sample.semaphore)
    cleanup = str(tmp_path / sample.cleanup)
    assert f"{machine}:{acquire}/Parameters/ConditionExpression: LOCK-LIMIT" in "\n".join(out)
    check = sample.names["cleanup_check"]
    assert any(line.startswith(f"{cleanup}:/States/{check}: LOCK-STALE-READ") for line in out)
    assert any(line.endswith("[warning]") and "LOCK-CLEANUP-FAIL" in line for line in out)
    assert any(line.startswith(f"{machine}:{work}: LOCK-WORK-BOUND") and line.endswith("[warning]") for line in out)
    assert any(line.startswith(f"{machine}:{work}: LOCK-REDRIVE") and line.endswith("[warning]") for line in out)
    assert len(out) == 7 and " files checked: " in out[-1]  # six findings, then the summary
