"""An ASL document -> the text of a Python module that builds it with the DSL.

States become variables named after them, defined before use in reading order:
a state's Choice targets and Catch handlers come first, Next edges are
written as ``>>`` chains once the states exist, and the chain from StartAt is
the workflow's (or the branch's) start. A Succeed or Fail reached from one
place only, and a short Pass or Wait only its chain reaches, are written where
they are used. Loops need no special form: a chain or a rule simply names a
state defined earlier.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dsl.importer.code import (
    CallExpr,
    Code,
    List,
    Method,
    Operators,
    Raw,
    Str,
    literal,
    render,
)
from dsl.importer.conditions import Conditions, Unsupported
from dsl.importer.fields import FieldError, constructor
from dsl.importer.naming import Namer
from dsl.importer.values import Imports, Values
from dsl.integrations import aws_lambda, stepfunctions

# Error lists the integrations name, written by name when a Retry or Catch uses exactly one.
_ERROR_LISTS = {tuple(aws_lambda.SERVICE_ERRORS): "aws_lambda.SERVICE_ERRORS",
                tuple(stepfunctions.TOKEN_GONE): "stepfunctions.TOKEN_GONE"}
SIMPLE_STATE = 50  # characters of a Pass or Wait's ASL that may still be written inline
_SIMPLE_FIELDS = {"Type", "Next", "End", "Seconds", "Result"}
ISORT_WIDTH = 88  # ruff's default line length, which its import sorting keeps to
_TOP_LEVEL = {"Comment", "StartAt", "States", "QueryLanguage", "TimeoutSeconds", "Version"}
_RETRY = {"ErrorEquals": None, "IntervalSeconds": "interval", "MaxAttempts": "max_attempts",
          "BackoffRate": "backoff", "MaxDelaySeconds": "max_delay", "JitterStrategy": "jitter",
          "Comment": "comment"}
_CATCH = {"ErrorEquals": None, "Next": None, "ResultPath": "result_path", "Output": "output",
          "Assign": "assign"}


class Refused(Exception):
    """The DSL cannot write this document exactly; names the state and the field."""

    code = "IMPORT-REFUSED"

    def __init__(self, state: str | None, field: str, reason: str) -> None:
        self.state = state
        self.field = field
        where = f"state {state!r} field {field}" if state else f"top-level field {field}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Module:
    """What to emit: the document, the workflow's name, and where it came from."""

    document: dict[str, Any]
    workflow_name: str
    origin: str
    express: bool = False
    keyword_helpers: bool = True  # see dsl.importer.calls


def emit_module(module: Module) -> str:
    """The Python source of a module defining one Workflow that builds ``module.document``."""
    return _Emitter(module).text()


class _Emitter:
    def __init__(self, module: Module) -> None:
        self.module = module
        self.imports = Imports()
        self.values = Values(self.imports)
        self.conditions = Conditions(self.imports)
        self.namer = Namer()
        self.blocks: list[list[str]] = []
        self.jsonata_machine = module.document.get("QueryLanguage") == "JSONata"

    def text(self) -> str:
        document = self.module.document
        for key in document:
            if key not in _TOP_LEVEL:
                raise Refused(None, key, "is not a field the DSL's Workflow writes")
        start = self.scope(document, "the machine")
        keywords: list[tuple[str, Code]] = []
        for key, keyword in (("Comment", "comment"), ("QueryLanguage", "query_language"),
                             ("TimeoutSeconds", "timeout_seconds"), ("Version", "version")):
            if key in document:
                keywords.append((keyword, literal(document[key])))
        if self.module.express:
            keywords.append(("type", Str("EXPRESS")))
        constant = self.namer.constant(self.module.workflow_name)
        workflow = CallExpr(self.imports.name("Workflow"), (Str(self.module.workflow_name), start),
                        tuple(keywords))
        self.blocks.append(["", *render(workflow, prefix=f"{constant} = ")])
        return self._layout()

    def _layout(self) -> str:
        docstring = f'"""{self.module.workflow_name}, imported with `python -m dsl import`.\n\n' \
                    f'Source: {self.module.origin}\n"""'
        if any(c in docstring[3:-3] for c in '"\\') or "\n" in self.module.origin:
            docstring = '"""Imported with `python -m dsl import`."""'
        lines = [docstring, ""]
        lines += _import_lines("dsl", sorted(self.imports.dsl, key=_import_order))
        if self.imports.integrations:
            lines += _import_lines("dsl.integrations", sorted(self.imports.integrations))
        previous_long = True
        for block in self.blocks:
            if (len(block) > 1 or previous_long) and block[0]:
                lines.append("")
            lines += block
            previous_long = len(block) > 1
        return "\n".join(lines) + "\n"

    # -- one scope -----------------------------------------------------------
    def scope(self, scope: Any, where: str) -> Code:
        """Emit the states of one scope; returns the expression of its start chain."""
        if not isinstance(scope, dict) or not isinstance(scope.get("States"), dict) \
                or scope.get("StartAt") not in scope["States"]:
            raise Refused(None, "StartAt", f"{where} has no StartAt naming one of its States")
        extra = set(scope) - {"StartAt", "States", "ProcessorConfig"} - (
            _TOP_LEVEL if where == "the machine" else set())
        if extra:
            raise Refused(None, min(extra), f"is not a field the DSL writes in {where}")
        return _Scope(self, scope).emit()

    def block(self, lines: list[str]) -> None:
        self.blocks.append(lines)


