"""Finding a machine's cleanup workflow and EventBridge rule beside it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dsl.aslfile import AslLoadError, load
from semaphore.verify import acquired_locks, event_releases

__all__ = ["CLEANUP_SUFFIX", "RULE_FILE", "find_cleanup", "find_rule", "find_schedule"]

CLEANUP_SUFFIX = "-cleanfromincomplete.asl.json"
RULE_FILE = "cleanup-rule.json"


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".asl.json", ".json"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def find_cleanup(machine: Path, doc: Mapping[str, Any]) -> Path | None:
    """The cleanup beside ``machine``: ``<stem>-cleanfromincomplete.asl.json``, else the
    first file of the folder (by name) that releases one of its locks for the owner
    named by a status-change event. None when the machine takes no lock."""
    locks = acquired_locks(doc)
    if not locks:
        return None
    named = machine.with_name(_stem(machine) + CLEANUP_SUFFIX)
    if named.is_file():
        return named
    for candidate in sorted(machine.parent.glob("*.json")):
        if candidate.name == RULE_FILE or candidate.resolve() == machine.resolve():
            continue
        try:
            other = load(str(candidate))
        except AslLoadError:
            continue  # not an ASL file: cannot be the cleanup
        if event_releases(other) & locks:
            return candidate
    return None


def find_schedule(machine: Path, doc: Mapping[str, Any]) -> tuple[Path, Path] | None:
    """(reconciler, its schedule rule) beside ``machine``: the first ``*.json`` of the folder (by
    name) with a ScheduleExpression whose Target is a file beside it. None when the machine takes
    no lock (whether the reconciler releases that lock, verify decides)."""
    if not acquired_locks(doc):
        return None
    for candidate in sorted(machine.parent.glob("*.json")):
        if candidate.name.endswith(".asl.json"):
            continue
        try:
            rule = load(str(candidate))
        except AslLoadError:
            continue
        target = rule.get("Target")
        if "ScheduleExpression" in rule and isinstance(target, str) and target:
            reconciler = machine.with_name(Path(target).name)
            if reconciler.is_file() and reconciler.resolve() != machine.resolve():
                return reconciler, candidate
    return None


def find_rule(machine: Path) -> Path | None:
    """``cleanup-rule.json`` beside ``machine``, if present."""
    rule = machine.with_name(RULE_FILE)
    return rule if rule.is_file() else None
