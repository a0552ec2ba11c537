"""Problem signatures: names must be snake_case and types known, for params and returns."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.coding.problems.model import Signature

GOOD = {"name": "two_sum", "params": [{"name": "nums", "type": "int[]"}], "returns": "int[]"}


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"name": "TwoSum"}, "snake_case"),
        ({"params": [{"name": "1nums", "type": "int"}]}, "snake_case"),
        ({"params": [{"name": "nums", "type": "map"}]}, "unknown type 'map'"),
        ({"returns": "int[][][]"}, "unknown type"),
        ({"params": []}, "at least 1"),
    ],
)
def test_bad_signatures_name_the_problem(patch: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Signature.model_validate({**GOOD, **patch})


def test_good_signature() -> None:
    sig = Signature.model_validate(GOOD)
    assert (sig.name, sig.params[0].type, sig.returns) == ("two_sum", "int[]", "int[]")
