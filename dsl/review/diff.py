"""Semantic diff of two ASL documents: what changed in the workflow, not in the text.

States are matched by name within their scope (the top level, one Parallel
branch, or one Map's item processor). A removed and an added state of the same
scope whose content is equal once transitions to renamed states are mapped are
a rename. Key order and whitespace never matter: the documents are compared as
parsed JSON values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dsl.document import (
    BRANCHES,
    NESTED_MACHINE_FIELDS,
    PROCESSOR_FIELDS,
    Defect,
    nested,
)
from dsl.findings import pointer as json_pointer
from dsl.graph import condition_label
from dsl.review.errors import ReviewInputError
from dsl.review.location import Enclosing
from dsl.review.shortform import catcher_errors, member_path, retrier_text, value_text

# Fields that name the next state: a rename of their target is not a change.
_TARGET_FIELDS = ("Next", "Default")
# Fields compared with their own rules rather than value by value.
_SPECIAL_FIELDS = {"Next", "End", "Default", "Choices", "Retry", "Catch", *NESTED_MACHINE_FIELDS}
K = TypeVar("K")


@dataclass(frozen=True)
class FieldChange:
    """One difference: ``kind`` is field, transition, choice, retry or catch.

    ``old`` and ``new`` are short texts; ``None`` means "not present".
    """

    kind: str
    what: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class StateRef:
    """A state located in its document: ``where`` is the chain of enclosing scopes."""

    name: str
    type: str
    where: tuple[Enclosing, ...] = ()


@dataclass(frozen=True)
class StateChanges:
    """The changes of one state present on both sides (possibly renamed)."""

    state: StateRef
    changes: tuple[FieldChange, ...]
    renamed_from: str | None = None


@dataclass(frozen=True)
class SemanticDiff:
    """Everything that differs between two ASL documents."""

    machine: tuple[FieldChange, ...] = ()
    added: tuple[StateRef, ...] = ()
    removed: tuple[StateRef, ...] = ()
    renamed: tuple[tuple[StateRef, StateRef], ...] = ()
    changed: tuple[StateChanges, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the two documents describe the same workflow."""
        return not (self.machine or self.added or self.removed or self.renamed or self.changed)

    def counts(self) -> dict[str, int]:
        """How many states were added, removed, renamed and changed."""
        return {"added": len(self.added), "removed": len(self.removed),
                "renamed": len(self.renamed), "changed": len(self.changed)}


@dataclass
class _Collector:
    added: list[StateRef] = field(default_factory=list)
    removed: list[StateRef] = field(default_factory=list)
    renamed: list[tuple[StateRef, StateRef]] = field(default_factory=list)
    changed: list[StateChanges] = field(default_factory=list)


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> SemanticDiff:
    """The semantic differences from ``old`` to ``new`` (two parsed ASL documents).

    Raises :class:`ReviewInputError` when either is not shaped like ASL; call
    :func:`check_document` on each first to know which one.
    """
    check_document(old)
    check_document(new)
    old_states = _states_of(old, ())
    new_states = _states_of(new, ())
    out = _Collector()
    mapping = _diff_scope(old_states, new_states, (), out)
    machine = [c for key in _union_keys(old, new) if key != "States"
               for c in _machine_field(key, old, new, mapping)]
    return SemanticDiff(tuple(machine), tuple(out.added), tuple(out.removed),
                        tuple(out.renamed), tuple(out.changed))


def _machine_field(key: str, old: Mapping[str, Any], new: Mapping[str, Any],
                   mapping: Mapping[str, str]) -> list[FieldChange]:
    if key == "StartAt":
        return _target_change("StartAt", old.get(key), new.get(key), mapping)
    return _value_changes("field", key, old.get(key, _MISSING), new.get(key, _MISSING))


# -- scopes and matching ----------------------------------------------------------------


