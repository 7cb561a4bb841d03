"""The state model: one dataclass per ASL state type, plus chaining.

States are wired as they read::

    acquire >> work >> release >> done          # Next edges; returns a Chain
    check = Choice("Held?").when(Var("$.held") == True, release).otherwise(done)
    work.retry(["States.TaskFailed"], interval=2, max_attempts=3, jitter="FULL")
    work.catch(["States.ALL"], handler, result_path="$.error")

Wiring mistakes raise at the moment they happen, naming both Python sites:
setting Next twice, or placing one state object in two scopes (the machine and
a Parallel branch, say). Once a workflow is compiled its states are frozen and
any further change raises :class:`~dsl.errors.FrozenError`.
"""

# asl() is a field specifier like dataclasses.field (it returns one), not a default computed once.
# ruff: noqa: RUF009
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import KW_ONLY, dataclass, field, fields
from types import EllipsisType
from typing import Any, Literal, Self

from dsl.conditions import Condition
from dsl.errors import (
    ErrorOrder,
    FrozenError,
    InvalidField,
    Site,
    TerminalStateTransition,
    WiringError,
    caller_site,
)
from dsl.fields import RETRY_FIELDS, STATE_FIELDS, check_field

QueryLanguage = Literal["JSONPath", "JSONata"]
Jitter = Literal["FULL", "NONE"]
JsonObject = dict[str, Any]
# How the compiler writes a field: as it is, as a JSONPath, as a reference path, as a payload
# template (P values become ``key.$``), or by code of its own (nested scopes, transitions).
FieldKind = Literal["value", "path", "reference", "payload", "special"]
TRANSITION_ORDER = 80  # fields ordered below come before Next/End, the rest after


@dataclass(frozen=True)
class AslField:
    """How one dataclass field appears in ASL: its name, its place, its query language, its kind.

    ``order`` sets the key order of the compiled state (the same on every machine); ``language``
    is the only query language the field belongs to (None: both); ``hint`` ends the message when
    the field is used in the other language.
    """

    name: str
    order: int
    language: QueryLanguage | None = None
    kind: FieldKind = "value"
    hint: str = ""


def asl(name: str, order: int, *, language: QueryLanguage | None = None, kind: FieldKind = "value",
        hint: str = "", default: Any = None, init: bool = True) -> Any:
    """A dataclass field that compiles to the ASL field ``name`` (see :class:`AslField`)."""
    metadata = {"asl": AslField(name, order, language, kind, hint)}
    if default is list:
        return field(init=init, default_factory=list, metadata=metadata)
    return field(init=init, default=default, metadata=metadata)


def asl_fields(cls: type[State]) -> tuple[tuple[AslField, str], ...]:
    """Every ASL field of a state class with its attribute name, in ASL order."""
    known = _ASL_FIELDS.get(cls)
    if known is None:
        found = [(f.metadata["asl"], f.name) for f in fields(cls) if "asl" in f.metadata]
        known = _ASL_FIELDS[cls] = tuple(sorted(found, key=lambda pair: pair[0].order))
    return known


_ASL_FIELDS: dict[type[State], tuple[tuple[AslField, str], ...]] = {}

ALL_ERRORS = "States.ALL"


class WiringScope:
    """A set of states that may transition to each other: the machine, one
    Parallel branch, or one Map iteration. Transitions never cross scopes."""

    def __init__(self, description: str, site: Site) -> None:
        self.description = description
        self.site = site

    def __repr__(self) -> str:
        return self.description


