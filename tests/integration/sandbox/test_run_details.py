"""What a Run reports per example (real sandbox): the program's prints per example, why an
example has no result, the exit status, and compile errors in the candidate's own lines."""

from __future__ import annotations

from typing import Any

from core.coding.problems.grading import grade_submission
from core.coding.sandbox.models import Verdict
from core.domain import CodingLanguage

L = CodingLanguage


def test_prints_are_split_per_example_and_only_after_run(sandbox: Any) -> None:
    code = "def pair_with_sum(nums, target):\n    print('saw', len(nums))\n    return []\n"
    run = grade_submission("pair-with-sum", L.PYTHON, code, visible_only=True, sandbox=sandbox)
    printed = [t.stdout for t in run.tests]
    assert all(p and p.startswith("saw ") for p in printed), printed
    assert run.exit_code == 0
    submit = grade_submission("pair-with-sum", L.PYTHON, code, visible_only=False, sandbox=sandbox)
    assert all(t.stdout is None for t in submit.tests)


def test_a_stopped_run_says_why_on_each_example(sandbox: Any) -> None:
    loop = "def is_balanced(text):\n    while True:\n        pass\n"
    result = grade_submission(
        "balanced-brackets", L.PYTHON, loop, visible_only=True, sandbox=sandbox
    )
    assert result.verdict is Verdict.TIME_LIMIT
    assert all("Time limit exceeded" in (t.error or "") for t in result.tests)
    crash = "import os\ndef is_balanced(text):\n    os._exit(3)\n"
    result = grade_submission(
        "balanced-brackets", L.PYTHON, crash, visible_only=True, sandbox=sandbox
    )
    assert "exit status 3" in (result.tests[0].error or ""), result.tests[0]


def test_a_renamed_csharp_method_is_explained_and_paths_are_the_candidates(sandbox: Any) -> None:
    code = (
        "public class Solution {\n    public static int[] Other(int[] n, int t) { return n; }\n}\n"
    )
    result = grade_submission("pair-with-sum", L.CSHARP, code, visible_only=True, sandbox=sandbox)
    assert result.verdict is Verdict.COMPILE_ERROR
    assert "keep the class Solution" in result.compile_errors[0].message
    assert "src/" not in result.compile_output
