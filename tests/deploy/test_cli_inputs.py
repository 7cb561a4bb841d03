"""deploy.py's inputs that used to end in a traceback or silently wrong (issue 23, items 3 to 7 and 18)."""

from __future__ import annotations

import http.server
import importlib.abc
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deployer import cli
from deployer.cli import main

from .test_refusals import refuse


class NoMoto(importlib.abc.MetaPathFinder):
    """Finds moto nowhere."""

    def find_spec(self, name: str, *_: Any) -> None:
        if name.split(".")[0] == "moto":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def no_local_run(*_: Any, **__: Any) -> Any:
    raise AssertionError("the local run must not start")


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def not_aws() -> Iterator[tuple[str, list[bytes]]]:
    """An HTTP server on 127.0.0.1 that answers every request with 200 and the body it is given."""
    body = [b"<html><body>It works!</body></html>"]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-length", str(len(body[0])))
            self.end_headers()
            self.wfile.write(body[0])

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", body
    server.shutdown()
    thread.join()


def one_error_line(argv: list[str], config: Any, capsys: pytest.CaptureFixture[str]) -> str:
    status = main(argv, defaults=config)
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if ": warning: " not in line]
    assert status == 2, captured
    assert len(lines) == 1 and lines[0].startswith("deploy.py: error: DEPLOY-"), lines
    return lines[0]


@pytest.mark.parametrize("url", ["notaurl", "http://", "ftp://127.0.0.1:5000", "http://127.0.0.1:99999"])
def test_a_malformed_endpoint(url: str, make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    line = refuse(["--endpoint-url", url, "--dry-run"], make_config(), capsys)
    assert line == (f"deploy.py: error: DEPLOY-OPTION --endpoint-url {url!r} is not a URL of an AWS API endpoint "
                    "(expected http:// or https://, a host and an optional port, e.g. http://127.0.0.1:5000)")


@pytest.mark.parametrize("body", [b"<html><body>It works!</body></html>", b"plain text, not XML"])
def test_an_endpoint_that_is_not_an_aws_api(body: bytes, not_aws: tuple[str, list[bytes]], credentials: None,
                                            make_config: Any, capsys: pytest.CaptureFixture[str]) -> None:
    url, answer = not_aws
    answer[0] = body
    line = one_error_line(["--endpoint-url", url, "--dry-run"], make_config(), capsys)
    assert line.startswith(f"deploy.py: error: DEPLOY-ENDPOINT {url} did not answer sts:GetCallerIdentity as an "
                           "AWS API does (")
    assert line.endswith("); expected AWS or an emulator such as moto")


# --- the local run: refused before anything starts --------------------------------------------

@pytest.fixture
def local_run_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    import semaphore.local_run.run
    monkeypatch.setattr(semaphore.local_run.run, "run_local", no_local_run)


@pytest.mark.parametrize("executions", ["0", "-3"])
def test_executions_below_one(executions: str, local_run_stopped: None, make_config: Any, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    line = refuse(["--local", "--executions", executions, "--out", str(tmp_path / "out")], make_config(), capsys)
    assert line == f"deploy.py: error: DEPLOY-OPTION --executions {executions}: expected a positive number of executions"


def test_out_that_is_an_existing_file(local_run_stopped: None, make_config: Any, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "report.txt"
    file.write_text("mine")
    line = refuse(["--local", "--out", str(file)], make_config(), capsys)
    assert line == (f"deploy.py: error: DEPLOY-OPTION --out {file}: is a file; expected a folder for report.json "
                    "and timeline.svg")
    assert file.read_text() == "mine"


def test_out_that_cannot_be_written(local_run_stopped: None, make_config: Any, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "run"  # below a file: no user, root included, can create it
    line = refuse(["--local", "--out", str(out)], make_config(), capsys)
    assert line.startswith(f"deploy.py: error: DEPLOY-OPTION --out {out}: cannot write there (")
    assert line.endswith("); expected a writable folder")


@pytest.mark.parametrize("argv, expected", [
    (["--failure-rate", "2"], "--failure-rate 2.0: expected a number from 0 to 1"),
    (["--work-seconds", "-1"], "--work-seconds -1.0: expected 0 or more"),
])
def test_local_run_options_out_of_range(argv: list[str], expected: str, make_config: Any, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    line = refuse(["--local", "--out", str(tmp_path / "out"), *argv], make_config(), capsys)
    assert line == f"deploy.py: error: DEPLOY-OPTION {expected}"


def test_the_local_run_without_its_extra_names_it(monkeypatch: pytest.MonkeyPatch, make_config: Any,
                                                  tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # As after `pip install -e .` without [local]: moto cannot be imported, nor the local run that needs it.
    for name in [n for n in sys.modules if n == "moto" or n.startswith("moto.")] + ["semaphore.local_run.run"]:
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoMoto(), *sys.meta_path])
    line = refuse(["--local", "--out", str(tmp_path / "out")], make_config(), capsys)
    assert line == ("deploy.py: error: DEPLOY-OPTION --local needs the local extra, which is not installed "
                    "(no module 'moto'): run `pip install -r requirements.lock && pip install --no-deps -e .`")


@pytest.mark.parametrize("argv, expected", [
    (["--executions", "5"], "--executions is an option of the local run; add --local"),
    (["--local", "--dry-run"], "--dry-run is not an option of --local"),
])
def test_options_of_the_other_mode(argv: list[str], expected: str, local_run_stopped: None, make_config: Any,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert expected in refuse(argv, make_config(), capsys)


# --- conventions --------------------------------------------------------------------------------

def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"deploy.py {cli.package_version()}\n"
    assert cli.package_version()[0].isdigit()


def test_help_lists_the_local_options_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for option in ("--param NAME=VALUE", "--params FILE.json", "--local", "--executions", "--work-seconds",
                   "--failure-rate", "--seed", "--driver", "--out FOLDER", "--timeout"):
        assert f"  {option}" in text, option
    assert "exit status:\n  0 " in text and "\n  1 " in text and "\n  2 " in text and "\n  130 " in text
