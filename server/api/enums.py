"""The GraphQL enums: the domain's own enums, exposed as they are, with their descriptions.

One definition of each member: the model enum (`server/*/models.py`). The API adds only the
words clients read in the schema; `exposed` refuses an enum whose members and descriptions do
not match one for one, so a member added to a model cannot reach the schema undescribed."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

from server.accounts import models as accounts
from server.accounts.queries import ResourceStatus
from server.billing import models as billing
from server.licensing import bulk
from server.licensing import models as licensing
from server.webhooks import models as webhooks

E = TypeVar("E", bound=type[Enum])


def exposed(model_enum: E, description: str, *, name: str | None = None, **members: str) -> E:
    """`model_enum` as a GraphQL enum named `name` (its own name by default): each member by
    its name, described by `members[name]`."""
    missing = set(model_enum.__members__) ^ set(members)
    if missing:
        raise TypeError(f"{model_enum.__name__}: describe exactly its members ({missing})")
    strawberry.enum(model_enum, name=name, description=description)
    for value in model_enum.__strawberry_definition__.values:
        value.description = members[value.name]
    return model_enum


ResourceKind = exposed(
    accounts.ResourceKind,
    "Whether a person is an employee or an external consultant (R1).",
    EMPLOYEE="Uses a license while active with login access.",
    EXTERNAL_CONSULTANT="Never uses a license, even with login access.",
)
Role = exposed(
    accounts.Role,
    "What a person may do (R11).",
    ADMIN="Everything: licenses, plan, invoices, roles and API tokens.",
    RESOURCE_MANAGER="The licenses page: people, access and the count.",
    MEMBER="Sees only themselves.",
)
Scope = exposed(
    accounts.Scope,
    "What an API token may do (R11).",
    SEATS_READ="seats:read — read licenses, people and the history.",
    SEATS_WRITE="seats:write — change the count, access, people and terminations.",
    BILLING_READ="billing:read — read the plan, subscriptions and invoices.",
    SCIM="scim — provision people over SCIM 2.0 at /scim/v2 (an identity provider's token); "
    "reaches nothing of GraphQL.",
)
Deactivation = exposed(
    accounts.Deactivation,
    "What an identity provider's deactivation over SCIM (`active: false`, or DELETE) does (R17).",
    TERMINATE="Terminate the person today (R7): their license leaves the count (the default).",
    REMOVE_ACCESS="Remove their login access (R5): the count stays, a license becomes free.",
)
ChangeReason = exposed(
    licensing.ChangeReason,
    "Why the license count changed.",
    INITIAL="The organisation's first licenses.",
    MANUAL="Set on the licenses page (R3).",
    AUTO_INCREASE="Login access given when no license was free (R4).",
    TERMINATION="A person using a license was terminated (R7).",
)
LicensePolicy = exposed(
    accounts.LicensePolicy,
    "How an increase of the license count may happen without a person confirming it (R16).",
    name="LicensePolicyMode",
    NEVER="Never: every increase an integration, an identity provider or a resource manager "
    "asks for becomes a license request for an administrator.",
    UP_TO_CAP="By itself, up to the caps (the license count and/or the monthly amount); past "
    "them, a license request. With no cap set, without limit.",
)
LicenseRequestStatus = exposed(
    licensing.RequestStatus,
    "Where a license request stands (R16).",
    name="LicenseRequestStatus",
    PENDING="Waiting for an administrator.",
    APPROVED="An administrator approved it: the person got login access (and the license).",
    DECLINED="An administrator declined it: nothing changed.",
)
ResourceStatus = exposed(
    ResourceStatus,
    "Which people to list (R15).",
    ACTIVE="People not terminated (the default).",
    INACTIVE="Terminated people.",
    ALL="Everyone.",
)
BillingPeriod = exposed(
    billing.BillingPeriod,
    "How often an invoice is issued.",
    MONTHLY="Calendar months in the organisation's time zone.",
)
SubscriptionKind = exposed(
    billing.SubscriptionKind,
    "What a subscription is for.",
    PLAN="The plan: the price of each license.",
    ADD_ON="An add-on with a price of its own.",
)
SubscriptionStatus = exposed(
    billing.SubscriptionStatus,
    "Whether a subscription runs.",
    ACTIVE="Running and billed.",
    CANCELLED="Ended; no longer billed.",
)
InvoiceLineKind = exposed(
    billing.LineKind,
    "What an invoice line is for.",
    name="InvoiceLineKind",
    BASE="Licenses × price for the invoiced period, in advance.",
    ADD_ON="An add-on for the invoiced period.",
    ADJUSTMENT="One change of the license count since the previous invoice, prorated over the "
    "days left in its period: a charge or, when negative, a credit.",
)
WebhookEventType = exposed(
    webhooks.EventType,
    "What a webhook endpoint can be told of (issue 15); the payload's `type` is the value "
    "named in each description.",
    name="WebhookEventType",
    LICENSE_COUNT_CHANGED="license.count_changed — the license count changed, for any reason "
    "(set, auto-increase, termination).",
    RESOURCE_ACCESS_CHANGED="resource.access_changed — a person was given or lost login access.",
    RESOURCE_TERMINATED="resource.terminated — a termination took effect.",
    TERMINATION_SCHEDULED="termination.scheduled — a termination was scheduled for a later day.",
    TERMINATION_CANCELLED="termination.cancelled — a scheduled termination was cancelled.",
    INVOICE_ISSUED="invoice.issued — an invoice was issued.",
)
WebhookDeliveryStatus = exposed(
    webhooks.DeliveryStatus,
    "Where a webhook delivery stands.",
    name="WebhookDeliveryStatus",
    PENDING="Not delivered yet: due at `nextAttemptAt` (again, after a failed attempt).",
    DELIVERED="The endpoint answered with a 2xx status.",
    FAILED="Given up: retried for three days, or the endpoint was disabled. It can be resent.",
)

BulkAction = exposed(
    bulk.BulkAction,
    "What a bulk change does to each person it names (issue 15).",
    GIVE_ACCESS="Give login access (R4): licenses are added when none is free.",
    REMOVE_ACCESS="Remove login access (R5): the licenses stay on the count, free.",
    TERMINATE="Terminate (R7): now, or at the end of a later last work day.",
)
