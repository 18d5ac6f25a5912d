"""The ids of the API: every `id` it gives out and every id argument it takes.

An id is opaque to clients. It is the base64url form, without padding, of `Kind:key`: the kind
of object (the GraphQL type's name, `Resource`, `ApiToken`, …) and its row's primary key in
decimal, e.g. `UmVzb3VyY2U6NDI` for the person with key 42. Ids are made (`encode`) and read
(`decode`) here and nowhere else, so an id names one kind of object and one row: an id of another
kind, a malformed one, one of another organisation and one of a row that does not exist are all
answered alike, NOT_FOUND with the argument's name in `extensions.field` (R12).
"""

from __future__ import annotations

import base64
import binascii
import re

import strawberry

from server.errors import NotFound

# The kinds of object that have ids, by the GraphQL type that shows them.
RESOURCE = "Resource"
API_TOKEN = "ApiToken"
LICENSE_CHANGE = "LicenseChange"
INVOICE = "Invoice"
SUBSCRIPTION = "BillingSubscription"
ORGANIZATION = "Organization"
LICENSE_REQUEST = "LicenseRequest"
WEBHOOK_ENDPOINT = "WebhookEndpoint"
WEBHOOK_DELIVERY = "WebhookDelivery"

# What the messages call each kind.
NAMES = {
    RESOURCE: "resource",
    API_TOKEN: "API token",
    LICENSE_CHANGE: "license change",
    INVOICE: "invoice",
    SUBSCRIPTION: "subscription",
    ORGANIZATION: "organisation",
    LICENSE_REQUEST: "license request",
    WEBHOOK_ENDPOINT: "webhook endpoint",
    WEBHOOK_DELIVERY: "webhook delivery",
}

# Keys are 32-bit in the database.
MAX_KEY = 2**31 - 1
# The longest id this module makes: the longest kind, the largest key.
MAX_LENGTH = len(base64.urlsafe_b64encode(f"{max(NAMES, key=len)}:{MAX_KEY}".encode()))
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


def encode(kind: str, key: int) -> strawberry.ID:
    """The id of the row `key` of `kind`."""
    if kind not in NAMES or not 0 < key <= MAX_KEY:
        raise ValueError(f"no id for {kind} {key}")
    return strawberry.ID(base64.urlsafe_b64encode(f"{kind}:{key}".encode()).rstrip(b"=").decode())


def decode(value: object, kind: str, field: str) -> int:
    """The primary key an id of `kind` names. Anything else — an id of another kind, a string
    this module did not make, one too long to be an id — raises NotFound for `field`, just as
    a missing row does. Costs time linear in the input; longer input is refused unread."""
    key = _key(value, kind)
    if key is None:
        raise NotFound(not_found_message(kind), field=field)
    return key


def key_of(value: object, kind: str) -> int | None:
    """The primary key an id of `kind` names, or None for anything else (as `decode`)."""
    return _key(value, kind)


def not_found_message(kind: str) -> str:
    """What a missing object of `kind` is answered with, whatever the id was."""
    return f"No {NAMES[kind]} with this id."


def _key(value: object, kind: str) -> int | None:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_LENGTH:
        return None
    if _ALPHABET.fullmatch(value) is None:
        return None
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    found, colon, digits = text.partition(":")
    if found != kind or not colon or not (digits.isascii() and digits.isdigit()):
        return None
    key = int(digits)
    if not 0 < key <= MAX_KEY:
        return None
    # Only the one spelling this module makes: no leading zeros, no stray bits in the last
    # character, no padding.
    if encode(kind, key) != value:
        return None
    return key
