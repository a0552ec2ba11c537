"""Pure parts of Run with my input and of reading a harnessed run's output (no sandbox)."""

from __future__ import annotations

from typing import Any

import pytest

from core.coding.custom_run import (
    MAX_INPUT_BYTES,
    CustomInputError,
    input_help,
    input_template,
    parse_arguments,
)
from core.coding.problems.loader import default_bank
from core.coding.problems.model import FunctionProblem
from core.coding.problems.output import (
    clean_compiler_output,
    compile_messages,
    head,
    stdout_by_test,
    strip_tagged,
    tail,
)
from core.coding.sandbox.drivers import CompileDiagnostic

NONCE = "0123456789abcdef" * 2


def _pair() -> FunctionProblem:
    spec = default_bank()["pair-with-sum"].spec
    assert isinstance(spec, FunctionProblem)
    return spec


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("[2, 7, 11, 15]\n9\n", [[2, 7, 11, 15], 9]),
        ("\n  [1,2]  \n\n3\n\n", [[1, 2], 3]),  # blank lines and spaces are fine
        ("[]\n-2147483648\n", [[], -(2**31)]),
    ],
)
def test_arguments_are_read_one_json_value_per_line(text: str, values: list[Any]) -> None:
    assert parse_arguments(_pair(), text) == values


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("[1]\n", "custom_input_invalid", "Type 2 line"),
        ("[1]\n2\n3\n", "custom_input_invalid", "found 3"),
        ("[1,]\n2\n", "custom_input_invalid", "Line 1 \\(nums\\) is not valid JSON"),
        ("[1]\nInfinity\n", "custom_input_invalid", "not valid JSON"),
        ("[1]\n-1e400\n", "custom_input_invalid", "not valid JSON"),
        ("[1]\n2.5\n", "custom_input_invalid", "target must be of type int"),
        ("[1]\ntrue\n", "custom_input_invalid", "target must be of type int"),
        ("[[1]]\n2\n", "custom_input_invalid", "nums must be of type"),
        ("[" * 5000 + "]" * 5000 + "\n2\n", "custom_input_invalid", "nums"),
        ("[1]\n2\x00\n", "custom_input_invalid", "NUL"),
        ("[1]\n" + " " * MAX_INPUT_BYTES + "2\n", "custom_input_too_large", "the limit is 64 KB"),
    ],
)
def test_bad_input_is_refused_with_a_stable_code(text: str, code: str, message: str) -> None:
    with pytest.raises(CustomInputError, match=message) as caught:
        parse_arguments(_pair(), text)
    assert caught.value.code == code


def test_templates_start_from_the_first_example() -> None:
    first = _pair().examples[0]
    assert parse_arguments(_pair(), input_template("pair-with-sum")) == list(first.args)
    assert "nums (int[]), target (int)" in input_help("pair-with-sum")
    assert input_template("department-headcount").lstrip().upper().startswith("INSERT")


def test_printed_text_is_split_by_test_and_forged_lines_are_dropped() -> None:
    stdout = (
        "loading\n"
        f"\n{NONCE} 0 {{}}\n"
        "first\nsecond\n"
        f"\n{NONCE} 1 {{}}\n"
        f"{'f' * 32} 2 forged\n"
        f"\n{NONCE} 2 {{}}\n"
    )
    parts = stdout_by_test(stdout, NONCE)
    assert parts["0"] == "loading"
    assert parts["1"] == "first\nsecond"
    assert parts["2"] == f"{'f' * 32} 2 forged"  # the candidate's own print, shown as printed
    assert strip_tagged(stdout) == "loading\n\nfirst\nsecond"  # nonce-like lines dropped


def test_compile_messages_keep_the_candidates_lines_and_explain_the_harness() -> None:
    own = CompileDiagnostic("Solution.java", 3, None, "';' expected")
    harness = CompileDiagnostic("IntervistaMain.java", 4, None, "cannot find symbol")
    assert [m.line for m in compile_messages((own, harness), "Solution.java")] == [3]
    (explained,) = compile_messages((harness,), "Solution.java")
    assert explained.line is None and "keep the class Solution" in explained.message
    assert clean_compiler_output("src/Solution.java:3: error") == "Solution.java:3: error"
    assert head("x" * 10, 4) == "xxxx\n… (truncated)" and tail("abcdef", 2).endswith("ef")
