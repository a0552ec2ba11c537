"""Pure scoring rules: similarity signals in, a 0-10 score, metrics and review flags out.

Correctness is a logistic model over three signals (similarity to the best reference answer,
similarity to the question, weighted word recall of the reference). Its coefficients were fitted
on the SemEval-2013 Task 7 TRAIN splits only (``python bench/evaluator.py --calibrate``); the
test splits are never seen. Criterion coverage, length and structure rules are design constants,
checked by the table-driven unit tests.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.interviewer.ai.text_features import ShapeSignals
from core.interviewer.ai.types import CodeTestResult, Metrics, QuestionSpec

RUBRIC_VERSION = "rubric-v1"
OFFLINE_PROMPT_VERSION = "offline-v1"


@dataclass(frozen=True)
class Calibration:
    """Correctness model and coverage ramps for one similarity backend.

    ``bias`` and ``weights`` (in ``features.FEATURE_NAMES`` order) form the logistic model
    fitted on train; ``pass_probability`` is the train-tuned decision point (best macro-F1).
    The score maps that point to 5.0 and ``sharpness`` (a design constant) spreads the scale.
    """

    bias: float
    weights: tuple[float, ...]
    pass_probability: float
    sharpness: float
    cover_low: float  # criterion similarity that counts as not covered at all
    cover_high: float  # criterion similarity that counts as fully covered
    relevance_low: float
    relevance_high: float


# bias, weights and pass_probability: fitted on SemEval-2013 Task 7 train (Beetle +
# SciEntsBank) by ``bench/evaluator.py --calibrate``; the rest are design constants.
CALIBRATIONS: dict[str, Calibration] = {
    "embedding": Calibration(
        bias=-2.848,
        weights=(
            -0.139,
            -0.258,
            0.468,
            -0.086,
            1.562,
            1.027,
            0.141,
            0.385,
            0.439,
            1.394,
            -0.481,
            0.064,
        ),
        pass_probability=0.505,
        sharpness=2.0,
        cover_low=0.45,
        cover_high=0.8,
        relevance_low=0.15,
        relevance_high=0.6,
    ),
    "lexical": Calibration(
        bias=-2.674,
        weights=(
            -0.014,
            -0.308,
            0.47,
            0.543,
            -0.014,
            0.814,
            0.267,
            0.364,
            0.812,
            1.62,
            -0.629,
            0.249,
        ),
        pass_probability=0.47,
        sharpness=2.0,
        cover_low=0.2,
        cover_high=0.6,
        relevance_low=0.05,
        relevance_high=0.5,
    ),
}

PASS_SCORE = 5.0  # a score at or above this counts as a correct answer
CRITERIA_WEIGHT = 0.45  # share of the content score given to key-point coverage
CODE_TESTS_WEIGHT = 0.7  # coding: share of the score from the runner's tests
VERY_SHORT_WORDS = 5
DISAGREEMENT_POINTS = 3.5  # embedding vs lexical score gap that asks for a human


def clip01(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def ramp(value: float, low: float, high: float) -> float:
    """0 at or below ``low``, 1 at or above ``high``, linear between."""
    if high <= low:
        return 1.0 if value >= high else 0.0
    return clip01((value - low) / (high - low))


def correctness(cal: Calibration, features: Sequence[float]) -> float:
    """Correctness (0-1) from the feature vector; 0.5 is the train-tuned pass mark."""
    if len(features) != len(cal.weights):
        raise ValueError(f"expected {len(cal.weights)} features, got {len(features)}")
    z = cal.bias + sum(w * f for w, f in zip(cal.weights, features, strict=True))
    pass_logit = math.log(cal.pass_probability / (1 - cal.pass_probability))
    return 1.0 / (1.0 + math.exp(-cal.sharpness * (z - pass_logit)))


LEXICAL_COVER_LOW, LEXICAL_COVER_HIGH = 0.15, 0.6


def coverage(cal: Calibration, own: list[float], lexical: list[float]) -> list[float]:
    """Soft coverage (0-1) of each criterion.

    Embedding similarity alone is too generous between sentences on the same topic, so the
    embedding engine averages its ramp with the lexical one (exact terms must appear too).
    """
    lex = [ramp(s, LEXICAL_COVER_LOW, LEXICAL_COVER_HIGH) for s in lexical]
    if cal is CALIBRATIONS["lexical"]:
        return lex
    emb = [ramp(s, cal.cover_low, cal.cover_high) for s in own]
    return [0.5 * e + 0.5 * x for e, x in zip(emb, lex, strict=True)]


NARRATIVE_TYPES = frozenset({"behavioral", "hr"})
NARRATIVE_WORDS = 60  # a behavioral answer shorter than this cannot tell a full story


def narrative_content(
    cal: Calibration, question_similarity: float, covered: list[float], star: float
) -> float:
    """Behavioral and HR answers: on topic, rubric points, and a complete story (0-1).

    Their expected answers describe what a good answer contains rather than being one, so
    similarity to them is not a correctness signal; structure (STAR) is.
    """
    on_topic = ramp(question_similarity, cal.relevance_low / 3, cal.relevance_high * 0.6)
    points = sum(covered) / len(covered) if covered else on_topic
    return clip01(0.3 * on_topic + 0.3 * points + 0.4 * star)


def brevity_factor(words: int, reference_words: int) -> float:
    """1 for answers of reasonable length; shrinks for answers far shorter than needed."""
    needed = max(3.0, 0.2 * reference_words)
    return 0.6 + 0.4 * clip01(words / needed)


def content_score(correct: float, covered: list[float], brevity: float) -> float:
    """0-1: correctness, blended with key-point coverage when the question has criteria."""
    if covered:
        base = (1 - CRITERIA_WEIGHT) * correct + CRITERIA_WEIGHT * (sum(covered) / len(covered))
    else:
        base = correct
    return clip01(base * brevity)


def combine_with_tests(explanation: float, result: CodeTestResult) -> float:
    """Coding answers: the runner's tests dominate, the explanation adds the rest (0-1)."""
    return clip01(CODE_TESTS_WEIGHT * result.fraction() + (1 - CODE_TESTS_WEIGHT) * explanation)


