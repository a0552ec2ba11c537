"""MIME layout, back-off schedule, error classification and enqueue validation."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime, timedelta

import pytest

from core.mail.messages import OutgoingEmail
from core.mail.mime import QueuedMessage, build_mime
from core.mail.queue import OutboxError, RetryPolicy, _validated
from core.mail.transport import PermanentSendError, describe_error, is_permanent

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
ROW = QueuedMessage(
    id=7,
    message_id="<abc123@intervista.local>",
    kind="cancellation",
    to_address="asha@candidates.example",
    subject="Interview cancelled: Screen",
    body_text="Dear Asha,\nÇa va — cancelled.\n",
    ics_content=ICS,
    created_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
    attempts=1,
    lease_until=None,
)


def test_mime_headers_body_and_calendar_attachment() -> None:
    mime = build_mime(ROW, "Acme Hiring <hiring@acme.example>")
    assert mime["Message-ID"] == "<abc123@intervista.local>"
    assert mime["From"] == "Acme Hiring <hiring@acme.example>"
    assert mime["To"] == "asha@candidates.example"
    assert mime["Date"] == "Mon, 05 Jan 2026 09:00:00 +0000"
    body = mime.get_body(preferencelist=("plain",))
    assert body is not None and "Ça va" in body.get_content()
    [attachment] = list(mime.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "CANCEL"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "invite.ics"
    assert "METHOD:CANCEL" in attachment.get_content()
    # The same row always gives the same message (a retry is recognisable).
    again = build_mime(ROW, "Acme Hiring <hiring@acme.example>")
    assert again["Message-ID"] == mime["Message-ID"] and again["Date"] == mime["Date"]


def test_mime_without_calendar_is_a_single_text_part() -> None:
    mime = build_mime(QueuedMessage(**{**ROW.__dict__, "ics_content": None}), "hiring@acme.example")
    assert mime.get_content_type() == "text/plain"


def test_mime_refuses_a_bad_address() -> None:
    with pytest.raises(ValueError, match="not an email address"):
        build_mime(QueuedMessage(**{**ROW.__dict__, "to_address": "nobody"}), "x@y.example")


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (50, 3600)],
)
def test_back_off_doubles_and_is_capped(attempts: int, seconds: int) -> None:
    assert RetryPolicy().delay_after(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
        (ssl.SSLCertVerificationError("certificate verify failed"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPSenderRefused(451, b"try later", "a@b"), False),
        (smtplib.SMTPSenderRefused(553, b"not allowed", "a@b"), True),
        (smtplib.SMTPDataError(552, b"too big"), True),
        (smtplib.SMTPDataError(421, b"busy"), False),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"no such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"greylisted")}), False),
        (ValueError("header contains newline"), True),
        (PermanentSendError("refused"), True),
    ],
)
def test_which_errors_are_retried(error: Exception, permanent: bool) -> None:
    assert is_permanent(error) is permanent
    assert type(error).__name__ in describe_error(error)


def test_describe_error_is_one_line_and_bounded() -> None:
    text = describe_error(smtplib.SMTPDataError(554, b"rejected\r\n" + b"x" * 5000))
    assert text.startswith("SMTPDataError: SMTP 554 rejected")
    assert "\n" not in text and len(text) <= 1000


GOOD = OutgoingEmail("invitation", "asha@candidates.example", "Subject", "Body", None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "Invitation!"}, "kind"),
        ({"to_address": "asha"}, "to_address"),
        ({"to_address": "a@b.example\r\nBcc: c@d.example"}, "to_address"),
        ({"to_address": "a@b.example, c@d.example"}, "to_address"),
        ({"subject": " \n "}, "subject"),
        ({"body_text": "   "}, "body_text"),
    ],
)
def test_enqueue_refuses_bad_messages(change: dict[str, str], field: str) -> None:
    with pytest.raises(OutboxError, match=field):
        _validated(OutgoingEmail(**{**GOOD.__dict__, **change}))


def test_enqueue_normalises_the_subject_to_one_line() -> None:
    checked = _validated(OutgoingEmail(**{**GOOD.__dict__, "subject": "Hello\r\nBcc: x"}))
    assert checked.subject == "Hello Bcc: x"
