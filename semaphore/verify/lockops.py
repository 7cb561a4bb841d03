"""Lock operations recognised from what a Task does to DynamoDB, not from names.

A semaphore lives in one *lock item* (table + key) holding a counter and one
slot per owner. Recognition reads each DynamoDB Task (optimized
``arn:aws:states:::dynamodb:*`` or SDK ``aws-sdk:dynamodb:*``, JSONPath
``Parameters`` or JSONata ``Arguments``, single writes or
``transactWriteItems``) and classifies it by its effect:

* ACQUIRE: the counter goes up and an owner slot is added (an attribute of
  the lock item named by a run-time expression such as the execution id, or
  a holder item keyed by it, written in the same transaction);
* RELEASE: the counter goes down and that owner's slot is removed;
* TRANSFER: one owner's slot is removed and another's added, count unchanged
  (a hand-off: a release for the owner giving the slot away);
* READ: a getItem of the lock item (with its projection and consistency), or of
  an owner's holder item (its presence is the slot);
* DECREMENT / ANON_ACQUIRE / OWNER_ONLY: half of a lock operation (the
  counter moves without an owner, or an owner without the counter);
* REFRESH: an owner's slot is rewritten under a condition that it exists
  (``SET #o = #o`` with ``attribute_exists(#o)`` is an ownership probe: a
  conditional write is strongly consistent, so it proves either way);
* INIT: a put, or a constant SET of the counter, on the lock item;
* RECEIVE: a ``.waitForTaskToken`` park that passes the owner and the task
  token, in a machine whose lock is handed over by TRANSFER;
* ENQUEUE: the owner's entry is added *and* the owner is appended to a list
  attribute of the lock item (the queue; ``list_append``), counter unchanged:
  the owner waits. An entry whose owner is in the queue is queued, not held.
  As a ``.waitForTaskToken`` call whose queue a hand-off pops, it returns
  once a releaser handed it its slot (it *receives*).

A hand-off in a queued lock is a TRANSFER too: the releaser's entry and the
queue's head (``REMOVE #o.#me, #w[0]``) go in one write, count unchanged; the
head's entry, already there, now holds the slot.

A lock is identified by table + key + counter; an owner by where its slot
lives and the expression naming it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dsl.findings import pointer as make_pointer
from dsl.graph import Graph, Node
from dsl.integrations.resource import parse
from semaphore.verify.expressions import (
    Arith,
    Conjunct,
    ExpressionError,
    Func,
    Operand,
    Part,
    Path,
    Update,
    ValueRef,
    parse_condition,
    parse_paths,
    parse_update,
    resolvers,
)
from semaphore.verify.refs import canonical

__all__ = ["RELEASING", "Item", "LockId", "LockOp", "OpKind", "Owner", "Recognition", "identified_items",
           "recognise"]

_TOKEN_WAIT = ".waitForTaskToken"
_CONDITION_FAILED = "ConditionalCheckFailedException"


class OpKind(enum.StrEnum):
    """What a recognised Task does to a lock (see the module docstring)."""

    ACQUIRE = "acquire"
    RELEASE = "release"
    TRANSFER = "transfer"
    READ = "read"
    DECREMENT = "decrement"
    ANON_ACQUIRE = "anonymous-acquire"
    OWNER_ONLY = "owner-only"
    REFRESH = "refresh"
    INIT = "init"
    RECEIVE = "receive"
    ENQUEUE = "enqueue"
    OTHER = "other"


# The kinds by which an owner's slot leaves it.
RELEASING = (OpKind.RELEASE, OpKind.TRANSFER, OpKind.OWNER_ONLY)


@dataclass(frozen=True)
class Item:
    """A DynamoDB item: its table and its key attributes as (name, canonical typed value)
    pairs, e.g. ``(("LockName", "S:${SF_LockName}"),)``."""

    table: str
    key: tuple[tuple[str, str], ...]

    def within(self, attrs: tuple[tuple[str, str], ...]) -> bool:
        """Whether an item written with ``attrs`` (a put's whole Item) is this item."""
        return bool(self.key) and set(self.key) <= set(attrs)

    def __str__(self) -> str:
        return f"{self.table}[{', '.join(f'{k}={v}' for k, v in self.key)}]"


@dataclass(frozen=True)
class LockId:
    """A semaphore: its item and its counter attribute."""

    item: Item
    counter: str

    def __str__(self) -> str:
        return f"{self.item}.{self.counter}"


@dataclass(frozen=True)
class Owner:
    """Who holds a slot: ``expr`` (canonical, e.g. ``{context.Execution.Id}``) and
    ``where`` the slot lives (``attribute {owner}``, ``item T pk={owner}``)."""

    expr: str
    where: str

    def __str__(self) -> str:
        return self.expr


@dataclass(frozen=True)
class LockOp:
    """One Task's effect on a lock.

    ``limit`` is the counter write's condition and ``guard`` the condition of
    the write that changes the owner's slot (the same condition when both are
    one update); both in DNF, None when absent. ``pointer``/``limit_pointer``/
    ``guard_pointer`` locate the Task and those conditions. ``queue`` are the
    lock item's queue attributes (empty for a lock without a queue): an
    owner listed there is queued, not holding. ``receives`` marks an ENQUEUE
    that returns only when a hand-off gave it the slot.
    """

    node: str
    kind: OpKind
    item: Item
    counter: str | None = None
    owner: Owner | None = None
    other_owner: Owner | None = None
    limit: list[Conjunct] | None = field(default=None, compare=False)
    guard: list[Conjunct] | None = field(default=None, compare=False)
    limit_pointer: str = ""
    guard_pointer: str = ""
    counter_path: Path | None = None
    owner_path: Path | None = None
    consistent: bool = False
    projection: tuple[Path, ...] = ()
    owner_value: Mapping[str, Any] | None = field(default=None, compare=False)
    queue: tuple[Path, ...] = ()
    receives: bool = False

    @property
    def lock(self) -> LockId | None:
        """The lock this operation is about (None for a plain read/init of an item)."""
        return LockId(self.item, self.counter) if self.counter is not None else None


@dataclass(frozen=True)
class Problem:
    """Something recognition could not read (an unparseable expression, ...)."""

    pointer: str
    message: str


@dataclass
class Recognition:
    """Every lock operation of one document, by node id, plus what could not be read."""

    ops: dict[str, LockOp]
    problems: list[Problem]

    def of_kind(self, *kinds: OpKind) -> list[LockOp]:
        """The operations of these kinds, in document order."""
        return [op for op in self.ops.values() if op.kind in kinds]

    def on_items(self, items: Collection[Item]) -> Recognition:
        """Only the operations on ``items``; the unreadable calls only if some item is kept."""
        return Recognition({n: op for n, op in self.ops.items() if op.item in items},
                           self.problems if items else [])


# The kinds that move a counter and an owner's slot together: what identifies a lock.
_LOCK_KINDS = (OpKind.ACQUIRE, OpKind.RELEASE, OpKind.TRANSFER, OpKind.ENQUEUE)


def identified_items(recognition: Recognition) -> frozenset[Item]:
    """The items where a lock is identified: some operation moves a counter and an owner together.

    A counter moved without an owner anywhere (a stock level, a quota) is not a lock.
    """
    return frozenset(op.item for op in recognition.of_kind(*_LOCK_KINDS) if op.owner is not None)


# ---------------------------------------------------------------------------
# Reading the parameters of one DynamoDB call


@dataclass
class _Call:
    """The parameters of one DynamoDB request, with references resolved."""

    node: Node
    base: str  # JSON Pointer of the parameter object
    params: Mapping[str, Any]
    jsonata: bool
    input_path: str | None

    def field(self, name: str) -> tuple[object, bool, str]:
        """(value, is_dynamic, pointer) of a parameter (``name`` or ``name.$``)."""
        if name in self.params:
            value = self.params[name]
            dynamic = self.jsonata and isinstance(value, str) and value.strip().startswith("{%")
            return value, dynamic, self.base + make_pointer(name)
        if name + ".$" in self.params:
            return self.params[name + ".$"], True, self.base + make_pointer(name + ".$")
        return None, False, self.base + make_pointer(name)

    def ref(self, text: str) -> str:
        return canonical(text, jsonata=self.jsonata, input_path=self.input_path)

    def text(self, name: str) -> str | None:
        value, dynamic, _ = self.field(name)
        if not isinstance(value, str):
            return None
        return self.ref(value) if dynamic else value

    def typed(self, value: object) -> tuple[str, str, bool] | None:
        """A DynamoDB typed value ``{"S": "x"}`` as (type, text, dynamic)."""
        if isinstance(value, str) and self.jsonata:
            return ("", self.ref(value), True)
        if not isinstance(value, Mapping) or len(value) != 1:
            return None
        ((kind, inner),) = value.items()
        if kind.endswith(".$") and isinstance(inner, str):
            return (kind[:-2], self.ref(inner), True)
        if isinstance(inner, str):
            dynamic = self.jsonata and inner.strip().startswith("{%")
            return (kind, self.ref(inner) if dynamic else inner, dynamic)
        return (kind, json.dumps(inner, sort_keys=True), False)

    def key(self, name: str = "Key") -> tuple[tuple[str, str], ...]:
        """The attributes of ``Key`` (or a put's ``Item``) as sorted (name, typed value) pairs."""
        value, dynamic, _ = self.field(name)
        if dynamic or not isinstance(value, Mapping):
            return (("?", self.ref(value) if isinstance(value, str) else "?"),)
        parts = []
        for attr in sorted(value):
            typed = self.typed(value[attr])
            shown = f"{typed[0]}:{typed[1]}" if typed else "?"
            parts.append((attr.removesuffix(".$"), shown))
        return tuple(parts)

    def static_map(self, name: str) -> Mapping[str, Any]:
        """A parameter that must be a literal object (empty when absent)."""
        value, dynamic, where = self.field(name)
        if value is None:
            return {}
        if dynamic or not isinstance(value, Mapping):
            raise ExpressionError(f"{where}: {name} is computed at run time; cannot resolve it")
        return value

    def names(self) -> dict[str, Part]:
        out: dict[str, Part] = {}
        for key, text in self.static_map("ExpressionAttributeNames").items():
            if not isinstance(text, str):
                continue
            if key.endswith(".$"):
                out[key[:-2]] = Part(self.ref(text), True)
            elif self.jsonata and text.strip().startswith("{%"):
                out[key] = Part(self.ref(text), True)
            else:
                out[key] = Part(text)
        return out

    def values(self) -> dict[str, ValueRef]:
        out: dict[str, ValueRef] = {}
        for key, inner in self.static_map("ExpressionAttributeValues").items():
            if key.endswith(".$"):
                out[key[:-2]] = ValueRef(key[:-2], "", self.ref(inner) if isinstance(inner, str) else "?", True)
                continue
            typed = self.typed(inner)
            out[key] = ValueRef(key, typed[0], typed[1], typed[2]) if typed else ValueRef(key, "", "?", False)
        return out

    def raw_values(self) -> Mapping[str, Any]:
        value, _, _ = self.field("ExpressionAttributeValues")
        return value if isinstance(value, Mapping) else {}


@dataclass
class _Write:
    """One write to one item, reduced to what matters for locks."""

    item: Item
    kind: str  # update, put, delete, check
    condition: list[Conjunct] | None
    condition_pointer: str
    counter: Path | None = None
    delta: int = 0
    owner_set: list[Path] = field(default_factory=list)
    owner_removed: list[Path] = field(default_factory=list)
    constant_sets: list[Path] = field(default_factory=list)
    holder: Owner | None = None  # for a put/delete of an item keyed by an owner
    holder_key: Path | None = None  # the key attribute naming that owner
    owner_values: dict[Path, Mapping[str, Any]] = field(default_factory=dict)
    appended: list[tuple[Path, tuple[str, ...]]] = field(default_factory=list)  # list, run-time values appended
    popped: list[Path] = field(default_factory=list)  # lists whose head ([0]) is removed


def _counter_change(target: Path, value: Operand | Arith) -> int | None:
    """+1 / -1 when ``target = target +/- :n`` (or via if_not_exists), else None."""
    if not isinstance(value, Arith):
        return None

    def is_target(operand: Operand) -> bool:
        return operand == target or (isinstance(operand, Func) and operand.name == "if_not_exists"
                                     and bool(operand.args) and operand.args[0] == target)
    if is_target(value.left):
        amount = value.right
    elif is_target(value.right) and value.op == "+":
        amount = value.left
    else:
        return None
    sign = 1 if value.op == "+" else -1
    number = amount.number() if isinstance(amount, ValueRef) else None
    if number is not None:
        sign = sign if number > 0 else -sign if number < 0 else 0
    return sign


def _owner_where(path: Path) -> tuple[str, str] | None:
    """(canonical owner expression, slot location) of a path with a run-time name."""
    dynamic = [p for p in path.parts if p.dynamic]
    if not dynamic:
        return None
    where = ".".join("{owner}" if p is dynamic[0] else str(p) for p in path.parts)
    return dynamic[0].name, "attribute " + where


def _update_write(call: _Call, item: Item) -> _Write:
    name, value = resolvers(call.names(), call.values())
    text, _, where = call.field("UpdateExpression")
    if not isinstance(text, str):
        raise ExpressionError(f"{where}: expected an UpdateExpression string")
    update: Update = parse_update(text, name, value)
    condition, condition_pointer = _condition(call, name, value)
    write = _Write(item, "update", condition, condition_pointer)
    raw_values = call.raw_values()
    for target, expr in update.set:
        delta = _counter_change(target, expr)
        if delta:
            write.counter, write.delta = target, delta
        elif target.dynamic:
            write.owner_set.append(target)
            if isinstance(expr, ValueRef) and isinstance(raw_values.get(expr.name), Mapping):
                write.owner_values[target] = raw_values[expr.name]
        elif isinstance(expr, ValueRef):
            write.constant_sets.append(target)
        elif isinstance(expr, Func) and expr.name == "list_append":
            appended = _appended(call, target, expr, raw_values)
            if appended:
                write.appended.append((target, appended))
    for target, amount in update.add:
        number = amount.number()
        if number:
            write.counter, write.delta = target, 1 if number > 0 else -1
        elif target.dynamic:
            write.owner_set.append(target)
    write.owner_removed.extend(p for p in update.remove if p.dynamic)
    write.popped.extend(Path(p.parts[:-1]) for p in update.remove
                        if not p.dynamic and len(p.parts) > 1 and p.parts[-1].name == "[0]")
    return write


def _appended(call: _Call, target: Path, expr: Func, raw_values: Mapping[str, Any]) -> tuple[str, ...]:
    """The run-time values ``list_append(target, :v)`` (either order) adds to ``target``."""
    if len(expr.args) != 2 or target not in expr.args:
        return ()
    other = expr.args[1] if expr.args[0] == target else expr.args[0]
    raw = raw_values.get(other.name) if isinstance(other, ValueRef) else None
    elements = raw.get("L") if isinstance(raw, Mapping) else None
    if not isinstance(elements, list):
        return ()
    return tuple(typed[1] for element in elements if (typed := call.typed(element)) and typed[2])


def _condition(call: _Call, name: Any, value: Any) -> tuple[list[Conjunct] | None, str]:
    text, _, where = call.field("ConditionExpression")
    if text is None:
        return None, where
    if not isinstance(text, str):
        raise ExpressionError(f"{where}: expected a ConditionExpression string")
    return parse_condition(text, name, value), where


def _holder(call: _Call, table: str, attrs: Mapping[str, Any],
            key_names: Iterable[str]) -> tuple[Owner, Path] | None:
    """The owner of a holder item and its key attribute: the first key attribute whose
    value is computed at run time."""
    for attr in key_names:
        typed = call.typed(attrs.get(attr, attrs.get(attr + ".$")))
        if typed and typed[2]:
            return Owner(typed[1], f"item {table} {attr}={{owner}}"), Path((Part(attr),))
    return None


def _item_write(call: _Call, item: Item, kind: str) -> _Write:
    name, value = resolvers(call.names(), call.values())
    condition, condition_pointer = _condition(call, name, value)
    write = _Write(item, kind, condition, condition_pointer)
    attrs_value, _, _ = call.field("Item" if kind == "put" else "Key")
    attrs = attrs_value if isinstance(attrs_value, Mapping) else {}
    if kind == "put":
        # The key attributes of a put are the ones its condition requires absent, if it names any.
        named = [str(lit.args[0]) for conj in condition or [] for lit in conj
                 if isinstance(lit, Func) and lit.name == "attribute_not_exists" and lit.args]
        keys = named or sorted(k.removesuffix(".$") for k in attrs)
    else:
        keys = sorted(k.removesuffix(".$") for k in attrs)
    holder = _holder(call, item.table, attrs, keys)
    if holder is not None:
        write.holder, write.holder_key = holder
    return write


def _calls(node: Node, action: str) -> list[tuple[str, _Call]]:
    """(action, call) for each DynamoDB request a Task makes."""
    state = node.state
    jsonata = node.query_language == "JSONata"
    field_name = "Arguments" if jsonata else "Parameters"
    params = state.get(field_name)
    if not isinstance(params, Mapping):
        return []
    input_path = state.get("InputPath") if isinstance(state.get("InputPath"), str) else None
    base = node.id + make_pointer(field_name)
    if action != "transactWriteItems":
        return [(action, _Call(node, base, params, jsonata, input_path))]
    out = []
    items = params.get("TransactItems")
    if isinstance(items, list):
        for index, entry in enumerate(items):
            if isinstance(entry, Mapping) and len(entry) == 1:
                ((kind, inner),) = entry.items()
                if isinstance(inner, Mapping):
                    where = base + make_pointer("TransactItems", str(index), kind)
                    sub = {"Update": "updateItem", "Put": "putItem", "Delete": "deleteItem",
                           "ConditionCheck": "conditionCheck"}.get(kind)
                    if sub:
                        out.append((sub, _Call(node, where, inner, jsonata, input_path)))
    return out


def _writes(node: Node, action: str) -> tuple[list[_Write], list[tuple[Item, _Call]]]:
    writes: list[_Write] = []
    reads: list[tuple[Item, _Call]] = []
    for sub, call in _calls(node, action):
        table = call.text("TableName") or "?"
        item = Item(table, call.key("Key" if sub != "putItem" else "Item"))
        if sub == "updateItem":
            writes.append(_update_write(call, item))
        elif sub in ("putItem", "deleteItem"):
            writes.append(_item_write(call, item, "put" if sub == "putItem" else "delete"))
        elif sub == "conditionCheck":
            name, value = resolvers(call.names(), call.values())
            condition, where = _condition(call, name, value)
            writes.append(_Write(item, "check", condition, where))
        elif sub == "getItem":
            reads.append((item, call))
    return writes, reads


def _classify(node: Node, writes: list[_Write], known: dict[Item, tuple[str, set[str]]],
              queues: Mapping[Item, set[Path]]) -> LockOp | None:
    counters = [w for w in writes if w.counter is not None and w.delta]
    if not counters:
        return _owner_change(node, writes, known, queues)
    counter = counters[0]
    base = LockOp(node=node.id, kind=OpKind.OTHER, item=counter.item, counter=str(counter.counter),
                  limit=counter.condition, limit_pointer=counter.condition_pointer, counter_path=counter.counter,
                  guard=counter.condition, guard_pointer=counter.condition_pointer)
    # The owner's slot is an attribute of the lock item, or a holder item in the same transaction.
    changed = [(p, w) for w in writes if w.item == counter.item
               for p in (w.owner_set if counter.delta > 0 else w.owner_removed)]
    if changed:
        path, write = changed[0]
        expr, where = _owner_where(path) or ("?", "?")
        return replace(base, kind=OpKind.ACQUIRE if counter.delta > 0 else OpKind.RELEASE, owner=Owner(expr, where),
                       guard=write.condition, guard_pointer=write.condition_pointer, owner_path=path,
                       owner_value=write.owner_values.get(path))
    holders = [w for w in writes if w.holder is not None and w.item != counter.item
               and w.kind == ("put" if counter.delta > 0 else "delete")]
    if holders:
        return replace(base, kind=OpKind.ACQUIRE if counter.delta > 0 else OpKind.RELEASE, owner=holders[0].holder,
                       guard=holders[0].condition, guard_pointer=holders[0].condition_pointer,
                       owner_path=holders[0].holder_key)
    return replace(base, kind=OpKind.ANON_ACQUIRE if counter.delta > 0 else OpKind.DECREMENT)


def _owner_change(node: Node, writes: list[_Write], known: dict[Item, tuple[str, set[str]]],
                  queues: Mapping[Item, set[Path]]) -> LockOp | None:
    """A write that moves owners without the counter, on a known lock item and slot location."""
    for write in writes:
        lock_item = _known_item(write, known)
        if lock_item is None:
            continue
        counter, places = known[lock_item]
        added = [(p, w) for p in write.owner_set if (w := _owner_where(p)) and w[1] in places]
        removed = [(p, w) for p in write.owner_removed if (w := _owner_where(p)) and w[1] in places]
        base = LockOp(node=node.id, kind=OpKind.OTHER, item=lock_item, counter=counter, guard=write.condition,
                      guard_pointer=write.condition_pointer, limit=write.condition,
                      limit_pointer=write.condition_pointer)
        if added and removed and added[0][1][0] != removed[0][1][0]:
            return replace(base, kind=OpKind.TRANSFER, owner=Owner(*removed[0][1]), other_owner=Owner(*added[0][1]),
                           owner_path=removed[0][0])
        queue = _enqueued(write, places)
        if queue is not None and added:
            parks = (node.resource or "").endswith(_TOKEN_WAIT) and "Task.Token" in json.dumps(node.state)
            return replace(base, kind=OpKind.ENQUEUE, owner=Owner(*added[0][1]), owner_path=added[0][0],
                           owner_value=write.owner_values.get(added[0][0]), queue=(queue,), receives=parks)
        if removed:
            pops = _queue_pops(write, queues.get(lock_item, set()), removed[0][1][0])
            if pops and not added:
                return replace(base, kind=OpKind.TRANSFER, owner=Owner(*removed[0][1]),
                               other_owner=Owner(f"{{head of {pops[0]}}}", removed[0][1][1]),
                               owner_path=removed[0][0], queue=(pops[0],))
            return replace(base, kind=OpKind.OWNER_ONLY, owner=Owner(*removed[0][1]), owner_path=removed[0][0])
        if added:
            return replace(base, kind=OpKind.REFRESH, owner=Owner(*added[0][1]), owner_path=added[0][0])
        if write.kind == "put" or any(str(p) == counter for p in write.constant_sets):
            return replace(base, kind=OpKind.INIT)
        return base
    return None


def _enqueued(write: _Write, places: set[str]) -> Path | None:
    """The list a write appends an owner to while adding that owner's entry (the queue), if any."""
    added = {w[0] for p in write.owner_set if (w := _owner_where(p)) and w[1] in places}
    return next((target for target, values in write.appended if added & set(values)), None)


def _queue_pops(write: _Write, queues: set[Path], owner: str) -> list[Path]:
    """The queues whose head a write removes: the known queues, else the lists its condition
    requires not to contain ``owner``, else every list whose head it removes."""
    if queues:
        return [p for p in write.popped if p in queues]
    tested = {lit.args[0] for conj in write.condition or [] for lit in conj
              if isinstance(lit, Func) and lit.negated and lit.name == "contains" and len(lit.args) == 2
              and isinstance(lit.args[1], ValueRef) and lit.args[1].text == owner}
    return [p for p in write.popped if p in tested] or list(write.popped)


def _known_item(write: _Write, known: dict[Item, tuple[str, set[str]]]) -> Item | None:
    """The known lock item a write is to (a put names its item by its whole Item)."""
    if write.item in known:
        return write.item
    if write.kind == "put":
        return next((i for i in known if i.table == write.item.table and i.within(write.item.key)), None)
    return None


def _read(node: Node, item: Item, call: _Call, known: dict[Item, tuple[str, set[str]]]) -> LockOp:
    name, _ = resolvers(call.names(), {})
    text, _, _ = call.field("ProjectionExpression")
    projection = parse_paths(text, name) if isinstance(text, str) else ()
    consistent, _, _ = call.field("ConsistentRead")
    return LockOp(node=node.id, kind=OpKind.READ, item=item, counter=known[item][0],
                  consistent=consistent is True, projection=projection)


def _holder_read(node: Node, item: Item, call: _Call, ops: Iterable[LockOp]) -> LockOp | None:
    """A getItem of an owner's holder item (one item per holder): a READ of that owner's slot,
    ``owner`` set and no projection (the item's presence is the slot)."""
    key, _, _ = call.field("Key")
    found = _holder(call, item.table, key, [k for k, _ in item.key]) if isinstance(key, Mapping) \
        and len(item.key) == 1 else None
    if found is None:
        return None
    owner = found[0]
    lock = next((op for op in ops if op.owner is not None and op.owner.where == owner.where
                 and op.counter is not None), None)
    if lock is None:
        return None
    consistent, _, _ = call.field("ConsistentRead")
    return LockOp(node=node.id, kind=OpKind.READ, item=lock.item, counter=lock.counter, owner=owner,
                  consistent=consistent is True)


def _receive(node: Node, owners: set[str]) -> str | None:
    """The owner a ``.waitForTaskToken`` park announces together with its task token, if any."""
    resource = node.resource or ""
    params = node.state.get("Arguments" if node.query_language == "JSONata" else "Parameters")
    if not resource.endswith(".waitForTaskToken") or params is None:
        return None
    text = json.dumps(params)
    if "Task.Token" not in text:
        return None
    jsonata = node.query_language == "JSONata"
    refs = set()
    stack: list[object] = [params]
    while stack:
        value = stack.pop()
        if isinstance(value, Mapping):
            for key, inner in value.items():
                if isinstance(inner, str) and (key.endswith(".$") or jsonata):
                    refs.add(canonical(inner, jsonata=jsonata))
                stack.append(inner)
        elif isinstance(value, list):
            stack.extend(value)
    found = sorted(owners & refs)
    return found[0] if found else None


def recognise(graph: Graph, *, related: Iterable[LockOp] = ()) -> Recognition:
    """Recognise the lock operations of every Task in ``graph``.

    ``related`` are operations of the same family's other documents (e.g. the
    semaphore's, when recognising its cleanup), so a lock item and its slot
    location are known even in a document that only reads or releases.
    """
    tasks: list[tuple[Node, str]] = []
    for node in graph.states():
        if node.type == "Task" and node.resource:
            used = parse(node.resource)  # the library's one reader of integration Resources
            dynamodb = used is not None and used.service == "dynamodb" and used.pattern in ("", "waitForTaskToken")
            tasks.append((node, used.api if used is not None and dynamodb else ""))
    problems: list[Problem] = []
    parsed: dict[str, tuple[list[_Write], list[tuple[Item, _Call]]]] = {}
    for node, action in tasks:
        if not action:
            continue
        try:
            parsed[node.id] = _writes(node, action)
        except ExpressionError as exc:
            problems.append(Problem(node.id, exc.message))
    # First pass: counter-changing operations teach the lock items and slot locations.
    ops: dict[str, LockOp] = {}
    known: dict[Item, tuple[str, set[str]]] = {}
    queues: dict[Item, set[Path]] = {}
    for op in list(related):
        _learn(known, queues, op)
    for node, _ in tasks:
        writes = parsed.get(node.id, ([], []))[0]
        if any(w.counter is not None and w.delta for w in writes):
            counted = _classify(node, writes, known, queues)
            if counted is not None:
                ops[node.id] = counted
                _learn(known, queues, counted)
    # Then the queues: lists an owner is appended to together with its entry.
    for node, _ in tasks:
        for write in parsed.get(node.id, ([], []))[0]:
            item = _known_item(write, known)
            queue = _enqueued(write, known[item][1]) if item is not None else None
            if item is not None and queue is not None:
                queues.setdefault(item, set()).add(queue)
    # Second pass: everything else that touches a known lock item.
    for node, _ in tasks:
        if node.id not in ops and node.id in parsed:
            writes, reads = parsed[node.id]
            found = _classify(node, writes, known, queues) if writes else None
            if found is None:
                for item, call in reads:
                    if item in known:
                        try:
                            found = _read(node, item, call, known)
                        except ExpressionError as exc:
                            problems.append(Problem(node.id, exc.message))
                        break
                    found = _holder_read(node, item, call, [*related, *ops.values()])
                    if found is not None:
                        break
            if found is not None:
                ops[node.id] = found
                _learn(known, queues, found)
    # Third pass: where slots are handed over, a park announcing its owner receives one.
    if any(op.kind is OpKind.TRANSFER for op in ops.values()):
        acquires = {op.owner.expr: op for op in ops.values() if op.owner and op.kind is OpKind.ACQUIRE}
        for node, _ in tasks:
            owner = _receive(node, set(acquires)) if node.id not in parsed else None
            if owner is not None:
                taken = acquires[owner]
                ops[node.id] = LockOp(node=node.id, kind=OpKind.RECEIVE, item=taken.item, counter=taken.counter,
                                      owner=taken.owner)
    popped = {q for op in [*ops.values(), *related] if op.kind is OpKind.TRANSFER for q in op.queue}
    ordered = {node.id: _with_queue(ops[node.id], queues, popped) for node, _ in tasks if node.id in ops}
    return Recognition(ordered, problems)


def _with_queue(op: LockOp, queues: Mapping[Item, set[Path]], popped: set[Path]) -> LockOp:
    """``op`` knowing its lock's queue; a park receives a slot only if a hand-off pops its queue."""
    queue = tuple(sorted(queues.get(op.item, set()) | set(op.queue), key=str))
    receives = op.receives and any(q in popped for q in op.queue)
    if queue == op.queue and receives == op.receives:
        return op
    return replace(op, queue=queue, receives=receives)


def _learn(known: dict[Item, tuple[str, set[str]]], queues: dict[Item, set[Path]], op: LockOp) -> None:
    if op.counter is None:
        return
    _, places = known.setdefault(op.item, (op.counter, set()))
    if op.owner is not None and op.owner.where.startswith("attribute "):
        places.add(op.owner.where)
    if op.queue:
        queues.setdefault(op.item, set()).update(op.queue)


def condition_failed_only(errors: Iterable[str]) -> bool:
    """Whether every error named is a failed condition (so nothing was written by that attempt)."""
    names = list(errors)
    return bool(names) and all(e.endswith(_CONDITION_FAILED) for e in names)
