"""Opaque cursors for keyset pagination: a cursor names the last row of a page by its sort key,
so a page a million rows deep costs what the first one does."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import orjson

from server.errors import InvalidInput

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode()


def decode_cursor(cursor: str, *types: type) -> tuple[Any, ...]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, list) or len(key) != len(types):
            raise ValueError
        if not all(isinstance(value, kind) for value, kind in zip(key, types, strict=True)):
            raise ValueError
        return tuple(key)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("The cursor is not one this API gave out.", field="after") from None


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 < first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"`first` must be from 1 to {MAX_PAGE_SIZE}.", field="first")
    return first
