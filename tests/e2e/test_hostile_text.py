"""No markup from users, in a real browser: hostile text in every field fetches nothing.

Every text a user, a candidate or an imported file can write — names, emails, titles, job
descriptions, template questions and extra keys, coding problem references, answers, chat,
feedback, override reasons, comments, booking notes, outbox errors, CSV headers, template
JSON keys — holds a markdown image, an HTML image, a markdown link, a bare URL and a
spreadsheet formula, all pointing at 198.51.100.7 (TEST-NET-2, never reachable). An admin, a
recruiter (who also imports the hostile CSV and JSON and duplicates the template), a hiring
manager and the candidate open every page, every tab and every expander. The browser must
ask nothing from any origin but the app's, draw no link or image to the outside, show the
text as written, and the analytics CSV must hand no formula to a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from core.config import load_settings
from core.domain import Role
from core.recruiting.template_admin import EXPORT_FORMAT, EXPORT_VERSION
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_env,
    free_port,
    require_chromium,
    streamlit_server,
)
from tests.support.factories import PASSWORD
from tests.support.hostile_text import EVIL, HOSTILE, IMAGE, STAFF, seed_hostile_world
from tests.support.shared import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = REPO_ROOT / "test-output" / "e2e-hostile-text"

STAFF_PAGES = (
    "interviews",
    "candidates",
    "jobs",
    "templates",
    "schedule",
    "outbox",
    "analytics",
    "users",
    "account",
)


@dataclass
class World:
    base: str
    review_id: int
    candidate_link: str
    outside: list[str] = field(default_factory=list)  # requests the browser tried to send


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    require_chromium()
    data = tmp_path_factory.mktemp("hostile-text") / "data"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = app_env(data, INTERVISTA_EVALUATOR="offline", INTERVISTA_PUBLIC_BASE_URL=base)
    settings = load_settings(
        data_dir=data, database_url=env["INTERVISTA_DATABASE_URL"], public_base_url=base
    )
    review_id, link = seed_hostile_world(settings)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(env, port=port) as served:
        yield World(served, review_id, link)


@pytest.fixture(scope="module")
def browser(world: World) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _context(browser: Any, world: World) -> Any:
    """A browser context that lets only the app's own origin through and records the rest
    (every request of every page and frame passes the route; data: and blob: never leave)."""
    own = urlsplit(world.base).netloc
    world.outside.clear()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

    def gate(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == own:
            route.continue_()
        else:
            world.outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    return context


def _settled(page: Any) -> None:
    page.wait_for_timeout(400)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(400)


def _sign_in(page: Any, world: World, role: Role, path: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{world.base}/{path}")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    page.get_by_label("Email").fill(STAFF[role])
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0, timeout=30_000)
    _settled(page)
    _close_dialog(page)
    if page.url != f"{world.base}/{path}":  # signing in should return here; go there if not
        print(f"signed in at {page.url}, not /{path}")
        page.goto(f"{world.base}/{path}")
        _settled(page)


def _close_dialog(page: Any) -> None:
    """Close Streamlit's "Page not found" dialog, which signing in sometimes leaves over the
    page (a routing defect outside this test's subject; printed, so it stays visible)."""
    dialog = page.get_by_role("dialog")
    if dialog.count():
        print(f"dialog shown on {page.url}: {dialog.first.inner_text()!r}")
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="detached", timeout=10_000)


_OUTSIDE_MARKUP = """(host) => {
  const found = [];
  for (const el of document.querySelectorAll('a, img, image, iframe, source, video, audio')) {
    for (const name of ['href', 'src', 'xlink:href', 'srcset', 'poster']) {
      const value = el.getAttribute(name);
      if (value && value.includes(host)) {
        const box = el.closest('[data-testid]');
        found.push(`${el.tagName} ${name}=${value} in ${box ? box.dataset.testid : '?'}`);
      }
    }
  }
  return found;
}"""


def _open_everything(page: Any) -> None:
    """Show every tab and expander, so nothing the page holds stays unrendered."""
    _close_dialog(page)
    tabs = page.get_by_role("tab")
    for n in range(tabs.count()):
        tabs.nth(n).click()
        page.wait_for_timeout(150)
        closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary:visible')
        for _ in range(closed.count()):
            closed.first.click()
            page.wait_for_timeout(100)
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary:visible')
    for _ in range(closed.count()):
        closed.first.click()
        page.wait_for_timeout(100)
    page.wait_for_timeout(800)  # any image the markup asked for has been requested by now


def _inert(page: Any, world: World, where: str) -> None:
    try:
        _open_everything(page)
    except Exception:
        page.screenshot(path=str(SHOTS / f"{where}-failed.png"), full_page=True)
        raise
    page.screenshot(path=str(SHOTS / f"{where}.png"), full_page=True)
    drawn = page.evaluate(_OUTSIDE_MARKUP, EVIL)
    assert drawn == [], f"{where}: links or images to the outside: {drawn}"
    assert world.outside == [], f"{where}: the browser asked the outside for {world.outside}"
    exception = page.locator('[data-testid="stException"]')
    assert exception.count() == 0, f"{where}: {exception.first.inner_text()}"


