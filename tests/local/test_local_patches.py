"""The patch registry: one declared order, every shim listed once, each patch reversible."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import local.shims
from local.patches import FIDELITY, Patch, PatchOrderError, check_order, patches
from local.shims._patch import recording


def test_every_shim_module_is_registered_once() -> None:
    # lambda_inprocess is the server's per-run Lambda runtime (an instrument, installed by the server).
    modules = {info.name for info in pkgutil.iter_modules(local.shims.__path__)
               if not info.name.startswith("_") and info.name != "lambda_inprocess"}
    names = [patch.name for patch in FIDELITY]
    assert sorted(names) == sorted(modules)


def test_the_declared_order_holds_and_a_broken_one_is_refused() -> None:
    ordered = patches()
    check_order(ordered)
    by_name = {patch.name: patch for patch in ordered}
    swapped = [by_name["client_cache"], by_name["callcontext"]]
    with pytest.raises(PatchOrderError, match="'callcontext' is installed before 'client_cache'"):
        check_order(swapped[::-1])


@pytest.mark.parametrize("patch", patches(), ids=lambda patch: patch.name)
def test_each_patch_replaces_moto_names_and_its_undo_restores_them(patch: Patch) -> None:
    with recording() as names:
        undo = patch.install()
    try:
        assert names, f"{patch.name} replaced nothing"
        touched = [name for name in names if name.startswith("moto.")]
        before = {name: _resolve(name) for name in touched}
    finally:
        undo()
    for name, patched in before.items():
        try:
            now = _resolve(name)
        except AttributeError:
            continue  # the patch added it; the undo removed it
        assert now is not patched, f"{name} is still patched after undo"


def _resolve(qualified: str) -> object:
    """The object a dotted name refers to now (module path, then attributes)."""
    parts = qualified.replace("()", "").split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target
    raise LookupError(qualified)
