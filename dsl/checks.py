"""Project checks: extra analyses a project plugs into ``python -m dsl build`` and the CLI.

The library validates every workflow itself (schema and semantic rules). Anything that is about
one application, such as the semaphore's lock verifier, is a *check* that the project names in
its ``pyproject.toml``::

    [tool.sfn-dsl]
    checks = ["semaphore.checks"]

Each named module is imported from the project's folder and exports

- ``CHECKS``: a sequence of :class:`Check` objects; and optionally
- ``COMMANDS``: ``{name: (module, one-line help)}``, sub-commands added to ``python -m dsl``
  (each module has ``main(argv) -> int``, as the built-in ones do).

A check says which workflows it applies to (:meth:`Check.applies_to`): the build runs it only on
those, and a workflow may ask for a check by name (``Workflow(..., checks=("lock",))``). Its
:class:`Outcome` goes into the build's verdict (error findings refuse the build) and into the
workflow's review summary. The source packages of the check modules are part of the build stamp's
inputs, so a change to a check makes ``build --check`` look again.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dsl.errors import DefinitionError
from dsl.findings import Finding

PYPROJECT = "pyproject.toml"
_TABLE = "sfn-dsl"


@dataclass(frozen=True)
class Subject:
    """One compiled workflow, with every other document the same build writes."""

    name: str
    file_name: str
    documents: Mapping[str, Mapping[str, Any]]
    declared: frozenset[str] = frozenset()

    @property
    def document(self) -> Mapping[str, Any]:
        """The workflow's own ASL document."""
        return self.documents[self.file_name]


@dataclass(frozen=True)
class Outcome:
    """What one check found about one workflow.

    ``command`` names the CLI that reproduces it (shown in the summary); ``places`` maps a
    finding's ``document`` label (e.g. ``"cleanup"``) to the file it is about; ``context_note``
    is a parenthesis for the summary saying what else the check read (``""`` for nothing).
    """

    command: str
    findings: tuple[Finding, ...]
    places: Mapping[str, str] = field(default_factory=dict)
    context_note: str = ""

    def error_lines(self, file_name: str) -> list[str]:
        """The one-line form of each error-severity finding, located in its own file."""
        return [f.line(self.places.get(getattr(f, "document", ""), file_name) or file_name)
                for f in self.findings if f.severity == "error"]


class Check(Protocol):
    """An analysis a project adds to the build (see the module docstring)."""

    @property
    def name(self) -> str:
        """What a workflow passes in ``Workflow(checks=...)`` to ask for this check."""
        ...

    def applies_to(self, subject: Subject) -> bool:
        """Whether ``subject`` is something this check is about (it asked for it, or it is detected)."""
        ...

    def run(self, subject: Subject) -> Outcome:
        """Check ``subject``."""
        ...


@dataclass(frozen=True)
class Plugins:
    """The checks and commands a project configures, and the folders of their source packages."""

    checks: tuple[Check, ...] = ()
    commands: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    sources: tuple[Path, ...] = ()


def find_project(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working directory) with a pyproject.toml."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / PYPROJECT).is_file():
            return candidate
    return None


def configured_modules(project: Path | None) -> list[str]:
    """The module names listed in ``[tool.sfn-dsl] checks`` of ``project``'s pyproject.toml."""
    if project is None or not (project / PYPROJECT).is_file():
        return []
    path = project / PYPROJECT
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"{path}: cannot read: {exc}") from None
    table = config.get("tool", {}).get(_TABLE, {})
    names = table.get("checks", []) if isinstance(table, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise DefinitionError(f"{path}: [tool.{_TABLE}] checks must be a list of module names, found {names!r}")
    return names


def load_plugins(project: Path | None = None) -> Plugins:
    """Import the check modules the project (default: :func:`find_project`) configures."""
    project = project if project is not None else find_project()
    names = configured_modules(project)
    if project is None or not names:
        return Plugins()
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    checks: list[Check] = []
    commands: dict[str, tuple[str, str]] = {}
    sources: list[Path] = []
    for name in names:
        module = _import(name, project)
        found = getattr(module, "CHECKS", None)
        if not isinstance(found, Sequence) or not all(_is_check(c) for c in found):
            raise DefinitionError(f"{project / PYPROJECT}: check module {name!r} must export CHECKS, "
                                  "a sequence of objects with name, applies_to() and run()")
        checks.extend(found)
        commands.update(getattr(module, "COMMANDS", {}))
        folder = source_folder(name, project)
        if folder is not None:
            sources.append(folder)
    return Plugins(tuple(checks), commands, tuple(sources))


def source_folder(module: str, project: Path | None) -> Path | None:
    """The folder (or file) of ``module``'s top-level package, found without running it (None if absent).

    The build stamp hashes it. The project folder is searched first, as :func:`load_plugins` imports.
    """
    top = module.split(".")[0]
    if project is not None:
        for candidate in (project / top, project / f"{top}.py"):
            if candidate.exists():
                return candidate
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    origin = Path(spec.origin)
    return origin.parent if spec.submodule_search_locations is not None else origin


def _import(name: str, project: Path | None) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise DefinitionError(f"{(project or Path()) / PYPROJECT}: check module {name!r} cannot be imported: "
                              f"{exc}") from None


def _is_check(value: object) -> bool:
    run: Callable[..., Any] | None = getattr(value, "run", None)
    return isinstance(getattr(value, "name", None), str) and callable(getattr(value, "applies_to", None)) \
        and callable(run)


def run_checks(checks: Sequence[Check], subject: Subject) -> list[Outcome]:
    """The outcome of every check that applies to ``subject``, in configuration order."""
    unknown = subject.declared - {c.name for c in checks}
    if unknown:
        raise DefinitionError(f"workflow {subject.name!r} asks for check(s) {sorted(unknown)} that no module in "
                              f"[tool.{_TABLE}] checks provides")
    return [check.run(subject) for check in checks if check.applies_to(subject)]
