"""Text from outside that no column can store or no encoder can write, refused as bad input."""

from __future__ import annotations

import re

from server.errors import InvalidInput

# NUL (which PostgreSQL cannot store) and UTF-16 surrogates, which a JSON "\ud800" escape can
# put in a string but no UTF-8 text holds.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str) -> bool:
    return _UNSTORABLE.search(value) is None


def check_text(value: str, field: str) -> str:
    """`value`, if any column can store it and any encoder write it; else BAD_USER_INPUT
    naming the field: no NUL character, no lone half of a surrogate pair. Linear in the text."""
    if _UNSTORABLE.search(value) is not None:
        raise InvalidInput(
            "The text contains a character that cannot be stored (NUL or half of a UTF-16 "
            "surrogate pair).",
            field=field,
        )
    return value


def shown(value: str) -> str:
    """`value` fit to quote in a message: a lone surrogate written as its escape."""
    return value.encode("utf-8", "backslashreplace").decode()
