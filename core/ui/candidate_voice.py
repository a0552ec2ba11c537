"""Speaking in the interview room: a spoken answer (stored, transcribed, shown back), a spoken
question to the interviewer, and questions read aloud by the browser.

The speech model runs on the transcription worker (``core.interview.transcripts``); the page's
script thread only waits for it, under a spinner, for a bounded time.
"""

from __future__ import annotations

import json
import logging

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.clock import utcnow
from core.db.engine import Database
from core.domain import TranscriptStatus
from core.interview import flow, media
from core.interview.transcripts import StoredTranscript
from core.interviewer.speech.types import TranscriptionError
from core.ui.format import md_escape
from core.ui.resources import app_settings, app_spoken_answers

logger = logging.getLogger(__name__)
SHOW_WAIT_SECONDS = 20.0  # then the page goes on; the answer is transcribed when submitted
CHAT_WAIT_SECONDS = 30.0


def voice_answer(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str
) -> None:
    """Answer by voice: stored for the reviewers, transcribed and scored like typed text."""
    spoken = app_spoken_answers()
    hint = "transcribed and scored" if spoken.available else "kept for the reviewers"
    recorded = st.audio_input(f"Or answer by voice ({hint})", key=f"audio_{q.id}")
    heard: StoredTranscript | None = None
    if recorded is not None and st.session_state.get(f"audio_saved_{q.id}") != recorded.file_id:
        try:
            media.save_audio(
                db,
                app_settings().data_dir,
                view.id,
                q.id,
                audio=recorded.getvalue(),
                token=token,
                now=utcnow(),
            )
        except flow.FlowError as exc:
            st.warning(str(exc))
            return
        st.session_state[f"audio_saved_{q.id}"] = recorded.file_id
        # Without a model this only records why (for the reviewers), at once.
        with st.spinner("Transcribing your spoken answer…" if spoken.available else "Saving…"):
            heard = spoken.settle(q.id, SHOW_WAIT_SECONDS)
    if heard is not None:
        _show_transcript(view, heard.status, heard.text, heard.error, spoken.available)
    elif q.audio_path:
        _show_transcript(
            view, q.transcript_status, q.transcript_text, q.transcript_error, spoken.available
        )


def _show_transcript(
    view: flow.CandidateInterview,
    status: TranscriptStatus | None,
    text: str,
    error: str,
    available: bool,
) -> None:
    if not available and status is not TranscriptStatus.DONE:
        st.caption(
            "Your spoken answer is saved. Spoken answers are not transcribed on this server: "
            "a reviewer listens to the recording."
        )
    elif status is TranscriptStatus.DONE:
        if view.show_transcript:
            st.markdown("**We heard:** " + md_escape(text))
            st.caption(
                "Your spoken answer is scored from these words (with anything you typed). "
                "If they are wrong, record again or type your answer."
            )
        else:
            st.caption("Your spoken answer is saved and transcribed for scoring.")
    elif status is TranscriptStatus.FAILED:
        st.warning(
            f"Your recording is saved, but it could not be transcribed: {error} "
            "A reviewer will listen to it; you can also record again or type your answer."
        )
    else:
        st.caption("Your spoken answer is saved; it is being transcribed and will be scored.")


def voice_message(view: flow.CandidateInterview, q: flow.CandidateQuestion) -> str | None:
    """A question to the interviewer asked by voice, as text (None: nothing new to send)."""
    spoken = app_spoken_answers()
    if not spoken.available:
        return None
    recorded = st.audio_input("Or ask by voice", key=f"chat_audio_{q.id}")
    if recorded is None or st.session_state.get(f"chat_audio_sent_{q.id}") == recorded.file_id:
        return None
    st.session_state[f"chat_audio_sent_{q.id}"] = recorded.file_id
    try:
        with st.spinner("Transcribing your question…"):
            return spoken.transcribe_message(recorded.getvalue(), view.id, CHAT_WAIT_SECONDS)
    except TranscriptionError as exc:
        st.warning(f"Your spoken question could not be sent: {exc}")
        return None


def mic_check(interview_id: int, recorded: UploadedFile | None) -> None:
    """The welcome page's microphone test: say what was heard, or why nothing was (a muted
    or wrong microphone shows here, before the interview). Nothing is stored."""
    spoken = app_spoken_answers()
    if recorded is None or not spoken.available:
        return
    key = "mic_check_result"  # (file id, heard, what was heard or why not)
    if st.session_state.get(key, (None, False, ""))[0] != recorded.file_id:
        try:
            with st.spinner("Listening to your test…"):
                text = spoken.transcribe_message(
                    recorded.getvalue(), interview_id, CHAT_WAIT_SECONDS
                )
            st.session_state[key] = (recorded.file_id, True, text)
        except TranscriptionError as exc:
            st.session_state[key] = (recorded.file_id, False, str(exc))
    _, heard, text = st.session_state[key]
    if heard:
        st.success(f"We heard: {md_escape(text)} — your microphone works.")
    else:
        st.warning(f"Your microphone test: {text}")


_SPEAK = """<button id="say" style="font:inherit;padding:.2rem .6rem;cursor:pointer">
🔊 Read the question aloud</button>
<script>
const text = %(text)s;
const button = document.getElementById("say");
if (!("speechSynthesis" in window)) { button.disabled = true;
  button.textContent = "This browser cannot read aloud"; }
button.onclick = () => { speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text); u.lang = "en-US"; speechSynthesis.speak(u); };
</script>"""


def read_aloud(text: str) -> None:
    """A button that reads ``text`` with the browser's own speech synthesis (no model). The
    text goes into the script as a JSON string literal, never as markup."""
    payload = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")
    st.iframe(_SPEAK % {"text": payload}, height=44)
