"""Test modules share helpers only through tests/support: none imports another test module or a
conftest (a helper moved or renamed there would otherwise break tests far away)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# Being rewritten separately; they still import their own dataset module and conftest.
PENDING: tuple[str, ...] = ()


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_tests_import_shared_code_only_from_tests_support() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if relative.startswith(PENDING):
            continue
        for name in _imported_modules(path):
            if name.startswith("tests.") and not name.startswith("tests.support"):
                offenders.append(f"{relative}: {name}")
    assert offenders == []
