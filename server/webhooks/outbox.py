"""The outbox: an event, and one delivery of it per endpoint that listens, written in the
transaction of the change it tells of. The change and its event commit together or not at
all: nothing is lost (a committed change always has its event) and nothing is invented (a
change rolled back has none). The delivery job (`delivery.py`) sends them afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient

from server.accounts.models import Organization, Resource
from server.api import ids
from server.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

Announcement = tuple[EventType, dict[str, Any]]


def new_message_id() -> str:
    """The `webhook-id` of an event: unique, and the same for every attempt to send it."""
    return f"msg_{uuid.uuid4().hex}"


def body(event_type: EventType, at: datetime, data: dict[str, Any]) -> str:
    """The payload as the Standard Webhooks specification shapes it."""
    return orjson.dumps(
        {"type": str(event_type), "timestamp": at.isoformat(), "data": data}
    ).decode()


async def write(
    conn: BaseDBAsyncClient,
    organization_id: int,
    announcements: Sequence[Announcement],
    now: datetime,
) -> list[WebhookEvent]:
    """Write `announcements` of the organisation, in the caller's transaction, for each
    enabled endpoint that listens to its type. An event no endpoint listens to is not kept."""
    if not announcements:
        return []
    endpoints = await (
        WebhookEndpoint.filter(organization_id=organization_id, enabled=True)
        .using_db(conn)
        .only("id", "events")
    )
    if not endpoints:
        return []
    written = []
    deliveries = []
    for event_type, data in announcements:
        listening = [e for e in endpoints if event_type.value in e.events.split()]
        if not listening:
            continue
        event = await WebhookEvent.create(
            using_db=conn,
            organization_id=organization_id,
            message_id=new_message_id(),
            type=event_type.value,
            payload=body(event_type, now, data),
            created_at=now,
        )
        written.append(event)
        deliveries += [
            WebhookDelivery(
                event_id=event.id,
                endpoint_id=endpoint.id,
                status=DeliveryStatus.PENDING,
                next_attempt_at=now,
                created_at=now,
            )
            for endpoint in listening
        ]
    if deliveries:
        await WebhookDelivery.bulk_create(deliveries, using_db=conn)
    return written


def resource_data(resource: Resource) -> dict[str, Any]:
    """A person as payloads show them; `id` is the API's id of the person."""
    return {
        "id": ids.encode(ids.RESOURCE, resource.id),
        "name": resource.name,
        "email": resource.email,
        "kind": str(resource.kind),
        "active": resource.active,
        "loginAccess": resource.login_access,
        "lastWorkDay": resource.last_work_day.isoformat() if resource.last_work_day else None,
    }


def seats_data(org: Organization) -> dict[str, int]:
    return {"licenseCount": org.license_count, "used": org.used}
