"""interview_follow_ups: follow-ups asked before moving on, their answers and scores;
interview_templates.max_follow_ups

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import core.db.base
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interview_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("aimed_at", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "answered",
                "passed",
                name="followupstatus",
                native_enum=False,
                create_constraint=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("asked_at", core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("draft_saved_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_interview_follow_ups_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["interview_questions.id"],
            name=op.f("fk_interview_follow_ups_question_id_interview_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_follow_ups")),
        sa.UniqueConstraint("question_id", "round", name="uq_follow_up_round"),
    )
    with op.batch_alter_table("interview_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_follow_ups_interview_id"), ["interview_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_follow_ups_question_id"), ["question_id"], unique=False
        )
    with op.batch_alter_table("interview_templates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("max_follow_ups", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("interview_templates", schema=None) as batch_op:
        batch_op.drop_column("max_follow_ups")
    with op.batch_alter_table("interview_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_follow_ups_question_id"))
        batch_op.drop_index(batch_op.f("ix_interview_follow_ups_interview_id"))
    op.drop_table("interview_follow_ups")
