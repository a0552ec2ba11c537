"""Staff sign-in: the front page when signed out. Signing in returns to the page asked for."""

from __future__ import annotations

from core.ui.session import sign_in_form

sign_in_form()
