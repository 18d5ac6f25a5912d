"""The next invoice of each organisation, kept in the process once computed (R9).

An entry is found by the organisation's id and is valid for one *key*: the columns of the
organisation row that the draft depends on, `billing_version` first. That version grows by
one, with the organisation row locked, in the transaction of every event that changes what
the next invoice shows: a license change (`record_change`), an issued invoice, a subscription
(`subscribe`, `add_on`). Every request reads the organisation row with its viewer, so the key
is as fresh as the database: a change committed by another server process is seen by the
next request here, which then computes the draft again. The draft reads no clock, so the key
needs no date; the period it shows moves only when an invoice is issued, which bumps the
version.

Bounded twice: at most `MAX_ORGANISATIONS` entries and `MAX_LINES` lines kept in all, the
least recently used going first (a draft of more lines than the budget is not kept).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

MAX_ORGANISATIONS = 1024
# About 200 bytes a line: some 40 MB at most.
MAX_LINES = 200_000

D = TypeVar("D")


class KeptDrafts(Generic[D]):
    """Drafts by organisation id, each valid for one key, bounded in entries and lines."""

    def __init__(self, max_entries: int = MAX_ORGANISATIONS, max_lines: int = MAX_LINES) -> None:
        self.max_entries = max_entries
        self.max_lines = max_lines
        self.lines = 0  # kept in all
        self._entries: OrderedDict[int, tuple[Hashable, D, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, organization_id: int, key: Hashable) -> D | None:
        """The draft kept for this organisation if it was kept for this very key."""
        entry = self._entries.get(organization_id)
        if entry is None or entry[0] != key:
            return None
        self._entries.move_to_end(organization_id)
        return entry[1]

    def put(self, organization_id: int, key: Hashable, draft: D, lines: int) -> None:
        """Keep `draft` (of `lines` lines) for `key`, in place of what the organisation had."""
        self.forget(organization_id)
        if lines > self.max_lines:
            return
        self._entries[organization_id] = (key, draft, lines)
        self.lines += lines
        while len(self._entries) > self.max_entries or self.lines > self.max_lines:
            _, (_, _, dropped) = self._entries.popitem(last=False)
            self.lines -= dropped

    def forget(self, organization_id: int) -> None:
        entry = self._entries.pop(organization_id, None)
        if entry is not None:
            self.lines -= entry[2]

    def clear(self) -> None:
        self._entries.clear()
        self.lines = 0
