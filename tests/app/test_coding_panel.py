"""The coding panel as the candidate sees it (AppTest through the real router and the real
sandbox): every example in full after Run, hidden tests as verdicts only after Submit, compile
errors with their line, Run with my input, and times in a named zone."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.coding.custom_run import MAX_INPUT_BYTES
from core.coding.problems.loader import default_bank
from core.db.engine import Database
from core.db.models import CodeSubmission, Interview, InterviewQuestion
from core.domain import CodingLanguage, QuestionType
from tests.support.apptest import code_blocks, everything_shown, texts
from tests.support.factories import issue_key, make_interview
from tests.support.shared import require_or_skip

CHEAT = 'def is_balanced(text):\n    return text == "f(a[1]) {ok}"\n'  # passes the examples only
ALWAYS = "def is_balanced(text):\n    print('checking', text)\n    return True\n"


@pytest.fixture(autouse=True)
def _sandbox() -> None:
    require_or_skip(shutil.which("bwrap") is not None, "bubblewrap is not installed")


def _room(
    open_app: Callable[..., AppTest],
    db: Database,
    *,
    problem: str = "balanced-brackets",
    language: CodingLanguage = CodingLanguage.PYTHON,
    code: str = ALWAYS,
) -> tuple[AppTest, int]:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        interview.enable_video = False
        interview.coding_language = language
        q = s.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == iid)
            .order_by(InterviewQuestion.order)
        ).first()
        q.question_type = QuestionType.CODING
        q.coding_problem_ref = problem
        qid = q.id
    at = open_app(key=issue_key(db, iid))
    at = _click(at, "Start the interview")
    at.session_state[f"code_{qid}"] = code  # what the editor holds
    at.run()
    return at, qid


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _example(at: AppTest, number: int) -> list[str]:
    """The code blocks inside the expander of example ``number``."""
    box = next(e for e in at.expander if e.label.startswith(f"Example {number}:"))
    return [str(c.value) for c in box.code]


def test_a_failing_example_shows_input_expected_and_actual(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, _ = _room(open_app, app_env)
    at = _click(at, "Run examples")
    assert any(w.value.startswith("Wrong answer: 1 of 3 tests passed") for w in at.warning), texts(
        at
    )
    labels = [e.label for e in at.expander]
    assert "Example 1: passed ✓" in labels and "Example 2: wrong answer ✗" in labels
    assert _example(at, 2)[:3] == ['"(]"', "false", "true"]  # input, expected, actual
    assert "checking (]" in _example(at, 2)[3]  # what it printed during that example
    assert any("checking f(a[1]) {ok}" in block for block in code_blocks(at))  # stdout
    assert "UTC (your time zone is unknown)" in texts(at)  # AppTest's browser names no zone
    # The buttons are back and enabled after the run; nothing is left "running".
    assert [b.label for b in at.button if not b.disabled][:2] == ["Run examples", "Submit code"]
    assert not at.status


def test_failing_hidden_tests_show_only_their_verdicts(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, _ = _room(open_app, app_env, code=CHEAT)
    at = _click(at, "Submit code")
    shown = everything_shown(at)
    assert re.search(r"Hidden tests: \d+ of \d+ passed", shown), shown
    assert "wrong answer ✗" in shown  # a hidden test's verdict
    assert [e.label for e in at.expander if e.label.startswith("Example")] == [
        "Example 1: passed ✓",
        "Example 2: passed ✓",
        "Example 3: passed ✓",
    ]
    for test in default_bank()["balanced-brackets"].spec.tests:
        (text,) = test.args
        if len(text) > 3:  # long enough not to occur by chance
            assert text[:40] not in shown, f"hidden input {text[:40]!r} is shown"
    assert "printed output is shown after run only" in shown.lower()


def test_a_java_compile_error_names_its_line(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    code = (
        "class Solution {\n"
        "    public static boolean isBalanced(String text) {\n"
        "        int x = ;\n"
        "        return true;\n    }\n}\n"
    )
    at, _ = _room(open_app, app_env, language=CodingLanguage.JAVA, code=code)
    at = _click(at, "Run examples")
    assert any("Compile error" in e.value for e in at.error), texts(at)
    blocks = code_blocks(at)
    assert any(b.startswith("Line 3: ") for b in blocks), blocks
    assert any("Solution.java:3: error" in b for b in blocks), blocks  # the compiler's own text


def test_run_with_my_input_shows_the_value_and_the_output(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, _ = _room(open_app, app_env)
    box = next(t for t in at.text_area if t.label == "Your input")
    assert box.value == '"f(a[1]) {ok}"\n'  # the first example, ready to edit
    box.input('"<b>((</b>"')
    at = _click(at, "Run with my input")
    blocks = code_blocks(at)
    assert "true" in blocks and any("checking <b>((</b>" in b for b in blocks), blocks
    assert "Your code ran to the end." in texts(at)
    assert "exit status 0" in texts(at)
    with app_env.read() as s:  # not graded, not stored
        assert s.scalar(select(func.count()).select_from(CodeSubmission)) == 0


def test_run_with_too_large_input_says_so(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, _ = _room(open_app, app_env)
    box = next(t for t in at.text_area if t.label == "Your input")
    box.input('"' + "(" * (MAX_INPUT_BYTES + 10) + '"')
    at = _click(at, "Run with my input")
    assert any("the limit is 64 KB" in e.value for e in at.error), texts(at)


@pytest.mark.parametrize("how", ["return", "raise", "print"])
def test_a_submit_cannot_echo_hidden_inputs_through_an_example(
    open_app: Callable[..., AppTest], app_env: Database, how: str
) -> None:
    """The examples run in the same process as the hidden tests on Submit: code can read the
    harness's list of inputs. Whatever it returns, raises or prints is not shown then."""
    steal = {
        "return": "    return repr(found)\n",
        "raise": "    raise ValueError(repr(found))\n",
        "print": "    print(repr(found))\n    return True\n",
    }[how]
    code = (
        "import sys\n"
        "def is_balanced(text):\n"
        "    found = sys._getframe(1).f_locals.get('tests')\n" + steal
    )
    at, _ = _room(open_app, app_env, code=code)
    at = _click(at, "Submit code")
    shown = everything_shown(at)
    assert re.search(r"\d+ of \d+ tests passed", shown), shown
    assert "no brackets here" not in shown and "{[()()]}[]" not in shown


