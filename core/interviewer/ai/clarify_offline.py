"""Answers to a candidate's clarifying question without a model: from the question's notes when
they cover it, otherwise an honest reply shaped by what was asked, never one fixed sentence and
never the expected answer.

What was asked is read from the words (pure, deterministic):
- the answer itself or a hint ("is it X?", "can you give me a hint", "is my answer right"):
  the interviewer does not say, and says why;
- a term ("what do you mean by X", "what is X"): read it in its usual sense and say how you read it;
- scope, sizes, versions, tools ("which database", "can I assume", "how big is the input"):
  yours to decide, named after what was asked, state the assumption;
- time and the interview itself ("how long", "can I skip", "go back"): where to see the time;
- anything else: the question does not settle it; state an assumption about its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.interviewer.ai.text_features import content_stems, sentences
from core.interviewer.ai.types import QuestionSpec

_HINT = re.compile(
    r"\b(hint|the answer|correct answer|right answer|is (my|this|that) (answer )?(right|correct|"
    r"ok|okay|good)|am i (right|correct|on the right track)|solution|tell me (how|what))\b",
    re.IGNORECASE,
)
_TERM = re.compile(
    r"\b(?:what (?:do|does) (?:you|it|the question) mean by|what is meant by|"
    r"what(?: is|'s| are) (?:an? |the )?)\s*[\"'“]?([\w#+.\- ]{2,40}?)[\"'”]?\s*\??$",
    re.IGNORECASE,
)
_LOGISTICS = re.compile(
    r"\b(how (long|much time)|time (left|limit)|minutes|skip|go back|come back|next question|"
    r"pause|break|submit)\b",
    re.IGNORECASE,
)
_SCOPE = re.compile(
    r"\b(?:which|what)\s+(?:kind of |type of )?([a-z][\w+#.\- ]{2,30}?)\s+"
    r"(?:should|do|can|would|must|shall|is|are|will)\b|"
    r"\b(?:can|may|should) i (?:assume|use|ignore|treat|consider)\s+([\w+#.\- ]{2,40})|"
    r"\bhow (?:big|large|many|much|fast|often) (?:is|are|will|should|can)?\s*(?:the )?"
    r"([\w\- ]{2,30})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OfflineReply:
    text: str
    source: str  # "notes" or "noted"


def _subject(question: QuestionSpec) -> str:
    """A few words naming what the question is about (its first content words)."""
    first = sentences(question.text)[0] if question.text.strip() else "this question"
    words = re.sub(r"^(explain|describe|how|what|why|when|write|implement|design|tell us)\b\W*",
                   "", first.strip().rstrip("?.!"), flags=re.IGNORECASE)  # fmt: skip
    return (words[:80] or "this question").strip()


# Words a question about scope uses for a kind of thing, and words a note uses for its members:
# "which database?" is answered by "Assume PostgreSQL 16." although they share no word.
_KINDS: dict[str, tuple[str, ...]] = {
    "database": (
        "postgres",
        "postgresql",
        "mysql",
        "mariadb",
        "sqlite",
        "oracle",
        "sql server",
        "mongodb",
        "redis",
        "dynamodb",
        "cassandra",
    ),
    "language": (
        "python",
        "java",
        "javascript",
        "typescript",
        "php",
        "ruby",
        "c#",
        "go",
        "rust",
        "kotlin",
        "sql",
    ),
    "version": ("version", r"\d+(\.\d+)*"),
    "framework": (
        "django",
        "flask",
        "fastapi",
        "spring",
        "react",
        "vue",
        "angular",
        "rails",
        "laravel",
        ".net",
    ),
    "size": (
        "rows",
        "million",
        "billion",
        "thousand",
        "gb",
        "tb",
        "mb",
        "records",
        "users",
        "requests",
    ),
    "cloud": ("aws", "azure", "gcp", "google cloud", "kubernetes", "docker"),
}
_KIND_WORDS = {
    "database": ("database", "db", "datastore", "storage engine"),
    "language": ("language",),
    "version": ("version",),
    "framework": ("framework", "library"),
    "size": ("size", "how big", "how large", "how many", "volume", "scale"),
    "cloud": ("cloud", "platform", "hosting", "infrastructure"),
}
# Too general to tie a note to a question by themselves.
_GENERIC = frozenset(content_stems("assume assumption use question answer should can need may"))


def _kinds_asked(asked: str) -> list[str]:
    low = asked.lower()
    return [kind for kind, words in _KIND_WORDS.items() if any(w in low for w in words)]


def _names_member(kind: str, sentence: str) -> bool:
    low = sentence.lower()
    return any(re.search(rf"(?<![\w#.]){m}(?![\w#])", low) for m in _KINDS[kind])


def _relevant_notes(question: QuestionSpec, asked: str) -> list[str]:
    """The note sentences that answer what was asked: they share a specific word with it, name
    a member of the kind of thing asked about ("which database?" → "Assume PostgreSQL 16.")."""
    picked = []
    asked_stems = set(content_stems(asked)) - _GENERIC
    kinds = _kinds_asked(asked)
    for sentence in sentences(question.notes):
        overlap = asked_stems & set(content_stems(sentence))
        if overlap or any(_names_member(kind, sentence) for kind in kinds):
            picked.append(sentence)
    return picked


def offline_reply(question: QuestionSpec, asked: str) -> OfflineReply:
    asked = " ".join(asked.split())
    if not asked:
        return OfflineReply("Ask your question in a few words and I'll answer what I can.", "noted")
    if _HINT.search(asked):
        return OfflineReply(
            "I can't tell you whether an approach is right or give hints: working that out is "
            "what this question assesses. Explain the approach you think fits, and why; a "
            "reasoned answer earns credit even when it is not the one we expected.",
            "noted",
        )
    notes = _relevant_notes(question, asked)
    if notes:
        return OfflineReply("Good question. " + " ".join(notes), "notes")
    if _LOGISTICS.search(asked):
        return OfflineReply(
            "The suggested time is shown under the question and the time left for the whole "
            "interview at the top. If the interview allows it, you can skip a question and come "
            "back to it from the list before you finish.",
            "noted",
        )
    term = _TERM.search(asked)
    if term:
        word = term.group(1).strip()
        return OfflineReply(
            f"Take “{word}” in its usual sense for {_subject(question)}. If you read it "
            "differently, say how you read it at the start of your answer, then answer that.",
            "noted",
        )
    scope = _SCOPE.search(asked)
    if scope:
        topic = next(g for g in scope.groups() if g).strip()
        return OfflineReply(
            f"The question leaves the {topic} open: that is yours to decide. Pick what you think "
            f"is reasonable, state it as an assumption at the start of your answer, and say how "
            "your answer would change if it were different.",
            "noted",
        )
    if question.notes.strip() and re.search(r"\bassum|scope|constraint", asked, re.IGNORECASE):
        return OfflineReply("Good question. " + question.notes.strip(), "notes")
    return OfflineReply(
        f"The question doesn't settle that. For {_subject(question)}, decide what is reasonable, "
        "state your assumption in your answer, and carry on.",
        "noted",
    )
