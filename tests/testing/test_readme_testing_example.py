"""The README's "Testing your workflows" example runs as written, on the README's own DSL example."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any

from dsl.testing.engine import Engine

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _block(heading: str) -> str:
    found = re.search(rf"## {re.escape(heading)}\n.*?```python\n(.*?)```", README, re.S)
    assert found, f"README has no Python block under {heading!r}"
    return found.group(1)


def test_the_readme_testing_example_passes(engine: Engine, monkeypatch: Any) -> None:
    # tests/testing/conftest.py's engine is what the plugin's sfn_engine fixture gives a user.
    orders = types.ModuleType("definitions.orders")
    exec(compile(_block("The DSL in 20 lines"), "README.md", "exec"), orders.__dict__)
    monkeypatch.setitem(sys.modules, "definitions.orders", orders)
    namespace: dict[str, Any] = {}
    exec(compile(_block("Testing your workflows"), "README.md", "exec"), namespace)
    namespace["test_a_throttled_charge_is_retried"](engine)
