"""DataLoaders, made anew for every request: the one way the API reads the rows that other
rows name (issue 11).

A resolver asks its loader for a row by id; the loader reads every row asked for in the same
turn of the event loop in one statement, so a page of rows costs one statement per relation,
not one per row, and a relation nobody selected costs nothing. The functions that read the
rows live in the domain's query modules; here they are only wired. Rows a service or a page
has already read are put into the loaders (`prime`), so that they are not read a second time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from functools import cached_property
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField, Selection

from server.accounts import models as account_models
from server.accounts.queries import Person, people_by_ids
from server.billing.models import InvoiceLine
from server.billing.services import lines_of_invoices
from server.licensing.history import ShownChange, changes_by_ids

T = TypeVar("T")
R = TypeVar("R")

# A person as a page reads them (Person) or as a service or the sign-in read them (the
# model): both carry every column the API shows of a person.
PersonRow = Person | account_models.Resource


class Loaders:
    """Each loader is made on first use: most requests need none."""

    def __init__(self) -> None:
        # The signed-in person, read with the session (server/api/context.py): the actor of
        # many history rows, not read again for them.
        self.signed_in: account_models.Resource | None = None
        # The API's object of each person shown so far: most pages name the same few people
        # many times over (the actor of every row), each made once (see `shown`).
        self.people_shown: dict[int, Any] = {}

    @cached_property
    def person(self) -> DataLoader[int, PersonRow | None]:
        loader = DataLoader(load_fn=people_by_ids)
        if self.signed_in is not None:
            loader.prime(self.signed_in.id, self.signed_in)
        return loader

    @cached_property
    def change(self) -> DataLoader[int, ShownChange | None]:
        return DataLoader(load_fn=changes_by_ids)

    @cached_property
    def invoice_lines(self) -> DataLoader[int, list[InvoiceLine]]:
        return DataLoader(load_fn=lines_of_invoices)

    def prime_people(self, people: Iterable[PersonRow], *, fresh: bool = False) -> None:
        """People a page or a service has read. `fresh`: rows as a change has just left
        them, which replace any copy read earlier in the request."""
        primed = {person.id: person for person in people}
        self.person.prime_many(primed, force=fresh)
        if fresh:
            for key in primed:
                self.people_shown.pop(key, None)

    def prime_changes(self, changes: Iterable[ShownChange]) -> None:
        """History rows a service has read."""
        self.change.prime_many({change.id: change for change in changes})


async def rows(loader: DataLoader[int, T], keys: Iterable[int | None]) -> dict[int, T]:
    """The rows these keys name (None keys skipped), read in one batch with whatever else is
    asked for in the same turn; rows the loader holds already are not read again.

    Lists ask for the rows their selection shows before they are returned: the fields of each
    row then find their rows ready and answer at once. An awaitable per row and field costs
    the executor a task each: on a page of 100 history rows with their people, nearly as much
    CPU as everything else the page costs."""
    futures = {key: loader.load(key) for key in keys if key is not None}
    pending = [future for future in futures.values() if not future.done()]
    if pending:
        await asyncio.gather(*pending)
    return {key: future.result() for key, future in futures.items()}


def selects(info: strawberry.Info, *path: str) -> bool:
    """Whether the selection of the field being resolved reaches the field at `path`, one
    field name per level (fragments looked through, `@skip` and `@include` obeyed): a list
    asks its loaders for a relation only if some row will show it."""
    return any(_reaches(field.selections, path) for field in info.selected_fields)


def _reaches(selections: list[Selection], path: tuple[str, ...]) -> bool:
    for selection in selections:
        directives = selection.directives
        if directives.get("skip", {}).get("if") is True:
            continue
        if directives.get("include", {}).get("if") is False:
            continue
        if isinstance(selection, SelectedField):
            if selection.name == path[0] and (
                len(path) == 1 or _reaches(selection.selections, path[1:])
            ):
                return True
        elif _reaches(selection.selections, path):
            return True
    return False


def shown(
    loader: DataLoader[int, T], key: int, show: Callable[[T], R], made: dict[int, R] | None = None
) -> R | Awaitable[R]:
    """The row `key` names, as `show` makes it into the API's object (kept in `made`, if
    given, for the next field that names the same row). When the loader has the row already
    (primed, or read for an earlier field or by the list: see `rows`) it is shown at once, and
    the executor has nothing to wait for; else once the loader's batch has read it."""
    if made is not None and key in made:
        return made[key]
    future = loader.load(key)
    if future.done() and not future.cancelled() and future.exception() is None:
        return _made(key, show(future.result()), made)
    return _shown_when_read(key, future, show, made)


async def _shown_when_read(
    key: int, future: Awaitable[T], show: Callable[[T], R], made: dict[int, R] | None
) -> R:
    return _made(key, show(await future), made)


def _made(key: int, value: R, made: dict[int, R] | None) -> R:
    if made is not None:
        made[key] = value
    return value
