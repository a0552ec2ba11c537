"""``python -m core grade``: batch-grade answers from JSON lines on stdin.

Each input line: ``{"question", "reference_answer", "answer", "criteria"?}``. Each output line:
``{"line", "score", "metrics", "needs_review", "review_reasons", "engine", "model",
"criteria_covered", "criteria_missed"}`` in input order, or ``{"line", "error"}`` for a bad
line. Blank lines are skipped. Exit status 0 when every line was graded, 1 if any was bad.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.cli import Command
from core.config import get_settings
from core.interviewer.ai.factory import build_evaluator, build_offline_evaluator
from core.interviewer.ai.stuffing import guard_against_stuffing
from core.interviewer.ai.types import AnswerInput, Evaluator, QuestionSpec

logger = logging.getLogger(__name__)


class GradeLine(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    question: str = Field(min_length=1)
    reference_answer: str
    answer: str
    criteria: list[str] = Field(default_factory=list)


def _error_text(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}" for e in exc.errors()
    )


def grade_stream(evaluator: Evaluator, source: TextIO, sink: TextIO) -> int:
    """Grade every line of ``source`` into ``sink``; return the number of bad lines."""
    bad = 0
    for number, raw in enumerate(source, start=1):
        if not raw.strip():
            continue
        try:
            item = GradeLine.model_validate(json.loads(raw))
        except json.JSONDecodeError as exc:
            out: dict[str, object] = {"line": number, "error": f"not valid JSON: {exc.msg}"}
        except ValidationError as exc:
            out = {"line": number, "error": _error_text(exc)}
        else:
            spec = QuestionSpec(
                text=item.question,
                expected_answer=item.reference_answer,
                criteria=tuple(c for c in item.criteria if c.strip()),
            )
            try:
                answer = AnswerInput(item.answer)
                result = guard_against_stuffing(evaluator.evaluate(spec, answer), item.answer)
            except Exception as exc:  # one bad line must not stop the batch
                logger.exception("line %d could not be graded", number)
                sink.write(json.dumps({"line": number, "error": f"grading failed: {exc}"}) + "\n")
                bad += 1
                continue
            out = {
                "line": number,
                "score": result.score,
                "metrics": result.metrics.as_dict(),
                "needs_review": result.needs_review,
                "review_reasons": list(result.review_reasons),
                "engine": result.engine,
                "model": result.model,
                "criteria_covered": list(result.criteria_covered),
                "criteria_missed": list(result.criteria_missed),
            }
        if "error" in out:
            bad += 1
        sink.write(json.dumps(out, ensure_ascii=False) + "\n")
        sink.flush()
    return bad


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=["settings", "offline", "lexical"],
        default="settings",
        help="settings: as configured (LLM if enabled); offline: embeddings if configured, "
        "else lexical; lexical: the lexical engine only",
    )


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.engine == "settings":
        evaluator = build_evaluator(settings)
    else:
        evaluator = build_offline_evaluator(settings, lexical_only=args.engine == "lexical")
    bad = grade_stream(evaluator, sys.stdin, sys.stdout)
    if bad:
        logger.warning("%d input line(s) could not be graded", bad)
    return 1 if bad else 0


COMMANDS = [
    Command(
        name="grade",
        help="Grade answers given as JSON lines on stdin; one JSON line out per input",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
