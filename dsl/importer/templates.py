"""State machines inside CloudFormation and SAM templates.

Every ``AWS::StepFunctions::StateMachine`` (``Definition``, or
``DefinitionString`` as a string, ``Fn::Sub`` or ``Fn::Join``) and every
``AWS::Serverless::StateMachine`` (``Definition``, or ``DefinitionUri`` as a
local path). Deploy-time values stay placeholders: ``${Name}`` in a
``Fn::Sub`` string is kept as written, and ``Ref``/``Fn::GetAtt`` inside a
definition become ``${Name}`` / ``${Name.Attribute}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsl.importer.errors import SourceError

STEP_FUNCTIONS = "AWS::StepFunctions::StateMachine"
SERVERLESS = "AWS::Serverless::StateMachine"


@dataclass(frozen=True)
class TemplateMachine:
    """One state machine found in a template."""

    logical_id: str
    name: str
    document: dict[str, Any]
    express: bool  # StateMachineType (CloudFormation) or Type (SAM) is EXPRESS


def is_template(document: dict[str, Any]) -> bool:
    """True for a CloudFormation or SAM template (it has a Resources object)."""
    return isinstance(document.get("Resources"), dict)


def machines(template: dict[str, Any], source: str, folder: Path,
             read_file: Callable[[Path], Any]) -> list[TemplateMachine | SourceError]:
    """Each state machine of ``template``, or the error that keeps it out."""
    found: list[TemplateMachine | SourceError] = []
    for logical_id, resource in template["Resources"].items():
        if not isinstance(resource, dict) or resource.get("Type") not in (STEP_FUNCTIONS, SERVERLESS):
            continue
        where = f"{source}: {logical_id}"
        try:
            found.append(_machine(str(logical_id), resource, where, folder, read_file))
        except SourceError as exc:
            found.append(exc)
    if not found:
        raise SourceError(source, f"a template with no {STEP_FUNCTIONS} or {SERVERLESS} resource")
    return found


def _machine(logical_id: str, resource: dict[str, Any], where: str, folder: Path,
             read_file: Callable[[Path], Any]) -> TemplateMachine:
    properties = resource.get("Properties") or {}
    if not isinstance(properties, dict):
        raise SourceError(where, "Properties is not an object")
    serverless = resource["Type"] == SERVERLESS
    name = properties.get("Name" if serverless else "StateMachineName")
    name = name if isinstance(name, str) and name and "/" not in name else logical_id
    if "Definition" in properties:
        document = resolve(properties["Definition"], f"{where}: Definition")
    elif not serverless and "DefinitionString" in properties:
        text = _string(properties["DefinitionString"], f"{where}: DefinitionString")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(where, f"DefinitionString is not JSON (line {exc.lineno} column "
                                     f"{exc.colno}: {exc.msg})") from None
    elif not serverless and "DefinitionS3Location" in properties:
        raise SourceError(where, "DefinitionS3Location: the definition is in S3; download it and "
                                 "import the file")
    elif serverless and isinstance(properties.get("DefinitionUri"), str):
        document = read_file(folder / properties["DefinitionUri"])
    elif serverless and "DefinitionUri" in properties:
        raise SourceError(where, "DefinitionUri is an S3 location; only a local path can be imported")
    else:
        field = "Definition or DefinitionUri" if serverless else "Definition or DefinitionString"
        raise SourceError(where, f"no {field} in Properties")
    if not isinstance(document, dict):
        raise SourceError(where, "the definition is not an object")
    machine_type = properties.get("Type" if serverless else "StateMachineType")
    return TemplateMachine(logical_id, name, document, machine_type == "EXPRESS")


def _string(value: Any, where: str) -> str:
    """A DefinitionString: a string, ``Fn::Sub`` (string or [string, variables]) or ``Fn::Join``."""
    if isinstance(value, str):
        return value
    resolved = resolve(value, where)
    if not isinstance(resolved, str):
        raise SourceError(where, "expected a string, Fn::Sub or Fn::Join")
    return resolved


def resolve(value: Any, where: str) -> Any:
    """``value`` with template functions replaced by their ``${...}`` placeholders."""
    if isinstance(value, list):
        return [resolve(item, where) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref" and isinstance(argument, str):
            return "${" + argument + "}"
        if key == "Fn::GetAtt" and isinstance(argument, list) and len(argument) == 2 \
                and all(isinstance(a, str) for a in argument):
            return "${" + ".".join(argument) + "}"
        if key == "Fn::Sub":
            text = argument[0] if isinstance(argument, list) and argument else argument
            if not isinstance(text, str):
                raise SourceError(where, "Fn::Sub needs a string or [string, variables]")
            return text
        if key == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
                and isinstance(argument[0], str) and isinstance(argument[1], list):
            parts = [resolve(part, where) for part in argument[1]]
            if not all(isinstance(part, str) for part in parts):
                raise SourceError(where, "Fn::Join parts must be strings, Ref, Fn::GetAtt or Fn::Sub")
            return argument[0].join(parts)
        if isinstance(key, str) and (key.startswith("Fn::") or key == "Ref"):
            raise SourceError(where, f"{key} cannot be kept as a placeholder; expected Ref, "
                                     "Fn::GetAtt, Fn::Sub or Fn::Join")
    return {key: resolve(item, where) for key, item in value.items()}
