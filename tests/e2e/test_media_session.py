"""One media session survives everything a candidate does (real Chromium, fake camera).

An interview with reruns every second or so (typing; the page saves drafts while typing),
submits, one reload, one second tab, and one forced network drop (the test closes the
browser's RTCPeerConnection and lets the page notice, as it would notice a dead network). Each
time the camera must come back by itself; no "camera lost" warning may be recorded for these
drops; every recorded segment decodes; the reviewers' joined video covers at least 95 % of the
time the camera was on (the interview from the first segment on, less the seconds it was
reconnecting); nothing typed is lost.

``INTERVISTA_E2E_MEDIA_MINUTES`` (default 2) sets how long the typing phase lasts; with 10 (the
long run, not run in CI by default: it takes over ten minutes) the joined video must also cover
95 % of the whole interview — in the short run the four forced reconnects (about 4–9 s each on
a busy machine) are too large a share for that.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.migrate import upgrade_to_head
from core.db.models import Interview, InterviewResponse
from core.domain import InterviewStatus, ProctorEventKind
from core.proctor.event_log import list_events
from core.proctor.joined import joined_recording
from core.proctor.media_probe import probe_media
from core.proctor.recordings import list_recordings
from tests.support.browser import (
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
from tests.support.factories import issue_key, make_interview
from tests.support.shared import shared_path

MINUTES = float(os.environ.get("INTERVISTA_E2E_MEDIA_MINUTES", "2"))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.shared,
    pytest.mark.slow,
    pytest.mark.timeout(int(300 + 90 * MINUTES)),  # the long run needs more than the default
]
K = ProctorEventKind
SHOTS = Path(__file__).resolve().parents[2] / "data" / "e2e-media"

# Runs in every frame before its scripts: remember the page's peer connections so the test can
# cut one (the webrtc component keeps its own inside React).
TRACK_PEER_CONNECTIONS = """
(() => {
  const Original = window.RTCPeerConnection;
  if (!Original || window.__pcs) return;
  window.__pcs = [];
  function Tracked(...args) { const pc = new Original(...args); window.__pcs.push(pc); return pc; }
  Tracked.prototype = Original.prototype;
  Object.setPrototypeOf(Tracked, Original);
  window.RTCPeerConnection = Tracked;
})();
"""
CUT_CONNECTION = """
() => {
  const pc = (window.__pcs || []).filter((p) => p.connectionState === "connected").pop();
  if (!pc) return false;
  // What the browser reports when the network under a connection dies.
  Object.defineProperty(pc, "connectionState", { get: () => "failed", configurable: true });
  pc.dispatchEvent(new Event("connectionstatechange"));
  return true;
}
"""


def _wait(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


def _draft(db: Database, interview_id: int, order: int) -> str:
    with db.read() as s:
        rows = s.scalars(
            select(InterviewResponse).where(InterviewResponse.interview_id == interview_id)
        ).all()
        by_question = {r.question_id: r for r in rows}
        from core.db.models import InterviewQuestion

        q = s.scalars(
            select(InterviewQuestion).where(
                InterviewQuestion.interview_id == interview_id, InterviewQuestion.order == order
            )
        ).one()
        r = by_question.get(q.id)
        return (r.text_response or "") if r else ""


def _type_slowly(page: Any, text: str, seconds: float) -> None:
    """Type ``text`` in pieces over ``seconds``: the page commits and reruns as it goes."""
    from playwright.sync_api import expect

    box = page.get_by_label("Your answer")
    expect(box).to_have_count(1, timeout=30_000)  # the last question's box has gone
    pieces = [text[i : i + 12] for i in range(0, len(text), 12)]
    pause = max(0.2, seconds / max(1, len(pieces)))
    box.click()
    for piece in pieces:
        page.keyboard.type(piece, delay=20)
        time.sleep(pause)


def test_camera_survives_reruns_reload_second_tab_and_a_drop(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    y4m = make_y4m(
        shared_path("proctor", "video", "head-pose-face-detection-female-and-male.gif"),
        tmp_path / "camera.y4m",
    )
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    env = app_env(
        data,
        INTERVISTA_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        INTERVISTA_YOLO_WEIGHTS=str(shared_path("models", "yolo11n_320.onnx")),
        INTERVISTA_DETECTOR="onnxruntime",
        INTERVISTA_EVALUATOR="offline",
        INTERVISTA_ICE_SERVERS_JSON="[]",
        # The camera must come back by itself within this test's own wait (90 s): under the
        # full suite a starved Chromium once needed 31 s to reconnect. The 30-s default rule
        # itself is covered by tests/unit/proctor/test_connection_rules.py and
        # tests/integration/proctor/test_media_session.py.
        INTERVISTA_PROCTOR_CAMERA_AWAY_SECONDS="90",
    )
    db = Database(env["INTERVISTA_DATABASE_URL"])
    upgrade_to_head(db.engine)
    interview_id = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=20))
    with db.write() as s:
        interview = s.get(Interview, interview_id)
        assert interview is not None
        interview.enable_video = True
    link = f"http://127.0.0.1:{port}/interview?key={issue_key(db, interview_id)}"
    typed: dict[int, str] = {}

    with streamlit_server(env, port=port), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=fake_camera_args(y4m))
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(TRACK_PEER_CONNECTIONS)
        page = context.new_page()
        try:
            page.goto(link)
            expect(page.get_by_text("What happens")).to_be_visible(timeout=30_000)
            page.get_by_text("I agree that my camera").click()
            page.frame_locator(WEBRTC_IFRAME).get_by_role("button", name="START").click(
                timeout=60_000
            )  # once: from now on the page keeps the camera on by itself
            camera_plays(page)
            start = page.get_by_role("button", name="Start the interview")
            expect(start).to_be_enabled(timeout=60_000)
            start.click()  # one press
            expect(page.get_by_text("Question 1 of 3")).to_be_visible(timeout=30_000)
            camera_plays(page)

            # Reruns every second or so while typing; a submit; the camera stays on.
            pieces = max(10, int(60 * MINUTES * 0.8 / 3))  # a piece every ~3 s
            typed[1] = " ".join(f"typed-{n:04d}" for n in range(pieces))
            _type_slowly(page, typed[1], 60 * MINUTES * 0.8)
            _wait(lambda: _draft(db, interview_id, 1) == typed[1], 60, "the draft saved as typed")
            page.get_by_role("button", name="Submit answer").click()  # one press
            expect(page.get_by_text("Question 2 of 3")).to_be_visible(timeout=30_000)
            camera_plays(page)

            # A reload: the text typed without leaving the box is there; the camera comes back.
            typed[2] = "Second answer before a reload."
            _type_slowly(page, typed[2], 5)
            chat_text = "May I answer in pseudo-code"  # typed, not sent yet
            page.get_by_placeholder("Ask the interviewer a question").type(chat_text, delay=20)
            time.sleep(1.5)
            page.reload()
            expect(page.get_by_text("Question 2 of 3")).to_be_visible(timeout=60_000)
            expect(page.get_by_label("Your answer")).to_have_value(typed[2], timeout=30_000)
            chat = page.get_by_placeholder("Ask the interviewer a question")
            expect(chat).to_have_value(chat_text, timeout=30_000)  # kept by the browser
            chat.press("Enter")
            expect(page.get_by_text(chat_text).first).to_be_visible(timeout=60_000)
            camera_plays(page)

            # A second tab takes over; what the first typed last is saved first.
            tail = " And a last line typed just before the second tab opened."
            page.get_by_label("Your answer").click()
            page.keyboard.press("End")
            page.keyboard.type(tail, delay=10)
            typed[2] += tail
            second = context.new_page()
            second.goto(link)
            expect(second.get_by_text("Question 2 of 3")).to_be_visible(timeout=60_000)
            _wait(lambda: _draft(db, interview_id, 2) == typed[2], 30, "the first tab's text")
            camera_plays(second)
            expect(page.get_by_text("continues in another tab")).to_be_visible(timeout=90_000)
            page.close()
            page = second
            page.reload()  # shows what the first tab saved
            expect(page.get_by_label("Your answer")).to_have_value(typed[2], timeout=30_000)
            camera_plays(page)

            # A forced network drop: the camera reconnects by itself.
            webrtc = next(f for f in page.frames if "webrtc_streamer" in f.url)
            assert webrtc.evaluate(CUT_CONNECTION), "no connected peer connection to cut"
            time.sleep(2)
            camera_plays(page, seconds=90)
            page.screenshot(path=str(SHOTS / "after-drop.png"), full_page=True)

            page.get_by_role("button", name="Submit answer").click()
            expect(page.get_by_text("Question 3 of 3")).to_be_visible(timeout=30_000)
            typed[3] = "Third answer after the drop."
            _type_slowly(page, typed[3], 10)
            _wait(lambda: _draft(db, interview_id, 3) == typed[3], 60, "the third draft")
            page.get_by_role("button", name="Submit answer").click()
            expect(page.get_by_text("You have answered every question.")).to_be_visible(
                timeout=30_000
            )
            page.get_by_role("button", name="Finish the interview").click()
            expect(page.get_by_text("Interview complete. Thank you!")).to_be_visible(timeout=90_000)
        except Exception:
            page.screenshot(path=str(SHOTS / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
        time.sleep(5)  # the last segment is finalized and registered

    with db.read() as s:
        interview = s.get(Interview, interview_id)
        assert interview is not None and interview.status is InterviewStatus.COMPLETED
        started, completed = interview.started_at, interview.completed_at
        answers = {
            r.question_id: r.text_response
            for r in s.scalars(
                select(InterviewResponse).where(InterviewResponse.interview_id == interview_id)
            )
        }
    assert sorted(answers.values()) == sorted(typed.values())  # nothing typed was lost

    events = list_events(db, interview_id)
    kinds = [e.kind for e in events]
    print("events:", [(e.kind.value, e.severity.value, e.detail) for e in events])
    assert K.CAMERA_LOST not in kinds
    assert K.SYSTEM_ISSUE not in kinds

    folder = data / "recordings" / str(interview_id)
    # The last segment is finalized when its video stalls (8 s) and registered once it decodes:
    # on a loaded machine that takes a while after the browser closed.
    _wait(
        lambda: len(list(folder.glob("*.mp4"))) == len(list_recordings(db, interview_id)),
        90,
        "every segment on disk to be registered",
    )
    recordings = list_recordings(db, interview_id)
    files = sorted(folder.glob("*.mp4"))
    assert len(files) == len(recordings) >= 1
    for path in files:
        probe = probe_media(path)
        assert probe.error == "" and probe.video_frames > 0, (path.name, probe.error)
    assert started is not None and completed is not None
    camera_on = min(r.started_at for r in recordings)
    joined = joined_recording(
        recordings, data, interview_id, started_at=camera_on, ended_at=completed
    )
    print(
        f"segments {len(joined.segments)}, recorded {joined.recorded_seconds:.1f} s of "
        f"{joined.span_seconds:.1f} s ({(joined.share or 0):.1%}); gaps "
        f"{[round(g.seconds, 1) for g in joined.gaps]}"
    )
    log = data / "streamlit.log"  # the page's own restarts of a stuck connection attempt
    restarts = [
        line[:200]
        for line in (log.read_text(errors="replace") if log.exists() else "").splitlines()
        if "without video: restarting" in line
    ]
    print(f"connection attempts restarted: {len(restarts)}", *restarts, sep="\n  ")
    assert joined.path is not None or len(joined.segments) == 1
    joined_probe = probe_media(data / joined.path) if joined.path else None
    assert joined_probe is None or (joined_probe.error == "" and joined_probe.video_frames > 0)
    # The camera was on from the first segment to the end, except while it reconnected (the
    # connection events): the recording must cover 95 % of that.
    reconnecting = sum(e.duration_seconds or 0 for e in events if e.kind is K.CONNECTION)
    camera_on_seconds = (joined.span_seconds or 0) - reconnecting
    print(f"camera on {camera_on_seconds:.1f} s, reconnecting {reconnecting:.1f} s")
    # Each of the reload, the second tab and the drop started a new segment (a reconnect
    # faster than 2 s is jitter, not a connection event: on a quiet machine most are).
    assert len(joined.segments) >= 4
    assert joined.recorded_seconds >= 0.95 * camera_on_seconds
    if MINUTES >= 10:  # the long run: a few seconds per reconnect are a small share
        assert (joined.share or 0) >= 0.95
