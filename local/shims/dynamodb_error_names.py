"""Error names of the optimised DynamoDB integration (`arn:aws:states:::dynamodb:*`).

AWS: errors the DynamoDB API models (ConditionalCheckFailedException,
ProvisionedThroughputExceededException, ThrottlingException, ...) surface as
`DynamoDB.<name>`; an error it does not model, above all the ValidationException of an
update whose expression names a missing attribute, surfaces as
`DynamoDB.AmazonDynamoDBException` (the SDK's base exception class).
moto 5.2.5: always `DynamoDB.<ErrorCode>`, so a `Catch` on
`DynamoDB.AmazonDynamoDBException` never fires and `DynamoDB.ValidationException` appears
where AWS never reports it.
Shim: codes absent from the operation's modeled errors (botocore service model) become
`DynamoDB.AmazonDynamoDBException`; the cause text keeps the real code, as AWS's does.
"""

from __future__ import annotations

import functools

from botocore.exceptions import ClientError  # type: ignore[import-untyped]
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb import (
    StateTaskServiceDynamoDB,
)

from local.shims._models import service_model
from local.shims._patch import Undo, replace_attr

UNMODELED_ERROR_NAME = "DynamoDB.AmazonDynamoDBException"


@functools.lru_cache(maxsize=1)
def modeled_error_codes() -> frozenset[str]:
    """Every error code the DynamoDB API models (any operation)."""
    model = service_model("dynamodb")
    return frozenset(shape.error_code or shape.name for shape in model.error_shapes)


def install() -> Undo:
    """Report unmodeled DynamoDB errors as `DynamoDB.AmazonDynamoDBException`."""
    original = StateTaskServiceDynamoDB.__dict__["_error_cause_from_client_error"].__func__

    def error_cause(client_error: ClientError) -> tuple[str, str]:
        error, cause = original(client_error)
        if client_error.response["Error"]["Code"] not in modeled_error_codes():
            error = UNMODELED_ERROR_NAME
        return error, cause

    return replace_attr(StateTaskServiceDynamoDB, "_error_cause_from_client_error", staticmethod(error_cause))
