"""Transcription benchmark: seconds of CPU per second of audio, wall time, load time and memory
of the speech model (faster-whisper tiny.en, int8), with word error rates, per setting.

Usage: ``.venv/bin/python bench/transcribe.py [--models DIR] [--repeat N]``. Clips: the shared
JFK recording (11 s of a human voice) and espeak-ng answers made here (about 6 s, 30 s and 60 s,
the longest with 20 s of open microphone). Settings compared in the same run: the shipped one
(beam 5, VAD, 1 thread) against the baseline faster-whisper default (beam 5, no VAD), greedy
decoding and 2 threads. Load time is measured in a fresh subprocess (import + model). Target: the
shipped setting at most 0.25 s of CPU per second of audio, so one core keeps up with four
candidates speaking at once. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.interviewer.speech.audio import decode, duration_seconds  # noqa: E402
from core.interviewer.speech.wer import word_error_rate  # noqa: E402

logging.basicConfig(level=logging.WARNING)
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
SENTENCES = [
    "First I would ask the team what the users need, then I would write a small plan and share it.",
    "I would use a hash map to count each word, then sort the counts and return the top ten.",
    "When the build failed on a Friday, I stayed calm, found the broken test, and fixed it "
    "with my team.",
    "We moved the slow report to a queue, so the page answers at once and the report arrives "
    "by email.",
]
SETTINGS = {  # name: (beam_size, vad_filter, threads); the first is the shipped one
    "shipped: beam 5, VAD, 1 thread": (5, True, 1),
    "baseline: beam 5, no VAD, 1 thread": (5, False, 1),  # faster-whisper's defaults
    "greedy, VAD, 1 thread": (1, True, 1),
    "beam 5, VAD, 2 threads": (5, True, 2),
}


def shared_dir() -> Path:
    configured = os.environ.get("INTERVISTA_SHARED_DIR")
    return Path(configured) if configured else ROOT.parent / "shared"


def speak(text: str, target: Path, pad: float = 0.0) -> Path:
    raw = target.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), text], check=True)
    extra = ["-af", f"apad=pad_dur={pad}"] if pad else []
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(raw), "-ar", "16000", "-ac", "1",
         *extra, str(target)],
        check=True,
    )  # fmt: skip
    return target


def make_clips(folder: Path) -> dict[str, tuple[Path, str]]:
    clips = {"jfk 11 s (human)": (shared_dir() / "audio" / "jfk.wav", JFK_TEXT)}
    if shutil.which("espeak-ng") and shutil.which("ffmpeg"):
        clips["espeak ~6 s"] = (speak(SENTENCES[0], folder / "short.wav"), SENTENCES[0])
        text30 = " ".join(SENTENCES[:4])
        clips["espeak ~25 s"] = (speak(text30, folder / "mid.wav"), text30)
        text60 = " ".join(SENTENCES * 2)
        clips["espeak ~50 s + 20 s silence"] = (speak(text60, folder / "long.wav", 20), text60)
    else:
        print("espeak-ng or ffmpeg missing: JFK only")
    return clips


def load_seconds(model: Path) -> dict[str, float]:
    """Import + model load in a fresh process (what the first transcription pays)."""
    code = (
        "import time, resource; t = time.perf_counter(); from faster_whisper import WhisperModel;"
        f"m = WhisperModel({str(model)!r}, device='cpu', compute_type='int8', cpu_threads=1,"
        " local_files_only=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, rss_kb = out.stdout.split()
    return {"load_s": round(float(seconds), 2), "rss_mb_after_load": round(int(rss_kb) / 1024)}


def run_setting(model: Path, setting: tuple[int, bool, int], clips: dict, repeat: int) -> dict:
    from faster_whisper import WhisperModel

    beam, vad, threads = setting
    whisper = WhisperModel(
        str(model), device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=True
    )
    rows = {}
    for name, (path, reference) in clips.items():
        audio = decode(path)
        cpu, wall = [], []
        text = ""
        for _ in range(repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            segments, _ = whisper.transcribe(
                audio, language="en", beam_size=beam, vad_filter=vad,
                condition_on_previous_text=False,
            )  # fmt: skip
            text = " ".join(s.text.strip() for s in segments)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        seconds = duration_seconds(audio)
        rows[name] = {
            "audio_s": round(seconds, 1),
            "cpu_per_audio_s": round(statistics.median(cpu) / seconds, 3),
            "wall_per_audio_s": round(statistics.median(wall) / seconds, 3),
            "wer": round(word_error_rate(reference, text), 3),
        }
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=None, help="default: <shared>/models")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    model = (args.models or shared_dir() / "models") / "faster-whisper-tiny.en"
    if not (model / "model.bin").is_file():
        print(json.dumps({"error": f"speech model not found in {model}"}))
        return 2
    load = load_seconds(model)
    print(f"load (fresh process, import + model): {load['load_s']} s, "
          f"{load['rss_mb_after_load']} MB RSS")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        clips = make_clips(Path(tmp))
        results = {name: run_setting(model, s, clips, args.repeat) for name, s in SETTINGS.items()}
    for setting, rows in results.items():
        for clip, row in rows.items():
            print(f"{setting:36s} {clip:28s} CPU/audio {row['cpu_per_audio_s']:.3f}  "
                  f"wall/audio {row['wall_per_audio_s']:.3f}  WER {row['wer']:.1%}")  # fmt: skip

    def mean(setting: str, key: str) -> float:
        return round(statistics.mean(r[key] for r in results[setting].values()), 3)

    shipped, baseline, greedy, two = SETTINGS
    ratio = round(mean(baseline, "cpu_per_audio_s") / mean(shipped, "cpu_per_audio_s"), 2)
    wer_shipped, wer_baseline = mean(shipped, "wer"), mean(baseline, "wer")
    print(f"baseline / shipped CPU per audio second: {ratio}x; "
          f"WER shipped {wer_shipped:.1%} vs baseline {wer_baseline:.1%}")  # fmt: skip
    summary = {
        **load,
        "results": results,
        "shipped_cpu_per_audio_s": mean(shipped, "cpu_per_audio_s"),
        "baseline_cpu_per_audio_s": mean(baseline, "cpu_per_audio_s"),
        "two_threads_wall_per_audio_s": mean(two, "wall_per_audio_s"),
        "shipped_wall_per_audio_s": mean(shipped, "wall_per_audio_s"),
        "baseline_over_shipped_cpu": ratio,
        "shipped_mean_wer": mean(shipped, "wer"),
        "baseline_mean_wer": mean(baseline, "wer"),
        "greedy_cpu_per_audio_s": mean(greedy, "cpu_per_audio_s"),
        "greedy_mean_wer": mean(greedy, "wer"),
        "jfk_wer": results[shipped]["jfk 11 s (human)"]["wer"],
        "targets_met": {"cpu_per_audio_s_le_0.25": mean(shipped, "cpu_per_audio_s") <= 0.25},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