def check_document(doc: Mapping[str, Any], pointer: tuple[str | int, ...] = ()) -> None:
    """Raise :class:`ReviewInputError` unless every scope of ``doc`` has an object of state objects."""
    for name, body in _states_of(doc, pointer).items():
        for _, child_pointer, scope in _children(name, body, (*pointer, "States", name)):
            check_document(scope, child_pointer)


def _states_of(scope: Mapping[str, Any], where: tuple[str | int, ...]) -> dict[str, dict[str, Any]]:
    states = scope.get("States")
    if not isinstance(states, dict):
        raise ReviewInputError(json_pointer(*where, "States"), "expected an object of states")
    for name, body in states.items():
        if not isinstance(body, dict):
            raise ReviewInputError(json_pointer(*where, "States", name), "expected a state object")
    return states


def _children(name: str, body: Mapping[str, Any], pointer: tuple[str | int, ...]
              ) -> list[tuple[int | None, tuple[str | int, ...], dict[str, Any]]]:
    """The nested scopes of a state: (branch number or None for Map items, pointer, scope object)."""
    found: list[tuple[int | None, tuple[str | int, ...], dict[str, Any]]] = []
    for scope in nested(name, body, pointer, as_written=True):
        if isinstance(scope, Defect):
            if scope.expected == "branch":
                raise ReviewInputError(json_pointer(*scope.parts), "expected a branch object")
            continue  # Branches not an array, or no processor: nothing nested to compare
        found.append((None if scope.branch is None else scope.branch + 1, scope.parts, scope.body))
    return found


def _diff_scope(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]],
                where: tuple[Enclosing, ...], out: _Collector) -> dict[str, str]:
    """Diff one scope into ``out``; returns the old-name -> new-name mapping."""
    mapping = _match(old, new)
    matched_new = set(mapping.values())
    for name, body in new.items():
        if name not in matched_new:
            out.added += _refs_within(name, body, where)
    for name, body in old.items():
        if name not in mapping:
            out.removed += _refs_within(name, body, where)
    reverse = {n: o for o, n in mapping.items()}
    for new_name, new_body in new.items():
        old_name = reverse.get(new_name)
        if old_name is None:
            continue
        ref = _ref(new_name, new_body, where)
        if old_name != new_name:
            out.renamed.append((_ref(old_name, old[old_name], where), ref))
        changes = _state_changes(old[old_name], new_body, mapping)
        if changes:
            out.changed.append(StateChanges(ref, tuple(changes), old_name if old_name != new_name else None))
        _diff_children(old[old_name], new_body, where, new_name, out)
    return mapping


def _diff_children(old_body: dict[str, Any], new_body: dict[str, Any], where: tuple[Enclosing, ...],
                   name: str, out: _Collector) -> None:
    old_children = {label: scope for label, _, scope in _children(name, old_body, ())}
    for label, _, scope in _children(name, new_body, ()):
        old_scope = old_children.pop(label, None)
        old_states = _states_of(old_scope, ()) if old_scope is not None else {}
        _diff_scope(old_states, _states_of(scope, ()), (*where, Enclosing(name, label)), out)
    for label, scope in old_children.items():
        for child, body in _states_of(scope, ()).items():
            out.removed += _refs_within(child, body, (*where, Enclosing(name, label)))


def _refs_within(name: str, body: dict[str, Any], where: tuple[Enclosing, ...]) -> list[StateRef]:
    """A state and, for a Parallel or Map, every state nested in it (all added or removed together)."""
    refs = [_ref(name, body, where)]
    for label, _, scope in _children(name, body, ()):
        for child, inner in _states_of(scope, ()).items():
            refs += _refs_within(child, inner, (*where, Enclosing(name, label)))
    return refs


def _ref(name: str, body: Mapping[str, Any], where: tuple[Enclosing, ...]) -> StateRef:
    return StateRef(name, str(body.get("Type", "?")), where)


