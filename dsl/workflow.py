"""A workflow: the top-level state machine and where its file goes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from dsl.errors import InvalidField, Site, caller_site
from dsl.fields import WORKFLOW_FIELDS, check_field
from dsl.states import Chain, QueryLanguage, State, WiringScope, claim

MachineType = Literal["STANDARD", "EXPRESS"]
MACHINE_TYPES: tuple[MachineType, ...] = ("STANDARD", "EXPRESS")
SETTINGS_SUFFIX = ".machine.json"


class Workflow:
    """A state machine definition, compiled to ``generated/<name>.asl.json``.

    ``start`` is the chain the machine runs; its open ends take ``"End": true``.
    ``type`` is the state machine type deploy creates; ASL has no field for it, so an
    EXPRESS workflow also gets ``generated/<name>.machine.json`` (see ``settings``).
    ``checks`` names project checks (:mod:`dsl.checks`) the build must run on it even where they
    would not detect that they apply, e.g. ``checks=("lock",)``.
    """

    def __init__(self, name: str, start: State | Chain, *, comment: str | None = None,
                 query_language: QueryLanguage | None = None, timeout_seconds: int | None = None,
                 version: str | None = None, type: MachineType = "STANDARD",
                 checks: Iterable[str] = ()) -> None:
        self.site = caller_site()
        if not name or "/" in name or name.startswith("."):
            raise InvalidField(f"workflow name {name!r} must be a plain file stem, e.g. 'my-flow'",
                               site=self.site)
        for key, value in (("comment", comment), ("query_language", query_language),
                           ("timeout_seconds", timeout_seconds), ("version", version)):
            check_field(WORKFLOW_FIELDS, key, value, state=None, site=self.site,
                        owner=f"workflow {name!r}: ")
        self.name = name
        self.start = Chain.of(start).start
        self.comment = comment
        self.query_language = query_language
        self.timeout_seconds = timeout_seconds
        self.version = version
        if type not in MACHINE_TYPES:
            raise InvalidField(f"workflow {name!r}: type {type!r} must be one of {', '.join(MACHINE_TYPES)}",
                               site=self.site)
        self.type = type
        self.checks = frozenset(checks)
        claim(self.start, WiringScope(f"workflow {name!r}", self.site), self.site)

    @property
    def file_name(self) -> str:
        """The generated file's name."""
        return f"{self.name}.asl.json"

    @property
    def settings_file(self) -> str:
        """The file of the machine settings that ASL cannot hold."""
        return f"{self.name}{SETTINGS_SUFFIX}"

    def settings(self) -> dict[str, Any] | None:
        """What deploy needs beyond the ASL (CreateStateMachine's names); None when all is default.

        Written only when not default, so existing workflows' generated files stay as they were.
        """
        return None if self.type == "STANDARD" else {"type": self.type}

    def to_asl(self) -> dict[str, Any]:
        """Compile to an ASL document (and freeze every state)."""
        from dsl.compile import compile_workflow

        return compile_workflow(self)


@dataclass(frozen=True)
class DataFile:
    """A JSON document the build writes beside the workflows (e.g. an EventBridge rule)."""

    file_name: str
    document: dict[str, Any]
    site: Site = field(default_factory=caller_site, compare=False, repr=False)
