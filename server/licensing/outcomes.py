"""Who changes licenses (`Actor`), and the answers the changes give (the outcomes).

A module of its own so that the history (`history.py`) and the changes (`services.py`) both
name the actor without importing each other. `OUTCOME_TYPES` lists every type an answer may
hold, for the idempotency store to read a kept answer back (R13).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from server.accounts.models import ApiToken, Organization, Resource, Role
from server.idempotency import actor_key
from server.licensing import rules
from server.licensing.models import LicenseChange, LicenseRequest


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in person, or an integration's API token."""

    organization_id: int
    resource_id: int | None
    name: str
    role: Role | None
    token_id: int | None = None

    @classmethod
    def person(cls, resource: Resource) -> Actor:
        return cls(resource.organization_id, resource.id, resource.name, resource.role)

    @classmethod
    def token(cls, token: ApiToken) -> Actor:
        """An integration, named as the history names it."""
        return cls(token.organization_id, None, f"API token “{token.name}”", None, token.id)

    @classmethod
    def provisioning(cls, token: ApiToken) -> Actor:
        """An identity provider provisioning over SCIM with its token (R17): "Okta (SCIM)"."""
        return cls(token.organization_id, None, f"{token.name} (SCIM)", None, token.id)

    @property
    def by_token(self) -> bool:
        return self.token_id is not None

    @property
    def idempotency_scope(self) -> str:
        """Idempotency keys are this actor's own (R13)."""
        return actor_key(self.resource_id, self.token_id)


@dataclass(frozen=True)
class Seats:
    license_count: int
    used: int

    @property
    def available(self) -> int:
        return self.license_count - self.used

    @property
    def reducible_by(self) -> int:
        return rules.reducible_by(self.license_count, self.used)

    @classmethod
    def of(cls, org: Organization) -> Seats:
        return cls(license_count=org.license_count, used=org.used)


@dataclass(frozen=True)
class LicenseIncreaseRequired:
    """R4/R6: nothing was changed; the caller must accept the auto-increase first.
    `needs_approval`: the license policy will turn the accepted increase into a license
    request for an administrator (R16)."""

    current_count: int
    new_count: int
    message: str
    prorated_cost: int
    adds_to_next_invoice: int
    currency: str
    needs_approval: bool = False


@dataclass(frozen=True)
class LicenseBelowUsage:
    """R3: the requested count is below the number of licenses in use; nothing changed."""

    used: int
    requested: int
    message: str


@dataclass(frozen=True)
class LicenseCountPreview:
    """R3/R9: what setting the count would do, asked before saving; nothing changed. Amounts
    are in minor units: positive a charge, negative a credit."""

    current_count: int
    new_count: int
    effective_on: date
    prorated_amount: int
    next_invoice_change: int
    currency: str


@dataclass(frozen=True)
class LicenseCountSet:
    seats: Seats
    change: LicenseChange | None


@dataclass(frozen=True)
class AccessChanged:
    resource: Resource
    seats: Seats
    change: LicenseChange | None
    message: str


@dataclass(frozen=True)
class ResourceAdded:
    resource: Resource
    seats: Seats
    change: LicenseChange | None


@dataclass(frozen=True)
class Terminated:
    resource: Resource
    seats: Seats
    change: LicenseChange | None


@dataclass(frozen=True)
class Reactivated:
    resource: Resource
    seats: Seats


@dataclass(frozen=True)
class TerminationScheduled:
    """R7: a future last work day. Nothing changes until the end of that day."""

    resource: Resource
    seats: Seats


@dataclass(frozen=True)
class TerminationCancelled:
    resource: Resource
    seats: Seats


@dataclass(frozen=True)
class RoleSet:
    """The person's role after `set_role`; `message` says what happened."""

    resource: Resource
    message: str


@dataclass(frozen=True)
class LicenseRequested:
    """R16: the license policy stopped an increase; nothing changed but the request. `request`
    is the one pending for the person (`created`: made by this call), or the decline that
    still stands for them (no request made). Kept under the caller's idempotency key, so a
    retry with that key is told the same."""

    request: LicenseRequest
    created: bool
    message: str


@dataclass(frozen=True)
class LicenseRequestDecided:
    """R16: an administrator approved (the increase, if one was needed, and the access: the
    history row in `change`) or declined a license request."""

    request: LicenseRequest
    seats: Seats
    change: LicenseChange | None
    message: str


@dataclass(frozen=True)
class PolicySet:
    """R16: the organisation's license policy after `set_license_policy`."""

    organization: Organization


@dataclass(frozen=True)
class PersonChanged:
    """One person of a bulk change: changed, or skipped with the code and message of why."""

    resource: Resource
    changed: bool
    code: str | None
    message: str
    change: LicenseChange | None = None


@dataclass(frozen=True)
class BulkChanged:
    """The answer of a bulk change that was made. `changes`: every history row it wrote."""

    people: list[PersonChanged]
    seats: Seats
    changes: list[LicenseChange]
    message: str

    @property
    def changed_count(self) -> int:
        return sum(person.changed for person in self.people)


@dataclass(frozen=True)
class BulkPreview:
    """What a bulk change would do; nothing was kept. Amounts in minor units of `currency`:
    `next_invoice_change` positive a charge, negative a credit."""

    people: list[PersonChanged]
    current_count: int
    new_count: int
    used_before: int
    used_after: int
    licenses_freed: int
    next_invoice_change: int
    currency: str
    needs_increase: bool
    needs_approval: bool
    message: str

    @property
    def changed_count(self) -> int:
        return sum(person.changed for person in self.people)


OUTCOME_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Seats,
        LicenseCountSet,
        AccessChanged,
        ResourceAdded,
        Terminated,
        TerminationScheduled,
        TerminationCancelled,
        Reactivated,
        RoleSet,
        LicenseRequested,
        LicenseRequestDecided,
        PolicySet,
        PersonChanged,
        BulkChanged,
        Organization,
        Resource,
        LicenseChange,
        LicenseRequest,
    )
}
