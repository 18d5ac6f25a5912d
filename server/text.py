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


def _upper_char(character: str) -> str:
    upper = character.upper()
    if len(upper) == 1:
        return upper
    # Unicode's full mapping made more than one character (ß, ŉ, ᾳ): its simple mapping is the
    # one-character title case where there is one (ᾳ to ᾼ), else the character itself.
    title = character.title()
    return title if len(title) == 1 else character


def upper_case(value: object) -> object:
    """`value` in capitals as PostgreSQL's UPPER writes a text: each character by Unicode's
    simple uppercase mapping, one character for one (ß stays ß, where Python's `upper` writes
    SS). Anything but text is returned as it is. Linear in the text."""
    if not isinstance(value, str):
        return value
    upper = value.upper()
    # No character maps to nothing: the same length means every one mapped to one.
    return upper if len(upper) == len(value) else "".join(map(_upper_char, value))


def plural(count: int, one: str, many: str) -> str:
    """`count` and the noun that goes with it: "1 person", "1,000 people"."""
    return f"{count:,} {one if count == 1 else many}"
