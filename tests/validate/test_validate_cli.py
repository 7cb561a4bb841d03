"""``python -m dsl validate``: paths, output formats, exit codes and bad inputs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from validate_cases import RULE_CASES, machine, passing

from dsl.validate.cli import main

ROOT = Path(__file__).resolve().parents[2]
VALID = machine({"A": passing()})
INVALID = RULE_CASES["ASL-REF-002"][0][0]


def write(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def run_main(args: list[str], capsys: pytest.CaptureFixture[str], stdin: str | None = None,
             monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsl", "validate", *args], cwd=ROOT, input=stdin.decode(),
                          capture_output=True, text=True, timeout=60, check=False)


def test_valid_file_exits_0_with_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main([str(write(tmp_path / "ok.asl.json", VALID))], capsys)
    assert code == 0
    assert out == "1 file checked: 1 valid, 0 invalid, 0 unreadable; 0 errors, 0 warnings\n"


def test_invalid_file_prints_file_pointer_rule_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bad.asl.json", INVALID)
    code, out, _ = run_main([str(path)], capsys)
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f'{path}:/States/A/Next: ASL-REF-002 no state named "Missing" in the top level'
    assert lines[-1] == "1 file checked: 0 valid, 1 invalid, 0 unreadable; 1 error, 0 warnings"


def test_folder_expands_to_sorted_asl_files_below(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "b.asl.json", INVALID)
    write(tmp_path / "sub" / "a.asl.json", INVALID)
    write(tmp_path / "ignored.json", INVALID)
    code, out, _ = run_main([str(tmp_path)], capsys)
    assert code == 1
    files = [line.split(":/")[0] for line in out.splitlines()[:-1]]
    assert files == [str(tmp_path / "b.asl.json"), str(tmp_path / "sub" / "a.asl.json")]


def test_folder_without_definitions_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main([str(tmp_path)], capsys)
    assert code == 2
    assert out.splitlines()[0] == f"{tmp_path}: ASL-LOAD folder holds no *.asl.json files"


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run_main(["-"], capsys, stdin=json.dumps(INVALID), monkeypatch=monkeypatch)
    assert code == 1
    assert out.startswith("<stdin>:/States/A/Next: ASL-REF-002 ")


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = write(tmp_path / "a.asl.json", VALID), write(tmp_path / "b.asl.json", INVALID)
    missing = tmp_path / "c.asl.json"
    code, out, _ = run_main([str(good), str(bad), str(missing), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 2
    assert [entry["valid"] for entry in report["files"]] == [True, False, False]
    assert report["files"][1]["findings"] == [{"pointer": "/States/A/Next", "rule": "ASL-REF-002",
                                               "message": 'no state named "Missing" in the top level',
                                               "severity": "error"}]
    assert report["files"][2]["error"] == "no such file"
    assert report["summary"] == {"files": 3, "valid": 1, "invalid": 1, "unreadable": 1, "errors": 1, "warnings": 0}


def test_strict_rejects_placeholders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "p.asl.json", machine({"A": passing(Parameters={"t": "${SF_TableSemaphore}"})}))
    assert run_main([str(path)], capsys)[0] == 0
    code, out, _ = run_main([str(path), "--strict"], capsys)
    assert code == 1 and "ASL-PLACEHOLDER-001 unresolved deploy-time placeholder ${SF_TableSemaphore}" in out


def test_warnings_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "w.asl.json", RULE_CASES["ASL-ERR-002"][0][0])
    code, out, _ = run_main([str(path)], capsys)
    assert code == 0 and out.splitlines()[0].endswith("(warning)")


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(["--list-rules"], capsys)
    assert code == 0 and out.splitlines()[0].startswith("SCHEMA ")
    assert "ASL-PLACEHOLDER-001" in out


def test_no_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main([], capsys)
    assert code == 2 and "at least one PATH" in err


def bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, expected text in its one-line error)."""
    huge = tmp / "huge.asl.json"
    with huge.open("wb") as handle:
        handle.write(b'{"Comment": "' + b"x" * (20 * 1024 * 1024) + b'"}')
    cases = {
        "empty": (b"", "file is empty"),
        "blank": (b"  \n\t", "file is empty"),
        "binary": (b"\x00\x01\x02binary", "binary"),
        "latin1": ('{"Comment": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
        "array": (b"[1, 2]", "top level is a JSON array"),
        "number": (b"42", "top level is a JSON number"),
        "truncated": (b'{\n  "StartAt": "A",\n  "States": {', "invalid JSON at line 3 column"),
        "trailing": (b'{"StartAt": "A"} x', "invalid JSON at line 1 column 18"),
        # Deeper than any recursion limit: importing jsonata raises it to 10,000 for the process.
        "deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        "nan": (b'{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": NaN, "End": true}}}',
                "NaN (Python's json writes it"),
        "infinity": (b'{"Comment": [Infinity]}', "Infinity ("),
        "minus infinity": (b'{"Comment": -Infinity}', "-Infinity ("),
        "huge number": (b'{"Comment": 1e999}', "1e999, too large for a double"),
    }
    found = {name: ((tmp / f"{name}.asl.json"), text) for name, (_, text) in cases.items()}
    for name, (data, _) in cases.items():
        found[name][0].write_bytes(data)
    found["huge"] = (huge, "refusing files over")
    found["directory"] = (tmp / "folder.asl.json", "folder holds no *.asl.json files")
    found["directory"][0].mkdir()
    found["missing"] = (tmp / "missing.asl.json", "no such file")
    return found