def _shows(page: Any, text: str) -> None:
    """The page shows ``text`` as written (word joiners, which break autolinks, are invisible)."""
    shown = page.evaluate("() => document.body.innerText.replaceAll('\\u2060', '')")
    assert text in shown, f"{text!r} is not shown as written"


def _page(page: Any, world: World, path: str) -> None:
    page.goto(f"{world.base}/{path}")
    _settled(page)
    _inert(page, world, path.replace("/", "_").replace("?", "_"))


def test_admin_opens_every_staff_page(browser: Any, world: World) -> None:
    from playwright.sync_api import expect

    page = _context(browser, world).new_page()
    _sign_in(page, world, Role.ADMIN, "interviews")
    for path in STAFF_PAGES:
        if path == "analytics":
            page.goto(f"{world.base}/analytics")
            expect(page.get_by_text("Download templates.csv")).to_be_attached(timeout=90_000)
            _settled(page)
            _inert(page, world, "analytics-admin")
        else:
            _page(page, world, path)
    _page(page, world, f"review?interview={world.review_id}")
    # The text is shown as written, not swallowed: the header names the candidate and title.
    _shows(page, f"{HOSTILE} — {HOSTILE}")


def test_hiring_manager_review_and_analytics_csv(browser: Any, world: World) -> None:
    from playwright.sync_api import expect

    page = _context(browser, world).new_page()
    _sign_in(page, world, Role.HIRING_MANAGER, f"review?interview={world.review_id}")
    expect(page.get_by_text("is not in the bank").first).to_be_attached(timeout=30_000)
    _inert(page, world, "review-manager")
    page.goto(f"{world.base}/analytics")
    expect(page.get_by_text("Download templates.csv")).to_be_attached(timeout=90_000)
    _settled(page)
    _inert(page, world, "analytics-manager")
    page.get_by_role("tab", name="Templates").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download templates.csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    titled = [c for c in cells if "HYPERLINK" in c]
    assert titled, f"the template's title is not in the CSV: {text[:500]}"
    assert all(c.startswith("'=") for c in titled), titled
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells


def _upload(page: Any, label: str, content: bytes, name: str, mime: str) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=label)
    uploader.locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    _settled(page)
    page.screenshot(path=str(SHOTS / f"uploaded-{name}.png"), full_page=True)


def test_recruiter_imports_and_duplicates_hostile_files(browser: Any, world: World) -> None:
    from playwright.sync_api import expect

    page = _context(browser, world).new_page()
    _sign_in(page, world, Role.RECRUITER, "candidates")
    page.get_by_role("tab", name="Import CSV").click()
    header = f"{IMAGE},<img src=http://{EVIL}/h>,http://{EVIL}/header\nx,y,z\n"
    _upload(page, "CSV file", header.encode(), "hostile.csv", "text/csv")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Nothing was imported").first).to_be_visible(timeout=30_000)
    _shows(page, IMAGE)  # quoted as written
    _inert(page, world, "csv-import-header")

    page.goto(f"{world.base}/templates")
    _settled(page)
    page.get_by_role("tab", name="Import").click()
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "template": {"title": "t", "interview_type": "technical", "difficulty": "easy",
                     "questions": [{"question_text": "q"}], IMAGE: HOSTILE},
    }  # fmt: skip
    _upload(
        page, "Template JSON", json.dumps(document).encode(), "hostile.json", "application/json"
    )
    page.get_by_role("button", name="Import template").click()
    expect(page.get_by_text("The file was rejected").first).to_be_visible(timeout=30_000)
    _inert(page, world, "template-import-extra-key")

    page.goto(f"{world.base}/templates")
    _settled(page)
    page.get_by_role("button", name="Duplicate").click()
    expect(page.get_by_text("Created").first).to_be_visible(timeout=30_000)
    _inert(page, world, "template-duplicated")


def test_candidate_link_and_room(browser: Any, world: World) -> None:
    from playwright.sync_api import expect

    page = _context(browser, world).new_page()
    page.goto(world.base + world.candidate_link)
    start = page.get_by_role("button", name="Start the interview")
    expect(start).to_be_enabled(timeout=30_000)
    _inert(page, world, "candidate-welcome")
    start.click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible(timeout=30_000)
    _settled(page)
    _inert(page, world, "candidate-room")
    page.get_by_placeholder("Ask the interviewer a question").fill(HOSTILE)
    page.keyboard.press("Enter")
    _settled(page)
    _shows(page, IMAGE)  # the candidate's own message, as written
    time.sleep(1)
    _inert(page, world, "candidate-chat")
