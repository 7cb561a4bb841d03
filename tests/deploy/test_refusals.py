"""Every refusal: one line on stderr, exit status 2, and no AWS client ever made."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from deployer import DeployConfig, prepare
from deployer.capacity import lock_item_capacity
from deployer.cli import main
from deployer.errors import BadGenerated, BadOption, InvalidDefinition, MissingSource
from deployer.params import MissingPlaceholders

from .conftest import REGION


def no_clients(**_: Any) -> Any:
    raise AssertionError("a refusal must come before any AWS client is made")


def refuse(argv: list[str], defaults: DeployConfig, capsys: pytest.CaptureFixture[str]) -> str:
    status = main(argv, defaults=defaults, make_clients=no_clients)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert status == 2, captured
    assert len(lines) == 1 and lines[0].startswith("deploy.py: error: DEPLOY-"), lines
    assert "Traceback" not in captured.err
    return lines[0]


# --- options -----------------------------------------------------------------

@pytest.mark.parametrize("limit", ["0", "-3", "abc", "2.5", "", "5x"])
def test_a_limit_that_is_not_a_positive_integer(limit: str, make_config: Any,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    line = refuse(["--limit", limit], make_config(), capsys)
    assert "--limit must be a positive integer" in line


def test_a_limit_above_what_one_item_holds_names_the_maximum(make_config: Any,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # Independently, by DynamoDB's item size rules: 400 KB minus the key, two numbers (at most 21 bytes
    # each) and three empty containers (3 bytes each), over one slot: a holder (an owners entry: the
    # longest execution ARN of the semaphore machine + a timestamp + 1 byte) and one queued execution
    # (an owners entry, its ARN in the waiters list, a task token of up to 2048 characters; +1 byte each).
    arn = f"arn:aws:states:{REGION}:123456789012:execution:CC-ConcurrencyControlledStateMachine:" + "n" * 80
    fixed = (len("LockName") + len("MySemaphore") + len("currentlockcount") + 21 + len("locklimit") + 21
             + len("lockowners") + 3 + len("lockwaiters") + 3 + len("waitertokens") + 3)
    holder = len(arn) + len("2024-01-01T00:00:00.000Z") + 1
    queued = holder + len(arn) + 1 + 2048 + 1
    maximum = (400 * 1024 - fixed) // (holder + queued)
    capacity = lock_item_capacity(lock_name="MySemaphore", machine_name="CC-ConcurrencyControlledStateMachine",
                                  region=REGION, partition="aws")
    assert maximum == capacity.max_holders == 157
    # The maximum is the largest limit at which a full lock can still queue one execution per slot.
    assert capacity.queue_room(maximum) >= maximum and capacity.queue_room(maximum + 1) < maximum + 1
    line = refuse(["--limit", str(maximum + 1)], make_config(), capsys)
    assert f"--limit {maximum + 1} exceeds the maximum {maximum}" in line
    prepare(make_config(limit=maximum))  # the maximum itself is fine


def test_the_maximum_shrinks_with_a_longer_prefix_and_lock_name(make_config: Any,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    default = lock_item_capacity(lock_name="MySemaphore", machine_name="CC-ConcurrencyControlledStateMachine",
                                 region=REGION, partition="aws").max_holders
    longer = lock_item_capacity(lock_name="L" * 2000, machine_name="A-Much-Longer-Prefix-ConcurrencyControlled"
                                "StateMachine", region="ap-southeast-2", partition="aws").max_holders
    assert longer < default
    line = refuse(["--limit", str(default), "--prefix", "A-Much-Longer-Prefix", "--region", "ap-southeast-2",
                   "--lock-name", "L" * 2000], make_config(), capsys)
    assert f"exceeds the maximum {longer}" in line


def test_an_empty_lock_name(make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert "--lock-name is empty" in refuse(["--lock-name", ""], make_config(), capsys)


def test_a_lock_name_longer_than_a_dynamodb_key(make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert "at most 2048" in refuse(["--lock-name", "é" * 1025], make_config(), capsys)


def test_a_bad_region(make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert "is not an AWS region name" in refuse(["--region", "mars"], make_config(), capsys)


def test_a_prefix_that_makes_a_name_too_long_names_the_longest_allowed(make_config: Any,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # The tightest name is the function: PREFIX + "-LambdaDoWorkFunction" within Lambda's 64.
    longest = 64 - len("-LambdaDoWorkFunction")
    prepare(make_config(prefix="P" * longest))
    line = refuse(["--prefix", "P" * (longest + 1)], make_config(), capsys)
    assert "Lambda function name 'PPP" in line
    assert f"{longest + 1 + len('-LambdaDoWorkFunction')} characters long; AWS allows 64 " \
           f"(longest prefix: {longest} characters)" in line


@pytest.mark.parametrize("prefix, bad", [("C C", "' '"), ("CC/x", "'/'"), ("CC.x", "'.'"), ("ÄB", "'Ä'"),
                                         ("CC:1", "':'")])
def test_a_prefix_with_characters_a_name_cannot_hold(prefix: str, bad: str, make_config: Any,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    line = refuse(["--prefix", prefix], make_config(), capsys)
    assert f"puts {bad} into" in line


def test_an_empty_prefix(make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert "--prefix is empty" in refuse(["--prefix", ""], make_config(), capsys)


def test_run_test_needs_a_deploy(make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert "--run-test needs a deploy" in refuse(["--run-test", "--dry-run"], make_config(), capsys)


# --- generated files ---------------------------------------------------------

def test_a_missing_definition(make_config: Any, generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (generated / "dynamodb-semaphore.asl.json").unlink()
    assert "dynamodb-semaphore.asl.json: no such file" in refuse([], make_config(), capsys)


@pytest.mark.parametrize("rule, expected", [
    ({"Target": "dynamodb-semaphore-cleanfromincomplete.asl.json"}, "is not valid under any of the given schemas"),
    ({"EventPattern": {"source": ["aws.states"]}, "Target": "nowhere.asl.json"}, "/Target: 'nowhere.asl.json'"),
    ({"EventPattern": {"source": ["x"]}, "Target": "test-run-semaphore.asl.json", "Targets": []}, "Targets"),
])
def test_a_malformed_rule_file(rule: dict[str, Any], expected: str, make_config: Any, generated: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    (generated / "cleanup-rule.json").write_text(json.dumps(rule))
    line = refuse([], make_config(), capsys)
    assert "cleanup-rule.json" in line and expected in line


def test_a_rule_file_that_is_not_json(make_config: Any, generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (generated / "cleanup-rule.json").write_text('{"EventPattern": ')
    assert "cleanup-rule.json: invalid JSON at line 1" in refuse([], make_config(), capsys)


def test_an_unknown_placeholder(make_config: Any, generated: Path) -> None:
    path = generated / "dynamodb-semaphore-cleanfromincomplete.asl.json"
    path.write_text(path.read_text().replace("${SF_LockName}", "${SF_LockNmae}"))
    with pytest.raises(MissingPlaceholders, match=r"cleanfromincomplete.asl.json: no value for \$\{SF_LockNmae\} "
                                                  r"\(used at /States/Release Lock/Parameters/Key/LockName/S, "):
        prepare(make_config())


def test_a_malformed_placeholder_never_reaches_aws(make_config: Any, generated: Path) -> None:
    path = generated / "dynamodb-semaphore-cleanfromincomplete.asl.json"
    path.write_text(path.read_text().replace("${SF_LockName}", "${SF LockName}"))
    with pytest.raises(InvalidDefinition, match=r"still contains '\$\{'"):
        prepare(make_config())


def test_a_definition_over_one_mebibyte(make_config: Any, generated: Path) -> None:
    path = generated / "test-run-semaphore.asl.json"
    document = json.loads(path.read_text())
    document["Comment"] = "x" * (1024 * 1024)
    path.write_text(json.dumps(document))
    with pytest.raises(InvalidDefinition, match="AWS accepts at most 1,048,576"):
        prepare(make_config())


def test_an_integration_without_known_iam_needs(make_config: Any, generated: Path) -> None:
    path = generated / "test-run-semaphore.asl.json"
    document = json.loads(path.read_text())
    document["States"]["GenerateDefaultInput"] = {"Type": "Task", "Resource": "arn:aws:states:::glue:stopJobRun",
                                                  "Parameters": {}, "Next": "StartInParallel"}
    path.write_text(json.dumps(document))
    with pytest.raises(InvalidDefinition, match="/States/GenerateDefaultInput/Resource: IAM002"):
        prepare(make_config())


def test_a_missing_function_handler(make_config: Any, source_root: Path) -> None:
    (source_root / "functions" / "app.py").unlink()
    with pytest.raises(MissingSource, match=r"functions/app.py: no such file; the function's handler is app"):
        prepare(make_config())


def test_errors_are_typed_refusals() -> None:
    for error in (BadOption, BadGenerated, InvalidDefinition, MissingSource):
        assert error("x").exit_status == 2