def test_bad_inputs_each_get_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = bad_inputs(tmp_path)
    for name, (path, text) in cases.items():
        code, out, err = run_main([str(path)], capsys)
        first = out.splitlines()[0]
        assert code == 2, name
        assert first.startswith(f"{path}: ASL-LOAD ") and text in first, (name, first)
        assert "Traceback" not in out + err


def test_subprocess_bad_inputs_no_traceback_no_hang(tmp_path: Path) -> None:
    cases = bad_inputs(tmp_path)
    result = run_cli(*(str(path) for path, _ in cases.values()))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(cases) + 1
    assert lines[-1].startswith(f"{len(cases)} files checked: 0 valid, 0 invalid, {len(cases)} unreadable")


def test_subprocess_valid_invalid_and_stdin() -> None:
    good = run_cli("-", stdin=json.dumps(VALID).encode())
    assert good.returncode == 0 and good.stdout.startswith("1 file checked: 1 valid")
    bad = run_cli("-", stdin=json.dumps(INVALID).encode())
    assert bad.returncode == 1 and bad.stdout.startswith("<stdin>:/States/A/Next: ASL-REF-002")
    usage = run_cli("--format", "xml", "x")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def test_subprocess_deep_but_parsable_document(tmp_path: Path) -> None:
    payload: dict = {}
    node = payload
    for _ in range(900):
        node["a"] = {}
        node = node["a"]
    node["x.$"] = "$.a["
    path = write(tmp_path / "deep.asl.json", machine({"A": passing(Parameters=payload)}))
    result = run_cli(str(path))
    assert result.returncode == 1, result.stderr
    assert "ASL-PATH-001" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes on this OS")
def test_a_fifo_or_a_device_is_refused_without_reading(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.asl.json"
    os.mkfifo(fifo)
    # Opening the FIFO would block forever without a writer: the timeout is the regression check.
    result = subprocess.run([sys.executable, "-m", "dsl", "validate", str(fifo), "/dev/zero"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"{fifo}: ASL-LOAD is a FIFO (named pipe); expected a regular ASL JSON file"
    assert lines[1] == "/dev/zero: ASL-LOAD is a character device; expected a regular ASL JSON file"
    assert lines[2].startswith("2 files checked: 0 valid, 0 invalid, 2 unreadable")


def test_oversized_standard_input_does_not_claim_a_size_it_did_not_read() -> None:
    result = run_cli("-", stdin=b" " * (3 * 1024 * 1024))
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == (
        "<stdin>: ASL-LOAD input is over 2,097,152 bytes; an ASL definition is at most 1 MiB (AWS limit)")


def test_a_fifo_inside_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this OS")
    write(tmp_path / "good.asl.json", machine({"A": passing()}))
    os.mkfifo(tmp_path / "pipe.asl.json")
    result = subprocess.run([sys.executable, "-m", "dsl", "validate", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert f"{tmp_path / 'pipe.asl.json'}: ASL-LOAD is a FIFO" in result.stdout
    assert "2 files checked: 1 valid, 0 invalid, 1 unreadable" in result.stdout
