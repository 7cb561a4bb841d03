"""Readable one-line messages for jsonschema errors.

jsonschema's own messages print whole sub-documents and schema fragments. Here
each error becomes ``<subject> <what is expected>``, where the subject names the
field or state, e.g. ``"TimeoutSeconds" must be at least 1; got 0``. Schema
fragments may carry an ``errorMessage`` annotation that phrases their rule.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dsl.placeholders import is_placeholder

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

Part = str | int
Located = tuple[tuple[Part, ...], str]

# Fields that exist in one query language only: named in messages so that a
# JSONPath habit in a JSONata state (or the reverse) is explained, not just refused.
JSONPATH_ONLY = frozenset({
    "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result", "ItemsPath",
    "Iterator", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
    "ErrorPath", "CausePath", "MaxConcurrencyPath", "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath", "MaxItemsPath", "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatchPath", "Variable", "And", "Or", "Not",
})
JSONATA_ONLY = frozenset({"Arguments", "Output", "Items", "Condition"})

_TYPE_NAMES = {"integer": "an integer", "number": "a number", "string": "a string", "object": "an object",
               "array": "an array", "boolean": "true or false", "null": "null"}
# Keywords whose failure is about the object's field set: a fragment's
# errorMessage phrases its value rules, never these.
_FIELD_SET_KEYWORDS = frozenset({"required", "additionalProperties", "minProperties", "unevaluatedProperties"})


def translate(error: ValidationError) -> list[Located]:
    """The findings (path parts, message) for one jsonschema error."""
    parts: tuple[Part, ...] = tuple(error.absolute_path)
    keyword = str(error.validator)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.relative_schema_path:
        return [_property_name(error, parts, schema)]
    if keyword == "additionalProperties":
        return [((*parts, extra), _unknown_field(extra, error)) for extra in _extras(error)]
    if keyword == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        subject = _subject(parts)
        title = str(schema.get("title", ""))
        if subject.startswith("state ") and title.endswith(" state"):
            subject = f"{title} {subject[len('state '):]}"
        return [(parts, f"{subject} is missing required field {_quote(name)}") for name in missing]
    custom = schema.get("errorMessage") if keyword not in _FIELD_SET_KEYWORDS else None
    if isinstance(custom, str):
        return [(parts, f"{_subject(parts)} {custom}{_found(error)}{_got(error, keyword)}")]
    return [(parts, f"{_subject(parts)} {_predicate(error, keyword)}")]


def _predicate(error: ValidationError, keyword: str) -> str:
    value = error.validator_value
    got = _show(error.instance)
    if keyword == "type":
        expected = " or ".join(_TYPE_NAMES.get(name, name) for name in _as_list(value))
        hint = ""
        if is_placeholder(error.instance) and \
                {"integer", "number"} & set(_as_list(value)):
            hint = ("; a ${placeholder} is still a string after substitution, so a numeric field "
                    "needs a literal number (or the matching ...Path field)")
        return f"must be {expected}; got {got}{hint}"
    if keyword == "enum":
        return f"must be one of {', '.join(map(str, value))}; got {got}{_did_you_mean(error.instance, value)}"
    if keyword == "const":
        return f"must be {_show(value)}; got {got}"
    if keyword in ("minimum", "exclusiveMinimum"):
        return f"must be {'at least' if keyword == 'minimum' else 'more than'} {value}; got {got}"
    if keyword in ("maximum", "exclusiveMaximum"):
        return f"must be {'at most' if keyword == 'maximum' else 'less than'} {value}; got {got}"
    if keyword == "minLength":
        return f"must be at least {value} character{'s' if value != 1 else ''} long"
    if keyword == "maxLength":
        return f"must be at most {value} characters long; got {len(error.instance)}"
    if keyword == "minItems":
        return f"must have at least {value} item{'s' if value != 1 else ''}"
    if keyword == "minProperties":
        return f"must have at least {value} entr{'ies' if value != 1 else 'y'}"
    if keyword in ("oneOf", "anyOf"):
        names = _required_alternatives(value)
        if names is not None:
            amount = "exactly one" if keyword == "oneOf" else "at least one"
            return f"needs {amount} of {', '.join(names)}{_found(error)}"
        return _best_alternative(error)
    if keyword == "pattern":
        return f"has an invalid format; got {got}"
    if keyword in ("not", "False schema"):
        return "is not allowed here"
    return str(error.message).splitlines()[0][:200]


def _property_name(error: ValidationError, parts: tuple[Part, ...], schema: dict[str, Any]) -> Located:
    key = str(error.instance)
    where = (*parts, key)
    custom = schema.get("errorMessage")
    if isinstance(custom, str):
        return where, f"{_quote(key)} {custom}"
    if parts and parts[-1] == "States" or error.validator in ("minLength", "maxLength"):
        if error.validator == "maxLength":
            return where, (f"state name {_quote(key[:40] + '...')} is {len(key)} characters long; "
                           f"at most {error.validator_value} allowed")
        if error.validator == "minLength":
            return where, "state names must not be empty"
    if error.validator == "enum":
        return where, f"{_quote(key)} is not a field of a Choice rule{_did_you_mean(key, error.validator_value)}"
    return where, f"{_quote(key)} is not allowed here"


def _unknown_field(name: str, error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = str(schema.get("title", "this object"))
    known = list(schema.get("properties", {}))
    if title.startswith("JSONata") and name in JSONPATH_ONLY:
        return (f"{_quote(name)} is a JSONPath field; this state uses JSONata "
                "(use Arguments, Output and Assign with {% %} expressions)")
    if title.startswith("JSONPath") and name in JSONATA_ONLY:
        return (f"{_quote(name)} is a JSONata field; this state uses JSONPath "
                "(set \"QueryLanguage\": \"JSONata\" on the state or the machine to use it)")
    article = "an" if title[:1].lower() in "aeiou" else "a"
    return f"{_quote(name)} is not a field of {article} {title}{_did_you_mean(name, known)}"


def _extras(error: ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties", {})
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [key for key in instance if key not in known]


def _required_alternatives(alternatives: Any) -> list[str] | None:
    """The field names when every alternative is just ``{"required": [name]}``."""
    names: list[str] = []
    for alternative in _as_list(alternatives):
        if not (isinstance(alternative, dict) and list(alternative) == ["required"]
                and len(alternative["required"]) == 1):
            return None
        names.append(alternative["required"][0])
    return names


def _found(error: ValidationError) -> str:
    names = _required_alternatives(error.validator_value) if error.validator in ("oneOf", "anyOf") else None
    if names is None or not isinstance(error.instance, dict):
        return ""
    present = [name for name in names if name in error.instance]
    return f" (found: {', '.join(present)})" if present else " (found none)"


def _got(error: ValidationError, keyword: str) -> str:
    if keyword in ("type", "pattern", "anyOf", "enum", "maxLength") and not isinstance(error.instance, (dict, list)):
        return f"; got {_show(error.instance)}"
    return ""


def _best_alternative(error: ValidationError) -> str:
    """For a failed anyOf/oneOf of real schemas: the alternative that got furthest."""
    context = list(error.context or [])
    if not context:
        return "does not match any allowed form"
    best = max(context, key=lambda sub: (len(sub.absolute_path), sub.validator not in ("type", "required")))
    located = translate(best)
    return located[0][1].split(" ", 1)[1] if located and " " in located[0][1] else "does not match any allowed form"


def _subject(parts: Sequence[Part]) -> str:
    if not parts:
        return "the definition"
    if len(parts) >= 2 and parts[-2] == "States":
        return f"state {_quote(str(parts[-1]))}"
    last = parts[-1]
    if isinstance(last, int):
        parent = next((str(p) for p in reversed(parts[:-1]) if isinstance(p, str)), "item")
        return f"{parent}[{last}]"
    return _quote(last)


def _did_you_mean(value: Any, options: Any) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, [str(o) for o in _as_list(options)], n=1, cutoff=0.75)
    return f"; did you mean {_quote(close[0])}?" if close else ""


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "...\""


def _quote(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]
