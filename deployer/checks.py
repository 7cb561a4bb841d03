"""The checks on ``generated/`` that must pass before anything is sent to AWS.

Freshness (``generated/`` equals what ``python -m dsl build`` writes),
``validate`` and ``verify`` belong to other parts of the project; they are
imported only when a deploy runs. While one of them is not installed the
check is skipped with a warning that the CLI prints, never silently.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deployer.errors import InvalidDefinition, StaleGenerated
from deployer.generated import RULE_FILE_SUFFIX, Generated
from deployer.machines import MACHINE_FILE_SUFFIX
from dsl.workflow import SETTINGS_SUFFIX


def check_fresh(*, definitions_dir: Path | None, generated_dir: Path) -> list[str]:
    """Refuse a stale ``generated/``; returns warnings (the check could not run).

    ``definitions_dir=None`` means there are no definitions to build from
    (a ``generated/`` made elsewhere): the check is skipped with a warning.
    """
    if definitions_dir is None:
        return [f"no definitions folder given: cannot check that {generated_dir} is up to date"]
    stale_files = _function("dsl.build", "stale_files")
    if stale_files is None:
        return ["dsl.build.stale_files is not available: cannot check that generated/ is up to date"]
    from dsl.errors import DslError
    failed = _class("dsl.analysis", "AnalysisFailed")
    try:
        stale = [str(s) for s in stale_files(definitions_dir, generated_dir)]
    except DslError as exc:
        raise InvalidDefinition(f"{definitions_dir}: the definitions do not build: {exc}") from None
    except failed as exc:
        raise InvalidDefinition(f"{definitions_dir}: the definitions fail their checks: {exc}") from None
    if stale:
        raise StaleGenerated(f"{generated_dir} is stale ({', '.join(sorted(stale))} differ from the definitions); "
                             "run `python -m dsl build` and commit the result")
    _refuse_leftovers(generated_dir)
    return []


def _refuse_leftovers(generated_dir: Path) -> None:
    """Refuse deployable files the last build did not write: their definition is gone, so is their machine."""
    from dsl.stamp import STAMP
    try:
        written = json.loads((generated_dir / STAMP).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # a stamp in a layout this check does not know: nothing to compare with
    deployable = (MACHINE_FILE_SUFFIX, RULE_FILE_SUFFIX, SETTINGS_SUFFIX)
    left = sorted(p.name for p in generated_dir.iterdir() if p.name.endswith(deployable) and p.name not in written)
    if left:
        raise StaleGenerated(f"{generated_dir}: {', '.join(left)} not written by the last `python -m dsl build` "
                             "(their definition was removed); delete them, then deploy again to delete what "
                             "was deployed for them")


def check_definitions(generated: Generated) -> list[str]:
    """Refuse a definition that fails validate or verify; returns warnings."""
    warnings: list[str] = []
    validate = _function("dsl.validate", "validate")
    if validate is None:
        warnings.append("dsl.validate.validate is not available: definitions were not validated")
    verify = _function("semaphore.verify", "verify")
    if verify is None:
        warnings.append("semaphore.verify.verify is not available: definitions were not verified")
    cleanup_context = _function("semaphore.checks", "cleanup_context")
    # The same cleanup context as ``python -m dsl build`` gives verify.
    documents = {**generated.machines, **{r.path.name: r.document for r in generated.rules}}
    for file, doc in generated.machines.items():
        path = generated.directory / file
        if validate is not None:
            _refuse_errors(path, "validate", validate(doc))
        if verify is not None:
            cleanup, rule = cleanup_context(file, documents) if cleanup_context else (None, None)
            _refuse_errors(path, "verify", verify(doc, cleanup=cleanup, rule=rule))
    return warnings


def _refuse_errors(path: Path, tool: str, findings: list[Any]) -> None:
    errors = [f for f in findings if getattr(f, "severity", "error") == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidDefinition(f"{errors[0].line(str(path))}{more}; see `python -m dsl {tool} {path}`")


def _function(module: str, name: str) -> Callable[..., Any] | None:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return None  # that part of the project is not there yet
        raise
    found = getattr(loaded, name, None)
    return found if callable(found) else None


class _Never(Exception):
    """Stands in for an exception class that is not installed: never raised."""


def _class(module: str, name: str) -> type[Exception]:
    found = _function(module, name)
    return found if isinstance(found, type) and issubclass(found, Exception) else _Never
