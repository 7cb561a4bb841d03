"""Reading ``generated/``: every workflow's definition, its settings, and the EventBridge rule files.

Every ``*.asl.json`` is a state machine to deploy. A workflow whose settings differ from the
defaults has ``<name>.machine.json`` beside it (today only ``{"type": "EXPRESS"}``, written by
``python -m dsl build``). A rule file (``<stem>-rule.json``) describes one rule as data, e.g.
``{"EventPattern": {...}, "Target": "dynamodb-semaphore-cleanfromincomplete.asl.json"}``
or, for a scheduled rule, ``{"ScheduleExpression": "rate(5 minutes)", "Target": ...,
"Input": {...}}``. Their placeholders are filled like the definitions'.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]

from deployer import catalog
from deployer.errors import BadGenerated
from deployer.machines import MACHINE_FILE_SUFFIX, Machine, machines_for, workflow_of
from dsl import aslfile
from dsl.workflow import MACHINE_TYPES, SETTINGS_SUFFIX

RULE_FILE_SUFFIX = "-rule.json"

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "EventPattern": {"type": "object", "minProperties": 1},
        "ScheduleExpression": {"type": "string", "pattern": r"^(rate|cron)\(.+\)$"},
        "Target": {"type": "string", "pattern": r"\.asl\.json$"},
        "Input": {"type": "object"},
        "Description": {"type": "string", "maxLength": 512},
    },
    "required": ["Target"],
    "oneOf": [{"required": ["EventPattern"]}, {"required": ["ScheduleExpression"]}],
    "additionalProperties": False,
}

SETTINGS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"type": {"enum": list(MACHINE_TYPES)}},
    "additionalProperties": False,
}


@dataclass(frozen=True)
class RuleFile:
    """One EventBridge rule as written in ``generated/``."""

    stem: str
    path: Path
    document: dict[str, Any]

    @property
    def target(self) -> str:
        """The machine file the rule starts."""
        target: str = self.document["Target"]
        return target


@dataclass(frozen=True)
class Generated:
    """The parsed contents of ``generated/``."""

    directory: Path
    machines: dict[str, dict[str, Any]]  # file name -> ASL document
    rules: tuple[RuleFile, ...]
    types: dict[str, str]  # file name -> STANDARD or EXPRESS

    @property
    def deployed(self) -> tuple[Machine, ...]:
        """The machines, in creation order."""
        return machines_for(self.machines, self.types)


def rule_stems(directory: Path) -> tuple[str, ...]:
    """The rule files' names without ``.json`` (``cleanup-rule``), sorted; they name the rules."""
    return tuple(name.removesuffix(".json") for name in _names(directory, RULE_FILE_SUFFIX))


def machine_files(directory: Path) -> tuple[str, ...]:
    """The workflow files' names (``my-flow.asl.json``), sorted."""
    return _names(directory, MACHINE_FILE_SUFFIX)


def _names(directory: Path, suffix: str) -> tuple[str, ...]:
    if not directory.is_dir():
        return ()
    return tuple(sorted(p.name for p in directory.glob("*" + suffix)))


def read_generated(directory: Path) -> Generated:
    """Read every definition, settings and rule file; refuse anything missing or malformed."""
    if not directory.is_dir():
        raise BadGenerated(f"{directory}: no such directory; run `python -m dsl build` first")
    files = set(machine_files(directory)) | {m.file for m in catalog.MACHINES}
    machines = {}
    for file in sorted(files):
        try:
            machines[file] = aslfile.load(str(directory / file))
        except aslfile.AslLoadError as exc:
            raise BadGenerated(f"{exc}; run `python -m dsl build`") from None
    types = {}
    for name in _names(directory, SETTINGS_SUFFIX):
        path = directory / name
        file = name.removesuffix(SETTINGS_SUFFIX) + MACHINE_FILE_SUFFIX
        if file not in machines:
            raise BadGenerated(f"{path}: settings of workflow {workflow_of(file)!r}, but there is no {file}; "
                               "run `python -m dsl build`")
        document = _load(path, SETTINGS_SCHEMA, 'expected {"type": "STANDARD" or "EXPRESS"}')
        types[file] = document.get("type", "STANDARD")
    rules = []
    for stem in rule_stems(directory):
        path = directory / f"{stem}.json"
        document = _load(path, RULE_SCHEMA, "expected EventPattern or ScheduleExpression, and Target naming a "
                                            "generated machine file")
        if document["Target"] not in machines:
            raise BadGenerated(f"{path}:/Target: {document['Target']!r} is not a workflow file of {directory} "
                               f"(expected one of: {', '.join(sorted(machines))})")
        rules.append(RuleFile(stem, path, document))
    return Generated(directory, machines, tuple(rules), types)


def _load(path: Path, schema: dict[str, Any], expected: str) -> dict[str, Any]:
    try:
        document: dict[str, Any] = aslfile.load(str(path))
    except aslfile.AslLoadError as exc:
        raise BadGenerated(str(exc)) from None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(document))
    if error is not None:
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        raise BadGenerated(f"{path}:{where}: {error.message} ({expected})")
    return document
