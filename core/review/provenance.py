"""Which engine evaluated an interview, as readable fields (never a raw dict).

``Evaluation.evaluator_versions`` is stored as JSON by ``core.interviewer.evaluation``:
``{"engines": {"offline": 3}, "questions": {"Q1": {"engine", "model", "prompt_version",
"rubric_hash"}, …}}``; older rows (the demo data) hold ``{"engine": "seed"}``. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_QUESTION_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class EvaluatorLine:
    """One engine, model and prompt version, and the questions it scored ("Q1", "Q3")."""

    engine: str
    model: str
    prompt_version: str
    questions: tuple[str, ...]


def _text(value: Any) -> str:
    """A scalar as text; anything nested is not shown (it would be a raw repr)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return " ".join(str(value).split())
    return ""


def _question_order(name: str) -> tuple[int, str]:
    found = _QUESTION_NUMBER.search(name)
    return (int(found.group()) if found else 10**9, name)


def evaluator_lines(versions: Mapping[str, Any]) -> tuple[EvaluatorLine, ...]:
    """The engines behind an evaluation, one line per (engine, model, prompt version)."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    per_question = versions.get("questions")
    if isinstance(per_question, Mapping):
        for question in sorted(per_question, key=lambda q: _question_order(str(q))):
            info = per_question[question]
            if not isinstance(info, Mapping):
                continue
            key = (
                _text(info.get("engine")) or "unknown",
                _text(info.get("model")),
                _text(info.get("prompt_version")),
            )
            grouped.setdefault(key, []).append(str(question))
    if not grouped:
        engines = versions.get("engines")
        if isinstance(engines, Mapping):
            for name in engines:
                grouped.setdefault((_text(name) or "unknown", "", ""), [])
        elif _text(versions.get("engine")):
            key = (
                _text(versions.get("engine")),
                _text(versions.get("model")),
                _text(versions.get("prompt_version")),
            )
            grouped.setdefault(key, [])
    return tuple(
        EvaluatorLine(engine, model, prompt, tuple(questions))
        for (engine, model, prompt), questions in grouped.items()
    )
