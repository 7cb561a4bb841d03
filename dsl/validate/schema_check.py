"""JSON Schema validation of an ASL document against ``schema/asl.schema.json``.

The schema is read and compiled once per process, on first use: importing
:mod:`dsl.validate` does not import ``jsonschema`` at all, and every later call
reuses the same validator.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dsl.findings import Finding, pointer
from dsl.validate.catalogue import RULES
from dsl.validate.messages import translate

if TYPE_CHECKING:
    from jsonschema.protocols import Validator  # type: ignore[import-untyped]

SCHEMA_PATH = Path(__file__).with_name("schema") / "asl.schema.json"
SCHEMA = RULES.rule(
    "SCHEMA", "error", "breaks the ASL JSON Schema: missing or unknown field, wrong type, value out of range, "
    "a field of the other query language, or a wrong combination of fields",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html")


def load_schema() -> dict[str, Any]:
    """The ASL JSON Schema as written in the package (a fresh copy)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@functools.cache
def compiled_validator() -> Validator:
    """The Draft 2020-12 validator for the ASL schema, built once per process."""
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    schema = load_schema()
    _inline_local_refs(schema)
    validator: Validator = Draft202012Validator(schema)
    return validator


def schema_findings(doc: dict[str, Any]) -> list[Finding]:
    """One ``SCHEMA`` finding per problem the schema sees in ``doc``."""
    validator = compiled_validator()
    findings: list[Finding] = []
    try:
        for error in validator.iter_errors(doc):
            for parts, message in translate(error):
                findings.append(SCHEMA.at(pointer(*parts), message))
    except RecursionError:
        # jsonschema descends recursively; only absurdly nested states or
        # Choice rules get here (payload values are not descended into).
        findings.append(SCHEMA.at("", "the definition's states or Choice rules are nested too deeply "
                                          "to check against the schema; flatten the nesting"))
    return findings


def _inline_local_refs(schema: dict[str, Any]) -> None:
    """Replace each ``{"$ref": "#/$defs/X"}`` that has no sibling keywords by X itself.

    Validation then follows plain dict links instead of resolving references
    (about four times faster). Shared dicts make recursive definitions cyclic,
    which is fine: the validator walks the instance, not the schema.
    """
    defs: dict[str, Any] = schema["$defs"]
    prefix = "#/$defs/"
    seen: set[int] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        slots: list[tuple[Any, Any]] = (list(node.items()) if isinstance(node, dict)
                                        else list(enumerate(node)) if isinstance(node, list) else [])
        for key, value in slots:
            while isinstance(value, dict) and len(value) == 1 and str(value.get("$ref", "")).startswith(prefix):
                value = defs[value["$ref"][len(prefix):]]
                node[key] = value
            if isinstance(value, (dict, list)):
                stack.append(value)
