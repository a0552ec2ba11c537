"""Result comparison: table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from core.coding.problems.compare import result_matches, rows_match, values_equal


@pytest.mark.parametrize(
    ("actual", "expected", "tolerance", "equal"),
    [
        (3, 3, 1e-6, True),
        (3.0, 3, 1e-6, True),
        (2.0000001, 2.0, 1e-6, True),
        (2.01, 2.0, 1e-6, False),
        (True, 1, 1e-6, False),
        (1, True, 1e-6, False),
        (False, False, 1e-6, True),
        ("1", 1, 1e-6, False),
        (None, None, 1e-6, True),
        (None, 0, 1e-6, False),
        ([1, [2, 3]], [1, [2, 3]], 1e-6, True),
        ([1, 2], [1, 2, 3], 1e-6, False),
        ([[1.0, 2.5]], [[1, 2.5]], 1e-6, True),
        ({"a": 1}, {"a": 1.0}, 1e-6, True),
        (1e12 + 0.5, 1e12, 1e-6, True),  # float rounding of large values (1e-9 relative)
        (100.004, 100.0, 0.01, True),
        (100.02, 100.0, 0.01, False),
    ],
)
def test_values_equal(actual: Any, expected: Any, tolerance: float, equal: bool) -> None:
    assert values_equal(actual, expected, tolerance) is equal


@pytest.mark.parametrize(
    ("actual", "expected", "mode", "equal"),
    [
        ([3, 1, 2], [1, 2, 3], "unordered", True),
        ([3, 1, 2], [1, 2, 3], "exact", False),
        ([1, 1, 2], [1, 2, 2], "unordered", False),
        ([[1, 2], [3]], [[3], [1, 2]], "unordered", True),
        ([0.1 + 0.2], [0.3], "unordered", True),
        ("abc", ["a", "b", "c"], "unordered", False),
    ],
)
def test_result_matches_modes(actual: Any, expected: Any, mode: str, equal: bool) -> None:
    assert result_matches(actual, expected, mode=mode, tolerance=1e-6) is equal


@pytest.mark.parametrize(
    ("actual", "expected", "ordered", "equal"),
    [
        ([["a", 1], ["b", 2]], [["b", 2], ["a", 1]], False, True),
        ([["a", 1], ["b", 2]], [["b", 2], ["a", 1]], True, False),
        ([["a", 1.004]], [["a", 1.0]], True, True),
        ([["a", None]], [["a", None]], True, True),
        ([["a", 1]], [["a", 1], ["a", 1]], False, False),
    ],
)
def test_rows_match(actual: Any, expected: Any, ordered: bool, equal: bool) -> None:
    assert rows_match(actual, expected, ordered=ordered, tolerance=0.01) is equal
