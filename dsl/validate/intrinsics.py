"""Parsing and checking intrinsic function calls such as ``States.Format('{}', $.a)``.

The parser keeps its own stack of open calls instead of recursing, so nested
calls of any depth are safe. Arguments are string literals (single quotes,
with ``\\'``, ``\\{``, ``\\}`` and ``\\\\`` escapes), numbers, ``true``,
``false``, ``null``, paths, and nested calls.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from dsl import jsonpath
from dsl.errors import CodedError
from dsl.rules import Rule
from dsl.validate.catalogue import RULES

SYNTAX = RULES.rule(
    "ASL-FN-001", "error",
    "an intrinsic function call is malformed (syntax, escape, path argument)",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html")
UNKNOWN = RULES.rule(
    "ASL-FN-002", "error",
    "an intrinsic function name is unknown",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html")
ARITY = RULES.rule(
    "ASL-FN-003", "error",
    "an intrinsic function gets the wrong number of arguments",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html")
ARGUMENT = RULES.rule(
    "ASL-FN-004", "error",
    "an intrinsic function argument is invalid (Format holes, Hash algorithm, JsonMerge deep flag, ArrayRange size)",
    docs="https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html")

# name -> (fewest, most) arguments; None means no upper bound.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "States.Format": (1, None),
    "States.StringToJson": (1, 1),
    "States.JsonToString": (1, 1),
    "States.Array": (0, None),
    "States.ArrayPartition": (2, 2),
    "States.ArrayContains": (2, 2),
    "States.ArrayRange": (3, 3),
    "States.ArrayGetItem": (2, 2),
    "States.ArrayLength": (1, 1),
    "States.ArrayUnique": (1, 1),
    "States.Base64Encode": (1, 1),
    "States.Base64Decode": (1, 1),
    "States.Hash": (2, 2),
    "States.JsonMerge": (3, 3),
    "States.MathRandom": (2, 3),
    "States.MathAdd": (2, 2),
    "States.StringSplit": (2, 2),
    "States.UUID": (0, 0),
}
HASH_ALGORITHMS = ("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512")
ARRAY_RANGE_LIMIT = 1000  # AWS: States.ArrayRange returns at most 1,000 items

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_ESCAPABLE = "'{}\\"


class IntrinsicSyntaxError(CodedError, ValueError):
    """The text is not one well-formed intrinsic function call."""

    code = "INTRINSIC-SYNTAX"


@dataclass
class Argument:
    """One argument: ``kind`` is string, number, path, literal or call."""

    kind: str
    value: str
    call: Call | None = None


@dataclass
class Call:
    """One call, with its arguments in order."""

    name: str
    arguments: list[Argument] = field(default_factory=list)


def looks_like_call(text: str) -> bool:
    """True when ``text`` starts like a function call (a name and an open parenthesis)."""
    match = _NAME.match(text.strip())
    return match is not None and text.strip()[match.end():].lstrip().startswith("(")


def parse(text: str) -> Call:
    """The call tree of ``text``; raises IntrinsicSyntaxError with the reason."""
    scanner = _Scanner(text)
    root = scanner.call_head()
    open_calls = [root]
    expect = "first"  # first argument or ')', 'next' argument, or 'separator'
    while open_calls:
        scanner.skip_space()
        char = scanner.peek()
        if char == ")" and expect != "next":
            scanner.advance()
            done = open_calls.pop()
            if open_calls:
                open_calls[-1].arguments.append(Argument("call", done.name, done))
            expect = "separator"
        elif expect == "separator":
            if char != ",":
                raise scanner.error("expected ',' or ')'")
            scanner.advance()
            expect = "next"
        else:
            argument = scanner.argument()
            if argument is None:
                open_calls.append(scanner.call_head())
                expect = "first"
            else:
                open_calls[-1].arguments.append(argument)
                expect = "separator"
    scanner.skip_space()
    if not scanner.at_end():
        raise scanner.error("unexpected text after the closing ')'")
    return root


def problems(text: str) -> list[tuple[Rule, str]]:
    """(rule id, message) for each problem with the intrinsic call in ``text``."""
    try:
        root = parse(text)
    except IntrinsicSyntaxError as exc:
        return [(SYNTAX, f"invalid intrinsic function call: {exc}")]
    found: list[tuple[Rule, str]] = []
    pending = [root]
    while pending:
        call = pending.pop()
        found.extend(_check_call(call))
        pending.extend(arg.call for arg in call.arguments if arg.call is not None)
    return found


def _check_call(call: Call) -> list[tuple[Rule, str]]:
    if call.name not in FUNCTIONS:
        close = difflib.get_close_matches(call.name, FUNCTIONS, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        return [(UNKNOWN, f"unknown intrinsic function {call.name}{hint}")]
    fewest, most = FUNCTIONS[call.name]
    count = len(call.arguments)
    if count < fewest or (most is not None and count > most):
        expected = str(fewest) if fewest == most else f"at least {fewest}" if most is None else f"{fewest} to {most}"
        return [(ARITY, f"{call.name} takes {expected} argument{'s' if expected != '1' else ''}; got {count}")]
    found = [(SYNTAX, f"argument {index} of {call.name}: path {arg.value!r} {reason}")
             for index, arg in enumerate(call.arguments, 1) if arg.kind == "path"
             for reason in [jsonpath.problem(arg.value)] if reason]
    return found + [(ARGUMENT, message) for message in _argument_problems(call)]


def _argument_problems(call: Call) -> list[str]:
    args = call.arguments
    if call.name == "States.Format" and args[0].kind == "string":
        holes = _count_holes(args[0].value)
        if holes != len(args) - 1:
            values = len(args) - 1
            holes_text = f"{holes} '{{}}' placeholder{'s' if holes != 1 else ''}"
            values_text = f"{values} value{' follows' if values == 1 else 's follow'}"
            return [f"States.Format template has {holes_text} but {values_text}"]
    if call.name == "States.Hash" and args[1].kind == "string" and args[1].value not in HASH_ALGORITHMS:
        return [f"States.Hash algorithm must be one of {', '.join(HASH_ALGORITHMS)}; got {args[1].value!r}"]
    if call.name == "States.JsonMerge" and not (args[2].kind == "literal" and args[2].value == "false"):
        return ["States.JsonMerge supports only a shallow merge: its third argument must be false"]
    if call.name in ("States.MathAdd", "States.MathRandom") and any(arg.kind == "string" for arg in args):
        # AWS: both functions take numbers (or paths to numbers); a quoted '-1' is a string.
        return [f"{call.name} takes numbers or paths, not strings"]
    if call.name == "States.ArrayRange" and all(arg.kind == "number" for arg in args):
        start, end, step = (float(arg.value) for arg in args)
        if step == 0:
            return ["States.ArrayRange step must not be 0"]
        if (end - start) / step + 1 > ARRAY_RANGE_LIMIT:
            return [f"States.ArrayRange would return more than {ARRAY_RANGE_LIMIT} items"]
    return []


def _count_holes(template: str) -> int:
    """'{}' pairs in an unescaped template value ('\\{' was already unescaped by the scanner)."""
    return template.replace("\x00{", "").replace("\x00}", "").count("{}")


class _Scanner:
    """Character-level reading of an intrinsic call."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0

    def peek(self) -> str:
        return self.text[self.index] if self.index < len(self.text) else ""

    def advance(self) -> None:
        self.index += 1

    def at_end(self) -> bool:
        return self.index >= len(self.text)

    def skip_space(self) -> None:
        while self.index < len(self.text) and self.text[self.index].isspace():
            self.index += 1

    def error(self, reason: str) -> IntrinsicSyntaxError:
        where = f"at character {self.index + 1}" if not self.at_end() else "at the end"
        return IntrinsicSyntaxError(f"{reason} {where}")

    def call_head(self) -> Call:
        """Read ``Name(`` and return the open call."""
        self.skip_space()
        match = _NAME.match(self.text, self.index)
        if not match:
            raise self.error("expected a function name such as States.Format")
        self.index = match.end()
        self.skip_space()
        if self.peek() != "(":
            raise self.error(f"expected '(' after {match.group()}")
        self.advance()
        return Call(match.group())

    def argument(self) -> Argument | None:
        """Read one argument; None when it is a nested call (whose head is not yet read)."""
        char = self.peek()
        if char == "'":
            return Argument("string", self._string())
        if char == "$":
            return Argument("path", self._path())
        number = _NUMBER.match(self.text, self.index)
        if number:
            self.index = number.end()
            return Argument("number", number.group())
        name = _NAME.match(self.text, self.index)
        if name and name.group() in ("true", "false", "null"):
            self.index = name.end()
            return Argument("literal", name.group())
        if name:
            return None
        raise self.error("expected an argument ('text', a number, a path, true, false, null or a call)")

    def _string(self) -> str:
        """A quoted literal; escaped braces become '\\x00{' so they are not counted as holes."""
        start = self.index
        self.advance()
        out: list[str] = []
        while not self.at_end():
            char = self.peek()
            if char == "\\":
                self.advance()
                escaped = self.peek()
                if not escaped or escaped not in _ESCAPABLE:
                    raise self.error(f"invalid escape '\\{escaped}' (only \\' \\{{ \\}} \\\\ are allowed)")
                out.append("\x00" + escaped if escaped in "{}" else escaped)
            elif char == "'":
                self.advance()
                return "".join(out)
            else:
                out.append(char)
            self.advance()
        self.index = start
        raise self.error("unclosed string literal")

    def _path(self) -> str:
        """A path runs to the next ',' or ')' outside brackets and quotes."""
        start, depth, quote = self.index, 0, ""
        while not self.at_end():
            char = self.peek()
            if quote:
                if char == "\\":
                    self.advance()
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            self.advance()
        return self.text[start:self.index].rstrip()
