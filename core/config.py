"""One typed settings object for the whole platform.

Values come, in order of precedence, from environment variables prefixed ``INTERVISTA_``,
from ``.streamlit/secrets.toml`` (top-level keys without the prefix, or an ``[intervista]``
table), and from the defaults below. ``secrets.toml.example`` documents every key.
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "INTERVISTA_"


class SettingsError(RuntimeError):
    """Raised at start when a setting is missing or malformed; the message names it."""


class _SecretsTomlSource(PydanticBaseSettingsSource):
    """Reads ``.streamlit/secrets.toml`` (or the file named by INTERVISTA_SECRETS_FILE)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self._values: dict[str, Any] = {}
        if path.is_file():
            try:
                raw = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"{path} is not valid TOML: {exc}") from exc
            table = raw.get("intervista", raw)
            # Empty strings mean "not set" (the example file lists every key that way).
            self._values = {
                k.lower(): v for k, v in table.items() if not isinstance(v, dict) and v != ""
            }

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        names = set(self.settings_cls.model_fields)
        return {k: v for k, v in self._values.items() if k in names}


class Settings(BaseSettings):
    """Everything configurable. Field names map to ``INTERVISTA_<NAME>`` variables."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    # Storage
    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""  # empty: SQLite at <data_dir>/app.db
    # Links and time
    public_base_url: str = "http://127.0.0.1:8501"
    timezone: str = "Asia/Kolkata"
    organisation_name: str = "Intervista Demo Org"
    contact_email: str = "recruiting@example.com"
    join_window_before_seconds: int = Field(30, ge=0)
    join_window_after_seconds: int = Field(600, ge=0)
    access_key_ttl_hours: int = Field(72, ge=1)
    # Staff login: failures per (account, address) and per address earn growing delays
    login_max_failures: int = Field(5, ge=1)  # free failures per account from one address
    login_window_seconds: int = Field(900, ge=1)  # failures older than this are forgotten
    login_address_max_failures: int = Field(20, ge=1)  # free failures per address, any account
    login_delay_base_seconds: float = Field(2.0, gt=0)  # first delay; doubles per failure
    login_delay_max_seconds: float = Field(300.0, gt=0)  # the delay never grows beyond this
    # Staff sessions: a cookie holds a random token, the server keeps only its hash
    staff_session_hours: float = Field(12.0, gt=0)  # absolute lifetime
    staff_session_idle_minutes: float = Field(60.0, gt=0)  # ends after this long unused
    # Secure cookie: auto (when served over https, or public_base_url is https) | always | never
    session_cookie_secure: Literal["auto", "always", "never"] = "auto"
    # Reverse proxies whose X-Forwarded-For / -Proto are believed: comma-separated addresses or
    # networks ("10.0.0.5", "10.0.0.0/24", "127.0.0.1,::1"); empty: none, "*": any (see
    # docs/security.md). Given to uvicorn as FORWARDED_ALLOW_IPS (core/staff/proxies.py).
    trusted_proxies: str = ""
    # argon2id for every real deployment; fast-insecure-for-tests only in test suites
    password_hasher: Literal["argon2id", "fast-insecure-for-tests"] = "argon2id"  # noqa: S105
    # Mail
    smtp_host: str = ""  # empty: messages stay in the outbox, viewable in the app
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    mail_from: str = "Intervista <no-reply@example.com>"
    # AI (any OpenAI-compatible endpoint); empty key means the offline evaluator
    openai_base_url: str = ""
    openai_api_key: SecretStr = SecretStr("")
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(30.0, gt=0)
    openai_max_retries: int = Field(3, ge=0)
    evaluator: Literal["auto", "llm", "offline"] = "auto"
    # A local LLM (llama.cpp via xllamacpp, in this process): a GGUF instruct model file. When
    # set, it is the AI endpoint (the openai_* endpoint settings are then not used).
    local_llm_model_path: str = ""
    local_llm_threads: int = Field(1, ge=1, le=64)  # bench/llm.py: 1 generates fastest on 2 cores
    local_llm_context: int = Field(4096, ge=512, le=131_072)
    local_llm_timeout_seconds: float = Field(180.0, gt=0)  # a small CPU writes a few tokens/s
    local_llm_max_tokens: int = Field(768, ge=16, le=16_384)
    embedding_model_path: str = ""  # absolute path of a sentence-transformers model folder
    # Models (docs/models.md): where `python -m core models pull` puts them and the factories
    # find them; empty: <data_dir>/models. A folder laid out like ../shared/models works as is.
    models_dir: str = ""
    # Where yolo11n.pt is fetched from (Ultralytics' release assets); tests point it at loopback
    models_yolo_base_url: str = "https://github.com/ultralytics/assets/releases/download/v8.3.0"
    # Optional SHA256SUMS-style file ("<sha256>  <path in models_dir>") overriding pinned sums
    models_checksums_file: str = ""
    # Proctoring
    detector: Literal["auto", "ultralytics", "onnxruntime", "haar"] = "auto"
    yolo_weights: str = ""  # absolute path: .pt, .onnx or *_openvino_model folder
    detection_rate_hz: float = Field(2.0, gt=0, le=30)
    proctor_show_boxes: bool = False  # draw detections on the candidate's own video
    # onnxruntime threads per session's detector: 1 lets many sessions share the cores; 2
    # lowers one session's latency (43 ms instead of 75 ms at 480x640 on two cores)
    proctor_detector_threads: int = Field(1, ge=1, le=16)
    # Rule thresholds (seconds a condition must persist; detector confidences 0..1)
    proctor_person_confidence: float = Field(0.30, gt=0, lt=1)
    proctor_no_person_seconds: float = Field(3.0, ge=0)
    proctor_multiple_people_seconds: float = Field(2.0, ge=0)
    proctor_phone_confidence: float = Field(0.50, gt=0, lt=1)
    proctor_phone_seconds: float = Field(1.0, ge=0)
    proctor_detect_books: bool = False
    proctor_book_confidence: float = Field(0.50, gt=0, lt=1)
    proctor_detect_laptops: bool = False
    proctor_laptop_confidence: float = Field(0.50, gt=0, lt=1)
    proctor_object_seconds: float = Field(3.0, ge=0)  # books and laptops
    proctor_camera_lost_seconds: float = Field(5.0, gt=0)
    # Video missing longer than this (across reconnects) is a "camera lost" warning; shorter
    # drops are recorded as connection events (info).
    proctor_camera_away_seconds: float = Field(30.0, gt=0)
    proctor_cooldown_seconds: float = Field(5.0, ge=0)
    ice_servers_json: str = "[]"  # JSON list of RTCIceServer dicts (STUN/TURN)
    recording_retention_days: int = Field(365, ge=1)
    # Code sandbox
    sandbox: Literal["bwrap", "unsafe-dev"] = "bwrap"
    sandbox_allow_unsafe: bool = False
    # No cgroups (whole-run memory/process caps): refuse to run code unless this says otherwise
    sandbox_allow_without_cgroups: bool = False
    sandbox_max_concurrent_runs: int = Field(0, ge=0)  # per host; 0 = the number of CPUs
    # Interview sweeper: finishes and evaluates interviews whose time is up with no browser open
    sweeper_interval_seconds: float = Field(30.0, ge=0)  # 0: this process runs no sweeper
    sweeper_grace_seconds: float = Field(60.0, ge=0)  # after the deadline, before it steps in
    evaluation_lease_seconds: float = Field(600.0, gt=0)  # one evaluator at a time
    # Uploads
    resume_max_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    # HTTP API (docs/api.md): opaque tokens stored as hashes
    api_access_token_minutes: float = Field(15.0, gt=0)
    api_refresh_token_days: float = Field(14.0, gt=0)
    api_max_body_bytes: int = Field(1024 * 1024, ge=1024)  # larger requests: 413
    api_page_size: int = Field(20, ge=1, le=100)  # default page size (at most 100 a page)
    # Failed API key / bearer-token attempts per address before growing waits (429)
    api_key_max_failures: int = Field(20, ge=1)
    # On-demand invitations: the link works from now until the deadline; one reminder before
    invitation_days: float = Field(7.0, gt=0)
    invitation_reminder_hours: float = Field(24.0, ge=0)  # 0: no reminder
    # Webhooks and the Greenhouse completion PATCH: retried with back-off, then failed
    webhook_max_attempts: int = Field(8, ge=1, le=50)
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    webhook_backoff_base_seconds: float = Field(30.0, gt=0)  # doubles per attempt
    webhook_backoff_max_seconds: float = Field(3600.0, gt=0)
    webhook_interval_seconds: float = Field(2.0, ge=0)  # 0: this process sends no webhooks
    # The username of the Basic auth on the Greenhouse completion PATCH (Greenhouse's key for
    # this partner, if it gave one); empty: the PATCH carries no credentials
    greenhouse_patch_key: SecretStr = SecretStr("")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        secrets_path = Path(
            os.environ.get(
                f"{ENV_PREFIX}SECRETS_FILE", PROJECT_ROOT / ".streamlit" / "secrets.toml"
            )
        )
        return (init_settings, env_settings, _SecretsTomlSource(settings_cls, secrets_path))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # "Asia" is a folder
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("public_base_url", "openai_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("yolo_weights", "embedding_model_path")
    @classmethod
    def _absolute_path(cls, value: str) -> str:
        if value and not Path(value).is_absolute():
            raise ValueError("must be an absolute path (a bare name would make a library download)")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        import ipaddress

        items = [item.strip() for item in value.split(",") if item.strip()]
        if items == ["*"]:
            return "*"
        for item in items:
            try:  # as uvicorn reads them: "/" makes a network (host bits unset), else an address
                ipaddress.ip_network(item) if "/" in item else ipaddress.ip_address(item)
            except ValueError as exc:
                raise ValueError(
                    f"{item!r} is not an IP address or network (names are not allowed)"
                ) from exc
        return ",".join(items)

    @field_validator("ice_servers_json")
    @classmethod
    def _ice_servers_parse(cls, value: str) -> str:
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc}") from exc
        if not isinstance(parsed, list) or not all(isinstance(s, dict) for s in parsed):
            raise ValueError("must be a JSON list of objects")
        return value

    # Derived values -------------------------------------------------------------------
    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'app.db').resolve()}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def ice_servers(self) -> list[dict[str, Any]]:
        return list(json.loads(self.ice_servers_json))

    @property
    def llm_enabled(self) -> bool:
        if self.evaluator == "offline":
            return False
        return bool(
            self.local_llm_model_path
            or self.openai_api_key.get_secret_value()
            or self.evaluator == "llm"
        )

    @property
    def llm_label(self) -> str:
        """The model the AI endpoint serves, for people (status panel, logs)."""
        if self.local_llm_model_path:
            return f"local {Path(self.local_llm_model_path).stem} (llama.cpp)"
        return self.openai_model


def load_settings(**overrides: Any) -> Settings:
    """Build settings; raise SettingsError naming each bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"{ENV_PREFIX}{name.upper()}: {err['msg']}")
        raise SettingsError("Invalid settings:\n  " + "\n  ".join(problems)) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings, read once."""
    return load_settings()
