"""One negative fixture per build-time error: the code, the state and the author's line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dsl.build import load_definitions
from dsl.errors import DslError
from dsl.workflow import Workflow

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "flow.py").exists())


def _expectation(case: str) -> tuple[str, int, int | None]:
    first = (FIXTURES / case / "flow.py").read_text().splitlines()[0]
    match = re.match(r"# expect: (DSL\d{3}) line (\d+)(?: other (\d+))?", first)
    assert match, f"{case}: first line must say what error to expect"
    other = match.group(3)
    return match.group(1), int(match.group(2)), int(other) if other else None


@pytest.mark.parametrize("case", CASES)
def test_fixture_raises_its_error_at_the_authors_line(case: str) -> None:
    code, line, other = _expectation(case)
    folder = FIXTURES / case
    with pytest.raises(DslError) as caught:
        for item in load_definitions(folder):
            if isinstance(item, Workflow):
                item.to_asl()
    error = caught.value
    assert error.code == code, str(error)
    text = str(error)
    assert f"flow.py:{line}" in text, text
    if other is not None:
        assert error.other is not None and error.other.line == other, text
    assert "\n" not in text


def test_every_error_code_has_a_fixture() -> None:
    import dsl.errors as errors

    codes = {cls.code for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, DslError) and cls is not DslError}
    covered = {_expectation(case)[0] for case in CASES}
    assert codes - {"DSL012"} <= covered, sorted(codes - covered)


def test_invalid_field_values_are_reported() -> None:
    from dsl import Task, Wait

    with pytest.raises(DslError) as caught:
        Wait("W", seconds=1, timestamp="2024-01-01T00:00:00Z")
    assert caught.value.code == "DSL012" and "exactly one" in str(caught.value)
    with pytest.raises(DslError):
        Task("T", resource="")


@pytest.mark.parametrize("case", ["cross_branch_next", "cross_branch_next_before_branch"])
def test_a_next_into_another_branch_says_what_to_do(case: str) -> None:
    with pytest.raises(DslError) as caught:
        load_definitions(FIXTURES / case)
    text = str(caught.value)
    assert "from 'A' to 'B' crosses from branch 1 of Parallel 'Fan Out' into branch 2" in text, text
    assert "continue after the Parallel" in text and "create a second state" not in text


def test_two_definitions_of_one_file_name_both_sites(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from dsl import Pass, Workflow\n\nA = Workflow('same', Pass('A'))\n")
    (tmp_path / "b.py").write_text("from dsl import DataFile\nB = DataFile('same.asl.json', {})\n")
    with pytest.raises(DslError) as caught:
        load_definitions(tmp_path)
    text = str(caught.value)
    assert caught.value.code == "DSL013" and "two definitions write 'same.asl.json'" in text
    assert f"{tmp_path.name}/b.py:2" in text and f"{tmp_path.name}/a.py:3" in text, text


def test_a_data_file_must_be_plain_json(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from dsl import DataFile, Pass, Workflow\n"
                                   "W = Workflow('w', Pass('A'))\n"
                                   "RULE = DataFile('rule.json', {'Limit': float('inf')})\n")
    with pytest.raises(DslError) as caught:
        load_definitions(tmp_path)
    assert "a.py:3" in str(caught.value) and "inf, which is not JSON" in str(caught.value)
