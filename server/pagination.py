"""Opaque cursors for keyset pagination: a cursor names the last row of a page by its sort key,
so a page a million rows deep costs what the first one does."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

import orjson

from server.errors import InvalidInput
from server.text import storable

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
# The longest cursor this API gives out is a name (at most 200 characters, up to 4 bytes each
# in UTF-8) and an id, in base64: under 1200 characters. Anything longer is refused unread.
MAX_CURSOR = 2048
# Every id column is a 32-bit integer.
MAX_ID = 2**31 - 1


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode()


def _fits(value: Any, kind: type) -> Any:
    """`value` as the part of a key of `kind` (int: an id; str: a name; date: a day), or a
    ValueError if no row can have it."""
    if kind is int:
        # bool is an int in Python, not in a cursor; ids are positive and 32-bit.
        if type(value) is not int or not 0 < value <= MAX_ID:
            raise ValueError
        return value
    if not isinstance(value, str) or not storable(value):
        raise ValueError
    return date.fromisoformat(value) if kind is date else value


def decode_cursor(cursor: str, *kinds: type) -> tuple[Any, ...]:
    """The key a cursor of this API names, checked part by part against `kinds` (int, str or
    date); any other cursor is BAD_USER_INPUT on `after`. Costs time linear in the cursor,
    which is refused unread past MAX_CURSOR characters."""
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError
        # orjson refuses lone surrogates and nesting deeper than 1024; the length limit keeps
        # both far away anyway.
        key = orjson.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        if not isinstance(key, list) or len(key) != len(kinds):
            raise ValueError
        return tuple(_fits(value, kind) for value, kind in zip(key, kinds, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise InvalidInput("The cursor is not one this API gave out.", field="after") from None


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 < first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"`first` must be from 1 to {MAX_PAGE_SIZE}.", field="first")
    return first
