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
    from collections.abc import Callable
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
        if isinstance(item, DataFile):
            _check_data_file(item)
        earlier = names.get(item.file_name)
        if earlier is not None:
            raise DefinitionError(f"two definitions write {item.file_name!r}; rename one of them",
                                  site=item.site, other=earlier.site)
        names[item.file_name] = item
    if not found:
        raise DefinitionError(f"no Workflow found in {str(folder)!r}")
    return found


def _check_data_file(item: DataFile) -> None:
    from dsl.errors import InvalidField
    from dsl.fields import static_json_problem

    problem = static_json_problem(item.document)
    if not isinstance(item.document, dict) or problem is not None:
        found = problem or f"a {type(item.document).__name__}, not a JSON object"
        raise InvalidField(f"DataFile {item.file_name!r} holds {found}; it must be plain JSON",
                           site=item.site)


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
    except Exception as exc:  # noqa: BLE001 - a bug in a definition: say where, in one line
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


def compile_all(items: list[Workflow | DataFile], definitions: Path, *,
                report: Callable[[str], None] | None = None) -> list[Output]:
    """Compile, validate and run the project's checks; every output file's text (the stamp last).

    With ``report``, the checks' errors are handed to it instead of stopping the build.
    """
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
                                          declared=item.checks, report=report)
            outputs.append(Output(summary_name(item), summary))
            settings = item.settings()
            if settings is not None:
                outputs.append(Output(item.settings_file, dumps(settings)))
    outputs.sort(key=lambda o: o.file_name)
    texts = {o.file_name: o.text for o in outputs}
    digest = stamp.inputs_digest(definitions, extra=plugins.sources)
    return [*outputs, Output(stamp.STAMP, stamp.stamp_text(digest, texts))]


def stale_files(definitions: Path, generated: Path) -> list[str]:
    """Names of files in ``generated`` that are missing, differ from what the build writes, or
    were written by an earlier build for a definition that no longer exists.

    Fast when the build stamp shows nothing changed; otherwise the whole build
    runs in memory (writing nothing) and every file is compared byte for byte.
    """
    if stamp.is_current(definitions, generated, extra=_check_sources()):
        return []
    stale, orphans = _compare(definitions, generated)
    return stale + orphans


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


def _compare(definitions: Path, generated: Path) -> tuple[list[str], list[str]]:
    """(files missing or differing, orphan files) of ``generated`` against a build in memory."""
    outputs = compile_all(load_definitions(definitions), definitions)
    stale = [o.file_name for o in outputs if _read(generated / o.file_name) != o.text]
    return stale, orphan_files([o.file_name for o in outputs], generated)


def orphan_files(outputs: list[str], generated: Path) -> list[str]:
    """Files an earlier build wrote in ``generated`` that today's build no longer writes.

    Only files the build stamp records are considered: a file the build never
    wrote is not the build's to remove.
    """
    current = set(outputs)
    return [name for name in stamp.recorded_outputs(generated)
            if name not in current and (generated / name).is_file()]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def main(argv: list[str]) -> int:
    """Entry point of ``python -m dsl build``."""
    parser = argparse.ArgumentParser(
        prog="python -m dsl build",
        description="Compile every workflow in the definitions folder into the output folder (ASL JSON, "
                    "a review summary per workflow, and the build stamp), after validating and verifying "
                    "them all.",
        epilog="Exit status: 0 written or up to date; 1 --check found stale, missing or orphan files, or "
               "a workflow has validation/verification findings; 2 a definition cannot be loaded or "
               "compiled, or bad arguments.")
    parser.add_argument("--definitions", type=Path, default=Path("definitions"),
                        help="folder of definition modules (default: definitions)")
    parser.add_argument("--out", type=Path, default=Path("generated"),
                        help="output folder (default: generated)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming every stale or missing file")
    parser.add_argument("--checks-report-only", action="store_true",
                        help="print the project checks' errors (the lock verifier's, say) instead of "
                             "refusing to build; validation errors still stop the build")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        sys.stderr.write(f"python -m dsl build: error: {args.out}: is not a folder; --out names the "
                         "folder the generated files go to\n")
        return 2
    if args.check and stamp.is_current(args.definitions, args.out, extra=_check_sources()):
        sys.stdout.write(f"build --check: {args.out} is up to date\n")
        return 0
    from dsl.analysis import AnalysisFailed
    from dsl.errors import DslError

    try:
        if args.check:
            return _check(args.definitions, args.out)
        report = _report_check if args.checks_report_only else None
        outputs = _compile_reporting_warnings(args.definitions, report)
        _write_outputs(outputs, args.out)
    except DslError as exc:
        sys.stderr.write(f"python -m dsl build: error: {exc}\n")
        return 2
    except AnalysisFailed as exc:
        sys.stderr.write(f"python -m dsl build: error: {exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"python -m dsl build: error: {exc.filename or args.out}: cannot write: "
                         f"{exc.strerror}\n")
        return 2
    return 0


def _report_check(line: str) -> None:
    sys.stderr.write(f"python -m dsl build: check (not blocking, --checks-report-only): {line}\n")


def _write_outputs(outputs: list[Output], out: Path) -> None:
    """Write each changed file atomically, remove orphans, the stamp last; print what was done."""
    from dsl.jsontext import write_atomic

    orphans = orphan_files([o.file_name for o in outputs], out)
    for output in outputs:
        if output.file_name == stamp.STAMP:
            # The stamp last, once the files it no longer records are gone.
            for name in orphans:
                (out / name).unlink()
                sys.stdout.write(f"removed: {out / name} (its definition no longer exists)\n")
        changed = _read(out / output.file_name) != output.text
        if changed:
            write_atomic(out / output.file_name, output.text)
        sys.stdout.write(f"{'written' if changed else 'unchanged'}: {out / output.file_name}\n")


def _compile_reporting_warnings(definitions: Path, report: Callable[[str], None] | None = None
                                ) -> list[Output]:
    """compile_all, printing each DSL warning as one line (the author's file:line first)."""
    import warnings

    from dsl.errors import DslWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DslWarning)
        outputs = compile_all(load_definitions(definitions), definitions, report=report)
    for warning in caught:
        if issubclass(warning.category, DslWarning):
            sys.stderr.write(f"python -m dsl build: warning: {warning.filename}:{warning.lineno}: "
                             f"{warning.message}\n")
        else:  # not the DSL's: shown as Python would have shown it
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
    return outputs


def _check(definitions: Path, out: Path) -> int:
    # main() already found the stamp out of date: compare the real bytes.
    stale, orphans = _compare(definitions, out)
    for name in stale:
        state = "missing" if _read(out / name) is None else "stale"
        sys.stdout.write(f"{state}: {out / name}\n")
    for name in orphans:
        sys.stdout.write(f"orphan: {out / name} (no definition writes it any more)\n")
    if stale or orphans:
        sys.stdout.write("build --check: generated files are out of date; run `python -m dsl build`\n")
        return 1
    sys.stdout.write(f"build --check: {out} is up to date\n")
    return 0
