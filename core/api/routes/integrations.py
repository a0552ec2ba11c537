"""``/api/v1/webhooks/`` and ``/api/v1/api_keys/``: administrators wire other systems in.

Webhook endpoints (the events each wants, a signing secret shown once), their deliveries (every
attempt recorded; a replay sends one again), and the organisation's API keys (shown once,
stored as hashes). Only a signed-in administrator may call these: API keys never manage
integrations, whatever their scopes (``Action.MANAGE_INTEGRATIONS``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from core.api.deps import AppDep, CallerDep, PageDep, page_links
from core.api.routes.interviews import known
from core.api.schemas_integrations import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    DeliveryOut,
    DeliveryPage,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EndpointSecretOut,
    PingOut,
)
from core.integrations import deliveries, webhooks
from core.integrations.deliveries import DeliveryStatus
from core.staff import api_access

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
router = APIRouter(prefix="/v1", tags=["integrations"])


# Webhook endpoints ---------------------------------------------------------------------------
@router.get("/webhooks/", response_model=list[EndpointOut], summary="Webhook endpoints")
def list_endpoints(caller: CallerDep, app: AppDep) -> list[EndpointOut]:
    return [EndpointOut.of(e) for e in webhooks.list_endpoints(app.db, principal=known(caller))]


@router.post(
    "/webhooks/",
    response_model=EndpointSecretOut,
    status_code=201,
    summary="Register a URL for events (its secret is shown only in this answer)",
)
def create_endpoint(body: EndpointIn, caller: CallerDep, app: AppDep) -> EndpointSecretOut:
    made = webhooks.create_endpoint(
        app.db,
        url=body.url,
        events=[e.value for e in body.events],
        description=body.description,
        principal=known(caller),
        now=caller.now,
    )
    return EndpointSecretOut.of_new(made)


@router.get(
    "/webhooks/deliveries/",
    response_model=DeliveryPage,
    summary="Deliveries, newest first (filters, pages)",
)
def list_deliveries(
    request: Request,
    caller: CallerDep,
    app: AppDep,
    page: PageDep,
    endpoint_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status: DeliveryStatus | None = None,
    event: Annotated[str | None, Query(max_length=64)] = None,
) -> DeliveryPage:
    count, found = deliveries.page_deliveries(
        app.db,
        principal=known(caller),
        endpoint_id=endpoint_id,
        status=status,
        event=event,
        offset=page.offset,
        limit=page.page_size,
    )
    following, preceding = page_links(request, page, count)
    return DeliveryPage(
        count=count,
        next=following,
        previous=preceding,
        results=[DeliveryOut.of(d) for d in found],
    )


@router.get(
    "/webhooks/deliveries/{delivery_id:int}/",
    response_model=DeliveryOut,
    summary="One delivery: body, attempts, last answer",
)
def get_delivery(delivery_id: Id, caller: CallerDep, app: AppDep) -> DeliveryOut:
    return DeliveryOut.of(deliveries.get_delivery(app.db, delivery_id, principal=known(caller)))


@router.post(
    "/webhooks/deliveries/{delivery_id:int}/replay/",
    response_model=DeliveryOut,
    status_code=202,
    summary="Send a delivery again (a new delivery of the same event)",
)
def replay_delivery(delivery_id: Id, caller: CallerDep, app: AppDep) -> DeliveryOut:
    replayed = deliveries.replay(app.db, delivery_id, principal=known(caller), now=caller.now)
    _wake(app)
    return DeliveryOut.of(replayed)


@router.get("/webhooks/{endpoint_id:int}/", response_model=EndpointOut, summary="One endpoint")
def get_endpoint(endpoint_id: Id, caller: CallerDep, app: AppDep) -> EndpointOut:
    return EndpointOut.of(webhooks.get_endpoint(app.db, endpoint_id, principal=known(caller)))


@router.patch(
    "/webhooks/{endpoint_id:int}/",
    response_model=EndpointOut,
    summary="Change an endpoint's URL, events, description or whether it is active",
)
def update_endpoint(
    endpoint_id: Id, body: EndpointPatch, caller: CallerDep, app: AppDep
) -> EndpointOut:
    changed = webhooks.update_endpoint(
        app.db,
        endpoint_id,
        principal=known(caller),
        url=body.url,
        events=[e.value for e in body.events] if body.events is not None else None,
        description=body.description,
        is_active=body.is_active,
    )
    return EndpointOut.of(changed)


@router.delete(
    "/webhooks/{endpoint_id:int}/",
    status_code=204,
    response_class=Response,
    summary="Remove an endpoint and its deliveries",
)
def delete_endpoint(endpoint_id: Id, caller: CallerDep, app: AppDep) -> Response:
    webhooks.delete_endpoint(app.db, endpoint_id, principal=known(caller))
    return Response(status_code=204)


@router.post(
    "/webhooks/{endpoint_id:int}/rotate_secret/",
    response_model=EndpointSecretOut,
    summary="Replace the signing secret (the new one is shown only in this answer)",
)
def rotate_secret(endpoint_id: Id, caller: CallerDep, app: AppDep) -> EndpointSecretOut:
    made = webhooks.rotate_secret(app.db, endpoint_id, principal=known(caller))
    return EndpointSecretOut.of_new(made)


@router.post(
    "/webhooks/{endpoint_id:int}/ping/",
    response_model=PingOut,
    status_code=202,
    summary="Send a signed ping event to check the receiver",
)
def ping(endpoint_id: Id, caller: CallerDep, app: AppDep) -> PingOut:
    delivery_id = webhooks.send_ping(app.db, endpoint_id, principal=known(caller), now=caller.now)
    _wake(app)
    return PingOut(delivery_id=delivery_id)


def _wake(app: AppDep) -> None:
    if app.delivery_worker is not None:
        app.delivery_worker.wake()


# API keys ------------------------------------------------------------------------------------
@router.get("/api_keys/", response_model=list[ApiKeyOut], summary="API keys (never the keys)")
def list_api_keys(caller: CallerDep, app: AppDep) -> list[ApiKeyOut]:
    return [ApiKeyOut.of(k) for k in api_access.list_api_keys(app.db, principal=known(caller))]


@router.post(
    "/api_keys/",
    response_model=ApiKeyCreatedOut,
    status_code=201,
    summary="Make an API key (the key is shown only in this answer)",
)
def create_api_key(body: ApiKeyIn, caller: CallerDep, app: AppDep) -> ApiKeyCreatedOut:
    made = api_access.create_api_key(
        app.db,
        name=body.name,
        scopes=body.scopes,
        expires_days=body.expires_days,
        now=caller.now,
        actor_id=caller.actor_id,
        principal=known(caller),
    )
    return ApiKeyCreatedOut.of(made)


@router.post(
    "/api_keys/{key_id:int}/revoke/",
    response_model=ApiKeyOut,
    summary="Stop a key at once",
)
def revoke_api_key(key_id: Id, caller: CallerDep, app: AppDep) -> ApiKeyOut:
    revoked = api_access.revoke_api_key(
        app.db, key_id, now=caller.now, actor_id=caller.actor_id, principal=known(caller)
    )
    return ApiKeyOut.of(revoked)
