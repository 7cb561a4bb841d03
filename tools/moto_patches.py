"""Print every moto name the local engine's patches replace, per patch (Markdown table).

Each patch of :mod:`local.patches` is installed once while :func:`local.shims._patch.recording`
collects the attributes it sets, then undone. The names are what a moto upgrade can break;
docs/local-engine.md carries this table. Usage: ``python tools/moto_patches.py [--count]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from local.patches import Patch, patches  # noqa: E402
from local.shims._patch import recording  # noqa: E402


def touched(patch: Patch) -> list[str]:
    """The qualified names ``patch`` sets when installed (installed and undone here)."""
    with recording() as names:
        undo = patch.install()
    undo()
    return sorted(set(names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", action="store_true", help="print only the totals")
    args = parser.parse_args(argv)
    rows = [(patch, touched(patch)) for patch in patches()]
    total = sum(len(names) for _, names in rows)
    if args.count:
        print(f"{len(rows)} patches replace {total} names")
        return 0
    print("| patch | kind | moto names replaced |")
    print("| --- | --- | --- |")
    for patch, names in rows:
        print(f"| `{patch.name}` | {patch.kind} | {'<br>'.join(f'`{n}`' for n in names)} |")
    print(f"\n{len(rows)} patches replace {total} names.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
