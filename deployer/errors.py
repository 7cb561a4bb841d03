"""Errors of the deploy tool, each with a stable code.

``Refusal`` is raised before any AWS call (bad options, stale or invalid
generated files) and maps to exit status 2; ``DeployFailure`` is raised while
talking to AWS and maps to exit status 1. Both carry a one-line message.
"""

from __future__ import annotations

from dsl.errors import CodedError


class DeployError(CodedError):
    """Base class; ``code`` is stable across releases."""

    code = "DEPLOY"
    exit_status = 1
    code_in_text = True


class Refusal(DeployError):
    """The inputs are wrong; nothing was sent to AWS."""

    code = "DEPLOY-REFUSED"
    exit_status = 2


class BadOption(Refusal):
    """A command-line option (prefix, region, lock name, limit) is out of range."""

    code = "DEPLOY-OPTION"


class BadEndpoint(Refusal):
    """``--endpoint-url`` answers, but not as an AWS API does."""

    code = "DEPLOY-ENDPOINT"


class BadGenerated(Refusal):
    """``generated/`` is missing a file, has an unknown one, or a file is malformed."""

    code = "DEPLOY-GENERATED"


class StaleGenerated(Refusal):
    """``generated/`` differs from what ``python -m dsl build`` would write."""

    code = "DEPLOY-STALE"


class InvalidDefinition(Refusal):
    """A definition fails ``validate``, ``verify`` or IAM derivation."""

    code = "DEPLOY-INVALID"


class DeployFailure(DeployError):
    """An AWS call failed, or AWS holds a resource this tool must not touch."""

    code = "DEPLOY-AWS"


class MissingSource(Refusal):
    """A function's source directory or handler module is missing."""

    code = "DEPLOY-SOURCE"
