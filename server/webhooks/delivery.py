"""The delivery job: every server process runs it (`run_periodically`), claiming due
deliveries and posting them.

Claiming is one short transaction: the due rows are selected `FOR UPDATE SKIP LOCKED`
(PostgreSQL: processes claiming at once each get other rows; SQLite: its single connection
serialises them) and their `next_attempt_at` is moved past the end of the attempt (the lease).
The POST happens outside any transaction; its outcome is written afterwards. A process that
dies in between leaves the delivery due again once the lease runs out, and another process
sends it: each event arrives at least once, every time with the same `webhook-id`, so
receivers drop duplicates by it.

A failed attempt (no answer in time, an error, a status other than 2xx; redirects are not
followed) is retried after a wait that doubles from SEATS_WEBHOOK_RETRY_SECONDS, at most 6
hours, with jitter, for three days after the event; then the delivery has FAILED. An endpoint
none of whose attempts succeeded for three days is disabled, its pending deliveries FAILED,
and the page says why.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from server.db import database_unavailable
from server.errors import InvalidInput
from server.settings import Settings, get_settings
from server.webhooks import address, signing
from server.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

log = logging.getLogger("seats.webhooks")
RETRY_WINDOW = timedelta(days=3)
DISABLE_AFTER = timedelta(days=3)
MAX_WAIT_SECONDS = 6 * 3600
# Of a response, at most this many bytes are read, and this many characters kept.
RESPONSE_LIMIT = 4096
EXCERPT_CHARS = 1000
# Deliveries one process claims at a time, and posts at once.
BATCH = 20
USER_AGENT = "Seats-Webhooks/1"


def utcnow() -> datetime:
    return datetime.now(UTC)


def retry_wait(attempts: int, base: float) -> float:
    """Seconds before the next attempt after `attempts` failed ones: doubling from `base`,
    at most 6 hours, each drawn between half and all of that (jitter)."""
    wait = min(base * 2 ** min(attempts - 1, 30), MAX_WAIT_SECONDS)
    return wait * (0.5 + random.random() / 2)


def lease(settings: Settings) -> timedelta:
    """How long a claimed delivery is left alone: the attempt's longest length, and room to
    write its outcome."""
    return timedelta(seconds=2 * settings.webhook_timeout_seconds + 5)


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during a rotation's
    overlap."""
    keys = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and (endpoint.previous_secret_until > now)
    ):
        keys.append(endpoint.previous_secret)
    return keys


async def claim(now: datetime, settings: Settings, limit: int = BATCH) -> list[int]:
    """Take up to `limit` due deliveries for this process; their ids."""
    async with in_transaction() as conn:
        ids = await (
            WebhookDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
            .using_db(conn)
            .values_list("id", flat=True)
        )
        if ids:
            await (
                WebhookDelivery.filter(id__in=ids)
                .using_db(conn)
                .update(next_attempt_at=now + lease(settings))
            )
    return list(ids)


@dataclass
class Response:
    status_code: int | None = None
    excerpt: str = ""
    error: str | None = None


async def _read_limited(response: httpx.Response) -> bytes:
    """At most RESPONSE_LIMIT bytes of the body, however long it is."""
    kept = bytearray()
    async for chunk in response.aiter_raw():
        kept += chunk[: RESPONSE_LIMIT - len(kept)]
        if len(kept) >= RESPONSE_LIMIT:
            break
    return bytes(kept)


async def post(
    client: httpx.AsyncClient,
    endpoint: WebhookEndpoint,
    message_id: str,
    payload: str,
    settings: Settings,
) -> Response:
    """One POST of `payload` to the endpoint: its address checked again, and connected to
    as checked (the URL names the address, the Host header and TLS's SNI and certificate
    check the host name)."""
    try:
        target = await address.resolve(endpoint.url, allow_private=settings.webhooks_allow_private)
    except InvalidInput as refused:
        return Response(error=refused.message[:300])
    headers = signing.headers(signing_secrets(endpoint, utcnow()), message_id, utcnow(), payload)
    headers |= {"host": target.host_header, "user-agent": USER_AGENT, "accept-encoding": "identity"}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        async with asyncio.timeout(settings.webhook_timeout_seconds):
            request = client.build_request(
                "POST",
                target.connect_url,
                content=payload.encode(),
                headers=headers,
                extensions=extensions,
            )
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                excerpt = await _read_limited(response)
            finally:
                await response.aclose()
    except TimeoutError:
        return Response(error=f"No answer within {settings.webhook_timeout_seconds:g} s.")
    except (httpx.HTTPError, OSError) as failed:
        return Response(error=(f"{type(failed).__name__}: {failed}")[:300])
    return Response(response.status_code, excerpt.decode("utf-8", errors="replace")[:EXCERPT_CHARS])


