"""Extracting the JSON object from a model's reply."""

from __future__ import annotations

import pytest

from core.interviewer.ai.llm_client import extract_json_object


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"score": 5}', {"score": 5}),
        ('  {"score": 5}\n', {"score": 5}),
        ('```json\n{"score": 5}\n```', {"score": 5}),
        ('Sure! {"score": 5} Hope that helps.', {"score": 5}),
    ],
)
def test_extracts_objects(reply: str, expected: dict[str, object]) -> None:
    assert extract_json_object(reply) == expected


@pytest.mark.parametrize("reply", ["", "no json here", '{"score": ', "[1, 2]", '"text"'])
def test_rejects_non_objects(reply: str) -> None:
    with pytest.raises(ValueError):
        extract_json_object(reply)
