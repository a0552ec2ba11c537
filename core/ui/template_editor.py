"""The template editor: metadata fields plus a question table (st.data_editor)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from core.domain import Difficulty, InterviewType, QuestionType
from core.recruiting.template_admin import TemplateSpec
from core.recruiting.template_rows import COLUMNS, questions_of, rows_of
from core.ui.format import label, md_escape


def _questions_frame(spec: TemplateSpec | None) -> pd.DataFrame:
    return pd.DataFrame(rows_of(spec), columns=COLUMNS)


def _validation_message(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return "; ".join(parts)


def template_editor(key: str, current: TemplateSpec | None) -> TemplateSpec | None:
    """Render the editor; on submit return a validated spec, or show what is wrong."""
    with st.form(key):
        title = st.text_input("Title", value=current.title if current else "")
        description = st.text_area("Description", value=current.description if current else "")
        c1, c2, c3 = st.columns(3)
        types, levels = list(InterviewType), list(Difficulty)
        itype = c1.selectbox(
            "Type",
            types,
            format_func=label,
            index=types.index(current.interview_type) if current else 0,
        )
        level = c2.selectbox(
            "Difficulty",
            levels,
            format_func=label,
            index=levels.index(current.difficulty) if current else 1,
        )
        minutes = c3.number_input(
            "Duration (minutes)", 5, 480, value=current.duration_minutes if current else 30
        )
        c4, c5, c6 = st.columns(3)
        premium = c4.checkbox("Premium", value=current.is_premium if current else False)
        show = c5.checkbox(
            "Show scores to the candidate",
            value=current.show_score_to_candidate if current else False,
        )
        skip = c6.checkbox(
            "Allow skipping questions", value=current.allow_skip if current else True
        )
        c7, c8, c9 = st.columns(3)
        heard = c7.checkbox(
            "Show spoken answers' transcripts to the candidate",
            value=current.show_transcript_to_candidate if current else True,
            help="When voice answers are on, the candidate sees what was heard and can re-record.",
        )
        aloud = c8.checkbox(
            "Offer to read questions aloud",
            value=current.read_questions_aloud if current else False,
            help="An accessibility aid: the browser's own speech synthesis reads each question.",
        )
        follow_ups = c9.number_input(
            "Follow-ups per answer",
            0,
            3,
            value=current.max_follow_ups if current else 1,
            help="How many follow-up questions the interviewer may ask about one answer, "
            "aimed at what it missed, before moving on (0: none).",
        )
        greenhouse = st.checkbox(
            "Offer to Greenhouse as a test",
            value=current.greenhouse_test if current else False,
            help="While the template is active, Greenhouse lists it among our tests and can "
            "send it to candidates (an API key with the greenhouse scope; see docs/api.md).",
        )
        st.caption(
            "Questions, in order. Criteria and follow-ups are separated by semicolons; notes "
            "are what the interviewer may tell a candidate who asks."
        )
        table = st.data_editor(
            _questions_frame(current),
            num_rows="dynamic",
            width="stretch",
            key=f"{key}_q",
            column_config={
                "question_type": st.column_config.SelectboxColumn(
                    "Type",
                    options=[t.value for t in QuestionType],
                    required=True,
                    default="technical",
                ),
                "difficulty": st.column_config.SelectboxColumn(
                    "Difficulty",
                    options=[d.value for d in Difficulty],
                    required=True,
                    default="medium",
                ),
                "expected_duration_minutes": st.column_config.NumberColumn(
                    "Minutes", min_value=1, max_value=120, default=5
                ),
                "question_text": st.column_config.TextColumn("Question", required=True),
                "follow_ups": st.column_config.TextColumn(
                    "Follow-ups", help="Questions the interviewer may ask next; separate by ;"
                ),
                "notes": st.column_config.TextColumn(
                    "Notes", help="Assumptions and facts the interviewer may share when asked"
                ),
                "coding_problem_ref": st.column_config.TextColumn(
                    "Coding problem id", help="For coding questions: a problem-bank id"
                ),
            },
        )
        if not st.form_submit_button("Save template", type="primary"):
            return None
    try:
        questions = questions_of(table.to_dict("records"))
        return TemplateSpec(
            title=title,
            description=description,
            interview_type=itype,
            difficulty=level,
            duration_minutes=int(minutes),
            questions=questions,
            is_premium=premium,
            show_score_to_candidate=show,
            allow_skip=skip,
            show_transcript_to_candidate=heard,
            read_questions_aloud=aloud,
            max_follow_ups=int(follow_ups),
            greenhouse_test=greenhouse,
        )
    except ValidationError as exc:
        st.error(f"The template was not saved: {md_escape(_validation_message(exc))}")
        return None
