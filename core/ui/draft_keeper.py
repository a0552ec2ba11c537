"""Nothing typed is lost: the browser saves text boxes while the candidate types.

Streamlit sends a text area's value to the server only when it loses focus (or on
Ctrl+Enter), so text typed without leaving the box was lost on a reload. ``draft_keeper()``
installs, once per browser page, a small script in the page (from an empty ``st.iframe`` of
the same origin) that:

- commits a text area after ``COMMIT_AFTER_MS`` without typing, by sending the Ctrl+Enter that
  Streamlit's text area commits on — the caret stays where it is, nothing loses focus; the
  page then saves the draft on the server (``flow.save_draft``);
- commits at once when the tab is hidden or closed (reload, second tab, closed window);
- keeps the chat box's unsent text in the browser's storage and puts it back after a reload
  (a chat message is only sent on Enter).
"""

from __future__ import annotations

import json

import streamlit as st

COMMIT_AFTER_MS = 600

_PAGE_SCRIPT = """
(() => {
  if (window.__intervistaDraftKeeper) return;
  window.__intervistaDraftKeeper = true;
  const DELAY = %(delay)d;
  const CHAT_KEY = "intervista-chat-draft";
  const timers = new Map();
  const isChat = (el) => !!el.closest('[data-testid="stChatInput"]');
  const commit = (el) => {
    timers.delete(el);
    if (!el.isConnected) return;
    el.dispatchEvent(new KeyboardEvent("keydown", {
      key: "Enter", code: "Enter", keyCode: 13, which: 13, ctrlKey: true,
      bubbles: true, cancelable: true,
    }));
  };
  const commitAll = () => {
    for (const [el, timer] of Array.from(timers.entries())) { clearTimeout(timer); commit(el); }
  };
  document.addEventListener("input", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLTextAreaElement)) return;
    if (isChat(el)) {
      try { localStorage.setItem(CHAT_KEY, el.value); } catch (e) {}
      return;
    }
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(() => commit(el), DELAY));
  }, true);
  document.addEventListener("keydown", (event) => {
    const el = event.target;
    if (el instanceof HTMLTextAreaElement && isChat(el) && event.key === "Enter"
        && !event.shiftKey && event.isTrusted) {
      try { localStorage.removeItem(CHAT_KEY); } catch (e) {}
    }
  }, true);
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element
      && event.target.closest('[data-testid="stChatInputSubmitButton"]');
    if (button) { try { localStorage.removeItem(CHAT_KEY); } catch (e) {} }
  }, true);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") commitAll();
  });
  window.addEventListener("pagehide", commitAll);
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
  const restoreChat = () => {
    let saved = null;
    try { saved = localStorage.getItem(CHAT_KEY); } catch (e) {}
    if (!saved) return;
    const box = document.querySelector('[data-testid="stChatInput"] textarea');
    if (box && !box.value && document.activeElement !== box) {
      setter.call(box, saved);
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };
  setInterval(restoreChat, 1000);
})();
"""

_LOADER = """
<script>
(() => {
  const host = window.parent;
  if (!host || host.__intervistaDraftKeeper) return;
  const script = host.document.createElement("script");
  script.textContent = %(code)s;
  host.document.head.appendChild(script);
})();
</script>
"""


def draft_keeper() -> None:
    """Install the page script (idempotent: the page keeps one copy for its lifetime)."""
    code = _PAGE_SCRIPT % {"delay": COMMIT_AFTER_MS}
    st.iframe(_LOADER % {"code": json.dumps(code)}, height=1)  # 0 is refused; nothing shows
