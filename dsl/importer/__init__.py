"""``python -m dsl import``: existing state machines -> Python modules written with the DSL.

Sources are ASL files (JSON or YAML), CloudFormation and SAM templates, and
deployed machines (``--arn``). Every emitted module is executed and its
workflow compiled before anything is written: the result must equal the source
document as JSON values, or the file is refused with one line naming the state
and the field the DSL cannot express.
"""
