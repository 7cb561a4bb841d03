"""The deploy options and the checks on them that need no AWS call."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from deployer.errors import BadOption

REPO_ROOT = Path(__file__).resolve().parent.parent

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
# Lambda environment variable names; AWS reserves the AWS_ ones.
_ENV_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# A DynamoDB partition key value is at most 2048 bytes.
MAX_LOCK_NAME_BYTES = 2048


@dataclass(frozen=True, kw_only=True)
class DeployConfig:
    """Everything a deploy needs to know besides the AWS credentials.

    Paths default to the repository's ``generated/``, ``functions/`` and
    ``definitions/``; tests point them elsewhere.
    """

    prefix: str = "CC"
    region: str = "us-east-1"
    lock_name: str = "MySemaphore"
    limit: int = 5
    generated_dir: Path = REPO_ROOT / "generated"
    definitions_dir: Path | None = REPO_ROOT / "definitions"
    source_root: Path = REPO_ROOT
    function_env: Mapping[str, str] = field(default_factory=dict)
    # Values of the definitions' placeholders that the stack does not fill:
    # ``--param NAME=VALUE`` first, then the object of ``--params FILE.json``.
    params: Mapping[str, str] = field(default_factory=dict)
    params_file: Path | None = None
    # False only to deploy reference definitions that are known to fail
    # verify (the original sample, for benchmarks); the CLI always checks.
    check_definitions: bool = True

    @property
    def partition(self) -> str:
        """The AWS partition of ``region`` (``aws``, ``aws-cn``, ``aws-us-gov``)."""
        return partition_of(self.region)


def partition_of(region: str) -> str:
    """The ARN partition that ``region`` belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def check_options(config: DeployConfig) -> None:
    """Refuse a bad region, lock name, limit type or function environment.

    The prefix and the limit's upper bound are checked with the names they
    produce (``deployer.names``, ``deployer.capacity``).
    """
    if not _REGION.match(config.region):
        raise BadOption(f"--region {config.region!r} is not an AWS region name (expected e.g. us-east-1)")
    if not config.lock_name:
        raise BadOption("--lock-name is empty; expected the name of the semaphore, e.g. MySemaphore")
    size = len(config.lock_name.encode("utf-8"))
    if size > MAX_LOCK_NAME_BYTES:
        raise BadOption(f"--lock-name is {size} bytes; a DynamoDB key value is at most {MAX_LOCK_NAME_BYTES}")
    if isinstance(config.limit, bool) or not isinstance(config.limit, int) or config.limit < 1:
        raise BadOption(f"--limit must be a positive integer, got {config.limit!r}")
    for name, value in config.function_env.items():
        if not _ENV_NAME.match(name) or name.startswith("AWS_"):
            raise BadOption(f"function environment variable {name!r}: expected a letter then letters, "
                            "digits or _, not starting with AWS_")
        if not isinstance(value, str):
            raise BadOption(f"function environment variable {name!r}: value must be a string")


def check_endpoint(url: str) -> None:
    """Refuse an ``--endpoint-url`` that is not an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise BadOption(f"--endpoint-url {url!r} is not a URL of an AWS API endpoint "
                        "(expected http:// or https://, a host and an optional port, e.g. http://127.0.0.1:5000)")
