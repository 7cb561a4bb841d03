"""The ``python -m dsl`` command line: one sub-command per module.

Sub-commands are imported only when called, so ``build --check`` does not pay
for the validator's or the renderer's imports.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

# name -> (module, one-line help); each module has ``main(argv) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("dsl.build", "compile definitions/ to generated/ (--check: compare only)"),
    "validate": ("dsl.validate.cli", "validate ASL files against the schema and semantic rules"),
    "verify": ("dsl.verify.cli", "prove every acquired lock is released or cleaned up"),
    "graph": ("dsl.review.graph_cli", "print a Mermaid or Graphviz diagram of an ASL file"),
    "diff": ("dsl.review.diff_cli", "semantic diff of two ASL files as Markdown"),
}

USAGE = "usage: python -m dsl {" + ",".join(COMMANDS) + "} [options]\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE + "\n")
        for name, (_, text) in COMMANDS.items():
            sys.stdout.write(f"  {name:<9} {text}\n")
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        sys.stderr.write(f"python -m dsl: error: unknown command {name!r}; expected one of: {', '.join(COMMANDS)}\n")
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    run: Callable[[list[str]], int] = module.main
    try:
        return run(rest)
    except KeyboardInterrupt:
        sys.stderr.write("python -m dsl: error: interrupted\n")
        return 130
