"""What the evaluator scores for an answer that was spoken, and when a person must listen.

Pure functions over a response's stored fields; ``core.interviewer.evaluation`` calls them.
A spoken answer is scored like typed text once it is transcribed: the typed text and the
transcript together (either may be empty). A recording that could not be transcribed, or was
still being transcribed when the answer was scored, flags the answer for review with the reason,
so it is never a silent 0.
"""

from __future__ import annotations

from dataclasses import replace

from core.domain import TranscriptStatus
from core.interviewer.ai.types import EvaluationResult

PENDING_REASON = "spoken answer: still being transcribed when scored; listen to the recording"


def scored_text(typed: str, audio_path: str | None, status: str | None, transcript: str) -> str:
    """The text the evaluator reads: typed text, then what was heard (if any)."""
    heard = transcript.strip() if audio_path and status == TranscriptStatus.DONE else ""
    typed = typed.strip()
    if typed and heard:
        return f"{typed}\n\n{heard}"
    return typed or heard


def review_reason(audio_path: str | None, status: str | None, error: str) -> str | None:
    """Why a person must listen to this answer's recording (None: nothing to add)."""
    if not audio_path:
        return None
    if status == TranscriptStatus.FAILED:
        return f"spoken answer: not transcribed ({error or 'no reason recorded'}); listen to it"
    if status != TranscriptStatus.DONE:
        return PENDING_REASON
    return None


def flag_for_listening(result: EvaluationResult, reason: str | None) -> EvaluationResult:
    """``result`` flagged for review with ``reason`` (unchanged when there is none)."""
    if reason is None or reason in result.review_reasons:
        return result
    return replace(
        result,
        needs_review=True,
        review_reasons=(*result.review_reasons, reason),
        feedback=f"{result.feedback}\n\nA person will listen to the spoken answer: {reason}."
        if result.feedback
        else f"A person will listen to the spoken answer: {reason}.",
    )
