"""Only Home.py's router runs a page, from the very first request after a start.

Streamlit runs an app with a ``pages/`` folder beside its main script as an old-style
pages-folder app until some run of the main script calls ``st.navigation``: right after a
restart, ``/users`` would run ``pages/users.py`` directly, skipping the router (its menu from the
permissions table, its sign-in form that returns to the page). ``server.py`` closes that route.
This test opens every page's address at once as the first requests a fresh server gets, and
checks each was run by the router (its page title and layout, which a page file run by itself
does not set).
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_env, require_chromium
from tests.support.browser import streamlit_server as serve
from tests.support.shared import REPO_ROOT

pytestmark = pytest.mark.browser
# Signed out, the sign-in page (pages/login.py) is the site's root "/", not "/login".
PAGES = sorted(p.stem for p in (REPO_ROOT / "pages").glob("*.py") if p.stem != "login")


def test_every_page_address_first_thing_after_a_start_goes_through_the_router(
    tmp_path: Path,
) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    data = tmp_path / "data"
    data.mkdir()
    assert len(PAGES) >= 10, PAGES
    with serve(app_env(data, INTERVISTA_EVALUATOR="offline")) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tabs: dict[str, Any] = {}
            for name in PAGES:  # all at once: none waits for another's first run
                tab = browser.new_context().new_page()
                tab.goto(f"{base}/{name}", wait_until="commit")
                tabs[name] = tab
            for name, tab in tabs.items():
                status = tab.locator('[data-testid="stStatusWidget"]')
                expect(tab.locator('[data-testid="stApp"]')).to_be_visible(timeout=60_000)
                status.wait_for(state="hidden", timeout=60_000)
                # On a loaded host the tab can still show the default title ("Streamlit") before
                # its first run: wait for the router's; a bypassed page never gets it.
                with contextlib.suppress(AssertionError):  # the assert below names the page
                    expect(tab).to_have_title("Intervista", timeout=60_000)
                time.sleep(0.5)
                # Home.py sets the title and the wide layout; a page file run by itself (as a
                # pages-folder app runs it) has its file name for a title and a narrow layout.
                layout = tab.locator('[data-testid="stAppViewContainer"]').get_attribute(
                    "data-layout"
                )
                assert (tab.title(), layout) == ("Intervista", "wide"), f"/{name} bypassed"
                expect(tab.get_by_text("Page not found")).to_have_count(0)
                if name != "interview":
                    expect(tab.get_by_text("Please sign in to see this page.")).to_be_visible()
        finally:
            browser.close()
