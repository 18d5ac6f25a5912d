"""Webhook endpoints, the outbox of events, their deliveries and the attempts made."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class EventType(StrEnum):
    """What an endpoint can be told. Requests for licenses join once they exist."""

    LICENSE_COUNT_CHANGED = "license.count_changed"
    RESOURCE_ACCESS_CHANGED = "resource.access_changed"
    RESOURCE_TERMINATED = "resource.terminated"
    TERMINATION_SCHEDULED = "termination.scheduled"
    TERMINATION_CANCELLED = "termination.cancelled"
    INVOICE_ISSUED = "invoice.issued"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # due at `next_attempt_at` (again, after a failure)
    DELIVERED = "DELIVERED"  # the endpoint answered 2xx
    FAILED = "FAILED"  # retried for the whole retry window, or its endpoint was disabled


class WebhookEndpoint(Model):
    """A URL an administrator registered, with the events it is told of. Its secret signs
    every payload; after a rotation the previous secret signs too until
    `previous_secret_until`. Secrets are symmetric, so they are kept readable: they are never
    returned after they are made, and never logged."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="webhook_endpoints", on_delete=fields.RESTRICT
    )
    url = fields.CharField(max_length=2000)
    description = fields.CharField(max_length=200, default="")
    events = fields.CharField(max_length=500, description="Space-separated event types")
    enabled = fields.BooleanField(default=True)
    secret = fields.CharField(max_length=100)
    previous_secret = fields.CharField(max_length=100, null=True)
    previous_secret_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    # Since when every attempt failed (none succeeded since); null while it works.
    failing_since = fields.DatetimeField(null=True)
    # Set when the service disabled it (failing for too long), for the page to say so.
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=300, null=True)

    organization_id: int

    class Meta:
        table = "webhook_endpoint"
        # Every change of licenses reads its organisation's endpoints (the outbox).
        indexes = (("organization",),)

    @property
    def event_set(self) -> frozenset[EventType]:
        return frozenset(EventType(e) for e in self.events.split())


class WebhookEvent(Model):
    """The outbox: one row per event, written in the transaction of the change it tells of.
    `message_id` is the `webhook-id` of every delivery and retry of it."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="webhook_events", on_delete=fields.RESTRICT
    )
    message_id = fields.CharField(max_length=40, unique=True)
    type = fields.CharField(max_length=64)
    payload = fields.TextField(description="The JSON body, exactly as signed and sent")
    created_at = fields.DatetimeField()

    organization_id: int

    class Meta:
        table = "webhook_event"
        indexes = (("created_at",),)


class WebhookDelivery(Model):
    """One event to one endpoint: due at `next_attempt_at` while PENDING. A process that
    claims it moves `next_attempt_at` past the attempt's end (its lease), so a process that
    dies mid-delivery leaves it due again soon, for another to send (at least once)."""

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField(
        "models.WebhookEvent", related_name="deliveries", on_delete=fields.CASCADE
    )
    endpoint = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)

    event_id: int
    endpoint_id: int

    class Meta:
        table = "webhook_delivery"
        # Due deliveries (the job), an endpoint's log newest first, and old events (the purge).
        indexes = (("status", "next_attempt_at"), ("endpoint", "id"), ("event",))


class WebhookAttempt(Model):
    """One POST of a delivery, as the log shows it."""

    id = fields.IntField(primary_key=True)
    delivery = fields.ForeignKeyField(
        "models.WebhookDelivery", related_name="attempt_log", on_delete=fields.CASCADE
    )
    attempted_at = fields.DatetimeField()
    status_code = fields.IntField(null=True)
    duration_ms = fields.IntField()
    response_excerpt = fields.TextField(default="")
    error = fields.CharField(max_length=300, null=True)

    delivery_id: int

    class Meta:
        table = "webhook_attempt"
        indexes = (("delivery",),)
