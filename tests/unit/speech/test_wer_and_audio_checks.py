"""Word error rate and the audio checks, on synthetic samples (pure, table-driven)."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import load_settings
from core.interviewer.speech.audio import MAX_TRANSCRIBE_SECONDS, check
from core.interviewer.speech.factory import build_transcriber
from core.interviewer.speech.types import (
    SAMPLE_RATE,
    AudioTooLong,
    AudioTooShort,
    NoSpeech,
    TranscriberUnavailable,
)
from core.interviewer.speech.wer import word_error_rate, words


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("Ask not what your country can do", "ask not what your country can do", 0.0),
        ("Ask not, what your country can do!", "Ask not what your country can do.", 0.0),
        ("one two three four", "one two four", 0.25),  # a deletion
        ("one two three four", "one two three four five", 0.25),  # an insertion
        ("one two three four", "one too three for", 0.5),  # two substitutions
        ("", "", 0.0),
        ("", "noise", 1.0),
        ("hello", "", 1.0),
    ],
)
def test_word_error_rate(reference: str, hypothesis: str, expected: float) -> None:
    assert word_error_rate(reference, hypothesis) == pytest.approx(expected)


def test_words_keep_contractions_and_numbers() -> None:
    assert words("Don't use O(n^2), use 2 passes.") == [
        "don't",
        "use",
        "o",
        "n",
        "2",
        "use",
        "2",
        "passes",
    ]


def _tone(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


@pytest.mark.parametrize(
    ("audio", "error"),
    [
        (_tone(0.3, 0.3), AudioTooShort),
        (np.zeros(10 * SAMPLE_RATE, np.float32), NoSpeech),
        (_tone(10, 0.0005), NoSpeech),  # a muted microphone's hiss
        (np.full((MAX_TRANSCRIBE_SECONDS + 1) * SAMPLE_RATE, 0.1, np.float32), AudioTooLong),
    ],
)
def test_audio_that_cannot_be_transcribed_is_refused(audio: np.ndarray, error: type) -> None:
    with pytest.raises(error) as caught:
        check(audio)
    assert str(caught.value).endswith(".")  # a sentence for the candidate


@pytest.mark.parametrize("seconds", [0.5, 1.0, 60.0])
def test_short_and_normal_audio_passes(seconds: float) -> None:
    audio = _tone(seconds, 0.2)
    assert check(audio) is audio


def test_no_model_in_the_models_dir_means_an_unavailable_transcriber(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(data_dir=tmp_path, models_dir=str(tmp_path / "none"))
    transcriber = build_transcriber(settings)
    assert not transcriber.available and transcriber.name == ""
    with pytest.raises(TranscriberUnavailable, match="No speech model is installed"):
        transcriber.transcribe(tmp_path / "x.wav")
