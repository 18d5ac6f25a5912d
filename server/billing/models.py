"""Plans, subscriptions and issued invoices (R9, R10)."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BillingPeriod(StrEnum):
    MONTHLY = "MONTHLY"


class SubscriptionKind(StrEnum):
    PLAN = "PLAN"
    ADD_ON = "ADD_ON"


class SubscriptionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"


class LineKind(StrEnum):
    BASE = "BASE"
    ADD_ON = "ADD_ON"
    ADJUSTMENT = "ADJUSTMENT"


class Plan(Model):
    """A price list entry: what one license costs per billing period."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    price_per_license = fields.IntField(description="Minor units (cents) per license and period")
    currency = fields.CharField(max_length=3)
    billing_period = fields.CharEnumField(BillingPeriod, max_length=16)

    class Meta:
        table = "plan"


class Subscription(Model):
    """What an organisation subscribes to: its plan, and add-ons with a price of their own."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="subscriptions", on_delete=fields.RESTRICT
    )
    plan = fields.ForeignKeyField(
        "models.Plan", related_name="subscriptions", null=True, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(SubscriptionKind, max_length=16)
    name = fields.CharField(max_length=100)
    status = fields.CharEnumField(SubscriptionStatus, max_length=16)
    starts_on = fields.DateField()
    ends_on = fields.DateField(null=True)
    unit_price = fields.IntField(default=0)
    quantity = fields.IntField(default=1)

    organization_id: int
    plan_id: int | None

    class Meta:
        table = "subscription"
        indexes = (("organization", "status"),)


class Invoice(Model):
    """Issued at the start of a billing period; never changed afterwards. One per organisation
    and period, which the unique constraint keeps true however many issuers run."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="invoices", on_delete=fields.RESTRICT
    )
    number = fields.CharField(max_length=32, unique=True)
    period_start = fields.DateField()
    period_end = fields.DateField()
    issued_at = fields.DatetimeField()
    currency = fields.CharField(max_length=3)
    total = fields.IntField()
    last_change_id = fields.IntField(
        description="The newest license change this invoice adjusts for"
    )

    organization_id: int

    class Meta:
        table = "invoice"
        unique_together = (("organization", "period_start"),)


class InvoiceLine(Model):
    id = fields.IntField(primary_key=True)
    invoice = fields.ForeignKeyField(
        "models.Invoice", related_name="lines", on_delete=fields.RESTRICT
    )
    position = fields.IntField()
    kind = fields.CharEnumField(LineKind, max_length=16)
    description = fields.CharField(max_length=300)
    quantity = fields.IntField()
    amount = fields.IntField()
    change = fields.ForeignKeyField(
        "models.LicenseChange", related_name="invoice_lines", null=True, on_delete=fields.RESTRICT
    )
    resource = fields.ForeignKeyField(
        "models.Resource", related_name="invoice_lines", null=True, on_delete=fields.RESTRICT
    )

    invoice_id: int
    change_id: int | None
    resource_id: int | None

    class Meta:
        table = "invoice_line"
        unique_together = (("invoice", "position"),)
