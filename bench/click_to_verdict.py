"""Click-to-verdict benchmark: how long a candidate waits, in a real browser, from clicking
"Run examples" until the verdict is on the screen — per language.

Serves the app (Streamlit on loopback, a fresh SQLite database), opens one interview per
language through its secret link in Debian's Chromium (Playwright), and on the coding question
(``pair-with-sum``) alternates the starter code (a runtime error) and the reference solution
(accepted), so every click produces a verdict that was not on the screen before. The time is
taken inside the page: from the button's click to the DOM mutation that shows the new verdict
(then one animation frame, so it is painted). The grading time the server stored for that run
(``code_submissions.duration_ms``: compile + run in the sandbox) is subtracted to give the
page's own share (reruns, websocket, rendering).

Usage: ``.venv/bin/python bench/click_to_verdict.py [--runs N] [--languages PYTHON,JAVA]``.
Prints the load average at start and end, a table, and as its last line a JSON object.
Targets: p50 <= 1 s for Python, JavaScript, PHP and Ruby; <= 2 s for Java and C#.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from core.bootstrap import ensure_database
from core.coding.problems.loader import default_bank
from core.coding.problems.naming import starter_code
from core.config import load_settings
from core.db.engine import Database
from core.db.models import (
    CodeSubmission,
    Interview,
    InterviewQuestion,
    InterviewResponse,
)
from core.domain import CodingLanguage, QuestionType
from tests.support.browser import (
    ACE_IFRAME,
    CHROMIUM,
    CHROMIUM_ARGS,
    app_env,
    free_port,
    streamlit_server,
)
from tests.support.factories import issue_key, make_interview

logging.basicConfig(level=logging.WARNING)
logger = logging.getLogger("click_to_verdict")
PROBLEM = "pair-with-sum"
LANGUAGES = (
    CodingLanguage.PYTHON,
    CodingLanguage.JAVASCRIPT,
    CodingLanguage.PHP,
    CodingLanguage.RUBY,
    CodingLanguage.JAVA,
    CodingLanguage.CSHARP,
)
TARGET_SECONDS = {
    CodingLanguage.JAVA: 2.0,
    CodingLanguage.CSHARP: 2.0,
}
DEFAULT_TARGET = 1.0
# Click the enabled button, resolve when `expected` first appears in the page's text
# (textContent: reading it forces no layout, so watching costs the page next to nothing).
CLICK_AND_WAIT = """
async ([label, expected]) => {
  const button = [...document.querySelectorAll('button')]
    .find((b) => b.textContent.trim() === label && !b.disabled);
  if (!button) {
    const seen = [...document.querySelectorAll('button')]
      .map((b) => b.innerText.trim() + (b.disabled ? ' (disabled)' : ''));
    throw new Error('no enabled button ' + label + '; buttons: ' + JSON.stringify(seen));
  }
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('timeout')); }, 90000);
    const observer = new MutationObserver(() => {
      if (!document.body.textContent.includes(expected)) return;
      observer.disconnect();
      clearTimeout(timer);
      const done = performance.now();
      requestAnimationFrame(() => resolve([done - start, performance.now() - start]));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const start = performance.now();
    button.click();
  });
}
"""


@dataclass
class Figures:
    language: CodingLanguage
    seconds: list[float] = field(default_factory=list)  # click → painted verdict
    grading: list[float] = field(default_factory=list)  # the server's compile + run
    first_run: float = 0.0

    @property
    def target(self) -> float:
        return TARGET_SECONDS.get(self.language, DEFAULT_TARGET)

    def quantile(self, values: list[float], q: float) -> float:
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]

    def summary(self) -> dict[str, Any]:
        page = [max(0.0, s - g) for s, g in zip(self.seconds, self.grading, strict=False)]
        p50 = statistics.median(self.seconds)
        return {
            "p50": round(p50, 3),
            "p90": round(self.quantile(self.seconds, 0.9), 3),
            "grading_p50": round(statistics.median(self.grading), 3) if self.grading else None,
            "page_p50": round(statistics.median(page), 3) if page else None,
            "first_run": round(self.first_run, 3),
            "runs": len(self.seconds),
            "target_p50": self.target,
            "met": p50 <= self.target,
        }


def _prepare(db: Database, language: CodingLanguage) -> tuple[int, int, str]:
    """An interview whose first question is the coding problem in ``language``; its link."""
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video = False
        interview.enable_audio = False
        interview.coding_language = language
        q = s.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == iid)
            .order_by(InterviewQuestion.order)
        ).first()
        assert q is not None
        q.question_type = QuestionType.CODING
        q.coding_problem_ref = PROBLEM
        qid = q.id
    return iid, qid, issue_key(db, iid)


def _draft(db: Database, qid: int) -> str | None:
    with db.read() as s:
        return s.scalars(
            select(InterviewResponse.code_response).where(InterviewResponse.question_id == qid)
        ).first()


def _last_grading(db: Database, qid: int) -> float:
    with db.read() as s:
        row = s.scalars(
            select(CodeSubmission.duration_ms)
            .where(CodeSubmission.question_id == qid)
            .order_by(CodeSubmission.id.desc())
        ).first()
    return float(row or 0.0) / 1000


def _idle(page: Any) -> None:
    page.wait_for_timeout(250)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)


def _type(page: Any, db: Database, qid: int, code: str) -> None:
    """Replace the editor's text and wait until the server holds it (the panel saves it)."""
    editor = page.frame_locator(ACE_IFRAME).locator(".ace_editor").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)  # the editor sends its text 200 ms after the last change
    deadline = time.monotonic() + 30
    while _draft(db, qid) != code:
        if time.monotonic() > deadline:
            page.screenshot(path="/tmp/click_to_verdict_failure.png", full_page=True)
            raise RuntimeError(
                "the editor's text did not reach the server (page: "
                "/tmp/click_to_verdict_failure.png); the server holds "
                f"{(_draft(db, qid) or '')[:80]!r}"
            )
        time.sleep(0.1)
    _idle(page)


