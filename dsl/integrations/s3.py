"""Amazon S3 through the AWS SDK integration: object reads and writes, listings, and their IAM.

``s3.get_object("Read", Bucket=..., Key=P("$.key"))`` is ``aws_sdk.call(..., "s3", "getObject", ...)``
(``arn:aws:states:::aws-sdk:s3:getObject``), checked against S3's model; the grant is scoped to
the bucket or object the call names.
"""

from __future__ import annotations

from typing import Any

from dsl.integrations import aws_sdk
from dsl.integrations.grants import PARTITION, Args, Grant, why
from dsl.states import Task

# Calls authorised by an action of another name (Service Authorization Reference).
SDK_ACTIONS = {"listObjectsV2": "s3:ListBucket", "listObjects": "s3:ListBucket", "headObject": "s3:GetObject",
               "headBucket": "s3:ListBucket", "listObjectVersions": "s3:ListBucketVersions",
               "listBuckets": "s3:ListAllMyBuckets", "copyObject": "s3:PutObject",
               "getObjectAttributes": "s3:GetObject", "selectObjectContent": "s3:GetObject",
               "createMultipartUpload": "s3:PutObject", "uploadPart": "s3:PutObject",
               "uploadPartCopy": "s3:PutObject", "completeMultipartUpload": "s3:PutObject"}


def get_object(name: str, **parameters_and_state: Any) -> Task:
    """``GetObject`` (``aws-sdk:s3:getObject``): ``Body`` comes back as text."""
    return aws_sdk.call(name, "s3", "getObject", **parameters_and_state)


def put_object(name: str, **parameters_and_state: Any) -> Task:
    """``PutObject`` (``aws-sdk:s3:putObject``)."""
    return aws_sdk.call(name, "s3", "putObject", **parameters_and_state)


def list_objects_v2(name: str, **parameters_and_state: Any) -> Task:
    """``ListObjectsV2`` (``aws-sdk:s3:listObjectsV2``)."""
    return aws_sdk.call(name, "s3", "listObjectsV2", **parameters_and_state)


def _bucket(args: Args) -> str:
    return f"arn:{PARTITION}:s3:::{args.static('Bucket') or '*'}"


def sdk_grants(api: str, action: str, args: Args, where: str) -> tuple[Grant, ...] | None:
    """Object calls on ``bucket/key``, bucket calls on the bucket; CopyObject also reads its source."""
    if not args.present("Bucket"):
        return None
    if not args.present("Key"):
        return (Grant((action,), (_bucket(args),), why(args, "Bucket", "the Task calls the API on this bucket")),)
    key = args.static("Key") if args.static("Bucket") else None
    grants = [Grant((action,), (f"{_bucket(args)}/{key or '*'}",),
                    why(args, "Key", "the Task reads or writes this object") if key else
                    "the object is chosen at run time, so any object of the bucket may be used")]
    if api == "copyObject" and args.present("CopySource"):
        source = args.static("CopySource")
        grants.append(Grant(("s3:GetObject",), (f"arn:{PARTITION}:s3:::{source.lstrip('/') if source else '*'}",),
                            why(args, "CopySource", "the Task copies this object")))
    return tuple(grants)
