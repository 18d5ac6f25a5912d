"""A bounded mapping for the engine's caches: a public endpoint must not let unique
documents grow memory without limit."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class Bounded(OrderedDict):
    """At most `size` entries; the least recently used one goes first."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        if found is not default:
            self.move_to_end(key)
        return found

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)
