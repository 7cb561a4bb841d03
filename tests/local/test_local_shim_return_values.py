"""UpdateItem's UPDATED_OLD / UPDATED_NEW through the real server: moto's whole attributes without
the shim, AWS's projection of the updated document paths with it.

The expected answers are DynamoDB's documented and observed behaviour: only the updated paths,
inside their hierarchy; a list element in a one-element list; nothing for a path that did not
exist (OLD) or no longer exists (NEW).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from localengine_helpers import create_lock_table, installed

from local.server import LocalServer
from local.shims import dynamodb_return_values
from local.shims.dynamodb_return_values import UnreadableExpression, target_paths

TABLE = "returns"


@pytest.fixture(scope="module")
def ddb(bare_server: LocalServer) -> Any:
    create_lock_table(bare_server, TABLE)
    return bare_server.client("dynamodb")


def _reset(ddb: Any, **attributes: Any) -> None:
    ddb.put_item(TableName=TABLE, Item={"LockName": {"S": "L"}, **attributes})


def _update(ddb: Any, expression: str, returns: str, **options: Any) -> dict[str, Any] | None:
    answer = ddb.update_item(TableName=TABLE, Key={"LockName": {"S": "L"}}, UpdateExpression=expression,
                             ReturnValues=returns, **options)
    return answer.get("Attributes")


NESTED = {"a": {"M": {"b": {"S": "dog"}, "c": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}}}, "d": {"S": "cat"}}


def test_updated_old_returns_only_the_nested_path(ddb: Any) -> None:
    _reset(ddb, **NESTED)
    with installed(dynamodb_return_values):
        assert _update(ddb, "SET a.b = :v", "UPDATED_OLD", ExpressionAttributeValues={":v": {"S": "hi"}}) == {
            "a": {"M": {"b": {"S": "dog"}}}}
        assert _update(ddb, "SET a.c[1] = :v, a.b = :w", "UPDATED_OLD",
                       ExpressionAttributeValues={":v": {"N": "7"}, ":w": {"S": "yo"}}) == {
            "a": {"M": {"c": {"L": [{"N": "2"}]}, "b": {"S": "hi"}}}}


def test_updated_old_of_removed_list_elements_skips_missing_ones(ddb: Any) -> None:
    _reset(ddb, **NESTED)
    with installed(dynamodb_return_values):
        assert _update(ddb, "REMOVE a.c[2], a.c[0], a.c[9]", "UPDATED_OLD") == {
            "a": {"M": {"c": {"L": [{"N": "1"}, {"N": "3"}]}}}}
    assert ddb.get_item(TableName=TABLE, Key={"LockName": {"S": "L"}})["Item"]["a"]["M"]["c"] == {"L": [{"N": "2"}]}


def test_updated_old_of_a_new_attribute_returns_nothing(ddb: Any) -> None:
    _reset(ddb, **NESTED)
    with installed(dynamodb_return_values):
        assert _update(ddb, "SET e = :v", "UPDATED_OLD", ExpressionAttributeValues={":v": {"S": "x"}}) is None
        assert _update(ddb, "SET d = :v, f = :v", "UPDATED_OLD", ExpressionAttributeValues={":v": {"S": "x"}}) == {
            "d": {"S": "cat"}}


def test_updated_new_returns_the_paths_after_the_update(ddb: Any) -> None:
    _reset(ddb, n={"N": "1"}, **NESTED)
    with installed(dynamodb_return_values):
        assert _update(ddb, "SET n = n + :one", "UPDATED_NEW", ExpressionAttributeValues={":one": {"N": "1"}}) == {
            "n": {"N": "2"}}
        assert _update(ddb, "REMOVE d", "UPDATED_NEW") is None
        # The element that moved into the removed index is what the path names afterwards.
        assert _update(ddb, "REMOVE a.c[1]", "UPDATED_NEW") == {"a": {"M": {"c": {"L": [{"N": "3"}]}}}}


def test_a_release_gets_the_owner_and_the_queue_head_only(ddb: Any) -> None:
    """The semaphore's hand-off write: the answer no longer grows with the queue."""
    waiters = [f"w{i}" for i in range(50)]
    _reset(ddb, lockowners={"M": {"me": {"S": "t0"}, **{w: {"S": "t1"} for w in waiters}}},
           lockwaiters={"L": [{"S": w} for w in waiters]},
           waitertokens={"L": [{"S": f"token-{w}" * 40} for w in waiters]})
    release = {"ExpressionAttributeNames": {"#o": "lockowners", "#w": "lockwaiters", "#t": "waitertokens", "#me": "me"}}
    without = _update(ddb, "REMOVE #o.#me, #w[0], #t[0]", "UPDATED_OLD", **release)
    assert without is not None and len(without["waitertokens"]["L"]) == 50  # moto's gap: everything
    _reset(ddb, lockowners={"M": {"me": {"S": "t0"}}}, lockwaiters={"L": [{"S": "w0"}, {"S": "w1"}]},
           waitertokens={"L": [{"S": "token-w0"}, {"S": "token-w1"}]})
    with installed(dynamodb_return_values):
        assert _update(ddb, "REMOVE #o.#me, #w[0], #t[0]", "UPDATED_OLD", **release) == {
            "lockowners": {"M": {"me": {"S": "t0"}}}, "lockwaiters": {"L": [{"S": "w0"}]},
            "waitertokens": {"L": [{"S": "token-w0"}]}}


