"""A finding: one problem an analysis tool reports about an ASL document.

Shared by ``validate`` and ``verify`` so both print the same line format,
``FILE:/json/pointer: RULE-ID message``, and the same JSON records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, located by a JSON Pointer into the document it is about."""

    pointer: str
    rule: str
    message: str
    severity: str = "error"

    def line(self, file: str) -> str:
        """The one-line text form: ``FILE:/json/pointer: RULE-ID message``."""
        return f"{file}:{self.pointer or '/'}: {self.rule} {self.message}"

    def as_dict(self) -> dict[str, str]:
        """A JSON-ready record."""
        return asdict(self)


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) from its unescaped parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
