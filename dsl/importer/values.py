"""JSON values -> Python expressions: ``P(...)``, ``Context.*``, intrinsic builders, ``jsonata(...)``.

In payload fields (Parameters, ResultSelector, ItemSelector) a ``"key.$"``
entry becomes ``"key": P("$.x")`` or ``"key": States.format(...)``, which the
compiler turns back into ``"key.$"``. Every rewrite is checked on the spot
(the builder's text must equal the source text); when it would not, the entry
stays as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dsl.importer.code import CallExpr, Code, Dict, List, Raw, Str, literal
from dsl.paths import Context, Intrinsic, P, States, is_path, jsonata
from dsl.validate import intrinsics

# "$$.Execution.Id" -> "Context.execution_id"
_CONTEXT = {value.path: f"Context.{name}" for name, value in vars(Context).items()
            if isinstance(value, P)}

# States.Format -> States.format, States.UUID -> States.uuid, ...
_BUILDERS: dict[str, str] = {
    name: "".join("_" + c.lower() if c.isupper() and i else c.lower()
                  for i, c in enumerate(name.removeprefix("States.")))
    for name in intrinsics.FUNCTIONS
}
_BUILDERS["States.UUID"] = "uuid"


class Imports:
    """The names an emitted module uses: ``from dsl import ...`` and integration modules."""

    def __init__(self) -> None:
        self.dsl: set[str] = set()
        self.integrations: set[str] = set()

    def name(self, name: str) -> str:
        """Use ``name`` from ``dsl``; returns it."""
        self.dsl.add(name)
        return name

    def module(self, module: str) -> str:
        """Use ``dsl.integrations.<module>``; returns it."""
        self.integrations.add(module)
        return module


class Values:
    """Renders JSON values for one module, recording what it imports."""

    def __init__(self, imports: Imports) -> None:
        self.imports = imports

    def plain(self, value: Any, *, jsonata_strings: bool = False) -> Code:
        """``value`` as a Python literal; JSONata strings as ``jsonata(...)`` when asked."""
        if isinstance(value, dict):
            return Dict(tuple((Str(k), self.plain(v, jsonata_strings=jsonata_strings))
                              for k, v in value.items()))
        if isinstance(value, list):
            return List(tuple(self.plain(v, jsonata_strings=jsonata_strings) for v in value))
        if jsonata_strings and isinstance(value, str):
            expression = jsonata_expression(value)
            if expression is not None:
                return CallExpr(self.imports.name("jsonata"), (Str(expression),))
        return literal(value)

    def payload(self, value: Any, *, special: Callable[[Any], Code | None] | None = None) -> Code:
        """A payload: ``"key.$"`` entries become paths and intrinsic builders.

        ``special`` may render a nested value its own way (DynamoDB attribute values).
        """
        if special is not None:
            custom = special(value)
            if custom is not None:
                return custom
        if isinstance(value, list):
            return List(tuple(self.payload(v, special=special) for v in value))
        if not isinstance(value, dict):
            return literal(value)
        items: list[tuple[Code, Code]] = []
        for key, item in value.items():
            dynamic = self.dynamic(item) if key.endswith(".$") and key[:-2] not in value else None
            if dynamic is not None:
                items.append((Str(key[:-2]), dynamic))
            elif key.endswith(".$"):
                items.append((Str(key), literal(item)))
            else:
                items.append((Str(key), self.payload(item, special=special)))
        return Dict(tuple(items))

    def dynamic(self, text: Any) -> Code | None:
        """``P(...)``, ``Context.*`` or an intrinsic builder for a ``.$`` value, if exact."""
        if not isinstance(text, str):
            return None
        if is_path(text):
            return self.path(text)
        return self.intrinsic(text)

    def path(self, text: str) -> Code:
        """``Context.x`` for the context paths it names, else ``P("...")``."""
        if text in _CONTEXT:
            self.imports.name("Context")
            return Raw(_CONTEXT[text])
        return CallExpr(self.imports.name("P"), (Str(text),))

    def intrinsic(self, text: str) -> Code | None:
        """The builder calls for an intrinsic, or None unless they print exactly ``text``."""
        try:
            tree = intrinsics.parse(text)
        except intrinsics.IntrinsicSyntaxError:
            return None
        built = _build(tree)
        if built is None or str(built[0]) != text:
            return None
        self.imports.name("States")
        for used in built[2]:
            self.imports.name(used)
        return built[1]


def jsonata_expression(text: str) -> str | None:
    """The expression inside ``{% ... %}`` when ``jsonata()`` gives back exactly ``text``."""
    if text.startswith("{%") and text.endswith("%}") and len(text) >= 4:
        expression = text[2:-2].strip()
        if expression and jsonata(expression) == text:
            return expression
    return None


Built = tuple[Any, Code, set[str]]


def _build(call: intrinsics.Call) -> Built | None:
    """(the Intrinsic object, its code, dsl names used) for a parsed call."""
    builder = _BUILDERS.get(call.name)
    if builder is None:
        return None
    values: list[Any] = []
    codes: list[Code] = []
    names: set[str] = set()
    for argument in call.arguments:
        built = _argument(argument)
        if built is None:
            return None
        values.append(built[0])
        codes.append(built[1])
        names |= built[2]
    try:
        value = getattr(States, builder)(*values)
    except TypeError:  # wrong arity for the typed builder
        return None
    if not isinstance(value, Intrinsic):
        return None
    return value, CallExpr(f"States.{builder}", tuple(codes)), names


def _argument(argument: intrinsics.Argument) -> Built | None:
    if argument.kind == "call" and argument.call is not None:
        return _build(argument.call)
    if argument.kind == "path":
        if argument.value in _CONTEXT:
            return P(argument.value), Raw(_CONTEXT[argument.value]), {"Context"}
        return P(argument.value), CallExpr("P", (Str(argument.value),)), {"P"}
    if argument.kind == "string":
        return argument.value, Str(argument.value), set()
    if argument.kind == "number":
        number: int | float = float(argument.value) if any(c in argument.value for c in ".eE") \
            else int(argument.value)
        return number, Raw(repr(number)), set()
    if argument.kind == "literal":
        constant = {"true": True, "false": False, "null": None}[argument.value]
        return constant, Raw(repr(constant)), set()
    return None
