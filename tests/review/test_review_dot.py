"""Graphviz DOT: clusters, compound edges, quoting."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest

from dsl.review.dot import quote, to_dot


def test_clusters_and_compound_edges(tricky: dict[str, Any]) -> None:
    text = to_dot(tricky)
    assert text.startswith("digraph workflow {\n") and text.endswith("}\n")
    clusters = re.findall(r"subgraph (cluster_\w+) \{", text)
    assert clusters == ["cluster_s2", "cluster_s2b1", "cluster_s2b2", "cluster_s8"]
    # Into the Parallel: to a box inside, clipped at the cluster; out of it likewise.
    assert "  s1 -> s6 [lhead=cluster_s2];\n" in text
    assert "  s6 -> s3 [ltail=cluster_s2];\n" in text
    assert '  s6 -> s3 [label="catch Err;<x>, States.Timeout", style=dashed, ltail=cluster_s2];\n' in text
    assert '  s3 -> s5 [label="$.v == \\"a|b\\"c<d>\\""];\n' in text
    assert '  s3 -> s4 [label="Default"];\n' in text
    assert 's0 [label="Say \\"hi\\" [1] {x} (y)\\nPass", shape=box' in text


@pytest.mark.parametrize(("raw", "quoted"), [
    ('a"b', '"a\\"b"'),
    ("back\\slash \\N", '"back\\\\slash \\\\N"'),
    ("two\nlines", '"two\\nlines"'),
])
def test_quote(raw: str, quoted: str) -> None:
    assert quote(raw) == quoted


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_accepts_the_output(tricky: dict[str, Any], originals: dict[str, Any]) -> None:
    for doc in (tricky, *originals.values()):
        done = subprocess.run(["dot", "-Tsvg"], input=to_dot(doc).encode(), capture_output=True, check=False,
                              timeout=60)
        assert done.returncode == 0 and not done.stderr, done.stderr.decode()
        assert b"<svg" in done.stdout
