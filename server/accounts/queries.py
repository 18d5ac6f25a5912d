"""Reading the people of an organisation (R15)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from server.accounts.models import Resource, ResourceKind
from server.errors import NotFound
from server.pagination import decode_cursor, encode_cursor, page_size


class ResourceStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    ALL = "ALL"


@dataclass(frozen=True)
class ResourcePage:
    resources: list[Resource]
    has_next_page: bool
    matching: QuerySet[Resource]

    async def total_count(self) -> int:
        """How many match on all pages. A count over a large organisation costs more than
        the page itself, so it runs only when asked for."""
        return await self.matching.count()

    @staticmethod
    def cursor_of(resource: Resource) -> str:
        return encode_cursor(resource.name, resource.id)

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_of(self.resources[-1]) if self.resources else None


async def resources_page(
    organization_id: int,
    *,
    status: ResourceStatus = ResourceStatus.ACTIVE,
    kind: ResourceKind | None = None,
    search: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> ResourcePage:
    """People by name, then id; active ones only unless asked otherwise."""
    size = page_size(first)
    query = Resource.filter(organization_id=organization_id)
    if status is ResourceStatus.ACTIVE:
        query = query.filter(active=True)
    elif status is ResourceStatus.INACTIVE:
        query = query.filter(active=False)
    if kind is not None:
        query = query.filter(kind=kind)
    if search and search.strip():
        term = search.strip()
        query = query.filter(Q(name__icontains=term) | Q(email__icontains=term))
    matching = query
    if after is not None:
        last_name, last_id = decode_cursor(after, str, int)
        # `name >= last` adds nothing logically, but lets the database seek the index to the
        # cursor instead of filtering every row before it (SQLite's planner needs it).
        query = query.filter(
            Q(name__gte=last_name), Q(name__gt=last_name) | Q(name=last_name, id__gt=last_id)
        )
    rows = await query.order_by("name", "id").limit(size + 1)
    return ResourcePage(resources=rows[:size], has_next_page=len(rows) > size, matching=matching)


async def get_resource(organization_id: int, resource_id: int) -> Resource:
    """A resource of the organisation; one of another organisation is just as missing (R12)."""
    resource = await Resource.get_or_none(id=resource_id, organization_id=organization_id)
    if resource is None:
        raise NotFound(f"No resource with id {resource_id}.", field="id")
    return resource
