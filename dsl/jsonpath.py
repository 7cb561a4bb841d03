"""A scanner for the JSONPath dialect of ASL, with the reason a path is refused.

A *path* may select many nodes (wildcards, deep scan, slices, unions, filters);
a *reference path* names exactly one node (only ``.name``, ``['name']`` and
``[index]`` steps). Paths start at ``$`` (the state input), ``$$`` (the context
object) or ``$name`` (a workflow variable). The scanner is a loop over the
characters, so a long or odd path costs linear time and never recurses.
"""

from __future__ import annotations

from dataclasses import dataclass

_NAME_STOP = frozenset(".[]()'\"")


@dataclass(frozen=True)
class PathKind:
    """What a field accepts."""

    reference: bool = False
    context: bool = True
    variables: bool = True


ANY_PATH = PathKind()
REFERENCE = PathKind(reference=True)
RESULT_PATH = PathKind(reference=True, context=False, variables=False)


def problem(text: str, kind: PathKind = ANY_PATH) -> str | None:
    """None when ``text`` is a well-formed path of ``kind``, else why it is not."""
    if not text.startswith("$"):
        return "must start with $"
    index = _root_end(text)
    if text.startswith("$$") and not kind.context:
        return "cannot use the context object ($$) here"
    if index > 1 and not text.startswith("$$") and not kind.variables:
        return "cannot use a workflow variable here"
    if index == 1 and len(text) > 1 and text[1] not in ".[":
        return f"unexpected {text[1]!r} at character 2 (a variable name starts with a letter or _)"
    while index < len(text):
        char = text[index]
        if char == ".":
            index, reason = _dot_step(text, index, kind)
        elif char == "[":
            index, reason = _bracket_step(text, index, kind)
        else:
            reason = f"unexpected {char!r} at character {index + 1}"
        if reason:
            return reason
    return None


def _root_end(text: str) -> int:
    if text.startswith("$$"):
        return 2
    index = 1
    if index < len(text) and (text[index].isalpha() or text[index] == "_"):
        while index < len(text) and (text[index].isalnum() or text[index] == "_"):
            index += 1
    return index


def _dot_step(text: str, index: int, kind: PathKind) -> tuple[int, str | None]:
    start = index
    if text.startswith("..", index):
        if kind.reference:
            return index, f"'..' (deep scan) at character {index + 1} can select many nodes; a reference path names exactly one"
        index += 2
        if index < len(text) and text[index] == "[":
            return index, None
    else:
        index += 1
    if index < len(text) and text[index] == "*":
        if kind.reference:
            return index, f"'*' at character {index + 1} selects many nodes; a reference path names exactly one"
        return index + 1, None
    end = index
    while end < len(text) and text[end] not in _NAME_STOP and not text[end].isspace():
        end += 1
    if end == index:
        return index, f"missing member name after '.' at character {start + 1}"
    if end < len(text) and text[end].isspace():
        return end, f"whitespace in a member name at character {end + 1}; write ['name with spaces']"
    if text.startswith("()", end) and not kind.reference:
        return end + 2, None  # a function step such as .length()
    if end < len(text) and text[end] in "()'\"":
        return end, f"unexpected {text[end]!r} at character {end + 1}"
    return end, None


def _bracket_step(text: str, index: int, kind: PathKind) -> tuple[int, str | None]:
    close, reason = _closing_bracket(text, index)
    if reason:
        return index, reason
    inner = text[index + 1:close].strip()
    where = f"[{inner}] at character {index + 1}"
    single = _single_selector(inner)
    if single == "bad":
        return index, f"invalid selector {where}"
    if single == "many" and kind.reference:
        return index, f"{where} can select many nodes; a reference path names exactly one"
    return close + 1, None


def _closing_bracket(text: str, index: int) -> tuple[int, str | None]:
    """The index of the ']' closing the '[' at ``index``, skipping quotes and nested brackets."""
    closers: list[str] = []
    quote, position = "", index
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            closers.append("]" if char == "[" else ")")
        elif char in "])":
            if char != closers.pop():
                return index, f"unbalanced {char!r} at character {position + 1}"
            if not closers:
                return position, None
        position += 1
    if quote:
        return index, f"unclosed quote in the '[' at character {index + 1}"
    return index, f"unclosed '[' at character {index + 1}"


def _single_selector(inner: str) -> str:
    """'one' for a selector naming one node, 'many' for one that may select many, else 'bad'."""
    if not inner:
        return "bad"
    if inner.isascii() and inner.isdigit():
        return "one"
    if _is_quoted(inner):
        return "one"
    if inner == "*":
        return "many"
    if inner.startswith("?(") and inner.endswith(")") and len(inner) > 3:
        return "many"
    if inner.startswith("(") and inner.endswith(")") and len(inner) > 2:
        return "many"
    items = [item.strip() for item in inner.split(",")] if "," in inner else []
    if items and all(_is_integer(item) or _is_quoted(item) for item in items):
        return "many"
    if _is_integer(inner):
        return "many"  # a negative index counts from the end
    if ":" in inner and 2 <= len(inner.split(":")) <= 3 and all(
            not piece.strip() or _is_integer(piece.strip()) for piece in inner.split(":")):
        return "many"
    return "bad"


def _is_integer(text: str) -> bool:
    digits = text.removeprefix("-")
    return digits.isascii() and digits.isdigit()


def _is_quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" and (
        text[0] not in text[1:-1].replace("\\" + text[0], ""))