async def attempt(
    client: httpx.AsyncClient, delivery: WebhookDelivery, settings: Settings
) -> DeliveryStatus | None:
    """Send one claimed delivery (read with its event and endpoint) and write the outcome;
    its status after, or None if it was no longer pending (resent, or its endpoint disabled or
    removed, meanwhile)."""
    if delivery.status is not DeliveryStatus.PENDING:
        return None
    endpoint, event = delivery.endpoint, delivery.event
    started_at, started = utcnow(), time.perf_counter()
    response = await post(client, endpoint, event.message_id, event.payload, settings)
    duration_ms = round((time.perf_counter() - started) * 1000)
    ok = response.status_code is not None and 200 <= response.status_code < 300
    if response.status_code is not None and not ok:
        response.error = f"The endpoint answered {response.status_code}."
    now = utcnow()
    async with in_transaction() as conn:
        # The endpoint first, then its deliveries: the order every writer of both keeps.
        current = (
            await WebhookEndpoint.filter(id=endpoint.id)
            .select_for_update()
            .using_db(conn)
            .get_or_none()
        )
        if current is None:
            return None  # removed meanwhile, with its deliveries
        await WebhookAttempt.create(
            using_db=conn,
            delivery_id=delivery.id,
            attempted_at=started_at,
            status_code=response.status_code,
            duration_ms=duration_ms,
            response_excerpt=response.excerpt,
            error=response.error,
        )
        pending = WebhookDelivery.filter(id=delivery.id, status=DeliveryStatus.PENDING)
        attempts = delivery.attempts + 1
        if ok:
            await pending.using_db(conn).update(
                status=DeliveryStatus.DELIVERED, attempts=F("attempts") + 1, delivered_at=now
            )
            if current.failing_since is not None:
                current.failing_since = None
                await current.save(using_db=conn, update_fields=["failing_since"])
            return DeliveryStatus.DELIVERED
        if now - delivery.created_at >= RETRY_WINDOW:
            status = DeliveryStatus.FAILED
            await pending.using_db(conn).update(status=status, attempts=F("attempts") + 1)
        else:
            status = DeliveryStatus.PENDING
            wait = timedelta(seconds=retry_wait(attempts, settings.webhook_retry_seconds))
            await pending.using_db(conn).update(
                attempts=F("attempts") + 1, next_attempt_at=now + wait
            )
        if current.failing_since is None:
            current.failing_since = started_at
            await current.save(using_db=conn, update_fields=["failing_since"])
        if (
            current.enabled
            and current.failing_since
            and (now - current.failing_since >= DISABLE_AFTER)
        ):
            await disable(conn, current, now, "Every delivery failed for three days.")
            status = DeliveryStatus.FAILED
        return status


async def disable(conn, endpoint: WebhookEndpoint, now: datetime, reason: str | None) -> None:
    """The endpoint is told nothing more: disabled, and its pending deliveries FAILED (they
    can be resent once it works). `reason`: why the service disabled it, for the page; None
    when an administrator did."""
    await (
        WebhookEndpoint.filter(id=endpoint.id)
        .using_db(conn)
        .update(enabled=False, disabled_at=now if reason else None, disabled_reason=reason)
    )
    await (
        WebhookDelivery.filter(endpoint_id=endpoint.id, status=DeliveryStatus.PENDING)
        .using_db(conn)
        .update(status=DeliveryStatus.FAILED)
    )
    if reason:
        log.warning("webhook endpoint %s disabled: %s", endpoint.id, reason)


def new_client() -> httpx.AsyncClient:
    """The HTTP client of the job: no redirects, no proxies from the environment, and no
    connection kept for another request (a connection was checked for one host name)."""
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


async def deliver_due(client: httpx.AsyncClient, settings: Settings | None = None) -> int:
    """Claim the due deliveries (up to BATCH) and send them at once; how many were claimed."""
    settings = settings or get_settings()
    ids = await claim(utcnow(), settings)
    if ids:
        # One statement reads every claimed delivery with its event and endpoint.
        claimed = await WebhookDelivery.filter(id__in=ids).select_related("event", "endpoint")
        await asyncio.gather(*(attempt(client, delivery, settings) for delivery in claimed))
    return len(ids)


async def run_periodically(settings: Settings | None = None) -> None:
    """The job of one server process: deliver while anything is due, else wait a moment."""
    settings = settings or get_settings()
    unavailable = False
    async with new_client() as client:
        while True:
            try:
                claimed = await deliver_due(client, settings)
                unavailable = False
                if claimed:
                    continue
            except Exception as error:
                # An outage of the database is said once, not at every poll.
                if not database_unavailable(error):
                    log.exception("the webhook delivery job failed; it runs again shortly")
                elif not unavailable:
                    unavailable = True
                    log.warning("webhook deliveries wait for the database")
            await asyncio.sleep(settings.webhook_poll_seconds)
