"""Overall feedback for a completed interview, grounded in the per-question results.

Every strength and weakness cites its question ("Q2: ..."). Totals use a human override where
one exists; the AI's own totals are kept beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.interviewer.ai.types import METRIC_NAMES

STRENGTH_SCORE = 7.0
WEAKNESS_SCORE = 5.0
MAX_PER_QUESTION = 10.0


@dataclass(frozen=True)
class QuestionOutcome:
    order: int  # 1-based position shown to people as "Q<order>"
    question_text: str
    answered: bool
    ai_score: float | None
    override_score: float | None = None
    criteria_covered: tuple[str, ...] = ()
    criteria_missed: tuple[str, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict)
    needs_review: bool = False
    engine: str = ""

    @property
    def effective_score(self) -> float:
        if self.override_score is not None:
            return self.override_score
        return self.ai_score or 0.0


@dataclass(frozen=True)
class OverallFeedback:
    total_score: float
    max_score: float
    percentage: float
    overall_score: float  # 0-10
    ai_total_score: float
    overall_feedback: str
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    recommendations: tuple[str, ...]
    traits: dict[str, float]
    needs_review: bool
    details: tuple[dict[str, object], ...]


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _band(percentage: float) -> str:
    if percentage >= 80:
        return "a strong performance"
    if percentage >= 60:
        return "a solid performance with some gaps"
    if percentage >= 40:
        return "a mixed performance"
    return "a weak performance"


def aggregate(outcomes: list[QuestionOutcome]) -> OverallFeedback:
    """Pure: the same outcomes always give the same feedback."""
    ordered = sorted(outcomes, key=lambda o: o.order)
    count = len(ordered)
    total = round(sum(o.effective_score for o in ordered), 2)
    ai_total = round(sum(o.ai_score or 0.0 for o in ordered), 2)
    max_score = MAX_PER_QUESTION * count
    percentage = round(100 * total / max_score, 1) if max_score else 0.0
    strengths: list[str] = []
    weaknesses: list[str] = []
    recommendations: list[str] = []
    for o in ordered:
        tag, score = f"Q{o.order}", o.effective_score
        if not o.answered:
            weaknesses.append(f"{tag}: not answered ({_short(o.question_text)})")
            continue
        if score >= STRENGTH_SCORE:
            what = "; ".join(o.criteria_covered[:3]) or _short(o.question_text)
            strengths.append(f"{tag}: {score:.1f}/10 — covered {what}")
        elif score < WEAKNESS_SCORE:
            what = "; ".join(o.criteria_missed[:3]) or "the key points of the question"
            weaknesses.append(f"{tag}: {score:.1f}/10 — missed {what}")
        for missed in o.criteria_missed[:2]:
            recommendations.append(f"{tag}: review {missed}")
    answered = [o for o in ordered if o.answered]
    traits = (
        {
            name: round(sum(float(o.metrics.get(name, 0.0)) for o in answered) / len(answered), 2)
            for name in METRIC_NAMES
        }
        if answered
        else {name: 0.0 for name in METRIC_NAMES}
    )
    traits["completion"] = round(10 * len(answered) / count, 2) if count else 0.0
    overall_score = round(total / count, 2) if count else 0.0
    review = any(o.needs_review and o.override_score is None for o in ordered)
    summary = [
        f"{len(answered)} of {count} questions answered; total {total:.1f}/{max_score:.0f} "
        f"({percentage:.0f}%), {_band(percentage)}."
    ]
    if strengths:
        summary.append(f"Strongest: {strengths[0]}.")
    if weaknesses:
        summary.append(f"Weakest: {weaknesses[0]}.")
    if any(o.override_score is not None for o in ordered):
        summary.append(f"Includes human overrides (AI total {ai_total:.1f}).")
    if review:
        summary.append("Some scores are flagged for human review.")
    details: tuple[dict[str, object], ...] = tuple(
        {
            "order": o.order,
            "question": o.question_text,
            "answered": o.answered,
            "ai_score": o.ai_score,
            "override_score": o.override_score,
            "effective_score": o.effective_score,
            "criteria_covered": list(o.criteria_covered),
            "criteria_missed": list(o.criteria_missed),
            "needs_review": o.needs_review,
            "engine": o.engine,
        }
        for o in ordered
    )
    return OverallFeedback(
        total_score=total,
        max_score=max_score,
        percentage=percentage,
        overall_score=overall_score,
        ai_total_score=ai_total,
        overall_feedback=" ".join(summary),
        strengths=tuple(strengths),
        weaknesses=tuple(weaknesses),
        recommendations=tuple(dict.fromkeys(recommendations))[:8],
        traits=traits,
        needs_review=review,
        details=details,
    )
