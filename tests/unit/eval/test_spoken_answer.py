"""What is scored for a spoken answer, and when a person must listen (pure, table-driven)."""

from __future__ import annotations

import pytest

from core.domain import TranscriptStatus
from core.interviewer.ai.types import EvaluationResult, Metrics
from core.interviewer.speech.spoken_answer import (
    PENDING_REASON,
    flag_for_listening,
    review_reason,
    scored_text,
)

DONE, FAILED, PENDING = TranscriptStatus.DONE, TranscriptStatus.FAILED, TranscriptStatus.PENDING


@pytest.mark.parametrize(
    ("typed", "audio", "status", "transcript", "expected"),
    [
        ("typed only", None, None, "", "typed only"),
        ("", "a.wav", DONE, " heard words ", "heard words"),
        ("typed", "a.wav", DONE, "heard", "typed\n\nheard"),
        ("typed", "a.wav", PENDING, "", "typed"),
        ("", "a.wav", FAILED, "", ""),
        ("typed", None, DONE, "stale transcript", "typed"),  # no recording: nothing heard
    ],
)
def test_scored_text(
    typed: str, audio: str | None, status: TranscriptStatus | None, transcript: str, expected: str
) -> None:
    assert scored_text(typed, audio, status, transcript) == expected


@pytest.mark.parametrize(
    ("audio", "status", "error", "expected"),
    [
        (None, None, "", None),
        ("a.wav", DONE, "", None),
        ("a.wav", PENDING, "", PENDING_REASON),
        ("a.wav", None, "", PENDING_REASON),
        ("a.wav", FAILED, "No speech was heard.", "No speech was heard."),
        ("a.wav", FAILED, "", "no reason recorded"),
    ],
)
def test_review_reason(
    audio: str | None, status: TranscriptStatus | None, error: str, expected: str | None
) -> None:
    reason = review_reason(audio, status, error)
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and expected in reason


def _result() -> EvaluationResult:
    return EvaluationResult(
        score=0.0,
        metrics=Metrics(0, 0, 0, 0),
        feedback="Too short.",
        criteria_covered=(),
        criteria_missed=("a",),
        needs_review=False,
        review_reasons=(),
        engine="offline-lexical",
        model="lexical",
        prompt_version="",
        rubric_hash="",
    )


def test_a_spoken_answer_not_heard_is_flagged_never_a_silent_zero() -> None:
    flagged = flag_for_listening(_result(), "spoken answer: not transcribed (x); listen to it")
    assert flagged.needs_review and flagged.score == 0.0
    assert flagged.review_reasons == ("spoken answer: not transcribed (x); listen to it",)
    assert "A person will listen" in flagged.feedback
    assert flag_for_listening(flagged, flagged.review_reasons[0]) == flagged  # not twice
    assert flag_for_listening(_result(), None) == _result()
