"""Compile-time attacks: the compilers run sandboxed, with their own time and memory limits.

Constant folding of 30 doublings of a 64-character string asks javac and mcs for a 64 GB
constant; both must fail with a compile error inside the sandbox, the host untouched."""

from __future__ import annotations

from typing import Any

import pytest

from core.coding.sandbox.models import Verdict
from core.coding.sandbox.program import run_program
from core.domain import CodingLanguage


@pytest.mark.slow
def test_java_compile_time_constant_bomb_is_contained(sandbox: Any) -> None:
    lines = ['    static final String S0 = "' + "x" * 64 + '";']
    lines += [f"    static final String S{i} = S{i - 1} + S{i - 1};" for i in range(1, 31)]  # 64 GB
    code = (
        "public class Main {\n"
        + "\n".join(lines)
        + "\n    public static void main(String[] a) { System.out.println(S30.length()); }\n}\n"
    )
    result = run_program(sandbox, CodingLanguage.JAVA, {"Main.java": code}, "Main.java")
    assert result.verdict is Verdict.COMPILE_ERROR
    assert result.compile is not None and result.compile.sandboxed


@pytest.mark.slow
def test_csharp_compile_time_constant_bomb_is_contained(sandbox: Any) -> None:
    lines = ['    const string S0 = "' + "x" * 64 + '";']
    lines += [f"    const string S{i} = S{i - 1} + S{i - 1};" for i in range(1, 31)]
    code = (
        "class P {\n"
        + "\n".join(lines)
        + "\n    static void Main() { System.Console.WriteLine(S30.Length); }\n}\n"
    )
    result = run_program(sandbox, CodingLanguage.CSHARP, {"Main.cs": code}, "Main.cs")
    assert result.verdict is Verdict.COMPILE_ERROR
