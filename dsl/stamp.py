"""The build stamp: which inputs produced ``generated/``, and which bytes it holds.

``python -m dsl build`` writes ``generated/build-stamp.json`` last: a hash of
every input (the definitions, the ``dsl`` package's sources, templates and
schema, the project checks' sources, and the renderer's version) and a hash of each file it wrote.
``build --check`` first recomputes both from disk; when they match, the
generated files are exactly what a build would write, and nothing needs to be
imported or compiled. When anything differs it falls back to a full build in
memory and a byte-for-byte comparison, so a stamp can make the check faster but
never make it pass wrongly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path

STAMP = "build-stamp.json"
_PACKAGE = Path(__file__).resolve().parent
_SOURCE_SUFFIXES = (".py", ".j2", ".json")


def _digest_files(digest: hashlib._Hash, root: Path, files: list[Path]) -> None:
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        # Line endings normalised: a checkout hashes alike on every OS.
        digest.update(file.read_bytes().replace(b"\r\n", b"\n") + b"\0")


def inputs_digest(definitions: Path, *, extra: Iterable[Path] = ()) -> str:
    """The hash of everything the build's output is computed from.

    ``extra`` are the source folders (or files) of the project's checks (see :mod:`dsl.checks`).
    """
    digest = hashlib.sha256()
    _digest_files(digest, definitions, sorted(definitions.glob("*.py")))
    for package in (_PACKAGE, *extra):
        _digest_files(digest, package.parent, _sources(package))
    # The summaries are rendered by jinja2: another version may render other bytes.
    # Its __init__ names its version; reading it is far cheaper than importlib.metadata.
    spec = find_spec("jinja2")
    if spec is not None and spec.origin is not None:
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def _sources(package: Path) -> list[Path]:
    if package.is_file():
        return [package]
    return sorted(p for p in package.rglob("*") if p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts)


def stamp_text(inputs: str, outputs: dict[str, str]) -> str:
    """The stamp file's text for ``outputs`` (file name -> text) built from ``inputs``."""
    files = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(outputs.items())}
    return json.dumps({"inputs": inputs, "outputs": files}, indent=2) + "\n"


def recorded_outputs(out: Path) -> list[str]:
    """The files the last build recorded writing in ``out`` (none when there is no readable stamp)."""
    try:
        recorded = json.loads((out / STAMP).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return sorted(name for name in recorded if isinstance(name, str) and "/" not in name
                  and "\\" not in name and name not in ("", ".", ".."))


def is_current(definitions: Path, out: Path, *, extra: Iterable[Path] = ()) -> bool:
    """True when ``out`` holds exactly what a build of today's inputs writes."""
    try:
        recorded = json.loads((out / STAMP).read_text(encoding="utf-8"))
        if recorded["inputs"] != inputs_digest(definitions, extra=extra):
            return False
        outputs = {name: (out / name).read_text(encoding="utf-8") for name in recorded["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(outputs) and stamp_text(recorded["inputs"], outputs) == (out / STAMP).read_text(
        encoding="utf-8")
