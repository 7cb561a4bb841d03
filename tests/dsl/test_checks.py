"""Project checks (``[tool.sfn-dsl] checks``): configured per project, run only where they apply."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dsl.checks import configured_modules, load_plugins
from dsl.errors import DefinitionError

ROOT = Path(__file__).resolve().parents[2]

CHECK_MODULE = '''
from dsl.checks import Outcome
from dsl.findings import Finding


class NoWaits:
    name = "no-waits"

    def applies_to(self, subject):
        return self.name in subject.declared or "Pause" in subject.document["States"]

    def run(self, subject):
        found = [Finding("/States/Pause", "WAIT-001", "no Wait states here")] if "Pause" in subject.document["States"] else []
        return Outcome("python -m dsl nowaits", tuple(found))


CHECKS = [NoWaits()]
COMMANDS = {"nowaits": ("mychecks", "say hello")}


def main(argv):
    print("hello", argv)
    return 0
'''

DEFINITIONS = '''
from dsl import Pass, Succeed, Wait, Workflow

PLAIN = Workflow("plain", Pass("A") >> Succeed("B"))
ASKED = Workflow("asked", Pass("A") >> Succeed("B"), checks=("no-waits",))
'''


def _project(tmp_path: Path, config: str, definitions: str = DEFINITIONS) -> Path:
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    (tmp_path / "mychecks.py").write_text(CHECK_MODULE, encoding="utf-8")
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "flows.py").write_text(definitions, encoding="utf-8")
    return tmp_path


def _dsl(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsl", *args], check=False, cwd=project, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_project_check_runs_only_where_it_applies(tmp_path: Path) -> None:
    project = _project(tmp_path, '[tool.sfn-dsl]\nchecks = ["mychecks"]\n')
    done = _dsl(project, "build")
    assert done.returncode == 0, done.stderr
    plain = (project / "generated" / "plain.md").read_text(encoding="utf-8")
    asked = (project / "generated" / "asked.md").read_text(encoding="utf-8")
    assert "No project check applies to this workflow" in plain and "nowaits" not in plain
    assert "`python -m dsl nowaits`: no findings." in asked
    assert _dsl(project, "nowaits", "x").stdout == "hello ['x']\n"
    assert "nowaits" in _dsl(project, "--help").stdout


def test_a_check_finding_refuses_the_build(tmp_path: Path) -> None:
    definitions = DEFINITIONS + 'WAITS = Workflow("waits", Wait("Pause", seconds=1) >> Succeed("B"))\n'
    project = _project(tmp_path, '[tool.sfn-dsl]\nchecks = ["mychecks"]\n', definitions)
    done = _dsl(project, "build")
    assert done.returncode == 1
    assert "waits.asl.json:/States/Pause: WAIT-001 no Wait states here" in done.stderr
    assert not (project / "generated").exists()


def test_a_check_nobody_provides_is_an_error(tmp_path: Path) -> None:
    project = _project(tmp_path, "[project]\nname = 'x'\n")
    done = _dsl(project, "build")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "asks for check(s) ['no-waits']" in done.stderr


@pytest.mark.parametrize(("config", "message"), [
    ('[tool.sfn-dsl]\nchecks = "mychecks"\n', "checks must be a list of module names"),
    ('[tool.sfn-dsl]\nchecks = ["nosuchmodule"]\n', "check module 'nosuchmodule' cannot be imported"),
    ("[tool.sfn-dsl\n", "cannot read"),
])
def test_bad_configuration_is_one_line(tmp_path: Path, config: str, message: str) -> None:
    project = _project(tmp_path, config)
    with pytest.raises(DefinitionError, match=message):
        load_plugins(project)
    done = _dsl(project, "build")
    assert done.returncode == 2 and message in done.stderr and done.stderr.count("\n") == 1


def test_no_pyproject_means_no_checks(tmp_path: Path) -> None:
    assert configured_modules(None) == []
    assert load_plugins(tmp_path).checks == ()
