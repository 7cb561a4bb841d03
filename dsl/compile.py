"""Python state objects -> an ASL document (a plain dict, in emit order).

The compiler checks what the DSL can know at build time and raises the first
problem as a :class:`~dsl.errors.DslError` naming the state and the Python
line that defined it. Field order is fixed: ``Type`` first, then the state's
own fields, the data-flow fields, Retry/Catch, and transitions last; states
are listed in traversal order from ``StartAt``; payloads keep the author's order.
"""

from __future__ import annotations

from types import EllipsisType
from typing import Any

from dsl.conditions import And, Compare, Condition, Jsonata, Not, Or
from dsl.errors import (
    BadPath,
    DuplicateStateName,
    EndNextConflict,
    InvalidField,
    NameTooLong,
    QueryLanguageMismatch,
    UnassignedVariableWarning,
    UnknownTransition,
    UnreachableState,
)
from dsl.fields import static_json_problem
from dsl.paths import Intrinsic, P, is_path, is_reference_path
from dsl.states import (
    Catcher,
    Choice,
    Fail,
    Map,
    Parallel,
    Pass,
    QueryLanguage,
    Retrier,
    State,
    Task,
    Wait,
    _Flows,
    _InputOutput,
    _Recovers,
    _Results,
    walk,
)
from dsl.workflow import Workflow

MAX_NAME = 80  # AWS rejects longer state names

# Fields that exist only in one query language: (attribute, ASL name).
_JSONPATH_ONLY = (
    ("input_path", "InputPath"), ("output_path", "OutputPath"), ("parameters", "Parameters"),
    ("result_selector", "ResultSelector"), ("timeout_seconds_path", "TimeoutSecondsPath"),
    ("heartbeat_seconds_path", "HeartbeatSecondsPath"), ("items_path", "ItemsPath"),
    ("seconds_path", "SecondsPath"), ("timestamp_path", "TimestampPath"),
    ("error_path", "ErrorPath"), ("cause_path", "CausePath"),
    ("max_concurrency_path", "MaxConcurrencyPath"),
    ("tolerated_failure_percentage_path", "ToleratedFailurePercentagePath"),
    ("tolerated_failure_count_path", "ToleratedFailureCountPath"),
)
_JSONATA_ONLY = (("arguments", "Arguments"), ("output", "Output"), ("items", "Items"))


def compile_workflow(workflow: Workflow) -> dict[str, Any]:
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
    for state in compiler.all_states:
        state.wiring.frozen = True
    return document


def _warn_unassigned_variables(document: dict[str, Any], states: dict[str, State]) -> None:
    """Warn, at the reading state's Python line, about variables nothing assigns earlier."""
    import warnings

    from dsl.validate.model import build
    from dsl.validate.rules.variables import unassigned_reads

    for asl_state, _, name in unassigned_reads(build(document)):
        site = states[asl_state.name].site
        warnings.warn_explicit(f"state {asl_state.name!r}: reads variable ${name}, which no Assign of "
                               "an earlier state defines (a missing dot? $.name reads the input)",
                               UnassignedVariableWarning, site.file, site.line)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value is not ...:
        target[key] = value


