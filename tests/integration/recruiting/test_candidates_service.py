"""Candidates on real databases: create/update/get, duplicates, and CSV import reports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import Candidate
from core.recruiting.candidates import (
    CandidateError,
    CandidateInput,
    RowError,
    create_candidate,
    get_candidate,
    import_candidates_csv,
    update_candidate,
)
from core.staff.audit import recent_audit
from tests.support.factories import make_candidate, make_interview, make_user


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Candidate.id))) or 0)


def test_create_and_get(any_db: Database) -> None:
    actor = make_user(any_db)
    view = create_candidate(
        any_db,
        CandidateInput(" Ann  Lee ", "Ann@Example.com", "+49 30 1234567", "europe/berlin", "n"),
        actor_id=actor.id,
    )
    assert (view.full_name, view.email, view.timezone) == (
        "Ann Lee",
        "ann@example.com",
        "Europe/Berlin",
    )
    assert view.resume_filename is None and view.interview_count == 0
    assert get_candidate(any_db, view.id) == view
    assert get_candidate(any_db, view.id + 1000) is None
    entry = recent_audit(any_db, limit=1)[0]
    assert (entry.action, entry.entity_id, entry.actor) == (
        "candidate.create",
        view.id,
        actor.email,
    )


def test_duplicate_email_is_refused_whatever_its_case(any_db: Database) -> None:
    make_candidate(any_db, email="Bob@Example.com")
    before = _count(any_db)
    with pytest.raises(CandidateError, match=r"^A candidate with the email bob@example\.com"):
        create_candidate(any_db, CandidateInput("Bob", "BOB@example.com"), actor_id=None)
    assert _count(any_db) == before


def test_invalid_input_stores_nothing(any_db: Database) -> None:
    with pytest.raises(CandidateError, match="Unknown time zone"):
        create_candidate(
            any_db, CandidateInput("Al", "al@x.io", timezone="Moon/Base"), actor_id=None
        )
    assert _count(any_db) == 0


def test_update(db: Database) -> None:
    cid = make_candidate(db, email="c1@example.com")
    make_candidate(db, email="c2@example.com")
    make_interview(db, candidate_id=cid)
    view = update_candidate(db, cid, CandidateInput("New Name", "C1@example.com"), actor_id=None)
    assert (view.full_name, view.email, view.interview_count) == ("New Name", "c1@example.com", 1)
    with pytest.raises(CandidateError, match=r"c2@example\.com already exists"):
        update_candidate(db, cid, CandidateInput("New Name", "c2@example.com"), actor_id=None)
    with pytest.raises(CandidateError, match="no longer exists"):
        update_candidate(db, cid + 999, CandidateInput("X", "x@example.com"), actor_id=None)
    assert get_candidate(db, cid) == view


CSV = (
    "Name,Email,Phone,Timezone,Notes\n"  # 1
    "Ann Lee,ann@example.com,+1 555 0100 200,America/New_York,referral\n"  # 2
    "Taken,TAKEN@example.com,,,\n"  # 3: already in the database
    "Bad Mail,bad@,,,\n"  # 4
    "\n"  # 5
    "Ann Twice,ann@example.com,,,\n"  # 6
    ",noname@example.com,,,\n"  # 7
    "Zoe,zoe@example.com,,Atlantis/Capital,\n"  # 8
    "Yan,yan@example.com,,,\n"  # 9
)


def test_import_saves_good_rows_and_reports_bad_ones(any_db: Database) -> None:
    make_candidate(any_db, email="taken@example.com")
    report = import_candidates_csv(any_db, CSV.encode("utf-8-sig"), actor_id=None)
    assert [(c.full_name, c.email) for c in report.created] == [
        ("Ann Lee", "ann@example.com"),
        ("Yan", "yan@example.com"),
    ]
    assert report.created[0].timezone == "America/New_York"
    assert report.created[0].notes == "referral"
    assert report.errors == (
        RowError(
            3, "taken@example.com", "A candidate with the email taken@example.com already exists."
        ),
        RowError(4, "bad@", "'bad@' is not a valid email address."),
        RowError(6, "ann@example.com", "The email ann@example.com also appears on line 2."),
        RowError(7, "noname@example.com", "A full name is required."),
        RowError(
            8,
            "zoe@example.com",
            "Unknown time zone 'Atlantis/Capital'; use an IANA name like Europe/Berlin.",
        ),
    )
    assert _count(any_db) == 3
    for view in report.created:
        assert get_candidate(any_db, view.id) == view
    entry = recent_audit(any_db, limit=1)[0]
    assert (entry.action, entry.details) == ("candidate.import", {"created": 2, "rejected": 5})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "contains binary data"),
        (b"first,last\nAnn,Lee\n", "must be a header"),
        (b'name,email\nAnn,a@x.io\n"Bob"oops,b@x.io\n', "not a readable CSV (line 3)"),
        (b"name,email\n" + b"".join(b"P%d,p%d@x.io\n" % (i, i) for i in range(11)), "more than 10"),
    ],
)
def test_bad_file_saves_nothing(any_db: Database, data: bytes, message: str) -> None:
    before = _count(any_db)
    with pytest.raises(CandidateError) as caught:
        import_candidates_csv(any_db, data, actor_id=None, max_rows=10)
    assert message in str(caught.value)
    assert _count(any_db) == before


def test_import_of_only_bad_rows_creates_nothing_but_reports(db: Database) -> None:
    report = import_candidates_csv(db, b"name,email\n,x@x.io\nA,\n", actor_id=None)
    assert report.created == ()
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "A full name is required."),
        (3, "An email address is required."),
    ]
    assert _count(db) == 0
