"""Our own interview question bank: validated JSON Lines files and a seeded selector."""

from __future__ import annotations

from core.interviewer.question_bank.loader import (
    BankQuestion,
    QuestionBank,
    QuestionBankError,
    default_bank,
    load_bank,
)
from core.interviewer.question_bank.selection import (
    NotEnoughQuestions,
    SelectionRequest,
    select_questions,
)

__all__ = [
    "BankQuestion",
    "NotEnoughQuestions",
    "QuestionBank",
    "QuestionBankError",
    "SelectionRequest",
    "default_bank",
    "load_bank",
    "select_questions",
]
