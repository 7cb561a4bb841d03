"""Reading ``generated/``: the machine definitions and the EventBridge rule files.

A rule file (``<stem>-rule.json``) describes one rule as data, e.g.
``{"EventPattern": {...}, "Target": "dynamodb-semaphore-cleanfromincomplete.asl.json"}``
or, for a scheduled rule, ``{"ScheduleExpression": "rate(5 minutes)", "Target": ...,
"Input": {...}}``. Its placeholders are filled like the definitions'.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]

from deployer import catalog
from deployer.errors import BadGenerated
from dsl import aslfile

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "EventPattern": {"type": "object", "minProperties": 1},
        "ScheduleExpression": {"type": "string", "pattern": r"^(rate|cron)\(.+\)$"},
        "Target": {"type": "string", "enum": [m.file for m in catalog.MACHINES]},
        "Input": {"type": "object"},
        "Description": {"type": "string", "maxLength": 512},
    },
    "required": ["Target"],
    "oneOf": [{"required": ["EventPattern"]}, {"required": ["ScheduleExpression"]}],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class RuleFile:
    """One EventBridge rule as written in ``generated/``."""

    stem: str
    path: Path
    document: dict[str, Any]

    @property
    def target(self) -> catalog.MachineSpec:
        spec = catalog.machine_by_file(self.document["Target"])
        assert spec is not None  # the schema admits only catalogued files
        return spec


@dataclass(frozen=True)
class Generated:
    """The parsed contents of ``generated/``."""

    directory: Path
    machines: dict[str, dict[str, Any]]  # file name -> ASL document
    rules: tuple[RuleFile, ...]


def rule_stems(directory: Path) -> tuple[str, ...]:
    """The rule files' names without ``.json`` (``cleanup-rule``), sorted; they name the rules."""
    if not directory.is_dir():
        return ()
    return tuple(sorted(p.name.removesuffix(".json") for p in directory.glob("*" + catalog.RULE_FILE_SUFFIX)))


def read_generated(directory: Path) -> Generated:
    """Read every catalogued definition and every rule file; refuse anything missing or unknown."""
    if not directory.is_dir():
        raise BadGenerated(f"{directory}: no such directory; run `python -m dsl build` first")
    known = {m.file for m in catalog.MACHINES}
    for path in sorted(directory.glob("*" + catalog.MACHINE_FILE_SUFFIX)):
        if path.name not in known:
            raise BadGenerated(f"{path}: no state machine is catalogued for this file; add a row to "
                               "deployer.catalog.MACHINES (expected one of: " + ", ".join(sorted(known)) + ")")
    machines = {}
    for spec in catalog.MACHINES:
        path = directory / spec.file
        try:
            machines[spec.file] = aslfile.load(str(path))
        except aslfile.AslLoadError as exc:
            raise BadGenerated(f"{exc}; run `python -m dsl build`") from None
    rules = []
    for stem in rule_stems(directory):
        path = directory / f"{stem}.json"
        try:
            document = aslfile.load(str(path))
        except aslfile.AslLoadError as exc:
            raise BadGenerated(str(exc)) from None
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(RULE_SCHEMA).iter_errors(document))
        if error is not None:
            where = "/" + "/".join(str(p) for p in error.absolute_path)
            raise BadGenerated(f"{path}:{where}: {error.message} (expected EventPattern or ScheduleExpression, "
                               "and Target naming a generated machine file)")
        rules.append(RuleFile(stem, path, document))
    return Generated(directory, machines, tuple(rules))
