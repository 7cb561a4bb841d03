"""The pytest example of docs/testing.md runs as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dsl.testing import Engine

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_the_documented_example_passes(engine: Engine, monkeypatch: Any) -> None:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert code is not None
    monkeypatch.chdir(DOC.parent.parent)
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our own documentation
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0](engine)
