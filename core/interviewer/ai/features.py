"""The correctness model's feature vector, shared by both backends and the calibration.

One pure function builds it from the backend's similarities (answer to each reference, answer
to the question) plus lexical signals, so that ``bench/evaluator.py --calibrate`` fits exactly
what the engine computes. Length features are clipped to the range seen in calibration, so a
long interview answer cannot earn points for length alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from core.interviewer.ai.lexical import LexicalSimilarity, word_overlap
from core.interviewer.ai.text_features import content_stems, tokenize

FEATURE_NAMES: tuple[str, ...] = (
    "reference_best",  # backend similarity to the closest reference answer
    "question",  # backend similarity to the question
    "recall",  # weighted recall of the best reference's content words (question-demoted)
    "overlap_best",  # plain share of a reference's words in the answer (best reference)
    "lexical_cosine",  # weighted lexical cosine (best reference)
    "overlap_expected",  # plain word overlap with the expected answer itself
    "log_words",  # log(1 + answer words), clipped
    "length_ratio",  # answer words / closest reference's words, clipped
    "reference_expected",  # backend similarity to the expected answer itself
    "reference_mean",  # mean backend similarity over all references
    "negation_mismatch",  # 1 if exactly one of answer and closest reference is negated
    "precision",  # share of the answer's content words found in a reference (best)
)
MAX_LOG_WORDS = math.log1p(80)
MAX_LENGTH_RATIO = 3.0
_NEGATIONS = frozenset({"not", "no", "never", "nor", "cannot", "can't", "isn't", "doesn't",
                        "don't", "aren't", "won't", "wasn't", "didn't"})  # fmt: skip
_LEXICAL = LexicalSimilarity()


def _negated(text: str) -> bool:
    return bool(_NEGATIONS & set(tokenize(text)))


def _precision(answer: str, reference: str) -> float:
    words = set(content_stems(answer))
    if not words:
        return 0.0
    return len(words & set(content_stems(reference))) / len(words)


def feature_vector(
    question: str,
    references: Sequence[str],
    answer: str,
    reference_similarities: Sequence[float],
    question_similarity: float,
) -> tuple[float, ...]:
    """Features in FEATURE_NAMES order. ``references[0]`` is the expected answer."""
    if not references:
        return (0.0,) * len(FEATURE_NAMES)
    sims = [min(max(s, 0.0), 1.0) for s in reference_similarities]
    best = max(range(len(sims)), key=lambda i: sims[i])
    words = len(tokenize(answer))
    best_words = max(1, len(tokenize(references[best])))
    return (
        sims[best],
        min(max(question_similarity, 0.0), 1.0),
        max(_LEXICAL.recall(answer, r, question) for r in references),
        max(word_overlap(answer, r) for r in references),
        max(_LEXICAL.similarity(answer, r, question) for r in references),
        word_overlap(answer, references[0]),
        min(math.log1p(words), MAX_LOG_WORDS),
        min(words / best_words, MAX_LENGTH_RATIO),
        sims[0],
        sum(sims) / len(sims),
        float(_negated(answer) != _negated(references[best])),
        max(_precision(answer, r) for r in references),
    )
