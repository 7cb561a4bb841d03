"""A small tree of Python expressions, rendered as a person would format them.

An expression is printed on one line when it fits in ``WIDTH`` columns;
otherwise calls put one argument per line, method chains one call per line,
``>>`` chains one state per line, and long strings are split at spaces into
adjacent literals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

WIDTH = 100
INDENT = "    "


class Code:
    """One Python expression."""

    def flat(self) -> str:
        """The expression on one line."""
        raise NotImplementedError

    def lines(self, indent: str) -> list[str]:
        """The expression broken over lines; the first line is not indented."""
        return [self.flat()]


def render(code: Code, indent: str = "", prefix: str = "", suffix: str = "") -> list[str]:
    """``prefix + code + suffix`` as lines starting at ``indent``, within WIDTH where possible."""
    flat = code.flat()
    if len(indent) + len(prefix) + len(flat) + len(suffix) <= WIDTH:
        return [indent + prefix + flat + suffix]
    lines = code.lines(indent)
    lines[0] = indent + prefix + lines[0]
    lines[-1] += suffix
    return lines


@dataclass(frozen=True)
class Raw(Code):
    """Source text used as is: a name, a number, ``None``."""

    text: str

    def flat(self) -> str:
        return self.text


def literal(value: object) -> Code:
    """A Python literal for a JSON scalar."""
    if isinstance(value, str):
        return Str(value)
    return Raw(repr(value))


@dataclass(frozen=True)
class Str(Code):
    """A string literal, double-quoted; split at spaces when too long."""

    value: str

    def flat(self) -> str:
        return _quote(self.value)

    def lines(self, indent: str) -> list[str]:
        inner = indent + INDENT
        room = max(WIDTH - len(inner) - 2, 20)
        chunks: list[str] = []
        current: str | None = None
        for word in self.value.split(" "):  # every space is kept, at the end of its chunk
            if current is None:
                current = word
            elif current and len(_quote(f"{current} {word}")) > room:
                chunks.append(current + " ")
                current = word
            else:
                current = f"{current} {word}"
        chunks.append(current or "")
        if len(chunks) == 1:
            return [self.flat()]
        return ["(", *(inner + _quote(chunk) for chunk in chunks), indent + ")"]


def _quote(text: str) -> str:
    # JSON's escapes are valid Python escapes; non-ASCII text stays readable, unless it holds a
    # lone surrogate, which a UTF-8 file cannot.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(text)
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class CallExpr(Code):
    """``func(arg, ..., key=value, ...)``."""

    func: str
    args: tuple[Code, ...] = ()
    kwargs: tuple[tuple[str, Code], ...] = ()

    def flat(self) -> str:
        return f"{self.func}({_flat_args(self.args, self.kwargs)})"

    def lines(self, indent: str) -> list[str]:
        return [f"{self.func}(", *_arg_lines(self.args, self.kwargs, indent + INDENT), indent + ")"]


def _flat_args(args: tuple[Code, ...], kwargs: tuple[tuple[str, Code], ...]) -> str:
    return ", ".join([a.flat() for a in args] + [f"{k}={v.flat()}" for k, v in kwargs])


def _arg_lines(args: tuple[Code, ...], kwargs: tuple[tuple[str, Code], ...], inner: str) -> list[str]:
    if len(args) == 1 and not kwargs and isinstance(args[0], Operators):
        return args[0].bare(inner)  # a lone chain needs no parentheses of its own
    out: list[str] = []
    for arg in args:
        out += render(arg, inner, suffix=",")
    for key, value in kwargs:
        out += render(value, inner, prefix=f"{key}=", suffix=",")
    return out


@dataclass(frozen=True)
class Method(Code):
    """``target.name(args)``: one link of a fluent chain."""

    target: Code
    name: str
    args: tuple[Code, ...] = ()
    kwargs: tuple[tuple[str, Code], ...] = ()

    def flat(self) -> str:
        return f"{self.target.flat()}.{self.name}({_flat_args(self.args, self.kwargs)})"

    def lines(self, indent: str) -> list[str]:
        links: list[Method] = []
        head: Code = self
        while isinstance(head, Method):
            links.append(head)
            head = head.target
        inner = indent + INDENT
        out = ["(", *render(head, inner)]
        for link in reversed(links):
            call = CallExpr(f".{link.name}", link.args, link.kwargs)
            out += render(call, inner)
        return [*out, indent + ")"]


@dataclass(frozen=True)
class Operators(Code):
    """``a op b op c`` (``>>``, ``&``, ``|``); operands already parenthesised as needed."""

    op: str
    operands: tuple[Code, ...]

    def flat(self) -> str:
        return f" {self.op} ".join(o.flat() for o in self.operands)

    def lines(self, indent: str) -> list[str]:
        return ["(", *self.bare(indent + INDENT), indent + ")"]

    def bare(self, indent: str) -> list[str]:
        """One operand per line at ``indent``, without the enclosing parentheses."""
        out: list[str] = []
        for n, operand in enumerate(self.operands):
            out += render(operand, indent, prefix="" if n == 0 else f"{self.op} ")
        return out


@dataclass(frozen=True)
class Paren(Code):
    """``(inner)``."""

    inner: Code

    def flat(self) -> str:
        return f"({self.inner.flat()})"

    def lines(self, indent: str) -> list[str]:
        if isinstance(self.inner, (Operators, Method, Str)):
            return self.inner.lines(indent)  # already wrapped in parentheses when broken
        return ["(", *render(self.inner, indent + INDENT), indent + ")"]


@dataclass(frozen=True)
class Prefix(Code):
    """``~operand``."""

    op: str
    operand: Code

    def flat(self) -> str:
        return self.op + self.operand.flat()

    def lines(self, indent: str) -> list[str]:
        inner = self.operand.lines(indent)
        return [self.op + inner[0], *inner[1:]]


@dataclass(frozen=True)
class Dict(Code):
    """``{key: value, ...}``."""

    items: tuple[tuple[Code, Code], ...]

    def flat(self) -> str:
        return "{" + ", ".join(f"{k.flat()}: {v.flat()}" for k, v in self.items) + "}"

    def lines(self, indent: str) -> list[str]:
        inner = indent + INDENT
        out = ["{"]
        for key, value in self.items:
            out += render(value, inner, prefix=f"{key.flat()}: ", suffix=",")
        return [*out, indent + "}"]


@dataclass(frozen=True)
class List(Code):
    """``[item, ...]``."""

    items: tuple[Code, ...]

    def flat(self) -> str:
        return "[" + ", ".join(i.flat() for i in self.items) + "]"

    def lines(self, indent: str) -> list[str]:
        inner = indent + INDENT
        out = ["["]
        for item in self.items:
            out += render(item, inner, suffix=",")
        return [*out, indent + "]"]


@dataclass(frozen=True)
class Tuple(Code):
    """``(item, ...)`` (a one-item tuple keeps its comma)."""

    items: tuple[Code, ...]

    def flat(self) -> str:
        body = ", ".join(i.flat() for i in self.items)
        return f"({body},)" if len(self.items) == 1 else f"({body})"

    def lines(self, indent: str) -> list[str]:
        inner = indent + INDENT
        out = ["("]
        for item in self.items:
            out += render(item, inner, suffix=",")
        return [*out, indent + ")"]
