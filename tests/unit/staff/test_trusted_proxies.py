"""The ``trusted_proxies`` setting: what it accepts, that uvicorn believes X-Forwarded-For from
exactly those addresses, and the start-up check that refuses any other trust (uvicorn's own
default, when FORWARDED_ALLOW_IPS is unset, is loopback)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from core.config import SettingsError, load_settings
from core.staff import proxies

FORGED = "203.0.113.66"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("", ""),
        (" 10.0.0.5 , ::1 ", "10.0.0.5,::1"),
        ("10.0.0.0/24,fd00::/8", "10.0.0.0/24,fd00::/8"),
        ("*", "*"),
    ],
)
def test_the_setting_takes_addresses_and_networks(given: str, stored: str) -> None:
    assert load_settings(trusted_proxies=given).trusted_proxies == stored


@pytest.mark.parametrize("bad", ["proxy.local", "10.0.0.5/24", "10.0.0.300", "10.0.0.1;rm"])
def test_names_and_malformed_addresses_are_refused_at_start(bad: str) -> None:
    with pytest.raises(SettingsError, match="INTERVISTA_TRUSTED_PROXIES"):
        load_settings(trusted_proxies=bad)


def _client_seen(trusted: str, peer: str, forwarded: str) -> str:
    """The client address the app sees behind uvicorn's proxy-header middleware."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["client"] = scope["client"]

    scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 50000),
        "headers": [(b"x-forwarded-for", forwarded.encode())],
    }
    asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=trusted)(scope, None, None))  # type: ignore[arg-type]
    return str(seen["client"][0])


@pytest.mark.parametrize(
    ("setting", "peer", "seen"),
    [
        ("", "127.0.0.1", "127.0.0.1"),  # loopback is not a proxy unless the setting says so
        ("", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.5", "127.0.0.1", "127.0.0.1"),
        ("127.0.0.1,::1", "127.0.0.1", FORGED),  # listed: its header is believed
        ("10.0.0.0/24", "10.0.0.9", FORGED),
    ],
)
def test_uvicorn_believes_exactly_the_listed_proxies(setting: str, peer: str, seen: str) -> None:
    allow = proxies.forwarded_allow_ips(load_settings(trusted_proxies=setting))
    assert _client_seen(allow, peer, FORGED) == seen


def test_uvicorn_alone_believes_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the check below exists: with FORWARDED_ALLOW_IPS unset, uvicorn trusts loopback."""
    monkeypatch.delenv(proxies.ENV_VAR, raising=False)
    assert uvicorn.Config("server:app").forwarded_allow_ips == proxies.UVICORN_DEFAULT
    monkeypatch.setenv(proxies.ENV_VAR, "")
    assert uvicorn.Config("server:app").forwarded_allow_ips == ""


@pytest.mark.parametrize(
    ("setting", "environ", "problem"),
    [
        ("", {}, "not set"),
        ("10.0.0.5", {}, "not set"),
        ("", {"FORWARDED_ALLOW_IPS": ""}, None),
        ("", {"FORWARDED_ALLOW_IPS": "127.0.0.1"}, "but INTERVISTA_TRUSTED_PROXIES is ''"),
        ("10.0.0.5", {"FORWARDED_ALLOW_IPS": ""}, "but INTERVISTA_TRUSTED_PROXIES"),
        ("127.0.0.1,::1", {"FORWARDED_ALLOW_IPS": "::1, 127.0.0.1"}, None),
    ],
)
def test_the_start_up_check(setting: str, environ: dict[str, str], problem: str | None) -> None:
    settings = load_settings(trusted_proxies=setting)
    found = proxies.trust_problem(settings, environ)
    if problem is None:
        assert found is None
        proxies.require_trusted_proxies(settings, environ)
    else:
        assert found is not None and problem in found
        with pytest.raises(SettingsError, match="FORWARDED_ALLOW_IPS"):
            proxies.require_trusted_proxies(settings, environ)
