"""What the semaphore system adds beyond "a workflow with a role", as data.

Every workflow of ``generated/`` is deployed alike (``deployer.machines``): a state
machine, a role with exactly what ``dsl.iam`` derives, logging, placeholders, and the
EventBridge rule of a ``*-rule.json`` beside it. The system adds what is here: its
table, the lock item, its Lambda function, and, for its four machines, the names they
have had since the original sample and the relations between them (which one holds the
lock, which one is the test, whose executions the others read).
"""

from __future__ import annotations

from dataclasses import dataclass

from semaphore.pattern import Semaphore

LAMBDA_RUNTIME = "python3.13"


@dataclass(frozen=True)
class TableSpec:
    """A DynamoDB table keyed by one string attribute, billed per request."""

    key: str
    suffix: str
    hash_key: str
    name_placeholder: str


@dataclass(frozen=True)
class FunctionSpec:
    """A Python Lambda function zipped from a source directory of the repository."""

    key: str
    suffix: str
    role_suffix: str
    source: str
    handler: str
    timeout_seconds: int
    arn_placeholder: str


@dataclass(frozen=True)
class DescribedExecutions:
    """Whose executions a machine reads by execution ARNs it learns at run time, and how we know.

    ``dsl.iam`` cannot tell from a definition which machine a run-time ARN names, so it grants
    every execution of the account and region; this row lets deploy grant only ``machine``'s.
    """

    machine: str  # key of a MachineSpec
    reason: str


@dataclass(frozen=True)
class MachineSpec:
    """A machine of the semaphore system: its file, its names, its part in the system."""

    key: str
    file: str
    suffix: str
    role_suffix: str
    arn_placeholder: str | None = None
    is_test: bool = False
    # Its executions hold slots of the lock (their ARNs are stored in the lock item).
    acquires_lock: bool = False
    # Its DescribeExecution-like reads (run-time ExecutionArn) all name executions of one machine.
    describes_executions_of: DescribedExecutions | None = None


TABLES: tuple[TableSpec, ...] = (
    TableSpec(key="locks", suffix="locktable", hash_key="LockName", name_placeholder="SF_TableSemaphore"),
)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(key="worker", suffix="LambdaDoWorkFunction", role_suffix="LambdaRole", source="functions",
                 handler="app.lambda_handler", timeout_seconds=60, arn_placeholder="SF_LambdaARN"),
)

# Only the semaphore machine writes owners and waiters into the lock item, and it writes its own
# $$.Execution.Id (`python -m dsl verify` proves the owner is the execution's id).
_OWNERS = "the owners and waiters in the lock item are written only by the semaphore machine, as its own $$.Execution.Id"

# In creation order: a machine comes after the machines its definition starts.
MACHINES: tuple[MachineSpec, ...] = (
    MachineSpec(key="semaphore", file="dynamodb-semaphore.asl.json",
                suffix="ConcurrencyControlledStateMachine", role_suffix="SemaphoreRole",
                arn_placeholder="SF_StateMachineSemaphore", acquires_lock=True,
                describes_executions_of=DescribedExecutions(
                    "semaphore", f"it describes the waiter it hands its slot to; {_OWNERS}")),
    MachineSpec(key="cleanup", file="dynamodb-semaphore-cleanfromincomplete.asl.json",
                suffix="CleanFromIncomplete", role_suffix="CleanupRole",
                describes_executions_of=DescribedExecutions(
                    "semaphore", "it describes the execution named by its status-change event (its rule "
                                 f"matches only the semaphore machine's ARN) and the next waiter; {_OWNERS}")),
    MachineSpec(key="reconciler", file="dynamodb-semaphore-reconciler.asl.json",
                suffix="Reconciler", role_suffix="ReconcilerRole",
                describes_executions_of=DescribedExecutions(
                    "semaphore", f"it describes the owners and waiters of the lock item; {_OWNERS}")),
    MachineSpec(key="test", file="test-run-semaphore.asl.json",
                suffix="Test-Run100Executions", role_suffix="TestRunRole", is_test=True,
                describes_executions_of=DescribedExecutions(
                    "semaphore", "it describes the children it started, all of the semaphore machine")),
)

# The lock item's layout (attribute names): the definitions build their Semaphore with these defaults.
SEMAPHORE = Semaphore()

# Placeholders filled from options rather than from resources. Our definitions read the
# limit from the lock item; a definition that bakes it in (the original sample, which the
# benchmark deploys) still gets it filled, and is then updated when the limit changes.
LOCK_NAME_PLACEHOLDER = "SF_LockName"
LIMIT_PLACEHOLDER = "SF_ConcurrentAccessLimit"


def machine_by_key(key: str) -> MachineSpec:
    """The machine row with ``key``; a key of no row is a mistake in this file."""
    found = next((m for m in MACHINES if m.key == key), None)
    if found is None:
        raise KeyError(f"deployer.catalog.MACHINES has no machine {key!r}")
    return found


def test_machine() -> MachineSpec:
    """The machine ``--run-test`` starts."""
    return next(m for m in MACHINES if m.is_test)
