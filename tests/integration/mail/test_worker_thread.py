"""The daemon worker thread and the ``mail-worker`` command against a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from core.clock import utcnow
from core.config import Settings
from core.db.engine import Database
from core.mail.worker import start_mail_worker
from tests.support.mail import mail_settings, queue_invitations, rows
from tests.support.shared import REPO_ROOT
from tests.support.smtp_server import RecordingHandler, free_port


def _wait_until_sent(db: Database, count: int, deadline_seconds: float = 60.0) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if [r.status for r in rows(db)].count("sent") >= count:
            return
        time.sleep(0.05)


def test_no_smtp_host_means_no_worker(db: Database, settings: Settings) -> None:
    assert start_mail_worker(db, settings) is None


def test_worker_thread_is_one_per_database_and_delivers(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int]
) -> None:
    handler, port = smtp
    cfg = mail_settings(settings, port)
    worker = start_mail_worker(db, cfg, interval_seconds=3600)
    assert worker is not None
    try:
        assert start_mail_worker(db, cfg, interval_seconds=3600) is worker
        queue_invitations(db, cfg, 2, now=utcnow())
        worker.wake()
        _wait_until_sent(db, 2)
        assert [r.status for r in rows(db)] == ["sent", "sent"]
        assert len(handler.received) == 2
        assert worker.alive
    finally:
        worker.stop()
    assert not worker.alive
    replacement = start_mail_worker(db, cfg, interval_seconds=3600)
    assert replacement is not None and replacement is not worker
    replacement.stop()


def test_worker_survives_a_broken_pass_and_records_the_error(
    db: Database, settings: Settings
) -> None:
    cfg = mail_settings(settings, free_port())
    with db.write() as session:  # make every pass fail: the table is gone
        session.execute(text("ALTER TABLE email_outbox RENAME TO email_outbox_away"))
    worker = start_mail_worker(db, cfg, interval_seconds=3600)
    assert worker is not None
    try:
        deadline = time.monotonic() + 60
        while worker.passes < 3 and time.monotonic() < deadline:
            worker.wake()
            time.sleep(0.02)
        assert worker.passes >= 3
        assert worker.alive
        assert "email_outbox" in worker.last_error
    finally:
        worker.stop()


@pytest.mark.slow
def test_cli_mail_worker_once_sends_the_queue(
    db: Database, settings: Settings, smtp: tuple[RecordingHandler, int], tmp_path: Path
) -> None:
    handler, port = smtp
    queue_invitations(db, mail_settings(settings, port), 3, now=utcnow())
    env = {
        **os.environ,
        "INTERVISTA_DATA_DIR": str(settings.data_dir),
        "INTERVISTA_DATABASE_URL": settings.resolved_database_url,
        "INTERVISTA_SECRETS_FILE": str(tmp_path / "no-secrets.toml"),
        "INTERVISTA_SMTP_HOST": "127.0.0.1",
        "INTERVISTA_SMTP_PORT": str(port),
        "INTERVISTA_SMTP_SECURITY": "none",
        "INTERVISTA_MAIL_FROM": "Acme Hiring <hiring@acme.example>",
    }
    done = subprocess.run(
        [sys.executable, "-m", "core", "mail-worker", "--once"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "sent 3; outbox now: queued 0, sending 0, sent 3, failed 0" in done.stdout
    assert len(handler.received) == 3
