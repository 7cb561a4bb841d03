"""Python state objects -> an ASL document (a plain dict, in emit order).

The compiler checks what the DSL can know at build time and raises the first
problem as a :class:`~dsl.errors.DslError` naming the state and the Python
line that defined it. Field order is fixed: ``Type`` first, then the state's
own fields, the data-flow fields, Retry/Catch, and transitions last; states
are listed in traversal order from ``StartAt``; payloads keep the author's order.
"""

from __future__ import annotations

from types import EllipsisType
from typing import Any, Protocol

from dsl.conditions import And, Compare, Condition, Jsonata, Not, Or
from dsl.errors import (
    BadPath,
    DuplicateStateName,
    EndNextConflict,
    ImpossibleErrorWarning,
    MissingPart,
    NameTooLong,
    QueryLanguageMismatch,
    UnassignedVariableWarning,
    UnknownTransition,
    UnreachableState,
)
from dsl.fields import static_json_problem
from dsl.paths import Intrinsic, P, is_path, is_reference_path
from dsl.states import (
    TRANSITION_ORDER,
    AslField,
    Catcher,
    Choice,
    Map,
    QueryLanguage,
    Retrier,
    State,
    _Flows,
    asl_fields,
    walk,
)

MAX_NAME = 80  # AWS rejects longer state names


class Compilable(Protocol):
    """What the compiler reads of a :class:`~dsl.workflow.Workflow`.

    A protocol, so that the workflow imports the compiler and never the other way round.
    """

    @property
    def start(self) -> State: ...
    @property
    def comment(self) -> str | None: ...
    @property
    def query_language(self) -> QueryLanguage | None: ...
    @property
    def version(self) -> str | None: ...
    @property
    def timeout_seconds(self) -> int | None: ...

def compile_workflow(workflow: Compilable) -> dict[str, Any]:
    """Compile ``workflow`` to an ASL document and freeze its states."""
    compiler = _Compiler(workflow)
    document: dict[str, Any] = {}
    _put(document, "Comment", workflow.comment)
    _put(document, "QueryLanguage", workflow.query_language)
    _put(document, "Version", workflow.version)
    _put(document, "TimeoutSeconds", workflow.timeout_seconds)
    document.update(compiler.scope(workflow.start))
    compiler.check_reachability()
    _warn_unassigned_variables(document, compiler.names)
    _warn_impossible_errors(compiler.all_states)
    for state in compiler.all_states:
        state.wiring.frozen = True
    return document


def _warn_unassigned_variables(document: dict[str, Any], states: dict[str, State]) -> None:
    """Warn, at the reading state's Python line, about variables nothing assigns earlier."""
    import warnings

    from dsl.document import read
    from dsl.validate.rules.variables import unassigned_reads

    for asl_state, _, name in unassigned_reads(read(document)):
        site = states[asl_state.name].site
        warnings.warn_explicit(f"state {asl_state.name!r}: reads variable ${name}, which no Assign of "
                               "an earlier state defines (a missing dot? $.name reads the input)",
                               UnassignedVariableWarning, site.file, site.line)


def _warn_impossible_errors(states: list[State]) -> None:
    """Warn, at the ``.retry()``/``.catch()`` line, about error names the Task's integration never raises."""
    import warnings

    from dsl.integrations.error_names import impossible_error, scope_of

    for state in states:
        handlers: list[Retrier | Catcher] = [*getattr(state, "retriers", ()), *getattr(state, "catchers", ())]
        scope = scope_of(getattr(state, "resource", None)) if handlers else None
        if scope is None:
            continue
        for handler in handlers:
            for name in handler.errors:
                message = impossible_error(name, scope)
                if message and handler.site is not None:
                    warnings.warn_explicit(f"state {state.name!r}: {message}", ImpossibleErrorWarning,
                                           handler.site.file, handler.site.line)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value is not ...:
        target[key] = value


