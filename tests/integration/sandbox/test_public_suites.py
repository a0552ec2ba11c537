"""Public test suites through the real sandbox: reference solutions pass, stubs fail.

HumanEval (Python) 164/164 and stubs 0/164; HumanEval-X Java and JavaScript reference
solutions pass except the three known-wrong JavaScript ones (112, 155, 162), which must fail
(their tests use ``console.assert``); MultiPL-E PHP, Ruby and C# stubs all fail, each with a
verdict. Runs with two workers; marked slow + shared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from core.coding.sandbox.drivers import get_driver
from core.coding.sandbox.models import Limits, Verdict
from core.coding.sandbox.program import run_program
from core.domain import CodingLanguage
from tests.support.shared import shared_path

pytestmark = [pytest.mark.slow, pytest.mark.shared]
KNOWN_WRONG_JS = {"JavaScript/112", "JavaScript/155", "JavaScript/162"}
LIMITS = Limits(cpu_seconds=10, wall_seconds=30)


def _rows(*parts: str) -> list[dict[str, Any]]:
    path: Path = shared_path("datasets", "code", *parts)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _run_all(
    sandbox: Any, language: CodingLanguage, programs: Iterable[tuple[str, str]]
) -> dict[str, Verdict]:
    driver = get_driver(language)

    def one(item: tuple[str, str]) -> tuple[str, Verdict]:
        name, code = item
        main = driver.main_file(code)
        return name, run_program(sandbox, language, {main: code}, main, limits=LIMITS).verdict

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, list(programs)))


def _humaneval_program(row: dict[str, Any], body: str) -> str:
    return f"{row['prompt']}{body}\n{row['test']}\ncheck({row['entry_point']})\n"


def test_humaneval_python_references_pass_and_stubs_fail(sandbox: Any) -> None:
    rows = _rows("humaneval", "HumanEval.jsonl")
    assert len(rows) == 164
    programs = [(r["task_id"], _humaneval_program(r, r["canonical_solution"])) for r in rows]
    programs += [(r["task_id"] + "/stub", _humaneval_program(r, "    return None\n")) for r in rows]
    verdicts = _run_all(sandbox, CodingLanguage.PYTHON, programs)
    failed_refs = {
        k: v for k, v in verdicts.items() if not k.endswith("/stub") and v is not Verdict.ACCEPTED
    }
    passed_stubs = [k for k, v in verdicts.items() if k.endswith("/stub") and v is Verdict.ACCEPTED]
    assert failed_refs == {}
    assert passed_stubs == []


def test_humaneval_x_javascript_known_wrong_fail_others_pass(sandbox: Any) -> None:
    rows = _rows("humaneval_x", "humaneval_js.jsonl")
    programs = [
        (r["task_id"], f"{r['prompt']}{r['canonical_solution']}\n{r['test']}\n") for r in rows
    ]
    verdicts = _run_all(sandbox, CodingLanguage.JAVASCRIPT, programs)
    passed = {k for k, v in verdicts.items() if v is Verdict.ACCEPTED}
    assert {k for k in verdicts if k not in passed} == KNOWN_WRONG_JS
    assert len(passed) == 161


def test_humaneval_x_java_references_pass(sandbox: Any) -> None:
    rows = _rows("humaneval_x", "humaneval_java.jsonl")
    programs = [
        (r["task_id"], f"{r['prompt']}{r['canonical_solution']}\n{r['test']}\n") for r in rows
    ]
    verdicts = _run_all(sandbox, CodingLanguage.JAVA, programs)
    assert {k: v for k, v in verdicts.items() if v is not Verdict.ACCEPTED} == {}
    assert len(verdicts) == 164


def test_humaneval_x_java_stubs_fail(sandbox: Any) -> None:
    rows = _rows("humaneval_x", "humaneval_java.jsonl")[:20]
    programs = []
    for r in rows:
        # Replace the body by one that throws: the class still compiles, every check must fail.
        programs.append(
            (
                r["task_id"],
                f"{r['prompt']}        throw new RuntimeException();\n    }}\n}}\n{r['test']}\n",
            )
        )
    verdicts = _run_all(sandbox, CodingLanguage.JAVA, programs)
    assert all(v is Verdict.RUNTIME_ERROR for v in verdicts.values()), verdicts


def _multipl_e(name: str) -> list[dict[str, Any]]:
    return _rows("multipl_e", name)


@pytest.mark.parametrize(
    ("language", "file", "stub"),
    [
        (CodingLanguage.PHP, "humaneval-php-reworded.jsonl", "    return null;\n}\n"),
        (CodingLanguage.RUBY, "humaneval-rb-reworded.jsonl", "  nil\nend\n"),
        (CodingLanguage.JAVASCRIPT, "humaneval-js-reworded.jsonl", "  return undefined;\n}\n"),
    ],
)
def test_multipl_e_stubs_fail_with_a_verdict(
    sandbox: Any, language: CodingLanguage, file: str, stub: str
) -> None:
    rows = _multipl_e(file)
    programs = [(r["name"], f"{r['prompt']}{stub}\n{r['tests']}\n") for r in rows]
    verdicts = _run_all(sandbox, language, programs)
    assert len(verdicts) == len(rows) >= 158
    assert [k for k, v in verdicts.items() if v is Verdict.ACCEPTED] == []
    # A stub fails its assertions: a runtime error, never a limit or a crash of the runner.
    assert {v for v in verdicts.values()} == {Verdict.RUNTIME_ERROR}


def test_multipl_e_csharp_stubs_fail_with_a_verdict(sandbox: Any) -> None:
    rows = _multipl_e("humaneval-cs-reworded.jsonl")
    programs = []
    for r in rows:
        signature = [line for line in r["prompt"].splitlines() if "public static" in line][-1]
        return_type = re.search(r"public static (.+?) \w+\(", signature)
        assert return_type, signature
        programs.append(
            (
                r["name"],
                f"{r['prompt']}        return default({return_type.group(1)});\n{r['tests']}\n",
            )
        )
    verdicts = _run_all(sandbox, CodingLanguage.CSHARP, programs)
    assert len(verdicts) == len(rows) == 158
    assert [k for k, v in verdicts.items() if v is Verdict.ACCEPTED] == []
    assert set(verdicts.values()) <= {Verdict.RUNTIME_ERROR, Verdict.COMPILE_ERROR}
    # Nearly all compile: the stub is valid C#, so the failures come from the tests.
    assert sum(v is Verdict.RUNTIME_ERROR for v in verdicts.values()) >= 150
