"""The plan, subscriptions and invoices (R9, R10): administrators only (R11)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import strawberry

from server.api import ids, loaders
from server.api.arguments import After, First
from server.api.context import Info
from server.api.enums import BillingPeriod, InvoiceLineKind, SubscriptionKind, SubscriptionStatus
from server.api.loaders import rows, selects
from server.api.permissions import READ_BILLING
from server.api.types import LicenseChange, PageInfo, Resource, named_person, people_named
from server.billing import services
from server.billing.models import InvoiceLine as LineRow
from server.licensing import history
from server.licensing.history import ShownChange


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
    # Both filled by `_lines_ready` from the request's loaders when the selection shows them
    # (else None, never read): plain fields, so that a list of lines is answered by the fast
    # executor's plan, without a resolver call per line and field.
    change: LicenseChange | None = strawberry.field(
        description="The history row an adjustment comes from: when, who, why."
    )
    resource: Resource | None = strawberry.field(
        description="The person who caused an adjustment, if any."
    )


async def _draft_lines(root: NextInvoice, info: Info) -> list[InvoiceLine]:
    draft = root.draft
    if draft.last_change_id > draft.after_change_id and selects(info, "change"):
        # Its lines' history rows are one range of ids: read in one statement, not by id.
        info.context.loaders.prime_changes(
            await history.changes_between(
                info.context.organization_id, draft.after_change_id, draft.last_change_id
            )
        )
    return await _lines_ready(info, draft.lines)


async def _issued_lines(root: Invoice, info: Info) -> list[InvoiceLine]:
    return await _lines_ready(info, await info.context.loaders.invoice_lines.load(root.row_id))


async def _lines_ready(
    info: Info, lines: Sequence[services.LineDraft | LineRow]
) -> list[InvoiceLine]:
    """The lines of an invoice, with the history rows and people they show (if asked for)
    read through the loaders: in one statement each for all the lines of all the invoices."""
    request = info.context.loaders
    shows_change, shows_person = selects(info, "change"), selects(info, "resource")
    changes: dict[int, ShownChange | None] = {}
    if shows_change:
        changes = await rows(request.change, (line.change_id for line in lines))
    await _people_ready(info, lines, [change for change in changes.values() if change])
    return [
        InvoiceLine(
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            amount=line.amount,
            # Read already (above): shown at once.
            change=loaders.shown(request.change, line.change_id, LicenseChange.maybe)
            if shows_change and line.change_id is not None
            else None,
            resource=named_person(info, line.resource_id) if shows_person else None,
        )
        for line in lines
    ]


async def _people_ready(
    info: Info, lines: Sequence[services.LineDraft | LineRow], changes: Sequence[ShownChange]
) -> None:
    """The people the lines and their history rows show, in one statement through the loader
    for all the lines of all the invoices asked for: each line's fields then find them ready."""
    wanted = people_named(changes, info, "change")
    if selects(info, "resource"):
        wanted.update(line.resource_id for line in lines)
    await rows(info.context.loaders.person, wanted)


@strawberry.type(
    description="The coming invoice as it stands now: base lines for its period "
    "and one adjustment line per license change since the previous invoice."
)
class NextInvoice:
    period_start: date = strawberry.field(description="First day of the invoiced period.")
    period_end: date = strawberry.field(description="Last day of the invoiced period.")
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    lines: list[InvoiceLine] = strawberry.field(
        resolver=_draft_lines, description="Base lines, then adjustments."
    )
    total: int = strawberry.field(description="Sum of the lines, in minor units.")
    draft: strawberry.Private[services.InvoiceDraft]


@strawberry.type(description="An issued invoice. It never changes.")
class Invoice:
    id: strawberry.ID = strawberry.field(description="The invoice's id: opaque and stable.")
    number: str = strawberry.field(description="The invoice number.")
    issued_at: datetime = strawberry.field(description="When it was issued.")
    period_start: date = strawberry.field(description="First day of the invoiced period.")
    period_end: date = strawberry.field(description="Last day of the invoiced period.")
    currency: str = strawberry.field(description="ISO 4217 code of the amounts.")
    lines: list[InvoiceLine] = strawberry.field(
        resolver=_issued_lines, description="Base lines, then adjustments."
    )
    total: int = strawberry.field(description="Sum of the lines, in minor units.")
    row_id: strawberry.Private[int]


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
        # The organisation came with the viewer, in the request's first query: its billing
        # version says whether the kept draft is still the next invoice.
        draft = await services.next_invoice(info.context.viewer.organization)
        return NextInvoice(
            period_start=draft.period_start,
            period_end=draft.period_end,
            currency=draft.currency,
            total=draft.total,
            draft=draft,
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
        edges = [
            InvoiceEdge(
                node=Invoice(
                    id=ids.encode(ids.INVOICE, inv.id),
                    number=inv.number,
                    issued_at=inv.issued_at,
                    period_start=inv.period_start,
                    period_end=inv.period_end,
                    currency=inv.currency,
                    total=inv.total,
                    row_id=inv.id,
                ),
                cursor=page.cursor_of(inv),
            )
            for inv in page.invoices
        ]
        return InvoiceConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