@dataclass(eq=False)
class State:
    """Fields and wiring shared by all states; use a concrete subclass."""

    name: str
    _: KW_ONLY
    comment: str | None = asl("Comment", 10)
    query_language: QueryLanguage | None = asl("QueryLanguage", 20)
    site: Site = field(default_factory=caller_site, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_wiring", _Wiring())
        if not isinstance(self.name, str) or not self.name:
            raise InvalidField("a state needs a non-empty string name", state=str(self.name),
                               site=self.site)

    def __setattr__(self, key: str, value: Any) -> None:
        wiring: _Wiring | None = self.__dict__.get("_wiring")
        if wiring is not None and wiring.frozen:
            raise FrozenError(f"cannot set {key!r}: the workflow was already built; "
                              "build a new state instead", state=self.name, site=caller_site(),
                              other=self.site)
        # Every field is checked as it is set: by the generated __init__ and by later assignments.
        check_field(STATE_FIELDS, key, value, state=self.__dict__.get("name"))
        object.__setattr__(self, key, value)

    # -- wiring -----------------------------------------------------------
    @property
    def wiring(self) -> _Wiring:
        """Edges and scope membership (read-only view for the compiler)."""
        return self.__dict__["_wiring"]  # type: ignore[no-any-return]

    def _check_mutable(self) -> None:
        if self.wiring.frozen:
            raise FrozenError("the workflow was already built; build a new state instead",
                              state=self.name, site=caller_site(), other=self.site)

    def _link(self, target: State, site: Site) -> None:
        """Record an edge self -> target and carry scope membership along it."""
        target.wiring.predecessors.append((self, site))
        if self.wiring.scope is not None:
            claim(target, self.wiring.scope, site, predecessor=self)

    def successors(self) -> list[State]:
        """States this one can transition to, in the order they are listed."""
        return []

    def __rshift__(self, other: State | Chain) -> Chain:
        return Chain(self, (self,)).next(other)

    def next(self, other: State | Chain) -> Chain:
        """Set this state's Next; returns the chain ``self -> other``."""
        return Chain(self, (self,)).next(other)

    def _set_next(self, target: State, site: Site) -> None:
        raise TerminalStateTransition(f"a {type(self).__name__} state cannot have Next",
                                      state=self.name, site=site)

    def end(self) -> State:
        """Mark this state as ending its scope (``"End": true``)."""
        raise TerminalStateTransition(f"a {type(self).__name__} state cannot take End",
                                      state=self.name, site=caller_site())


class _Wiring:
    """Mutable wiring of one state, kept off the dataclass fields."""

    def __init__(self) -> None:
        self.next: State | None = None
        self.next_site: Site | None = None
        self.end: bool = False
        self.end_site: Site | None = None
        self.scope: WiringScope | None = None
        self.scope_site: Site | None = None
        # The transition that carried the state into its scope: (predecessor, its site).
        self.scope_edge: tuple[State, Site] | None = None
        self.predecessors: list[tuple[State, Site]] = []
        self.frozen = False


def claim(state: State, scope: WiringScope, site: Site, *, predecessor: State | None = None) -> None:
    """Put ``state`` and everything reachable from it into ``scope``.

    Raises :class:`WiringError` when a reachable state already belongs to
    another scope, naming where it was placed before.
    """
    # Each pending state with the edge that reached it: (predecessor, the edge's site).
    pending: list[tuple[State, State | None, Site]] = [(state, predecessor, site)]
    while pending:
        current, predecessor, edge_site = pending.pop()
        wiring = current.wiring
        if wiring.scope is scope:
            continue
        if wiring.scope is not None:
            raise _scope_conflict(current, predecessor, edge_site, scope)
        wiring.scope = scope
        wiring.scope_site = site
        wiring.scope_edge = None if predecessor is None else (predecessor, edge_site)
        for target in reversed(current.successors()):
            edge = next((s for p, s in target.wiring.predecessors if p is current), site)
            pending.append((target, current, edge))


def _scope_conflict(state: State, predecessor: State | None, site: Site, scope: WiringScope) -> WiringError:
    placed, placed_site, edge = state.wiring.scope, state.wiring.scope_site, state.wiring.scope_edge
    if predecessor is not None:  # a transition from ``scope`` reaches a state placed elsewhere
        return _crossing(predecessor, state, site, scope, placed, placed_site)
    if edge is not None:  # ``state`` starts ``scope``, but a transition already carried it elsewhere
        return _crossing(edge[0], state, edge[1], placed, scope, site)
    return WiringError(f"is already placed in {placed}; it cannot also be in {scope} (one state "
                       "object belongs to one scope: create a second state)", state=state.name,
                       site=site, other=placed_site)


def _crossing(source: State, target: State, site: Site, source_scope: WiringScope | None,
              target_scope: WiringScope | None, other: Site | None) -> WiringError:
    return WiringError(f"the transition from {source.name!r} to {target.name!r} crosses from "
                       f"{source_scope} into {target_scope}. A transition cannot leave its branch "
                       f"or item processor: end {source.name!r}'s branch there and continue after "
                       f"the Parallel or Map (parallel >> next_state), or keep {target.name!r} in "
                       "one branch", state=source.name, site=site, other=other)


class Chain:
    """A start state and the states whose Next is still open.

    ``a >> b >> c`` gives ``Chain(a, (c,))``; chaining further sets ``c``'s Next.
    """

    def __init__(self, start: State, ends: tuple[State, ...]) -> None:
        self.start = start
        self.ends = ends

    @staticmethod
    def of(target: State | Chain) -> Chain:
        """A chain from a state (a one-state chain) or a chain (itself)."""
        return target if isinstance(target, Chain) else Chain(target, _open_ends(target))

    def next(self, other: State | Chain) -> Chain:
        """Set the Next of every open end to ``other``'s start."""
        site = caller_site()
        tail = Chain.of(other)
        if not self.ends:
            raise TerminalStateTransition("the chain has no open end (it ends in a Choice, Succeed or "
                                          "Fail state)", state=self.start.name, site=site)
        for end in self.ends:
            end._set_next(tail.start, site)
        return Chain(self.start, tail.ends)

    def __rshift__(self, other: State | Chain) -> Chain:
        return self.next(other)

    def __iter__(self) -> Iterator[State]:
        return iter(walk(self.start))


def _open_ends(state: State) -> tuple[State, ...]:
    return (state,) if isinstance(state, _Flows) and state.wiring.next is None else ()


def walk(start: State) -> list[State]:
    """States reachable from ``start`` in one scope, depth-first, Next first."""
    seen: set[int] = set()
    order: list[State] = []
    stack = [start]
    while stack:
        state = stack.pop()
        if id(state) in seen:
            continue
        seen.add(id(state))
        order.append(state)
        stack.extend(reversed(state.successors()))
    return order


# -- mixins for the field groups ASL shares between state types -------------

@dataclass(eq=False, kw_only=True)
class _Flows(State):
    """States that continue with Next or End: Task, Pass, Wait, Parallel, Map."""

    def _set_next(self, target: State, site: Site) -> None:
        self._check_mutable()
        wiring = self.wiring
        if wiring.next is not None:
            raise WiringError(f"Next is already set to {wiring.next.name!r}; cannot also go to "
                              f"{target.name!r}", state=self.name, site=site, other=wiring.next_site)
        if wiring.end:
            raise WiringError("already marked End; a state has either Next or End",
                              state=self.name, site=site, other=wiring.end_site)
        wiring.next = target
        wiring.next_site = site
        self._link(target, site)

    def end(self) -> State:
        """Mark this state as ending its scope (``"End": true``)."""
        self._check_mutable()
        site = caller_site()
        if self.wiring.next is not None:
            raise WiringError(f"Next is already set to {self.wiring.next.name!r}; a state has either "
                              "Next or End", state=self.name, site=site, other=self.wiring.next_site)
        self.wiring.end = True
        self.wiring.end_site = site
        return self

    def successors(self) -> list[State]:
        return [self.wiring.next] if self.wiring.next is not None else []


@dataclass(eq=False, kw_only=True)
class _InputOutput(State):
    """InputPath / OutputPath (JSONPath) and Output (JSONata), and Assign."""

    input_path: str | None = asl("InputPath", 50, language="JSONPath", kind="path")
    output_path: str | None = asl("OutputPath", 56, language="JSONPath", kind="path")
    output: Any = asl("Output", 57, language="JSONata")
    assign: JsonObject | None = asl("Assign", 58)


@dataclass(eq=False, kw_only=True)
class _Results(_InputOutput):
    """Parameters / ResultSelector / ResultPath (JSONPath), Arguments (JSONata)."""

    parameters: JsonObject | None = asl("Parameters", 51, language="JSONPath", kind="payload")
    arguments: Any = asl("Arguments", 52, language="JSONata")
    result_selector: JsonObject | None = asl("ResultSelector", 54, language="JSONPath", kind="payload")
    # ``...`` means "not set"; None is a real value: discard the result.
    result_path: str | None | EllipsisType = asl("ResultPath", 55, language="JSONPath", kind="special",
                                                 hint=" (use Output)", default=...)


@dataclass(frozen=True)
class Retrier:
    """One Retry entry."""

    errors: tuple[str, ...]
    interval_seconds: int | None = None
    max_attempts: int | None = None
    backoff_rate: float | None = None
    max_delay_seconds: int | None = None
    jitter: Jitter | None = None
    site: Site | None = None


@dataclass(frozen=True)
class Catcher:
    """One Catch entry; ``result_path`` Ellipsis means not set (ASL default ``$``)."""

    errors: tuple[str, ...]
    handler: State
    result_path: Any = ...
    output: Any = None
    assign: JsonObject | None = None
    site: Site | None = None


@dataclass(eq=False, kw_only=True)
class _Recovers(State):
    """Retry and Catch, for Task, Parallel and Map."""

    retriers: list[Retrier] = asl("Retry", 70, kind="special", default=list, init=False)
    catchers: list[Catcher] = asl("Catch", 71, kind="special", default=list, init=False)

    def retry(self, errors: Sequence[str] = (ALL_ERRORS,), *, interval: int | None = None,
              max_attempts: int | None = None, backoff: float | None = None,
              max_delay: int | None = None, jitter: Jitter | None = None) -> Self:
        """Add a Retry entry (checked in order, so add the most specific first)."""
        self._check_mutable()
        site = caller_site()
        names = _error_list(self, errors, self.retriers, "Retry", site)
        for key, value in (("interval", interval), ("max_attempts", max_attempts), ("backoff", backoff),
                           ("max_delay", max_delay), ("jitter", jitter)):
            check_field(RETRY_FIELDS, key, value, state=self.name, site=site)
        self.retriers.append(Retrier(names, interval, max_attempts, backoff, max_delay, jitter, site))
        return self

    def catch(self, errors: Sequence[str], handler: State | Chain, *, result_path: Any = ...,
              output: Any = None, assign: JsonObject | None = None) -> Self:
        """Add a Catch entry: on ``errors`` go to ``handler`` (checked in order)."""
        self._check_mutable()
        site = caller_site()
        names = _error_list(self, errors, self.catchers, "Catch", site)
        check_field(STATE_FIELDS, "assign", assign, state=self.name, site=site)
        target = Chain.of(handler).start
        self.catchers.append(Catcher(names, target, result_path, output, assign, site))
        self._link(target, site)
        return self

    def successors(self) -> list[State]:
        return [*super().successors(), *(c.handler for c in self.catchers)]


def _error_list(state: State, errors: Sequence[str] | str, existing: Sequence[Retrier | Catcher],
                field_name: str, site: Site) -> tuple[str, ...]:
    names = (errors,) if isinstance(errors, str) else tuple(errors)
    if not names or not all(isinstance(n, str) and n for n in names):
        raise InvalidField(f"{field_name} needs a non-empty list of error names", state=state.name,
                           site=site)
    if ALL_ERRORS in names and len(names) > 1:
        raise ErrorOrder(f"{ALL_ERRORS} must be alone in its ErrorEquals in {field_name}",
                         state=state.name, site=site)
    for earlier in existing:
        if ALL_ERRORS in earlier.errors:
            raise ErrorOrder(f"a {field_name} entry after the {ALL_ERRORS} entry is never reached; "
                             f"{ALL_ERRORS} must come last", state=state.name, site=site,
                             other=earlier.site)
    return names


# -- the eight state types --------------------------------------------------

@dataclass(eq=False, kw_only=True)
class Pass(_Results, _Flows):
    """``Pass``: passes its input (or ``result``) to its output."""

    result: Any = asl("Result", 53, kind="special", default=...)  # ``...``: not set (None: the JSON null)


@dataclass(eq=False, kw_only=True)
class Task(_Results, _Recovers, _Flows):
    """``Task``: calls ``resource`` (an ARN or an ``arn:aws:states:::`` integration)."""

    resource: str = asl("Resource", 30, default="")
    timeout_seconds: int | str | None = asl("TimeoutSeconds", 60)
    timeout_seconds_path: str | None = asl("TimeoutSecondsPath", 61, language="JSONPath", kind="reference")
    heartbeat_seconds: int | str | None = asl("HeartbeatSeconds", 62)
    heartbeat_seconds_path: str | None = asl("HeartbeatSecondsPath", 63, language="JSONPath", kind="reference")
    credentials: JsonObject | None = asl("Credentials", 31)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.resource, str) or not self.resource:
            raise InvalidField("a Task needs resource=<ARN>", state=self.name, site=self.site)
        timeout, heartbeat = self.timeout_seconds, self.heartbeat_seconds
        if isinstance(timeout, int) and isinstance(heartbeat, int) and heartbeat >= timeout:
            raise InvalidField(f"heartbeat_seconds must be below timeout_seconds ({timeout}), got {heartbeat}",
                               state=self.name, site=self.site)


