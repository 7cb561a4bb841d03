"""JSONata expressions in the right places, and well formed.

The syntax is checked with the ``jsonata`` parser (package jsonata-python) when
it is installed; it is imported only when a document holds an expression.
Without it, only the delimiters and emptiness are checked.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from dsl.document import NESTED_MACHINE_FIELDS, DocState, Document, walk_values
from dsl.findings import Finding
from dsl.validate.catalogue import RULES
from dsl.validate.rules.base import Options, finding, quoted

JSONATA_IN_JSONPATH = RULES.rule(
    "ASL-QL-001", "error",
    "a {% %} JSONata expression in a JSONPath state",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html")
MALFORMED_JSONATA = RULES.rule(
    "ASL-QL-002", "error",
    "a malformed JSONata expression in a JSONata state",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html")


def check(machine: Document, options: Options) -> Iterator[Finding]:
    """Query-language findings for every state."""
    for state in machine.states:
        yield from (_jsonata_state(state) if state.jsonata else _jsonpath_state(state))


def _strings(state: DocState) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for parts, value in walk_values(state.body, state.parts, skip_keys=NESTED_MACHINE_FIELDS):
        if isinstance(value, str) and parts[-1] != "Comment":
            yield parts, value


def _jsonpath_state(state: DocState) -> Iterator[Finding]:
    for parts, text in _strings(state):
        stripped = text.strip()
        if stripped.startswith("{%") and stripped.endswith("%}"):
            yield finding(JSONATA_IN_JSONPATH, parts,
                          f"JSONata expression in JSONPath state {quoted(state.name)} is not evaluated; "
                          "set \"QueryLanguage\": \"JSONata\" on the state or use a path (key.$)")


def _jsonata_state(state: DocState) -> Iterator[Finding]:
    for parts, text in _strings(state):
        opens, closes = text.startswith("{%"), text.endswith("%}")
        if not (opens or closes):
            continue
        if opens != closes or len(text) < 4:
            yield finding(MALFORMED_JSONATA, parts,
                          "JSONata expression must start with {% and end with %} with nothing outside them")
            continue
        reason = syntax_problem(text[2:-2].strip())
        if reason:
            yield finding(MALFORMED_JSONATA, parts, f"JSONata expression {reason}")


@functools.lru_cache(maxsize=4096)
def syntax_problem(expression: str) -> str | None:
    """None for a parsable JSONata expression, else why it is not."""
    if not expression:
        return "is empty"
    try:
        from jsonata.jexception import JException  # type: ignore[import-untyped]
        from jsonata.parser import Parser  # type: ignore[import-untyped]
    except ImportError:
        return None  # delimiters were checked; full syntax needs jsonata-python
    try:
        Parser().parse(expression)
    except JException as exc:
        return f"has a syntax error: {exc}"
    except RecursionError:
        return "is nested too deeply to parse"
    return None
