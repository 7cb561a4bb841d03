"""Review artifacts for generated ASL: diagrams, per-workflow summaries, semantic diffs.

Importing this package is cheap: jinja2 is loaded only when something is rendered.
"""
