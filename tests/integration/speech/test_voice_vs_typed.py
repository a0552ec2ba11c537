"""A spoken answer and its typed twin score within 1 point: espeak-ng speaks each answer, the
real Whisper model transcribes it, and the shipped offline evaluator (sentence embeddings)
scores both texts against the same question."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.interviewer.ai.embedding import get_embedder
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.similarity import EmbeddingBackend
from core.interviewer.ai.types import AnswerInput, QuestionSpec
from core.interviewer.speech.whisper import FasterWhisperTranscriber
from tests.support.shared import shared_path
from tests.support.speech import speak

QUESTION = QuestionSpec(
    text="How would you plan a new feature with your team?",
    expected_answer="Find out what the users need, agree a small plan with the team, share it "
    "and check it with the users.",
    criteria=("asks what users need", "makes a plan", "shares the plan"),
)
ANSWERS = (
    "First I would ask the team what the users need, then I would write a small plan and "
    "share it.",
    "I would talk to a few users, write down what they need, and then plan the work with the "
    "team.",
    "I would start coding right away and see what happens.",  # a weak answer stays weak
)


@pytest.mark.parametrize("answer", ANSWERS)
def test_spoken_and_typed_score_within_one_point(answer: str, tmp_path: Path) -> None:
    whisper = FasterWhisperTranscriber(shared_path("models", "faster-whisper-tiny.en"))
    evaluator = OfflineEvaluator(
        EmbeddingBackend(get_embedder(str(shared_path("models", "all-MiniLM-L6-v2"))))
    )
    heard = whisper.transcribe(speak(answer, tmp_path / "answer.wav")).text
    typed = evaluator.evaluate(QUESTION, AnswerInput(answer)).score
    spoken = evaluator.evaluate(QUESTION, AnswerInput(heard)).score
    print(f"typed {typed:.2f} spoken {spoken:.2f}: {heard!r}")
    assert abs(typed - spoken) <= 1.0
