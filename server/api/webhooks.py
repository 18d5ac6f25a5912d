"""Webhook endpoints and their delivery log (issue 15): for signed-in administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from server.api import ids
from server.api.context import Info
from server.api.enums import WebhookDeliveryStatus, WebhookEventType
from server.api.permissions import MANAGE_WEBHOOKS
from server.webhooks import delivery as webhook_delivery
from server.webhooks import models
from server.webhooks import services as webhooks

EndpointId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The endpoint's id (`WebhookEndpoint.id`). An id of anything else, or of "
        "no endpoint of the organisation, is NOT_FOUND."
    ),
]


@strawberry.type(description="A URL told of the organisation's changes; never its secret.")
class WebhookEndpoint:
    id: strawberry.ID = strawberry.field(description="The endpoint's id: opaque and stable.")
    url: str = strawberry.field(description="Where events are posted (https).")
    description: str = strawberry.field(description="What the endpoint is for.")
    events: list[WebhookEventType] = strawberry.field(description="The events it is told of.")
    enabled: bool = strawberry.field(description="Whether events are sent to it.")
    created_at: datetime = strawberry.field(description="When it was registered.")
    failing_since: datetime | None = strawberry.field(
        description="Since when every attempt failed; null while it works. After three days "
        "of failures the endpoint is disabled."
    )
    disabled_at: datetime | None = strawberry.field(
        description="When the service disabled it for failing; null otherwise."
    )
    disabled_reason: str | None = strawberry.field(
        description="Why the service disabled it, ready to show; null when an administrator "
        "did, or while enabled."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation: until when the previous secret still signs beside the "
        "new one; null when only one secret signs."
    )

    @classmethod
    def of(cls, endpoint: models.WebhookEndpoint) -> WebhookEndpoint:
        now = webhook_delivery.utcnow()
        overlap = endpoint.previous_secret_until
        return cls(
            id=ids.encode(ids.WEBHOOK_ENDPOINT, endpoint.id),
            url=endpoint.url,
            description=endpoint.description,
            events=sorted(endpoint.event_set),
            enabled=endpoint.enabled,
            created_at=endpoint.created_at,
            failing_since=endpoint.failing_since,
            disabled_at=endpoint.disabled_at,
            disabled_reason=endpoint.disabled_reason,
            previous_secret_expires_at=overlap if overlap and overlap > now else None,
        )


@strawberry.type(description="One POST of a delivery to its endpoint.")
class WebhookAttempt:
    attempted_at: datetime = strawberry.field(description="When it was sent.")
    status_code: int | None = strawberry.field(
        description="The HTTP status answered; null when there was no answer."
    )
    duration_ms: int = strawberry.field(description="How long it took, in milliseconds.")
    response_excerpt: str = strawberry.field(
        description="The start of the answer's body (at most 1000 characters)."
    )
    error: str | None = strawberry.field(
        description="Why it failed (no answer, a refused address, a status other than 2xx); "
        "null when it succeeded."
    )


@strawberry.type(description="One event sent to one endpoint, with its attempts.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(
        description="The delivery's id, the one `resendWebhookDelivery` takes."
    )
    webhook_id: str = strawberry.field(
        description="The `webhook-id` header: the same on every attempt and resend."
    )
    event_type: WebhookEventType = strawberry.field(description="What the event tells of.")
    payload: str = strawberry.field(description="The JSON body, exactly as signed and sent.")
    occurred_at: datetime = strawberry.field(description="When the change happened.")
    status: WebhookDeliveryStatus = strawberry.field(description="Where it stands.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is due next, while PENDING; null otherwise."
    )
    delivered_at: datetime | None = strawberry.field(description="When it was delivered.")
    attempts: list[WebhookAttempt] = strawberry.field(description="Its attempts, newest first.")

    @classmethod
    def of(cls, entry: webhooks.LogEntry) -> WebhookDelivery:
        found, event = entry.delivery, entry.delivery.event
        pending = found.status is models.DeliveryStatus.PENDING
        return cls(
            id=ids.encode(ids.WEBHOOK_DELIVERY, found.id),
            webhook_id=event.message_id,
            event_type=models.EventType(event.type),
            payload=event.payload,
            occurred_at=event.created_at,
            status=found.status,
            next_attempt_at=found.next_attempt_at if pending else None,
            delivered_at=found.delivered_at,
            attempts=[
                WebhookAttempt(
                    attempted_at=a.attempted_at,
                    status_code=a.status_code,
                    duration_ms=a.duration_ms,
                    response_excerpt=a.response_excerpt,
                    error=a.error,
                )
                for a in entry.attempts
            ],
        )


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(
        description="Where to post: https, at a public address (not loopback, private, "
        "link-local or a metadata service)."
    )
    events: list[WebhookEventType] = strawberry.field(description="What to tell it (one or more).")
    description: str = strawberry.field(default="", description="What it is for.")
    enabled: bool = strawberry.field(default=True, description="Whether to send it events.")


@strawberry.input(description="What to change about an endpoint; a field left out stays.")
class UpdateWebhookEndpointInput:
    url: str | None = strawberry.field(default=None, description="A new URL (same rules).")
    events: list[WebhookEventType] | None = strawberry.field(
        default=None, description="The events to tell it (one or more)."
    )
    description: str | None = strawberry.field(default=None, description="What it is for.")
    enabled: bool | None = strawberry.field(
        default=None,
        description="Disable (its pending deliveries fail, and can be resent) or enable again "
        "(which clears why the service disabled it).",
    )


@strawberry.type(description="The endpoint is registered. Its secret is shown here once.")
class CreateWebhookEndpointSuccess:
    secret: str = strawberry.field(
        description="The signing secret (`whsec_…`), for verifying payloads. Store it now."
    )
    endpoint: WebhookEndpoint = strawberry.field(description="The endpoint.")


@strawberry.type(description="The endpoint is changed.")
class UpdateWebhookEndpointSuccess:
    endpoint: WebhookEndpoint = strawberry.field(description="The endpoint after the change.")


@strawberry.type(description="A new secret signs from now on; it is shown here once.")
class RotateWebhookSecretSuccess:
    secret: str = strawberry.field(description="The new signing secret. Store it now.")
    endpoint: WebhookEndpoint = strawberry.field(
        description="The endpoint; `previousSecretExpiresAt` says until when the old secret "
        "still signs too."
    )


@strawberry.type(description="The endpoint, its deliveries and their log are removed.")
class DeleteWebhookEndpointSuccess:
    id: strawberry.ID = strawberry.field(description="The removed endpoint's id.")


@strawberry.type(description="The delivery is due at once again, with the same webhook-id.")
class ResendWebhookDeliverySuccess:
    delivery: WebhookDelivery = strawberry.field(description="The delivery, PENDING.")


CreateWebhookEndpointResult = Annotated[
    CreateWebhookEndpointSuccess,
    strawberry.union(
        "CreateWebhookEndpointResult", description="The outcome of createWebhookEndpoint."
    ),
]
UpdateWebhookEndpointResult = Annotated[
    UpdateWebhookEndpointSuccess,
    strawberry.union(
        "UpdateWebhookEndpointResult", description="The outcome of updateWebhookEndpoint."
    ),
]
RotateWebhookSecretResult = Annotated[
    RotateWebhookSecretSuccess,
    strawberry.union(
        "RotateWebhookSecretResult", description="The outcome of rotateWebhookSecret."
    ),
]
DeleteWebhookEndpointResult = Annotated[
    DeleteWebhookEndpointSuccess,
    strawberry.union(
        "DeleteWebhookEndpointResult", description="The outcome of deleteWebhookEndpoint."
    ),
]
ResendWebhookDeliveryResult = Annotated[
    ResendWebhookDeliverySuccess,
    strawberry.union(
        "ResendWebhookDeliveryResult", description="The outcome of resendWebhookDelivery."
    ),
]


def _endpoint_id(id: strawberry.ID) -> int:
    return ids.decode(id, ids.WEBHOOK_ENDPOINT, "id")


@strawberry.type
class WebhooksQuery:
    @strawberry.field(
        description="The organisation's webhook endpoints, newest first.",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        found = await webhooks.endpoints(info.context.organization_id)
        return [WebhookEndpoint.of(e) for e in found]

    @strawberry.field(
        description="An endpoint's newest deliveries, each with its attempts.",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def webhook_deliveries(
        self,
        info: Info,
        endpoint_id: EndpointId,
        first: Annotated[int, strawberry.argument(description="How many: 1 to 100.")] = 20,
    ) -> list[WebhookDelivery]:
        endpoint = await webhooks.endpoint(info.context.organization_id, _endpoint_id(endpoint_id))
        return [WebhookDelivery.of(e) for e in await webhooks.delivery_log(endpoint.id, first)]


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(
        description="Register a webhook endpoint; the answer holds its secret, once.",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def create_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            CreateWebhookEndpointInput, strawberry.argument(description="The endpoint.")
        ],
    ) -> CreateWebhookEndpointResult:
        secret, endpoint = await webhooks.create_endpoint(
            info.context.organization_id,
            input.url,
            input.description,
            input.events,
            enabled=input.enabled,
        )
        return CreateWebhookEndpointSuccess(secret=secret, endpoint=WebhookEndpoint.of(endpoint))

    @strawberry.mutation(
        description="Change an endpoint's URL, description, events, or whether it is enabled.",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def update_webhook_endpoint(
        self,
        info: Info,
        id: EndpointId,
        input: Annotated[
            UpdateWebhookEndpointInput, strawberry.argument(description="What to change.")
        ],
    ) -> UpdateWebhookEndpointResult:
        endpoint = await webhooks.update_endpoint(
            info.context.organization_id,
            _endpoint_id(id),
            url=input.url,
            description=input.description,
            events=input.events,
            enabled=input.enabled,
        )
        return UpdateWebhookEndpointSuccess(endpoint=WebhookEndpoint.of(endpoint))

    @strawberry.mutation(
        description="Give an endpoint a new secret; the old one keeps signing beside it for "
        "the overlap, so receivers can switch without missing a message.",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def rotate_webhook_secret(
        self,
        info: Info,
        id: EndpointId,
        overlap_hours: Annotated[
            int, strawberry.argument(description="Hours both secrets sign: 0 to 168.")
        ] = 24,
    ) -> RotateWebhookSecretResult:
        secret, endpoint = await webhooks.rotate_secret(
            info.context.organization_id, _endpoint_id(id), overlap_hours
        )
        return RotateWebhookSecretSuccess(secret=secret, endpoint=WebhookEndpoint.of(endpoint))

    @strawberry.mutation(
        description="Remove an endpoint, with its deliveries and their log.",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def delete_webhook_endpoint(
        self, info: Info, id: EndpointId
    ) -> DeleteWebhookEndpointResult:
        await webhooks.delete_endpoint(info.context.organization_id, _endpoint_id(id))
        return DeleteWebhookEndpointSuccess(id=id)

    @strawberry.mutation(
        description="Send a delivery again now, with the same webhook-id (its endpoint must be "
        "enabled).",
        permission_classes=MANAGE_WEBHOOKS,
    )
    async def resend_webhook_delivery(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The delivery's id (`WebhookDelivery.id`)."),
        ],
    ) -> ResendWebhookDeliveryResult:
        entry = await webhooks.resend(
            info.context.organization_id, ids.decode(id, ids.WEBHOOK_DELIVERY, "id")
        )
        return ResendWebhookDeliverySuccess(delivery=WebhookDelivery.of(entry))
