"""Per-language names, signatures, harness files; verdict classification; artifact unpacking."""

from __future__ import annotations

import io
import tarfile

import pytest

from core.coding.problems.harness import build_harness
from core.coding.problems.model import Signature
from core.coding.problems.naming import signature_line
from core.coding.sandbox import SandboxUnavailable, build_sandbox
from core.coding.sandbox.models import RunResult, Verdict
from core.coding.sandbox.program import classify, unpack_artifacts
from core.config import load_settings
from core.domain import CodingLanguage

SIG = Signature.model_validate(
    {
        "name": "top_k_words",
        "params": [{"name": "word_list", "type": "string[]"}, {"name": "k", "type": "int"}],
        "returns": "string[]",
    }
)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (CodingLanguage.PYTHON, "def top_k_words(word_list, k):"),
        (CodingLanguage.RUBY, "def top_k_words(word_list, k)"),
        (CodingLanguage.JAVASCRIPT, "function topKWords(wordList, k) {"),
        (CodingLanguage.PHP, "function topKWords($wordList, $k) {"),
        (CodingLanguage.JAVA, "public static String[] topKWords(String[] wordList, int k) {"),
        (CodingLanguage.CSHARP, "public static string[] TopKWords(string[] wordList, int k) {"),
    ],
)
def test_signature_lines(language: CodingLanguage, line: str) -> None:
    assert signature_line(SIG, language) == line


def test_java_and_csharp_harness_calls_convert_json_arguments() -> None:
    java = build_harness(SIG, CodingLanguage.JAVA, "class Solution {}")
    call = "Solution.topKWords(IntervistaLib.toStringArray(args.get(0)), "
    call += "IntervistaLib.toInt(args.get(1)))"
    assert f"IntervistaLib.run(args -> {call});" in java.sources["IntervistaMain.java"]
    assert set(java.library_sources) == {"IntervistaLib.java"}  # compiled once, then reused
    assert java.candidate_file == "Solution.java" and java.main_file == "IntervistaMain.java"
    cs = build_harness(SIG, CodingLanguage.CSHARP, "public class Solution {}")
    assert (
        "return Solution.TopKWords(ToStrArray(args[0]), ToInt(args[1]));"
        in cs.sources["IntervistaMain.cs"]
    )


def test_harness_never_contains_expected_values() -> None:
    for language in (
        CodingLanguage.PYTHON,
        CodingLanguage.JAVASCRIPT,
        CodingLanguage.PHP,
        CodingLanguage.RUBY,
    ):
        files = build_harness(SIG, language, "x")
        assert "expected" not in " ".join(files.sources.values())


def _result(**changes: object) -> RunResult:
    base: dict[str, object] = dict(
        exit_code=0,
        signal=None,
        stdout=b"",
        stderr=b"",
        wall_seconds=0.1,
        cpu_seconds=0.1,
        peak_memory_kb=1000,
        timed_out=False,
        output_exceeded=False,
        sandboxed=True,
    )
    base.update(changes)
    return RunResult(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({}, Verdict.ACCEPTED),
        ({"exit_code": 1}, Verdict.RUNTIME_ERROR),
        ({"exit_code": None, "signal": 9, "timed_out": True}, Verdict.TIME_LIMIT),
        ({"output_exceeded": True, "exit_code": None, "signal": 9}, Verdict.OUTPUT_LIMIT),
        ({"exit_code": 1, "stderr": b"MemoryError"}, Verdict.MEMORY_LIMIT),
        ({"exit_code": 1, "peak_memory_kb": 600 * 1024}, Verdict.MEMORY_LIMIT),
        ({"exit_code": None, "signal": 25}, Verdict.OUTPUT_LIMIT),
        ({"exit_code": None, "signal": 24}, Verdict.TIME_LIMIT),  # SIGXCPU: the CPU rlimit
        ({"exit_code": 128 + 24}, Verdict.TIME_LIMIT),
    ],
)
def test_classify(changes: dict[str, object], verdict: Verdict) -> None:
    assert classify(_result(**changes), ("MemoryError",), 512) is verdict


def _tar(entries: list[tuple[str, bytes, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            if kind == tarfile.SYMTYPE:
                info.linkname = "/etc/passwd"
            tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return buffer.getvalue()


def test_unpack_artifacts_accepts_plain_files() -> None:
    archive = _tar(
        [("./Main.class", tarfile.REGTYPE, b"\xca\xfe"), ("./pkg/A.class", tarfile.REGTYPE, b"x")]
    )
    assert unpack_artifacts(archive) == {"Main.class": b"\xca\xfe", "pkg/A.class": b"x"}


@pytest.mark.parametrize(
    "archive",
    [
        _tar([("../escape.class", tarfile.REGTYPE, b"x")]),
        _tar([("/abs.class", tarfile.REGTYPE, b"x")]),
        _tar([("link", tarfile.SYMTYPE, b"")]),
        b"not a tar stream at all" * 50,
        _tar([]),
    ],
)
def test_unpack_artifacts_rejects_anything_odd(archive: bytes) -> None:
    with pytest.raises(ValueError):
        unpack_artifacts(archive)


def test_build_sandbox_refuses_unsafe_unless_explicitly_allowed() -> None:
    with pytest.raises(SandboxUnavailable, match="SANDBOX_ALLOW_UNSAFE"):
        build_sandbox(load_settings(sandbox="unsafe-dev", sandbox_allow_unsafe=False))
    unsafe = build_sandbox(load_settings(sandbox="unsafe-dev", sandbox_allow_unsafe=True))
    assert unsafe.sandboxed is False
