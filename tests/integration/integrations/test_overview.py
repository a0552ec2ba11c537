"""The Integrations overview on SQLite and PostgreSQL: only live keys count (not revoked, not
expired), endpoints on and off, deliveries waiting and failed, and Greenhouse ready only when a
partner key, the callback key and an offered test all exist; administrators only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import update

from core.config import Settings
from core.db.engine import Database
from core.db.models import InterviewTemplate, WebhookDelivery
from core.domain import Role
from core.errors import PermissionDenied
from core.integrations.overview import integration_overview
from core.integrations.webhooks import create_endpoint, send_ping, update_endpoint
from core.staff.api_access import create_api_key, revoke_api_key
from core.staff.permissions import StaffPrincipal
from tests.support.factories import make_template, make_user


def test_overview_counts_what_is_live(any_db: Database, settings: Settings) -> None:
    now = datetime.now(UTC)
    admin = StaffPrincipal(make_user(any_db, Role.ADMIN).id, Role.ADMIN)
    empty = integration_overview(any_db, settings, principal=admin, now=now)
    assert (empty.live_keys, empty.endpoints, empty.deliveries_failed) == (0, 0, 0)
    assert not empty.greenhouse.ready

    def key(name: str, scopes: list[str], days: float | None = None) -> int:
        made = create_api_key(
            any_db, name=name, scopes=scopes, now=now, expires_days=days, principal=admin
        )
        return made.id

    key("live", ["read"])
    key("partner", ["greenhouse"], days=30)
    revoke_api_key(any_db, key("revoked", ["greenhouse"]), now=now, principal=admin)
    key("expires soon", ["greenhouse"], days=0.5)
    later = now + timedelta(days=1)  # "expires soon" has expired by then

    on = create_endpoint(
        any_db, url="https://a.example/h", events=["review.decided"], principal=admin, now=now
    ).endpoint.id
    off = create_endpoint(
        any_db, url="https://b.example/h", events=["review.decided"], principal=admin, now=now
    ).endpoint.id
    update_endpoint(any_db, off, principal=admin, is_active=False)
    send_ping(any_db, on, principal=admin, now=now)
    failed = send_ping(any_db, on, principal=admin, now=now)
    with any_db.write() as session:
        session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == failed).values(status="failed")
        )
    template_id = make_template(any_db)
    with any_db.write() as session:
        session.execute(
            update(InterviewTemplate)
            .where(InterviewTemplate.id == template_id)
            .values(greenhouse_test=True)
        )

    seen = integration_overview(any_db, settings, principal=admin, now=later)
    assert (seen.live_keys, seen.active_endpoints, seen.endpoints) == (2, 1, 2)
    assert (seen.deliveries_waiting, seen.deliveries_failed) == (1, 1)
    assert (seen.greenhouse.partner_keys, seen.greenhouse.offered_tests) == (1, 1)
    assert not seen.greenhouse.callback_key_set and not seen.greenhouse.ready

    with_callback = settings.model_copy(update={"greenhouse_patch_key": SecretStr("gh-partner")})
    assert integration_overview(any_db, with_callback, principal=admin, now=later).greenhouse.ready


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER])
def test_only_administrators_see_the_overview(db: Database, settings: Settings, role: Role) -> None:
    principal = StaffPrincipal(make_user(db, role).id, role)
    with pytest.raises(PermissionDenied):
        integration_overview(db, settings, principal=principal, now=datetime.now(UTC))
