"""Why a source cannot be imported: one line each, with the exit code it gives."""

from __future__ import annotations

from dsl.errors import CodedError


class SourceError(CodedError):
    """An unreadable source or an unknown template shape (exit 2)."""

    code = "IMPORT-SOURCE"
    exit_code = 2

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(message, text=f"{source}: {message}")
