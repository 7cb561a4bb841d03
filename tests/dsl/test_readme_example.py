"""The README's DSL example compiles (so it cannot rot)."""

from __future__ import annotations

import re
from pathlib import Path

from dsl import Workflow


def test_readme_example_compiles() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = re.search(r"## The DSL in 20 lines\n\n```python\n(.*?)```", readme, re.S)
    assert block, "README has no DSL example"
    assert len(block.group(1).strip().splitlines()) <= 20
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    flow = namespace["ORDER_FLOW"]
    assert isinstance(flow, Workflow)
    doc = flow.to_asl()
    assert doc["StartAt"] == "Load Order"
    assert doc["States"]["Charge"]["Catch"][0]["Next"] == "Charge Failed"
    assert doc["States"]["Paid?"]["Default"] == "Charge"
