"""The offline engine with the real sentence-embedding model from shared/."""

from __future__ import annotations

import threading

import pytest

from core.config import load_settings
from core.interviewer.ai.embedding import EmbeddingModelUnavailable, get_embedder
from core.interviewer.ai.factory import build_evaluator
from core.interviewer.ai.llm import LLMEvaluator
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.similarity import EmbeddingBackend
from core.interviewer.ai.types import AnswerInput
from core.interviewer.question_bank import default_bank

pytestmark = pytest.mark.shared

# (bank id, good, partial, wrong) — written for these tests, graded by what they cover.
CASES = [
    (
        "sql-tech-001",
        "An INNER JOIN returns only rows that have a match in both tables. A LEFT JOIN returns "
        "every row of the left table and NULLs where the right table has no match, so with "
        "WHERE right.id IS NULL you find rows without a match.",
        "An INNER JOIN returns only the rows that match in both tables.",
        "INNER JOIN merges two databases and LEFT JOIN deletes rows on the left side.",
    ),
    (
        "py-tech-005",
        "The with statement uses a context manager: it calls __enter__ at the start and "
        "__exit__ at the end, even when an exception occurs, so files are closed and locks "
        "released. contextlib.contextmanager lets you write one with a generator.",
        "The with statement makes sure a file gets closed at the end.",
        "The with statement imports a module and makes its functions global.",
    ),
    (
        "java-tech-001",
        "== compares references for objects, so it checks whether both point to the same "
        "object, while equals compares logical content, for example the characters of a "
        "String. If you override equals you must override hashCode too.",
        "== compares references, so it checks whether both variables point to the same "
        "object, while equals compares the content.",
        "== is for numbers and equals is for adding two strings together.",
    ),
    (
        "beh-002",
        "In my last project a colleague wanted GraphQL for our new API while I preferred REST. "
        "I listened to his reasons and we agreed on criteria. We built a small prototype of "
        "both and measured latency and effort. The data favoured REST, he agreed, and as a "
        "result we shipped on time. I learned to use data instead of opinions.",
        "We disagreed about GraphQL and in the end my manager decided for us.",
        "I never disagree with anyone, I just do what I am told.",
    ),
]


@pytest.mark.parametrize(("bank_id", "good", "partial", "wrong"), CASES)
def test_good_partial_wrong_in_order(
    embedding_evaluator: OfflineEvaluator, bank_id: str, good: str, partial: str, wrong: str
) -> None:
    spec = default_bank().by_id[bank_id].spec()
    scores = [
        embedding_evaluator.evaluate(spec, AnswerInput(t)).score for t in (good, partial, wrong)
    ]
    assert scores[0] > scores[1] > scores[2], scores
    assert scores[0] >= 5.0 > scores[2]


def test_same_input_same_score(embedding_evaluator: OfflineEvaluator) -> None:
    spec = default_bank().by_id["sql-tech-001"].spec()
    first = embedding_evaluator.evaluate(spec, AnswerInput(CASES[0][1]))
    second = embedding_evaluator.evaluate(spec, AnswerInput(CASES[0][1]))
    assert first == second
    assert first.engine == "offline-embedding" and first.model == "all-MiniLM-L6-v2"
    assert set(first.criteria_covered) | set(first.criteria_missed) == set(spec.criteria)


def test_model_is_loaded_once_per_process_across_threads(model_path: str) -> None:
    seen: list[object] = []
    threads = [
        threading.Thread(target=lambda: seen.append(get_embedder(model_path))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(e) for e in seen}) == 1


@pytest.mark.parametrize("path", ["", "relative/model", "/nonexistent/model-folder"])
def test_bad_model_paths_are_clear_errors(path: str) -> None:
    with pytest.raises(EmbeddingModelUnavailable):
        get_embedder(path)


def test_build_evaluator_follows_settings(tmp_path, model_path: str) -> None:
    base = {"data_dir": tmp_path, "openai_api_key": ""}
    offline = build_evaluator(
        load_settings(**base, evaluator="offline", embedding_model_path=model_path)
    )
    assert isinstance(offline, OfflineEvaluator) and offline.name == "offline-embedding"
    no_model = build_evaluator(load_settings(**base, evaluator="auto"))
    assert isinstance(no_model, OfflineEvaluator) and no_model.name == "offline-lexical"
    missing = build_evaluator(
        load_settings(**base, evaluator="offline", embedding_model_path="/nonexistent/model")
    )
    assert missing.name == "offline-lexical"
    llm = build_evaluator(
        load_settings(**base, evaluator="llm", openai_base_url="http://127.0.0.1:9/v1")
    )
    assert isinstance(llm, LLMEvaluator)
    keyed = build_evaluator(
        load_settings(**{**base, "openai_api_key": "sk-x"}, evaluator="offline")
    )
    assert isinstance(keyed, OfflineEvaluator)


def test_model_that_fails_to_load_switches_to_lexical(tmp_path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    evaluator = OfflineEvaluator(EmbeddingBackend(model_path=str(tmp_path)))
    spec = default_bank().by_id["sql-tech-001"].spec()
    result = evaluator.evaluate(spec, AnswerInput(CASES[0][1]))
    assert result.engine == "offline-lexical" and result.score > 5


def test_encode_cache_is_bounded_and_consistent(model_path: str) -> None:
    from core.interviewer.ai.embedding import SentenceEmbedder

    shared = get_embedder(model_path)
    small = SentenceEmbedder(shared.path, shared._model, cache_size=2)
    first = small.encode(["alpha beta", "gamma delta", "alpha beta"])
    assert (first[0] == first[2]).all()
    small.encode(["epsilon", "zeta"])
    assert len(small._cache) == 2
    again = small.encode(["alpha beta"])  # evicted, encoded again: same vector
    assert abs(float(again[0] @ first[0]) - 1.0) < 1e-5
