"""Placeholders (``${NAME}``) in generated definitions and rule files, and filling them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from dsl.findings import pointer
from dsl.placeholders import PATTERN

PLACEHOLDER = PATTERN


class UnknownPlaceholder(Exception):
    """A placeholder no value is known for."""

    def __init__(self, name: str, where: str) -> None:
        self.name = name
        self.where = where
        super().__init__(f"{where}: unknown placeholder ${{{name}}}")


def placeholder_uses(value: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every placeholder of ``value`` as (name, JSON Pointer of the string or key that holds it)."""
    if isinstance(value, str):
        yield from ((name, pointer(*at) or "/") for name in PLACEHOLDER.findall(value))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from placeholder_uses(item, (*at, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from ((name, pointer(*at, key)) for name in PLACEHOLDER.findall(key))
            yield from placeholder_uses(item, (*at, key))


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

