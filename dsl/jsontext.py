"""Deterministic JSON text and atomic file writes.

Generated files are reviewed in pull requests, so the same document must give
the same bytes on every machine: 2-space indent, UTF-8, a final newline, and
the key order the compiler chose (never sorted here, never hash-dependent).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def dumps(document: Any) -> str:
    """The canonical text of ``document``: 2-space indent, UTF-8 as is, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and an interrupted write leaves
    the old file in place.
    """
    import tempfile  # only writers pay for it

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    # mkstemp creates 0600; a generated file is as readable as any other file.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
