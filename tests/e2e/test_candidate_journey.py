"""A whole interview in real Chromium: from the link in a real email to "Interview complete".

Booking sends the invitation through a real SMTP server on loopback (aiosmtpd); the link in
the received email opens the interview; the fake camera plays a shared two-person video; the
candidate types answers, codes in the ACE editor (Run and Submit), refreshes mid-way and resumes
with the draft, asks the interviewer, finishes, and sees the evaluation while the camera is
released. Then the database must hold every record. Screenshots go to test-output/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core.bootstrap import ensure_database
from core.config import load_settings
from core.db.models import (
    ChatMessage,
    CodeSubmission,
    Evaluation,
    FollowUp,
    Interview,
    InterviewResponse,
    ProctorEvent,
    Recording,
)
from core.domain import CodingLanguage, FollowUpStatus, InterviewStatus, ResponseStatus, Role
from core.mail.transport import build_transport
from core.mail.worker import process_due
from core.recruiting.candidates import CandidateInput, create_candidate
from core.recruiting.jobs import JobInput, create_job
from core.recruiting.template_admin import (
    TemplateQuestion,
    TemplateSpec,
    create_template,
    use_template,
)
from core.recruiting.templates import InterviewOptions
from core.scheduling.booking import book
from core.scheduling.slots import create_slots
from tests.support.browser import (
    ACE_IFRAME,
    CHROMIUM,
    WEBRTC_IFRAME,
    app_env,
    camera_plays,
    fake_camera_args,
    free_port,
    make_y4m,
    require_chromium,
    streamlit_server,
)
from tests.support.factories import make_user
from tests.support.shared import REPO_ROOT, shared_path

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.slow]
SOLUTION = (REPO_ROOT / "core/coding/problems/bank/balanced-brackets/solution.py").read_text()
SHOTS = REPO_ROOT / "test-output" / "e2e-candidate"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def _wait(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _book_and_email(env: dict[str, str], smtp_port: int) -> tuple[int, str]:
    settings = load_settings(
        data_dir=Path(env["INTERVISTA_DATA_DIR"]),
        database_url=env["INTERVISTA_DATABASE_URL"],
        public_base_url=env["INTERVISTA_PUBLIC_BASE_URL"],
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_security="none",
    )
    db = ensure_database(settings)
    recruiter = make_user(db, Role.RECRUITER)
    candidate = create_candidate(
        db,
        CandidateInput("Ada Lovelace", "ada@example.com", timezone="Europe/London"),
        actor_id=None,
    )
    job = create_job(
        db,
        JobInput("Python Developer", "Analytical Engines", coding_language=CodingLanguage.PYTHON),
        actor_id=None,
    )
    spec = TemplateSpec(
        title="Journey",
        interview_type="technical",
        difficulty="easy",
        duration_minutes=20,
        questions=[
            TemplateQuestion(
                question_text="What is a Python list comprehension?",
                expected_answer="A concise way to build a list from an iterable, "
                "with an expression and optional condition.",
                evaluation_criteria=["builds a list", "expression", "condition"],
            ),
            TemplateQuestion(
                question_text="Check balanced brackets, then explain your approach.",
                question_type="coding",
                coding_problem_ref="balanced-brackets",
                expected_answer="Use a stack of opening brackets.",
                evaluation_criteria=["stack", "matching pairs"],
            ),
        ],
    )
    template = create_template(db, spec, actor_id=recruiter.id)
    interview_id = use_template(
        db,
        template.id,
        candidate.id,
        job.id,
        InterviewOptions(enable_video=True, created_by_id=recruiter.id),
    )
    now = datetime.now(UTC)
    start = now + timedelta(seconds=20)  # the link opens 30 s before: already open
    slot = create_slots(db, [(start, start + timedelta(minutes=30))], capacity=1, now=now)[0]
    book(db, settings, interview_id=interview_id, slot_id=slot.id, now=now)
    transport = build_transport(settings)
    assert transport is not None
    assert process_due(db, transport, datetime.now(UTC), settings=settings) == 1
    return interview_id, settings.resolved_database_url


def _idle(page: Any) -> None:
    """Wait until Streamlit has finished the current rerun (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)


# What the coding panel shows while a Run or Submit works (waiting for a sandbox slot on a busy
# host included: every test worker's sandbox runs share the host's slots).
BUSY = re.compile(r"Running the examples|Running every test|Waiting for a free runner")


def _submission_kinds(db_url: str, interview_id: int) -> list[str]:
    from core.db.engine import Database

    with Database(db_url).read() as s:
        return [
            c.kind.value
            for c in s.scalars(
                select(CodeSubmission).where(CodeSubmission.interview_id == interview_id)
            )
        ]


