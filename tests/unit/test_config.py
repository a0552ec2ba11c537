"""Settings: defaults, sources and errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_secrets_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(tmp_path / "absent.toml"))


def test_defaults_are_the_embedded_setup(tmp_path: Path) -> None:
    s = load_settings(data_dir=tmp_path)
    assert s.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'app.db'}"
    assert s.timezone == "Asia/Kolkata" and not s.llm_enabled and s.smtp_host == ""


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("INTERVISTA_TIMEZONE", "Mars/Olympus", "INTERVISTA_TIMEZONE"),
        ("INTERVISTA_TIMEZONE", "Asia", "INTERVISTA_TIMEZONE"),
        ("INTERVISTA_SMTP_PORT", "70000", "INTERVISTA_SMTP_PORT"),
        ("INTERVISTA_SMTP_SECURITY", "tls-ish", "INTERVISTA_SMTP_SECURITY"),
        ("INTERVISTA_DATABASE_URL", "mysql://x", "INTERVISTA_DATABASE_URL"),
        ("INTERVISTA_YOLO_WEIGHTS", "yolo11n.pt", "INTERVISTA_YOLO_WEIGHTS"),
        ("INTERVISTA_PUBLIC_BASE_URL", "example.com", "INTERVISTA_PUBLIC_BASE_URL"),
        ("INTERVISTA_ICE_SERVERS_JSON", "{not json", "INTERVISTA_ICE_SERVERS_JSON"),
        ("INTERVISTA_ICE_SERVERS_JSON", '{"urls": "x"}', "INTERVISTA_ICE_SERVERS_JSON"),
        ("INTERVISTA_JOIN_WINDOW_BEFORE_SECONDS", "-5", "INTERVISTA_JOIN_WINDOW_BEFORE_SECONDS"),
    ],
)
def test_bad_settings_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, named: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert named in str(info.value)


def test_secrets_toml_is_read_and_env_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[intervista]\nopenai_api_key = "sk-test"\nsmtp_host = "mail.local"\n')
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(secrets))
    monkeypatch.setenv("INTERVISTA_SMTP_HOST", "env.local")
    s = load_settings()
    assert s.openai_api_key.get_secret_value() == "sk-test" and s.llm_enabled
    assert s.smtp_host == "env.local"
    assert "sk-test" not in repr(s)


def test_broken_secrets_file_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("openai_api_key = \n")
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(secrets))
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings()


def test_the_example_secrets_file_is_valid_and_means_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(example))
    from_example = load_settings()
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", "/nonexistent/secrets.toml")
    assert from_example == load_settings()
