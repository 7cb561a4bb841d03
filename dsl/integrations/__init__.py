"""Service integrations: one module per service, each owning its helpers, IAM grants and error names.

``aws_sdk.call`` reaches any AWS API (checked against botocore's model); the other modules are
the optimized integrations (``sns.publish``, ``ecs.run_task(..., sync=True)``, ...). ``registry``
is how ``dsl.iam`` and ``dsl validate`` find them. See docs/integrations.md.
"""
