"""Chooses bank questions for an interview: matched to skills, seeded, never repeated."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.domain import Difficulty, QuestionType
from core.interviewer.question_bank.loader import BankQuestion, QuestionBank

# Words in a job's skills or description that point at one of the bank's skill tags.
SKILL_ALIASES: dict[str, tuple[str, ...]] = {
    "python": ("python", "django", "flask", "fastapi", "pandas", "pytest"),
    "django": ("django",),
    "flask": ("flask", "fastapi"),
    "javascript": ("javascript", "js", "node", "node.js", "nodejs", "typescript", "ts", "react"),
    "node": ("node", "node.js", "nodejs", "express"),
    "react": ("react", "react.js", "reactjs", "next.js", "frontend", "front-end"),
    "java": ("java", "spring", "jvm", "kotlin", "hibernate"),
    "spring": ("spring", "spring boot"),
    "php": ("php", "laravel", "symfony", "wordpress"),
    "laravel": ("laravel",),
    "ruby": ("ruby", "rails", "ruby on rails", "sinatra"),
    "rails": ("rails", "ruby on rails"),
    "csharp": ("c#", "csharp", ".net", "dotnet", "asp.net", "blazor", "entity framework"),
    ".net": (".net", "dotnet", "asp.net", "c#"),
    "asp.net": ("asp.net", "asp.net core"),
    "sql": ("sql", "postgres", "postgresql", "mysql", "sqlite", "database", "databases"),
    "postgres": ("postgres", "postgresql"),
    "mysql": ("mysql", "mariadb"),
    "security": ("security", "owasp", "appsec"),
    "git": ("git",),
    "testing": ("testing", "tdd", "qa", "test"),
    "api": ("api", "rest", "apis", "http"),
    "http": ("http", "rest", "web"),
}

# How a skill tag reads in a sentence ("Your resume mentions Spring.").
SKILL_LABELS: dict[str, str] = {
    "python": "Python",
    "django": "Django",
    "flask": "Flask",
    "javascript": "JavaScript",
    "node": "Node.js",
    "react": "React",
    "java": "Java",
    "spring": "Spring",
    "php": "PHP",
    "laravel": "Laravel",
    "ruby": "Ruby",
    "rails": "Rails",
    "csharp": "C#",
    ".net": ".NET",
    "asp.net": "ASP.NET",
    "sql": "SQL",
    "postgres": "PostgreSQL",
    "mysql": "MySQL",
    "security": "security",
    "git": "Git",
    "testing": "testing",
    "api": "APIs",
    "http": "HTTP",
}

_TOKEN = re.compile(r"[a-z0-9#+.]+(?: [a-z]+)?")
_ORDER = (Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD)

# Which bank types serve an interview type, in order of preference.
TYPE_FALLBACK: dict[QuestionType, tuple[QuestionType, ...]] = {
    QuestionType.TECHNICAL: (QuestionType.TECHNICAL, QuestionType.CODING),
    QuestionType.CODING: (QuestionType.CODING, QuestionType.TECHNICAL),
    QuestionType.SYSTEM_DESIGN: (QuestionType.SYSTEM_DESIGN, QuestionType.TECHNICAL),
    QuestionType.BEHAVIORAL: (QuestionType.BEHAVIORAL, QuestionType.HR),
    QuestionType.HR: (QuestionType.HR, QuestionType.BEHAVIORAL),
    QuestionType.GENERAL: (QuestionType.TECHNICAL, QuestionType.BEHAVIORAL, QuestionType.HR),
}


class NotEnoughQuestions(LookupError):
    """The bank has fewer unused matching questions than asked for; the message says how many."""


@dataclass(frozen=True)
class SelectionRequest:
    job_role: str
    job_description: str
    required_skills: tuple[str, ...]
    question_type: QuestionType
    difficulty: Difficulty
    count: int
    seed_key: str = ""  # e.g. the candidate id: same inputs and key give the same questions
    resume_text: str = ""  # the candidate's resume: questions that probe what it claims

    @property
    def profile(self) -> str:
        """What the questions should be about: the job, then the resume (bounded)."""
        parts = [self.job_role, self.job_description, ", ".join(self.required_skills)]
        return "\n".join([*(p for p in parts if p.strip()), self.resume_text[:4000]]).strip()


def wanted_skills(skills: Iterable[str], free_text: str) -> frozenset[str]:
    """Bank skill tags named by the required skills or the role and description text."""
    text = " ".join([*skills, free_text]).lower()
    found = set()
    for tag, aliases in SKILL_ALIASES.items():
        for alias in aliases:
            if re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9#+])", text):
                found.add(tag)
                break
    return frozenset(found)


def _seed(request: SelectionRequest) -> int:
    key = "|".join(
        [
            request.job_role.strip().lower(),
            ",".join(sorted(s.strip().lower() for s in request.required_skills)),
            str(request.question_type),
            str(request.difficulty),
            request.seed_key,
        ]
    )
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def _rank(
    question: BankQuestion, skills: frozenset[str], difficulty: Difficulty
) -> tuple[int, int]:
    matched = len(skills & set(question.skills))
    general = "general" in question.skills
    skill_rank = 0 if matched else (1 if general or not skills else 2)
    distance = abs(_ORDER.index(question.difficulty) - _ORDER.index(difficulty))
    return (skill_rank * 3 + distance, -matched)


def select_questions(
    bank: QuestionBank,
    request: SelectionRequest,
    exclude_ids: Iterable[str] = (),
    relevance: Mapping[str, float] | None = None,
) -> list[BankQuestion]:
    """Pick ``count`` questions: best skill match, nearest difficulty, then the most
    ``relevance`` (bank id -> similarity to the job and resume), seeded tie-breaks.

    Questions in ``exclude_ids`` (already asked to this candidate) are never chosen.
    Raises NotEnoughQuestions if fewer than ``count`` suitable questions remain.
    """
    if request.count < 1:
        raise ValueError("count must be at least 1")
    excluded = set(exclude_ids)
    skills = wanted_skills(request.required_skills, f"{request.job_role} {request.job_description}")
    rng = random.Random(_seed(request))  # noqa: S311 - reproducible order, not security
    chosen: list[BankQuestion] = []
    for qtype in TYPE_FALLBACK[request.question_type]:
        pool = [q for q in bank.questions if q.type == qtype and q.id not in excluded]
        pool = [q for q in pool if _rank(q, skills, request.difficulty)[0] < 6]
        tie_breaker = {q.id: rng.random() for q in sorted(pool, key=lambda q: q.id)}
        near = relevance or {}
        pool.sort(
            key=lambda q: (
                *_rank(q, skills, request.difficulty),
                -round(near.get(q.id, 0.0), 3),
                tie_breaker[q.id],
            )
        )
        for question in pool:
            if len(chosen) == request.count:
                return chosen
            chosen.append(question)
    if len(chosen) < request.count:
        raise NotEnoughQuestions(
            f"only {len(chosen)} unused {request.question_type} questions match; "
            f"{request.count} were asked for"
        )
    return chosen
