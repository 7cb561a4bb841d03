"""Which top-level input fields a JSONata ``Output`` passes on unchanged.

Owner tracking (:mod:`semaphore.verify.binding`) follows an owner kept in the data
(``$.lock.owner``). JSONPath states say where their result goes (ResultPath);
a JSONata state writes its whole output, so the analysis reads the common
forms that keep the input and change named fields:

* ``{% $states.input %}``: everything kept;
* ``{% $merge([$states.input, {'a': ..., 'b': ...}]) %}``: all but ``a`` and ``b``;
* ``{% $sift($states.input, function($v, $k) { $k != 'a' }) %}``: all but ``a``.

Anything else is opaque: nothing is known to be kept.
"""

from __future__ import annotations

import re

__all__ = ["replaced_fields"]

_INPUT = re.compile(r"\$states\.input")
_MERGE = re.compile(r"\$merge\(\[\s*\$states\.input\s*,\s*\{(?P<body>.*)\}\s*\]\)", re.DOTALL)
_SIFT = re.compile(r"\$sift\(\s*\$states\.input\s*,\s*function\(\s*\$v\s*,\s*\$k\s*\)\s*\{\s*\$k\s*!=\s*"
                   r"(?P<q>['\"])(?P<key>[^'\"]*)(?P=q)\s*\}\s*\)")
_KEY = re.compile(r"\s*(['\"])([^'\"]*)\1\s*:")


def _top_level_keys(body: str) -> set[str] | None:
    """The keys of a JSONata object constructor's body, or None if it cannot be read."""
    keys: set[str] = set()
    depth, quote, start, escaped = 0, "", 0, False
    entries: list[str] = []
    for index, char in enumerate(body):
        if quote:
            # a backslash escapes the next character ("a\"b" is one string)
            quote, escaped = ("" if char == quote and not escaped else quote), char == "\\" and not escaped
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:  # the object closed early: more follows it (another object, an operator)
                return None
        elif char == "," and depth == 0:
            entries.append(body[start:index])
            start = index + 1
    if quote or depth:
        return None
    entries.append(body[start:])
    for entry in entries:
        if not entry.strip():
            continue
        match = _KEY.match(entry)
        if match is None:
            return None
        keys.add(match.group(2))
    return keys


def replaced_fields(output: object) -> set[str] | None:
    """The top-level input fields ``output`` may change (every other is passed on unchanged);
    None when the expression is not one of the forms this module reads."""
    if not isinstance(output, str):
        return None
    text = output.strip()
    if not (text.startswith("{%") and text.endswith("%}")):
        return None
    inner = text[2:-2].strip()
    if _INPUT.fullmatch(inner):
        return set()
    merge = _MERGE.fullmatch(inner)
    if merge is not None:
        return _top_level_keys(merge.group("body"))
    sift = _SIFT.fullmatch(inner)
    if sift is not None:
        return {sift.group("key")}
    return None
