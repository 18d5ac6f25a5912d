"""Endpoints, as administrators register and change them (issue 15), and their log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from server.accounts import rules as account_rules
from server.errors import InvalidInput, NotFound
from server.settings import get_settings
from server.webhooks import address, delivery, signing
from server.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

MAX_DESCRIPTION = 200
MAX_ENDPOINTS = 20
# A rotation's overlap, in hours, during which the previous secret still signs.
MAX_OVERLAP_HOURS = 168
MAX_LOG = 100


def _events(events: Sequence[EventType]) -> str:
    if not events:
        raise InvalidInput("Choose at least one event.", field="events")
    return " ".join(sorted({e.value for e in events}))


def _description(text: str) -> str:
    if not text.strip():
        return ""
    return account_rules.clean_name(text, field="description", max_length=MAX_DESCRIPTION)


async def _checked_url(url: str) -> str:
    await address.resolve(url, allow_private=get_settings().webhooks_allow_private)
    return url.strip()


async def endpoints(organization_id: int) -> list[WebhookEndpoint]:
    return await WebhookEndpoint.filter(organization_id=organization_id).order_by("-id")


async def endpoint(organization_id: int, endpoint_id: int) -> WebhookEndpoint:
    # Another organisation's endpoint is reported exactly like a missing one (R12).
    found = await WebhookEndpoint.get_or_none(id=endpoint_id, organization_id=organization_id)
    if found is None:
        raise NotFound("No webhook endpoint with this id.", field="id")
    return found


async def create_endpoint(
    organization_id: int,
    url: str,
    description: str,
    events: Sequence[EventType],
    *,
    enabled: bool,
    now: datetime | None = None,
) -> tuple[str, WebhookEndpoint]:
    """Register an endpoint; its secret (shown this once) and the endpoint."""
    now = now or delivery.utcnow()
    kept = await _checked_url(url)
    wanted = _events(events)
    text = _description(description)
    if await WebhookEndpoint.filter(organization_id=organization_id).count() >= MAX_ENDPOINTS:
        raise InvalidInput(f"An organisation has at most {MAX_ENDPOINTS} webhook endpoints.")
    secret = signing.new_secret()
    created = await WebhookEndpoint.create(
        organization_id=organization_id,
        url=kept,
        description=text,
        events=wanted,
        enabled=enabled,
        secret=secret,
        created_at=now,
    )
    return secret, created


async def update_endpoint(
    organization_id: int,
    endpoint_id: int,
    *,
    url: str | None = None,
    description: str | None = None,
    events: Sequence[EventType] | None = None,
    enabled: bool | None = None,
    now: datetime | None = None,
) -> WebhookEndpoint:
    """Change what is given; enabling again clears why the service disabled it, disabling
    fails its pending deliveries (resend them once it works)."""
    now = now or delivery.utcnow()
    changes: dict[str, object] = {}
    if url is not None:
        changes["url"] = await _checked_url(url)
    if description is not None:
        changes["description"] = _description(description)
    if events is not None:
        changes["events"] = _events(events)
    async with in_transaction() as conn:
        found = (
            await WebhookEndpoint.filter(id=endpoint_id, organization_id=organization_id)
            .select_for_update()
            .using_db(conn)
            .get_or_none()
        )
        if found is None:
            raise NotFound("No webhook endpoint with this id.", field="id")
        if enabled is False and found.enabled:
            await delivery.disable(conn, found, now, None)
        elif enabled and not found.enabled:
            changes |= {"enabled": True, "disabled_at": None, "disabled_reason": None}
            changes["failing_since"] = None
        if changes:
            await WebhookEndpoint.filter(id=found.id).using_db(conn).update(**changes)
    return await WebhookEndpoint.get(id=endpoint_id)


async def rotate_secret(
    organization_id: int, endpoint_id: int, overlap_hours: int, now: datetime | None = None
) -> tuple[str, WebhookEndpoint]:
    """A new secret (shown this once); the current one keeps signing beside it for
    `overlap_hours`, so receivers can switch without losing a message."""
    if not 0 <= overlap_hours <= MAX_OVERLAP_HOURS:
        raise InvalidInput(f"The overlap is 0 to {MAX_OVERLAP_HOURS} hours.", field="overlapHours")
    now = now or delivery.utcnow()
    secret = signing.new_secret()
    async with in_transaction() as conn:
        found = (
            await WebhookEndpoint.filter(id=endpoint_id, organization_id=organization_id)
            .select_for_update()
            .using_db(conn)
            .get_or_none()
        )
        if found is None:
            raise NotFound("No webhook endpoint with this id.", field="id")
        found.previous_secret = found.secret if overlap_hours else None
        found.previous_secret_until = (
            now + timedelta(hours=overlap_hours) if overlap_hours else None
        )
        found.secret = secret
        await found.save(
            using_db=conn, update_fields=["secret", "previous_secret", "previous_secret_until"]
        )
    return secret, found


async def delete_endpoint(organization_id: int, endpoint_id: int) -> None:
    """Remove the endpoint, its deliveries and its log."""
    found = await endpoint(organization_id, endpoint_id)
    await found.delete()


@dataclass(frozen=True)
class LogEntry:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


async def delivery_log(endpoint_id: int, first: int) -> list[LogEntry]:
    """The endpoint's newest `first` deliveries, each with its attempts, newest first."""
    if not 1 <= first <= MAX_LOG:
        raise InvalidInput(f"`first` is 1 to {MAX_LOG}.", field="first")
    deliveries = (
        await WebhookDelivery.filter(endpoint_id=endpoint_id)
        .order_by("-id")
        .limit(first)
        .prefetch_related("event")
    )
    return await _with_attempts(deliveries)


