"""Staff sessions: a browser's sign-in, held as a cookie whose token is stored only as a hash.

A row is born when a password is checked, holding a one-time sign-in grant (a hash, valid for
seconds); the browser exchanges the grant for the session token (another hash) and keeps the
token in an HttpOnly cookie. Signing out, a password change and deactivation delete the rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, utcnow


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the cookie's token; empty until the grant is exchanged
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # SHA-256 of the one-time sign-in grant; emptied when it is exchanged
    grant_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    grant_expires_at: Mapped[datetime | None]
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)  # absolute end
