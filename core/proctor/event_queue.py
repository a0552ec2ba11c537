"""A bounded, thread-safe queue that drops the oldest item (and counts it) when full."""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class BoundedEventQueue(Generic[T]):
    """Producers (the detection worker) never block; the consumer drains everything at once."""

    def __init__(self, maxsize: int = 256) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._items: deque[T] = deque()
        self._maxsize = maxsize
        self._lock = threading.Lock()
        self._dropped = 0

    def put(self, item: T) -> None:
        """Append; if full, drop the oldest item first. Any thread."""
        with self._lock:
            if len(self._items) >= self._maxsize:
                self._items.popleft()
                self._dropped += 1
            self._items.append(item)

    def drain(self) -> list[T]:
        """Remove and return everything queued, oldest first. Any thread."""
        with self._lock:
            items = list(self._items)
            self._items.clear()
            return items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    @property
    def dropped(self) -> int:
        with self._lock:
            return self._dropped
