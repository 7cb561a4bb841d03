"""Reading an ASL file safely: every bad input becomes one clear error.

Used by every command that reads ASL (validate, verify, graph, diff), so
empty, binary, huge, deeply nested or non-object input is refused the same
way everywhere, with the file name and, for bad JSON, line and column.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any

from dsl.errors import CodedError

# AWS rejects a definition over 1 MiB; a file far above that is not ASL we can
# deploy, so it is refused before it is parsed.
MAX_BYTES = 1024 * 1024 * 2


class AslLoadError(CodedError):
    """The input cannot be read as one ASL JSON object."""

    code = "ASL-LOAD"

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(message, text=f"{source}: {message}")


def parse_text(source: str, data: bytes) -> dict[str, Any]:
    """Parse ``data`` (the bytes of ``source``) as a JSON object."""
    if len(data) > MAX_BYTES:
        raise AslLoadError(source, f"input is over {MAX_BYTES:,} bytes; an ASL definition is at most "
                                   "1 MiB (AWS limit)")
    if not data.strip():
        raise AslLoadError(source, "file is empty; expected an ASL JSON object")
    if b"\x00" in data:
        raise AslLoadError(source, "file is binary (contains NUL bytes); expected ASL JSON text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AslLoadError(source, f"not UTF-8 text (byte {exc.start}); expected ASL JSON") from None
    try:
        document = json.loads(text, parse_constant=_not_json, parse_float=_finite_float)
    except _NotJson as exc:
        raise AslLoadError(source, f"{exc} is not JSON and Step Functions rejects it; use null, a "
                                   "string or a finite number") from None
    except json.JSONDecodeError as exc:
        raise AslLoadError(source, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise AslLoadError(source, "JSON nested too deeply to be an ASL definition") from None
    if not isinstance(document, dict):
        raise AslLoadError(source, f"top level is a JSON {_json_type(document)}; expected an object "
                                   "with StartAt and States")
    return document


class _NotJson(ValueError):
    """A NaN/Infinity literal, or a number too large for a double."""


def _not_json(literal: str) -> Any:
    raise _NotJson(f"{literal} (Python's json writes it for a NaN or infinite float)")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NotJson(f"the number {literal[:40]}, too large for a double,")
    return value


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or None for a regular file."""
    for test, name in ((stat.S_ISREG, None), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def load(path: str) -> dict[str, Any]:
    """Read ``path`` (``-`` for standard input) as one ASL JSON object."""
    if path == "-":
        return parse_text("<stdin>", sys.stdin.buffer.read(MAX_BYTES + 1))
    file = Path(path)
    try:
        # stat first: opening a FIFO would wait for a writer, reading a device may never end.
        kind = _kind(os.stat(path).st_mode)
        if kind is not None:
            raise AslLoadError(path, f"is {kind}; expected a regular ASL JSON file")
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise AslLoadError(path, "no such file") from None
    except OSError as exc:
        raise AslLoadError(path, f"cannot read: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        size = file.stat().st_size
        found = f"is {size:,} bytes" if size > MAX_BYTES else f"grew to over {MAX_BYTES:,} bytes while read"
        raise AslLoadError(path, f"file {found}; an ASL definition is at most 1 MiB (AWS limit), "
                                 f"refusing files over {MAX_BYTES:,} bytes")
    return parse_text(path, data)


def _json_type(value: object) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(value), type(value).__name__)
