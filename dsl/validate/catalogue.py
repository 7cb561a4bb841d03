"""Every rule id the validator reports, with what it means.

The CLI prints this with ``--list-rules``; the tests check that each rule has
a failing and a passing case.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "SCHEMA": "breaks the ASL JSON Schema: missing or unknown field, wrong type, value out of range, "
              "a field of the other query language, or a wrong combination of fields",
    "ASL-REF-001": "StartAt names a state that is not in its own scope",
    "ASL-REF-002": "Next, Default or a Catcher's Next names a state that is not in the same scope",
    "ASL-REF-003": "a state name is used twice (names are unique across the whole machine)",
    "ASL-REF-004": "a state cannot be reached from the StartAt of its scope",
    "ASL-REF-005": "no reachable state of a scope ends it (End: true, Succeed or Fail)",
    "ASL-NEXT-001": "a state has both Next and End: true",
    "ASL-NEXT-002": "a Pass, Task, Wait, Parallel or Map state has neither Next nor End: true",
    "ASL-ERR-001": "States.ALL is not alone in its ErrorEquals, or its Retrier/Catcher is not the last",
    "ASL-ERR-002": "ErrorEquals names a States.* error that Step Functions does not define (warning)",
    "ASL-PATH-001": "a path field holds a malformed JSONPath",
    "ASL-PATH-002": "a reference-path field holds a path that may select many nodes, "
                    "or uses $$ or a variable where they are not allowed",
    "ASL-PATH-003": "a key ending in .$ holds something other than a path or an intrinsic function call",
    "ASL-PATH-004": "two keys of one object collide once the .$ suffix is removed",
    "ASL-FN-001": "an intrinsic function call is malformed (syntax, escape, path argument)",
    "ASL-FN-002": "an intrinsic function name is unknown",
    "ASL-FN-003": "an intrinsic function gets the wrong number of arguments",
    "ASL-FN-004": "an intrinsic function argument is invalid (Format holes, Hash algorithm, "
                  "JsonMerge deep flag, ArrayRange size)",
    "ASL-QL-001": "a {% %} JSONata expression in a JSONPath state",
    "ASL-QL-002": "a malformed JSONata expression in a JSONata state",
    "ASL-TIME-001": "HeartbeatSeconds is not below TimeoutSeconds",
    "ASL-TIME-002": "a timestamp is not RFC 3339",
    "ASL-MAP-001": "a distributed-only field (ItemReader, ItemBatcher, ResultWriter, ToleratedFailure..., "
                   "Label) in an inline Map",
    "ASL-MAP-002": "ProcessorConfig.ExecutionType missing in a distributed Map, or set in an inline one",
    "ASL-MAP-003": "ReaderConfig CSV settings do not fit together",
    "ASL-SDK-001": "an aws-sdk Task names a service the AWS SDK integration cannot call",
    "ASL-SDK-002": "an aws-sdk Task names an action the service does not have, or a pattern other "
                   "than .waitForTaskToken",
    "ASL-SDK-003": "an aws-sdk Task parameter name (at any depth) is not the service's Java SDK v2 name",
    "ASL-SDK-004": "an aws-sdk Task lacks a required parameter",
    "ASL-SDK-005": "an aws-sdk Task parameter holds a literal of the wrong type",
    "ASL-SDK-006": "an aws-sdk Task parameter holds a value outside its enum",
    "ASL-SDK-007": "an aws-sdk Task uses a spelling or value AWS may accept but that is unverified (warning)",
    "ASL-SDK-008": "Retry/Catch names an error the Task's integration never raises, e.g. DynamoDb. on the "
                   "optimized DynamoDB integration (warning)",
    "ASL-INT-001": "an optimized integration Task asks for a pattern the integration does not have",
    "ASL-INT-002": "an optimized integration Task parameter name (at any depth) is not the integration's",
    "ASL-INT-003": "an optimized integration Task lacks a required parameter",
    "ASL-INT-004": "an optimized integration Task parameter holds a literal of the wrong type",
    "ASL-INT-005": "an optimized integration Task parameter holds a value outside its enum",
    "ASL-PLACEHOLDER-001": "a ${Name} deploy-time placeholder is left in the definition (--strict only)",
}

# Rules that report a likely mistake Step Functions itself accepts.
WARNINGS = frozenset({"ASL-ERR-002", "ASL-SDK-007", "ASL-SDK-008"})
