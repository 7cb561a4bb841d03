"""How the AWS SDK integration spells services, parameters, actions and errors.

Step Functions runs ``aws-sdk:*`` Tasks through the AWS SDK for Java v2, so every
name a Task uses is the Java v2 code generator's name, not botocore's. The rules
below restate that generator's naming (``DefaultNamingStrategy``, ``Utils`` and
``CodegenNamingUtils`` in aws/aws-sdk-java-v2's codegen); docs/integrations.md
gives the sources and the examples that confirm them.
"""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def uncapitalize(name: str) -> str:
    """Java v2's member and method spelling: the leading acronym lower-cased.

    Capitals are lowered from the start while the next letter is also a capital
    that does not begin a word (a capital followed by a lower-case letter), so
    ``DBInstanceIdentifier`` -> ``dbInstanceIdentifier``, ``SSEKMSKeyId`` ->
    ``ssekmsKeyId``, ``ListObjectsV2`` -> ``listObjectsV2``.
    """
    if not name:
        return name
    out = [name[0].lower()]
    i = 1
    while (i < len(name) and name[i].isupper()
           and not (i < len(name) - 1 and name[i + 1].islower())):
        out.append(name[i].lower())
        i += 1
    return "".join(out) + name[i:]


# Java keywords, and the method names every Java v2 request class already has: a member whose
# Java name is one of them gets "Value" appended (AWS documents ``Equals`` -> ``EqualsValue``).
_RESERVED = frozenset({
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
    "continue", "default", "do", "double", "else", "enum", "extends", "false", "final", "finally",
    "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
    "native", "new", "null", "package", "private", "protected", "public", "return", "short", "static",
    "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "true", "try",
    "void", "volatile", "while",
    "equals", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait",
    "builder", "sdkFields", "toBuilder", "overrideConfiguration", "sdkHttpResponse",
})


def member_name(botocore_name: str) -> str:
    """The parameter name an aws-sdk Task uses for a botocore member: ``DbInstanceIdentifier``."""
    spelled = uncapitalize(botocore_name)
    if spelled in _RESERVED or spelled.lower() in _RESERVED:
        spelled = uncapitalize(spelled + "Value")
    return spelled[:1].upper() + spelled[1:]


def action_name(operation: str) -> str:
    """The ``aws-sdk:SERVICE:action`` spelling of a botocore operation: ``describeDBInstances``."""
    return uncapitalize(operation)


def split_words(text: str) -> list[str]:
    """Java v2's word boundaries: separators, camelCase humps, acronym ends, digits before letters."""
    text = _NON_ALNUM.sub(" ", text)
    text = re.sub(r"([^a-z]{2,})v([0-9]+)", r"\1 v\2 ", text)
    text = re.sub(r"([^A-Z]{2,})V([0-9]+)", r"\1 V\2 ", text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z][a-zA-Z0-9])", " ", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    text = re.sub(r"([0-9])([a-zA-Z])", r"\1 \2", text)
    return text.split()


def pascal_case(text: str) -> str:
    """Java v2's class-name spelling: each word capitalised, the rest lower-cased (``DynamoDb``)."""
    return "".join(word[:1].upper() + word[1:].lower() for word in split_words(text))


def _client_name(service_id: str) -> str:
    name = pascal_case(service_id)
    for prefix in ("Amazon", "Aws"):
        name = name.removeprefix(prefix)
    return name.removesuffix("Service")


def error_prefix(service_id: str) -> str:
    """The prefix of the aws-sdk integration's error names: ``DynamoDb``, ``Sfn``, ``S3``."""
    return _client_name(service_id)


def sfn_service_name(service_id: str) -> str:
    """The ``aws-sdk:SERVICE`` name of a service: its Java v2 client package (``sfn``, ``redshiftdata``)."""
    return _client_name(service_id).lower()


def exception_name(shape: str) -> str:
    """Java v2's exception class for an error shape: ``NoSuchKey`` -> ``NoSuchKeyException``."""
    if shape.endswith("Fault"):
        return pascal_case(shape.removesuffix("Fault")) + "Exception"
    if shape.endswith("Exception"):
        return pascal_case(shape)
    return pascal_case(shape) + "Exception"
