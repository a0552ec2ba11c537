"""Lexical similarity used when no embedding model is available, and a plain baseline.

``LexicalSimilarity`` is our own weighted overlap: stemmed content words, stop words dropped,
words that already appear in the question demoted (candidates echo the question), and an
IDF-like weight estimated from the texts of the question at hand. ``word_overlap`` is the plain
baseline the benchmark compares against.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from core.interviewer.ai.text_features import content_stems, tokenize

QUESTION_WORD_WEIGHT = 0.35


def word_overlap(answer: str, reference: str) -> float:
    """Plain baseline: share of the reference's distinct words found in the answer (0-1)."""
    ref = set(tokenize(reference))
    if not ref:
        return 0.0
    return len(ref & set(tokenize(answer))) / len(ref)


class LexicalSimilarity:
    """Similarity between texts from stemmed, question-demoted, weighted word overlap.

    Pure and thread-safe (no state). All scores are in 0-1.
    """

    name = "lexical-v1"

    def _weights(self, reference: Sequence[str], question: str) -> dict[str, float]:
        question_words = set(content_stems(question))
        counts = Counter(reference)
        weights: dict[str, float] = {}
        for word, count in counts.items():
            # Rarer within the reference text: a little more informative; longer words too.
            base = 1.0 + 0.25 * math.log1p(len(word)) - 0.1 * math.log(count)
            weights[word] = base * (QUESTION_WORD_WEIGHT if word in question_words else 1.0)
        return weights

    def recall(self, answer: str, reference: str, question: str = "") -> float:
        """Weighted share of the reference's content words present in the answer."""
        ref_words = content_stems(reference)
        if not ref_words:
            return 0.0
        answer_words = set(content_stems(answer))
        weights = self._weights(ref_words, question)
        total = sum(weights.values())
        found = sum(w for word, w in weights.items() if word in answer_words)
        return found / total if total else 0.0

    def similarity(self, answer: str, reference: str, question: str = "") -> float:
        """Weighted cosine between bags of content stems (question words demoted)."""
        a = Counter(content_stems(answer))
        r = Counter(content_stems(reference))
        if not a or not r:
            return 0.0
        q = set(content_stems(question))

        def weight(word: str) -> float:
            return QUESTION_WORD_WEIGHT if word in q else 1.0

        dot = sum(a[w] * r[w] * weight(w) ** 2 for w in a.keys() & r.keys())
        na = math.sqrt(sum((c * weight(w)) ** 2 for w, c in a.items()))
        nr = math.sqrt(sum((c * weight(w)) ** 2 for w, c in r.items()))
        return dot / (na * nr) if na and nr else 0.0

    def best_match(self, answer_parts: Sequence[str], target: str, question: str = "") -> float:
        """How well the best part of an answer (or the whole) covers one key point."""
        whole = " ".join(answer_parts)
        scores = [self.recall(whole, target, question)]
        scores.extend(self.similarity(p, target, question) for p in answer_parts)
        return max(scores) if scores else 0.0
