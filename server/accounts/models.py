"""Organisations (tenants), the people registered in them (resources) and their sessions."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ResourceKind(StrEnum):
    EMPLOYEE = "EMPLOYEE"
    EXTERNAL_CONSULTANT = "EXTERNAL_CONSULTANT"


class Role(StrEnum):
    ADMIN = "ADMIN"
    RESOURCE_MANAGER = "RESOURCE_MANAGER"
    MEMBER = "MEMBER"


class Organization(Model):
    """A customer. `used` caches the live count of licences in use (R1): it is only ever
    changed in the transaction that changes a resource, with this row locked."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    time_zone = fields.CharField(max_length=64, default="UTC")
    license_count = fields.IntField(default=0)
    used = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organization"


class Resource(Model):
    """A person registered in an organisation."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="resources", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254)
    kind = fields.CharEnumField(ResourceKind, max_length=24, default=ResourceKind.EMPLOYEE)
    role = fields.CharEnumField(Role, max_length=24, default=Role.MEMBER)
    active = fields.BooleanField(default=True)
    login_access = fields.BooleanField(default=False)
    start_date = fields.DateField()
    # For an active person, a future last work day is a scheduled termination (R7).
    last_work_day = fields.DateField(null=True)
    termination_scheduled_by = fields.ForeignKeyField(
        "models.Resource", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    password_hash = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    organization_id: int
    termination_scheduled_by_id: int | None

    class Meta:
        table = "resource"
        unique_together = (("organization", "email"),)
        indexes = (("organization", "active", "name", "id"),)


class Session(Model):
    """A signed-in browser. Only the SHA-256 of the cookie's token is stored."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    resource: fields.ForeignKeyRelation[Resource] = fields.ForeignKeyField(
        "models.Resource", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    resource_id: int

    class Meta:
        table = "session"
