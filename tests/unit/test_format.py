"""Text shown in pages: user text in markdown is inert."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.ui.format import WORD_JOINER, local_time, md_escape, plotly_text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("[click](http://evil)", r"\[click\]\(http" + WORD_JOINER + r"\://evil\)"),
        ("<b>bold</b>", r"\<b\>bold\</b\>"),
        ("**x**", r"\*\*x\*\*"),
        ("plain words", "plain words"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_local_time_names_the_zone() -> None:
    t = datetime(2026, 1, 5, 4, 30, tzinfo=UTC)
    assert local_time(t, ZoneInfo("Asia/Kolkata")) == "Mon 05 Jan 2026, 10:00 (Asia/Kolkata)"
    assert local_time(None, ZoneInfo("UTC")) == "—"


# --- Hostile text: every construct that could fetch, link or format stays plain text ---------

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark's backslash escapes
# remark-gfm's autolink literals, searched in the text after escapes are resolved
_GFM_AUTOLINK = re.compile(r"(?i)(https?://|www\.)|[-.\w+]+@[-\w]+(\.[-\w]+)+")


def _as_rendered(escaped: str) -> str:
    """What markdown shows for an escaped text: escapes resolved, word joiners invisible."""
    return _ESCAPE.sub(r"\1", escaped)


HOSTILE = [
    "![x](http://198.51.100.7/img.png)",
    "<img src=http://198.51.100.7/a>",
    "[link](http://198.51.100.7)",
    "http://198.51.100.7/bare",
    "HTTPS://198.51.100.7/upper",
    "www.example.org/path",
    "WWW.example.org",
    "mail me: eve@example.org",
    "mailto:eve@example.org",
    '=HYPERLINK("http://198.51.100.7")',
    "<http://198.51.100.7/angle>",
    "[ref]: http://198.51.100.7/def",
    "**bold** _it_ ~~del~~ `code` $x^2$",
    "# heading\n- item\n1. one\n> quote\n---",
    ":red[colour] :material/home: :smile:",
    "&lt;img src=x&gt; &#60;b&#62;",
    "a \\ backslash \\[not a link\\](x)",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_md_escape_leaves_nothing_markdown_could_act_on(raw: str) -> None:
    escaped = md_escape(raw)
    rendered = _as_rendered(escaped)
    # Shown exactly as typed (the word joiner is invisible).
    assert rendered.replace(WORD_JOINER, "") == raw
    # No autolink can form in the rendered text, and no special character is left bare.
    assert _GFM_AUTOLINK.search(rendered) is None, rendered
    bare = re.sub(r"\\.", "", escaped)  # drop every escaped pair: what is left is plain
    assert not re.search(r"[\[\]()!<>*_`~#|$:&=]", bare), bare


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("http://x", "http" + WORD_JOINER + r"\://x"),
        ("www.x", "www" + WORD_JOINER + r"\.x"),
        ("a@b.org", "a@" + WORD_JOINER + r"b\.org"),
        ("R&D = 1", r"R\&D \= 1"),
        (42, "42"),
    ],
)
def test_md_escape_exact(raw: object, escaped: str) -> None:
    assert md_escape(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ('<a href="http://x">t</a>', '&lt;a href="http://x"&gt;t&lt;/a&gt;'),
        ("<b>b</b> & <br>", "&lt;b&gt;b&lt;/b&gt; &amp; &lt;br&gt;"),
        ("plain", "plain"),
    ],
)
def test_plotly_text(raw: str, shown: str) -> None:
    assert plotly_text(raw) == shown