def clarity_score(shape: ShapeSignals) -> float:
    """0-1 from form only: sentence length, repetition, structure."""
    if shape.words == 0:
        return 0.0
    avg = shape.avg_sentence_words
    if avg <= 30:
        sentence_part = 1.0
    elif avg >= 60:
        sentence_part = 0.5
    else:
        sentence_part = 1.0 - 0.5 * (avg - 30) / 30
    repetition = ramp(shape.distinct_ratio, 0.2, 0.45) if shape.words >= 20 else 1.0
    structure_bonus = 0.1 if (shape.list_items >= 2 or shape.has_code) else 0.0
    enough = ramp(shape.words, 2, 12)
    form = 0.55 * sentence_part + 0.35 * repetition + structure_bonus + 0.1
    return clip01(form * enough)


def build_metrics(
    *,
    cal: Calibration,
    correct: float,
    covered: list[float],
    relevance_similarity: float,
    shape: ShapeSignals,
    reference_words: int,
    tests_fraction: float | None,
) -> Metrics:
    depth_content = sum(covered) / len(covered) if covered else correct
    length_adequacy = clip01(shape.words / max(8.0, 0.8 * reference_words))
    accuracy = correct
    if tests_fraction is not None:
        accuracy = CODE_TESTS_WEIGHT * tests_fraction + (1 - CODE_TESTS_WEIGHT) * correct
    return Metrics(
        clarity=round(10 * clarity_score(shape), 2),
        relevance=round(10 * ramp(relevance_similarity, cal.relevance_low, cal.relevance_high), 2),
        depth=round(10 * clip01(0.7 * depth_content + 0.3 * length_adequacy), 2),
        technical_accuracy=round(10 * clip01(accuracy), 2),
    )


def score_band(score: float) -> str:
    if score >= 8:
        return "Strong answer"
    if score >= 5:
        return "Partly correct answer"
    if score > 0:
        return "Answer mostly misses what was asked"
    return "No usable answer"


def feedback_text(
    score: float, covered: tuple[str, ...], missed: tuple[str, ...], notes: list[str]
) -> str:
    """Feedback that names the criteria covered and missed."""
    parts = [f"{score_band(score)} ({score:.1f}/10)."]
    if covered:
        parts.append("Covered: " + "; ".join(covered) + ".")
    if missed:
        parts.append("Missed: " + "; ".join(missed) + ".")
    parts.extend(notes)
    return " ".join(parts)


def rubric_hash(question: QuestionSpec) -> str:
    """sha256 of everything an answer is judged against (64 hex characters)."""
    payload = {
        "version": RUBRIC_VERSION,
        "question": question.text.strip(),
        "expected": question.expected_answer.strip(),
        "references": [r.strip() for r in question.reference_answers],
        "criteria": [c.strip() for c in question.criteria],
        "type": str(question.question_type),
        "difficulty": str(question.difficulty),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()
