"""What Seats serves over SCIM: the User resource with the attributes it keeps, its Seats
extension (the consultant flag), and the capabilities ServiceProviderConfig declares."""

from __future__ import annotations

from typing import Annotated, ClassVar

from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ComplexAttribute,
    Email,
    ETag,
    Extension,
    External,
    Filter,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from scim2_models.resources.resource import AnyExtension

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
SEATS_SCHEMA = "urn:seats:params:scim:schemas:extension:seats:2.0:User"
# The most people one page lists (`count` is cut to it): filter.maxResults.
MAX_RESULTS = 200
# The longest filter read; a longer one is refused (invalidFilter) before it is parsed.
MAX_FILTER_LENGTH = 2000


class Name(ComplexAttribute):
    """The parts of a name Seats keeps, as the identity provider sent them."""

    family_name: str | None = None
    """The family name, kept as the identity provider sent it."""

    given_name: str | None = None
    """The given name, kept as the identity provider sent it."""


class SeatsUser(Extension):
    """What Seats adds to a user (R1): an external consultant never uses a license."""

    __schema__ = URN(SEATS_SCHEMA)

    consultant: bool | None = None
    """Whether the person is an external consultant (true), who never uses a license, or an
    employee (false or absent, the default), who does while they can sign in."""


class User(Resource[AnyExtension]):
    """A person of the organisation, as an identity provider sees them."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """The person's e-mail address: unique in the organisation, in any case."""

    name: Name | None = None
    """The person's name."""

    Name: ClassVar[type[ComplexAttribute]] = Name

    display_name: str | None = None
    """The person's name as the identity provider gives it; Seats names the person so (else
    by the given and family names, else by the address)."""

    active: Annotated[bool | None, Required.true] = None
    """Whether the person can sign in (login access, R4, R5, R7)."""

    emails: Annotated[list[Email] | None, Mutability.read_only] = None
    """The person's e-mail address, the userName, as the one address of type work. Read
    only: the userName sets it."""

    Emails: ClassVar[type[ComplexAttribute]] = Email


UserResource = User[SeatsUser]

BEARER = AuthenticationScheme(
    type=AuthenticationScheme.Type.oauthbearertoken,
    name="API token",
    description="An API token with the scope scim, sent as `Authorization: Bearer seats_…`. "
    "Administrators make one on the API tokens page.",
    spec_uri=Reference[External]("https://www.rfc-editor.org/rfc/rfc6750"),
    primary=True,
)

CONFIG = ServiceProviderConfig(
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[BEARER],
)


# What identity providers send beyond the specification, accepted as they mean it: attributes
# Seats does not keep (Okta's locale, Entra ID's title, phone numbers, enterprise extension)
# are ignored rather than refused; Entra ID's `remove` with a value selects what to remove,
# and its PATCH of a filtered path with no match adds the entry.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


def provider() -> ScimProvider:
    resource_type = ResourceType.from_resource(UserResource)
    resource_type.description = "People of the organisation"
    return ScimProvider(
        models=[User, SeatsUser], resource_types=[resource_type], config=CONFIG, policy=POLICY
    )
