"""Reversible attribute patches: every shim installs through these so a server stop undoes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Undo = Callable[[], None]
_MISSING = object()
_recorders: list[list[str]] = []


def _qualified(owner: Any, name: str) -> str:
    if isinstance(owner, type):
        return f"{owner.__module__}.{owner.__qualname__}.{name}"
    if hasattr(owner, "__name__") and hasattr(owner, "__spec__"):  # a module
        return f"{owner.__name__}.{name}"
    return f"{type(owner).__module__}.{type(owner).__qualname__}().{name}"


@contextmanager
def recording() -> Iterator[list[str]]:
    """Collect the qualified name of every attribute :func:`replace_attr` sets meanwhile."""
    names: list[str] = []
    _recorders.append(names)
    try:
        yield names
    finally:
        _recorders.remove(names)


def replace_attr(owner: Any, name: str, new: Any) -> Undo:
    """Set ``owner.name = new`` and return a function that restores the original.

    For a class, only its own ``__dict__`` is consulted: an inherited attribute is shadowed
    while patched and uncovered again by the undo.
    """
    namespace = owner.__dict__ if isinstance(owner, type) else vars(owner)
    old = namespace.get(name, _MISSING)
    setattr(owner, name, new)
    for names in _recorders:
        names.append(_qualified(owner, name))

    def undo() -> None:
        if old is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, old)

    return undo


def undo_all(undos: list[Undo]) -> Undo:
    """One undo for several, run in reverse order of installation."""

    def undo() -> None:
        for step in reversed(undos):
            step()

    return undo


def _import_package(package: str) -> None:
    """Import every module of ``package`` so that no later import escapes a patch."""
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        try:
            importlib.import_module(info.name)
        except ImportError:
            # A few modules of moto's vendored executor import LocalStack-only code; the
            # executor never loads them, so they need no patch.
            continue


def replace_function(original: Callable[..., Any], new: Callable[..., Any], *, package: str) -> Undo:
    """Replace ``original`` in its module and in every module of ``package`` that imported it by name.

    moto's executor does ``from ... import extract_json`` in many modules, so patching the defining
    module alone would leave the copies bound to the original.
    """
    import sys

    _import_package(package)
    undos: list[Undo] = []
    # The bindings are copies of one name: recorded once, as the original's.
    saved, _recorders[:] = list(_recorders), []
    try:
        for module_name, module in list(sys.modules.items()):
            if module is None or not (module_name == package or module_name.startswith(package + ".")):
                continue
            for attr, value in list(vars(module).items()):
                if value is original:
                    undos.append(replace_attr(module, attr, new))
    finally:
        _recorders[:] = saved
    for names in _recorders:
        names.append(f"{original.__module__}.{original.__qualname__}")
    if not undos:
        raise LookupError(f"{original.__module__}.{original.__qualname__} is not bound in {package}")
    return undo_all(undos)