def _click(page: Any, expected: str) -> tuple[float, float]:
    """Click Run examples; (ms until the verdict is in the page, ms until it is painted)."""
    from playwright.sync_api import expect

    try:
        expect(page.get_by_role("button", name="Run examples")).to_be_enabled(timeout=60_000)
        clicked, painted = page.evaluate(CLICK_AND_WAIT, ["Run examples", expected])
    except Exception:
        page.get_by_text("Explain your approach").scroll_into_view_if_needed()
        page.screenshot(path="/tmp/click_to_verdict_failure.png")
        logger.error("page text: %s", page.inner_text("body")[-3000:])
        raise
    return float(clicked), float(painted)


def _measure(page: Any, db: Database, qid: int, runs: int, language: CodingLanguage) -> Figures:
    spec = default_bank()[PROBLEM]
    reference = spec.solutions[language]
    starter = starter_code(spec.spec.function, language)  # type: ignore[union-attr]
    figures = Figures(language)
    _type(page, db, qid, reference)
    clicked, _ = _click(page, "Accepted:")
    figures.first_run = clicked / 1000  # includes compiling the harness library (Java) once
    for index in range(runs):
        code, verdict = (starter, "Runtime error:") if index % 2 == 0 else (reference, "Accepted:")
        _type(page, db, qid, code)
        _, painted = _click(page, verdict)
        figures.seconds.append(painted / 1000)
        figures.grading.append(_last_grading(db, qid))
        _idle(page)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per language")
    parser.add_argument("--languages", default=",".join(lang.value for lang in LANGUAGES))
    parser.add_argument("--screenshots", type=Path, help="save a full-page shot per language here")
    args = parser.parse_args()
    languages = [CodingLanguage(name.strip().upper()) for name in args.languages.split(",")]
    load_start = os.getloadavg()
    print(f"load average at start: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}")
    from playwright.sync_api import expect, sync_playwright

    results: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="click-to-verdict-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        port = free_port()
        env = app_env(data, INTERVISTA_EVALUATOR="offline", INTERVISTA_SWEEPER_INTERVAL_SECONDS="0")
        settings = load_settings(data_dir=data, database_url=env["INTERVISTA_DATABASE_URL"])
        db = ensure_database(settings)
        interviews = {lang: _prepare(db, lang) for lang in languages}
        with streamlit_server(env, port=port) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for language in languages:
                _, qid, key = interviews[language]
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{base}/interview?key={key}")
                start = page.get_by_role("button", name="Start the interview")
                expect(start).to_be_enabled(timeout=60_000)
                start.click()
                expect(page.get_by_text("Question 1 of")).to_be_visible(timeout=60_000)
                page.frame_locator(ACE_IFRAME).locator(".ace_editor").first.wait_for(timeout=60_000)
                _idle(page)
                figures = _measure(page, db, qid, args.runs, language)
                results.append(figures)
                print(f"{language.label}: {[round(s, 2) for s in figures.seconds]}", flush=True)
                if args.screenshots:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    shot = args.screenshots / f"{language.value.lower()}.png"
                    page.screenshot(path=str(shot), full_page=True)
                page.close()
            browser.close()
        db.dispose()
    load_end = os.getloadavg()
    print(f"load average at end: {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}")
    header = (
        f"{'language':<11}{'runs':>5}{'p50 s':>8}{'p90 s':>8}{'grading p50':>13}"
        f"{'page p50':>10}{'first run':>11}{'target':>8}  met"
    )
    print(header)
    print("-" * len(header))
    summary: dict[str, Any] = {}
    for figures in results:
        row = figures.summary()
        summary[figures.language.value] = row
        print(
            f"{figures.language.label:<11}{row['runs']:>5}{row['p50']:>8.2f}{row['p90']:>8.2f}"
            f"{row['grading_p50'] or 0:>13.2f}{row['page_p50'] or 0:>10.2f}"
            f"{row['first_run']:>11.2f}{row['target_p50']:>8.1f}  {'yes' if row['met'] else 'NO'}"
        )
    print(
        json.dumps(
            {
                "benchmark": "click_to_verdict",
                "problem": PROBLEM,
                "languages": summary,
                "all_met": all(v["met"] for v in summary.values()),
                "load_average": {"start": list(load_start), "end": list(load_end)},
                "cpus": os.cpu_count(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
