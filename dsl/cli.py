"""The ``python -m dsl`` command line: one sub-command per module.

Sub-commands are imported only when called, so ``build --check`` does not pay
for the validator's or the renderer's imports.

Every command follows one output convention: findings about a definition and
the closing summary go to standard output as ``FILE:/json/pointer: RULE-ID
message``; an error that stops the command or one input (bad usage, an
unreadable option file, a definition that does not compile) goes to standard
error as ``python -m dsl COMMAND: error: FILE: message``. Exit status: 0 success,
1 findings (or stale files for ``build --check``), 2 bad input or usage.
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

USAGE = "usage: python -m dsl [--version] {" + ",".join(COMMANDS) + "} [options]\n"
EPILOG = ("\nRun `python -m dsl COMMAND --help` for a command's options.\n"
          "Exit status: 0 success; 1 findings, or stale files for build --check; 2 bad input or usage.\n"
          "Errors are printed as `python -m dsl COMMAND: error: FILE: message` on standard error.\n")


def version() -> str:
    """The installed distribution's version, as ``pip`` knows it."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("sfn-dsl")
    except PackageNotFoundError:
        return "unknown (sfn-dsl is not installed; run pip install -e .)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        sys.stdout.write(f"python -m dsl (sfn-dsl) {version()}\n")
        return 0
    if not args or args[0] in ("-h", "--help"):
        # Asked for help: standard output, exit 0; no command at all: a usage error.
        out = sys.stdout if args else sys.stderr
        out.write(USAGE + "\n")
        for name, (_, text) in COMMANDS.items():
            out.write(f"  {name:<9} {text}\n")
        out.write(EPILOG)
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
