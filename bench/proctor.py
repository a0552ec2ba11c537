"""Proctoring benchmark: detector latency per backend and size, video frames/s returned while
detecting, RSS per session, and concurrent sessions sustained at 2 detections/s each.

Usage: ``.venv/bin/python bench/proctor.py [--models DIR] [--seconds S]``. Prints figures and
ratios against baselines measured in the same process; the last line is JSON.
Targets: onnxruntime yolo11n 480x640 <= 30 ms median; >= 20 frames/s returned while
detecting; >= 6 concurrent sessions on two cores. The 480x640 export runs as shipped (float)
and as an int8 copy made here (``core.proctor.quantize``, time reported apart), at one and two
threads; each latency line also gives the CPU share the hypervisor took (steal) meanwhile.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import load_settings
from core.db.engine import Database
from core.proctor.detection import Detector
from core.proctor.event_queue import BoundedEventQueue
from core.proctor.factory import build_detector_for
from core.proctor.rule_types import EventUpdate
from core.proctor.worker import DetectionWorker
from core.ui.webrtc_bridge import ProctorBridge

logging.basicConfig(level=logging.WARNING)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def webcam_frames(shared: Path) -> list[np.ndarray]:
    with av.open(str(shared / "proctor" / "video" / "book.mkv")) as container:
        return [f.to_ndarray(format="bgr24") for f in container.decode(video=0)][:60]


def latency(detector: Detector, frames: list[np.ndarray], runs: int) -> dict[str, float]:
    detector.detect(frames[0])  # warm-up
    times = []
    for i in range(runs):
        start = time.perf_counter()
        detector.detect(frames[i % len(frames)])
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    return {
        "median_ms": round(median, 1),
        "p90_ms": round(sorted(times)[int(0.9 * len(times)) - 1], 1),
        "fps": round(1000 / median, 1),
    }


def cpu_steal_share() -> tuple[int, int]:
    """(steal, total) jiffies from /proc/stat: the hypervisor's share of this VM's CPU time."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return fields[7] if len(fields) > 7 else 0, sum(fields)


def int8_model(models: Path, shared: Path, folder: Path) -> tuple[Path | None, float]:
    """Quantize the 480x640 export on the shared train2017 images (time reported apart)."""
    from core.proctor.quantize import quantize_yolo_onnx

    images = sorted((shared / "proctor" / "coco" / "images" / "train2017").glob("*.jpg"))
    destination = folder / "yolo11n_480x640_int8.onnx"
    start = time.perf_counter()
    try:
        quantize_yolo_onnx(models / "yolo11n_480x640.onnx", destination, images)
    except Exception as exc:  # e.g. the onnx package missing: reported, not hidden
        print(f"int8 quantization unavailable: {exc}")
        return None, float("nan")
    return destination, time.perf_counter() - start


