"""Reading what to import: ASL files (JSON or YAML), standard input, templates, deployed machines.

Each source gives one :class:`Source` per workflow, or the :class:`SourceError`
that keeps it out (one line, exit 2).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dsl.aslfile import MAX_BYTES, AslLoadError, parse_text
from dsl.importer import cfn_yaml, templates
from dsl.importer.errors import SourceError
from dsl.importer.naming import module_name

_SUFFIXES = (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml", ".template")


@dataclass(frozen=True)
class Source:
    """One workflow to import."""

    label: str  # for messages: the file, "file: LogicalId", or the ARN
    module: str  # the module's file stem
    workflow: str  # the Workflow's name (its generated file's stem)
    document: dict[str, Any]
    origin: str  # for the module's docstring
    express: bool = False  # an EXPRESS machine (ASL cannot say; the template or AWS does)


def stem(path: str) -> str:
    """``flows/order.asl.json`` -> ``order``."""
    name = Path(path).name
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def read_path(path: str, *, stdin_name: str = "imported") -> list[Source | SourceError]:
    """The workflows in file ``path`` (``-``: standard input)."""
    if path == "-":
        label, data = "<stdin>", sys.stdin.buffer.read(MAX_BYTES + 1)
        name, origin = stdin_name, "standard input"
    else:
        label, data = path, _read_bytes(path)
        name, origin = stem(path), Path(path).name
    document = parse(label, data)
    if templates.is_template(document):
        folder = Path(path).parent if path != "-" else Path.cwd()
        found: list[Source | SourceError] = []
        for machine in templates.machines(document, label, folder, _read_definition):
            if isinstance(machine, SourceError):
                found.append(machine)
            else:
                found.append(Source(f"{label}: {machine.logical_id}", module_name(machine.logical_id),
                                    machine.name, machine.document,
                                    f"{origin} (resource {machine.logical_id})", machine.express))
        return found
    if "States" not in document:
        raise SourceError(label, f"unknown shape (top-level keys {sorted(document)[:5]}); expected an "
                                 "ASL definition (StartAt, States) or a CloudFormation/SAM template "
                                 "(Resources)")
    return [Source(label, module_name(name), name, document, origin)]


def read_arn(arn: str) -> Source:
    """A deployed machine, read with ``DescribeStateMachine`` (boto3's usual configuration)."""
    import boto3  # type: ignore[import-untyped]
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "states" or parts[5] != "stateMachine":
        raise SourceError(arn, "not a state machine ARN (expected "
                               "arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)")
    try:
        client = boto3.client("stepfunctions", region_name=parts[3])
        answer = client.describe_state_machine(stateMachineArn=arn)
    except (BotoCoreError, ClientError) as exc:
        raise SourceError(arn, f"DescribeStateMachine failed: {exc}") from None
    document = parse(arn, answer["definition"].encode("utf-8"))
    name = answer["name"]
    return Source(arn, module_name(name), name, document, arn, answer.get("type") == "EXPRESS")


def _read_bytes(path: str) -> bytes:
    file = Path(path)
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise SourceError(path, "is a directory; expected an ASL file or a template") from None
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror}") from None
    return data


def _read_definition(path: Path) -> Any:
    """A SAM DefinitionUri's file."""
    document = parse(str(path), _read_bytes(str(path)))
    if templates.is_template(document) or "States" not in document:
        raise SourceError(str(path), "DefinitionUri file is not an ASL definition (StartAt, States)")
    return document


def parse(label: str, data: bytes) -> dict[str, Any]:
    """JSON, or YAML when the text is not JSON; always a JSON object."""
    text = data.lstrip()
    if text.startswith(b"{") or label.lower().endswith(".json"):
        try:
            return parse_text(label, data)
        except AslLoadError as exc:
            raise SourceError(label, exc.message) from None
    if not text:
        raise SourceError(label, "file is empty; expected an ASL file or a template")
    if len(data) > MAX_BYTES or b"\x00" in data:
        raise SourceError(label, "too large (over 2 MiB) or binary; expected an ASL file or a template")
    try:
        document = cfn_yaml.load(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(label, f"not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise SourceError(label, f"invalid YAML{where}: {problem}") from None
    if not isinstance(document, dict):
        raise SourceError(label, f"top level is a {type(document).__name__}; expected an ASL "
                                 "definition or a template")
    problem = _not_json(document)
    if problem is not None:
        raise SourceError(label, problem)
    return document


def _not_json(value: Any, where: str = "") -> str | None:
    """Why a YAML value is not JSON data, or None."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"key {key!r} at {where or '/'} is not a string"
            found = _not_json(item, f"{where}/{key}")
            if found:
                return found
        return None
    if isinstance(value, list):
        return next((p for n, item in enumerate(value) if (p := _not_json(item, f"{where}/{n}"))), None)
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where}: {value} is not a JSON number"
    if value is None or isinstance(value, (str, int, float, bool)):
        return None
    return f"{where}: a YAML {type(value).__name__} is not JSON data"