def test_binary_values_survive_the_projection(ddb: Any) -> None:
    _reset(ddb, bytes_={"M": {"b": {"B": b"\x00\xffdata"}}})
    with installed(dynamodb_return_values):
        assert _update(ddb, "REMOVE bytes_.b", "UPDATED_OLD") == {"bytes_": {"M": {"b": {"B": b"\x00\xffdata"}}}}


def test_other_return_values_and_bad_requests_are_moto_s(ddb: Any) -> None:
    _reset(ddb, **NESTED)
    with installed(dynamodb_return_values):
        assert _update(ddb, "SET a.b = :v", "ALL_OLD", ExpressionAttributeValues={":v": {"S": "x"}}) == {
            "LockName": {"S": "L"}, **NESTED}
        with pytest.raises(ClientError, match="ValidationException"):
            _update(ddb, "SET a.b = ", "UPDATED_OLD")
        with pytest.raises(ClientError, match="ResourceNotFoundException"):
            ddb.update_item(TableName="no-such-table", Key={"LockName": {"S": "L"}}, UpdateExpression="SET a = :v",
                            ExpressionAttributeValues={":v": {"S": "x"}}, ReturnValues="UPDATED_OLD")
        with pytest.raises(ClientError, match="ConditionalCheckFailed"):
            _update(ddb, "SET d = :v", "UPDATED_OLD", ExpressionAttributeValues={":v": {"S": "x"}},
                    ConditionExpression="attribute_not_exists(d)")


@pytest.mark.parametrize(("expression", "paths"), [
    ("SET #o.#me = :since, #w = list_append(#w, :queued), #t = list_append(#t, :token)",
     [("lockowners", "owner-arn"), ("lockwaiters",), ("waitertokens",)]),
    ("REMOVE #o.#me, #w[0], #t[0]", [("lockowners", "owner-arn"), ("lockwaiters", 0), ("waitertokens", 0)]),
    ("set a = if_not_exists(a, :z) + :one remove b[12].c add s :set delete t :gone",
     [("a",), ("b", 12, "c"), ("s",), ("t",)]),
])
def test_target_paths_reads_every_clause(expression: str, paths: list[tuple[Any, ...]]) -> None:
    names = {"#o": "lockowners", "#w": "lockwaiters", "#t": "waitertokens", "#me": "owner-arn"}
    assert target_paths(expression, names) == paths


@pytest.mark.parametrize("expression", ["SET #missing = :v", "SET a[x] = :v", "SET a = :v ; drop", ":v"])
def test_an_unreadable_expression_is_left_to_moto(expression: str) -> None:
    with pytest.raises(UnreadableExpression):
        target_paths(expression, {})
