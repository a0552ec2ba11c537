"""Validation of one candidate record: names, emails, phones, time zones, notes."""

from __future__ import annotations

import pytest

from core.recruiting.candidates import (
    CandidateError,
    CandidateInput,
    normalise_email,
    normalise_timezone,
    validate_candidate,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ann@example.com", "ann@example.com"),
        ("  Ann.Lee+jobs@Example.CO.UK ", "ann.lee+jobs@example.co.uk"),
        ("o'brien@mail-server.example.org", "o'brien@mail-server.example.org"),
        ("josé@exämple.de", "josé@exämple.de"),
        ("a_b@x.io", "a_b@x.io"),
    ],
)
def test_valid_emails_are_normalised(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "plainaddress",
        "@example.com",
        "ann@",
        "ann@example",
        "ann@example.c",
        "ann@@example.com",
        "ann example@x.com",
        ".ann@x.com",
        "ann.@x.com",
        "an..n@x.com",
        "ann@-x.com",
        "ann@x-.com",
        "ann@x_y.com",
        "ann@x..com",
        "ann@x.com1",
        "a<b>@x.com",
        "a" * 65 + "@x.com",
        "a@" + "b" * 250 + ".com",
    ],
)
def test_invalid_emails_are_refused(raw: str) -> None:
    with pytest.raises(CandidateError, match="is not a valid email address"):
        normalise_email(raw)


def test_empty_email_says_it_is_required() -> None:
    with pytest.raises(CandidateError, match=r"^An email address is required\.$"):
        normalise_email("   ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("  ", ""),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/kolkata", "Asia/Kolkata"),
        (" Europe/Berlin ", "Europe/Berlin"),
        ("UTC", "UTC"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_known_time_zones(raw: str, expected: str) -> None:
    assert normalise_timezone(raw) == expected


@pytest.mark.parametrize("raw", ["Mars/Base", "GMT+5:30", "../../etc/passwd", "Asia", "IST+"])
def test_unknown_time_zones(raw: str) -> None:
    with pytest.raises(CandidateError, match=r"^Unknown time zone .*; use an IANA name"):
        normalise_timezone(raw)


def _input(**overrides: str) -> CandidateInput:
    base = {"full_name": "Ann Lee", "email": "ann@example.com"}
    return CandidateInput(**{**base, **overrides})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": "  "}, "A full name is required."),
        ({"full_name": "x" * 201}, "The full name is longer than 200 characters."),
        ({"email": "nope"}, "'nope' is not a valid email address."),
        ({"phone": "call me"}, "'call me' is not a valid phone number."),
        ({"phone": "12"}, "'12' is not a valid phone number."),
        ({"phone": "+1 " + "5" * 40}, "is not a valid phone number."),
        ({"timezone": "Nowhere/Place"}, "Unknown time zone 'Nowhere/Place'"),
        ({"notes": "n" * 20_001}, "The notes are longer than 20,000 characters."),
    ],
)
def test_invalid_candidates(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(CandidateError) as caught:
        validate_candidate(_input(**overrides))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "phone", ["+91 98765 43210", "(555) 123-4567", "030/1234567", "+1 555 123 4567 ext. 12", ""]
)
def test_valid_phones(phone: str) -> None:
    assert validate_candidate(_input(phone=phone)).phone == phone


def test_valid_candidate_is_cleaned() -> None:
    clean = validate_candidate(
        CandidateInput(
            full_name="  Ann   Lee ",
            email=" ANN@Example.com ",
            phone=" +44 20 7946 0958 ",
            timezone="europe/london",
            notes="  likes Rust \n",
        )
    )
    assert clean == CandidateInput(
        "Ann Lee", "ann@example.com", "+44 20 7946 0958", "Europe/London", "likes Rust"
    )
