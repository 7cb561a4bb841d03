"""Writing a command's report to a file, with the one-line error every command prints."""

from __future__ import annotations

import sys

from dsl.jsontext import write_atomic


def write_report(command: str, path: str, text: str) -> bool:
    """Write ``text`` to ``path`` atomically; on failure print ``command: error: ...`` and return False."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        sys.stderr.write(f"{command}: error: {path}: cannot write: {exc.strerror}\n")
        return False
    return True