def _match(old: Mapping[str, dict[str, Any]], new: Mapping[str, dict[str, Any]]) -> dict[str, str]:
    """Pair old state names with new ones: same name first, then renames.

    A rename is found when exactly one removed and one added state have equal
    content once transitions are mapped through the pairs found so far; this
    repeats so chains of renamed states resolve. States still unpaired are
    then paired when equal apart from their transitions (renamed and moved).
    """
    mapping = {name: name for name in old if name in new}
    removed = [name for name in old if name not in new]
    added = [name for name in new if name not in old]
    for loose in (False, True):
        while True:
            candidates = {o: [n for n in added if _same(old[o], new[n], mapping, loose=loose)] for o in removed}
            pairs = _unique_pairs(candidates)
            if not pairs:
                break
            for old_name, new_name in pairs:
                mapping[old_name] = new_name
                removed.remove(old_name)
                added.remove(new_name)
    return mapping


def _unique_pairs(candidates: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """Pairs (old, new) where the old name has one candidate that no other old name has."""
    pairs = []
    for old_name, matches in candidates.items():
        if len(matches) == 1 and sum(matches[0] in m for m in candidates.values()) == 1:
            pairs.append((old_name, matches[0]))
    return pairs


def _same(old: dict[str, Any], new: dict[str, Any], mapping: Mapping[str, str], *, loose: bool) -> bool:
    if loose:
        return _retarget(old, None) == _retarget(new, None)
    return _retarget(old, mapping) == new


def _retarget(body: dict[str, Any], mapping: Mapping[str, str] | None) -> dict[str, Any]:
    """``body`` with transition targets renamed by ``mapping`` (all blanked for ``None``)."""

    def target(name: Any) -> Any:
        if mapping is None:
            return ""
        return mapping.get(name, name) if isinstance(name, str) else name

    copy = dict(body)
    for key in _TARGET_FIELDS:
        if key in copy:
            copy[key] = target(copy[key])
    if mapping is None:
        copy.pop("End", None)
        copy.pop("Next", None)
    for key in ("Choices", "Catch"):
        if isinstance(copy.get(key), list):
            copy[key] = [dict(item, Next=target(item["Next"])) if isinstance(item, dict) and "Next" in item
                         else item for item in copy[key]]
    return copy


# -- comparing one state ----------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _state_changes(old: dict[str, Any], new: dict[str, Any], mapping: Mapping[str, str]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key in _union_keys(old, new):
        if key in _SPECIAL_FIELDS:
            continue
        changes += _value_changes("field", key, old.get(key, _MISSING), new.get(key, _MISSING))
    changes += _transition_changes(old, new, mapping)
    changes += _choice_changes(old.get("Choices"), new.get("Choices"), mapping)
    changes += _keyed_list_changes("retry", "Retry", old.get("Retry"), new.get("Retry"), mapping)
    changes += _keyed_list_changes("catch", "Catch", old.get("Catch"), new.get("Catch"), mapping)
    changes += _nesting_changes(old, new)
    return changes


def _transition_changes(old: dict[str, Any], new: dict[str, Any], mapping: Mapping[str, str]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key in _TARGET_FIELDS:
        changes += _target_change(key, old.get(key), new.get(key), mapping)
    if old.get("End") != new.get("End"):
        changes.append(FieldChange("transition", "End", _maybe(old, "End"), _maybe(new, "End")))
    return changes


def _target_change(what: str, old: Any, new: Any, mapping: Mapping[str, str]) -> list[FieldChange]:
    mapped = mapping.get(old, old) if isinstance(old, str) else old
    if mapped == new:
        return []
    return [FieldChange("transition", what, _target_text(old), _target_text(new))]


def _target_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value_text(value)


def _maybe(body: Mapping[str, Any], key: str) -> str | None:
    return value_text(body[key]) if key in body else None


def _choice_changes(old: Any, new: Any, mapping: Mapping[str, str]) -> list[FieldChange]:
    if not isinstance(old, list) or not isinstance(new, list):
        return _value_changes("choice", "Choices", _or_missing(old), _or_missing(new))
    changes: list[FieldChange] = []
    for index in range(max(len(old), len(new))):
        label = f"Choices[{index}]"
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before is None or after is None:
            changes.append(FieldChange("choice", label, _rule_text(before), _rule_text(after)))
            continue
        if not isinstance(before, dict) or not isinstance(after, dict):
            changes += _value_changes("choice", label, before, after)
            continue
        if _without(before, "Next") != _without(after, "Next"):
            changes += _condition_change(label, before, after)
        changes += _target_change(f"{label} Next", before.get("Next"), after.get("Next"), mapping)
    return changes


def _condition_change(label: str, before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    old_text, new_text = condition_label(before), condition_label(after)
    if old_text != new_text:
        return [FieldChange("choice", f"{label} condition", old_text, new_text)]
    # The short forms hide the difference (shortened, or unknown operators): show the values.
    return _value_changes("choice", label, _without(before, "Next"), _without(after, "Next"))


def _rule_text(rule: Any) -> str | None:
    if rule is None:
        return None
    if not isinstance(rule, dict):
        return value_text(rule)
    return f"{condition_label(rule)} → {rule.get('Next', '?')}"


def _keyed_list_changes(kind: str, key: str, old: Any, new: Any, mapping: Mapping[str, str]) -> list[FieldChange]:
    """Retry or Catch: entries are matched by their ErrorEquals, so edits read as edits."""
    if not isinstance(old if old is not None else [], list) or not isinstance(new if new is not None else [], list):
        return _value_changes(kind, key, _or_missing(old), _or_missing(new))
    before, after = _by_errors(old or []), _by_errors(new or [])
    describe = _retrier_settings if kind == "retry" else _catcher_text
    changes: list[FieldChange] = []
    for errors, entry in after.items():
        label = f"{key} {errors}"
        if errors not in before:
            changes.append(FieldChange(kind, label, None, describe(entry)))
            continue
        previous = before[errors]
        if not isinstance(previous, dict) or not isinstance(entry, dict):
            changes += _value_changes(kind, label, previous, entry)
            continue
        if "Next" in previous or "Next" in entry:
            changes += [FieldChange(kind, c.what, c.old, c.new) for c in
                        _target_change(f"{label} › Next", previous.get("Next"), entry.get("Next"), mapping)]
        for field_key in _union_keys(_without(previous, "Next"), _without(entry, "Next")):
            changes += _value_changes(kind, f"{label} › {field_key}",
                                      previous.get(field_key, _MISSING), entry.get(field_key, _MISSING))
    for errors, entry in before.items():
        if errors not in after:
            changes.append(FieldChange(kind, f"{key} {errors}", describe(entry), None))
    common_before = [e for e in before if e in after]
    common_after = [e for e in after if e in before]
    if common_before != common_after:
        changes.append(FieldChange(kind, f"{key} order", " ; ".join(common_before), " ; ".join(common_after)))
    return changes


def _by_errors(entries: list[Any]) -> dict[str, Any]:
    keyed: dict[str, Any] = {}
    for index, entry in enumerate(entries):
        errors = catcher_errors(entry)
        # Two entries for the same errors (the second is dead code) keep both visible.
        keyed[errors if errors not in keyed else f"{errors} (#{index + 1})"] = entry
    return keyed


def _retrier_settings(retrier: Any) -> str:
    return retrier_text(retrier, with_errors=False)


def _catcher_text(catcher: Any) -> str:
    if not isinstance(catcher, dict):
        return value_text(catcher)
    rest = _without(_without(catcher, "ErrorEquals"), "Next")
    extra = f" ({', '.join(f'{k}: {value_text(v)}' for k, v in rest.items())})" if rest else ""
    return f"→ {catcher.get('Next', '?')}{extra}"


def _nesting_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Changes of a Parallel's branches or a Map's processor, apart from their states."""
    changes: list[FieldChange] = []
    old_children = {label: scope for label, _, scope in _children("", old, ())}
    new_children = {label: scope for label, _, scope in _children("", new, ())}
    processor_keys = [k for k in PROCESSOR_FIELDS if k in old or k in new]
    if len(processor_keys) > 1 or (BRANCHES in old) != (BRANCHES in new):
        for key in [*processor_keys, BRANCHES]:
            if (key in old) != (key in new):
                changes.append(FieldChange("field", key, "present" if key in old else None,
                                      "present" if key in new else None))
    for label in _union_keys(old_children, new_children):
        before, after = old_children.get(label), new_children.get(label)
        prefix = "items" if label is None else f"branch {label}"
        if before is None or after is None:
            changes.append(FieldChange("field", prefix, "present" if before is not None else None,
                                  "present" if after is not None else None))
            continue
        start_before, start_after = before.get("StartAt"), after.get("StartAt")
        inner = _match(_states_of(before, ()), _states_of(after, ()))
        changes += _target_change(f"{prefix} StartAt", start_before, start_after, inner)
        for key in _union_keys(before, after):
            if key not in ("States", "StartAt"):
                changes += _value_changes("field", f"{prefix} › {key}", before.get(key, _MISSING),
                                          after.get(key, _MISSING))
    return changes


# -- values -----------------------------------------------------------------------------


def _value_changes(kind: str, path: str, old: Any, new: Any) -> list[FieldChange]:
    """Leaf-by-leaf differences of two JSON values (``_MISSING`` when absent)."""
    if old is _MISSING and new is _MISSING:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return [c for key in _union_keys(old, new)
                for c in _value_changes(kind, member_path(path, key), old.get(key, _MISSING), new.get(key, _MISSING))]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [c for index, (a, b) in enumerate(zip(old, new)) for c in _value_changes(kind, f"{path}[{index}]", a, b)]
    if old is _MISSING or new is _MISSING:
        return [FieldChange(kind, path, None if old is _MISSING else value_text(old),
                       None if new is _MISSING else value_text(new))]
    if _json_equal(old, new):
        return []
    return [FieldChange(kind, path, *_distinct_texts(old, new))]


def _distinct_texts(old: Any, new: Any, *, limit: int = 80) -> tuple[str, str]:
    """Short texts of two different values that stay different when shortened.

    Two long values that differ late (a list of 100 numbers) would shorten to
    the same prefix, so both are shown from just before their first difference.
    """
    full_old, full_new = value_text(old, limit=10**9), value_text(new, limit=10**9)
    short_old, short_new = value_text(old, limit=limit), value_text(new, limit=limit)
    if short_old != short_new:
        return short_old, short_new
    same = next((i for i, (a, b) in enumerate(zip(full_old, full_new)) if a != b),
                min(len(full_old), len(full_new)))
    start = max(0, same - limit // 4)

    def window(text: str) -> str:
        piece = "…" + text[start:start + limit - 2]
        return piece + "…" if start + limit - 2 < len(text) else piece

    return window(full_old), window(full_new)


def _json_equal(a: Any, b: Any) -> bool:
    # JSON has one number type, but true == 1 in Python: keep booleans apart.
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float))
        and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def _union_keys(old: Mapping[K, Any], new: Mapping[K, Any]) -> Iterator[K]:
    """Keys of ``new`` in its order, then keys only in ``old``: stable output order."""
    yield from new
    yield from (key for key in old if key not in new)


def _without(mapping: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def _or_missing(value: Any) -> Any:
    return _MISSING if value is None else value


# -- Markdown ---------------------------------------------------------------------------


def render_diff(diff: SemanticDiff, *, old_label: str, new_label: str) -> str:
    """``diff`` as Markdown for a pull-request comment (template ``diff.md.j2``)."""
    from dsl.review.templating import render

    return render("diff.md.j2", diff=diff, old_label=old_label, new_label=new_label, summary=_summary(diff))


def _summary(diff: SemanticDiff) -> str:
    parts = [f"{count} state{'s' if count != 1 else ''} {what}" for what, count in diff.counts().items() if count]
    if diff.machine:
        parts.append(f"{len(diff.machine)} workflow field{'s' if len(diff.machine) != 1 else ''} changed")
    return ", ".join(parts)