class _Compiler:
    def __init__(self, workflow: Compilable) -> None:
        self.workflow = workflow
        self.names: dict[str, State] = {}
        self.all_states: list[State] = []
        self.reachable: set[int] = set()

    # -- structure ---------------------------------------------------------
    def scope(self, start: State) -> dict[str, Any]:
        states = walk(start)
        main_path = self._next_path(start)
        body: dict[str, Any] = {}
        for state in states:
            self._register(state)
            for target in state.successors():
                if target.wiring.scope is not start.wiring.scope:
                    raise UnknownTransition(f"transitions to {target.name!r}, which is not a state "
                                            f"of {start.wiring.scope!r}", state=state.name,
                                            site=state.site)
            body[state.name] = self.state(state, implicit_end=id(state) in main_path)
        return {"StartAt": start.name, "States": body}

    @staticmethod
    def _next_path(start: State) -> set[int]:
        """States on the Next-only path from ``start``: the chain whose open end is implicit End."""
        path: set[int] = set()
        current: State | None = start
        while current is not None and id(current) not in path:
            path.add(id(current))
            current = current.wiring.next
        return path

    def _register(self, state: State) -> None:
        if len(state.name) > MAX_NAME:
            raise NameTooLong(f"name is {len(state.name)} characters; AWS allows at most {MAX_NAME}",
                              state=state.name, site=state.site)
        other = self.names.get(state.name)
        if other is not None and other is not state:
            raise DuplicateStateName("is defined twice in the machine (state names must be unique "
                                     "across all branches and iterations)", state=state.name,
                                     site=state.site, other=other.site)
        self.names[state.name] = state
        self.all_states.append(state)
        self.reachable.add(id(state))

    def check_reachability(self) -> None:
        for state in self.all_states:
            for predecessor, site in state.wiring.predecessors:
                if id(predecessor) not in self.reachable:
                    raise UnreachableState(f"is never reached from StartAt, yet it transitions to "
                                           f"{state.name!r} (wired at {site})",
                                           state=predecessor.name, site=predecessor.site)

    # -- one state ---------------------------------------------------------
    def state(self, state: State, *, implicit_end: bool) -> dict[str, Any]:
        """The ASL object of ``state``: each declared field (see :class:`~dsl.states.AslField`) in order."""
        language = self._language(state)
        self._check_language(state, language)
        out: dict[str, Any] = {"Type": type(state).__name__}
        transition_done = False
        for spec, attribute in asl_fields(type(state)):
            if spec.order >= TRANSITION_ORDER and not transition_done:
                transition_done = True
                if isinstance(state, _Flows):
                    self._transition(state, out, implicit_end)
            self._field(state, spec, getattr(state, attribute), out, language)
        if not transition_done and isinstance(state, _Flows):
            self._transition(state, out, implicit_end)
        _check_static(state, out)
        return out

    def _field(self, state: State, spec: AslField, value: Any, out: dict[str, Any],
               language: QueryLanguage) -> None:
        name = spec.name
        if spec.kind == "value":
            _put(out, name, value)
        elif spec.kind == "path":
            _put(out, name, self._path(state, name, value))
        elif spec.kind == "reference":
            _put(out, name, self._ref(state, name, value))
        elif spec.kind == "reference_or_call":
            _put(out, name, self._ref_or_call(state, name, value))
        elif spec.kind == "payload":
            _put(out, name, None if value is None else self.payload(state, name, value))
        else:
            self._special(state, name, value, out, language)

    def _special(self, state: State, name: str, value: Any, out: dict[str, Any],
                 language: QueryLanguage) -> None:
        """The fields that are more than a value: nested scopes, entries, transitions, set-or-null."""
        if name in ("Result", "ResultPath"):
            if value is not ...:  # None is a real value (JSON null)
                out[name] = value if name == "Result" else self._ref(state, name, value)
        elif name == "Branches":
            if not value:
                raise MissingPart("a Parallel needs at least one branch; call .branch(chain, ...)",
                                  state=state.name, site=state.site)
            out[name] = [self.scope(start) for start in value]
        elif name == "ItemProcessor" and isinstance(state, Map):
            self._processor(state, out)
        elif name == "ItemSelector" and isinstance(state, Map) and value is not None:
            key = "Parameters" if state.legacy_iterator else "ItemSelector"
            out[key] = self.payload(state, key, value)
        elif name == "Retry" and value:
            out[name] = [_retrier(r) for r in value]
        elif name == "Catch" and value:
            out[name] = [self._catcher(state, c, language) for c in value]
        elif name == "Choices" and isinstance(state, Choice):
            self._choices(state, out, language)
        elif name == "Default" and value is not None:
            out[name] = value.name

    def _language(self, state: State) -> QueryLanguage:
        return state.query_language or self.workflow.query_language or "JSONPath"

    def _check_language(self, state: State, language: QueryLanguage) -> None:
        if self.workflow.query_language == "JSONata" and state.query_language == "JSONPath":
            raise QueryLanguageMismatch("is JSONPath inside a JSONata workflow; AWS allows a state to "
                                        "switch to JSONata only", state=state.name, site=state.site)
        for spec, attribute in asl_fields(type(state)):
            value = getattr(state, attribute)
            if spec.language not in (None, language) and value is not None and value is not ...:
                raise QueryLanguageMismatch(f"{spec.name} is a {spec.language} field but the state uses "
                                            f"{language}{spec.hint}", state=state.name, site=state.site)
        if language == "JSONata" and isinstance(state, Map) and state.legacy_iterator:
            raise QueryLanguageMismatch("the legacy Iterator form is JSONPath only",
                                        state=state.name, site=state.site)

    def _processor(self, state: Map, out: dict[str, Any]) -> None:
        if state.iterator is None:
            raise MissingPart("has no item processor; call .iterate(chain)", state=state.name,
                              site=state.site)
        processor = self.scope(state.iterator)
        if state.legacy_iterator:
            out["Iterator"] = processor
        else:
            config: dict[str, Any] = {}
            _put(config, "Mode", state.mode)
            _put(config, "ExecutionType", state.execution_type)
            # Written only when set: imported files may leave it out (it defaults to INLINE).
            out["ItemProcessor"] = {"ProcessorConfig": config, **processor} if config else processor

    def _transition(self, state: _Flows, out: dict[str, Any], implicit_end: bool) -> None:
        nxt = state.wiring.next
        if nxt is not None:
            out["Next"] = nxt.name
        elif state.wiring.end or implicit_end:
            out["End"] = True
        else:
            raise EndNextConflict("has neither Next nor End: it is reached through a Catch or a "
                                  "Choice rule, not along the chain that starts its workflow, branch "
                                  "or item processor (whose last state ends implicitly); add "
                                  ".next(state) or .end()", state=state.name, site=state.site)

    def _choices(self, state: Choice, out: dict[str, Any], language: QueryLanguage) -> None:
        if not state.rules:
            raise MissingPart("a Choice needs at least one rule; call .when(condition, state)",
                              state=state.name, site=state.site)
        rules = []
        for choice in state.rules:
            rule = self._condition(state, choice.condition, language)
            _put(rule, "Assign", choice.assign)
            _put(rule, "Output", choice.output)
            rule["Next"] = choice.target.name
            rules.append(rule)
        out["Choices"] = rules

    def _condition(self, state: State, condition: Condition, language: QueryLanguage
                   ) -> dict[str, Any]:
        if isinstance(condition, Jsonata) != (language == "JSONata"):
            kind = "a JSONata Condition" if isinstance(condition, Jsonata) else "a Variable comparison"
            raise QueryLanguageMismatch(f"{kind} cannot be used in a {language} Choice",
                                        state=state.name, site=state.site)
        for compare in _comparisons(condition):
            self._ref(state, "Variable", compare.variable)
            if compare.operator.endswith("Path"):
                self._ref(state, compare.operator, compare.value)
        return condition.to_asl()

    def _catcher(self, state: State, catcher: Catcher, language: QueryLanguage) -> dict[str, Any]:
        out: dict[str, Any] = {"ErrorEquals": list(catcher.errors)}
        if catcher.result_path is not ...:
            if language == "JSONata":
                raise QueryLanguageMismatch("Catch ResultPath is JSONPath only (use output=)",
                                            state=state.name, site=catcher.site)
            out["ResultPath"] = self._ref(state, "Catch ResultPath", catcher.result_path)
        _put(out, "Output", catcher.output)
        _put(out, "Assign", catcher.assign)
        out["Next"] = catcher.handler.name
        return out

    # -- values ------------------------------------------------------------
    def payload(self, state: State, field: str, value: Any) -> Any:
        """Turn P/Intrinsic values into ``key.$`` entries, checking author-written ones."""
        if isinstance(value, dict):
            result: dict[str, Any] = {}
            for key, item in value.items():
                if isinstance(item, (P, Intrinsic)):
                    text = str(item)
                    self._dynamic(state, f"{field}.{key}", text)
                    result[f"{key}.$"] = text
                elif isinstance(key, str) and key.endswith(".$"):
                    self._dynamic(state, f"{field}.{key}", item)
                    result[key] = item
                else:
                    result[key] = self.payload(state, f"{field}.{key}", item)
            return result
        if isinstance(value, list):
            return [self.payload(state, field, item) for item in value]
        if isinstance(value, (P, Intrinsic)):
            raise BadPath(f"{field}: a path or intrinsic must be the value of a key (it compiles to "
                          "'key.$')", state=state.name, site=state.site)
        return value

    def _dynamic(self, state: State, field: str, text: Any) -> None:
        if not isinstance(text, str) or not (is_path(text) or text.startswith("States.")):
            raise BadPath(f"{field} must hold a JSONPath or an intrinsic function call, got {text!r}",
                          state=state.name, site=state.site)

    def _path(self, state: State, field: str, value: str | None) -> str | None:
        if value is not None and not is_path(str(value)):
            raise BadPath(f"{field} {value!r} is not a JSONPath (expected e.g. '$.field')",
                          state=state.name, site=state.site)
        return None if value is None else str(value)

    def _ref_or_call(self, state: State, field: str, value: str | None) -> str | None:
        # A Fail's ErrorPath and CausePath may also be an intrinsic call (AWS documents both).
        if value is not None and value.startswith("States."):
            self._dynamic(state, field, value)
            return value
        checked: str | None = self._ref(state, field, value)
        return checked

    def _ref(self, state: State, field: str, value: Any) -> Any:
        if value is None or isinstance(value, EllipsisType):
            return value
        if not is_reference_path(str(value)):
            raise BadPath(f"{field} {value!r} is not a reference path (expected e.g. '$.a.b' with "
                          "no wildcards or filters)", state=state.name, site=state.site)
        return str(value)


