"""The license history: one row per change of an organisation's license count (R8)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ChangeReason(StrEnum):
    INITIAL = "INITIAL"
    MANUAL = "MANUAL"
    AUTO_INCREASE = "AUTO_INCREASE"
    TERMINATION = "TERMINATION"


class RequestStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"


class LicenseRequest(Model):
    """R16: an increase the license policy stopped, for an administrator to approve or
    decline. For whom: the person (`resource`) when they are registered, and always their
    address (unique in the organisation) and name, so that a person an identity provider or a
    resource manager wanted to add can be asked for too. At most one request per person is
    pending: written only with the organisation row locked, after looking for one."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="license_requests", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(RequestStatus, max_length=16, default=RequestStatus.PENDING)
    created_at = fields.DatetimeField()
    resource = fields.ForeignKeyField(
        "models.Resource", related_name="license_requests", null=True, on_delete=fields.RESTRICT
    )
    email = fields.CharField(max_length=254)
    name = fields.CharField(max_length=200)
    external_id = fields.CharField(max_length=255, null=True)
    requested_by = fields.ForeignKeyField(
        "models.Resource", related_name="requests_made", null=True, on_delete=fields.RESTRICT
    )
    requested_by_token = fields.ForeignKeyField(
        "models.ApiToken", related_name="requests_made", null=True, on_delete=fields.RESTRICT
    )
    requested_by_name = fields.CharField(max_length=200)
    decided_at = fields.DatetimeField(null=True)
    decided_by = fields.ForeignKeyField(
        "models.Resource", related_name="requests_decided", null=True, on_delete=fields.RESTRICT
    )
    decided_by_name = fields.CharField(max_length=200, null=True)
    # The identity provider's retry took over the person the approval registered.
    fulfilled_at = fields.DatetimeField(null=True)

    organization_id: int
    resource_id: int | None
    requested_by_id: int | None
    requested_by_token_id: int | None
    decided_by_id: int | None

    class Meta:
        table = "license_request"
        indexes = (("organization", "status", "id"), ("organization", "email"))


class LicenseChange(Model):
    """Never updated nor deleted once written: `from_count` of each row equals `to_count`
    of the row before it in the same organisation."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="license_changes", on_delete=fields.RESTRICT
    )
    occurred_at = fields.DatetimeField(auto_now_add=True)
    from_count = fields.IntField()
    to_count = fields.IntField()
    reason = fields.CharEnumField(ChangeReason, max_length=24)
    actor = fields.ForeignKeyField(
        "models.Resource", related_name="changes_made", null=True, on_delete=fields.RESTRICT
    )
    actor_token = fields.ForeignKeyField(
        "models.ApiToken", related_name="changes_made", null=True, on_delete=fields.RESTRICT
    )
    actor_name = fields.CharField(max_length=200)
    resource = fields.ForeignKeyField(
        "models.Resource", related_name="changes_concerning", null=True, on_delete=fields.RESTRICT
    )
    effective_on = fields.DateField()

    organization_id: int
    actor_id: int | None
    actor_token_id: int | None
    resource_id: int | None

    class Meta:
        table = "license_change"
        indexes = (("organization", "id"), ("organization", "occurred_at"))


class SeatUsage(Model):
    """The licence count and the licences in use after every change of either: the series the
    history chart draws. Written in the transaction of the change; never edited."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="seat_usage", on_delete=fields.RESTRICT
    )
    occurred_at = fields.DatetimeField()
    license_count = fields.IntField()
    used = fields.IntField()

    organization_id: int

    class Meta:
        table = "seat_usage"
        indexes = (("organization", "occurred_at"),)
