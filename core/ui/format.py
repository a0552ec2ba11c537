"""Formatting helpers for pages: local times, scores, and safe text in markdown.

Streamlit renders markdown in far more places than ``st.markdown``: captions, titles, headers,
alerts (``st.info`` … ``st.error``), toasts, widget labels (buttons, checkboxes, expanders,
tabs, popovers, download buttons), metric labels and values, radio options, help tooltips.
Any text a user or an imported file wrote that goes into one of those goes through
:func:`md_escape` first (or is shown with ``st.text``/``st.code``/a dataframe, which never
render markup). Plotly charts render a small HTML subset in labels: :func:`plotly_text`.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

# Every character that can start or shape markdown, HTML or one of Streamlit's directives:
# links and images ([ ] ( ) !), raw HTML and <autolinks> (< >), emphasis and code (* _ `
# ~), headings and lists (# + - = . |), entities (&), LaTeX ($), and the ':' of "http://",
# of emoji shortcodes and of ":red[...]" / ":material/icon:".
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")
# GitHub's autolinks ("http://x", "www.x.org", "a@b.org") are found in the text *after*
# escapes are resolved (remark-gfm searches the parsed text), so a backslash cannot stop them:
# an invisible WORD JOINER after "http", "https", "www" and "@" does.
_AUTOLINK_STARTS = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """User text made inert inside markdown: shown as written, never as a link, an image,
    HTML or formatting. Backslash escapes are CommonMark's own and the word joiner is
    invisible, so the text reads exactly as typed."""
    unlinked = _AUTOLINK_STARTS.sub(lambda m: m.group(1) + WORD_JOINER, str(text))
    return _MD_SPECIAL.sub(r"\\\1", unlinked)


def plotly_text(text: object) -> str:
    """User text made inert inside a plotly label (title, tick, hover): plotly draws a small
    HTML subset there (``<a href>``, ``<b>`` …) and decodes entities, so escape them."""
    return html.escape(str(text), quote=False)


def local_time(value: datetime | None, zone: ZoneInfo, with_zone: bool = True) -> str:
    if value is None:
        return "—"
    local = value.astimezone(zone)
    text = local.strftime("%a %d %b %Y, %H:%M")
    return f"{text} ({zone.key})" if with_zone else text


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}/10"


def label(value: str) -> str:
    return value.replace("_", " ").capitalize()
