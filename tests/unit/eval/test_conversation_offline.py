"""Offline follow-ups (chosen by what was missed) and clarifications (from the notes)."""

from __future__ import annotations

import dataclasses

import pytest

from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.types import QuestionSpec
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


def test_unrelated_clarification_gets_an_honest_reply_about_this_question() -> None:
    reply = Interviewer().clarify(QUESTION, "Can I get a glass of water?")
    assert reply.source == "noted"
    assert "doesn't settle that" in reply.text and "a HashMap works in Java" in reply.text
    no_notes = dataclasses.replace(QUESTION, notes="")
    version = Interviewer().clarify(no_notes, "Which Java version should I use?")
    assert "Java version" in version.text and "yours to decide" in version.text


SQL = QuestionSpec(
    text="How would you speed up a slow report query?",
    expected_answer="Read the plan, add an index on the filtered columns, avoid SELECT *.",
    criteria=("reads the plan", "adds an index"),
    notes="Assume PostgreSQL 16. The orders table has 50 million rows. Reads matter more "
    "than writes.",
)


@pytest.mark.parametrize(
    ("asked", "says", "source"),
    [
        # covered by the notes: only the sentences that answer it
        ("Which database is it?", "Assume PostgreSQL 16.", "notes"),
        ("How many rows does the orders table have?", "50 million rows", "notes"),
        # not covered: shaped by what was asked
        ("Which cache should I use?", "leaves the cache open: that is yours to decide", "noted"),
        ("What do you mean by slow?", "Take “slow” in its usual sense", "noted"),
        ("Is the answer an index?", "can't tell you whether an approach is right", "noted"),
        ("Can you give me a hint?", "can't tell you whether an approach is right", "noted"),
        ("How much time do I have?", "time left for the whole interview", "noted"),
        ("Can I assume the server has 64 GB of memory?", "the server has 64 GB of memory", "noted"),
        ("What version of the database?", "Assume PostgreSQL 16.", "notes"),
        ("Do you like jazz?", "doesn't settle that. For would you speed up a slow", "noted"),
    ],
)
def test_clarifications_fit_what_was_asked(asked: str, says: str, source: str) -> None:
    reply = Interviewer().clarify(SQL, asked)
    assert says in reply.text and reply.source == source, reply.text
    assert "SELECT *" not in reply.text and "filtered columns" not in reply.text


def test_three_questions_three_different_replies() -> None:
    asked = ("Which database is it?", "What do you mean by slow?", "Is the answer an index?")
    replies = {Interviewer().clarify(SQL, a).text for a in asked}
    assert len(replies) == 3


@pytest.mark.parametrize(
    ("follow_ups", "missed", "asked", "expected", "source"),
    [
        # the question's own follow-up that shares a root with the missed point ("collide")
        (
            ("Why is hashCode needed?", "What if many keys collide?"),
            ("collisions chain in a list",),
            (),
            "What if many keys collide?",
            "bank",
        ),
        # never the same follow-up twice: the missed point is then asked about in our words
        (
            ("What if many keys collide?",),
            ("collisions chain in a list",),
            ("What if many keys collide?",),
            "Before we move on, could you also cover this point: collisions chain in a list?",
            "criteria",
        ),
        # no follow-ups written for the question: the first point not yet probed
        (
            (),
            ("O(n) time complexity", "handles the empty string"),
            ("Before we move on, could you also cover this point: O(n) time complexity?",),
            "Before we move on, could you also cover this point: handles the empty string?",
            "criteria",
        ),
        # nothing missed but a weak answer: the question's first follow-up
        (("How would you test it?",), (), (), "How would you test it?", "bank"),
    ],
)
def test_offline_follow_ups_aim_at_what_was_missed(
    follow_ups: tuple[str, ...],
    missed: tuple[str, ...],
    asked: tuple[str, ...],
    expected: str,
    source: str,
) -> None:
    question = dataclasses.replace(QUESTION, follow_ups=follow_ups)
    result = dataclasses.replace(RESULT, score=5.0, criteria_missed=missed)
    message = Interviewer().follow_up(question, "An answer.", result, asked)
    assert message is not None
    assert (message.text, message.source) == (expected, source)


def test_no_follow_up_left_to_ask() -> None:
    question = dataclasses.replace(QUESTION, follow_ups=())
    result = dataclasses.replace(RESULT, score=5.0, criteria_missed=())
    assert Interviewer().follow_up(question, "An answer.", result) is None