class _Compiler:
    def __init__(self, workflow: Workflow) -> None:
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
        language = self._language(state)
        self._check_language(state, language)
        out: dict[str, Any] = {"Type": type(state).__name__}
        _put(out, "Comment", state.comment)
        _put(out, "QueryLanguage", state.query_language)
        self._own_fields(state, out, language)
        if isinstance(state, _InputOutput):
            self._data_flow(state, out, language)
        if isinstance(state, _Recovers):
            if state.retriers:
                out["Retry"] = [_retrier(r) for r in state.retriers]
            if state.catchers:
                out["Catch"] = [self._catcher(state, c, language) for c in state.catchers]
        if isinstance(state, _Flows):
            self._transition(state, out, implicit_end)
        if isinstance(state, Choice):
            self._choices(state, out, language)
        _check_static(state, out)
        return out

    def _language(self, state: State) -> QueryLanguage:
        return state.query_language or self.workflow.query_language or "JSONPath"

    def _check_language(self, state: State, language: QueryLanguage) -> None:
        if self.workflow.query_language == "JSONata" and state.query_language == "JSONPath":
            raise QueryLanguageMismatch("is JSONPath inside a JSONata workflow; AWS allows a state to "
                                        "switch to JSONata only", state=state.name, site=state.site)
        wrong, right = (_JSONATA_ONLY, "JSONata") if language == "JSONPath" else (_JSONPATH_ONLY,
                                                                                   "JSONPath")
        for attribute, asl_name in wrong:
            if getattr(state, attribute, None) is not None:
                raise QueryLanguageMismatch(f"{asl_name} is a {right} field but the state uses "
                                            f"{language}", state=state.name, site=state.site)
        if language == "JSONata":
            if isinstance(state, _Results) and state.result_path is not ...:
                raise QueryLanguageMismatch("ResultPath is a JSONPath field but the state uses "
                                            "JSONata (use Output)", state=state.name, site=state.site)
            if isinstance(state, Map) and state.legacy_iterator:
                raise QueryLanguageMismatch("the legacy Iterator form is JSONPath only",
                                            state=state.name, site=state.site)

    def _own_fields(self, state: State, out: dict[str, Any], language: QueryLanguage) -> None:
        if isinstance(state, Task):
            out["Resource"] = state.resource
            _put(out, "Credentials", state.credentials)
        elif isinstance(state, Wait):
            _put(out, "Seconds", state.seconds)
            _put(out, "Timestamp", state.timestamp)
            _put(out, "SecondsPath", self._ref(state, "SecondsPath", state.seconds_path))
            _put(out, "TimestampPath", self._ref(state, "TimestampPath", state.timestamp_path))
        elif isinstance(state, Fail):
            _put(out, "Error", state.error)
            _put(out, "ErrorPath", self._ref(state, "ErrorPath", state.error_path))
            _put(out, "Cause", state.cause)
            _put(out, "CausePath", self._ref(state, "CausePath", state.cause_path))
        elif isinstance(state, Parallel):
            if not state.branches:
                raise InvalidField("a Parallel needs at least one branch; call .branch(chain, ...)",
                                   state=state.name, site=state.site)
            out["Branches"] = [self.scope(start) for start in state.branches]
        elif isinstance(state, Map):
            self._map_fields(state, out)

    def _map_fields(self, state: Map, out: dict[str, Any]) -> None:
        if state.iterator is None:
            raise EndNextConflict("has no item processor; call .iterate(chain)", state=state.name,
                                  site=state.site)
        processor = self.scope(state.iterator)
        if state.legacy_iterator:
            out["Iterator"] = processor
        else:
            config: dict[str, Any] = {"Mode": state.mode}
            _put(config, "ExecutionType", state.execution_type)
            out["ItemProcessor"] = {"ProcessorConfig": config, **processor}
        _put(out, "ItemReader", state.item_reader)
        _put(out, "ItemsPath", self._ref(state, "ItemsPath", state.items_path))
        _put(out, "Items", state.items)
        if state.item_selector is not None:
            key = "Parameters" if state.legacy_iterator else "ItemSelector"
            out[key] = self.payload(state, key, state.item_selector)
        _put(out, "ItemBatcher", state.item_batcher)
        _put(out, "ResultWriter", state.result_writer)
        _put(out, "MaxConcurrency", state.max_concurrency)
        _put(out, "MaxConcurrencyPath", self._ref(state, "MaxConcurrencyPath",
                                                  state.max_concurrency_path))
        _put(out, "ToleratedFailurePercentage", state.tolerated_failure_percentage)
        _put(out, "ToleratedFailurePercentagePath", self._ref(
            state, "ToleratedFailurePercentagePath", state.tolerated_failure_percentage_path))
        _put(out, "ToleratedFailureCount", state.tolerated_failure_count)
        _put(out, "ToleratedFailureCountPath", self._ref(
            state, "ToleratedFailureCountPath", state.tolerated_failure_count_path))
        _put(out, "Label", state.label)

    def _data_flow(self, state: _InputOutput, out: dict[str, Any], language: QueryLanguage) -> None:
        _put(out, "InputPath", self._path(state, "InputPath", state.input_path))
        if isinstance(state, _Results):
            _put(out, "Parameters", None if state.parameters is None
                 else self.payload(state, "Parameters", state.parameters))
            _put(out, "Arguments", state.arguments)
            if isinstance(state, Pass) and state.result is not ...:
                out["Result"] = state.result
            _put(out, "ResultSelector", None if state.result_selector is None
                 else self.payload(state, "ResultSelector", state.result_selector))
            if state.result_path is not ...:
                out["ResultPath"] = self._ref(state, "ResultPath", state.result_path)
        _put(out, "OutputPath", self._path(state, "OutputPath", state.output_path))
        _put(out, "Output", state.output)
        _put(out, "Assign", state.assign)
        if isinstance(state, Task):
            _put(out, "TimeoutSeconds", state.timeout_seconds)
            _put(out, "TimeoutSecondsPath", self._ref(state, "TimeoutSecondsPath",
                                                      state.timeout_seconds_path))
            _put(out, "HeartbeatSeconds", state.heartbeat_seconds)
            _put(out, "HeartbeatSecondsPath", self._ref(state, "HeartbeatSecondsPath",
                                                        state.heartbeat_seconds_path))

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
            raise EndNextConflict("a Choice needs at least one rule; call .when(condition, state)",
                                  state=state.name, site=state.site)
        rules = []
        for condition, target, assign, output in state.rules:
            rule = self._condition(state, condition, language)
            _put(rule, "Assign", assign)
            _put(rule, "Output", output)
            rule["Next"] = target.name
            rules.append(rule)
        out["Choices"] = rules
        if state.default is not None:
            out["Default"] = state.default.name

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
    return out

