"""The public API's types: a chained Task stays a Task; a Choice rule is a ChoiceRule."""

from __future__ import annotations

from pathlib import Path

from mypy import api

from dsl import Choice, Pass, Task, Var
from dsl.states import ChoiceRule

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = '''
from typing import assert_type

from dsl import Task

handler = Task("H", resource="arn:aws:states:::lambda:invoke")
task = Task("T", resource="arn:aws:states:::lambda:invoke").retry(["States.Timeout"]).catch(["States.ALL"], handler)
assert_type(task, Task)
'''


def test_retry_and_catch_keep_the_state_type_for_mypy(tmp_path: Path) -> None:
    (tmp_path / "snippet.py").write_text(SNIPPET, encoding="utf-8")
    (tmp_path / "mypy.ini").write_text(f"[mypy]\nmypy_path = {ROOT}\n", encoding="utf-8")
    out, err, status = api.run(["--strict", "--config-file", str(tmp_path / "mypy.ini"), "--cache-dir",
                                str(tmp_path / "cache"), str(tmp_path / "snippet.py")])
    assert status == 0, out + err


def test_retry_and_catch_return_the_state_itself() -> None:
    task = Task("T", resource="arn:aws:states:::lambda:invoke")
    assert task.retry() is task and task.catch(["States.ALL"], Pass("H")) is task


def test_a_choice_rule_is_a_dataclass() -> None:
    done = Pass("Done")
    choice = Choice("C").when(Var("$.x") == 1, done, assign={"seen": True})
    [rule] = choice.rules
    assert isinstance(rule, ChoiceRule) and rule.target is done and rule.assign == {"seen": True}
    assert rule.output is None and choice.successors() == [done]
