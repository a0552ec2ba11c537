"""Compare a program's JSON result with the expected value (outside the sandbox)."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def values_equal(actual: Any, expected: Any, tolerance: float) -> bool:
    """Deep JSON equality; numbers compare by value (``3 == 3.0``) and floats within an
    absolute ``tolerance`` (plus 1e-9 relative, for float rounding of large values); booleans
    never equal numbers."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and actual == expected
    if _number(expected) and _number(actual):
        if isinstance(expected, int) and isinstance(actual, int):
            return actual == expected
        return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=tolerance)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            values_equal(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            values_equal(actual[k], expected[k], tolerance) for k in expected
        )
    return type(actual) is type(expected) and actual == expected


def _canonical(value: Any, tolerance: float) -> Any:
    """A hashable, order-free key; floats rounded to the tolerance's scale."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if _number(value):
        digits = max(0, -math.floor(math.log10(tolerance))) if tolerance > 0 else 12
        number = float(value)
        return ("n", round(number, digits) if math.isfinite(number) else str(number))
    if isinstance(value, list):
        return ("l", tuple(_canonical(v, tolerance) for v in value))
    return ("o", repr(value))


def multiset_equal(actual: Any, expected: Any, tolerance: float) -> bool:
    """Both are lists holding the same items, in any order."""
    if not isinstance(actual, list) or not isinstance(expected, list):
        return False
    if len(actual) != len(expected):
        return False
    return Counter(_canonical(v, tolerance) for v in actual) == Counter(
        _canonical(v, tolerance) for v in expected
    )


def result_matches(actual: Any, expected: Any, *, mode: str, tolerance: float) -> bool:
    if mode == "unordered":
        return multiset_equal(actual, expected, tolerance)
    return values_equal(actual, expected, tolerance)


def rows_match(
    actual: list[list[Any]], expected: list[list[Any]], *, ordered: bool, tolerance: float
) -> bool:
    """SQL rows: in order, or as a multiset of rows."""
    if ordered:
        return values_equal(actual, expected, tolerance)
    return multiset_equal(actual, expected, tolerance)
