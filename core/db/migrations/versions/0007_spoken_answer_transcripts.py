"""interview_responses.transcript_*: spoken answers' transcripts; template options for them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interview_responses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "transcript_status",
                sa.Enum(
                    "pending",
                    "done",
                    "failed",
                    name="transcriptstatus",
                    native_enum=False,
                    create_constraint=False,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("transcript_text", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("transcript_model", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("transcript_error", sa.Text(), server_default="", nullable=False)
        )
    with op.batch_alter_table("interview_templates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "show_transcript_to_candidate",
                sa.Boolean(),
                server_default=sa.true(),
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "read_questions_aloud", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("interview_templates", schema=None) as batch_op:
        batch_op.drop_column("read_questions_aloud")
        batch_op.drop_column("show_transcript_to_candidate")
    with op.batch_alter_table("interview_responses", schema=None) as batch_op:
        batch_op.drop_column("transcript_error")
        batch_op.drop_column("transcript_model")
        batch_op.drop_column("transcript_status")
        batch_op.drop_column("transcript_text")
