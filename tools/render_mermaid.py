"""Render a workflow's Mermaid diagram to PNG in headless Chromium, as GitHub would draw it.

Usage::

    python tools/render_mermaid.py [--asl generated/dynamodb-semaphore.asl.json]
                                   [--mermaid FILE.mmd] [--out diagram.png]

Needs Debian's ``chromium`` (``apt-get install -y chromium``) and ``npm``; the
``mermaid`` package is installed from npm into a temporary directory that is
removed afterwards (nothing is added to the repository). The page renders
with the settings GitHub uses (default theme, ``securityLevel: strict``);
a Mermaid syntax error is reported and the script exits 1. A first pass reads
the drawn size, a second takes the screenshot at that size.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ASL = REPO / "generated" / "dynamodb-semaphore.asl.json"
MERMAID_SPEC = "mermaid@11"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--virtual-time-budget=15000"]
MARGIN = 24

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>body {{ margin: {margin}px; background: #ffffff; font-family: sans-serif; }}</style>
<script src="{script}"></script></head>
<body><div id="out"></div><pre id="status" style="display: none">rendering</pre>
<script>
mermaid.initialize({{ startOnLoad: false, theme: "default", securityLevel: "strict" }});
mermaid.render("diagram", {source}).then(({{ svg }}) => {{
  document.getElementById("out").innerHTML = svg;
  const box = document.querySelector("#out svg").getBoundingClientRect();
  document.getElementById("status").textContent =
    "rendered " + Math.ceil(box.width) + "x" + Math.ceil(box.height);
}}).catch((error) => {{
  document.getElementById("status").textContent = "error " + String(error && error.message || error);
}});
</script></body></html>
"""


class RenderError(Exception):
    """A step of the rendering failed; the message says which and why."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/render_mermaid.py", description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--asl", type=Path, default=None,
                        help=f"ASL file to draw (default: {DEFAULT_ASL.relative_to(REPO)})")
    source.add_argument("--mermaid", type=Path, help="a Mermaid file to render as is")
    parser.add_argument("--out", type=Path, default=None,
                        help="PNG to write (default: a file in the system temp directory)")
    args = parser.parse_args(argv)
    try:
        text = _mermaid_text(args.asl, args.mermaid)
        out = args.out or Path(tempfile.gettempdir()) / "dynamodb-semaphore-mermaid.png"
        width, height = render_png(text, out)
    except RenderError as exc:
        print(f"render_mermaid: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({width}x{height} diagram)")
    return 0


def _mermaid_text(asl: Path | None, mermaid: Path | None) -> str:
    if mermaid is not None:
        try:
            return mermaid.read_text(encoding="utf-8")
        except OSError as exc:
            raise RenderError(f"{mermaid}: cannot read: {exc.strerror}") from None
    sys.path.insert(0, str(REPO))
    from dsl.aslfile import AslLoadError, load
    from dsl.graph import GraphError
    from dsl.review.mermaid import to_mermaid

    path = asl or DEFAULT_ASL
    try:
        return to_mermaid(load(str(path)))
    except (AslLoadError, GraphError) as exc:
        raise RenderError(str(exc)) from None


def render_png(text: str, out: Path) -> tuple[int, int]:
    """Render Mermaid ``text`` to the PNG ``out``; returns the diagram's size in CSS pixels."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    npm = shutil.which("npm")
    if browser is None:
        raise RenderError("chromium not found; install it with: apt-get install -y chromium")
    if npm is None:
        raise RenderError("npm not found; install it with: apt-get install -y npm")
    with tempfile.TemporaryDirectory(prefix="render-mermaid-") as work:
        root = Path(work)
        _run([npm, "install", "--prefix", str(root), "--no-save", "--no-audit", "--no-fund",
              "--ignore-scripts", "--loglevel=error", MERMAID_SPEC], "npm install mermaid")
        script = root / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
        if not script.is_file():
            raise RenderError(f"npm installed mermaid without {script.name}")
        page = root / "page.html"
        page.write_text(PAGE.format(margin=MARGIN, script=script.as_uri(), source=json.dumps(text)),
                        encoding="utf-8")
        dom = _chromium(browser, root, ["--dump-dom", page.as_uri()])
        status = re.search(r'<pre id="status"[^>]*>(.*?)</pre>', dom, re.DOTALL)
        message = html.unescape(status.group(1)) if status else "no status (page did not run)"
        size = re.fullmatch(r"rendered (\d+)x(\d+)", message)
        if size is None:
            raise RenderError(f"mermaid did not render the diagram: {message}")
        width, height = int(size.group(1)), int(size.group(2))
        out.parent.mkdir(parents=True, exist_ok=True)
        _chromium(browser, root, [f"--screenshot={out.resolve()}",
                                  f"--window-size={width + 2 * MARGIN},{height + 2 * MARGIN + 40}",
                                  page.as_uri()])
        if not out.is_file():
            raise RenderError(f"chromium wrote no screenshot to {out}")
        return width, height


def _chromium(browser: str, root: Path, args: list[str]) -> str:
    # A fresh profile per run: no state shared with any other browser use.
    profile = tempfile.mkdtemp(prefix="profile-", dir=root)
    return _run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], "chromium")


def _run(command: list[str], what: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{what} did not finish within 300 s") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RenderError(f"{what} failed (exit {done.returncode}): {' | '.join(tail)}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
