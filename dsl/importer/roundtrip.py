"""The safety net: run an emitted module and compare what it builds with the source.

Equality is of JSON values: key order is free, but ``1``, ``1.0`` and ``true``
are three different values (Python's ``==`` would call them equal).
"""

from __future__ import annotations

import itertools
import types
import warnings
from typing import Any

from dsl.errors import DslError
from dsl.importer.emit import Refused
from dsl.workflow import Workflow

_counter = itertools.count()


def load_workflow(source: str) -> Workflow:
    """Execute ``source`` as a module; its one top-level Workflow."""
    module = types.ModuleType(f"_dsl_import_check_{next(_counter)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the build reports them (see _compiled)
            exec(compile(source, module.__name__, "exec"), module.__dict__)  # noqa: S102 - our own output
    except DslError as exc:
        raise Refused(exc.state, "(build)", f"the DSL refuses the emitted code: {exc}") from None
    except (RecursionError, MemoryError, SyntaxError) as exc:
        raise Refused(None, "States", f"too large or deeply nested to write as one module "
                                      f"({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - a helper's own refusal (a TypeError, say): no module
        raise Refused(None, "(build)", f"the emitted module fails: {type(exc).__name__}: {exc}") from None
    workflows = [v for v in vars(module).values() if isinstance(v, Workflow)]
    if len(workflows) != 1:
        raise Refused(None, "(module)", f"the emitted module defines {len(workflows)} workflows")
    return workflows[0]


def build_module(source: str) -> dict[str, Any]:
    """Execute ``source`` as a module and compile its one top-level Workflow."""
    return _compiled(load_workflow(source))


def _compiled(workflow: Workflow) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            # The DSL's warnings are about the source's content; the build reports them, with the
            # author's line, once the module is in definitions/.
            warnings.simplefilter("ignore")
            return workflow.to_asl()
    except DslError as exc:
        raise Refused(exc.state, "(build)", f"the DSL refuses the emitted code: {exc}") from None


def check(source: str, document: dict[str, Any], *, express: bool = False) -> None:
    """Raise :class:`Refused` naming the first difference unless ``source`` builds ``document``
    (as a workflow of the source's machine type)."""
    workflow = load_workflow(source)
    path = first_difference(document, _compiled(workflow))
    if path is not None:
        state, field = locate(path)
        raise Refused(state, field, "the DSL would build a different value here (not importable "
                                    "exactly)")
    if workflow.type != ("EXPRESS" if express else "STANDARD"):
        raise Refused(None, "(type)", f"the module builds a {workflow.type} workflow")


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values."""
    return first_difference(a, b) is None


def first_difference(a: Any, b: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """The path of the first place ``a`` and ``b`` differ as JSON values, or None."""
    if type(a) is not type(b):
        return path
    if isinstance(a, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            if key not in a or key not in b:
                return (*path, key)
            found = first_difference(a[key], b[key], (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return path
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, (*path, index))
            if found is not None:
                return found
        return None
    return None if a == b else path


def locate(path: tuple[str | int, ...]) -> tuple[str | None, str]:
    """(innermost state, its field) for a path into an ASL document."""
    state: str | None = None
    field_at = 0
    for n in range(len(path) - 1):
        if path[n] == "States" and isinstance(path[n + 1], str):
            state, field_at = str(path[n + 1]), n + 2
    rest = path[field_at:]
    field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in rest).replace(".[", "[")
    return state, field or "(the state itself)"
