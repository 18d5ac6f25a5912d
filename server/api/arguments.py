"""Arguments several mutations share."""

from __future__ import annotations

from typing import Annotated

import strawberry

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Any string up to 200 characters, new for each intended change (R13). A "
        "retry with the same key and the same input answers as the first time and changes "
        "nothing more; the same key with other input is refused (IDEMPOTENCY_KEY_REUSED). "
        "Answers that changed nothing spend no key, except a license request (R16): its refusal "
        "is kept and told again. Keys are kept for 48 hours."
    ),
]

AcceptIncrease = Annotated[
    bool,
    strawberry.argument(
        description="Grow the license count by one if no license is free (the auto-increase). "
        "Without it, such a change answers LicenseIncreaseRequired and changes nothing. The "
        "license policy decides (R16): an increase it stops changes nothing and is a license "
        "request for an administrator (LICENSE_REQUEST_PENDING; LICENSE_REQUEST_DECLINED while "
        "a decline of one for that person stands); past a cap, an administrator's own is "
        "LICENSE_LIMIT_REACHED."
    ),
]

ResourceId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The person's id (`Resource.id`), as given. An id of anything else, or of "
        "no person of the organisation, is NOT_FOUND."
    ),
]

ExpectedLicenseCount = Annotated[
    int | None,
    strawberry.argument(
        description="Optimistic concurrency for integrations: the license count the caller "
        "saw. If the count is another by now, nothing changes and the answer is an error "
        "with code LICENSE_COUNT_CHANGED (and `currentCount`)."
    ),
]

First = Annotated[
    int | None, strawberry.argument(description="Page size, 1 to 500; 50 if omitted.")
]
After = Annotated[
    str | None, strawberry.argument(description="The `endCursor` of the page before.")
]
