"""The test workflow: start many semaphore executions at once, report the contention, wait for all."""

from dsl import Choice, Map, P, Pass, States, Task, Var, Wait, Workflow
from dsl.integrations import stepfunctions

EXECUTIONS = 100
SEMAPHORE_MACHINE = "${SF_StateMachineSemaphore}"

# Started without waiting (an inline Map runs at most 40 iterations at once on AWS, so waiting
# inside it for each child would never put more than 40 in contention).
start_child = stepfunctions.start_execution(
    "RunChildStateMachine",
    state_machine=SEMAPHORE_MACHINE,
    input={"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": P("$$.Execution.Id")},
    result_selector={"arn": P("$.ExecutionArn")},
)
# Retry only a refused start; a failed child is a result, not a reason to run it again.
start_child.retry(["StepFunctions.ExecutionLimitExceededException", "StepFunctions.SdkClientException"],
                  interval=1, max_attempts=12, backoff=2.0, max_delay=30, jitter="FULL")


def running_count(name: str, result_path: str, comment: str) -> Task:
    """How many executions of the semaphore machine are RUNNING (up to 1,000), as ``{"count": n}``."""
    return stepfunctions.list_executions(
        name, state_machine=SEMAPHORE_MACHINE, status="RUNNING",
        result_selector={"count": States.array_length(P("$.Executions"))}, result_path=result_path,
        comment=comment)


describe_child = stepfunctions.describe_execution(
    "DescribeChild", execution=P("$.arn"), result_selector={"Status": P("$.Status")})

still_running = running_count("CountStillRunning", "$.stillRunning",
                              "Executions of the semaphore machine still running (the children, and any other).")
wait = Wait("WaitForChildren", seconds=10)
wait.next(still_running)
done = Choice("AllChildrenEnded?").when(Var("$.stillRunning.count") == 0,
                                        Map("CollectResults", items_path="$.children", max_concurrency=0,
                                            result_path="$.results").iterate(describe_child).end()).otherwise(wait)
still_running.next(done)

TEST_WORKFLOW = Workflow(
    "test-run-semaphore",
    Pass("GenerateDefaultInput", parameters={"iterations": States.array_range(1, EXECUTIONS, 1)})
    >> Map("StartInParallel", items_path="$.iterations", max_concurrency=0, result_path="$.children").iterate(start_child)
    >> running_count("CountRunningAtOnce", "$.runningAtOnce",
                     "How many semaphore executions run at once when all children have been started "
                     "(the output's runningAtOnce.count).")
    >> wait,
    comment="A statemachine for running the main loop of tests",
)
