"""Formatting helpers for pages: local times, scores, and safe text in markdown."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Escape user text for use inside st.markdown (no links, images, HTML or formatting)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


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
