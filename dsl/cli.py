"""The ``python -m dsl`` command line: one sub-command per module.

Sub-commands are imported only when called, so ``build --check`` does not pay
for the validator's or the renderer's imports. A project adds its own commands
through its check modules' ``COMMANDS`` (see :mod:`dsl.checks`), e.g. the
semaphore application's ``verify``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# name -> (module, one-line help); each module has ``main(argv) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("dsl.build", "compile definitions/ to generated/ (--check: compare only)"),
    "validate": ("dsl.validate.cli", "validate ASL files against the schema and semantic rules"),
    "graph": ("dsl.review.graph_cli", "print a Mermaid or Graphviz diagram of an ASL file"),
    "diff": ("dsl.review.diff_cli", "semantic diff of two ASL files as Markdown"),
}



def usage(commands: Mapping[str, tuple[str, str]]) -> str:
    """The usage line naming ``commands``."""
    return "usage: python -m dsl {" + ",".join(commands) + "} [options]\n"


def all_commands(project: Path | None = None) -> dict[str, tuple[str, str]]:
    """The built-in commands and those of the project's check modules (built-in names win)."""
    from dsl.checks import load_plugins

    extra = load_plugins(project).commands
    return {**COMMANDS, **{name: extra[name] for name in extra if name not in COMMANDS}}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sub-command; returns the process exit code."""
    from dsl.errors import DslError

    args = list(sys.argv[1:] if argv is None else argv)
    commands = dict(COMMANDS)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        try:
            commands = all_commands()
        except DslError as exc:
            sys.stderr.write(f"dsl: error: {exc}\n")
            return 2
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(usage(commands) + "\n")
        for name, (_, text) in commands.items():
            sys.stdout.write(f"  {name:<9} {text}\n")
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in commands:
        sys.stderr.write(f"dsl: error: unknown command {name!r}; expected one of: {', '.join(commands)}\n")
        return 2
    module = importlib.import_module(commands[name][0])
    run: Callable[[list[str]], int] = module.main
    try:
        return run(rest)
    except KeyboardInterrupt:
        sys.stderr.write("dsl: interrupted\n")
        return 130
