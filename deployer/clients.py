"""The boto3 clients a deploy uses, made from one session and an optional endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]

# Standard retry mode backs off on throttling and transient errors itself;
# IAM propagation delays are handled separately (``deployer.retry``).
_BOTO_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8})


@dataclass(frozen=True)
class Clients:
    """One client per service the deploy talks to."""

    iam: Any
    dynamodb: Any
    lambda_: Any
    logs: Any
    sfn: Any
    events: Any
    sts: Any

    @classmethod
    def from_session(cls, session: boto3.session.Session, *, region: str,
                     endpoint_url: str | None = None) -> Clients:
        """Clients for ``region``; ``endpoint_url`` sends every call to an emulator instead of AWS."""
        def make(service: str) -> Any:
            return session.client(service, region_name=region, endpoint_url=endpoint_url, config=_BOTO_CONFIG)
        return cls(iam=make("iam"), dynamodb=make("dynamodb"), lambda_=make("lambda"), logs=make("logs"),
                   sfn=make("stepfunctions"), events=make("events"), sts=make("sts"))

    @classmethod
    def create(cls, *, region: str, profile: str | None = None, endpoint_url: str | None = None) -> Clients:
        """Clients from the default credential chain (or ``profile``)."""
        return cls.from_session(boto3.session.Session(profile_name=profile), region=region,
                                endpoint_url=endpoint_url)

    def all(self) -> tuple[Any, ...]:
        """Every client, e.g. to register event hooks on each."""
        return (self.iam, self.dynamodb, self.lambda_, self.logs, self.sfn, self.events, self.sts)
