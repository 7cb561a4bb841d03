"""What every deployable resource can do: be read, compared, created, updated, deleted.

A resource compares as a flat dict of fields: ``desired`` (what the stack
wants) against ``Observed.state`` (what AWS has), field by field, so the plan
can say exactly what would change and ``update`` can touch only that.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from deployer.clients import Clients
from deployer.retry import CallRetry


@dataclass(frozen=True)
class Observed:
    """A resource as AWS reports it: comparable fields, and its tags."""

    state: dict[str, Any]
    tags: dict[str, str]


class Resource(ABC):
    """One AWS resource the stack owns."""

    kind: str = ""
    # Fields AWS cannot change in place; a difference there needs --destroy.
    immutable: frozenset[str] = frozenset()

    def __init__(self, *, key: str, name: str, arn: str, tags: Mapping[str, str],
                 desired: Mapping[str, Any]) -> None:
        self.key = key
        self.name = name
        self.arn = arn
        self.tags = dict(tags)
        self.desired = dict(desired)

    def differences(self, observed: Observed) -> tuple[str, ...]:
        """The desired fields whose observed value differs, in declaration order."""
        return tuple(k for k, v in self.desired.items() if observed.state.get(k) != v)

    @abstractmethod
    def read(self, clients: Clients) -> Observed | None:
        """The resource as it exists, or None if it does not (or is being deleted)."""

    @abstractmethod
    def create(self, clients: Clients, retry: CallRetry) -> None:
        """Create the resource with every desired field and the tags."""

    @abstractmethod
    def update(self, clients: Clients, retry: CallRetry, fields: tuple[str, ...]) -> None:
        """Bring ``fields`` to their desired values, and nothing else."""

    @abstractmethod
    def delete(self, clients: Clients) -> None:
        """Delete the resource and what only it uses; absent is not an error."""

    def __repr__(self) -> str:
        return f"<{self.kind} {self.name}>"


def error_code(error: ClientError) -> str:
    """The AWS error code of ``error``."""
    code: str = error.response.get("Error", {}).get("Code", "")
    return code


def absent_on(error: ClientError, *codes: str) -> None:
    """Swallow ``error`` if its code says the resource does not exist; else re-raise."""
    if error_code(error) not in codes:
        raise error
