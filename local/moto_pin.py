"""The one moto version the local engine runs on, checked before any shim is imported.

The shims in :mod:`local.shims` replace moto internals by name, so another moto release can
break them in ways that surface far from the cause (an ImportError, or a run that quietly
behaves differently). This module imports no moto code: it reads the installed version from
the package metadata, so the check works even when the shims could not be imported.
"""

from __future__ import annotations

import os
import warnings
from importlib import metadata

from dsl.errors import CodedError

PINNED_MOTO_VERSION = "5.2.6"
"""The version the shims were written and measured against (pyproject.toml pins the same)."""

OVERRIDE_ENV = "SFN_DSL_ANY_MOTO"
"""Set to ``1`` to run on another moto anyway, with a warning (for porting the shims)."""

FIX_COMMAND = "pip install -r requirements.lock && pip install --no-deps -e ."


class MotoVersionError(CodedError):
    """moto is missing or is not the pinned version (code ``LOCAL-MOTO``); its text starts with the code."""

    code = "LOCAL-MOTO"
    code_in_text = True


class MotoVersionWarning(UserWarning):
    """Another moto runs the local engine because :data:`OVERRIDE_ENV` allows it."""


def installed_moto_version() -> str | None:
    """The installed moto's version, or None when moto is not installed."""
    try:
        return metadata.version("moto")
    except metadata.PackageNotFoundError:
        return None


def check_moto_version(installed: str | None = None) -> None:
    """Raise :class:`MotoVersionError` unless ``installed`` (default: moto's) is the pinned version.

    With ``SFN_DSL_ANY_MOTO=1`` a wrong version only warns; a missing moto is always an error.
    """
    found = installed_moto_version() if installed is None else installed
    if found == PINNED_MOTO_VERSION:
        return
    if found is None:
        raise MotoVersionError(
            f"moto is not installed; the local engine needs moto "
            f"{PINNED_MOTO_VERSION} (the [local] extra): run `{FIX_COMMAND}`")
    message = (f"moto {found} is installed; the local engine needs moto "
               f"{PINNED_MOTO_VERSION} (its shims patch moto internals): run `{FIX_COMMAND}`")
    if os.environ.get(OVERRIDE_ENV) == "1":
        warnings.warn(f"{MotoVersionError.code} {message} ({OVERRIDE_ENV}=1: running anyway)", MotoVersionWarning,
                      stacklevel=2)
        return
    raise MotoVersionError(message)
