"""Placeholder values the user gives: ``--param NAME=VALUE`` and ``--params FILE.json``.

A placeholder is filled from the stack's own resources first (the table, the function,
the system's machines), then from ``--param``, then from the file. Anything left
unfilled refuses the deploy before any AWS call, one line per file naming each
missing placeholder and where it is used; a ``--param`` that nothing uses is a warning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from deployer.errors import BadOption, Refusal
from deployer.templates import PLACEHOLDER, placeholder_uses


class MissingPlaceholders(Refusal):
    """Placeholders no value is known for; the message has one line per file."""

    code = "DEPLOY-PLACEHOLDER"


def parse_param(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` -> (NAME, VALUE); refuse anything else."""
    name, equals, value = text.partition("=")
    if not equals:
        raise BadOption(f"--param {text!r}: expected NAME=VALUE, e.g. --param OrdersTable=orders")
    _check_name(name, f"--param {text!r}")
    return name, value


def read_params_file(path: Path) -> dict[str, str]:
    """The object of names to string values in ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadOption(f"--params {path}: cannot read it ({exc.__class__.__name__}: "
                        f"{getattr(exc, 'strerror', None) or exc}); expected a JSON file") from None
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadOption(f"--params {path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; "
                        'expected an object such as {"OrdersTable": "orders"}') from None
    if not isinstance(document, dict):
        raise BadOption(f"--params {path}: found a JSON {type(document).__name__}; "
                        'expected an object such as {"OrdersTable": "orders"}')
    for name, value in document.items():
        _check_name(name, f"--params {path}: key {name!r}")
        if not isinstance(value, str):
            raise BadOption(f"--params {path}: {name!r} is {json.dumps(value)}; expected a string value")
    return document


def _check_name(name: str, where: str) -> None:
    if not PLACEHOLDER.fullmatch(f"${{{name}}}"):
        raise BadOption(f"{where}: {name!r} is not a placeholder name (expected a letter or _, then letters, "
                        "digits or _.:-, as in ${OrdersTable})")


def resolve(documents: Iterable[tuple[str, Any]], *, stack: Mapping[str, str], params: Mapping[str, str],
            file_params: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The value of every placeholder the documents use, and warnings about ``params``.

    ``documents`` are (source, document) pairs; raises ``MissingPlaceholders`` naming, per
    source, every placeholder none of the three gives a value for, and where it is used.
    """
    values = {**file_params, **params, **stack}
    used: set[str] = set()
    missing: list[str] = []
    for source, document in documents:
        uses: dict[str, list[str]] = {}
        for name, where in placeholder_uses(document):
            uses.setdefault(name, []).append(where)
        used.update(uses)
        absent = {name: places for name, places in uses.items() if name not in values}
        if absent:
            missing.append(f"{source}: no value for " + "; ".join(
                f"${{{name}}} (used at {', '.join(places)})" for name, places in sorted(absent.items()))
                + "; give --param NAME=VALUE or --params FILE.json")
    if missing:
        raise MissingPlaceholders("\n".join(missing))
    warnings = []
    for name in sorted(params):
        if name not in used:
            warnings.append(f"--param {name} is used by no workflow or rule file; it was ignored")
        elif name in stack:
            warnings.append(f"--param {name} is filled by the stack ({stack[name]}); the given value was ignored")
    return values, warnings
