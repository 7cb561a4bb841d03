"""``python -m dsl diff OLD NEW``: semantic diff of two ASL files as Markdown.

Each side is a file, ``-`` for standard input, or ``git:REV:PATH`` for the
version of PATH committed at REV (read with ``git show REV:PATH``; PATH is
relative to the repository root, or to the current directory when it starts
with ``./``). Exit status: 0 no differences, 1 differences, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from dsl.aslfile import AslLoadError, load, parse_text
from dsl.errors import CodedError
from dsl.review.diff import check_document, diff_documents, render_diff
from dsl.review.errors import ReviewInputError
from dsl.review.output import write_report

GIT_PREFIX = "git:"


class InputError(CodedError):
    """One side of the diff cannot be read; the message names it."""

    code = "DIFF-INPUT"


def main(argv: list[str]) -> int:
    """Print the Markdown diff; exit 1 when the workflows differ, 0 when not, 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="python -m dsl diff",
        description="Semantic diff of two ASL files (states added, removed, renamed, changed) as Markdown.",
        epilog="Exit status: 0 same, 1 different, 2 unreadable input or bad arguments.")
    parser.add_argument("old", help="old version: FILE, - (stdin) or git:REV:PATH")
    parser.add_argument("new", help="new version: FILE, - (stdin) or git:REV:PATH")
    parser.add_argument("-o", "--output", help="also write the Markdown to this file (atomically)")
    args = parser.parse_args(argv)
    if args.old == "-" and args.new == "-":
        sys.stderr.write("python -m dsl diff: error: only one side can be read from standard input\n")
        return 2
    try:
        old = read_side(args.old)
        new = read_side(args.new)
    except InputError as exc:
        sys.stderr.write(f"python -m dsl diff: error: {exc}\n")
        return 2
    diff = diff_documents(old, new)
    text = render_diff(diff, old_label=args.old, new_label=args.new)
    sys.stdout.write(text)
    if args.output and not write_report("python -m dsl diff", args.output, text):
        return 2
    return 0 if diff.empty else 1


def read_side(spec: str) -> dict[str, object]:
    """Load one side (file, ``-`` or ``git:REV:PATH``) and check it has the shape of ASL."""
    try:
        doc = parse_text(spec, _git_show(spec)) if spec.startswith(GIT_PREFIX) else load(spec)
        check_document(doc)
    except AslLoadError as exc:
        raise InputError(str(exc)) from None
    except ReviewInputError as exc:
        raise InputError(f"{spec}:{exc.pointer}: {exc.code} {exc.message}") from None
    return doc


def _git_show(spec: str) -> bytes:
    rev, sep, path = spec[len(GIT_PREFIX):].partition(":")
    if not sep or not rev or not path:
        raise InputError(f"{spec}: expected git:REV:PATH, e.g. git:HEAD:generated/dynamodb-semaphore.asl.json")
    try:
        done = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise InputError(f"{spec}: git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"{spec}: git show did not answer within 60 s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"{spec}: git show failed: {reason[0] if reason else f'exit {done.returncode}'}")
    return done.stdout