def test_sql_runs_on_the_candidates_rows(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, _ = _room(
        open_app,
        app_env,
        problem="department-headcount",
        language=CodingLanguage.SQL,
        code="SELECT name, name FROM departments ORDER BY id",
    )
    box = next(t for t in at.text_area if t.label == "Your input")
    assert box.value.lstrip().upper().startswith("INSERT")  # the first example's rows
    box.input("INSERT INTO departments VALUES (7, '<i>Ops</i>');")
    at = _click(at, "Run with my input")
    (table,) = [f.value for f in at.dataframe if "name (2)" in f.value.columns]
    assert table.values.tolist() == [["<i>Ops</i>", "<i>Ops</i>"]]


def test_a_submit_shows_examples_in_full_and_hidden_errors_by_class_only(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    """The examples run apart from the hidden tests, so after Submit an example shows what the
    code returned; a hidden test shows its verdict and a standard error class, nothing else."""
    code = (
        "import sys\n"
        "def is_balanced(text):\n"
        "    if text == 'f(a[1]) {ok}':\n"
        "        return repr(sys._getframe(1).f_locals.get('tests'))\n"
        "    if text in ('(]', '((x)'):\n"
        "        return False\n"
        "    print(text)\n"
        "    raise IndexError(text)\n"
    )
    at, _ = _room(open_app, app_env, code=code)
    at = _click(at, "Submit code")
    shown = everything_shown(at)
    first = _example(at, 1)  # input, expected, and what it returned: the examples' own inputs
    assert first[:2] == ['"f(a[1]) {ok}"', "true"] and "((x)" in first[2], first
    assert "runtime error: IndexError ✗" in shown, shown
    for test in default_bank()["balanced-brackets"].spec.tests:
        (text,) = test.args
        if len(text) > 3:
            assert text[:40] not in shown, f"hidden input {text[:40]!r} is shown"
