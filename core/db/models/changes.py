"""The change record: one row per inserted, updated or deleted row of the tables the analytics
copy reads (written by ``core.db.changes``; read by ``core.analytics.store``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.db.base import Base, UTCDateTime


class Change(Base):
    __tablename__ = "changes"

    # BIGINT on PostgreSQL, INTEGER (the rowid) on SQLite.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(6))  # 'upsert' | 'delete'
    at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, index=True)
