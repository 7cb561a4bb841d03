"""Errors of the review tools (graph, summary, diff)."""

from __future__ import annotations

from dsl.errors import CodedError


class ReviewInputError(CodedError):
    """An ASL document whose shape the review tools cannot read.

    ``pointer`` is a JSON Pointer to the offending value, so a command can
    print ``FILE:/pointer: message`` like the validator does.
    """

    code = "REVIEW-INPUT"

    def __init__(self, pointer: str, message: str) -> None:
        self.pointer = pointer
        super().__init__(message, text=f"{pointer or '/'}: {message}")
