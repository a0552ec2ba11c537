"""What a dashboard is asked for: filters, the pass threshold and the question-flag thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.domain import Difficulty, InterviewType


class AnalyticsInputError(ValueError):
    """A filter or threshold is not acceptable; the message says which and why."""


@dataclass(frozen=True)
class AnalyticsFilters:
    """Applies to every chart. Dates are inclusive and compare with the interview's date
    (scheduled time, else start, else creation), in UTC. Empty tuples mean "all"."""

    date_from: date | None = None
    date_to: date | None = None
    job_ids: tuple[int, ...] = ()
    template_ids: tuple[int, ...] = ()
    interview_types: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise AnalyticsInputError("The start date is after the end date.")
        known_types = {t.value for t in InterviewType}
        if bad := set(self.interview_types) - known_types:
            raise AnalyticsInputError(f"Unknown interview type: {', '.join(sorted(bad))}")
        if bad := set(self.difficulties) - {d.value for d in Difficulty}:
            raise AnalyticsInputError(f"Unknown difficulty: {', '.join(sorted(bad))}")

    def where(self) -> tuple[str, list[Any]]:
        """A parameterized SQL condition on ``interviews`` (alias ``i``) and its parameters."""
        parts = ["NOT i.is_practice"]
        params: list[Any] = []
        day = "CAST(coalesce(i.scheduled_at, i.started_at, i.created_at) AS DATE)"
        if self.date_from:
            parts.append(f"{day} >= ?")
            params.append(self.date_from)
        if self.date_to:
            parts.append(f"{day} <= ?")
            params.append(self.date_to)
        for column, values in (
            ("i.job_id", self.job_ids),
            ("i.template_id", self.template_ids),
            ("i.interview_type", self.interview_types),
            ("i.difficulty", self.difficulties),
        ):
            if values:
                parts.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        return " AND ".join(parts), params


@dataclass(frozen=True)
class QuestionThresholds:
    """When a question is flagged (scores are 0-10; see docs/analytics.md)."""

    too_easy_mean: float = 8.5
    too_hard_mean: float = 3.0
    min_discrimination: float = 0.2  # item-rest correlation
    min_answers: int = 20


@dataclass(frozen=True)
class DashboardRequest:
    filters: AnalyticsFilters = field(default_factory=AnalyticsFilters)
    pass_threshold: float = 60.0  # percent
    questions: QuestionThresholds = field(default_factory=QuestionThresholds)

    def __post_init__(self) -> None:
        if not 0 <= self.pass_threshold <= 100:
            raise AnalyticsInputError("The pass threshold must be between 0 and 100%.")
