"""The offline engine: a real evaluator with no network, from similarities and text signals."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.interviewer.ai import scoring
from core.interviewer.ai.embedding import EmbeddingModelUnavailable
from core.interviewer.ai.injection import injection_suspected
from core.interviewer.ai.similarity import LexicalBackend, SimilarityBackend, SimilaritySignals
from core.interviewer.ai.text_features import shape_signals, star_signal, tokenize
from core.interviewer.ai.types import AnswerInput, EvaluationResult, Metrics, QuestionSpec

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Scored:
    score: float
    correct: float
    covered: list[float]
    signals: SimilaritySignals


def _references(question: QuestionSpec) -> tuple[str, ...]:
    refs = question.all_references
    if refs:
        return refs
    return (" ".join(question.criteria),) if question.criteria else (question.text,)


class OfflineEvaluator:
    """Scores answers with an embedding backend (or lexical), cross-checked by lexical.

    Deterministic: the same question and answer always give the same result. Thread-safe.
    """

    def __init__(self, backend: SimilarityBackend, *, cross_check: bool = True) -> None:
        self._backend = backend
        self._lexical = LexicalBackend()
        self._cross_check = cross_check and backend.kind != "lexical"

    @property
    def name(self) -> str:
        return f"offline-{self._backend.kind}"

    @property
    def model(self) -> str:
        return self._backend.model_name

    def _score(
        self, backend: SimilarityBackend, question: QuestionSpec, text: str, ref_words: int
    ) -> _Scored:
        cal = scoring.CALIBRATIONS[backend.kind]
        sig = backend.signals(question.text, _references(question), question.criteria, text)
        covered = scoring.coverage(cal, list(sig.criteria), list(sig.criteria_lexical))
        words = len(tokenize(text))
        if str(question.question_type) in scoring.NARRATIVE_TYPES:
            star = star_signal(text)
            content = scoring.narrative_content(cal, sig.question, covered, star)
            brevity = scoring.brevity_factor(words, scoring.NARRATIVE_WORDS * 5)
            return _Scored(10 * scoring.clip01(content * brevity), content, covered, sig)
        correct = scoring.correctness(cal, sig.features)
        brevity = scoring.brevity_factor(words, ref_words)
        return _Scored(10 * scoring.content_score(correct, covered, brevity), correct, covered, sig)

    def evaluate(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult:
        try:
            return self._evaluate(question, answer)
        except EmbeddingModelUnavailable as exc:
            logger.error("embedding model failed to load; scoring lexically from now on: %s", exc)
            self._backend = self._lexical
            self._cross_check = False
            return self._evaluate(question, answer)

    def _evaluate(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult:
        text = answer.text.strip()
        judged = "\n".join(p for p in (text, answer.code.strip()) if p)
        shape = shape_signals(text)
        ref_words = max((len(tokenize(r)) for r in _references(question)), default=0)
        reasons: list[str] = []
        notes: list[str] = []
        if not judged:
            return self._empty(question, answer)
        main = self._score(self._backend, question, judged, ref_words)
        cal = scoring.CALIBRATIONS[self._backend.kind]
        score = main.score
        signals = {
            "reference_similarity": round(main.signals.reference, 4),
            "question_similarity": round(main.signals.question, 4),
            "reference_recall": round(main.signals.recall, 4),
            "correctness": round(main.correct, 4),
            "words": float(shape.words),
        }
        tests_fraction: float | None = None
        if answer.code_result is not None:
            tests_fraction = answer.code_result.fraction()
            explanation = self._score(self._backend, question, text, ref_words).score if text else 0
            score = 10 * scoring.combine_with_tests(explanation / 10, answer.code_result)
            signals["tests_fraction"] = round(tests_fraction, 4)
            notes.append(f"Tests passed: {answer.code_result.passed}/{answer.code_result.total}.")
        elif answer.code.strip() and question.question_type == "coding":
            reasons.append("code was not run: the score reflects the text only")
        if self._cross_check:
            lexical = self._score(self._lexical, question, judged, ref_words).score
            signals["lexical_score"] = round(lexical, 2)
            gap = abs(lexical - main.score)
            if answer.code_result is None and gap > scoring.DISAGREEMENT_POINTS:
                reasons.append("embedding and lexical engines disagree")
        if 0 < shape.words < scoring.VERY_SHORT_WORDS and not answer.code.strip():
            reasons.append(f"very short answer ({shape.words} words)")
            notes.append("The answer is very short; explain your reasoning.")
        if injection_suspected(text):
            reasons.append("the answer contains text addressed to the grader")
        pairs = list(zip(question.criteria, main.covered, strict=True))
        covered_names = tuple(c for c, v in pairs if v >= 0.5)
        missed_names = tuple(c for c, v in pairs if v < 0.5)
        score = round(scoring.clip01(score / 10) * 10, 2)
        metrics = scoring.build_metrics(
            cal=cal,
            correct=main.correct,
            covered=main.covered,
            relevance_similarity=max(main.signals.reference, main.signals.question),
            shape=shape,
            reference_words=ref_words,
            tests_fraction=tests_fraction,
        )
        return EvaluationResult(
            score=score,
            metrics=metrics,
            feedback=scoring.feedback_text(score, covered_names, missed_names, notes),
            criteria_covered=covered_names,
            criteria_missed=missed_names,
            needs_review=bool(reasons),
            review_reasons=tuple(reasons),
            engine=self.name,
            model=self.model,
            prompt_version=scoring.OFFLINE_PROMPT_VERSION,
            rubric_hash=scoring.rubric_hash(question),
            signals=signals,
        )

    def _empty(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult:
        zero = Metrics(clarity=0.0, relevance=0.0, depth=0.0, technical_accuracy=0.0)
        return EvaluationResult(
            score=0.0,
            metrics=zero,
            feedback=scoring.feedback_text(0.0, (), question.criteria, ["No answer was given."]),
            criteria_covered=(),
            criteria_missed=question.criteria,
            needs_review=False,
            review_reasons=(),
            engine=self.name,
            model=self.model,
            prompt_version=scoring.OFFLINE_PROMPT_VERSION,
            rubric_hash=scoring.rubric_hash(question),
            signals={"words": 0.0},
        )
