"""Markdown escaping for review output (tables and code spans on GitHub).

State names and values are arbitrary text: a backtick would end a code span
and a ``|`` would split a table cell, so every value passes through here.
"""

from __future__ import annotations

import re

_BACKTICK_RUNS = re.compile(r"`+")


def code(text: str) -> str:
    """``text`` as an inline code span, fenced so that inner backticks survive."""
    text = " ".join(text.splitlines()) if text else text
    longest = max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick (or is blank) needs padding,
    # which CommonMark strips again.
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """``text`` made safe inside one GitHub table cell (pipes escaped, one line)."""
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def code_cell(text: str) -> str:
    """A code span that sits inside a table cell."""
    return cell(code(text))
