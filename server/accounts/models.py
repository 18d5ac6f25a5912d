"""Organisations (tenants), the people registered in them (resources) and their sessions."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

from tortoise import fields
from tortoise.models import Model


class ResourceKind(StrEnum):
    EMPLOYEE = "EMPLOYEE"
    EXTERNAL_CONSULTANT = "EXTERNAL_CONSULTANT"


class Role(StrEnum):
    ADMIN = "ADMIN"
    RESOURCE_MANAGER = "RESOURCE_MANAGER"
    MEMBER = "MEMBER"


class Deactivation(StrEnum):
    """What an identity provider's deactivation (SCIM `active: false`, or DELETE) does (R17)."""

    TERMINATE = "TERMINATE"
    REMOVE_ACCESS = "REMOVE_ACCESS"


class LicensePolicy(StrEnum):
    """R16: whether an increase of the license count may happen without a person confirming
    it. NEVER: every increase an integration, an identity provider or a resource manager asks
    for becomes a license request for an administrator. UP_TO_CAP: such increases happen by
    themselves as long as they stay within the organisation's caps (none set: no cap)."""

    NEVER = "NEVER"
    UP_TO_CAP = "UP_TO_CAP"


class Organization(Model):
    """A customer. `used` caches the live count of licenses in use (R1), and the four
    people counts the live number of people by status and kind (what the lists count): each
    is only ever changed in the transaction that changes a resource, with this row locked
    (`count_person`). `billing_version` grows by one in every transaction that changes what
    the next invoice shows (a license change, an issued invoice, a subscription), with this row
    locked: the kept next invoice is valid while it stays the same (server/billing/kept.py)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    time_zone = fields.CharField(max_length=64, default="UTC")
    license_count = fields.IntField(default=0)
    used = fields.IntField(default=0)
    # 0 in the database too: a row written without them (before they were kept) counts none.
    active_employees = fields.IntField(default=0, db_default=0)
    active_consultants = fields.IntField(default=0, db_default=0)
    inactive_employees = fields.IntField(default=0, db_default=0)
    inactive_consultants = fields.IntField(default=0, db_default=0)
    # R17: what a deactivation by the identity provider does; terminating by default.
    deactivation = fields.CharEnumField(
        Deactivation, max_length=16, default=Deactivation.TERMINATE, db_default="TERMINATE"
    )
    billing_version = fields.IntField(
        default=0,
        db_default=0,
        description="Grows with every change of what the next invoice shows",
    )
    # R16: the license policy, and the caps no increase ever passes (none: no cap): on the
    # license count, and on the monthly amount (count × the plan's price, in minor units of
    # the plan's currency). `policy_changed_at`: when an administrator last saved them (a
    # declined request stands until then, see server/licensing/requests.py).
    license_policy = fields.CharEnumField(
        LicensePolicy, max_length=16, default=LicensePolicy.NEVER, db_default="NEVER"
    )
    max_license_count = fields.IntField(null=True)
    max_monthly_amount = fields.BigIntField(null=True)
    policy_changed_at = fields.DatetimeField(null=True)
    # R19: how many days without activity make a license unused (issue 15).
    unused_after_days = fields.IntField(
        default=30,
        db_default=30,
        description="Days without activity after which a person's license counts as unused",
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organization"

    def count_person(self, kind: ResourceKind, *, active: bool, by: int) -> None:
        """A person of this kind and status joined (`by=1`) or left (`by=-1`) that count."""
        employee = kind is ResourceKind.EMPLOYEE
        if active and employee:
            self.active_employees += by
        elif active:
            self.active_consultants += by
        elif employee:
            self.inactive_employees += by
        else:
            self.inactive_consultants += by

    @property
    def people_counts(self) -> tuple[int, ...]:
        return tuple(getattr(self, field) for field in PEOPLE_COUNTS.values())

    def people(self, *, active: bool | None, kind: ResourceKind | None) -> int:
        """How many people have this status (None: either) and kind (None: either)."""
        return sum(
            getattr(self, field)
            for (is_active, of_kind), field in PEOPLE_COUNTS.items()
            if active in (None, is_active) and kind in (None, of_kind)
        )


# The columns a change of licenses sets (`record_change`, `used`), saved together.
COUNT_FIELDS = ("license_count", "used", "billing_version")

# (active, kind) -> the organisation's column that counts those people.
PEOPLE_COUNTS = {
    (True, ResourceKind.EMPLOYEE): "active_employees",
    (True, ResourceKind.EXTERNAL_CONSULTANT): "active_consultants",
    (False, ResourceKind.EMPLOYEE): "inactive_employees",
    (False, ResourceKind.EXTERNAL_CONSULTANT): "inactive_consultants",
}


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
    # Who scheduled it: a person, or an integration's API token; the history row of the
    # termination names them when it takes effect.
    termination_scheduled_by = fields.ForeignKeyField(
        "models.Resource", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    termination_scheduled_by_token = fields.ForeignKeyField(
        "models.ApiToken", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    password_hash = fields.CharField(max_length=200, null=True)
    # What the identity provider calls this person (SCIM `externalId`, R17), and the names it
    # sends, kept as sent; `name` stays the name every list shows.
    external_id = fields.CharField(max_length=255, null=True)
    display_name = fields.CharField(max_length=200, null=True)
    given_name = fields.CharField(max_length=200, null=True)
    family_name = fields.CharField(max_length=200, null=True)
    # Whether the identity provider said the person is a consultant (None: it said nothing,
    # and an employee is the default); `kind` is what counts (R1).
    stated_consultant = fields.BooleanField(null=True)
    # Deleted by the identity provider (R17): the person stays, terminated or without access,
    # with their history; provisioning no longer sees them until it creates them again.
    deprovisioned_at = fields.DatetimeField(null=True)
    # R19, kept coarsely: when the person last signed in with a password, and when a request
    # of theirs last came with a session cookie (written at most once an hour: see
    # server/accounts/activity.py). Null when never. An API token's requests are the token's
    # activity (`ApiToken.last_used_at`), not a person's.
    last_signed_in_at = fields.DatetimeField(null=True)
    last_active_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    organization_id: int
    termination_scheduled_by_id: int | None
    termination_scheduled_by_token_id: int | None

    class Meta:
        table = "resource"
        unique_together = (("organization", "email"),)
        # The lists' orders: active people (the default), everyone, one kind of them.
        indexes = (
            ("organization", "active", "name", "id"),
            ("organization", "name", "id"),
            ("organization", "active", "kind", "name", "id"),
            ("organization", "external_id"),
            # The unused licenses (R19): the license holders of an organisation (R1's columns,
            # each compared for equality) by last activity, never active first, then id.
            ("organization", "kind", "active", "login_access", "last_active_at", "id"),
        )


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


class Scope(StrEnum):
    SEATS_READ = "seats:read"
    SEATS_WRITE = "seats:write"
    BILLING_READ = "billing:read"
    SCIM = "scim"


class ApiToken(Model):
    """An integration's credential. The token itself is shown once; only its SHA-256 is kept,
    with a short prefix so people can tell their tokens apart."""

    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="api_tokens", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=100)
    prefix = fields.CharField(max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    scopes = fields.CharField(max_length=200, description="Space-separated scopes")
    created_by = fields.ForeignKeyField(
        "models.Resource", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    organization_id: int
    created_by_id: int | None

    class Meta:
        table = "api_token"

    @cached_property
    def scope_set(self) -> frozenset[Scope]:
        # A token's scopes never change; every permission check of a request asks.
        return frozenset(Scope(s) for s in self.scopes.split())


class SignInThrottle(Model):
    """Failed sign-ins per e-mail address and per client address, for back-off."""

    key = fields.CharField(max_length=300, primary_key=True)
    failures = fields.IntField(default=0)
    last_failure_at = fields.DatetimeField()
    blocked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "sign_in_throttle"
