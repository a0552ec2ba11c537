"""Validation of job data: titles, lengths, languages and skill lists."""

from __future__ import annotations

import pytest

from core.domain import CodingLanguage
from core.recruiting.jobs import JobError, JobInput, clean_skills, parse_language, validate_job


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PYTHON", CodingLanguage.PYTHON),
        ("python", CodingLanguage.PYTHON),
        ("C#", CodingLanguage.CSHARP),
        ("csharp", CodingLanguage.CSHARP),
        (" JavaScript ", CodingLanguage.JAVASCRIPT),
        ("sql", CodingLanguage.SQL),
    ],
)
def test_parse_language(raw: str, expected: CodingLanguage) -> None:
    assert parse_language(raw) is expected


def test_unknown_language_lists_the_choices() -> None:
    with pytest.raises(JobError, match=r"Unknown coding language 'Cobol'; use one of Python, "):
        parse_language("Cobol")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ((), ()),
        (
            ("Python", " python ", "", "SQL", "  Data   Modelling "),
            ("Python", "SQL", "Data Modelling"),
        ),
        (["Go"], ("Go",)),
    ],
)
def test_clean_skills(raw: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert clean_skills(raw) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (JobInput(title="  "), "A job title is required."),
        (JobInput(title="x" * 201), "The title is longer than 200 characters."),
        (JobInput(title="Dev", company="c" * 201), "The company name is longer than 200"),
        (JobInput(title="Dev", domain="d" * 101), "The domain is longer than 100 characters."),
        (JobInput(title="Dev", description="d" * 50_001), "The description is longer than 50,000"),
        (JobInput(title="Dev", required_skills=("s" * 101,)), "is longer than 100 characters."),
        (
            JobInput(title="Dev", required_skills=tuple(f"skill {i}" for i in range(51))),
            "A job can list at most 50 skills; this one has 51.",
        ),
    ],
)
def test_invalid_jobs(data: JobInput, message: str) -> None:
    with pytest.raises(JobError) as caught:
        validate_job(data)
    assert message in str(caught.value)


def test_valid_job_is_cleaned() -> None:
    clean = validate_job(
        JobInput(
            title=" Backend   Engineer ",
            company=" Acme ",
            description="  Build APIs.\n",
            domain="fintech",
            coding_language="java",  # type: ignore[arg-type]  # pages may pass raw strings
            required_skills=("Java", "java", "Spring"),
        )
    )
    assert clean == JobInput(
        "Backend Engineer",
        "Acme",
        "Build APIs.",
        "fintech",
        CodingLanguage.JAVA,
        ("Java", "Spring"),
    )
