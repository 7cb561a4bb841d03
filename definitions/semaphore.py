"""The concurrency-controlled workflow, its cleanup, its reconciler, and the rules that start them."""

from dsl import Fail, Succeed, Workflow, jsonata
from dsl.integrations import aws_lambda
from semaphore.pattern import Semaphore

SEMAPHORE = Semaphore()  # table and lock name: deploy-time placeholders; the limit lives in the lock item

# The work done while holding a slot. The function's own timeout (deploy: 60 s) is below the
# task's, so the function has always ended before the task times out and the slot is released.
# JSONata, so that its Arguments can refuse to run in a redriven execution (see Semaphore.hold).
work = aws_lambda.invoke(
    "Run Lambda Function With Controlled Concurrency",
    function="${SF_LambdaARN}",
    payload=SEMAPHORE.unless_redriven("{'Input': $states.input, 'ExecutionId': $states.context.Execution.Id}"),
    query_language="JSONata",
    output=jsonata("$merge([$states.input, {'work': {'payload': $states.result.Payload}}])"),
    timeout_seconds=90,
    comment="The work, run while this execution holds a slot (replace with your own states).",
).retry(aws_lambda.SERVICE_ERRORS, interval=1, max_attempts=3, backoff=2.0, jitter="FULL")

# A failed worker gives its slot back at once (the next waiter need not wait for the
# event-driven cleanup), then the execution fails with the worker's own error.
failed = Fail("Work Failed", error_path="$.workerror.Error", cause_path="$.workerror.Cause")

SEMAPHORE_WORKFLOW = Workflow(
    "dynamodb-semaphore",
    SEMAPHORE.hold(work, then=Succeed("Success State"), failed=failed),
    comment="A state machine to demonstrate using DynamoDB to implement a semaphore",
)

CLEANUP_WORKFLOW = SEMAPHORE.cleanup_workflow("dynamodb-semaphore-cleanfromincomplete")

CLEANUP_RULE = SEMAPHORE.cleanup_rule(
    file_name="cleanup-rule.json",
    machine_arn="${SF_StateMachineSemaphore}",
    cleanup_file=CLEANUP_WORKFLOW.file_name,
)

RECONCILER_WORKFLOW = SEMAPHORE.reconciler_workflow("dynamodb-semaphore-reconciler")

RECONCILER_RULE = Semaphore.schedule_rule(
    file_name="reconciler-rule.json", schedule="rate(1 minute)",
    target_file=RECONCILER_WORKFLOW.file_name,
)
