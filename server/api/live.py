"""Live updates over graphql-transport-ws: `seatsChanged`."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from server import events
from server.accounts.models import Scope
from server.api.context import Info
from server.api.permissions import READ_SEATS
from server.api.types import Seats
from server.licensing import services


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description="The organisation's licenses now, and again after every committed change "
        "of licenses or login access, by anyone, in any server process. Ends when the "
        "subscriber's session or token stops being valid, or their role no longer allows it.",
        permission_classes=READ_SEATS,
    )
    async def seats_changed(self, info: Info) -> AsyncGenerator[Seats, None]:
        organization_id = info.context.organization_id
        async with events.broker.listen(organization_id) as changed:
            yield Seats.of(await services.get_seats(organization_id))
            while True:
                await changed.get()
                if not await info.context.still_signed_in(Scope.SEATS_READ):
                    return
                yield Seats.of(await services.get_seats(organization_id))
