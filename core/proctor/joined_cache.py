"""Where the joined recordings (``core.proctor.joined``) are kept, and removing them with the
segments they were made from: erasure and the media purge call ``remove_joined`` so that no
copy of an erased interview's video outlives it (the 24 h cache clean-up is only a backstop)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)


def joined_dir(data_dir: Path) -> Path:
    return data_dir / "cache" / "joined"


def joined_name(interview_id: int, digest: str) -> str:
    return f"{int(interview_id)}-{digest}.mp4"


def remove_joined(data_dir: Path, interview_ids: Iterable[int]) -> int:
    """Delete every joined video of these interviews; returns how many were removed."""
    folder = joined_dir(data_dir)
    if not folder.is_dir():
        return 0
    removed = 0
    for interview_id in interview_ids:
        for path in folder.glob(f"{int(interview_id)}-*.mp4"):
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                continue
            except OSError:
                logger.warning("could not remove the joined video %s", path.name)
    return removed
