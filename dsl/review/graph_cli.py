"""``python -m dsl graph FILE [--format mermaid|dot]``: draw any ASL file."""

from __future__ import annotations

import argparse
import sys

from dsl.aslfile import AslLoadError, load
from dsl.graph import GraphError
from dsl.review.output import write_report

FORMATS = ("mermaid", "dot")


def main(argv: list[str]) -> int:
    """Print (or write with ``--output``) the diagram of one ASL file; 2 when it cannot be read."""
    parser = argparse.ArgumentParser(
        prog="python -m dsl graph",
        description="Print a Mermaid flowchart or Graphviz DOT digraph of an ASL file.",
        epilog="Exit status: 0 drawn; 2 unreadable input, a structure that cannot be followed, or bad "
               "arguments.")
    parser.add_argument("file", help="ASL JSON file (- for standard input)")
    parser.add_argument("--format", choices=FORMATS, default="mermaid", help="diagram language (default: mermaid)")
    parser.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")
    args = parser.parse_args(argv)
    try:
        doc = load(args.file)
        if args.format == "dot":
            from dsl.review.dot import to_dot as draw
        else:
            from dsl.review.mermaid import to_mermaid as draw
        text = draw(doc)
    except AslLoadError as exc:
        sys.stderr.write(f"python -m dsl graph: error: {exc}\n")
        return 2
    except GraphError as exc:
        source = "<stdin>" if args.file == "-" else args.file
        sys.stderr.write(f"python -m dsl graph: error: {source}:{exc.pointer or '/'}: {exc.code} {exc.message}\n")
        return 2
    if args.output:
        return 0 if write_report("python -m dsl graph", args.output, text) else 2
    sys.stdout.write(text)
    return 0
