"""Placeholders (``${NAME}``) in generated definitions and rule files, and filling them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from dsl.placeholders import PATTERN

PLACEHOLDER = PATTERN


class UnknownPlaceholder(Exception):
    """A placeholder no value is known for."""

    def __init__(self, name: str, where: str) -> None:
        self.name = name
        self.where = where
        super().__init__(f"{where}: unknown placeholder ${{{name}}}")


def placeholders_in(value: Any) -> set[str]:
    """The names of every placeholder in ``value`` (keys and strings, at any depth)."""
    return {name for text in strings_in(value) for name in PLACEHOLDER.findall(text)}


def strings_in(value: Any) -> Iterator[str]:
    """Every string of ``value``: object keys and string values, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


def substitute(value: Any, values: Mapping[str, str], where: str = "") -> Any:
    """A copy of ``value`` with every placeholder replaced; raises ``UnknownPlaceholder``.

    Filling the parsed document rather than its text means a value can hold
    any character (quotes, backslashes) without breaking the JSON.
    """
    if isinstance(value, str):
        return _fill(value, values, where)
    if isinstance(value, list):
        return [substitute(v, values, f"{where}/{i}") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {_fill(k, values, where): substitute(v, values, f"{where}/{k}") for k, v in value.items()}
    return value


def _fill(text: str, values: Mapping[str, str], where: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise UnknownPlaceholder(name, where or "/")
        return values[name]
    return PLACEHOLDER.sub(one, text)

