"""Amazon Athena optimized integration: start (request-response, ``.sync``), get, get results, stop a query."""

from __future__ import annotations

from typing import Any

from dsl.integrations.grants import PARTITION, Args, Grant, arn
from dsl.integrations.optimized import (
    REQUEST_RESPONSE,
    SYNC,
    GrantsOf,
    Optimized,
    build,
    pattern_of,
    sync_grants,
)
from dsl.states import Task

# What a query needs besides Athena itself: its results bucket and the Glue Data Catalog
# (the developer guide's Athena policy grants these on every bucket, database and table).
_S3_ACTIONS = ("s3:AbortMultipartUpload", "s3:CreateBucket", "s3:GetBucketLocation", "s3:GetObject",
               "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:PutObject")
_GLUE_ACTIONS = ("glue:BatchCreatePartition", "glue:BatchDeletePartition", "glue:BatchDeleteTable",
                 "glue:BatchGetPartition", "glue:CreateDatabase", "glue:CreatePartition", "glue:CreateTable",
                 "glue:DeleteDatabase", "glue:DeletePartition", "glue:DeleteTable", "glue:GetDatabase",
                 "glue:GetDatabases", "glue:GetPartition", "glue:GetPartitions", "glue:GetTable", "glue:GetTables",
                 "glue:UpdateDatabase", "glue:UpdatePartition", "glue:UpdateTable")


def start_query_execution(name: str, *, sync: bool = False, **parameters_and_state: Any) -> Task:
    """``athena.start_query_execution("Query", QueryString=..., WorkGroup=..., sync=True)``."""
    return build(START_QUERY_EXECUTION, name, pattern_of(sync=sync), parameters_and_state)


def get_query_execution(name: str, **parameters_and_state: Any) -> Task:
    """``athena.get_query_execution("Status", QueryExecutionId=P("$.id"))``."""
    return build(GET_QUERY_EXECUTION, name, REQUEST_RESPONSE, parameters_and_state)


def get_query_results(name: str, **parameters_and_state: Any) -> Task:
    """``athena.get_query_results("Rows", QueryExecutionId=P("$.id"), MaxResults=100)``."""
    return build(GET_QUERY_RESULTS, name, REQUEST_RESPONSE, parameters_and_state)


def stop_query_execution(name: str, **parameters_and_state: Any) -> Task:
    """``athena.stop_query_execution("Stop", QueryExecutionId=P("$.id"))``."""
    return build(STOP_QUERY_EXECUTION, name, REQUEST_RESPONSE, parameters_and_state)


def _workgroup(args: Args) -> str:
    group = args.static("WorkGroup") if args.present("WorkGroup") else "primary"
    return arn("athena", f"workgroup/{group or '*'}")


def _start_grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
    args.require("QueryString", "athena:startQueryExecution")
    workgroup = _workgroup(args)
    return (
        Grant(("athena:GetDataCatalog", "athena:StartQueryExecution"), (workgroup, arn("athena", "datacatalog/*")),
              "the Task runs the query in this workgroup"),
        *sync_grants(pattern, ("athena:GetQueryExecution", "athena:StopQueryExecution"), (workgroup,), None),
        Grant(_S3_ACTIONS, (f"arn:{PARTITION}:s3:::*",), "a query reads its data and writes its results in S3"),
        Grant(_GLUE_ACTIONS, (arn("glue", "catalog"), arn("glue", "database/*"), arn("glue", "table/*"),
                              arn("glue", "userDefinedFunction/*")), "a query reads the Glue Data Catalog"),
        Grant(("lakeformation:GetDataAccess",), ("*",), "Lake Formation has no resource type for data access"),
    )


def _by_id(action: str) -> GrantsOf:
    def grants(pattern: str, args: Args, where: str) -> tuple[Grant, ...]:
        return (Grant((action,), (arn("athena", "workgroup/*"),),
                      "the query is named by its id, whose workgroup the definition does not say"),)
    return grants


START_QUERY_EXECUTION = Optimized("athena", "startQueryExecution", frozenset({REQUEST_RESPONSE, SYNC}), _start_grants,
                                  model=("athena", "startQueryExecution"))
GET_QUERY_EXECUTION = Optimized("athena", "getQueryExecution", frozenset({REQUEST_RESPONSE}),
                                _by_id("athena:GetQueryExecution"), model=("athena", "getQueryExecution"))
GET_QUERY_RESULTS = Optimized("athena", "getQueryResults", frozenset({REQUEST_RESPONSE}),
                              _by_id("athena:GetQueryResults"), model=("athena", "getQueryResults"))
STOP_QUERY_EXECUTION = Optimized("athena", "stopQueryExecution", frozenset({REQUEST_RESPONSE}),
                                 _by_id("athena:StopQueryExecution"), model=("athena", "stopQueryExecution"))
OPTIMIZED = (START_QUERY_EXECUTION, GET_QUERY_EXECUTION, GET_QUERY_RESULTS, STOP_QUERY_EXECUTION)
