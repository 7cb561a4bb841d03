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


ROOT = Path(__file__).resolve().parents[2]
PENDING: set[str] = set()  # pages the README may link before they exist (none now)


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def test_the_first_screen_and_every_link() -> None:
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:60])
    for needed in ("Write Step Functions workflows as Python objects", "pip install", "python deploy.py --local",
                   "python -m pytest", "## The DSL in 20 lines", "Contents:", "ORDER_FLOW = Workflow"):
        assert needed in first_screen, needed
    assert len(readme.splitlines()) < 200
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            file, _, anchor = target.partition("#")
            resolved = (page.parent / file).resolve() if file else page
            relative = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else str(resolved)
            if relative in PENDING and not resolved.exists():
                continue
            assert resolved.exists(), f"{page.name}: link to missing {target}"
            if anchor and resolved.suffix == ".md":
                assert anchor in _anchors(resolved), f"{page.name}: no heading for #{anchor} in {relative}"
