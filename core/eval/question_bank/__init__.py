"""Our own interview question bank: validated JSON Lines files and a seeded selector."""

from __future__ import annotations

from core.eval.question_bank.loader import (
    BankError,
    BankQuestion,
    QuestionBank,
    default_bank,
    load_bank,
)
from core.eval.question_bank.selection import NotEnoughQuestions, SelectionRequest, select_questions

__all__ = [
    "BankError",
    "BankQuestion",
    "NotEnoughQuestions",
    "QuestionBank",
    "SelectionRequest",
    "default_bank",
    "load_bank",
    "select_questions",
]
