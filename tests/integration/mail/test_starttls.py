"""STARTTLS with login against aiosmtpd using a certificate made at test time."""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.config import Settings
from core.db.engine import Database
from core.mail.transport import build_transport
from core.mail.worker import process_due
from tests.support.mail import NOW, POLICY, mail_settings, queue_invitations, rows
from tests.support.smtp_server import smtp_server

CREDENTIALS = ("mailer", "s3cret-pass")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.crt", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_login_delivers_and_bad_trust_or_password_is_recorded(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    cert, key = _self_signed(tmp_path)
    with smtp_server(tls_context=_server_context(cert, key), credentials=CREDENTIALS) as (
        handler,
        port,
    ):
        user, password = CREDENTIALS
        good = mail_settings(
            settings, port, smtp_security="starttls", smtp_username=user, smtp_password=password
        )
        untrusted = build_transport(good)  # the system CAs do not know our certificate
        wrong_password = build_transport(
            mail_settings(settings, port, smtp_security="starttls", smtp_username=user,
                          smtp_password="nope"),
            ca_file=str(cert),
        )  # fmt: skip
        trusted = build_transport(good, ca_file=str(cert))
        assert untrusted and wrong_password and trusted
        queue_invitations(db, good, 1)

        assert process_due(db, untrusted, NOW, settings=good, policy=POLICY) == 0
        assert "certificate verify failed" in rows(db)[0].last_error.lower()
        retry = rows(db)[0].next_attempt_at
        assert process_due(db, wrong_password, retry, settings=good, policy=POLICY) == 0
        assert "535" in rows(db)[0].last_error
        assert handler.received == []
        retry = rows(db)[0].next_attempt_at
        assert process_due(db, trusted, retry, settings=good, policy=POLICY) == 1

    [message] = handler.received
    assert message["To"] == "asha1@candidates.example"
    [row] = rows(db)
    assert (row.status, row.attempts) == ("sent", 3)
    assert "s3cret" not in row.last_error