def bare_session_ms(weights: Path, frames: list[np.ndarray], runs: int, threads: int) -> float:
    """Baseline: onnxruntime alone on the file as shipped (no rewrite, no pre/post-processing),
    on an input prepared once. What any onnxruntime user of this export pays per frame."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
    model_input = session.get_inputs()[0]
    height, width = model_input.shape[2:]
    image = cv2.resize(frames[0], (width, height))
    blob = np.ascontiguousarray(image[:, :, ::-1].transpose(2, 0, 1)[None], np.float32) / 255
    session.run(None, {model_input.name: blob})
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, {model_input.name: blob})
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def backend_latencies(
    models: Path, frames: list[np.ndarray], runs: int, int8: Path | None
) -> dict[str, dict]:
    cases: dict[str, tuple[str, Path, int]] = {
        "onnxruntime_480x640": ("onnxruntime", models / "yolo11n_480x640.onnx", 1),
        "onnxruntime_480x640_2threads": ("onnxruntime", models / "yolo11n_480x640.onnx", 2),
        "onnxruntime_320": ("onnxruntime", models / "yolo11n_320.onnx", 1),
        "ultralytics_pt_640": ("ultralytics", models / "yolo11n-rebuilt.pt", 1),
        "ultralytics_openvino_640": ("ultralytics", models / "yolo11n_int8_openvino_model", 1),
    }
    if int8 is not None:
        cases["onnxruntime_int8_480x640"] = ("onnxruntime", int8, 1)
        cases["onnxruntime_int8_480x640_2threads"] = ("onnxruntime", int8, 2)
    out: dict[str, dict] = {}
    for name, (backend, weights, threads) in cases.items():
        start = time.perf_counter()
        try:
            detector = build_detector_for(backend, str(weights), threads=threads)
        except Exception as exc:  # e.g. openvino not installed: reported, not hidden
            out[name] = {"error": str(exc)}
            print(f"{name:34s} unavailable: {exc}")
            continue
        load_s = time.perf_counter() - start
        steal0, total0 = cpu_steal_share()
        result = {"load_s": round(load_s, 2), **latency(detector, frames, runs)}
        steal1, total1 = cpu_steal_share()
        result["cpu_steal_pct"] = round(100 * (steal1 - steal0) / max(1, total1 - total0), 1)
        out[name] = result
        print(f"{name:34s} load {load_s:5.2f} s  median {result['median_ms']:6.1f} ms  "
              f"p90 {result['p90_ms']:6.1f} ms  {result['fps']:5.1f} frames/s  "
              f"steal {result['cpu_steal_pct']:4.1f} %")  # fmt: skip
    return out


def returned_fps(
    models: Path, frames: list[np.ndarray], seconds: float, detect: bool, data_dir: Path
) -> dict[str, float]:
    """Drive the real video callback with 30 fps synthetic frames (paced in real time)."""
    settings = load_settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'bench.db'}",
        yolo_weights=str(models / "yolo11n_480x640.onnx"),
        detection_rate_hz=2.0 if detect else 0.001,
    )
    bridge = ProctorBridge(
        interview_id=1, settings=settings, db=Database(settings.resolved_database_url)
    )
    video = [av.VideoFrame.from_ndarray(f, format="bgr24") for f in frames]
    returned, callback_ms = 0, []
    start = time.perf_counter()
    i = 0
    while (now := time.perf_counter()) - start < seconds:
        due = start + i / 30
        if now < due:
            time.sleep(due - now)
        frame = video[i % len(video)]
        frame.pts, frame.time_base = i * 3000, Fraction(1, 90000)
        t0 = time.perf_counter()
        if bridge.video_frame_callback(frame) is not None:
            returned += 1
        callback_ms.append((time.perf_counter() - t0) * 1000)
        i += 1
    elapsed = time.perf_counter() - start
    status = bridge.status(playing=True)
    bridge.stop_worker(timeout=5)
    return {
        "frames_per_s": round(returned / elapsed, 1),
        "callback_median_ms": round(statistics.median(callback_ms), 2),
        "callback_max_ms": round(max(callback_ms), 1),
        "detections": status.frames_analysed,
    }


def sessions_sustained(
    models: Path, frames: list[np.ndarray], counts: list[int], seconds: float, data_dir: Path
) -> tuple[int, dict[int, float], float]:
    """K workers, each its own onnxruntime 480x640 detector, each fed 2 frames/s."""
    results: dict[int, float] = {}
    best = 0
    rss_per_session = float("nan")
    weights = str(models / "yolo11n_480x640.onnx")
    for count in counts:
        before = rss_mb()
        queue: BoundedEventQueue[EventUpdate] = BoundedEventQueue(1024)
        workers = [
            DetectionWorker(
                interview_id=k,
                detector_factory=lambda: build_detector_for("onnxruntime", weights),
                data_dir=data_dir,
                events=queue,
            )
            for k in range(count)
        ]
        for worker in workers:
            worker.start()
        time.sleep(1.5)  # models load
        if count == counts[0]:
            rss_per_session = (rss_mb() - before) / count
        start = time.perf_counter()
        ticks = int(seconds * 2)
        for tick in range(ticks):
            due = start + tick / 2
            time.sleep(max(0.0, due - time.perf_counter()))
            for k, worker in enumerate(workers):
                worker.submit(frames[(tick + k) % len(frames)])
        time.sleep(0.6)
        analysed = [w.status().frames_analysed for w in workers]
        for worker in workers:
            worker.stop(timeout=5)
        kept_up = min(analysed) / ticks
        results[count] = round(kept_up, 3)
        print(f"{count:2d} sessions at 2 detections/s: slowest analysed {kept_up:.0%} of frames")
        if kept_up >= 0.95:
            best = count
    return best, results, round(rss_per_session, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    shared = Path(
        os.environ.get("INTERVISTA_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")
    )
    parser.add_argument("--models", type=Path, default=shared / "models")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    if not args.models.is_dir():
        print(f"models not found at {args.models} (set INTERVISTA_SHARED_DIR)", file=sys.stderr)
        return 2
    frames = webcam_frames(shared)
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        int8, quantize_s = int8_model(args.models, shared, data_dir)
        latencies = backend_latencies(args.models, frames, args.runs, int8)
        shipped = args.models / "yolo11n_480x640.onnx"
        bare = {n: bare_session_ms(shipped, frames, args.runs, n) for n in (1, 2)}
        for threads, bare_ms in bare.items():
            case = "onnxruntime_480x640" + ("_2threads" if threads == 2 else "")
            ours = latencies[case]["median_ms"]
            print(f"bare onnxruntime, shipped file, {threads} thread(s): {bare_ms} ms; our "
                  f"detector (pre/post included) {ours} ms = {ours / bare_ms:.2f}x")  # fmt: skip
        baseline = returned_fps(args.models, frames, args.seconds / 2, False, data_dir)
        detecting = returned_fps(args.models, frames, args.seconds, True, data_dir)
        ratio = detecting["frames_per_s"] / baseline["frames_per_s"]
        print(
            f"frames/s returned: {detecting['frames_per_s']} while detecting, "
            f"{baseline['frames_per_s']} without (ratio {ratio:.2f}); callback median "
            f"{detecting['callback_median_ms']} ms, max {detecting['callback_max_ms']} ms"
        )
        best, by_count, rss = sessions_sustained(
            args.models, frames, [2, 4, 6, 8, 10], args.seconds, data_dir
        )
    onnx = latencies["onnxruntime_480x640"]
    at_480x640 = {
        k: v["median_ms"]
        for k, v in latencies.items()
        if k.startswith("onnxruntime") and "480x640" in k and "median_ms" in v
    }
    fastest = min(at_480x640, key=at_480x640.__getitem__)
    print(f"fastest onnxruntime 480x640: {fastest} {at_480x640[fastest]} ms (target 30 ms)")
    torch_pt = latencies.get("ultralytics_pt_640", {})
    speedup = (
        round(torch_pt["median_ms"] / onnx["median_ms"], 2) if "median_ms" in torch_pt else None
    )
    print(f"onnxruntime 480x640 vs ultralytics .pt 640: {speedup}x faster")
    print(f"RSS per session (detector + worker): {rss} MB; sessions sustained: {best}")
    summary = {
        "latency": latencies,
        "int8_quantize_s": round(quantize_s, 1),
        "bare_onnxruntime_480x640_ms": bare,
        "fastest_onnx_480x640": {"case": fastest, "median_ms": at_480x640[fastest]},
        "onnx_vs_torch_speedup": speedup,
        "returned_fps_detecting": detecting,
        "returned_fps_baseline": baseline,
        "rss_mb_per_session": rss,
        "sessions_kept_up": by_count,
        "sessions_sustained_2hz": best,
        # What the measured latency allows if detection had the cores to itself:
        "sessions_estimate_from_latency": int(
            (os.cpu_count() or 1) * 1000 / (2.0 * onnx.get("median_ms", 1e9))
        ),
        "targets_met": {
            "onnx_480x640_le_30ms": at_480x640[fastest] <= 30,
            "returned_fps_ge_20": detecting["frames_per_s"] >= 20,
            "sessions_ge_6": best >= 6,
        },
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
