"""The ``python -m dsl`` command line: one sub-command per module.

Sub-commands are imported only when called, so ``build --check`` does not pay
for the validator's or the renderer's imports. A project adds its own commands
through its check modules' ``COMMANDS`` (see :mod:`dsl.checks`), e.g. the
semaphore application's ``verify``.

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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# name -> (module, one-line help); each module has ``main(argv) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("dsl.build", "compile definitions/ to generated/ (--check: compare only)"),
    "validate": ("dsl.validate.cli", "validate ASL files against the schema and semantic rules"),
    "graph": ("dsl.review.graph_cli", "print a Mermaid or Graphviz diagram of an ASL file"),
    "diff": ("dsl.review.diff_cli", "semantic diff of two ASL files as Markdown"),
    "test": ("dsl.testing.cli", "run a workflow locally with a MockConfigFile's mocks; coverage"),
}

EPILOG = ("\nRun `python -m dsl COMMAND --help` for a command's options.\n"
          "Exit status: 0 success; 1 findings, or stale files for build --check; 2 bad input or usage.\n"
          "Errors are printed as `python -m dsl COMMAND: error: FILE: message` on standard error.\n")


def usage(commands: Mapping[str, tuple[str, str]]) -> str:
    """The usage line naming ``commands``."""
    return "usage: python -m dsl [--version] {" + ",".join(commands) + "} [options]\n"


def all_commands(project: Path | None = None) -> dict[str, tuple[str, str]]:
    """The built-in commands and those of the project's check modules (built-in names win)."""
    from dsl.checks import load_plugins

    extra = load_plugins(project).commands
    return {**COMMANDS, **{name: extra[name] for name in extra if name not in COMMANDS}}


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
    from dsl.errors import DslError

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        sys.stdout.write(f"python -m dsl (sfn-dsl) {version()}\n")
        return 0
    commands = dict(COMMANDS)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        try:
            commands = all_commands()
        except DslError as exc:
            sys.stderr.write(f"python -m dsl: error: {exc}\n")
            return 2
    if not args or args[0] in ("-h", "--help"):
        # Asked for help: standard output, exit 0; no command at all: a usage error.
        out = sys.stdout if args else sys.stderr
        out.write(usage(commands) + "\n")
        for name, (_, text) in commands.items():
            out.write(f"  {name:<9} {text}\n")
        out.write(EPILOG)
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in commands:
        sys.stderr.write(f"python -m dsl: error: unknown command {name!r}; expected one of: {', '.join(commands)}\n")
        return 2
    module = importlib.import_module(commands[name][0])
    run: Callable[[list[str]], int] = module.main
    try:
        return run(rest)
    except KeyboardInterrupt:
        sys.stderr.write("python -m dsl: error: interrupted\n")
        return 130
