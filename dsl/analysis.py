"""The checks the build runs on each compiled workflow, and its review summary.

Validation (schema + semantic rules) and verification (lock safety) both
read the ASL dict, exactly as they would read a hand-written file.

Each summary ends with a fingerprint line: a hash of everything the summary is
computed from (the workflow, its cleanup and rule, and the source of the
modules that render it) and a hash of the summary's own text. ``build --check``
compares fingerprints instead of re-running the analysis, so it stays fast,
and still notices a changed input, a changed renderer or a hand edit.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from dsl.jsontext import dumps

_PACKAGE = Path(__file__).resolve().parent
# Everything a summary's text depends on besides its documents.
_RENDER_SOURCES = ("review", "verify", "iam.py", "graph.py", "findings.py", "analysis.py",
                   "jsontext.py", "aslfile.py")
_FINGERPRINT = re.compile(r"\n<!-- dsl build fingerprint: inputs=([0-9a-f]{64}) "
                          r"text=([0-9a-f]{64}) -->\n\Z")


class AnalysisFailed(Exception):
    """A compiled workflow has validation or verification findings."""


def cleanup_context(file_name: str, documents: dict[str, dict[str, Any]]
                    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The cleanup workflow and EventBridge rule that apply to ``file_name``, if any."""
    rules = [doc for doc in documents.values() if "EventPattern" in doc and "Target" in doc]
    for rule in rules:
        target = rule["Target"]
        if target != file_name and target in documents:
            return documents[target], rule
    return None, None


def inputs_hash(file_name: str, documents: dict[str, dict[str, Any]]) -> str:
    """The hash of everything the summary of ``file_name`` is computed from."""
    cleanup, rule = cleanup_context(file_name, documents)
    digest = hashlib.sha256()
    for document in (documents[file_name], cleanup, rule):
        digest.update(dumps(document).encode())
    digest.update(_code_hash().encode())
    return digest.hexdigest()


def _code_hash() -> str:
    digest = hashlib.sha256()
    for entry in _RENDER_SOURCES:
        path = _PACKAGE / entry
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".j2")) if path.is_dir() \
            else [path]
        for file in files:
            digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            # Line endings normalised: the same checkout hashes alike on every OS.
            digest.update(file.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def check_and_summarise(name: str, file_name: str, documents: dict[str, dict[str, Any]]) -> str:
    """Validate and verify one workflow; return its Markdown summary with its fingerprint."""
    from dsl.review import render_summary
    from dsl.validate import validate
    from dsl.verify import verify

    doc = documents[file_name]
    cleanup, rule = cleanup_context(file_name, documents)
    findings = [f.line(file_name) for f in validate(doc) if f.severity == "error"]
    cleanup_name = rule["Target"] if rule else None
    where = {"": file_name, "cleanup": cleanup_name, "rule": "the cleanup rule"}
    findings += [f.line(where.get(getattr(f, "document", ""), file_name) or file_name)
                 for f in verify(doc, cleanup=cleanup, rule=rule, cleanup_name=cleanup_name)
                 if f.severity == "error"]
    if findings:
        raise AnalysisFailed("; ".join(findings))
    text: str = render_summary(name, doc, cleanup=cleanup, rule=rule)
    text_hash = hashlib.sha256(text.encode()).hexdigest()
    return (f"{text}\n<!-- dsl build fingerprint: inputs={inputs_hash(file_name, documents)} "
            f"text={text_hash} -->\n")


def summary_is_current(existing: str | None, file_name: str,
                       documents: dict[str, dict[str, Any]]) -> bool:
    """True when ``existing`` was built from today's inputs and not edited since."""
    if existing is None:
        return False
    match = _FINGERPRINT.search(existing)
    if match is None:
        return False
    body = existing[:match.start()]
    return (match.group(1) == inputs_hash(file_name, documents)
            and match.group(2) == hashlib.sha256(body.encode()).hexdigest())