def _check_static(state: State, out: dict[str, Any]) -> None:
    """Refuse values the document would hold as they are but that are not plain JSON."""
    for key, value in out.items():
        problem = static_json_problem(value)
        if problem is None:
            continue
        if key == "Result" and problem.startswith("the path"):
            hint = ("Result is static; to build this state's output from its input, use "
                    "parameters={...}, where P(...) values are read")
        elif problem.startswith("the path"):
            hint = (f"{key} is written as is, so a path there is never read; paths belong in "
                    "parameters=, result_selector= or item_selector=")
        else:
            hint = f"{key} must be plain JSON"
        raise BadPath(f"{key} holds {problem}: {hint}", state=state.name, site=state.site)


def _comparisons(condition: Condition) -> list[Compare]:
    if isinstance(condition, Compare):
        return [condition]
    if isinstance(condition, (And, Or, Not)):
        return [c for inner in condition.conditions for c in _comparisons(inner)]
    return []


def _retrier(retrier: Retrier) -> dict[str, Any]:
    out: dict[str, Any] = {"ErrorEquals": list(retrier.errors)}
    _put(out, "IntervalSeconds", retrier.interval_seconds)
    _put(out, "MaxAttempts", retrier.max_attempts)
    _put(out, "BackoffRate", retrier.backoff_rate)
    _put(out, "MaxDelaySeconds", retrier.max_delay_seconds)
    _put(out, "JitterStrategy", retrier.jitter)
    _put(out, "Comment", retrier.comment)
    return out

