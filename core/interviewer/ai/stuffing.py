"""Answers that game the scorer: a bare list of keywords, or the same words over and over.

Similarity scorers reward the expected answer's words, so a list of them can outscore a real
answer (a keyword list scored 9.8 against a good answer's 9.3). ``stuffing_reasons`` spots the
two shapes; ``guard_against_stuffing`` flags such an answer for review and halves its score, so
it never outscores a real one and a person decides (an override restores any score).

Measured on real answers (nothing flagged that should not be, except bare enumerations): of
the 16,003 SemEval-2013 student answers, 1 is flagged (labelled incorrect); of the 152 bank and
17 demo expected answers, none; of the shared question sets' reference answers, 0 of 103
(front end), 0 of 8 (system design) and 4 of 192 (data science: answers to "list the methods"
questions written as bare lists — a person sees the flag and can override the halved score).
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.interviewer.ai.text_features import STOPWORDS, sentences, tokenize
from core.interviewer.ai.types import EvaluationResult

MIN_WORDS_FOR_SENTENCES = 10
MIN_FUNCTION_WORD_SHARE = 0.10  # prose is about 40 %; terse technical prose 15 % or more
MIN_WORDS_FOR_REPETITION = 20
MIN_DISTINCT_SHARE = 0.20
MIN_REPEATED_SENTENCES = 2  # sentences that say an earlier one again, word for word
STUFFING_FACTOR = 0.5
_CODE_SYMBOLS = re.compile(r"[{}()\[\];=<>]")
CODE_SYMBOL_SHARE = 0.04  # code has one of these every few characters; prose and term lists do not


def _looks_like_code(text: str) -> bool:
    return "```" in text or len(_CODE_SYMBOLS.findall(text)) >= CODE_SYMBOL_SHARE * len(text)


def _repeated_sentences(text: str) -> int:
    """Sentences of 4+ words that say an earlier one again word for word, when they are a third
    or more of the answer (a heading or a code fence that comes back does not count)."""
    seen: set[str] = set()
    repeated = total = 0
    for sentence in sentences(text):
        words = tokenize(sentence)
        if len(words) < 4:
            continue
        total += 1
        key = " ".join(words)
        repeated += key in seen
        seen.add(key)
    return repeated if repeated * 3 >= total else 0


def stuffing_reasons(text: str) -> tuple[str, ...]:
    """Why ``text`` looks written for the scorer rather than the reader (empty: it does not).
    Code is not judged for sentences or word variety (it has neither by nature)."""
    tokens = tokenize(text)
    words = len(tokens)
    if not words:
        return ()
    reasons: list[str] = []
    repeated = _repeated_sentences(text)
    if repeated >= MIN_REPEATED_SENTENCES:
        reasons.append(f"heavy repetition: {repeated} sentences say an earlier one again")
    if _looks_like_code(text):
        return tuple(reasons)
    function_share = sum(t in STOPWORDS for t in tokens) / words
    if words >= MIN_WORDS_FOR_SENTENCES and function_share < MIN_FUNCTION_WORD_SHARE:
        reasons.append(f"no sentences: a list of {words} words reads as keywords")
    distinct = len(set(tokens)) / words
    if not reasons and words >= MIN_WORDS_FOR_REPETITION and distinct < MIN_DISTINCT_SHARE:
        reasons.append(f"heavy repetition: {distinct:.0%} of the words are distinct")
    return tuple(reasons)


def guard_against_stuffing(result: EvaluationResult, text: str) -> EvaluationResult:
    """``result`` for an answer whose text is ``text``: flagged and halved if stuffed."""
    reasons = stuffing_reasons(text)
    if not reasons:
        return result
    return replace(
        result,
        score=round(result.score * STUFFING_FACTOR, 2),
        needs_review=True,
        review_reasons=(*result.review_reasons, *reasons),
        feedback=result.feedback
        + "\nWrite your answer in sentences: a list of terms does not show understanding.",
        signals={**result.signals, "stuffing": 1.0},
    )
