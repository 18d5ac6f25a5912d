"""DataLoaders, made anew for every request, so that a page of rows costs one query per
relation rather than one per row."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from server.accounts.models import Resource
from server.licensing.models import LicenseChange


async def _load_resources(ids: Sequence[int]) -> list[Resource | None]:
    found = {r.id: r for r in await Resource.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


async def _load_changes(ids: Sequence[int]) -> list[LicenseChange | None]:
    found = {c.id: c for c in await LicenseChange.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


class Loaders:
    """Made on first use: most requests need none."""

    @cached_property
    def resource(self) -> DataLoader[int, Resource | None]:
        return DataLoader(load_fn=_load_resources)

    @cached_property
    def change(self) -> DataLoader[int, LicenseChange | None]:
        return DataLoader(load_fn=_load_changes)
