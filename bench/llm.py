"""Benchmark of the local LLM backend (llama.cpp in-process via xllamacpp, on loopback).

For a GGUF model (default: the test model from ../shared/tools/fetch-test-llm): load time, time
to first token and generation speed (tokens/s, streamed through the real ``openai`` client), at
1 thread (the baseline) and at ``--threads`` in the same run, plus the cost of structured output
(a JSON-schema-constrained reply, as the platform asks for) against free text at the same
settings. Medians over ``--repeats`` requests after one warm-up.

    .venv/bin/python bench/llm.py [--model PATH] [--threads 2] [--repeats 3]

The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openai  # noqa: E402

from core.interviewer.ai.llm import LLMGrade  # noqa: E402
from core.interviewer.ai.llm_client import response_format_of  # noqa: E402
from core.interviewer.ai.local_llm import LocalLLMConfig, LocalLLMServer  # noqa: E402

DEFAULT_MODEL = (
    Path.home() / ".cache/intervista-test-models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
)
MAX_TOKENS = 96


def _prompt(n: int) -> list[dict[str, str]]:
    """A grading request; ``n`` makes each one new (no reuse of a cached prompt)."""
    return [
        {"role": "system", "content": f"You are technical interviewer number {n}."},
        {
            "role": "user",
            "content": "Grade this answer to 'What is a Python list comprehension?' from 0 to "
            "10, then explain the grade in a paragraph of about 80 words: 'It builds a list "
            "from an iterable in one expression, with an optional condition.'",
        },
    ]


def _stream(
    client: openai.OpenAI, model: str, structured: bool, n: int
) -> tuple[float, int, float]:
    """(seconds to the first token, completion tokens, total seconds) of one request."""
    extra: dict[str, Any] = {"response_format": response_format_of(LLMGrade)} if structured else {}
    start = time.perf_counter()
    first: float | None = None
    pieces = 0
    tokens = 0
    stream = client.chat.completions.create(
        model=model,
        messages=_prompt(n),  # type: ignore[arg-type]
        temperature=0,
        max_tokens=MAX_TOKENS,
        stream=True,
        stream_options={"include_usage": True},
        **extra,
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces += 1
            if first is None:
                first = time.perf_counter() - start
        if chunk.usage is not None:
            tokens = chunk.usage.completion_tokens
    total = time.perf_counter() - start
    return (first if first is not None else total), tokens or pieces, total


def measure(model: Path, threads: int, repeats: int, structured: bool) -> dict[str, float]:
    server = LocalLLMServer(LocalLLMConfig(str(model), threads=threads, context=2048))
    endpoint = server.start()
    try:
        client = openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key, timeout=300)
        _stream(client, endpoint.model, structured, 0)  # warm-up
        runs = [_stream(client, endpoint.model, structured, n) for n in range(1, repeats + 1)]
    finally:
        server.stop()
    ttft = statistics.median(r[0] for r in runs)
    rates = [r[1] / max(1e-6, r[2] - r[0]) for r in runs]  # generation after the first token
    return {
        "threads": threads,
        "structured": structured,
        "load_seconds": round(endpoint.load_seconds, 2),
        "ttft_seconds": round(ttft, 3),
        "tokens_per_second": round(statistics.median(rates), 2),
        "completion_tokens": int(statistics.median(r[1] for r in runs)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        default=os.environ.get("INTERVISTA_TEST_LLM_PATH") or str(DEFAULT_MODEL),
        help="a GGUF instruct model (default: fetch-test-llm's)",
    )
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    model = Path(args.model)
    if not model.is_file():
        print(json.dumps({"error": f"no model at {model}: run ../shared/tools/fetch-test-llm"}))
        return 2
    baseline = measure(model, 1, args.repeats, structured=False)
    threaded = measure(model, args.threads, args.repeats, structured=False)
    schema = measure(model, args.threads, args.repeats, structured=True)
    for row in (baseline, threaded, schema):
        print(
            f"threads {row['threads']}  {'json-schema' if row['structured'] else 'free text  '}"
            f"  load {row['load_seconds']:6.2f} s  first token {row['ttft_seconds']:6.3f} s  "
            f"{row['tokens_per_second']:6.2f} tokens/s"
        )
    summary = {
        "model": model.name,
        "cpus": os.cpu_count(),
        "baseline_1_thread": baseline,
        "threads": threaded,
        "json_schema": schema,
        "speedup_threads_vs_1": round(
            threaded["tokens_per_second"] / max(1e-6, baseline["tokens_per_second"]), 2
        ),
        "json_schema_vs_free_text": round(
            schema["tokens_per_second"] / max(1e-6, threaded["tokens_per_second"]), 2
        ),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
