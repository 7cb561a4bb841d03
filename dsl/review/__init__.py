"""Review artifacts for generated ASL: diagrams, per-workflow summaries, semantic diffs.

``render_summary(name, doc, outcomes=...)`` gives the text of
``generated/<name>.md``; :mod:`dsl.review.mermaid` and :mod:`dsl.review.dot`
draw diagrams; :mod:`dsl.review.diff` compares two versions of a workflow.
Importing this package is cheap: jinja2 is loaded only when Markdown is rendered.
"""

from dsl.review.summary import render_summary

__all__ = ["render_summary"]
