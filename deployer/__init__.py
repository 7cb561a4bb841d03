"""Deploy every workflow of ``generated/`` and the semaphore system with boto3: plan, apply,
destroy, run the test (see docs/deploy.md).

Typical use (also against an emulator through ``endpoint_url``)::

    from deployer import Clients, DeployConfig, deploy
    clients = Clients.create(region="us-east-1", endpoint_url="http://127.0.0.1:5000")
    result = deploy(DeployConfig(prefix="CC", limit=3, params={"OrdersTable": "orders"}), clients)
    result.test_machine_arn, result.machine_arn("semaphore"), result.names["table:locks"]
    result.workflow_arn("my-order-flow")  # any workflow, by its name
"""

from deployer.api import account_of, deploy, destroy, destroy_stack, plan
from deployer.clients import Clients
from deployer.config import DeployConfig
from deployer.engine import Change, DeployResult, DestroyResult, Plan
from deployer.errors import DeployError, DeployFailure, Refusal
from deployer.retry import CallRetry
from deployer.stack import Prepared, Stack, build_stack, prepare

__all__ = [
    "Change", "Clients", "DeployConfig", "DeployError", "DeployFailure", "DeployResult", "DestroyResult",
    "Plan", "Prepared", "Refusal", "CallRetry", "Stack", "account_of", "build_stack", "deploy", "destroy",
    "destroy_stack", "plan", "prepare",
]
