"""What an administrator sees first on the Integrations page: keys, endpoints, deliveries, and
whether Greenhouse is ready to call us and to be called back.

Administrators only (``Action.MANAGE_INTEGRATIONS``); one read transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from core.config import Settings
from core.db.models import ApiKey, InterviewTemplate, WebhookDelivery, WebhookEndpoint
from core.db.uow import Tx, reading
from core.integrations.deliveries import DeliveryStatus
from core.staff.permissions import Action, Principal, require


@dataclass(frozen=True)
class GreenhouseReadiness:
    """The three things Greenhouse needs; ``ready`` when all hold."""

    partner_keys: int  # live keys with the ``greenhouse`` scope (what Greenhouse calls us with)
    callback_key_set: bool  # ``INTERVISTA_GREENHOUSE_PATCH_KEY``: how we sign the completion PATCH
    offered_tests: int  # active templates offered to Greenhouse

    @property
    def ready(self) -> bool:
        return self.partner_keys > 0 and self.callback_key_set and self.offered_tests > 0


@dataclass(frozen=True)
class IntegrationOverview:
    live_keys: int  # neither revoked nor expired
    active_endpoints: int
    endpoints: int
    deliveries_waiting: int  # queued or being sent
    deliveries_failed: int
    greenhouse: GreenhouseReadiness


def integration_overview(
    db: Tx, settings: Settings, *, principal: Principal | None, now: datetime
) -> IntegrationOverview:
    require(principal, Action.MANAGE_INTEGRATIONS)
    live = (ApiKey.revoked_at.is_(None), or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now))
    with reading(db) as session:
        keys = session.execute(select(ApiKey.scopes).where(*live)).scalars().all()
        endpoints = session.execute(
            select(WebhookEndpoint.is_active, func.count()).group_by(WebhookEndpoint.is_active)
        ).all()
        statuses = dict(
            session.execute(
                select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
            ).all()
        )
        offered = session.scalar(
            select(func.count(InterviewTemplate.id)).where(
                InterviewTemplate.is_active.is_(True), InterviewTemplate.greenhouse_test.is_(True)
            )
        )
    by_active = {bool(active): int(n) for active, n in endpoints}
    return IntegrationOverview(
        live_keys=len(keys),
        active_endpoints=by_active.get(True, 0),
        endpoints=sum(by_active.values()),
        deliveries_waiting=int(
            statuses.get(DeliveryStatus.QUEUED, 0) + statuses.get(DeliveryStatus.SENDING, 0)
        ),
        deliveries_failed=int(statuses.get(DeliveryStatus.FAILED, 0)),
        greenhouse=GreenhouseReadiness(
            partner_keys=sum("greenhouse" in scopes for scopes in keys),
            callback_key_set=bool(settings.greenhouse_patch_key.get_secret_value()),
            offered_tests=int(offered or 0),
        ),
    )
