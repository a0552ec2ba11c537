"""Problem file validation: every mistake is reported with the file and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.coding.problems.loader import SOLUTION_FILES, ProblemBankError, load_bank
from core.coding.problems.model import value_matches
from core.domain import CodingLanguage

GOOD: dict[str, Any] = {
    "id": "add-two",
    "title": "Add two numbers",
    "kind": "function",
    "difficulty": "easy",
    "statement": "Return the sum of `a` and `b`, two integers.",
    "function": {
        "name": "add_two",
        "params": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}],
        "returns": "int",
    },
    "examples": [{"args": [1, 2], "expected": 3}],
    "tests": [{"args": [5, 5], "expected": 10, "weight": 2}],
}


def _write(bank: Path, doc: dict[str, Any], *, solutions: bool = True) -> Path:
    folder = bank / doc.get("id", "broken")
    folder.mkdir(parents=True)
    (folder / "problem.json").write_text(json.dumps(doc))
    if solutions:
        for language, name in SOLUTION_FILES.items():
            if language is not CodingLanguage.SQL:
                (folder / name).write_text("solution")
    return folder


def test_a_valid_problem_loads(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    (problem,) = load_bank(tmp_path)
    assert problem.spec.id == "add-two"
    assert set(problem.solutions) == set(SOLUTION_FILES) - {CodingLanguage.SQL}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"difficulty": "impossible"}, "difficulty"),
        ({"title": ""}, "title"),
        ({"function": {**GOOD["function"], "returns": "complex"}}, "function.returns"),
        ({"function": {**GOOD["function"], "name": "AddTwo"}}, "function.name"),
        ({"examples": []}, "examples"),
        ({"tests": [{"args": [1], "expected": 1}]}, "tests.0.args"),
        ({"tests": [{"args": [1, "2"], "expected": 3}]}, "tests.0.args"),
        ({"tests": [{"args": [1, 2], "expected": 3, "weight": 0}]}, "tests.0.weight"),
        ({"examples": [{"args": [1, 2], "expected": "3"}]}, "examples.0.expected"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"kind": "essay"}, "kind"),
        ({"limits": {"cpu_seconds": 0}}, "limits.cpu_seconds"),
    ],
)
def test_errors_name_the_file_and_the_field(
    tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    folder = _write(tmp_path, {**GOOD, **change})
    with pytest.raises(ProblemBankError) as caught:
        load_bank(tmp_path)
    message = str(caught.value)
    assert str(folder / "problem.json") in message
    assert field in message


def test_missing_solution_and_id_mismatch_are_reported(tmp_path: Path) -> None:
    folder = _write(tmp_path, GOOD)
    (folder / "Solution.cs").unlink()
    other = _write(tmp_path, {**GOOD, "id": "other-name"})
    other.rename(tmp_path / "renamed")
    with pytest.raises(ProblemBankError) as caught:
        load_bank(tmp_path)
    problems = caught.value.problems
    assert any("Solution.cs" in p and "C#" in p for p in problems)
    assert any("renamed" in p and "id" in p for p in problems)


def test_invalid_json_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "problem.json").write_text("{ not json")
    with pytest.raises(ProblemBankError, match=r"bad/problem.json: not valid JSON"):
        load_bank(tmp_path)


def test_sql_problem_needs_sql_solution(tmp_path: Path) -> None:
    doc = {
        "id": "count-rows",
        "title": "Count rows",
        "kind": "sql",
        "difficulty": "easy",
        "statement": "Count the rows of table t, as column n.",
        "sql": {"schema_sql": "CREATE TABLE t (a INTEGER);"},
        "examples": [{"data": "INSERT INTO t VALUES (1);", "expected_rows": [[1]]}],
        "tests": [{"data": "INSERT INTO t VALUES (1), (2);", "expected_rows": [[2]]}],
    }
    _write(tmp_path, doc, solutions=False)
    with pytest.raises(ProblemBankError, match=r"solution\.sql"):
        load_bank(tmp_path)


def test_the_shipped_bank_is_valid() -> None:
    bank = load_bank()
    assert sum(p.spec.kind == "function" for p in bank) >= 12
    assert sum(p.spec.kind == "sql" for p in bank) >= 4
    for problem in bank:
        assert problem.spec.examples and problem.spec.tests


@pytest.mark.parametrize(
    ("value", "type_name", "ok"),
    [
        (1, "int", True),
        (True, "int", False),
        (2**31, "int", False),
        (2**31, "long", True),
        (1.5, "float", True),
        (1, "float", True),
        ("x", "string", True),
        ([1, 2], "int[]", True),
        ([1, "2"], "int[]", False),
        ([[1], []], "int[][]", True),
        ([True], "bool[]", True),
        ("ab", "string[]", False),
    ],
)
def test_value_types(value: Any, type_name: str, ok: bool) -> None:
    assert value_matches(value, type_name) is ok