def _click_until(
    page: Any,
    button: str,
    shows: str | re.Pattern[str],
    tries: int = 3,
    acted: Callable[[], bool] | None = None,
) -> None:
    """Click a button until its result shows. A click that lands while Streamlit is busy with
    a fragment rerun can be dropped by the frontend; the user would click again too."""
    from playwright.sync_api import expect

    for attempt in range(tries):
        _idle(page)
        if attempt and not page.get_by_role("button", name=button).count():
            page.screenshot(path=str(SHOTS / "failure.png"), full_page=True)
            raise AssertionError(f"{button!r} is gone and {shows!r} is not shown")
        page.get_by_role("button", name=button).click()
        try:
            expect(page.get_by_text(shows).first).to_be_visible(timeout=40_000)
            return
        except AssertionError:
            # The click did act (the sandbox is still busy, or the work is stored and only the
            # page has not caught up): wait for it instead of pressing again.
            if page.get_by_text(BUSY).count() or (acted is not None and acted()):
                print(f"{button!r} still running after 40 s; waiting for it")
                # Submit runs every hidden test on its own (issue 17): under a full parallel
                # suite its runs queue behind the other workers' for the host's runner slots.
                expect(page.get_by_text(shows).first).to_be_visible(timeout=300_000)
                return
            print(f"click on {button!r} had no effect (attempt {attempt + 1}); clicking again")
            if attempt == tries - 1:
                page.screenshot(path=str(SHOTS / "failure.png"), full_page=True)
                raise


def _type_in_ace(page: Any, code: str) -> None:
    editor = page.frame_locator(ACE_IFRAME).locator(".ace_editor").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)  # typing key by key would trigger autocomplete
    page.keyboard.press("Control+Enter")


