"""The ACE code editor of the coding panel (streamlit-ace), with readable lines."""

from __future__ import annotations

from typing import Any

import streamlit_ace
from streamlit_ace import st_ace

ACE_MODES = {
    "PYTHON": "python",
    "JAVASCRIPT": "javascript",
    "JAVA": "java",
    "PHP": "php",
    "RUBY": "ruby",
    "CSHARP": "csharp",
    "SQL": "sql",
}
EDITOR_HEIGHT = 460  # px, about 20 lines; longer code scrolls inside the editor


def code_editor(*, value: str, mode: str, key: str, annotations: list[dict[str, Any]]) -> object:
    """The ACE editor (streamlit-ace's component, called with one more property than its
    ``st_ace`` passes: a taller line — at Ace's default, underscores and descenders of many
    monospace fonts are cut off, so ``pair_with_sum`` reads "pair with sum")."""
    render = getattr(streamlit_ace, "_render_component", None)
    if render is None:  # another streamlit-ace version: its own call, without the taller line
        return st_ace(
            value=value,
            language=mode,
            height=EDITOR_HEIGHT,
            key=key,
            auto_update=True,
            annotations=annotations,
        )
    return render(
        defaultValue=value,
        placeholder="",
        height=EDITOR_HEIGHT,
        minLines=12,
        maxLines=None,
        fontSize=14,
        tabSize=4,
        mode=mode,
        theme="chrome",
        showGutter=True,
        showPrintMargin=False,
        wrapEnabled=False,
        readOnly=False,
        keyboardHandler="vscode",
        annotations=annotations,
        markers=[],
        autoUpdate=True,
        style={"lineHeight": "1.5"},
        key=key,
        default=value,
    )
