"""DataLoaders, made anew for every request, so that a page of rows costs one query per
relation rather than one per row."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from server import sql
from server.accounts.models import Resource


async def _load_resources(ids: Sequence[int]) -> list[Resource | None]:
    found = await sql.by_id(Resource, set(ids))
    return [found.get(i) for i in ids]


class Loaders:
    """Made on first use: most requests need none."""

    @cached_property
    def resource(self) -> DataLoader[int, Resource | None]:
        return DataLoader(load_fn=_load_resources)
