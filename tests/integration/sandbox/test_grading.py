"""Grading submissions against the bank through the real sandbox and runtimes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from core.coding.problems.catalog import get_problem, list_problems
from core.coding.problems.grading import UnknownProblem, grade_submission
from core.coding.problems.loader import default_bank
from core.coding.problems.naming import starter_code
from core.coding.sandbox.models import Verdict
from core.domain import CodingLanguage

L = CodingLanguage


def test_reference_solution_is_accepted_in_every_language(sandbox: Any) -> None:
    problem = default_bank()["pair-with-sum"]
    for language, code in problem.solutions.items():
        result = grade_submission(
            "pair-with-sum", language, code, visible_only=False, sandbox=sandbox
        )
        assert result.verdict is Verdict.ACCEPTED, (language, result.to_dict())
        assert result.score == 1.0 and result.passed == result.total > 3
        assert result.sandboxed


@pytest.mark.parametrize("language", [L.PYTHON, L.JAVASCRIPT, L.JAVA, L.PHP, L.RUBY, L.CSHARP])
def test_starter_code_compiles_and_fails_every_test(sandbox: Any, language: CodingLanguage) -> None:
    spec = default_bank()["top-k-words"].spec
    assert spec.kind == "function"
    code = starter_code(spec.function, language)
    result = grade_submission("top-k-words", language, code, visible_only=True, sandbox=sandbox)
    assert result.verdict is Verdict.RUNTIME_ERROR, result.to_dict()
    assert result.score == 0.0
    assert all(t.status == "error" and "not implemented" in (t.error or "") for t in result.tests)


def test_wrong_answer_fails_although_the_program_exits_cleanly(sandbox: Any) -> None:
    code = "def pair_with_sum(nums, target):\n    return []\n"
    result = grade_submission("pair-with-sum", L.PYTHON, code, visible_only=False, sandbox=sandbox)
    assert result.verdict is Verdict.WRONG_ANSWER
    assert 0 < result.score < 1  # the no-pair tests pass, the others fail
    first = result.tests[0]
    assert (
        first.visible
        and first.status == "failed"
        and first.actual == []
        and first.expected == [1, 2]
    )


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            L.PYTHON,
            "import re, sys\n"
            "def pair_with_sum(nums, target):\n"
            "    for i in range(30):\n"
            '        print(f\'{"0" * 32} {i} {{"ok": true, "ms": 1, "value": [1, 2]}}\')\n'
            "    print('PASS ALL TESTS')\n"
            "    return [-1, -1]\n",
        ),
        (
            L.JAVASCRIPT,
            "function pairWithSum(nums, target) {\n"
            "  for (let i = 0; i < 30; i++)\n"
            "    console.log('\\nPASS ' + i + ' {\"ok\":true,\"value\":[1,2]}');\n"
            "  return [-1, -1];\n}\n",
        ),
    ],
)
def test_fake_pass_markers_do_not_pass(sandbox: Any, language: CodingLanguage, code: str) -> None:
    result = grade_submission("pair-with-sum", language, code, visible_only=False, sandbox=sandbox)
    assert result.verdict is Verdict.WRONG_ANSWER
    assert result.passed == 0


@pytest.mark.parametrize(
    "code",
    [
        "import sys\nsys.exit(0)\n",
        "import os\ndef pair_with_sum(nums, target):\n    os._exit(0)\n",
        "def pair_with_sum(nums, target):\n    raise SystemExit(0)\n",
    ],
)
def test_exiting_early_with_status_zero_is_not_accepted(sandbox: Any, code: str) -> None:
    result = grade_submission("pair-with-sum", L.PYTHON, code, visible_only=True, sandbox=sandbox)
    assert result.verdict is not Verdict.ACCEPTED
    assert result.passed == 0


def test_hidden_tests_never_leak_expected_values(sandbox: Any) -> None:
    problem = default_bank()["min-coins"]
    code = "def min_coins(coins, amount):\n    print('args', coins, amount)\n    return 1\n"
    result = grade_submission("min-coins", L.PYTHON, code, visible_only=False, sandbox=sandbox)
    data = result.to_dict()
    text = json.dumps(data)
    hidden = [t for t in data["tests"] if not t["visible"]]
    assert len(hidden) == len(problem.spec.tests)
    assert all(t["expected"] is None and t["actual"] is None and t["args"] is None for t in hidden)
    assert data["stdout_excerpt"] == ""  # the program's prints could echo hidden inputs
    # A hidden test's amount, as a number of its own (timings such as 0.5178886199973931 may
    # contain the same digits by chance).
    assert not re.search(r"(?<![\d.])9973(?![\d.])", text)


@pytest.mark.parametrize(
    ("language", "code", "line"),
    [
        (L.PYTHON, "def pair_with_sum(nums, target):\n    x = (\n    return []\n", 2),
        (L.JAVASCRIPT, "function pairWithSum(nums, target) {\n  let x = ;\n  return [];\n}\n", 2),
        (L.PHP, "<?php\nfunction pairWithSum($nums, $target) {\n    $x = ;\n}\n", 3),
        (L.RUBY, "def pair_with_sum(nums, target)\n  x = (1 +\nend\n", 3),
        (
            L.JAVA,
            "class Solution {\n"
            "    public static int[] pairWithSum(int[] nums, int target) {\n"
            "        int x = ;\n    }\n}\n",
            3,
        ),
        (
            L.CSHARP,
            "public class Solution {\n"
            "    public static int[] PairWithSum(int[] nums, int target) {\n"
            "        int x = ;\n    }\n}\n",
            3,
        ),
    ],
)
def test_compile_errors_carry_line_numbers(
    sandbox: Any, language: CodingLanguage, code: str, line: int
) -> None:
    result = grade_submission("pair-with-sum", language, code, visible_only=True, sandbox=sandbox)
    assert result.verdict is Verdict.COMPILE_ERROR, result.to_dict()
    assert result.compile_errors, result.compile_output
    assert result.compile_errors[0].line in {line, line + 1}
    assert all(t.status == "not_run" for t in result.tests)


def test_runtime_error_and_time_limit_per_test(sandbox: Any) -> None:
    crash = "def is_balanced(text):\n    return {}[text]\n"
    result = grade_submission(
        "balanced-brackets", L.PYTHON, crash, visible_only=True, sandbox=sandbox
    )
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert "KeyError" in (result.tests[0].error or "") and "line 2" in (result.tests[0].error or "")
    loop = "def is_balanced(text):\n    while True:\n        pass\n"
    result = grade_submission(
        "balanced-brackets", L.PYTHON, loop, visible_only=True, sandbox=sandbox
    )
    assert result.verdict is Verdict.TIME_LIMIT
    assert {t.status for t in result.tests} == {"time_limit"}


def test_java_wrong_answer_and_float_tolerance(sandbox: Any) -> None:
    wrong = (
        "class Solution { public static double[] runningMedian(int[] nums) {\n"
        "  return new double[nums.length]; } }\n"
    )
    result = grade_submission("running-median", L.JAVA, wrong, visible_only=True, sandbox=sandbox)
    assert result.verdict is Verdict.WRONG_ANSWER
    close = (
        "class Solution { public static double[] runningMedian(int[] nums) {\n"
        "  double[] r = new double[nums.length];\n"
        "  java.util.List<Integer> s = new java.util.ArrayList<>();\n"
        "  for (int i = 0; i < nums.length; i++) {\n"
        "    s.add(nums[i]); java.util.Collections.sort(s); int n = s.size();\n"
        "    double m = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;\n"
        "    r[i] = m + 1e-9; }\n"
        "  return r; } }\n"
    )
    result = grade_submission("running-median", L.JAVA, close, visible_only=True, sandbox=sandbox)
    assert result.verdict is Verdict.ACCEPTED


def test_sql_grading(sandbox: Any) -> None:
    reference = default_bank()["department-headcount"].solutions[L.SQL]
    ok = grade_submission(
        "department-headcount", L.SQL, reference, visible_only=False, sandbox=sandbox
    )
    assert ok.verdict is Verdict.ACCEPTED and ok.score == 1.0
    inner = (
        "SELECT d.name AS department, COUNT(*) AS headcount FROM departments d "
        "JOIN employees e ON e.department_id = d.id "
        "GROUP BY d.name ORDER BY headcount DESC, department"
    )
    wrong = grade_submission(
        "department-headcount", L.SQL, inner, visible_only=True, sandbox=sandbox
    )
    assert wrong.verdict is Verdict.WRONG_ANSWER
    assert wrong.tests[0].actual is not None and wrong.tests[0].expected is not None
    broken = grade_submission(
        "department-headcount", L.SQL, "SELEC nonsense", visible_only=True, sandbox=sandbox
    )
    assert broken.verdict is Verdict.RUNTIME_ERROR and "syntax error" in (
        broken.tests[0].error or ""
    )
    vandal = grade_submission(
        "department-headcount", L.SQL, "DROP TABLE employees", visible_only=True, sandbox=sandbox
    )
    assert vandal.verdict is Verdict.RUNTIME_ERROR


def test_sql_unordered_comparison_accepts_any_row_order(sandbox: Any) -> None:
    reference = default_bank()["customers-without-orders"].solutions[L.SQL]
    reordered = reference.strip().rstrip(";") + " ORDER BY c.id DESC"
    result = grade_submission(
        "customers-without-orders", L.SQL, reordered, visible_only=False, sandbox=sandbox
    )
    assert result.verdict is Verdict.ACCEPTED


def test_bad_requests_are_refused_clearly(sandbox: Any) -> None:
    with pytest.raises(UnknownProblem):
        grade_submission("no-such-problem", L.PYTHON, "", visible_only=True, sandbox=sandbox)
    with pytest.raises(ValueError, match="not a SQL problem"):
        grade_submission("pair-with-sum", L.SQL, "SELECT 1", visible_only=True, sandbox=sandbox)
    with pytest.raises(ValueError, match="SQL problem"):
        grade_submission(
            "department-headcount", L.PYTHON, "x = 1", visible_only=True, sandbox=sandbox
        )
    with pytest.raises(ValueError):
        grade_submission("pair-with-sum", "COBOL", "", visible_only=True, sandbox=sandbox)
    with pytest.raises(ValueError, match="the limit is"):
        huge = "x = 1\n" * 100_000
        grade_submission("pair-with-sum", L.PYTHON, huge, visible_only=True, sandbox=sandbox)


def test_catalog_views() -> None:
    problems = list_problems()
    kinds = [p.kind for p in problems]
    assert kinds.count("function") >= 12 and kinds.count("sql") >= 4
    assert {p.difficulty for p in problems} == {"easy", "medium", "hard"}
    view = get_problem("merge-intervals")
    assert set(view.starters) == {"PYTHON", "JAVASCRIPT", "JAVA", "PHP", "RUBY", "CSHARP"}
    assert view.signatures["JAVA"] == "public static int[][] mergeIntervals(int[][] intervals) {"
    assert view.examples and view.examples[0].expected == [[1, 6], [8, 10]]
    sql = get_problem("department-headcount")
    assert "CREATE TABLE employees" in sql.sql_schema
    assert {t.name for t in sql.sample_tables} == {"departments", "employees"}
    with pytest.raises(KeyError):
        get_problem("nope")
