"""Architecture figures of a checkout: import cycles, duplicated class names, library vs application size.

``python tools/arch_metrics.py [ROOT]`` (default: the current directory) prints:

- every import cycle among the repository's own modules (strongly connected components of the
  module import graph, imports inside functions and ``TYPE_CHECKING`` blocks included);
- every class name defined at top level in more than one module;
- the line count of the library (``dsl/`` and the local engine ``local/``) and of the application
  (everything else that is Python: ``semaphore/``, ``deployer/``, ``definitions/``, ``functions/``,
  ``deploy.py``), tests and benchmarks apart.

Reads source text only (``ast``), so it runs on any checkout, e.g. an exported copy of ``main``.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

# Top-level folders that are not part of the shipped code.
_NOT_CODE = frozenset({"tests", "benchmarks", "tools", "generated", "docs", "build", "dist"})
LIBRARY = frozenset({"dsl", "local"})


def python_files(root: Path) -> list[Path]:
    """Every ``*.py`` of the repository, hidden folders and virtual environments skipped."""
    return sorted(p for p in root.rglob("*.py")
                  if not any(part.startswith(".") or part in ("venv", "__pycache__")
                             for part in p.relative_to(root).parts))


def module_name(root: Path, path: Path) -> str:
    """``dsl/review/diff.py`` -> ``dsl.review.diff``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    """Absolute names of every module ``tree`` imports (``from x import y`` counts ``x`` and ``x.y``)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path, files: list[Path]) -> dict[str, set[str]]:
    """Module -> the repository modules it imports (a package import counts as its ``__init__``)."""
    trees = {module_name(root, p): (ast.parse(p.read_text(encoding="utf-8")), p.name == "__init__.py")
             for p in files}
    graph: dict[str, set[str]] = {}
    for name, (tree, is_package) in trees.items():
        graph[name] = {m for m in imported_modules(tree, name, is_package) if m in trees and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted, sorted.

    A package's ``__init__`` importing its own submodules, which import siblings through the
    package, is how Python packages are written; edges from a module to a package that contains
    it are ignored for that reason.
    """
    edges = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative Tarjan: the import graph can be deeper than Python's recursion limit.
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return sorted(found)


def duplicated_classes(root: Path, files: list[Path]) -> dict[str, list[str]]:
    """Class name -> the modules that define it at top level, for names defined more than once."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in files:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                where[node.name].append(module_name(root, path))
    return {name: sorted(modules) for name, modules in sorted(where.items()) if len(modules) > 1}


def line_counts(root: Path, files: list[Path]) -> dict[str, int]:
    """Lines of Python in the library, the application, and the tests/benchmarks/tools."""
    counts = {"library (dsl/, local/)": 0, "application": 0, "tests, benchmarks, tools": 0}
    for path in files:
        top = path.relative_to(root).parts[0]
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if top in LIBRARY:
            counts["library (dsl/, local/)"] += lines
        elif top in _NOT_CODE:
            counts["tests, benchmarks, tools"] += lines
        else:
            counts["application"] += lines
    return counts


def main(argv: list[str]) -> int:
    """Print the figures for the checkout at ``argv[0]`` (default ``.``)."""
    root = Path(argv[0] if argv else ".").resolve()
    files = python_files(root)
    code = [p for p in files if p.relative_to(root).parts[0] not in _NOT_CODE]
    found = cycles(import_graph(root, files))
    print(f"import cycles: {len(found)}")
    for component in found:
        print(f"  {' <-> '.join(component)}")
    duplicates = duplicated_classes(root, code)
    print(f"class names defined in more than one module (shipped code): {len(duplicates)}")
    for name, modules in duplicates.items():
        print(f"  {name}: {', '.join(modules)}")
    for label, count in line_counts(root, files).items():
        print(f"lines, {label}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
