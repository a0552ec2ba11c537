"""Pure text signals: tokens, light stemming, sentences, structure and code presence."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9#+]+(?:[.'][a-z0-9]+)*")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")
_CODE_HINTS = re.compile(
    r"```|\bdef \w+\(|\bfunction\b|=>|\bclass \w+|\breturn\b|[{};]\s*$|\bSELECT\b.+\bFROM\b|"
    r"\bpublic static\b|\bconsole\.log\b|\$\w+\s*=|\bend\b\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.MULTILINE)

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves also one use used using would
    get gets got make makes like well way thing things really of on off once onto per via""".split()  # noqa: SIM905
)
# Negations carry meaning in short answers ("not connected"); keep them as tokens.
_KEEP = frozenset({"no", "not", "nor"})


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens (keeps c#, c++, node.js)."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """A small suffix stripper: enough to match "connected"/"connection"/"connects"."""
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ied"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    for suffix in ("ed", "es", "er", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    """Stemmed tokens without stop words (negations kept)."""
    return [stem(t) for t in tokenize(text) if t not in STOPWORDS or t in _KEEP]


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_SPLIT.split(text) if p.strip()]
    return parts or ([text.strip()] if text.strip() else [])


def has_code(text: str) -> bool:
    return bool(_CODE_HINTS.search(text))


@dataclass(frozen=True)
class ShapeSignals:
    """Length and structure of an answer, independent of its content."""

    words: int
    sentences: int
    list_items: int
    has_code: bool
    avg_sentence_words: float
    distinct_ratio: float  # distinct words / words: low means repetition


def shape_signals(text: str) -> ShapeSignals:
    tokens = tokenize(text)
    sents = sentences(text)
    words = len(tokens)
    return ShapeSignals(
        words=words,
        sentences=len(sents),
        list_items=len(_LIST_ITEM.findall(text)),
        has_code=has_code(text),
        avg_sentence_words=words / len(sents) if sents else 0.0,
        distinct_ratio=len(set(tokens)) / words if words else 0.0,
    )


_SITUATION = re.compile(
    r"\b(when|while|at my|in my|last year|previous|project|team|company|customer|client)\b", re.I
)
_ACTION = re.compile(
    r"\bI\b\s+(?:\w+\s+){0,2}?\w+ed\b|\bI\s+(?:decided|took|wrote|built|made|"
    r"spoke|asked|set|led|ran|met|found|proposed|chose|went)\b",
    re.I,
)
_RESULT = re.compile(
    r"\b(result|outcome|so that|as a result|in the end|finally|reduced|increased|improved|"
    r"saved|delivered|shipped|launched|fixed)\b|\d+\s*(%|percent|x\b|hours|days|weeks)",
    re.I,
)
_REFLECTION = re.compile(
    r"\b(learn(?:ed|t)|lesson|next time|differently|in hindsight|taught me|realised|realized|"
    r"now i|since then)\b",
    re.I,
)


def star_signal(text: str) -> float:
    """0-1: how completely a behavioral answer tells a story (situation, action, result,
    reflection), scaled by length (a full story needs about 60 words)."""
    parts = [_SITUATION, _ACTION, _RESULT, _REFLECTION]
    found = sum(1 for p in parts if p.search(text)) / len(parts)
    words = len(tokenize(text))
    return found * min(1.0, max(0.0, (words - 10) / 50))
