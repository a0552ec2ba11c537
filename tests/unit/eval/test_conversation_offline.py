"""Offline follow-ups (chosen by what was missed) and clarifications (from the notes)."""

from __future__ import annotations

import dataclasses

from core.interviewer.ai.conversation import NOTED_REPLY, Interviewer
from tests.support.evaluation import HASHMAP_HALF_RESULT as RESULT
from tests.support.evaluation import HASHMAP_QUESTION as QUESTION


def test_follow_up_targets_the_missed_point() -> None:
    message = Interviewer().follow_up(QUESTION, "It uses buckets.", RESULT)
    assert message is not None and message.source == "bank"
    assert "load factor" in message.text
    other = dataclasses.replace(RESULT, criteria_missed=("hashCode selects a bucket",))
    assert "hashCode" in Interviewer().follow_up(QUESTION, "It resizes.", other).text  # type: ignore[union-attr]


def test_no_follow_up_after_a_complete_strong_answer() -> None:
    strong = dataclasses.replace(RESULT, score=9.0, criteria_missed=())
    assert Interviewer().follow_up(QUESTION, "Everything.", strong) is None


def test_clarification_uses_notes_when_relevant() -> None:
    reply = Interviewer().clarify(QUESTION, "Which Java version should I assume?")
    assert reply.source == "notes"
    assert "Java 8" in reply.text
    assert "hashCode" not in reply.text  # never the expected answer


def test_unrelated_clarification_is_noted() -> None:
    reply = Interviewer().clarify(QUESTION, "Can I get a glass of water?")
    assert (reply.source, reply.text) == ("noted", NOTED_REPLY)
    no_notes = dataclasses.replace(QUESTION, notes="")
    assert Interviewer().clarify(no_notes, "Which Java version?").text == NOTED_REPLY
