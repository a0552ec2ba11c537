"""The reviewer's actions: overrides, flags, comments, decision, exports, erasure."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from core.clock import utcnow
from core.config import Settings
from core.db.engine import Database
from core.domain import Decision
from core.errors import PermissionDenied
from core.review import judgement
from core.review.bundle import ReviewBundle
from core.review.erasure import ErasureError, erase_interview
from core.review.export import candidate_of, export_json, text_report
from core.review.pdf import build_pdf
from core.staff.auth import StaffUser
from core.staff.permissions import Action, can, staff_principal
from core.ui.format import label, local_time, md_escape, score

_DONE = "review_done_message"


def _done(message: str) -> None:
    """The change is stored: run the page again so everything above (the header's decision
    and score, the questions, the comments) shows it, and say what was done there."""
    st.session_state[_DONE] = message
    st.rerun()


def judgement_panel(db: Database, bundle: ReviewBundle, user: StaffUser, zone: ZoneInfo) -> None:
    iid = bundle.interview.summary.id
    principal = staff_principal(user)  # every use case below asks core's permission check
    answered = [q for q in bundle.interview.questions if q.response_id is not None]
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done)
    overridden = [q for q in answered if q.override_score is not None]
    if overridden:
        st.subheader("Human overrides")
        for q in overridden:
            st.caption(f"Q{q.order}: human {score(q.override_score)} beside AI {score(q.score)}")
            st.text(f"Reason: {q.override_reason or '(none recorded)'}")
    try:
        if answered:
            with st.form("override"):
                st.subheader("Override a score")
                q = st.selectbox(
                    "Question", answered, format_func=lambda q: f"Q{q.order} · AI {score(q.score)}"
                )
                new = st.number_input("Human score (0–10)", 0.0, 10.0, 5.0, 0.5)
                reason = st.text_area("Reason (kept with the score)")
                if st.form_submit_button("Save override") and q.response_id is not None:
                    judgement.override_score(
                        db,
                        response_id=q.response_id,
                        score=new,
                        reason=reason,
                        actor_id=user.id,
                        now=utcnow(),
                        principal=principal,
                    )
                    _done(f"Q{q.order}: human score {new:.1f} saved beside AI {score(q.score)}.")
        flag = st.toggle("Marked for review", value=bundle.needs_review)
        if flag != bundle.needs_review:
            judgement.set_needs_review(db, iid, flag, actor_id=user.id, principal=principal)
        st.subheader("Decision")
        if bundle.decision:
            by = md_escape(bundle.decision_by or "—")
            st.caption(
                f"{label(bundle.decision)} by {by} on {local_time(bundle.decision_at, zone)}"
            )
        choice = st.radio(
            "Decision",
            list(Decision),
            format_func=label,
            horizontal=True,
            index=list(Decision).index(bundle.decision) if bundle.decision else None,
        )
        if choice is not None and choice != bundle.decision and st.button("Record decision"):
            judgement.set_decision(
                db, iid, choice, actor_id=user.id, now=utcnow(), principal=principal
            )
            _done(f"Decision recorded: {label(choice)}.")
        st.subheader("Comments")
        for c in bundle.comments:
            st.caption(md_escape(f"{c.author} · {local_time(c.at, zone, False)}"))
            st.text(c.body)
        with st.form("comment", clear_on_submit=True):
            body = st.text_area("Add a comment")
            if st.form_submit_button("Post comment"):
                judgement.add_comment(db, iid, body, actor_id=user.id, principal=principal)
                _done("Comment added.")
    except (judgement.JudgementError, PermissionDenied) as exc:
        st.error(md_escape(exc))


def export_panel(db: Database, bundle: ReviewBundle, user: StaffUser, settings: Settings) -> None:
    iid = bundle.interview.summary.id
    if st.toggle("Prepare the PDF report"):
        pdf = build_pdf(bundle, data_dir=settings.data_dir, zone=settings.zone)
        st.download_button(
            "Download PDF", pdf, file_name=f"interview-{iid}.pdf", mime="application/pdf"
        )
    st.download_button(
        "Download everything as JSON (data access request)",
        export_json(bundle, candidate_of(db, bundle)),
        file_name=f"interview-{iid}.json",
        mime="application/json",
    )
    if st.toggle("Print view"):
        st.code(text_report(bundle, settings.timezone), language=None)
    principal = staff_principal(user)
    if can(principal, Action.ERASE_INTERVIEW, interview_id=iid):
        with st.expander("Erase this interview"):
            st.warning(
                "Deletes the interview with its answers, code, chat, warnings, snapshots "
                "and recordings. This cannot be undone."
            )
            confirm = st.text_input("Type ERASE to confirm")
            if st.button("Erase interview", disabled=confirm != "ERASE"):
                try:
                    report = erase_interview(
                        db, settings, iid, actor_id=user.id, principal=principal
                    )
                except (ErasureError, PermissionDenied) as exc:
                    st.error(md_escape(exc))
                    return
                st.success(f"Erased; {len(report.removed)} file(s) removed.")
                st.stop()
