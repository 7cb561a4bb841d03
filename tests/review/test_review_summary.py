"""The per-workflow review summary (generated/<name>.md text)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from mermaid_parse import parse
from review_support import REPO, WORKFLOWS, generated

from dsl.build import compile_documents, load_definitions
from dsl.checks import Outcome, Subject, run_checks
from dsl.graph import build_graph
from dsl.iam import required_permissions
from dsl.review import render_summary
from dsl.workflow import Workflow
from semaphore.checks import CHECKS
from semaphore.verify import verify

SECTIONS = ["## Diagram", "## States", "## IAM actions the workflow needs", "## Placeholders", "## Verify result"]


def _context(name: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The cleanup workflow and rule that apply to ``name`` (the workflows that hold a lock have them)."""
    rule: dict[str, Any] = json.loads((REPO / "generated" / "cleanup-rule.json").read_text(encoding="utf-8"))
    if name == "dynamodb-semaphore":
        return generated(rule["Target"].removesuffix(".asl.json")), rule
    return None, None


@pytest.fixture(scope="module")
def outcomes() -> dict[str, list[Outcome]]:
    """Each workflow's check outcomes, as the build computes them from definitions/."""
    items = load_definitions(REPO / "definitions")
    documents = compile_documents(items)
    return {item.name: run_checks(CHECKS, Subject(item.name, item.file_name, documents, item.checks))
            for item in items if isinstance(item, Workflow)}


def _section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    following = [text.index(h + "\n") for h in SECTIONS if text.index(h + "\n") > start] if heading in SECTIONS else []
    return text[start:min(following, default=len(text))]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_summary_of_each_generated_workflow(name: str, outcomes: dict[str, list[Outcome]]) -> None:
    doc = generated(name)
    cleanup, rule = _context(name)
    text = render_summary(name, doc, outcomes=outcomes[name])
    assert text == render_summary(name, json.loads(json.dumps(doc)), outcomes=outcomes[name])
    assert text == (REPO / "generated" / f"{name}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Workflow `{name}`\n") and text.endswith("\n") and not text.endswith("\n\n")
    assert [h for h in re.findall(r"^## .*$", text, re.MULTILINE)] == SECTIONS

    mermaid = re.search(r"```mermaid\n(.*?)```\n", text, re.DOTALL)
    assert mermaid is not None
    drawn = parse(mermaid.group(1))
    graph = build_graph(doc)
    states = list(graph.states())
    for node in states:
        drawn.node_named(node.name)

    rows = [line for line in _section(text, "## States").splitlines() if line.startswith("| `")]
    assert sorted(row.split(" | ")[0].strip("| `") for row in rows) == sorted(n.name for n in states)

    iam = _section(text, "## IAM actions the workflow needs")
    actions = sorted({a for p in required_permissions(doc) for a in p.actions})
    assert actions, "every generated workflow calls some AWS service"
    assert f"**Actions:** {', '.join(f'`{a}`' for a in actions)}\n" in iam

    placeholders = sorted(set(re.findall(r"\$\{[A-Za-z0-9_]+\}", json.dumps(doc))))
    listed = re.findall(r"^\| `(\$\{[^}]+\})` \|", _section(text, "## Placeholders"), re.MULTILINE)
    assert listed == placeholders

    result = _section(text, "## Verify result")
    if name == "test-run-semaphore":
        # It starts the semaphore's executions but holds no lock: no lock check, no lock wording.
        assert outcomes[name] == []
        assert "No project check applies to this workflow" in result and "cleanup" not in result
        return
    findings = verify(doc, cleanup=cleanup, rule=rule, cleanup_name=rule["Target"] if rule else None)
    if findings:
        assert f"reports {len(findings)} finding" in result
        for finding in findings:
            assert f"| `{finding.rule}` |" in result
    else:
        assert "`python -m dsl verify`: no findings" in result
    if cleanup is not None:
        assert "checked together with the cleanup workflow `dynamodb-semaphore-cleanfromincomplete.asl.json`" in result


def test_semaphore_rows_show_parameters_retries_and_catches() -> None:
    doc = generated("dynamodb-semaphore")
    text = render_summary("dynamodb-semaphore", doc, outcomes=run_checks(
        CHECKS, Subject("dynamodb-semaphore", "x.asl.json", {"x.asl.json": doc})))
    release = next(line for line in text.splitlines() if line.startswith("| `Release Lock` |"))
    cells = [cell.strip() for cell in release.strip("|").split(" | ")]
    assert cells[:4] == ["`Release Lock`", "top level", "Task", "`dynamodb:updateItem`"]
    assert ('`Parameters.ConditionExpression`: `"attribute_exists(#o.#me) AND NOT contains(#w, :me) AND '
            'size(#w) > :zero AND #c <= #l"`') in cells[4]
    assert '`Parameters.ExpressionAttributeNames."#me.$"`: `"$.lock.owner"`' in cells[4]
    assert "`DynamoDB.ConditionalCheckFailedException ×0`<br>`States.ALL ×5" in cells[5]
    assert cells[6] == "`DynamoDB.ConditionalCheckFailedException` → `Free Slot`"
    # Without the cleanup workflow and rule the verifier cannot prove cleanup: the summary says so.
    assert "| `LOCK-CLEANUP` |" in _section(text, "## Verify result")


def test_summary_of_tricky_names_and_an_unknown_integration(tricky: dict[str, Any]) -> None:
    tricky["States"]["Done -->"] = {"Type": "Task", "Resource": "arn:aws:states:::glue:stopJobRun",
                                    "Parameters": {"JobName": "j"}, "End": True}
    tricky["States"]['Say "hi" [1] {x} (y)']["Result"] = {"text": "${Fn|`x`} and ${SF_Tricky}"}
    text = render_summary("tricky", tricky)
    assert "> tricky \\*names\\* \\<here\\>\n" in text
    assert "| ``#tag; `code` <b>bold</b> & \\|pipe\\| \\ end`` | top level | Wait |" in text
    assert "| `#quot; literal` | `Ünïcödé ✓ 日本語 🚀` › branch 2 › `subgraph` | Task |" in text
    assert "The permissions could not be derived: " in text and "glue:stopJobRun" in text
    # "${Fn|`x`}" is not a placeholder name; "${SF_Tricky}" is.
    assert "| `${SF_Tricky}` | `Say \"hi\" [1] {x} (y)`: `Result.text` |\n\n" in text
    parse(re.search(r"```mermaid\n(.*?)```\n", text, re.DOTALL).group(1))  # type: ignore[union-attr]


def test_importing_the_package_does_not_load_jinja() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = "import sys, dsl.review; print('jinja2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                          timeout=60)
    assert done.stdout.strip() == "False"


def test_summary_bytes_do_not_depend_on_the_hash_seed() -> None:
    code = ("import json, sys; from dsl.review import render_summary; "
            "doc = json.load(open(sys.argv[1], encoding='utf-8')); "
            "sys.stdout.write(render_summary('test-run-semaphore', doc))")
    path = REPO / "generated" / "test-run-semaphore.asl.json"
    outputs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, env=env,
                              check=True, timeout=60)
        outputs.add(done.stdout)
    assert len(outputs) == 1
