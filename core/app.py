"""The application container: every long-lived object, built from ``Settings`` alone.

Pages (through one cached resource in ``core.ui.resources``), the command line, workers, tests
and the HTTP API all build it the same way::

    app = build_application(settings)        # database migrated, nothing started yet
    app.start_background_work()             # mail worker and interview sweeper (idempotent)
    with app.db.unit_of_work() as uow: ...  # one user action, one transaction

Slow parts (the evaluator's embedding model, the sandbox check, the analytics copy) are built
on first use, once, under a lock, so a page that never needs them never pays for them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.bootstrap import ensure_database
from core.clock import Clock, SystemClock
from core.config import Settings, get_settings
from core.db.engine import Database

if TYPE_CHECKING:
    from core.analytics.dashboard import AnalyticsService
    from core.coding.sandbox.factory import Sandbox
    from core.coding.sandbox.models import SandboxUnavailable
    from core.integrations.worker import DeliveryWorker
    from core.interview.grading import DeferredGrading
    from core.interview.sweeper import InterviewSweeper
    from core.interview.transcripts import SpokenAnswers
    from core.interviewer.ai.conversation import Interviewer
    from core.interviewer.ai.questions import QuestionGenerator
    from core.interviewer.ai.types import Evaluator
    from core.mail.worker import MailWorker
    from core.recruiting.question_drafts import DraftJobs

logger = logging.getLogger(__name__)

ANALYTICS_COPY_FILE = "analytics/copy.duckdb"  # under the data dir; kept across restarts


class Application:
    """Owns the platform's long-lived objects; safe to share across threads and sessions."""

    def __init__(self, settings: Settings, db: Database, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.db = db
        self.clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()  # a part may be built from another part
        self._built: dict[str, Any] = {}
        self.mail_worker: MailWorker | None = None
        self.sweeper: InterviewSweeper | None = None
        self.delivery_worker: DeliveryWorker | None = None

    def _once(self, name: str, build: Callable[[], Any]) -> Any:
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    @property
    def evaluator(self) -> Evaluator:
        """The answer evaluator chosen by settings (LLM with offline fallback, or offline)."""
        from core.interviewer.ai.factory import build_evaluator

        return self._once("evaluator", lambda: build_evaluator(self.settings))

    @property
    def interviewer(self) -> Interviewer:
        from core.interviewer.ai.conversation import Interviewer
        from core.interviewer.ai.factory import build_llm_client

        return self._once("interviewer", lambda: Interviewer(build_llm_client(self.settings)))

    @property
    def question_generator(self) -> QuestionGenerator:
        """Questions from the job and the resume: the LLM, or our bank (see factory)."""
        from core.interviewer.ai.factory import build_question_generator

        return self._once("question_generator", lambda: build_question_generator(self.settings))

    @property
    def sandbox(self) -> Sandbox | SandboxUnavailable:
        """The code sandbox, or the reason it cannot run (shown to people, never hidden)."""
        from core.coding.sandbox.factory import build_sandbox
        from core.coding.sandbox.models import SandboxUnavailable

        def build() -> Sandbox | SandboxUnavailable:
            try:
                return build_sandbox(self.settings)
            except SandboxUnavailable as exc:
                return exc

        return self._once("sandbox", build)

    @property
    def analytics(self) -> AnalyticsService:
        """One DuckDB copy per process and database, kept in a file under the data dir."""
        from core.analytics.dashboard import AnalyticsService

        path: Path = self.settings.data_dir / ANALYTICS_COPY_FILE
        return self._once("analytics", lambda: AnalyticsService(self.db.engine, path=path))

    @property
    def spoken_answers(self) -> SpokenAnswers:
        """Transcription of spoken answers: the speech model (loaded on first use) behind one
        bounded worker thread; says it is unavailable when no model is installed."""
        from core.interview.transcripts import SpokenAnswers
        from core.interviewer.speech.factory import build_transcriber

        return self._once(
            "spoken_answers",
            lambda: SpokenAnswers(
                self.db,
                build_transcriber(self.settings),
                self.settings.data_dir,
                lambda: self.evaluator,
            ),
        )

    @property
    def grading(self) -> DeferredGrading:
        """Answers scored at once; an LLM's grade follows on a worker thread."""
        from core.interview.grading import DeferredGrading

        return self._once("grading", lambda: DeferredGrading(self.db, self.evaluator))

    @property
    def draft_jobs(self) -> DraftJobs:
        """Question drafts made on one worker thread, never the page's."""
        from core.recruiting.question_drafts import DraftJobs

        return self._once("draft_jobs", lambda: DraftJobs(self.db, self.question_generator))

    def start_background_work(self) -> None:
        """Start, once per process, the mail worker (if SMTP is set), the delivery worker
        (webhooks and Greenhouse, unless ``webhook_interval_seconds`` is 0), the interview
        sweeper and the transcription of recordings left pending.

        Called from the app's first script run and from ``python -m core serve``-like entry
        points; the CLI's one-shot commands do not start them."""
        from core.integrations.worker import start_delivery_worker
        from core.interview.sweeper import start_sweeper
        from core.mail.worker import start_mail_worker

        with self._lock:
            if self._built.get("background"):
                return
            self._built["background"] = True
        self.mail_worker = start_mail_worker(self.db, self.settings)
        self.delivery_worker = start_delivery_worker(self.db, self.settings)
        self.sweeper = start_sweeper(self)
        # Recordings a stopped process left untranscribed (a thread: the queue is bounded).
        threading.Thread(
            target=self.spoken_answers.resume_pending, name="transcripts-resume", daemon=True
        ).start()
        # LLM grades a stopped process left provisional.
        threading.Thread(
            target=self.grading.resume_pending, name="grades-resume", daemon=True
        ).start()

    def close(self) -> None:
        """Stop the background work this container started (tests, orderly shutdown)."""
        if self.sweeper is not None:
            self.sweeper.stop()
        if self.mail_worker is not None:
            self.mail_worker.stop()
        if self.delivery_worker is not None:
            self.delivery_worker.stop()
        for name in ("spoken_answers", "draft_jobs", "grading"):
            worker = self._built.get(name)
            if worker is not None:
                worker.stop()


def build_application(
    settings: Settings | None = None, *, clock: Clock | None = None
) -> Application:
    """The container for these settings, with the database reachable and migrated.

    Raises ``SettingsError`` or ``DatabaseUnavailable`` with a message for people."""
    settings = settings or get_settings()
    return Application(settings, ensure_database(settings), clock=clock)
