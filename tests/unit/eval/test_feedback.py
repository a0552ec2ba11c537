"""Overall feedback: grounded in per-question results, overrides used for totals."""

from __future__ import annotations

from core.interviewer.ai.feedback import QuestionOutcome, aggregate

METRICS = {"clarity": 8.0, "relevance": 9.0, "depth": 6.0, "technical_accuracy": 7.0}


def _outcomes() -> list[QuestionOutcome]:
    return [
        QuestionOutcome(1, "Explain closures", True, 8.5, None, ("captures scope",), (), METRICS),
        QuestionOutcome(
            2,
            "Explain the event loop",
            True,
            3.0,
            None,
            (),
            ("microtasks run first", "long tasks block"),
            METRICS,
            needs_review=True,
        ),
        QuestionOutcome(3, "Design a cache", False, None),
        QuestionOutcome(
            4, "Explain indexes", True, 4.0, 6.0, ("B-tree",), ("write cost",), METRICS
        ),
    ]


def test_totals_use_overrides_and_keep_ai_totals() -> None:
    fb = aggregate(_outcomes())
    assert fb.total_score == 8.5 + 3.0 + 0.0 + 6.0
    assert fb.ai_total_score == 8.5 + 3.0 + 0.0 + 4.0
    assert fb.max_score == 40.0
    assert fb.percentage == round(100 * 17.5 / 40, 1)
    assert fb.overall_score == round(17.5 / 4, 2)
    assert "AI total 15.5" in fb.overall_feedback


def test_strengths_and_weaknesses_cite_their_questions() -> None:
    fb = aggregate(_outcomes())
    assert fb.strengths == ("Q1: 8.5/10 — covered captures scope",)
    assert fb.weaknesses[0] == "Q2: 3.0/10 — missed microtasks run first; long tasks block"
    assert fb.weaknesses[1].startswith("Q3: not answered")
    assert all(item.startswith("Q") for item in fb.strengths + fb.weaknesses + fb.recommendations)
    assert "Q2: review microtasks run first" in fb.recommendations


def test_traits_and_review_flag() -> None:
    fb = aggregate(_outcomes())
    assert fb.traits["clarity"] == 8.0
    assert fb.traits["completion"] == 7.5
    assert fb.needs_review is True  # Q2 flagged and not overridden
    assert [d["order"] for d in fb.details] == [1, 2, 3, 4]


def test_same_input_same_feedback_and_empty_interview() -> None:
    assert aggregate(_outcomes()) == aggregate(list(reversed(_outcomes())))
    empty = aggregate([])
    assert (empty.total_score, empty.max_score, empty.percentage) == (0.0, 0.0, 0.0)
