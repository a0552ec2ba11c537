"""The Integrations page as an administrator uses it: an API key made (its text shown once, and
it really opens the API), refused on bad input, revoked; a webhook endpoint added, pinged while
its receiver is down, the failed delivery replayed from the page and received signed by the
app's own delivery worker; Greenhouse's checklist following what is set up."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from core.clock import utcnow
from core.config import get_settings
from core.db.engine import Database
from core.db.models import InterviewTemplate
from core.domain import Role
from core.staff.api_access import ApiAuthError, resolve_api_key
from core.ui.format import md_escape
from tests.support.apptest import REPO, code_blocks, everything_shown, sign_in_as, texts
from tests.support.factories import make_user
from tests.support.smtp_server import free_port
from tests.support.webhook_receiver import Receiver, webhook_receiver


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {check}")
        time.sleep(0.1)
    return value


@pytest.fixture
def page(app_env: Database) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/connections.py"), default_timeout=30)
    sign_in_as(at, make_user(app_env, Role.ADMIN).id)
    return at.run()


def _click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def _opens_api(db: Database, raw: str) -> bool:
    try:
        resolve_api_key(db, get_settings(), raw, address="127.0.0.1", now=utcnow())
    except ApiAuthError:
        return False
    return True


def test_a_key_is_shown_once_opens_the_api_and_is_revoked(page: AppTest, app_env: Database) -> None:
    assert not page.exception and "No API keys yet." in texts(page)
    page.text_input(key="key_name").input("Nightly *export*")
    _click(page, "Create key")
    assert not page.error
    (raw,) = [c for c in code_blocks(page) if c.startswith("ivk_")]
    assert "it is not shown again" in texts(page)
    assert "1 Live API keys" in texts(page)  # the summary counts what this run made
    assert _opens_api(app_env, raw)
    table = page.dataframe[0].value
    assert list(table["Name"]) == ["Nightly *export*"]  # as typed, in a table cell
    assert list(table["Scopes"]) == ["recruiting, scheduling"]
    assert list(table["Status"]) == ["Active"]

    page.run()  # any later run: the key's text is gone for good
    assert raw not in everything_shown(page)

    assert next(b for b in page.button if b.label == "Revoke key").disabled  # not unasked
    assert _opens_api(app_env, raw)
    next(c for c in page.checkbox if "stop working" in c.label).check().run()
    _click(page, "Revoke key")
    assert list(page.dataframe[0].value["Status"]) == ["Revoked"]
    assert not _opens_api(app_env, raw)
    assert not any(s.label == "Revoke a key" for s in page.selectbox)  # nothing left to revoke


@pytest.mark.parametrize(
    ("name", "scopes", "error"),
    [
        ("", ["read"], "A key needs a name"),
        ("x" * 200, ["read"], "A key needs a name of 1 to"),
    ],
)
def test_a_bad_key_is_refused_and_nothing_is_made(
    page: AppTest, name: str, scopes: list[str], error: str
) -> None:
    page.text_input(key="key_name").input(name)
    page.multiselect(key="key_scopes").set_value(scopes)
    _click(page, "Create key")
    assert any(error in e.value for e in page.error), [e.value for e in page.error]
    assert not any(c.startswith("ivk_") for c in code_blocks(page))
    assert "No API keys yet." in texts(page)


def test_a_failed_delivery_is_replayed_from_the_page(
    app_env: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app's own delivery worker sends: quickly, and once, so that a receiver down fails.
    monkeypatch.setenv("INTERVISTA_WEBHOOK_INTERVAL_SECONDS", "0.1")
    monkeypatch.setenv("INTERVISTA_WEBHOOK_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("INTERVISTA_WEBHOOK_TIMEOUT_SECONDS", "2")
    get_settings.cache_clear()
    at = AppTest.from_file(str(REPO / "pages/connections.py"), default_timeout=30)
    sign_in_as(at, make_user(app_env, Role.ADMIN).id).run()
    port = free_port()

    at.text_input(key="hook_url").input("ftp://example.com/x")
    _click(at, "Add endpoint")
    assert any(md_escape("must start with https://") in e.value for e in at.error)
    assert "No webhook endpoints yet." in texts(at)

    at.text_input(key="hook_url").input(f"http://127.0.0.1:{port}/in")
    at.text_input(key="hook_description").input("<b>ours</b>")
    _click(at, "Add endpoint")
    assert not at.error
    (secret,) = [c for c in code_blocks(at) if c.startswith("whsec_")]
    hooks = next(df.value for df in at.dataframe if "URL" in df.value.columns)
    assert list(hooks["Description"]) == ["<b>ours</b>"]

    _click(at, "Send a ping")  # the receiver is down: one attempt, then failed
    assert any("Ping queued as delivery" in s.value for s in at.success)

    def failed() -> bool:
        at.run()
        shown = next(df.value for df in at.dataframe if "Attempts" in df.value.columns)
        return list(shown["Status"]) == ["Failed"] and "1 Deliveries failed" in texts(at)

    eventually(failed)
    assert "1 delivery gave up after every retry" in texts(at)
    assert "Status: Failed after 1 attempt(s)\nLast error: " in texts(at)

    receiver = Receiver(secrets={"/in": secret})
    with webhook_receiver(receiver, port):
        _click(at, "Replay")
        assert any("Queued again as delivery" in s.value for s in at.success)
        (arrived,) = eventually(receiver.events)
    assert arrived.event == "ping" and not receiver.forged  # signed with the shown secret
    at.run()
    shown = next(df.value for df in at.dataframe if "Attempts" in df.value.columns)
    assert list(shown["Status"]) == ["Sent", "Failed"]  # newest first; the record is kept


def test_greenhouse_checklist_follows_the_setup(page: AppTest, app_env: Database) -> None:
    assert "Greenhouse can list our tests" not in texts(page)
    assert "Templates offered as tests (0)" in texts(page)
    page.text_input(key="key_name").input("Greenhouse")
    page.multiselect(key="key_scopes").set_value(["greenhouse"])
    _click(page, "Create key")
    with app_env.write() as session:
        session.execute(update(InterviewTemplate).values(greenhouse_test=True))
    page.run()
    shown = texts(page)
    assert "A live API key with the *greenhouse* scope (1)" in shown
    assert "(INTERVISTA_GREENHOUSE_PATCH_KEY): not set." in shown
    assert "Greenhouse can list our tests" not in shown  # the callback key is still missing


def test_an_endpoint_is_paused_resumed_given_a_new_secret_and_removed(page: AppTest) -> None:
    def hooks() -> Any:
        return next(df.value for df in page.dataframe if "URL" in df.value.columns)

    page.text_input(key="hook_url").input("https://hooks.example.com/intervista")
    page.multiselect(key="hook_events").set_value(["review.decided"])
    _click(page, "Add endpoint")
    (first,) = [c for c in code_blocks(page) if c.startswith("whsec_")]
    assert list(hooks()["Events"]) == ["review.decided"]
    _click(page, "Pause")
    assert list(hooks()["On"]) == [False]
    assert next(b for b in page.button if b.label == "Send a ping").disabled
    _click(page, "Resume")
    assert list(hooks()["On"]) == [True]
    _click(page, "Replace the secret")
    (second,) = [c for c in code_blocks(page) if c.startswith("whsec_")]
    assert second != first
    page.run()
    assert second not in everything_shown(page)  # shown once
    assert next(b for b in page.button if b.label == "Remove endpoint").disabled
    next(c for c in page.checkbox if "dropped too" in c.label).check().run()
    _click(page, "Remove endpoint")
    assert "No webhook endpoints yet." in texts(page)
