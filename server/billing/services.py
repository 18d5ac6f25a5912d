"""Plans, subscriptions, the next-invoice preview and issuing invoices (R9, R10).

How the history becomes money: an invoice for period P is issued at the start of P. Its base
line charges the license count at issuing for all of P, in advance. Every history row since the
previous invoice adds one adjustment line, prorated over the days left in the period of its
effective date. A row whose effective date falls in P itself is already in the base, so its
line is zero. Changes are counted for the "open period": the one whose base was charged and
whose adjustments are not yet invoiced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cache, cached_property
from typing import Any, NamedTuple

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server import sql
from server.accounts.models import Organization
from server.billing import proration
from server.billing.kept import KeptDrafts
from server.billing.models import (
    BillingPeriod,
    Invoice,
    InvoiceLine,
    LineKind,
    Plan,
    Subscription,
    SubscriptionKind,
    SubscriptionStatus,
)
from server.errors import NotFound
from server.licensing.models import ChangeReason
from server.pagination import decode_cursor, encode_cursor, page_size
from server.webhooks import outbox
from server.webhooks.models import EventType

REASON_WORDS = {
    ChangeReason.INITIAL: "First licenses",
    ChangeReason.MANUAL: "License count changed",
    ChangeReason.AUTO_INCREASE: "License added for login access",
    ChangeReason.TERMINATION: "License removed at termination",
}


async def plan_for(name: str, price: int, currency: str) -> Plan:
    """The plan of this name and price, made the first time. A plan's price is never edited:
    a new price is a new plan, which an organisation takes with `subscribe`."""
    plan = await Plan.filter(name=name, price_per_license=price, currency=currency).first()
    if plan is None:
        plan = await Plan.create(
            name=name,
            price_per_license=price,
            currency=currency,
            billing_period=BillingPeriod.MONTHLY,
        )
    return plan


async def billing_changed(conn: BaseDBAsyncClient, org: Organization) -> None:
    """What the next invoice of `org` shows has changed, in the transaction of `conn`, which
    has its row locked (see kept.py). Like `record_change`, on the row as locked: a bump made
    beside it would be lost when the row is saved."""
    org.billing_version += 1
    await org.save(using_db=conn, update_fields=["billing_version"])


async def subscribe(
    conn: BaseDBAsyncClient, org: Organization, plan: Plan, starts_on: date
) -> Subscription:
    """`org` takes `plan` from `starts_on`, in the transaction of `conn`, which has the
    organisation row locked (or has just made it)."""
    await billing_changed(conn, org)
    return await Subscription.create(
        using_db=conn,
        organization_id=org.id,
        plan_id=plan.id,
        kind=SubscriptionKind.PLAN,
        name=plan.name,
        status=SubscriptionStatus.ACTIVE,
        starts_on=starts_on,
        unit_price=plan.price_per_license,
        quantity=1,
    )


async def add_on(
    organization_id: int, name: str, *, unit_price: int, quantity: int, starts_on: date
) -> Subscription:
    """An add-on with a price of its own, on every invoice from `starts_on` (R10)."""
    async with in_transaction() as conn:
        org = await Organization.filter(id=organization_id).select_for_update().using_db(conn).get()
        await billing_changed(conn, org)
        return await Subscription.create(
            using_db=conn,
            organization_id=organization_id,
            kind=SubscriptionKind.ADD_ON,
            name=name,
            status=SubscriptionStatus.ACTIVE,
            starts_on=starts_on,
            unit_price=unit_price,
            quantity=quantity,
        )


async def active_subscriptions(
    organization_id: int, conn: BaseDBAsyncClient | None = None
) -> list[Subscription]:
    return (
        await Subscription.filter(organization_id=organization_id, status=SubscriptionStatus.ACTIVE)
        .using_db(conn)
        .order_by("kind", "starts_on", "id")
    )


async def current_plan(organization_id: int, conn: BaseDBAsyncClient | None = None) -> Plan:
    subscription = (
        await Subscription.filter(
            organization_id=organization_id,
            kind=SubscriptionKind.PLAN,
            status=SubscriptionStatus.ACTIVE,
        )
        .using_db(conn)
        .order_by("-starts_on", "-id")
        .select_related("plan")
        .first()
    )
    if subscription is None or subscription.plan is None:
        raise NotFound("The organisation has no plan.")
    return subscription.plan


# Months in each billing period (R10): what one license costs a month is the plan's price over
# them.
MONTHS_IN = {BillingPeriod.MONTHLY: 1}


def monthly_price(plan: Plan) -> int:
    """What one license of the plan costs a month, in minor units (rounded half-up)."""
    return proration.round_half_up(Fraction(plan.price_per_license, MONTHS_IN[plan.billing_period]))


async def _last_invoice(org: Organization, conn: BaseDBAsyncClient | None) -> Invoice | None:
    return (
        await Invoice.filter(organization_id=org.id)
        .using_db(conn)
        .order_by("-period_start")
        .first()
    )


def _next_period(org: Organization, last: Invoice | None) -> date:
    if last is not None:
        return proration.next_period_start(last.period_start)
    return proration.next_period_start(proration.local_day(org.created_at, org.time_zone))


async def open_period_start(org: Organization, conn: BaseDBAsyncClient | None = None) -> date:
    """The first day of the period whose changes the next invoice adjusts for."""
    next_start = _next_period(org, await _last_invoice(org, conn))
    return proration.period_of(next_start - timedelta(days=1))[0]


class LineDraft(NamedTuple):
    """One line of the next invoice (a tuple: a draft has thousands and is made often)."""

    kind: LineKind
    description: str
    quantity: int
    amount: int
    change_id: int | None = None
    resource_id: int | None = None


@dataclass(frozen=True)
class InvoiceDraft:
    """Kept across requests (`next_invoice`): never changed once made."""

    period_start: date
    period_end: date
    currency: str
    # Its adjustment lines are the history rows after the first id up to the second.
    after_change_id: int
    last_change_id: int
    lines: tuple[LineDraft, ...] = ()

    @cached_property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


class Adjustments:
    """History rows as invoice lines (R9) at one price, for the open period before
    `period_start`: the arithmetic of each effective date is done once, however many rows
    share it."""

    def __init__(self, price: int, period_start: date) -> None:
        self.price = price
        self.period_start = period_start
        # effective date (a date, or its ISO text as SQLite reads it) -> how the line says
        # it, and its days left and days in its period (None: already in the base)
        self._dates: dict[date | str, tuple[str, tuple[int, int] | None]] = {}

    def _date(self, effective_on: date | str) -> tuple[str, tuple[int, int] | None]:
        found = self._dates.get(effective_on)
        if found is None:
            day = effective_on
            if not isinstance(day, date):
                day = date.fromisoformat(day)
            if day >= self.period_start:
                found = (f"from {day.isoformat()}, already in the base", None)
            else:
                left, days = proration.days_left(day), proration.days_in_period(day)
                found = (f"from {day.isoformat()}, {left}/{days} days", (left, days))
            self._dates[effective_on] = found
        return found

    def lines(self, rows: Iterable[Sequence[Any]]) -> list[LineDraft]:
        """The line of each history row, given as (id, from_count, to_count, reason,
        effective_on, resource_id): prorated over the days left in the period of its effective
        date, or zero when that date is in the invoiced period (then the base line charges
        it). One loop with its names local: it runs 10 000 times for a busy organisation."""
        made = []
        add, known, dated = made.append, self._dates, self._date
        price, prorated, words, adjustment = (
            self.price,
            proration.prorated,
            REASON_WORDS,
            LineKind.ADJUSTMENT,
        )
        for change_id, from_count, to_count, reason, effective_on, resource_id in rows:
            when, terms = known.get(effective_on) or dated(effective_on)
            change = to_count - from_count
            add(
                LineDraft(
                    adjustment,
                    f"{words[reason]}: {from_count} → {to_count} ({when})",
                    change,
                    0 if terms is None else prorated(change, price, *terms),
                    change_id,
                    resource_id,
                )
            )
        return made


@cache
def _changes_since_sql() -> str:
    # Only the columns a line needs: no ORM model per row (10 000 of them cost a quarter of
    # a second). The index on (organization_id, id) finds and orders them.
    return (
        'SELECT "id","from_count","to_count","reason","effective_on","resource_id" '
        'FROM "license_change" WHERE "organization_id"=$1 AND "id">$2 ORDER BY "id"'
    )


async def draft_next_invoice(
    org: Organization, conn: BaseDBAsyncClient | None = None
) -> InvoiceDraft:
    """The invoice that is to be issued next, as it stands now. Always computable. Reads the
    database each time: a request reads it through `next_invoice`, which keeps it."""
    plan = await current_plan(org.id, conn)
    last = await _last_invoice(org, conn)
    start = _next_period(org, last)
    _, end = proration.period_of(start)
    since = last.last_change_id if last else 0
    price = plan.price_per_license
    lines = [
        LineDraft(
            kind=LineKind.BASE,
            description=f"{plan.name}: {org.license_count} licenses × "
            f"{proration.format_amount(price, plan.currency)}, {start:%B %Y}",
            quantity=org.license_count,
            amount=proration.base_amount(org.license_count, price),
        )
    ]
    for addon in await active_subscriptions(org.id, conn):
        if addon.kind is SubscriptionKind.ADD_ON and (
            addon.ends_on is None or addon.ends_on >= start
        ):
            lines.append(
                LineDraft(
                    kind=LineKind.ADD_ON,
                    description=f"{addon.name}, {start:%B %Y}",
                    quantity=addon.quantity,
                    amount=addon.unit_price * addon.quantity,
                )
            )
    rows = await sql.fetch_rows(_changes_since_sql(), [org.id, since], conn)
    lines += Adjustments(price, start).lines(rows)
    return InvoiceDraft(
        period_start=start,
        period_end=end,
        currency=plan.currency,
        after_change_id=since,
        last_change_id=rows[-1][0] if rows else since,
        lines=tuple(lines),
    )


_kept: KeptDrafts[InvoiceDraft] = KeptDrafts()


async def next_invoice(org: Organization) -> InvoiceDraft:
    """The next invoice as `draft_next_invoice` makes it, kept per organisation while its
    billing version stays the same (server/billing/kept.py): `org` must have been read in
    this request (the viewer's), so that its version is the database's."""
    key = (org.billing_version, org.license_count, org.time_zone)
    draft = _kept.get(org.id, key)
    if draft is None:
        draft = await draft_next_invoice(org)
        _kept.put(org.id, key, draft, len(draft.lines))
    return draft


def forget_kept_invoices() -> None:
    """Drop every kept next invoice: for a process whose database is replaced under it (the
    tests empty theirs between tests, and ids begin again)."""
    _kept.clear()


async def increase_cost(
    org: Organization,
    from_count: int,
    to_count: int,
    effective_on: date,
    conn: BaseDBAsyncClient | None = None,
) -> tuple[int, int, str]:
    """What a change of the count adds to the next invoice: its prorated adjustment, and that
    plus the change of the base line. Returns (prorated, total, currency); for a decrease both
    amounts are negative (credits)."""
    plan = await current_plan(org.id, conn)
    start = _next_period(org, await _last_invoice(org, conn))
    probe = [(None, from_count, to_count, ChangeReason.AUTO_INCREASE, effective_on, None)]
    prorated = Adjustments(plan.price_per_license, start).lines(probe)[0].amount
    base = (to_count - from_count) * plan.price_per_license
    return prorated, prorated + base, plan.currency


async def issue_due_invoices(at: datetime) -> list[Invoice]:
    """Issue, for every organisation, each invoice whose period has begun by `at`. Safe to run
    twice, or in several processes at once: each organisation is handled with its row locked,
    and one invoice per organisation and period is also a unique constraint."""
    issued = []
    for organization_id in await Organization.all().order_by("id").values_list("id", flat=True):
        while True:
            invoice = await _issue_one(organization_id, at)
            if invoice is None:
                break
            issued.append(invoice)
    return issued


def invoice_issued(invoice: Invoice) -> outbox.Announcement:
    """What integrations hear of an issued invoice (issue 15); `id` is the API's."""
    return (
        EventType.INVOICE_ISSUED,
        {
            "invoice": {
                "id": outbox.ids.encode(outbox.ids.INVOICE, invoice.id),
                "number": invoice.number,
                "periodStart": invoice.period_start.isoformat(),
                "periodEnd": invoice.period_end.isoformat(),
                "issuedAt": invoice.issued_at.isoformat(),
                "currency": invoice.currency,
                "total": invoice.total,
            }
        },
    )


async def _issue_one(organization_id: int, at: datetime) -> Invoice | None:
    try:
        async with in_transaction() as conn:
            org = (
                await Organization.filter(id=organization_id)
                .select_for_update()
                .using_db(conn)
                .get()
            )
            draft = await draft_next_invoice(org, conn)
            if draft.period_start > proration.local_day(at, org.time_zone):
                return None
            invoice = await Invoice.create(
                using_db=conn,
                organization_id=org.id,
                number=f"{draft.period_start:%Y%m}-{org.id:06d}",
                period_start=draft.period_start,
                period_end=draft.period_end,
                issued_at=at,
                currency=draft.currency,
                total=draft.total,
                last_change_id=draft.last_change_id,
            )
            await billing_changed(conn, org)
            await InvoiceLine.bulk_create(
                [
                    InvoiceLine(
                        invoice_id=invoice.id,
                        position=position,
                        kind=line.kind,
                        description=line.description,
                        quantity=line.quantity,
                        amount=line.amount,
                        change_id=line.change_id,
                        resource_id=line.resource_id,
                    )
                    for position, line in enumerate(draft.lines, start=1)
                ],
                using_db=conn,
            )
            await outbox.write(conn, org.id, [invoice_issued(invoice)], at)
            return invoice
    except IntegrityError:
        # Another issuer got there first (possible only without row locks, on SQLite with
        # several processes): that invoice stands, this one is not needed.
        return None


@dataclass(frozen=True)
class InvoicePage:
    invoices: list[Invoice]
    has_next_page: bool

    @staticmethod
    def cursor_of(invoice: Invoice) -> str:
        return encode_cursor(invoice.period_start.isoformat())

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_of(self.invoices[-1]) if self.invoices else None


async def invoices_page(
    organization_id: int, *, first: int | None = None, after: str | None = None
) -> InvoicePage:
    """Issued invoices, newest first; their lines are read only if asked for
    (`lines_of_invoices`)."""
    size = page_size(first)
    query = Invoice.filter(organization_id=organization_id)
    if after is not None:
        (before,) = decode_cursor(after, date)
        query = query.filter(period_start__lt=before)
    rows = await query.order_by("-period_start").limit(size + 1)
    return InvoicePage(invoices=rows[:size], has_next_page=len(rows) > size)


@cache
def _lines_sql() -> str:
    # Built on first use: the columns are known once the ORM is initialised.
    return (
        f'SELECT {sql.select(InvoiceLine, "l")} FROM "invoice_line" l '
        'WHERE l."invoice_id" IN ({ids}) ORDER BY l."invoice_id", l."position"'
    )


async def lines_of_invoices(invoice_ids: Sequence[int]) -> list[list[InvoiceLine]]:
    """The lines of each of these invoices, in their order on the invoice: for all the
    invoices of a page at once."""
    lines: dict[int, list[InvoiceLine]] = {invoice_id: [] for invoice_id in invoice_ids}
    for row in await sql.fetch_by_ids(_lines_sql(), invoice_ids):
        line = sql.model_of(InvoiceLine, row, "l")
        lines[line.invoice_id].append(line)
    return [lines[invoice_id] for invoice_id in invoice_ids]
