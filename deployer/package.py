"""Zipping a function's source directory in memory, the same bytes every time.

Lambda reports the SHA-256 of the deployed zip; a deterministic zip (sorted
entries, fixed timestamps and permissions) lets a redeploy compare that hash
and skip the upload when the code did not change.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deployer.errors import MissingSource

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_SKIPPED_DIRS = frozenset({"__pycache__"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class Package:
    """A zip archive and the hash Lambda reports for it."""

    data: bytes

    @property
    def sha256(self) -> str:
        """Base64 SHA-256, as Lambda's ``CodeSha256``."""
        return base64.b64encode(hashlib.sha256(self.data).digest()).decode("ascii")


def zip_directory(source: Path, *, handler: str) -> Package:
    """Zip every file under ``source``; refuse a directory without the handler's module."""
    module = handler.rsplit(".", 1)[0].replace(".", "/") + ".py"
    if not (source / module).is_file():
        raise MissingSource(f"{source / module}: no such file; the function's handler is {handler}")
    files = sorted(p for p in source.rglob("*")
                   if p.is_file() and not _skipped(p.relative_to(source)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return Package(buffer.getvalue())


def _skipped(relative: Path) -> bool:
    return (any(part in _SKIPPED_DIRS or part.startswith(".") for part in relative.parts)
            or relative.name.endswith(_SKIPPED_SUFFIXES))