@dataclass(eq=False, kw_only=True)
class Wait(_InputOutput, _Flows):
    """``Wait``: exactly one of seconds, timestamp, seconds_path, timestamp_path."""

    seconds: int | str | None = asl("Seconds", 30)
    timestamp: str | None = asl("Timestamp", 31)
    seconds_path: str | None = asl("SecondsPath", 32, language="JSONPath", kind="reference")
    timestamp_path: str | None = asl("TimestampPath", 33, language="JSONPath", kind="reference")

    def __post_init__(self) -> None:
        super().__post_init__()
        given = [v for v in (self.seconds, self.timestamp, self.seconds_path, self.timestamp_path)
                 if v is not None]
        if len(given) != 1:
            raise InvalidField("a Wait needs exactly one of seconds, timestamp, seconds_path, "
                               "timestamp_path", state=self.name, site=self.site)


@dataclass(frozen=True)
class ChoiceRule:
    """One rule of a Choice: when ``condition`` holds, go to ``target`` (with its Assign and Output)."""

    condition: Condition
    target: State
    assign: JsonObject | None = None
    output: Any = None


@dataclass(eq=False, kw_only=True)
class Choice(_InputOutput):
    """``Choice``: the first rule whose condition holds picks the next state."""

    rules: list[ChoiceRule] = asl("Choices", 90, kind="special", default=list, init=False)
    default: State | None = asl("Default", 91, kind="special", init=False)

    def when(self, condition: Condition, target: State | Chain, *,
             assign: JsonObject | None = None, output: Any = None) -> Choice:
        """Add a rule: when ``condition`` holds, go to ``target``."""
        self._check_mutable()
        if not isinstance(condition, Condition):
            raise InvalidField(f"when() needs a Condition (e.g. Var('$.x') == 1), got "
                               f"{type(condition).__name__}", state=self.name, site=caller_site())
        check_field(STATE_FIELDS, "assign", assign, state=self.name, site=caller_site())
        start = Chain.of(target).start
        self.rules.append(ChoiceRule(condition, start, assign, output))
        self._link(start, caller_site())
        return self

    def otherwise(self, target: State | Chain) -> Choice:
        """Set the Default state, taken when no rule holds."""
        self._check_mutable()
        site = caller_site()
        start = Chain.of(target).start
        if self.default is not None:
            raise WiringError(f"Default is already {self.default.name!r}", state=self.name, site=site)
        object.__setattr__(self, "default", start)
        self._link(start, site)
        return self

    def successors(self) -> list[State]:
        targets = [rule.target for rule in self.rules]
        return targets + ([self.default] if self.default is not None else [])


