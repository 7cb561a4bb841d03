"""The deploy tool as functions: what ``deploy.py`` and the local run call.

Every function takes a ``DeployConfig`` and a ``Clients`` (boto3 clients for
AWS, or for an emulator through ``endpoint_url``) and raises ``Refusal``
before any AWS call when the inputs are wrong, ``DeployFailure`` when AWS
refuses.
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]
from botocore.parsers import ResponseParserError  # type: ignore[import-untyped]

from deployer import engine
from deployer.clients import Clients
from deployer.config import DeployConfig, check_options
from deployer.errors import BadEndpoint, DeployFailure
from deployer.generated import machine_files, rule_stems
from deployer.machines import machines_for
from deployer.names import check_names
from deployer.retry import CallRetry
from deployer.stack import Prepared, Stack, build_stack, prepare


def account_of(clients: Clients) -> str:
    """The account the credentials belong to (one read call, the first of every run).

    An endpoint that is not an AWS API answers in a shape botocore cannot read; that is
    refused as bad input (``BadEndpoint``) rather than shown as botocore's traceback.
    """
    try:
        account: str = clients.sts.get_caller_identity()["Account"]
    except (ClientError, BotoCoreError) as error:
        raise DeployFailure(f"cannot identify the AWS account: {_one_line(error)}") from None
    except (ResponseParserError, LookupError, ValueError, TypeError) as error:
        raise BadEndpoint(f"{clients.sts.meta.endpoint_url} did not answer sts:GetCallerIdentity as an AWS API "
                          f"does ({type(error).__name__}: {_one_line(error)[:160]}); expected AWS or an emulator "
                          "such as moto") from None
    return account


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def plan(config: DeployConfig, clients: Clients, *, prepared: Prepared | None = None) -> engine.Plan:
    """What a deploy would do; reads only."""
    prepared = prepared or prepare(config)
    return engine.plan(build_stack(config, account_of(clients), prepared), clients)


def deploy(config: DeployConfig, clients: Clients, *, prepared: Prepared | None = None,
           retry: CallRetry | None = None, progress: engine.Progress | None = None) -> engine.DeployResult:
    """Create or update the whole stack; a second call changes nothing."""
    planned = plan(config, clients, prepared=prepared)
    return engine.apply(planned, clients, retry=retry, progress=progress)


def destroy_stack(config: DeployConfig, clients: Clients) -> Stack:
    """The resources ``destroy`` would delete (only names and ARNs; generated/ need not be valid)."""
    check_options(config)
    check_names(config.prefix, rule_stems(config.generated_dir), machines_for(machine_files(config.generated_dir)))
    return build_stack(config, account_of(clients))


def destroy(config: DeployConfig, clients: Clients, *,
            progress: engine.Progress | None = None) -> engine.DestroyResult:
    """Delete everything this tool created for the prefix (also for workflows no longer in
    ``generated/``); a second call deletes nothing."""
    return engine.destroy(destroy_stack(config, clients), clients, progress=progress)
