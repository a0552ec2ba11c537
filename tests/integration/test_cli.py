"""The command line as a user runs it: a real subprocess on a real SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "INTERVISTA_DATA_DIR": str(tmp_path / "data"),
        "INTERVISTA_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'app.db'}",
        "INTERVISTA_SECRETS_FILE": str(tmp_path / "none.toml"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_unknown_command_gives_usage_and_status_2(tmp_path: Path) -> None:
    result = _run(["frobnicate"], tmp_path)
    assert result.returncode == 2
    assert "usage: python -m core" in result.stderr and "invalid choice" in result.stderr
    assert not (tmp_path / "data" / "app.db").exists()  # nothing written


def test_missing_arguments_give_usage(tmp_path: Path) -> None:
    result = _run(["create-user", "--email", "x@example.com"], tmp_path)
    assert result.returncode == 2 and "required" in result.stderr


def test_unreachable_database_is_named(tmp_path: Path) -> None:
    result = _run(
        ["init-db"],
        tmp_path,
        INTERVISTA_DATABASE_URL="postgresql+psycopg://u:secret@127.0.0.1:9/nope",
    )
    assert result.returncode == 1
    assert "cannot reach the database at postgresql+psycopg://u:***@127.0.0.1:9/nope" in (
        result.stderr
    )
    assert "secret" not in result.stderr


def test_bad_setting_is_named(tmp_path: Path) -> None:
    result = _run(["init-db"], tmp_path, INTERVISTA_SMTP_PORT="not-a-port")
    assert result.returncode == 2 and "INTERVISTA_SMTP_PORT" in result.stderr


def test_seed_then_create_user(tmp_path: Path) -> None:
    seeded = _run(["seed-demo"], tmp_path)
    assert seeded.returncode == 0, seeded.stderr
    assert "admin@intervista.local  password (shown once):" in seeded.stdout
    assert "/interview?key=" in seeded.stdout
    again = _run(["seed-demo", "--if-empty"], tmp_path)
    assert "skipped" in again.stdout and "password" not in again.stdout
    created = _run(
        [
            "create-user",
            "--email",
            "hm@example.com",
            "--name",
            "H M",
            "--role",
            "hiring_manager",
            "--password-env",
            "PW",
        ],
        tmp_path,
        PW="a long password!",
    )
    assert created.returncode == 0 and "created hiring_manager hm@example.com" in created.stdout
    duplicate = _run(
        [
            "create-user",
            "--email",
            "hm@example.com",
            "--name",
            "H M",
            "--role",
            "recruiter",
            "--generate-password",
        ],
        tmp_path,
    )
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr


@pytest.mark.parametrize("role", ["superuser", ""])
def test_bad_role_is_rejected(tmp_path: Path, role: str) -> None:
    result = _run(["create-user", "--email", "a@b.co", "--name", "A", "--role", role], tmp_path)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_purge_needs_a_mode_and_reports(tmp_path: Path) -> None:
    assert _run(["purge"], tmp_path).returncode == 2
    result = _run(["purge", "--dry-run"], tmp_path, INTERVISTA_RECORDING_RETENTION_DAYS="30")
    assert result.returncode == 0, result.stderr
    assert "retention 30 days" in result.stdout and "would remove 0 recording(s)" in result.stdout