@dataclass(eq=False, kw_only=True)
class Parallel(_Results, _Recovers, _Flows):
    """``Parallel``: runs each branch (a chain) on the same input."""

    branches: list[State] = asl("Branches", 30, kind="special", default=list, init=False)

    def branch(self, *chains: State | Chain) -> Parallel:
        """Add one branch per argument; each is a scope of its own."""
        self._check_mutable()
        site = caller_site()
        for chain in chains:
            start = Chain.of(chain).start
            n = len(self.branches) + 1
            claim(start, WiringScope(f"branch {n} of Parallel {self.name!r}", site), site)
            self.branches.append(start)
        return self


ProcessorMode = Literal["INLINE", "DISTRIBUTED"]
ExecutionType = Literal["STANDARD", "EXPRESS"]


@dataclass(eq=False, kw_only=True)
class Map(_Results, _Recovers, _Flows):
    """``Map``: runs ``iterator`` (a chain) for each item of its input array.

    ``mode="DISTRIBUTED"`` runs child workflow executions (with ``item_reader``,
    ``item_batcher``, ``result_writer`` and tolerated failures);
    ``legacy_iterator=True`` writes the older ``Iterator``/``Parameters`` form.
    """

    items_path: str | None = asl("ItemsPath", 32, language="JSONPath", kind="reference")
    items: Any = asl("Items", 33, language="JSONata")
    # ItemSelector, or Parameters in the legacy Iterator form.
    item_selector: JsonObject | None = asl("ItemSelector", 34, kind="special")
    item_reader: JsonObject | None = asl("ItemReader", 31)
    item_batcher: JsonObject | None = asl("ItemBatcher", 35)
    result_writer: JsonObject | None = asl("ResultWriter", 36)
    max_concurrency: int | str | None = asl("MaxConcurrency", 37)
    max_concurrency_path: str | None = asl("MaxConcurrencyPath", 38, language="JSONPath", kind="reference")
    tolerated_failure_percentage: float | str | None = asl("ToleratedFailurePercentage", 39)
    tolerated_failure_percentage_path: str | None = asl("ToleratedFailurePercentagePath", 40, language="JSONPath",
                                                        kind="reference")
    tolerated_failure_count: int | str | None = asl("ToleratedFailureCount", 41)
    tolerated_failure_count_path: str | None = asl("ToleratedFailureCountPath", 42, language="JSONPath",
                                                   kind="reference")
    label: str | None = asl("Label", 43)
    # Written inside ItemProcessor.ProcessorConfig.
    mode: ProcessorMode = "INLINE"
    execution_type: ExecutionType | None = None
    legacy_iterator: bool = False

    # ItemProcessor (its ProcessorConfig from mode and execution_type), or the legacy Iterator.
    iterator: State | None = asl("ItemProcessor", 30, kind="special", init=False)

    def iterate(self, chain: State | Chain) -> Map:
        """Set the chain run for each item (the ItemProcessor)."""
        self._check_mutable()
        site = caller_site()
        if self.iterator is not None:
            raise WiringError("the item processor is already set", state=self.name, site=site)
        start = Chain.of(chain).start
        claim(start, WiringScope(f"the item processor of Map {self.name!r}", site), site)
        object.__setattr__(self, "iterator", start)
        return self


@dataclass(eq=False, kw_only=True)
class Succeed(_InputOutput):
    """``Succeed``: ends the scope successfully."""


@dataclass(eq=False, kw_only=True)
class Fail(State):
    """``Fail``: ends the execution with an error and a cause."""

    error: str | None = asl("Error", 30)
    cause: str | None = asl("Cause", 32)
    error_path: str | None = asl("ErrorPath", 31, language="JSONPath", kind="reference")
    cause_path: str | None = asl("CausePath", 33, language="JSONPath", kind="reference")
