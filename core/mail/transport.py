"""Sending one MIME message over SMTP (STARTTLS, implicit TLS or plain, optional login)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal, Protocol

from core.config import Settings

logger = logging.getLogger(__name__)

SmtpSecurity = Literal["starttls", "ssl", "none"]


class MailTransport(Protocol):
    """Delivers one message or raises (any exception means "not delivered")."""

    def send(self, message: EmailMessage) -> None: ...


class PermanentSendError(RuntimeError):
    """The server refused the message for good (5xx); retrying the same message cannot help."""


def is_permanent(exc: BaseException) -> bool:
    """True for failures no retry can fix: 5xx refusals and malformed messages.

    Connection errors, timeouts, 4xx answers and authentication failures (often a temporary
    misconfiguration the operator fixes) are retried.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    if isinstance(exc, OSError):  # other SMTP errors, network, TLS (a cert error is a ValueError)
        return False
    return isinstance(exc, PermanentSendError | ValueError)


def describe_error(exc: BaseException) -> str:
    """A one-line, recruiter-readable error (no secrets: SMTP answers and socket errors only)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        answer = exc.smtp_error
        text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
        detail = f"SMTP {exc.smtp_code} {text}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "recipient refused: " + ", ".join(
            f"{rcpt} ({code})" for rcpt, (code, _msg) in exc.recipients.items()
        )
    else:
        detail = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {' '.join(detail.split())}"[:1000]


@dataclass(frozen=True)
class SmtpTransport:
    """One SMTP connection per message; safe to use from several threads at once.

    ``ca_file`` trusts an extra CA (e.g. a self-signed relay); certificates and host names are
    always verified for ``starttls`` and ``ssl``.
    """

    host: str
    port: int
    security: SmtpSecurity = "starttls"
    username: str = ""
    password: str = field(default="", repr=False)
    timeout_seconds: float = 10.0
    ca_file: str | None = None

    def _tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout_seconds, context=self._tls_context()
            )
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds)
        try:
            client.ehlo()
            if self.security == "starttls":
                client.starttls(context=self._tls_context())
                client.ehlo()
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message: EmailMessage) -> None:
        """Runs on the calling (worker) thread; blocks up to a few timeouts."""
        client = self._connect()
        try:
            if self.username:
                client.login(self.username, self.password)
            refused = client.send_message(message)
            if refused:  # some recipients refused while others were accepted
                raise smtplib.SMTPRecipientsRefused(refused)
        finally:
            try:  # once the message is accepted, a failing QUIT must not cause a resend
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
        logger.debug("sent %s via %s:%s", message["Message-ID"], self.host, self.port)


def build_transport(settings: Settings, *, ca_file: str | None = None) -> SmtpTransport | None:
    """The configured SMTP transport, or None when ``smtp_host`` is empty (outbox only)."""
    if not settings.smtp_host:
        return None
    return SmtpTransport(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value(),
        timeout_seconds=settings.smtp_timeout_seconds,
        ca_file=ca_file or None,
    )
