"""Synthetic interview data, drawn with numpy (column-wise, vectorized). No database here.

Distributions (also printed by ``python -m core synth --help``):
- 12 jobs, 20 templates (6-9 questions each, drawn from a 160-question bank), one candidate
  per 3 interviews; templates are picked with Zipf-like weights (a few are popular).
- Interviews scheduled uniformly over the last 365 days and the next 14. Past ones: 72%
  completed, 10% no-shows (never started, status expired), 8% cancelled, 10% abandoned
  (started, never completed, status expired). Future ones stay scheduled.
- Duration of a completed interview ~ LogNormal(median 35 min, sigma 0.35).
- Item response model: candidate ability ~ N(0, 1); question difficulty ~ N(0, 0.7) shifted
  by its level (easy -0.8, hard +0.8); discrimination ~ U(0.1, 2.0). A response's score is
  10 x Beta(1 + 8p, 1 + 8(1 - p)) with p = sigmoid(discrimination x (ability - difficulty)),
  rounded to 0.1. 3% of answers are skipped (no score). 4% of scores get a human override
  (score + N(0, 1.5), clipped to 0-10); 5% of the others are flagged for review.
- Completed interviews: 60% get a decision (advance 30%, reject 50%, hold 20%) 1-7 days later;
  10% are flagged for review; 15% get a review comment.
- Proctoring events per started interview ~ Poisson(rate x propensity), propensity ~
  Gamma(shape 1.5, mean 1); rates per interview: no_person 3.5, multiple_people 1.0, phone 1.5,
  book 0.8, laptop 0.7, camera_covered 0.5, camera_lost 1.0, could_not_tell 4.0 (about 13).
- Coding questions: Runs ~ Poisson(1.5), then Submits until accepted (each accepted with
  probability 0.25 + 0.5p) up to 6; 8 hidden tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.domain import CodingLanguage, Difficulty, InterviewType, ProctorEventKind, Severity

DAY = 86_400.0
BANK_SIZE = 160
N_JOBS = 12
N_TEMPLATES = 20
OUTCOMES = ("completed", "no_show", "cancelled", "abandoned")
OUTCOME_SHARES = (0.72, 0.10, 0.08, 0.10)
EVENT_RATES: dict[ProctorEventKind, float] = {
    ProctorEventKind.NO_PERSON: 3.5,
    ProctorEventKind.MULTIPLE_PEOPLE: 1.0,
    ProctorEventKind.PHONE: 1.5,
    ProctorEventKind.BOOK: 0.8,
    ProctorEventKind.LAPTOP: 0.7,
    ProctorEventKind.CAMERA_COVERED: 0.5,
    ProctorEventKind.CAMERA_LOST: 1.0,
    ProctorEventKind.COULD_NOT_TELL: 4.0,
}
EVENT_SEVERITY: dict[ProctorEventKind, Severity] = {
    ProctorEventKind.NO_PERSON: Severity.WARNING,
    ProctorEventKind.MULTIPLE_PEOPLE: Severity.CRITICAL,
    ProctorEventKind.PHONE: Severity.CRITICAL,
    ProctorEventKind.BOOK: Severity.WARNING,
    ProctorEventKind.LAPTOP: Severity.WARNING,
    ProctorEventKind.CAMERA_COVERED: Severity.CRITICAL,
    ProctorEventKind.CAMERA_LOST: Severity.INFO,
    ProctorEventKind.COULD_NOT_TELL: Severity.INFO,
}
TYPES = list(InterviewType)
LEVELS = list(Difficulty)
LEVEL_SHIFT = {Difficulty.EASY: -0.8, Difficulty.MEDIUM: 0.0, Difficulty.HARD: 0.8}
LANGUAGES = [c for c in CodingLanguage]


@dataclass(frozen=True)
class Bank:
    question_type: np.ndarray  # index into TYPES (CODING questions are type "coding")
    level: np.ndarray  # index into LEVELS
    difficulty: np.ndarray
    discrimination: np.ndarray


@dataclass(frozen=True)
class Catalog:
    bank: Bank
    job_language: np.ndarray  # index into LANGUAGES
    template_type: np.ndarray
    template_level: np.ndarray
    template_questions: list[np.ndarray]  # bank indices per template, in order
    template_weight: np.ndarray


def make_catalog(rng: np.random.Generator) -> Catalog:
    qtype = rng.integers(0, len(TYPES), BANK_SIZE)
    level = rng.integers(0, len(LEVELS), BANK_SIZE)
    shift = np.array([LEVEL_SHIFT[LEVELS[i]] for i in level])
    bank = Bank(
        question_type=qtype,
        level=level,
        difficulty=rng.normal(0.0, 0.7, BANK_SIZE) + shift,
        discrimination=rng.uniform(0.1, 2.0, BANK_SIZE),
    )
    ttype = rng.integers(0, len(TYPES), N_TEMPLATES)
    tlevel = rng.integers(0, len(LEVELS), N_TEMPLATES)
    questions = []
    for t in range(N_TEMPLATES):
        k = int(rng.integers(6, 10))
        preferred = np.flatnonzero(qtype == ttype[t])
        pool = preferred if preferred.size >= k else np.arange(BANK_SIZE)
        questions.append(rng.choice(pool, size=k, replace=False))
    weight = 1.0 / np.arange(1, N_TEMPLATES + 1) ** 0.8
    return Catalog(
        bank=bank,
        job_language=rng.choice(len(LANGUAGES), N_JOBS, p=_language_mix()),
        template_type=ttype,
        template_level=tlevel,
        template_questions=questions,
        template_weight=weight / weight.sum(),
    )


def _language_mix() -> np.ndarray:
    mix = np.array([0.40, 0.22, 0.15, 0.05, 0.04, 0.08, 0.06])
    return mix / mix.sum()


@dataclass(frozen=True)
class InterviewDraw:
    template: np.ndarray
    job: np.ndarray
    candidate: np.ndarray
    outcome: np.ndarray  # index into OUTCOMES, -1 for future (still scheduled)
    scheduled: np.ndarray  # epoch seconds
    created: np.ndarray
    started: np.ndarray  # NaN when never started
    completed: np.ndarray  # NaN when not completed


def draw_interviews(
    rng: np.random.Generator, catalog: Catalog, n: int, n_candidates: int, now: float
) -> InterviewDraw:
    template = rng.choice(N_TEMPLATES, n, p=catalog.template_weight)
    scheduled = now + rng.uniform(-365.0, 14.0, n) * DAY
    outcome = rng.choice(len(OUTCOMES), n, p=OUTCOME_SHARES)
    outcome = np.where(scheduled > now, -1, outcome)
    started = np.where((outcome == 0) | (outcome == 3), scheduled + rng.uniform(0, 600, n), np.nan)
    duration = np.exp(rng.normal(np.log(35 * 60), 0.35, n))
    completed = np.where(outcome == 0, started + duration, np.nan)
    completed = np.where(completed > now, np.nan, completed)
    outcome = np.where((outcome == 0) & np.isnan(completed), 3, outcome)
    return InterviewDraw(
        template=template,
        job=rng.integers(0, N_JOBS, n),
        candidate=rng.integers(0, n_candidates, n),
        outcome=outcome,
        scheduled=scheduled,
        created=scheduled - rng.uniform(1, 14, n) * DAY,
        started=started,
        completed=completed,
    )


def response_scores(
    rng: np.random.Generator, ability: np.ndarray, difficulty: np.ndarray, disc: np.ndarray
) -> np.ndarray:
    """0-10 scores, rounded to 0.1, of answers with these parameters (see the module doc)."""
    p = 1.0 / (1.0 + np.exp(-disc * (ability - difficulty)))
    return np.round(10.0 * rng.beta(1 + 8 * p, 1 + 8 * (1 - p)), 1)


def event_counts(rng: np.random.Generator, n_started: int) -> np.ndarray:
    """Events per (started interview, kind): shape (n_started, len(EVENT_RATES))."""
    propensity = rng.gamma(1.5, 1 / 1.5, n_started)
    rates = np.array(list(EVENT_RATES.values()))
    return rng.poisson(np.outer(propensity, rates))
