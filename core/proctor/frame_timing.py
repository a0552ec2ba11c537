"""Timestamps a recording can always store, whatever the network did to the incoming ones.

aiortc turns RTP timestamps into frame ``pts`` with a mapper that takes *any* decrease for a
32-bit wrap: one packet that arrives late (reordered or retransmitted, common when the server
is starved of CPU) moves every later frame 2**32 ticks ahead — about 13 hours at 90 kHz. MP4
cannot store that step (FFmpeg refuses the packet: "Not yet implemented in FFmpeg, patches
welcome") and refuses a step backwards ("non monotonically increasing dts"); either error used
to end the segment's recording while the camera went on.

``MonotonicTimeline`` keeps each plausible step as it came and replaces an impossible one (not
forward, or longer than ``max_step_seconds``) with a fallback the caller knows: the wall-clock
time since the previous video frame, or an audio frame's own length. Pure; one per track, used
by that track's writer task (the recorder's event-loop thread).
"""

from __future__ import annotations

from fractions import Fraction

MAX_STEP_SECONDS = 60.0  # longer than any real gap inside one connection (the watchdog ends
# a recording silent for 8 s) and far below what an MP4 sample duration can hold


class MonotonicTimeline:
    """Output ``pts`` for one track: strictly increasing, equal to the incoming ones until the
    first impossible step (so the common case needs no copy of the frame), shifted after it."""

    def __init__(self, time_base: Fraction, *, max_step_seconds: float = MAX_STEP_SECONDS) -> None:
        self.time_base = time_base
        self._max_step = int(max_step_seconds / time_base)
        self._last_in: int | None = None
        self._last_out: int | None = None
        self.corrections = 0  # how many steps were replaced

    def next_pts(self, pts: int | None, fallback_ticks: int) -> int:
        """The output pts of a frame whose incoming pts is ``pts`` (None when it has none).

        ``fallback_ticks`` is the step to use when the incoming one is impossible (at least
        one tick is always used)."""
        if self._last_out is None:
            out = pts if pts is not None and pts >= 0 else 0
        else:
            step = None if pts is None or self._last_in is None else pts - self._last_in
            if step is None or step <= 0 or step > self._max_step:
                step = max(1, int(fallback_ticks))
                self.corrections += 1
            out = self._last_out + step
        if pts is not None:
            self._last_in = pts
        self._last_out = out
        return out


def ticks(seconds: float, time_base: Fraction) -> int:
    """``seconds`` in units of ``time_base`` (rounded; never negative)."""
    return max(0, round(seconds / time_base))
