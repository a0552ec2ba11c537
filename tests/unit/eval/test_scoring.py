"""Table-driven tests of the pure scoring rules."""

from __future__ import annotations

import pytest

from core.domain import Difficulty, QuestionType
from core.interviewer.ai import scoring
from core.interviewer.ai.text_features import shape_signals
from core.interviewer.ai.types import CodeTestResult, QuestionSpec

EMB = scoring.CALIBRATIONS["embedding"]
LEX = scoring.CALIBRATIONS["lexical"]


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (0.0, 0.2, 0.6, 0.0),
        (0.2, 0.2, 0.6, 0.0),
        (0.4, 0.2, 0.6, 0.5),
        (0.6, 0.2, 0.6, 1.0),
        (0.9, 0.2, 0.6, 1.0),
        (0.5, 0.5, 0.5, 1.0),
        (0.4, 0.5, 0.5, 0.0),
    ],
)
def test_ramp(value: float, low: float, high: float, expected: float) -> None:
    assert scoring.ramp(value, low, high) == pytest.approx(expected)


def _features(reference: float, question: float, lexical: float) -> tuple[float, ...]:
    """A feature vector (FEATURE_NAMES order) with similarities set from three levels."""
    return (reference, question, lexical, lexical, lexical, lexical, 2.5, 1.0,
            reference, reference, 0.0, lexical)  # fmt: skip


@pytest.mark.parametrize("cal", [EMB, LEX])
@pytest.mark.parametrize(
    ("weaker", "stronger"),
    [
        ((0.2, 0.2, 0.0), (0.9, 0.5, 0.8)),
        ((0.5, 0.5, 0.3), (0.5, 0.5, 0.7)),
        ((0.3, 0.4, 0.5), (0.9, 0.4, 0.5)),
    ],
)
def test_correctness_grows_with_similarity(
    cal: scoring.Calibration, weaker: tuple[float, float, float], stronger: tuple[float, ...]
) -> None:
    low = scoring.correctness(cal, _features(*weaker))
    high = scoring.correctness(cal, _features(*stronger))  # type: ignore[arg-type]
    assert low < high


@pytest.mark.parametrize("cal", [EMB, LEX])
def test_correctness_is_a_probability_with_pass_mark_at_half(cal: scoring.Calibration) -> None:
    for levels in [(0, 0, 0), (1, 1, 1), (0.5, 0.2, 0.4)]:
        assert 0.0 < scoring.correctness(cal, _features(*levels)) < 1.0
    assert scoring.correctness(cal, _features(1, 0.5, 1)) > 0.9  # a full match nears 10/10
    assert scoring.correctness(cal, _features(0.05, 0.05, 0)) < 0.1  # nothing in common
    with pytest.raises(ValueError, match="features"):
        scoring.correctness(cal, (0.5, 0.5))


@pytest.mark.parametrize(
    ("own", "lexical", "expected"),
    [
        ([0.9], [0.9], [1.0]),
        ([0.2], [0.0], [0.0]),
        ([0.9], [0.0], [0.5]),  # topic-level embedding match alone is only half coverage
        ([0.625], [0.375], [0.5]),
    ],
)
def test_embedding_coverage_blends_with_lexical(
    own: list[float], lexical: list[float], expected: list[float]
) -> None:
    assert scoring.coverage(EMB, own, lexical) == pytest.approx(expected)


def test_lexical_coverage_uses_lexical_only() -> None:
    assert scoring.coverage(LEX, [0.9, 0.9], [0.0, 0.6]) == pytest.approx([0.0, 1.0])


@pytest.mark.parametrize(
    ("correct", "covered", "brevity", "expected"),
    [
        (1.0, [], 1.0, 1.0),
        (0.5, [], 1.0, 0.5),
        (1.0, [0.0, 0.0], 1.0, 1 - scoring.CRITERIA_WEIGHT),
        (0.0, [1.0, 1.0], 1.0, scoring.CRITERIA_WEIGHT),
        (1.0, [1.0], 0.6, 0.6),
    ],
)
def test_content_score(correct: float, covered: list[float], brevity: float, expected: float):
    assert scoring.content_score(correct, covered, brevity) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("words", "reference_words", "expected"),
    [(0, 10, 0.6), (3, 10, 1.0), (10, 100, 0.8), (20, 100, 1.0), (1, 0, 0.6 + 0.4 / 3)],
)
def test_brevity_factor(words: int, reference_words: int, expected: float) -> None:
    assert scoring.brevity_factor(words, reference_words) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("passed", "total", "runner_score", "explanation", "expected"),
    [
        (10, 10, None, 1.0, 1.0),
        (10, 10, None, 0.0, scoring.CODE_TESTS_WEIGHT),
        (0, 10, None, 1.0, 1 - scoring.CODE_TESTS_WEIGHT),
        (5, 10, None, 0.5, 0.5),
        (0, 0, None, 0.0, 0.0),  # no tests ran: nothing earned from tests
        (3, 10, 10.0, 0.0, scoring.CODE_TESTS_WEIGHT),  # the runner's own score wins
    ],
)
def test_coding_combines_tests_and_explanation(
    passed: int, total: int, runner_score: float | None, explanation: float, expected: float
) -> None:
    result = CodeTestResult(passed=passed, total=total, score=runner_score)
    assert scoring.combine_with_tests(explanation, result) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("", 0.0, 0.0),
        ("Yes.", 0.0, 0.3),
        ("A list is mutable. A tuple is immutable and can be a dictionary key.", 0.8, 1.0),
        ("word " * 80, 0.0, 0.5),  # one endless repetitive sentence
    ],
)
def test_clarity(text: str, low: float, high: float) -> None:
    assert low <= scoring.clarity_score(shape_signals(text)) <= high


def test_rubric_hash_is_stable_and_tracks_the_rubric() -> None:
    base = QuestionSpec(text="Q?", expected_answer="A.", criteria=("one", "two"))
    same = QuestionSpec(text="Q? ", expected_answer="A.", criteria=("one", "two"))
    changed = [
        QuestionSpec(text="Q?", expected_answer="A!", criteria=("one", "two")),
        QuestionSpec(text="Q?", expected_answer="A.", criteria=("one",)),
        QuestionSpec(
            text="Q?", expected_answer="A.", criteria=("one", "two"), difficulty=Difficulty.HARD
        ),
        QuestionSpec(
            text="Q?",
            expected_answer="A.",
            criteria=("one", "two"),
            question_type=QuestionType.CODING,
        ),
    ]
    assert scoring.rubric_hash(base) == scoring.rubric_hash(same)
    assert len(scoring.rubric_hash(base)) == 64
    assert all(scoring.rubric_hash(c) != scoring.rubric_hash(base) for c in changed)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (9.0, "Strong answer"),
        (6.0, "Partly correct answer"),
        (2.0, "mostly misses"),
        (0.0, "No usable answer"),
    ],
)
def test_feedback_names_band_and_criteria(score: float, band: str) -> None:
    text = scoring.feedback_text(score, ("covered point",), ("missed point",), [])
    assert band in text
    assert "Covered: covered point." in text
    assert "Missed: missed point." in text
