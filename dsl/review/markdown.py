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


# Characters that start inline markup anywhere in a line ($ is GitHub's math).
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>|$~&])")
# Characters that start a block (heading, list, quote, rule) at the start of a line.
_BLOCK_MARK = re.compile(r"^(\s*)([#+\-=>])")
_ORDERED_MARK = re.compile(r"^(\s*\d+)([.)])")


def plain(text: str) -> str:
    """``text`` shown literally in one line of Markdown prose or a table cell.

    Only characters that could start markup are backslash-escaped (``|`` too,
    so the result is safe in a table cell), keeping the source readable.
    """
    line = _INLINE_MARKUP.sub(r"\\\1", " ".join(text.splitlines()))
    return _ORDERED_MARK.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\1\\\2", line))
