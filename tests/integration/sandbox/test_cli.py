"""``python -m core sandbox-run`` and ``python -m core problems`` as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.shared import REPO_ROOT


def _core(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_sandbox_run_prints_one_json_object(tmp_path: Path, sandbox: object) -> None:
    program = tmp_path / "echo.rb"
    program.write_text("puts STDIN.read.upcase\n$stderr.puts 'note'\n")
    stdin = tmp_path / "in.txt"
    stdin.write_text("hello sandbox\n")
    done = _core("sandbox-run", "--language", "ruby", str(program), "--stdin", str(stdin))
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["verdict"] == "accepted" and payload["exit_code"] == 0
    assert payload["stdout"] == "HELLO SANDBOX\n" and payload["stderr"] == "note\n"
    assert payload["sandboxed"] is True and payload["memory_kb"] > 0 and payload["time"] > 0


def test_sandbox_run_reports_compile_errors(tmp_path: Path, sandbox: object) -> None:
    program = tmp_path / "Main.java"
    program.write_text("public class Main {\n  void f() { int x = ; }\n}\n")
    payload = json.loads(_core("sandbox-run", "-l", "java", str(program)).stdout)
    assert payload["verdict"] == "compile_error"
    assert payload["compile_errors"][0]["line"] == 2


def test_sandbox_run_sql(tmp_path: Path, sandbox: object) -> None:
    db = tmp_path / "db.sql"
    db.write_text("CREATE TABLE t (name TEXT, n INTEGER); INSERT INTO t VALUES ('a', 1), ('b', 2);")
    query = tmp_path / "q.sql"
    query.write_text("SELECT name, n * 10 AS tens FROM t ORDER BY n DESC;")
    payload = json.loads(
        _core("sandbox-run", "--language", "sql", str(query), "--db", str(db)).stdout
    )
    assert payload["verdict"] == "accepted"
    assert payload["columns"] == ["name", "tens"] and payload["rows"] == [["b", 20], ["a", 10]]


@pytest.mark.parametrize(
    "args",
    [
        ["sandbox-run"],
        ["sandbox-run", "--language", "cobol", "x.cob"],
        ["sandbox-run", "--language", "python"],
        ["problems"],
        ["problems", "check", "--workers", "99"],
    ],
)
def test_bad_arguments_print_usage_and_exit_2(args: list[str]) -> None:
    done = _core(*args)
    assert done.returncode == 2
    assert "usage:" in done.stderr


def test_bad_input_files_are_clear_errors(tmp_path: Path) -> None:
    missing = _core("sandbox-run", "--language", "python", str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "cannot read program" in missing.stderr
    query = tmp_path / "q.sql"
    query.write_text("SELECT 1")
    no_db = _core("sandbox-run", "--language", "sql", str(query))
    assert no_db.returncode == 2 and "--db" in no_db.stderr


def test_problems_check_reports_the_bad_file_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "broken-problem"
    folder.mkdir()
    (folder / "problem.json").write_text(json.dumps({"id": "broken-problem", "kind": "function"}))
    done = _core("problems", "check", "--bank", str(tmp_path), "--validate-only")
    assert done.returncode == 1
    assert f"{folder / 'problem.json'}: title: Field required" in done.stderr
    assert f"{folder / 'problem.json'}: tests: Field required" in done.stderr


def test_problems_list_and_validate() -> None:
    listing = _core("problems", "list")
    assert listing.returncode == 0 and "pair-with-sum" in listing.stdout
    assert _core("problems", "check", "--validate-only").returncode == 0


@pytest.mark.slow
def test_problems_check_runs_every_reference_solution(sandbox: object) -> None:
    done = _core("problems", "check", "--workers", "2")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "76/76 reference solutions accepted" in done.stdout


def test_problems_check_fails_on_a_wrong_reference_solution(
    tmp_path: Path, sandbox: object
) -> None:
    source = REPO_ROOT / "core" / "coding" / "problems" / "bank" / "run-length-encoding"
    target = tmp_path / "run-length-encoding"
    shutil.copytree(source, target)
    (target / "solution.py").write_text("def run_length_encode(text):\n    return text\n")
    done = _core("problems", "check", "--bank", str(tmp_path), "--language", "PYTHON")
    assert done.returncode == 1
    assert "FAIL run-length-encoding" in done.stdout and "wrong_answer" in done.stdout
    assert "0/1 reference solutions accepted" in done.stdout
