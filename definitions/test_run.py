"""The test workflow: start many semaphore executions at once and wait for all."""

from dsl import Context, Map, P, Pass, States, Workflow
from dsl.integrations import stepfunctions

EXECUTIONS = 100

child = stepfunctions.start_execution(
    "RunChildStateMachine",
    state_machine="${SF_StateMachineSemaphore}",
    input={"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": Context.execution_id},
    mode="sync:2",
    result_selector={"Status": P("$.Status")},
)
# Retry only a refused start; a failed child is a result, not a reason to run it again.
child.retry(["StepFunctions.ExecutionLimitExceededException", "StepFunctions.SdkClientException"],
            interval=1, max_attempts=12, backoff=2.0, max_delay=30, jitter="FULL")
child.catch(["States.ALL"], Pass("ChildFailed", parameters={"Status": "FAILED",
                                                            "Error": P("$.Error")}).end())

TEST_WORKFLOW = Workflow(
    "test-run-semaphore",
    Pass("GenerateDefaultInput",
         parameters={"iterations": States.array_range(1, EXECUTIONS, 1)})
    >> Map("StartInParallel", items_path="$.iterations", max_concurrency=0).iterate(child),
    comment="A statemachine for running the main loop of tests",
)
