"""Routing and staff sessions in a real browser, served as ``make run`` serves the app.

A deep link opened signed out lands on its page after signing in; a reload and a new tab stay
signed in (an HttpOnly cookie); signing out ends the session; a flood of wrong passwords from
one address does not stop the right one from another; a candidate's link opens the interview
with no "Page not found" dialog.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Interview
from core.domain import InterviewStatus
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_env,
    require_chromium,
    streamlit_server,
)
from tests.support.factories import issue_key
from tests.support.shared import REPO_ROOT

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"
EMAIL = "rec@example.com"
NOT_FOUND = "Page not found"
SHOTS = REPO_ROOT / "test-output" / "e2e-staff-sessions"
ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app with the demo data and a recruiter, trusting X-Forwarded-For from loopback only
    (so a test can speak from two addresses); failures are delayed after 3 per account and
    address, for 30 s and more (so the delay outlasts the test)."""
    require_chromium()
    data = tmp_path_factory.mktemp("staff-sessions") / "data"
    env = app_env(
        data,
        PW=PASSWORD,
        INTERVISTA_EVALUATOR="offline",
        FORWARDED_ALLOW_IPS="127.0.0.1,::1",
        INTERVISTA_TRUSTED_PROXIES="127.0.0.1,::1",
        INTERVISTA_LOGIN_MAX_FAILURES="3",
        INTERVISTA_LOGIN_DELAY_BASE_SECONDS="30",
    )
    create = ["create-user", "--email", EMAIL, "--name", "Rec", "--role", "recruiter"]
    for args in (["seed-demo"], [*create, "--password-env", "PW"]):
        subprocess.run(
            [sys.executable, "-m", "core", *args],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(env) as base:
        yield base, data


@pytest.fixture(scope="module")
def browser(served: tuple[str, Path]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _settled(page: Any) -> None:
    """Wait until Streamlit has finished running the script."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=30_000)
    time.sleep(0.5)  # a dialog the run asked for has had time to open


def _sign_in(page: Any, password: str = PASSWORD) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _no_page_not_found(page: Any) -> None:
    from playwright.sync_api import expect

    _settled(page)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)


def test_deep_link_signed_out_lands_on_its_page_after_sign_in(
    browser: Any, served: tuple[str, Path]
) -> None:
    """First in the file: the first session of a fresh server is the one Streamlit would run
    as a pages-folder app (see server.py)."""
    from playwright.sync_api import expect

    base, _ = served
    page = browser.new_context().new_page()
    page.goto(f"{base}/review?interview=1")
    expect(page.get_by_text("Please sign in to see this page.")).to_be_visible(timeout=30_000)
    _no_page_not_found(page)
    _sign_in(page)
    expect(page.get_by_role("heading", name="Review")).to_be_visible(timeout=30_000)
    assert page.url == f"{base}/review?interview=1"
    _no_page_not_found(page)
    page.screenshot(path=str(SHOTS / "deep-link.png"))
    page.context.close()


def test_an_unknown_address_does_show_the_dialog(browser: Any, served: tuple[str, Path]) -> None:
    """The control for the assertions below: the dialog is what they would see."""
    from playwright.sync_api import expect

    base, _ = served
    page = browser.new_context().new_page()
    page.goto(f"{base}/no-such-page")
    expect(page.get_by_text(NOT_FOUND).first).to_be_visible(timeout=30_000)
    page.context.close()


def test_reload_and_new_tab_stay_signed_in_and_sign_out_ends_the_session(
    browser: Any, served: tuple[str, Path]
) -> None:
    from playwright.sync_api import expect

    base, _ = served
    context = browser.new_context()
    page = context.new_page()
    page.goto(base)
    _sign_in(page)
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible(timeout=30_000)
    (cookie,) = [c for c in context.cookies() if c["name"] == "intervista_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http here; https (or a trusted proxy's) sets it
    assert 11 * 3600 < cookie["expires"] - time.time() <= 12 * 3600

    page.reload()
    expect(page.get_by_role("heading", name="Interviews")).to_be_visible(timeout=30_000)
    other = context.new_page()  # a new tab in the same browser
    other.goto(f"{base}/candidates")
    expect(other.get_by_role("heading", name="Candidates")).to_be_visible(timeout=30_000)
    _no_page_not_found(other)

    page.get_by_text("Account", exact=True).click(timeout=10_000)
    page.get_by_text("My account", exact=True).click(timeout=10_000)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    assert not [c for c in context.cookies() if c["name"] == "intervista_session"]
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    other.reload()  # the other tab's session ended too
    expect(other.get_by_text("Please sign in to see this page.")).to_be_visible(timeout=30_000)
    context.close()


def test_wrong_passwords_from_one_address_do_not_stop_the_right_one_from_another(
    browser: Any, served: tuple[str, Path]
) -> None:
    from playwright.sync_api import expect

    base, _ = served
    attacker = browser.new_context(extra_http_headers={"X-Forwarded-For": ATTACKER}).new_page()
    attacker.goto(base)
    for _ in range(8):
        _sign_in(attacker, "not the password")
        _settled(attacker)
        if attacker.get_by_text("Too many failed sign-in attempts").count():
            break
    wait = attacker.get_by_text("Too many failed sign-in attempts. Wait")
    expect(wait).to_be_visible()
    attacker.screenshot(path=str(SHOTS / "throttled.png"))
    _sign_in(attacker)  # even the right password waits, from this address
    _settled(attacker)
    expect(wait).to_be_visible()

    office = browser.new_context(extra_http_headers={"X-Forwarded-For": OFFICE}).new_page()
    office.goto(base)
    _sign_in(office)
    expect(office.get_by_role("heading", name="Interviews")).to_be_visible(timeout=30_000)
    attacker.context.close()
    office.context.close()


def test_candidate_link_opens_the_interview_without_a_dialog(
    browser: Any, served: tuple[str, Path]
) -> None:
    from playwright.sync_api import expect

    base, data = served
    db = Database(f"sqlite:///{data / 'app.db'}")
    try:
        with db.read() as s:
            interview_id = s.scalars(
                select(Interview.id).where(Interview.status == InterviewStatus.SCHEDULED)
            ).first()
        assert interview_id is not None
        key = issue_key(db, interview_id)
    finally:
        db.dispose()
    page = browser.new_context().new_page()
    page.goto(f"{base}/interview?key={key}")
    expect(page.get_by_role("heading", name="Your interview")).to_be_visible(timeout=30_000)
    _no_page_not_found(page)
    assert page.url == f"{base}/interview?key={key}"
    page.screenshot(path=str(SHOTS / "candidate-link.png"))
    page.context.close()
