"""What a hidden test may tell the candidate: a standard error class from a fixed list (never a
name or text the program chose), our own notes; and ``run_in_turn`` starting nothing after a
time-out."""

from __future__ import annotations

import threading
import time
from functools import partial

import pytest

from core.coding.problems.harness.errors import error_class, sql_error_class
from core.coding.problems.harness.runs import NOT_RUN_AFTER_TIMEOUT, run_in_turn
from core.domain import CodingLanguage
from core.ui.coding_results import hidden_result

L = CodingLanguage


@pytest.mark.parametrize(
    ("language", "message", "expected"),
    [
        (L.PYTHON, "IndexError: list index out of range (line 3)", "IndexError"),
        (L.PYTHON, "ZeroDivisionError: division by zero", "ZeroDivisionError"),
        (L.PYTHON, "Leak_6e6f2062: no brackets here", None),  # a class it made up
        (L.PYTHON, "json.decoder.JSONDecodeError: Expecting value", None),
        (L.PYTHON, "no brackets here", None),
        (L.PYTHON, "", None),
        (L.PYTHON, None, None),
        (L.JAVASCRIPT, "TypeError: x is not a function (line 2)", "TypeError"),
        (L.JAVASCRIPT, "([{}])", None),  # `throw "([{}])"`
        (
            L.JAVA,
            "java.lang.ArrayIndexOutOfBoundsException: Index 5 out of bounds",
            "ArrayIndexOutOfBoundsException",
        ),
        (L.JAVA, "java.lang.NullPointerException (Solution.java line 4)", "NullPointerException"),
        (L.JAVA, "java.lang.Leak_no_brackets_here: x", None),  # an overridden toString()
        (L.JAVA, "IndexOutOfBoundsException: x", None),  # Java names come qualified
        (L.PHP, "DivisionByZeroError: Division by zero (line 3)", "DivisionByZeroError"),
        (L.RUBY, "NoMethodError: undefined method `x'", "NoMethodError"),
        (L.RUBY, "Math::DomainError: x", "Math::DomainError"),
        (
            L.CSHARP,
            "IndexOutOfRangeException: Index was outside the bounds",
            "IndexOutOfRangeException",
        ),
        (L.CSHARP, "java.lang.NullPointerException: x", None),  # another language's name
    ],
)
def test_only_standard_error_classes_are_named(
    language: CodingLanguage, message: str | None, expected: str | None
) -> None:
    assert error_class(language, message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('near "SELEC": syntax error', "syntax error"),
        ("no such column: salary", "no such column"),
        ("attempt to write a readonly database", "the query tried to change the data"),
        ("UNIQUE constraint failed: Ops, Sales", None),  # SQLite quoting values: not passed on
    ],
)
def test_sql_errors_get_a_fixed_description(message: str, expected: str | None) -> None:
    assert sql_error_class(message) == expected


@pytest.mark.parametrize(
    ("test", "shown"),
    [
        ({"status": "passed"}, "passed ✓"),
        ({"status": "failed", "actual": "([{}])"}, "wrong answer ✗"),
        ({"status": "error", "error_class": "IndexError"}, "runtime error: IndexError ✗"),
        ({"status": "error", "error_class": "<b>x</b>"}, "runtime error ✗"),
        ({"status": "error", "error": "IndexError: ([{}])"}, "runtime error ✗"),
        ({"status": "time_limit"}, "time limit exceeded ✗"),
        ({"status": "not_run", "note": NOT_RUN_AFTER_TIMEOUT}, NOT_RUN_AFTER_TIMEOUT),
        ({"status": "not_run", "note": "([{}])"}, "not run"),
    ],
)
def test_a_hidden_test_line_holds_no_program_text(test: dict[str, str], shown: str) -> None:
    assert hidden_result(test) == shown


def _is_one(value: int) -> bool:
    return value == 1


def _never(value: int) -> bool:
    return False


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_nothing_starts_after_a_result_says_stop(workers: int) -> None:
    started: list[int] = []
    lock = threading.Lock()

    def job(index: int) -> int:
        with lock:
            started.append(index)
        time.sleep(0.05 if index != 1 else 0.01)
        return index

    results = run_in_turn([partial(job, i) for i in range(10)], stop=_is_one, workers=workers)
    # Job 1 stops the rest: only the jobs already running when it ended were started.
    assert sorted(started) == list(range(max(2, workers))), started
    assert [r for r in results if r is not None] == sorted(started)
    assert all(results[i] is None for i in range(10) if i not in started)


def test_every_job_runs_when_nothing_says_stop() -> None:
    jobs = [partial(int, i) for i in range(7)]
    assert run_in_turn(jobs, stop=_never, workers=3) == list(range(7))
    assert run_in_turn([], stop=lambda r: True) == []
