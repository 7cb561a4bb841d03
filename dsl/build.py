"""``python -m dsl build``: compile ``definitions/`` into ``generated/``.

Every module in the definitions folder is imported; each top-level
:class:`~dsl.workflow.Workflow` becomes ``<name>.asl.json`` (plus a review
summary ``<name>.md``) and each :class:`~dsl.workflow.DataFile` becomes its
file. Nothing is written unless every workflow compiles, validates and
verifies; then each file is written atomically, and only if its bytes changed,
and the build stamp last (see :mod:`dsl.stamp`).

Heavy modules (the DSL, the validator, the renderer) are imported only when a
build really runs, so ``--check`` on an up-to-date tree costs little more than
starting Python.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dsl import stamp

# Not typing.TYPE_CHECKING: ``build --check`` avoids importing typing at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dsl.workflow import DataFile, Workflow


class Output:
    """One file the build produces: its name and exact text.

    A plain class, not a dataclass: dataclasses import ``inspect`` and compile
    code at import time, which ``build --check`` should not pay for.
    """

    __slots__ = ("file_name", "text")

    def __init__(self, file_name: str, text: str) -> None:
        self.file_name = file_name
        self.text = text


def load_definitions(folder: Path) -> list[Workflow | DataFile]:
    """Import every ``*.py`` in ``folder`` and collect its workflows and data files."""
    from dsl.errors import DefinitionError
    from dsl.workflow import DataFile, Workflow

    if not folder.is_dir():
        raise DefinitionError(f"definitions folder {str(folder)!r} not found")
    found: list[Workflow | DataFile] = []
    seen: set[int] = set()
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = _import(path)
        for value in vars(module).values():
            if isinstance(value, (Workflow, DataFile)) and id(value) not in seen:
                seen.add(id(value))
                found.append(value)
    names: dict[str, Workflow | DataFile] = {}
    for item in found:
        if item.file_name in names:
            raise DefinitionError(f"two definitions write {item.file_name!r}")
        names[item.file_name] = item
    if not found:
        raise DefinitionError(f"no Workflow found in {str(folder)!r}")
    return found


def _import(path: Path) -> Any:
    import importlib.util
    import traceback

    from dsl.errors import DefinitionError, DslError

    name = f"_definitions_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise DefinitionError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except DslError:
        raise
    except Exception as exc:  # a bug in a definition: say where, in one line
        frame = _last_frame_in(traceback.extract_tb(exc.__traceback__), path)
        raise DefinitionError(f"{frame}: {type(exc).__name__}: {exc}") from None
    return module


def _last_frame_in(frames: list[Any], path: Path) -> str:
    if frames:
        for frame in reversed(frames):
            if Path(frame.filename).resolve() == path.resolve():
                return f"{path}:{frame.lineno}"
    return str(path)


def compile_documents(items: list[Workflow | DataFile]) -> dict[str, dict[str, Any]]:
    """Each item's document by output file name (no checks beyond the compiler's)."""
    from dsl.workflow import Workflow

    return {item.file_name: item.to_asl() if isinstance(item, Workflow) else item.document
            for item in items}


def compile_workflow_files(definitions: Path) -> dict[str, dict[str, Any]]:
    """Load ``definitions`` and compile them: the documents the build would write."""
    return compile_documents(load_definitions(definitions))


def summary_name(workflow: Workflow) -> str:
    """The review summary's file name for ``workflow``."""
    return f"{workflow.name}.md"


def compile_all(items: list[Workflow | DataFile], definitions: Path) -> list[Output]:
    """Compile, validate and run the project's checks; every output file's text (the stamp last)."""
    from dsl.analysis import check_and_summarise
    from dsl.checks import load_plugins
    from dsl.jsontext import dumps
    from dsl.workflow import Workflow

    plugins = load_plugins()
    documents = compile_documents(items)
    outputs = [Output(name, dumps(doc)) for name, doc in documents.items()]
    for item in items:
        if isinstance(item, Workflow):
            summary = check_and_summarise(item.name, item.file_name, documents, checks=plugins.checks,
                                          declared=item.checks)
            outputs.append(Output(summary_name(item), summary))
            settings = item.settings()
            if settings is not None:
                outputs.append(Output(item.settings_file, dumps(settings)))
    outputs.sort(key=lambda o: o.file_name)
    texts = {o.file_name: o.text for o in outputs}
    digest = stamp.inputs_digest(definitions, extra=plugins.sources)
    return [*outputs, Output(stamp.STAMP, stamp.stamp_text(digest, texts))]


def stale_files(definitions: Path, generated: Path) -> list[str]:
    """Names of files in ``generated`` that are missing or differ from what the build writes.

    Fast when the build stamp shows nothing changed; otherwise the whole build
    runs in memory (writing nothing) and every file is compared byte for byte.
    """
    if stamp.is_current(definitions, generated, extra=_check_sources()):
        return []
    return _differing_files(definitions, generated)


def _check_sources() -> tuple[Path, ...]:
    """The project checks' source folders, found without importing them (``--check`` stays cheap)."""
    from dsl.checks import configured_modules, find_project, source_folder
    from dsl.errors import DefinitionError

    project = find_project()
    try:
        names = configured_modules(project)
    except DefinitionError:
        return ()  # the stamp then differs, and the full build reports the error
    folders = (source_folder(name, project) for name in names)
    return tuple(folder for folder in folders if folder is not None)


def _differing_files(definitions: Path, generated: Path) -> list[str]:
    outputs = compile_all(load_definitions(definitions), definitions)
    return [o.file_name for o in outputs if _read(generated / o.file_name) != o.text]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def main(argv: list[str]) -> int:
    """Entry point of ``python -m dsl build``."""
    parser = argparse.ArgumentParser(prog="python -m dsl build", description=__doc__.splitlines()[0])
    parser.add_argument("--definitions", type=Path, default=Path("definitions"),
                        help="folder of definition modules (default: definitions)")
    parser.add_argument("--out", type=Path, default=Path("generated"),
                        help="output folder (default: generated)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming every stale or missing file")
    args = parser.parse_args(argv)
    if args.check and stamp.is_current(args.definitions, args.out, extra=_check_sources()):
        sys.stdout.write(f"build --check: {args.out} is up to date\n")
        return 0
    from dsl.analysis import AnalysisFailed
    from dsl.errors import DslError
    from dsl.jsontext import write_atomic

    try:
        if args.check:
            return _check(args.definitions, args.out)
        outputs = compile_all(load_definitions(args.definitions), args.definitions)
    except DslError as exc:
        sys.stderr.write(f"build: error: {exc}\n")
        return 2
    except AnalysisFailed as exc:
        sys.stderr.write(f"build: {exc}\n")
        return 1
    for output in outputs:
        changed = _read(args.out / output.file_name) != output.text
        if changed:
            write_atomic(args.out / output.file_name, output.text)
        sys.stdout.write(f"{'written' if changed else 'unchanged'}: {args.out / output.file_name}\n")
    return 0


def _check(definitions: Path, out: Path) -> int:
    # main() already found the stamp out of date: compare the real bytes.
    stale = _differing_files(definitions, out)
    for name in stale:
        state = "missing" if _read(out / name) is None else "stale"
        sys.stdout.write(f"{state}: {out / name}\n")
    if stale:
        sys.stdout.write("build --check: generated files are out of date; run `python -m dsl build`\n")
        return 1
    sys.stdout.write(f"build --check: {out} is up to date\n")
    return 0