class _Scope:
    """The states of one scope (the machine, a branch, an item processor)."""

    def __init__(self, emitter: _Emitter, scope: dict[str, Any]) -> None:
        self.emitter = emitter
        self.states: dict[str, dict[str, Any]] = scope["States"]
        self.start: str = scope["StartAt"]
        self.order = self._traversal()
        unreached = [name for name in self.states if name not in self.order]
        if unreached:
            raise Refused(unreached[0], "Type", "is never reached from StartAt (the DSL writes "
                                                "reachable states only)")
        self.main_path = self._main_path()
        incoming: dict[str, int] = {}
        for name in self.order:
            for target in self.targets(name):
                incoming[target] = incoming.get(target, 0) + 1
        nexts = [state.get("Next") for state in self.states.values()]
        self.inline = {name for name in self.order if self._inline(name, incoming.get(name, 0), nexts)}
        self.refs: dict[str, Code] = {}
        self.visiting: set[str] = set()
        self.pending: list[tuple[set[str], Callable[[], list[str]]]] = []

    def _inline(self, name: str, incoming: int, nexts: list[Any]) -> bool:
        """Written where it is used, without a variable: a Succeed or Fail reached from one place,
        and a short Pass or Wait that only its chain reaches (or that starts the scope)."""
        state = self.states[name]
        if state.get("Type") in ("Succeed", "Fail"):
            return name != self.start and incoming == 1
        if state.get("Type") not in ("Pass", "Wait") or set(state) - _SIMPLE_FIELDS:
            return False
        short = len(json.dumps({k: v for k, v in state.items() if k not in ("Next", "End")})) \
            <= SIMPLE_STATE
        chained = name != self.start and incoming == 1 and name in nexts
        return short and (chained or (name == self.start and incoming == 0))

    # -- graph -----------------------------------------------------------------
    def targets(self, name: str) -> list[str]:
        """Successors in the compiler's order: Next, then Catch handlers / Choice rules, Default."""
        state = self.states[name]
        found: list[str] = []
        if isinstance(state.get("Next"), str):
            found.append(state["Next"])
        for catcher in _list(state.get("Catch")):
            if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
                found.append(catcher["Next"])
        for rule in _list(state.get("Choices")):
            if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                found.append(rule["Next"])
        if isinstance(state.get("Default"), str):
            found.append(state["Default"])
        for target in found:
            if target not in self.states:
                raise Refused(name, "Next", f"names {target!r}, which is not a state of this scope")
        return found

    def _traversal(self) -> list[str]:
        seen: set[str] = set()
        order: list[str] = []
        stack = [self.start]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            order.append(name)
            stack.extend(reversed(self.targets(name)))
        return order

    def _main_path(self) -> set[str]:
        path: set[str] = set()
        current: str | None = self.start
        while current is not None and current not in path:
            path.add(current)
            nxt = self.states[current].get("Next")
            current = nxt if isinstance(nxt, str) else None
        return path

    def dependencies(self, name: str) -> list[str]:
        """States this one's definition names: Choice targets and Catch handlers."""
        next_state = self.states[name].get("Next")
        return [t for n, t in enumerate(self.targets(name))
                if not (n == 0 and t == next_state) and t not in self.inline]

    # -- emission --------------------------------------------------------------
    def emit(self) -> Code:
        for name in self.order:
            if name not in self.inline:
                self.visit(name)
        if self.pending:  # every state is defined by now, so nothing can still wait
            raise Refused(self.start, "Type", "internal: wiring left unwritten")
        return self.chains()

    def visit(self, root: str) -> None:
        """Define ``root`` after its dependencies (depth first, without recursion: chains of
        Choice states can be thousands long). A dependency still being visited is a loop: it is
        wired later, once it exists."""
        if root in self.refs:
            return
        self.visiting.add(root)
        stack = [(root, iter(self.dependencies(root)))]
        while stack:
            name, pending = stack[-1]
            target = next((t for t in pending if t not in self.refs and t not in self.visiting), None)
            if target is not None:
                self.visiting.add(target)
                stack.append((target, iter(self.dependencies(target))))
                continue
            stack.pop()
            self.define(name)
            self.visiting.discard(name)

    def available(self, names: list[str]) -> bool:
        return all(n in self.refs or n in self.inline for n in names)

    def ref(self, name: str) -> Code:
        if name in self.inline:
            return self.build(name)
        return self.refs[name]

    def define(self, name: str) -> None:
        variable = self.emitter.namer.variable(name)
        expression = self.build(name, variable=variable)
        self.refs[name] = Raw(variable)
        self.emitter.block(render(expression, prefix=f"{variable} = "))
        self.flush()

    def flush(self) -> None:
        while True:
            ready = [item for item in self.pending if self.available(list(item[0]))]
            if not ready:
                return
            for item in ready:
                self.pending.remove(item)
                self.emitter.block(item[1]())

    def build(self, name: str, variable: str | None = None) -> Code:
        """The expression that builds state ``name``, with the wiring it can carry."""
        state = self.states[name]
        try:
            code = self._build(name, state, variable)
        except FieldError as exc:
            raise Refused(name, exc.field, str(exc)) from None
        except Unsupported as exc:
            raise Refused(name, "Choices", str(exc)) from None
        return code

    def _build(self, name: str, state: dict[str, Any], variable: str | None) -> Code:
        kind = state.get("Type")
        jsonata_state = (state.get("QueryLanguage") or
                         ("JSONata" if self.emitter.jsonata_machine else "JSONPath")) == "JSONata"
        extra: tuple[tuple[str, Code], ...] = ()
        if kind == "Map":
            extra = self._processor_keywords(name, state)
        code: Code = constructor(name, state, self.emitter.values, jsonata_state=jsonata_state,
                                 extra=extra, keyword_helpers=self.emitter.module.keyword_helpers)
        if kind == "Parallel":
            branches = [self.emitter.scope(branch, f"branch {n} of {name!r}")
                        for n, branch in enumerate(self._branches(name, state), 1)]
            code = Method(code, "branch", tuple(branches))
        if kind == "Map":
            processor = state.get("ItemProcessor", state.get("Iterator"))
            code = Method(code, "iterate", (self.emitter.scope(processor, f"the items of {name!r}"),))
        for n, retrier in enumerate(_list(state.get("Retry"))):
            code = Method(code, "retry", *self._retrier(name, n, retrier))
        catchers = _list(state.get("Catch"))
        handlers = [c["Next"] for c in catchers if isinstance(c, dict) and isinstance(c.get("Next"), str)]
        if catchers and self.available(handlers):
            for n, catcher in enumerate(catchers):
                code = Method(code, "catch", *self._catcher(name, n, catcher))
        elif catchers:
            assert variable is not None
            self.pending.append((set(handlers), lambda: self._catches_later(name, variable, catchers)))
        if kind == "Choice":
            code = self._choice(name, state, code, variable)
        if state.get("End") is True and name not in self.main_path:
            code = Method(code, "end")
        return code

    def _branches(self, name: str, state: dict[str, Any]) -> list[Any]:
        branches = state.get("Branches")
        if not isinstance(branches, list) or not branches:
            raise Refused(name, "Branches", "a Parallel needs a non-empty list of branches")
        return branches

    def _processor_keywords(self, name: str, state: dict[str, Any]) -> tuple[tuple[str, Code], ...]:
        if "Iterator" in state:
            return ()
        processor = state.get("ItemProcessor")
        if not isinstance(processor, dict):
            raise Refused(name, "ItemProcessor", "a Map needs an ItemProcessor (or Iterator)")
        if "ProcessorConfig" not in processor:
            return (("mode", Raw("None")),)
        config = processor["ProcessorConfig"]
        if not isinstance(config, dict) or set(config) - {"Mode", "ExecutionType"} or not config:
            raise Refused(name, "ItemProcessor.ProcessorConfig", "holds fields other than Mode and "
                                                                 "ExecutionType")
        keywords: list[tuple[str, Code]] = []
        mode = config.get("Mode")
        if mode != "INLINE":
            keywords.append(("mode", literal(mode)))
        if "ExecutionType" in config:
            keywords.append(("execution_type", literal(config["ExecutionType"])))
        return tuple(keywords)

    def _retrier(self, name: str, n: int, retrier: Any) -> tuple[tuple[Code, ...], tuple[tuple[str, Code], ...]]:
        if not isinstance(retrier, dict):
            raise Refused(name, f"Retry[{n}]", "is not an object")
        for key in retrier:
            if key not in _RETRY:
                raise Refused(name, f"Retry[{n}].{key}", "is not a Retry field the DSL writes")
        keywords = tuple((_RETRY[key] or "", literal(value)) for key, value in retrier.items()
                         if key != "ErrorEquals")
        order = list(_RETRY.values())
        keywords = tuple(sorted(keywords, key=lambda item: order.index(item[0])))
        return (self.errors(name, f"Retry[{n}]", retrier.get("ErrorEquals")),), keywords

    def _catcher(self, name: str, n: int, catcher: Any) -> tuple[tuple[Code, ...], tuple[tuple[str, Code], ...]]:
        if not isinstance(catcher, dict) or not isinstance(catcher.get("Next"), str):
            raise Refused(name, f"Catch[{n}]", "has no Next")
        for key in catcher:
            if key not in _CATCH:
                raise Refused(name, f"Catch[{n}].{key}", "is not a Catch field the DSL writes")
        jsonata = (self.states[name].get("QueryLanguage") or
                   ("JSONata" if self.emitter.jsonata_machine else "JSONPath")) == "JSONata"
        keywords = tuple((keyword, self.emitter.values.plain(catcher[key], jsonata_strings=jsonata))
                         for key, keyword in _CATCH.items() if keyword and key in catcher)
        return (self.errors(name, f"Catch[{n}]", catcher.get("ErrorEquals")),
                self.ref(catcher["Next"])), keywords

    def errors(self, name: str, field: str, errors: Any) -> Code:
        if not isinstance(errors, list) or not errors or not all(isinstance(e, str) for e in errors):
            raise Refused(name, f"{field}.ErrorEquals", "must be a non-empty list of error names")
        known = _ERROR_LISTS.get(tuple(errors))
        if known is not None:
            self.emitter.imports.module(known.split(".")[0])
            return Raw(known)
        return List(tuple(Str(e) for e in errors))

    def _catches_later(self, name: str, variable: str, catchers: list[Any]) -> list[str]:
        code: Code = Raw(variable)
        for n, catcher in enumerate(catchers):
            code = Method(code, "catch", *self._catcher(name, n, catcher))
        return render(code)

    def _choice(self, name: str, state: dict[str, Any], code: Code, variable: str | None) -> Code:
        rules = _list(state.get("Choices"))
        if not rules:
            raise Refused(name, "Choices", "a Choice needs at least one rule")
        targets = [r["Next"] for r in rules if isinstance(r, dict) and isinstance(r.get("Next"), str)]
        if isinstance(state.get("Default"), str):
            targets.append(state["Default"])
        if self.available(targets):
            return self._rules(name, state, code)
        assert variable is not None
        self.pending.append((set(targets), lambda: render(self._rules(name, state, Raw(variable)))))
        return code

    def _rules(self, name: str, state: dict[str, Any], code: Code) -> Code:
        jsonata = (state.get("QueryLanguage") or
                   ("JSONata" if self.emitter.jsonata_machine else "JSONPath")) == "JSONata"
        for n, rule in enumerate(state["Choices"]):
            if not isinstance(rule, dict) or not isinstance(rule.get("Next"), str):
                raise Refused(name, f"Choices[{n}]", "a rule needs Next")
            if "Comment" in rule:
                raise Refused(name, f"Choices[{n}].Comment", "the DSL's Choice rules take no comment")
            try:
                condition = self.emitter.conditions.rule(rule)
            except Unsupported as exc:
                raise Refused(name, f"Choices[{n}]", str(exc)) from None
            keywords = tuple((keyword, self.emitter.values.plain(rule[key], jsonata_strings=jsonata))
                             for key, keyword in (("Assign", "assign"), ("Output", "output"))
                             if key in rule)
            code = Method(code, "when", (condition, self.ref(rule["Next"])), keywords)
        if "Default" in state:
            code = Method(code, "otherwise", (self.ref(state["Default"]),))
        return code

    def chains(self) -> Code:
        """Write every Next edge as a ``>>`` chain; returns the chain from StartAt."""
        covered: set[str] = set()
        start: Code | None = None
        for name in self.order:
            if name in covered or (name in self.inline and name != self.start):
                continue
            chain = [name]
            current = name
            while isinstance(self.states[current].get("Next"), str) and current not in covered:
                covered.add(current)
                current = self.states[current]["Next"]
                chain.append(current)
            expression = Operators(">>", tuple(self.ref(n) for n in chain)) if len(chain) > 1 \
                else self.ref(name)
            if name == self.start:
                start = expression
            elif len(chain) > 1:
                self.emitter.block(render(expression))
        assert start is not None
        return start


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _import_lines(module: str, names: list[str]) -> list[str]:
    """One ``from`` import, wrapped one name per line as isort does past 88 columns."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= ISORT_WIDTH:
        return [line]
    return [f"from {module} import (", *(f"    {name}," for name in names), ")"]


def _import_order(name: str) -> tuple[int, str]:
    # isort's order: CONSTANTS, Classes, functions.
    return (0 if name.isupper() and len(name) > 1 else 1 if name[0].isupper() else 2, name)
