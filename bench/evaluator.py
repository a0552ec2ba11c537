"""Benchmark of the offline answer evaluator on SemEval-2013 Task 7 (SciEntsBank and Beetle).

Quality figures run every answer through the engine's own code (``OfflineEvaluator.evaluate``)
with sentence vectors encoded in bulk beforehand (``CachedEmbedder``); latency is timed on a sample
per split with the real per-answer encoding, and the largest score gap between the two is printed.
Each engine's 0-10 score is read as a correctness prediction (correct when the score reaches the
engine's pass mark) and compared with the gold 2-way labels: accuracy, macro-F1 and Pearson r
(score against gold 0/1), per test split, for the offline engine (embeddings), its lexical
fallback and a plain word-overlap baseline, all in the same run. Latency per answer (median,
p95) after a warm-up. The word-overlap pass mark is tuned on the TRAIN splits in the same run;
the engines' coefficients were fitted on TRAIN only with ``--calibrate`` (never on test).

With a local LLM (``--llm-model``, default the test model from ../shared/tools/fetch-test-llm;
``--llm-sample 0`` skips it) the first ``--llm-sample`` answers of each split also go through
the LLM engine as shipped (``LLMEvaluator``: the model's grade, the offline engine beside it),
and through the mean of the LLM's and the embedding engine's scores (a measured alternative);
the other engines are scored on the same sample for a fair comparison.

    .venv/bin/python bench/evaluator.py [--limit N] [--calibrate] [--llm-sample N]

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
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import get_settings, load_settings  # noqa: E402
from core.interviewer.ai import scoring  # noqa: E402
from core.interviewer.ai.embedding import get_embedder  # noqa: E402
from core.interviewer.ai.factory import build_llm_client  # noqa: E402
from core.interviewer.ai.features import FEATURE_NAMES, feature_vector  # noqa: E402
from core.interviewer.ai.lexical import word_overlap  # noqa: E402
from core.interviewer.ai.llm import LLMEvaluator  # noqa: E402
from core.interviewer.ai.offline import OfflineEvaluator  # noqa: E402
from core.interviewer.ai.similarity import (  # noqa: E402
    EmbeddingBackend,
    LexicalBackend,
    lexical_similarities,
)
from core.interviewer.ai.types import AnswerInput, QuestionSpec  # noqa: E402
from core.models.service import default_embedding_model  # noqa: E402

logger = logging.getLogger("bench.evaluator")
TEST_SPLITS = ("test_unseen_answers", "test_unseen_questions", "test_unseen_domains")
REFERENCE_CATEGORIES = {None, "BEST", "GOOD", "MINIMAL"}


def shared_dir() -> Path:
    configured = os.environ.get("INTERVISTA_SHARED_DIR")
    return Path(configured) if configured else ROOT.parent / "shared"


def load_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def question_of(row: dict) -> QuestionSpec:
    refs = [
        r["text"]
        for r in row.get("reference_answers") or []
        if r.get("category") in REFERENCE_CATEGORIES and r["text"] != row["reference_answer"]
    ]
    return QuestionSpec(
        text=row["question"], expected_answer=row["reference_answer"], reference_answers=tuple(refs)
    )


def gold(row: dict) -> int:
    return 1 if row["label_2way"] == "correct" else 0


def macro_f1(pred: Sequence[int], truth: Sequence[int]) -> float:
    scores = []
    for label in (0, 1):
        tp = sum(1 for p, t in zip(pred, truth, strict=True) if p == label and t == label)
        fp = sum(1 for p, t in zip(pred, truth, strict=True) if p == label and t != label)
        fn = sum(1 for p, t in zip(pred, truth, strict=True) if p != label and t == label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / 2


def figures(scores: Sequence[float], truth: Sequence[int], mark: float) -> dict[str, float]:
    pred = [1 if s >= mark else 0 for s in scores]
    accuracy = sum(1 for p, t in zip(pred, truth, strict=True) if p == t) / len(truth)
    pearson = float(np.corrcoef(scores, truth)[0, 1]) if len(set(scores)) > 1 else 0.0
    return {
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro_f1(pred, truth), 4),
        "pearson_r": round(pearson, 4),
    }


def best_mark(scores: Sequence[float], truth: Sequence[int]) -> float:
    """The pass mark (0-10) maximising macro-F1 on the given (train) data."""
    marks = [m / 20 for m in range(1, 200)]
    return max(marks, key=lambda m: macro_f1([1 if s >= m else 0 for s in scores], truth))


def fit_logistic(x: np.ndarray, y: np.ndarray, iterations: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method with a little L2; returns [bias, weights...]."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    ridge = 1e-3 * np.diag([0.0] + [1.0] * x.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) / len(y) + ridge @ w
        hessian = (xb * (p * (1 - p))[:, None]).T @ xb / len(y) + ridge
        w -= np.linalg.solve(hessian, grad)
    return w


def calibrate(rows: list[dict], model_path: str) -> dict[str, object]:
    """Fit both backends' correctness models on the train rows only.

    Embeddings are computed in bulk, then every row goes through the engine's own
    ``feature_vector`` so that the fitted weights match what the engine computes.
    """
    train = [r for r in rows if r["split"] == "train"]
    truth = np.array([gold(r) for r in train], dtype=float)
    embedder = get_embedder(model_path)
    texts = sorted({t for r in train for t in (r["question"], r["student_answer"], *refs_of(r))})
    vectors = dict(zip(texts, embedder.encode(texts), strict=True))
    feats: dict[str, list[tuple[float, ...]]] = {"embedding": [], "lexical": []}
    for row in train:
        refs, q, a = refs_of(row), row["question"], row["student_answer"]
        va = vectors[a]
        emb_sims = [float(np.clip(vectors[r] @ va, 0, 1)) for r in refs]
        emb_q = float(np.clip(vectors[q] @ va, 0, 1))
        feats["embedding"].append(feature_vector(q, refs, a, emb_sims, emb_q))
        lex_sims, lex_q = lexical_similarities(q, refs, a)
        feats["lexical"].append(feature_vector(q, refs, a, lex_sims, lex_q))
    out: dict[str, object] = {"features": list(FEATURE_NAMES)}
    for kind, rows_x in feats.items():
        x = np.array(rows_x)
        w = fit_logistic(x, truth)
        probs = 1 / (1 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w)))
        mark = best_mark(list(10 * probs), [int(t) for t in truth])
        out[kind] = {
            "bias": round(float(w[0]), 3),
            "weights": [round(float(v), 3) for v in w[1:]],
            "pass_probability": round(mark / 10, 3),
        }
    return out


def refs_of(row: dict) -> list[str]:
    q = question_of(row)
    return list(q.all_references)


def timed_scores(
    fn: Callable[[dict], float], rows: list[dict], warmup: int = 0
) -> tuple[list[float], list[float]]:
    for row in rows[:warmup]:
        fn(row)
    scores, times = [], []
    for row in rows:
        start = time.perf_counter()
        scores.append(fn(row))
        times.append((time.perf_counter() - start) * 1000)
    return scores, times


class CachedEmbedder:
    """Serves vectors encoded in bulk beforehand, so the engine's own code path scores every
    answer without re-encoding (quality figures); latency is measured with the real one."""

    def __init__(self, vectors: dict[str, np.ndarray], name: str) -> None:
        self.vectors = vectors
        self.name = name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.vectors[t] for t in texts])


def _evaluator_fn(evaluator: OfflineEvaluator) -> Callable[[dict], float]:
    return lambda r: evaluator.evaluate(question_of(r), AnswerInput(r["student_answer"])).score


def llm_comparison(
    splits: dict[str, list[dict]], offline: OfflineEvaluator, model: Path, sample: int
) -> dict[str, object]:
    """The LLM engine on the first ``sample`` answers of each split, beside the embedding
    engine and their mean on the same answers; latency per answer."""
    settings = load_settings(local_llm_model_path=str(model))
    client = build_llm_client(settings)
    assert client is not None
    evaluator = LLMEvaluator(client, offline)
    out: dict[str, object] = {}
    times: list[float] = []
    fallbacks = 0
    pooled: dict[str, list[float]] = {"llm": [], "offline_embedding": [], "mean_llm_embedding": []}
    pooled_truth: list[int] = []
    for key, subset in splits.items():
        rows = subset[:sample]
        truth = [gold(r) for r in rows]
        llm_scores, emb_scores = [], []
        for r in rows:
            start = time.perf_counter()
            result = evaluator.evaluate(question_of(r), AnswerInput(r["student_answer"]))
            times.append(time.perf_counter() - start)
            fallbacks += result.engine != "llm"
            llm_scores.append(result.score)
            emb_scores.append(float(result.signals.get("offline_score", result.score)))
        mean = [(a + b) / 2 for a, b in zip(llm_scores, emb_scores, strict=True)]
        figs = {
            "llm": figures(llm_scores, truth, scoring.PASS_SCORE),
            "offline_embedding": figures(emb_scores, truth, scoring.PASS_SCORE),
            "mean_llm_embedding": figures(mean, truth, scoring.PASS_SCORE),
        }
        for name, scores in (("llm", llm_scores), ("offline_embedding", emb_scores)):
            pooled[name].extend(scores)
        pooled["mean_llm_embedding"].extend(mean)
        pooled_truth.extend(truth)
        out[key] = {"n": len(rows), **figs}
        print(
            f"LLM sample {key:34s} n={len(rows):3d}  "
            + "  ".join(
                f"{n}: F1 {f['macro_f1']:.3f} r {f['pearson_r']:.3f}" for n, f in figs.items()
            )
        )
    out["pooled"] = {
        name: figures(scores, pooled_truth, scoring.PASS_SCORE) for name, scores in pooled.items()
    }
    out["model"] = model.name
    out["fallbacks"] = fallbacks
    out["latency_median_s"] = round(statistics.median(times), 2) if times else None
    out["latency_p95_s"] = round(float(np.percentile(times, 95)), 2) if times else None
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="first N answers per split")
    parser.add_argument("--calibrate", action="store_true", help="fit coefficients on train")
    parser.add_argument("--latency-sample", type=int, default=60, help="answers per split timed")
    parser.add_argument(
        "--model-path",
        default=None,
        help="default: what the app uses (embedding_model_path, else the models dir: "
        "INTERVISTA_MODELS_DIR), else <shared>/models/all-MiniLM-L6-v2",
    )
    parser.add_argument(
        "--llm-model",
        default=os.environ.get("INTERVISTA_TEST_LLM_PATH")
        or str(
            Path.home() / ".cache/intervista-test-models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
        ),
        help="a GGUF model for the local LLM engine (default: fetch-test-llm's)",
    )
    parser.add_argument(
        "--llm-sample", type=int, default=10, help="answers per split for the LLM (0: skip)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    data = shared_dir() / "datasets/asag/semeval2013_task7/semeval2013_task7.jsonl"
    model_path = (
        args.model_path
        or default_embedding_model(get_settings())
        or str(shared_dir() / "models/all-MiniLM-L6-v2")
    )
    print(json.dumps({"embedding_model": model_path}))
    if not data.is_file():
        print(json.dumps({"error": f"dataset not found: {data} (set INTERVISTA_SHARED_DIR)"}))
        return 2
    rows = load_rows(data)
    if args.calibrate:
        print(json.dumps({"calibration_on_train": calibrate(rows, model_path)}))
        return 0

    splits: dict[str, list[dict]] = {}
    for dataset in ("beetle", "scientsbank"):
        for split in TEST_SPLITS:
            subset = [r for r in rows if r["dataset"] == dataset and r["split"] == split]
            if subset:
                splits[f"{dataset}/{split}"] = subset[: args.limit] if args.limit else subset
    embedder = get_embedder(model_path)
    texts = sorted(
        {
            t
            for sub in splits.values()
            for r in sub
            for t in (r["question"], r["student_answer"], *refs_of(r))
        }
    )
    start = time.perf_counter()
    cached = CachedEmbedder(dict(zip(texts, embedder.encode(texts), strict=True)), embedder.name)
    bulk_seconds = time.perf_counter() - start
    embedder.clear_cache()  # timed answers must be encoded for real (rubric texts then recur)
    real = OfflineEvaluator(EmbeddingBackend(embedder), cross_check=False)
    train = [r for r in rows if r["split"] == "train"]
    overlap = lambda r: 10 * word_overlap(r["student_answer"], r["reference_answer"])  # noqa: E731
    overlap_mark = best_mark([overlap(r) for r in train], [gold(r) for r in train])
    engines: dict[str, tuple[Callable[[dict], float], float]] = {
        "offline_embedding": (
            _evaluator_fn(OfflineEvaluator(EmbeddingBackend(cached), cross_check=False)),  # type: ignore[arg-type]
            scoring.PASS_SCORE,
        ),
        "offline_lexical": (_evaluator_fn(OfflineEvaluator(LexicalBackend())), scoring.PASS_SCORE),
        "word_overlap": (overlap, overlap_mark),
    }
    timed = {"offline_embedding": _evaluator_fn(real), "offline_lexical": engines[
        "offline_lexical"][0], "word_overlap": overlap}  # fmt: skip

    results: dict[str, dict[str, dict[str, float]]] = {}
    latency: dict[str, list[float]] = {name: [] for name in engines}
    max_gap = 0.0
    for key, subset in splits.items():
        truth = [gold(r) for r in subset]
        results[key] = {"n": {"answers": len(subset)}}
        for name, (fn, mark) in engines.items():
            scores = [fn(r) for r in subset]
            results[key][name] = figures(scores, truth, mark)
            sample = subset[: args.latency_sample]
            exact, times = timed_scores(timed[name], sample, warmup=5 if not latency[name] else 0)
            latency[name].extend(times)
            max_gap = max([max_gap, *(abs(a - b) for a, b in zip(exact, scores, strict=False))])
        emb, base = results[key]["offline_embedding"], results[key]["word_overlap"]
        print(
            f"{key:40s} n={len(subset):5d}  "
            + "  ".join(
                f"{n}: acc {f['accuracy']:.3f} F1 {f['macro_f1']:.3f} r {f['pearson_r']:.3f}"
                for n, f in results[key].items()
                if n != "n"
            )
            + f"  | F1 gain vs overlap {emb['macro_f1'] - base['macro_f1']:+.3f}"
        )
    lat = {
        name: {
            "median_ms": round(statistics.median(t), 2),
            "p95_ms": round(float(np.percentile(t, 95)), 2),
        }
        for name, t in latency.items()
        if t
    }
    for name, figs in lat.items():
        print(f"latency {name:20s} median {figs['median_ms']:.2f} ms  p95 {figs['p95_ms']:.2f} ms")
    beats = all(
        r["offline_embedding"]["macro_f1"] > r["word_overlap"]["macro_f1"] for r in results.values()
    )
    llm: dict[str, object] | None = None
    if args.llm_sample > 0 and Path(args.llm_model).is_file():
        offline = OfflineEvaluator(EmbeddingBackend(cached), cross_check=False)  # type: ignore[arg-type]
        llm = llm_comparison(splits, offline, Path(args.llm_model), args.llm_sample)
        pooled = llm["pooled"]
        print(
            f"LLM pooled {json.dumps(pooled)}  fallbacks {llm['fallbacks']}  "
            f"median {llm['latency_median_s']} s per answer"
        )
    elif args.llm_sample > 0:
        print(json.dumps({"llm": f"skipped: no model at {args.llm_model}"}))
    pearson = [r["offline_embedding"]["pearson_r"] for r in results.values()]
    summary = {
        "offline_embedding_mean_pearson_r": round(statistics.mean(pearson), 4),
        "human_agreement_target_r": 0.6,
        "llm": llm,
        "splits": results,
        "latency": lat,
        "word_overlap_pass_mark_from_train": overlap_mark,
        "embedding_beats_overlap_on_every_split": beats,
        "embedding_median_ms": lat["offline_embedding"]["median_ms"],
        "limit": args.limit,
        "bulk_encode_seconds": round(bulk_seconds, 1),
        "max_score_gap_bulk_vs_per_answer": round(max_gap, 4),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
