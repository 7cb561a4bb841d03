"""The concurrency-controlled workflow, its cleanup, and the rule that links them."""

from dsl import Context, Fail, P, Parallel, Pass, Succeed, Workflow
from dsl.integrations import aws_lambda
from dsl.patterns.semaphore import Semaphore

SEMAPHORE = Semaphore()  # table, lock name and limit: deploy-time placeholders

work = Parallel(
    "Do Work",
    comment="Placeholder for the real work, run while this execution holds a slot. Wrapped in a "
            "Parallel so any state machine can be pasted in as its branch.",
).branch(
    Pass("Here")
    >> Pass("You")
    >> Pass("Do")
    >> Pass("Work")
    >> aws_lambda.invoke(
        "Run Lambda Function With Controlled Concurrency",
        function="${SF_LambdaARN}",
        payload={"Input": P("$"), "ExecutionId": Context.execution_id},
        result_selector={"payload": P("$.Payload")},
    ).retry(aws_lambda.SERVICE_ERRORS, interval=1, max_attempts=3, backoff=2.0, jitter="FULL")
)

done = Succeed("Success State")

# A failed worker gives its slot back at once (the next waiter need not wait for the
# event-driven cleanup), then the execution fails with the worker's own error.
failed = Fail("Work Failed", error_path="$.workerror.Error", cause_path="$.workerror.Cause")
work.catch(["States.ALL"],
           SEMAPHORE.release(name="Release Lock After Failure", not_held=failed) >> failed,
           result_path="$.workerror")

SEMAPHORE_WORKFLOW = Workflow(
    "dynamodb-semaphore",
    SEMAPHORE.acquire() >> work >> SEMAPHORE.release(not_held=done) >> done,
    comment="A state machine to demonstrate using DynamoDB to implement a semaphore",
)

CLEANUP_WORKFLOW = SEMAPHORE.cleanup_workflow("dynamodb-semaphore-cleanfromincomplete")

CLEANUP_RULE = SEMAPHORE.cleanup_rule(
    file_name="cleanup-rule.json",
    machine_arn="${SF_StateMachineSemaphore}",
    cleanup_file=CLEANUP_WORKFLOW.file_name,
)
