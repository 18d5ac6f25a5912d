"""The plan, subscriptions and invoices (R9, R10): administrators only (R11)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from server import sql
from server.api import ids
from server.api.arguments import After, First
from server.api.context import Info
from server.api.enums import BillingPeriod, InvoiceLineKind, SubscriptionKind, SubscriptionStatus
from server.api.permissions import READ_BILLING
from server.api.types import LicenseChange, PageInfo, Resource, people_by_id
from server.billing import services
from server.billing.models import InvoiceLine as LineRow
from server.licensing.models import LicenseChange as ChangeRow


@strawberry.type(description="The organisation's plan.")
class Plan:
    name: str = strawberry.field(description="The plan's name.")
    price_per_license: int = strawberry.field(
        description="Price of one license for one billing period, in minor units (cents)."
    )
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    billing_period: BillingPeriod = strawberry.field(description="How often invoices come.")


@strawberry.type(
    description="A subscription to the plan or an add-on (not a GraphQL subscription)."
)
class BillingSubscription:
    id: strawberry.ID = strawberry.field(description="The subscription's id: opaque and stable.")
    name: str = strawberry.field(description="What is subscribed to.")
    kind: SubscriptionKind = strawberry.field(description="Plan or add-on.")
    status: SubscriptionStatus = strawberry.field(description="Whether it runs.")
    starts_on: date = strawberry.field(description="The first day it runs.")
    ends_on: date | None = strawberry.field(description="The last day it runs, if it ends.")
    unit_price: int = strawberry.field(
        description="Price per unit and period, in minor units (per license for the plan)."
    )
    quantity: int = strawberry.field(description="Units subscribed (1 for the plan).")


@strawberry.type(description="One line of an invoice.")
class InvoiceLine:
    kind: InvoiceLineKind = strawberry.field(description="Base, add-on or adjustment.")
    description: str = strawberry.field(description="What the line is for, ready to show.")
    quantity: int = strawberry.field(
        description="Licenses (base), units (add-on) or the change of the count (adjustment)."
    )
    amount: int = strawberry.field(description="Minor units; negative for a credit.")
    change: LicenseChange | None = strawberry.field(
        description="The history row an adjustment comes from: when, who, why."
    )
    resource: Resource | None = strawberry.field(
        description="The person who caused an adjustment, if any."
    )


async def _invoice_lines(
    invoices: list[list[services.LineDraft]] | list[list[LineRow]],
) -> list[list[InvoiceLine]]:
    """The lines of some invoices, with the history rows and people they name read in one
    statement each for all of them: a draft can have ten thousand adjustment lines, and a
    resolver per line and field would cost more than everything else together."""
    drafts = [line for lines in invoices for line in lines]
    # A draft carries the history rows it read; an issued invoice's lines name them by id.
    known = {
        line.change_id: line.change
        for line in drafts
        if isinstance(line, services.LineDraft) and line.change is not None
    }
    wanted = {line.change_id for line in drafts if line.change_id is not None}
    rows = {**known, **await sql.by_id(ChangeRow, wanted - known.keys())}
    people = await people_by_id(
        {line.resource_id for line in drafts if line.resource_id is not None}
        | {row.resource_id for row in rows.values() if row.resource_id is not None}
        | {row.actor_id for row in rows.values() if row.actor_id is not None}
    )
    changes = {change_id: LicenseChange.of(row, people) for change_id, row in rows.items()}
    return [
        [
            InvoiceLine(
                kind=line.kind,
                description=line.description,
                quantity=line.quantity,
                amount=line.amount,
                change=changes.get(line.change_id) if line.change_id is not None else None,
                resource=people.get(line.resource_id) if line.resource_id is not None else None,
            )
            for line in lines
        ]
        for lines in invoices
    ]


@strawberry.type(
    description="The coming invoice as it stands now: base lines for its period "
    "and one adjustment line per license change since the previous invoice."
)
class NextInvoice:
    period_start: date = strawberry.field(description="First day of the invoiced period.")
    period_end: date = strawberry.field(description="Last day of the invoiced period.")
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    lines: list[InvoiceLine] = strawberry.field(description="Base lines, then adjustments.")
    total: int = strawberry.field(description="Sum of the lines, in minor units.")


@strawberry.type(description="An issued invoice. It never changes.")
class Invoice:
    id: strawberry.ID = strawberry.field(description="The invoice's id: opaque and stable.")
    number: str = strawberry.field(description="The invoice number.")
    issued_at: datetime = strawberry.field(description="When it was issued.")
    period_start: date = strawberry.field(description="First day of the invoiced period.")
    period_end: date = strawberry.field(description="Last day of the invoiced period.")
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    lines: list[InvoiceLine] = strawberry.field(description="Base lines, then adjustments.")
    total: int = strawberry.field(description="Sum of the lines, in minor units.")


@strawberry.type(description="An issued invoice in a list.")
class InvoiceEdge:
    node: Invoice = strawberry.field(description="The invoice.")
    cursor: str = strawberry.field(description="Pass as `after` to continue after it.")


@strawberry.type(description="Issued invoices, newest first.")
class InvoiceConnection:
    edges: list[InvoiceEdge] = strawberry.field(description="The invoices on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page ends.")


@strawberry.type
class BillingQuery:
    @strawberry.field(description="The organisation's plan (R10).", permission_classes=READ_BILLING)
    async def plan(self, info: Info) -> Plan:
        plan = await services.current_plan(info.context.organization_id)
        return Plan(
            name=plan.name,
            price_per_license=plan.price_per_license,
            currency=plan.currency,
            billing_period=plan.billing_period,
        )

    @strawberry.field(
        description="The active subscriptions: the plan and add-ons (R10).",
        permission_classes=READ_BILLING,
    )
    async def subscriptions(self, info: Info) -> list[BillingSubscription]:
        return [
            BillingSubscription(
                id=ids.encode(ids.SUBSCRIPTION, s.id),
                name=s.name,
                kind=s.kind,
                status=s.status,
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                unit_price=s.unit_price,
                quantity=s.quantity,
            )
            for s in await services.active_subscriptions(info.context.organization_id)
        ]

    @strawberry.field(
        description="A preview of the next invoice (R9).", permission_classes=READ_BILLING
    )
    async def next_invoice(self, info: Info) -> NextInvoice:
        # The organisation came with the viewer, in the request's first query.
        draft = await services.draft_next_invoice(info.context.viewer.organization)
        (lines,) = await _invoice_lines([draft.lines])
        return NextInvoice(
            period_start=draft.period_start,
            period_end=draft.period_end,
            currency=draft.currency,
            lines=lines,
            total=draft.total,
        )

    @strawberry.field(
        description="Issued invoices, newest first (R9).", permission_classes=READ_BILLING
    )
    async def invoices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
    ) -> InvoiceConnection:
        page = await services.invoices_page(info.context.organization_id, first=first, after=after)
        lines = await _invoice_lines(
            [sorted(inv.lines, key=lambda line: line.position) for inv in page.invoices]
        )
        edges = [
            InvoiceEdge(
                node=Invoice(
                    id=ids.encode(ids.INVOICE, inv.id),
                    number=inv.number,
                    issued_at=inv.issued_at,
                    period_start=inv.period_start,
                    period_end=inv.period_end,
                    currency=inv.currency,
                    lines=invoice_lines,
                    total=inv.total,
                ),
                cursor=page.cursor_of(inv),
            )
            for inv, invoice_lines in zip(page.invoices, lines, strict=True)
        ]
        return InvoiceConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