def test_candidate_journey(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    y4m = make_y4m(
        shared_path("proctor", "video", "head-pose-face-detection-female-and-male.gif"),
        tmp_path / "camera.y4m",
    )
    inbox = _Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    port = free_port()
    env = app_env(
        tmp_path / "data",
        INTERVISTA_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        INTERVISTA_YOLO_WEIGHTS=str(shared_path("models", "yolo11n_320.onnx")),
        INTERVISTA_DETECTOR="onnxruntime",
        INTERVISTA_EVALUATOR="offline",
    )
    try:
        interview_id, db_url = _book_and_email(env, smtp.port)
    finally:
        smtp.stop()
    mail = message_from_bytes(inbox.messages[0])
    body = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    link = re.search(
        r"http://127\.0\.0\.1:\d+/interview\?key=[\w-]+", body.get_payload(decode=True).decode()
    )
    assert link, "the email has no interview link"
    assert any(p.get_content_type() == "text/calendar" for p in mail.walk())

    with streamlit_server(env, port=port), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=fake_camera_args(y4m))
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        # Shown with a failure: a blank page is a frontend error the server never sees.
        page.on("pageerror", lambda e: print("browser page error:", e))
        page.on("console", lambda m: m.type == "error" and print("browser console:", m.text))
        try:
            page.goto(link.group(0))
            expect(page.get_by_text("What happens")).to_be_visible(timeout=30_000)
            page.screenshot(path=str(SHOTS / "1-welcome.png"))
            page.get_by_text("I agree that my camera video").click()
            page.frame_locator(WEBRTC_IFRAME).get_by_role("button", name="START").click(
                timeout=60_000
            )
            start = page.get_by_role("button", name="Start the interview")
            expect(start).to_be_enabled(timeout=60_000)
            page.screenshot(path=str(SHOTS / "2-device-check.png"))
            _click_until(page, "Start the interview", "Question 1 of 2")
            page.get_by_label("Your answer").fill(
                "A list comprehension builds a list from an iterable with an expression."
            )
            # The answer missed "condition": the interviewer follows up before moving on.
            _click_until(page, "Submit answer", "Question 1 of 2: a follow-up")
            expect(
                page.get_by_text("could you also cover this point: condition").first
            ).to_be_visible()
            page.get_by_label("Your answer to the follow-up").fill(
                "It may also filter the items with a condition: [x for x in xs if x > 0]."
            )
            _click_until(page, "Submit follow-up answer", "Question 2 of 2")
            page.screenshot(path=str(SHOTS / "3-coding.png"))
            _type_in_ace(page, SOLUTION)
            page.get_by_label("Explain your approach").fill("I keep a stack of open brackets.")
            page.get_by_label("Explain your approach").press("Tab")  # commit the text area
            _wait(
                lambda: _draft(db_url, interview_id) == "I keep a stack of open brackets.",
                30,
                "the explanation saved as a draft",
            )
            _click_until(page, "Run examples", re.compile(r"Last run at"))
            expect(page.get_by_text(re.compile(r"tests passed"))).to_be_visible(timeout=60_000)

            page.reload()  # a refresh in the middle resumes at the same question with the draft
            expect(page.get_by_text("Question 2 of 2")).to_be_visible(timeout=60_000)
            expect(page.get_by_label("Explain your approach")).to_have_value(
                "I keep a stack of open brackets.", timeout=60_000
            )
            # The camera comes back by itself. A click in the second its connection completes can
            # lose the panel's redraw (the stored submit shows only after a reload): a known
            # defect (docs/sandbox.md, "Known limits"), not what this journey is about.
            camera_plays(page)
            _idle(page)
            page.screenshot(path=str(SHOTS / "4-resumed.png"))
            _click_until(
                page,
                "Submit code",
                re.compile(r"Last submit at"),
                acted=lambda: "submit" in _submission_kinds(db_url, interview_id),
            )
            expect(page.get_by_text(re.compile(r"\d+ of \d+ tests passed")).first).to_be_visible()
            _idle(page)
            chat = page.get_by_placeholder("Ask the interviewer a question")
            chat.fill("May I use a dict?")
            chat.press("Enter")
            try:
                expect(page.get_by_text("May I use a dict?")).to_be_visible(timeout=30_000)
            except AssertionError:
                page.screenshot(path=str(SHOTS / "failure.png"), full_page=True)
                raise
            # Whether the explanation gets a follow-up ("matching pairs") depends on how the hidden
            # tests went under this load (their share weighs 70 %): either is right; move on.
            _click_until(
                page,
                "Submit answer",
                re.compile(r"You have answered every question\.|Question 2 of 2: a follow-up"),
            )
            if page.get_by_text("Question 2 of 2: a follow-up").count():
                _click_until(page, "Move on without answering", "You have answered every question.")
            # The fake camera shows two people: the calm notice appears and the warning is stored.
            expect(page.get_by_text("Someone else seems to be in view")).to_be_visible(
                timeout=90_000
            )
            _click_until(page, "Finish the interview", "Interview complete. Thank you!")
            expect(
                page.get_by_text("Your camera and microphone have been turned off.")
            ).to_be_visible(timeout=30_000)
            page.screenshot(path=str(SHOTS / "5-complete.png"), full_page=True)
        except Exception:  # what the candidate saw, and the page as a screen reader reads it
            page.screenshot(path=str(SHOTS / "failure.png"), full_page=True)
            print("page at the failure:", page.url, page.locator("body").aria_snapshot())
            raise
        browser.close()

    from core.db.engine import Database

    db = Database(db_url)
    recordings = _wait(lambda: _rows(db, Recording, interview_id), 30, "the recording")
    with db.read() as s:
        interview = s.get(Interview, interview_id)
        assert interview.status is InterviewStatus.COMPLETED
        responses = list(
            s.scalars(
                select(InterviewResponse).where(InterviewResponse.interview_id == interview_id)
            )
        )
        assert [r.status for r in responses] == [ResponseStatus.SUBMITTED] * 2
        assert all(r.is_evaluated for r in responses)
        kinds = [
            c.kind.value
            for c in s.scalars(
                select(CodeSubmission)
                .where(CodeSubmission.interview_id == interview_id)
                .order_by(CodeSubmission.id)
            )
        ]
        assert kinds == ["run", "submit"]
        assert "May I use a dict?" in [
            m.content
            for m in s.scalars(select(ChatMessage).where(ChatMessage.interview_id == interview_id))
        ]
        assert (
            s.scalars(select(ProctorEvent).where(ProctorEvent.interview_id == interview_id)).first()
            is not None
        )
        assert s.scalars(select(Evaluation).where(Evaluation.interview_id == interview_id)).one()
        follow_up, *later = s.scalars(
            select(FollowUp).where(FollowUp.interview_id == interview_id).order_by(FollowUp.id)
        )
        assert follow_up.status is FollowUpStatus.ANSWERED and follow_up.score is not None
        assert [f.status for f in later] in ([], [FollowUpStatus.PASSED])
        assert "condition" in follow_up.answer_text
    assert recordings[0].size_bytes and recordings[0].size_bytes > 0


def _rows(db: Any, model: Any, interview_id: int) -> list[Any]:
    with db.read() as s:
        return list(s.scalars(select(model).where(model.interview_id == interview_id)))


def _draft(db_url: str, interview_id: int) -> str:
    from core.db.engine import Database

    db = Database(db_url)
    try:
        with db.read() as s:
            rows = s.scalars(
                select(InterviewResponse.text_response)
                .where(InterviewResponse.interview_id == interview_id)
                .order_by(InterviewResponse.id.desc())
            ).all()
        return rows[0] if rows else ""
    finally:
        db.dispose()
