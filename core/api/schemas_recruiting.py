"""The bodies of ``/api/v1/candidates/`` and ``/api/v1/jobs/``, with limits on every input.

Jobs accept the seeds' names too (``job_title``, ``company_name``, ``job_description``) and a
``coding_language`` in any case (``"PYTHON"`` as the seeds send it, ``"python"``, or a label
such as ``"C#"``). Core validates the rest (email, phone, time zone, skills) and says what is
wrong; strings may not contain NUL characters (no database stores them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
)

from core.domain import CodingLanguage
from core.recruiting.candidates import CandidateChanges, CandidateInput
from core.recruiting.catalog import CandidateView, JobView
from core.recruiting.jobs import MAX_SKILLS, JobChanges, JobInput, parse_language


def no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _language(value: Any) -> CodingLanguage:
    if isinstance(value, CodingLanguage):
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("give one of PYTHON, JAVASCRIPT, JAVA, PHP, RUBY, CSHARP, SQL")
    return parse_language(value)  # a JobError is a ValueError: 422 with its message


Language = Annotated[
    CodingLanguage,
    BeforeValidator(_language),
    Field(description="PYTHON, JAVASCRIPT, JAVA, PHP, RUBY, CSHARP or SQL, in any case"),
]
NoNul = AfterValidator(no_nul)
Skill = Annotated[str, StringConstraints(min_length=1, max_length=100), NoNul]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]
Email = Annotated[str, StringConstraints(min_length=1, max_length=254), NoNul]
Phone = Annotated[str, StringConstraints(max_length=40), NoNul]
Zone = Annotated[
    str,
    StringConstraints(max_length=64),
    NoNul,
    Field(description="an IANA time zone, e.g. Europe/Berlin (empty: the organisation's)"),
]
Notes = Annotated[str, StringConstraints(max_length=20_000), NoNul]
Company = Annotated[str, StringConstraints(max_length=200), NoNul]
Description = Annotated[str, StringConstraints(max_length=50_000), NoNul]
Domain = Annotated[str, StringConstraints(max_length=100), NoNul]


# Candidates ----------------------------------------------------------------------------------
class CandidateIn(BaseModel):
    """A new candidate: a name and a unique email; the rest optional."""

    model_config = ConfigDict(extra="forbid")

    full_name: Name
    email: Email
    phone: Phone = ""
    timezone: Zone = ""
    notes: Notes = ""

    def data(self) -> CandidateInput:
        return CandidateInput(self.full_name, self.email, self.phone, self.timezone, self.notes)


class CandidatePatch(BaseModel):
    """Some of a candidate's fields; those left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    full_name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    timezone: Zone | None = None
    notes: Notes | None = None

    def changes(self) -> CandidateChanges:
        return CandidateChanges(self.full_name, self.email, self.phone, self.timezone, self.notes)


class CandidateOut(BaseModel):
    id: int
    full_name: str
    email: str
    phone: str
    timezone: str
    notes: str
    resume_filename: str | None
    interview_count: int
    created_at: datetime

    @classmethod
    def of(cls, c: CandidateView) -> CandidateOut:
        return cls(
            id=c.id,
            full_name=c.full_name,
            email=c.email,
            phone=c.phone,
            timezone=c.timezone,
            notes=c.notes,
            resume_filename=c.resume_filename,
            interview_count=c.interview_count,
            created_at=c.created_at,
        )


class CandidateDetailOut(CandidateOut):
    resume_text: str  # the text extracted from the resume ("" without one)

    @classmethod
    def of_detail(cls, c: CandidateView) -> CandidateDetailOut:
        return cls(**CandidateOut.of(c).model_dump(), resume_text=c.resume_text)


class CandidatePage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[CandidateOut]


# Jobs ----------------------------------------------------------------------------------------
def _aliases(name: str, seeds: str) -> Any:
    return AliasChoices(name, seeds)


class JobIn(BaseModel):
    """A new job (active). The seeds' field names are accepted as well."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    title: Name = Field(..., validation_alias=_aliases("title", "job_title"))
    company: Company = Field("", validation_alias=_aliases("company", "company_name"))
    description: Description = Field(
        "", validation_alias=_aliases("description", "job_description")
    )
    domain: Domain = ""
    coding_language: Language = CodingLanguage.PYTHON
    required_skills: list[Skill] = Field(default_factory=list, max_length=MAX_SKILLS)

    def data(self) -> JobInput:
        return JobInput(
            title=self.title,
            company=self.company,
            description=self.description,
            domain=self.domain,
            coding_language=self.coding_language,
            required_skills=tuple(self.required_skills),
        )


class JobPatch(BaseModel):
    """Some of a job's fields; ``is_active: false`` deactivates it (``true`` reactivates)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    title: Name | None = Field(None, validation_alias=_aliases("title", "job_title"))
    company: Company | None = Field(None, validation_alias=_aliases("company", "company_name"))
    description: Description | None = Field(
        None, validation_alias=_aliases("description", "job_description")
    )
    domain: Domain | None = None
    coding_language: Language | None = None
    required_skills: list[Skill] | None = Field(None, max_length=MAX_SKILLS)
    is_active: StrictBool | None = None

    def changes(self) -> JobChanges:
        skills = tuple(self.required_skills) if self.required_skills is not None else None
        return JobChanges(
            title=self.title,
            company=self.company,
            description=self.description,
            domain=self.domain,
            coding_language=self.coding_language,
            required_skills=skills,
            is_active=self.is_active,
        )


class JobOut(BaseModel):
    id: int
    title: str
    company: str
    description: str
    domain: str
    coding_language: CodingLanguage
    required_skills: list[str]
    is_active: bool

    @classmethod
    def of(cls, j: JobView) -> JobOut:
        return cls(
            id=j.id,
            title=j.title,
            company=j.company,
            description=j.description,
            domain=j.domain,
            coding_language=j.coding_language,
            required_skills=list(j.required_skills),
            is_active=j.is_active,
        )


class JobPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[JobOut]