async def _with_attempts(deliveries: list[WebhookDelivery]) -> list[LogEntry]:
    """The log entries of `deliveries`: their attempts read in one query."""
    attempts: dict[int, list[WebhookAttempt]] = {d.id: [] for d in deliveries}
    if deliveries:
        for row in await WebhookAttempt.filter(delivery_id__in=list(attempts)).order_by("-id"):
            attempts[row.delivery_id].append(row)
    return [LogEntry(d, attempts[d.id]) for d in deliveries]


async def resend(organization_id: int, delivery_id: int, now: datetime | None = None) -> LogEntry:
    """Send a delivery again, at once and with the same `webhook-id`, whatever became of it;
    its endpoint must be enabled."""
    now = now or delivery.utcnow()
    found = await WebhookDelivery.get_or_none(
        id=delivery_id, endpoint__organization_id=organization_id
    ).prefetch_related("endpoint", "event")
    if found is None:
        raise NotFound("No webhook delivery with this id.", field="id")
    if not found.endpoint.enabled:
        raise InvalidInput("Enable the endpoint before resending to it.", field="id")
    await WebhookDelivery.filter(id=found.id).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, created_at=now
    )
    await found.refresh_from_db()
    (entry,) = await _with_attempts([found])
    return entry


# How long delivered and failed events are kept, with their deliveries and attempts: the log
# shows what happened this long back. An event with a delivery still pending is kept.
KEEP_EVENTS_FOR = timedelta(days=30)
# Events forgotten per statement, so that no purge holds its locks for long.
PURGE_BATCH = 1000


async def forget_old_events(now: datetime) -> int:
    """Delete the events older than KEEP_EVENTS_FOR whose deliveries are all settled
    (delivered or given up), with those deliveries and their attempts; returns how many."""
    forgotten = 0
    while True:
        pending = WebhookDelivery.filter(status=DeliveryStatus.PENDING).values("event_id")
        batch = (
            await WebhookEvent.filter(created_at__lt=now - KEEP_EVENTS_FOR)
            .exclude(id__in=Subquery(pending))
            .order_by("id")
            .limit(PURGE_BATCH)
            .values_list("id", flat=True)
        )
        if not batch:
            return forgotten
        async with in_transaction():
            deliveries = WebhookDelivery.filter(event_id__in=batch).values("id")
            await WebhookAttempt.filter(delivery_id__in=Subquery(deliveries)).delete()
            await WebhookDelivery.filter(event_id__in=batch).delete()
            await WebhookEvent.filter(id__in=batch).delete()
        forgotten += len(batch)
