"""Searching people by a fragment of their name or e-mail address (R15): what the search
matches, and, on SQLite, how its full-text index narrows the rows read.

A person matches when UPPER(name) or UPPER(email) holds UPPER(text): server/accounts/queries.py
writes that condition (on SQLite, UPPER is PostgreSQL's, see server/db.py, and a text of ASCII
characters is compared as `ascii_capitals` says). PostgreSQL finds the candidates with the
trigram indexes of migration 4. SQLite finds them with the FTS5 table `resource_search` of
migration 8 (trigram tokenizer, case folded), kept in step with the people by triggers; the
LIKE condition is still checked on every candidate, so both databases give the same rows
whatever the index proposes, as long as it proposes every person who matches. It does so when
each character of the text folds to the same letter as every character with the same capital,
after the replacements below; `indexed` says when a text qualifies.
"""

from __future__ import annotations

import re

from server import sql

# A text the index finds in this many people or more (of every organisation) is searched
# without it: the index proposes people in no order, and every one it proposes is read and
# sorted by name (about 1.5 µs each: 15 ms for 10 000, 150 ms for 100 000), where reading the
# organisation's people in name order finds a page of such a common text after a few hundred
# (at 100 000 people, both ways take about 15 ms for a text found in 10 000).
COMMON = 10_000

# On SQLite, a text of ASCII characters only is compared without UPPER: SQLite's LIKE itself
# ignores the case of ASCII letters (and only theirs), and the only other letters whose capital
# is an ASCII one, ı (I) and ſ (S), are replaced in the column's text by i and s first, where
# the text has an i or an s. That answers as UPPER(column) LIKE UPPER(text) does, without
# calling PostgreSQL's UPPER, written in Python (server/db.py), twice for every person read.
_ASCII_CAPITALS = (("i", "replace({}, char(305), 'i')"), ("s", "replace({}, char(383), 's')"))


def ascii_capitals(column: str, text: str) -> str:
    """SQL of the column's text that SQLite's LIKE compares with the ASCII `text` as PostgreSQL
    compares their UPPER."""
    lowered = text.lower()
    for letter, replaced in _ASCII_CAPITALS:
        if letter in lowered:
            column = replaced.format(column)
    return column


# The trigram tokenizer indexes runs of three characters: a shorter text has none to look up,
# and is searched by the LIKE condition alone, which reads every person of the organisation.
SHORTEST_INDEXED = 3

# Characters the index holds as another letter of the same capital, as migration 8's triggers
# write them: the tokenizer's case folding (Unicode 6.1's) does not know these pairs, which
# UPPER treats as one letter (ı and i are both I).
REPLACED = str.maketrans(
    {
        "\u0131": "i",
        "\u1c80": "\u0432",
        "\u1c81": "\u0434",
        "\u1c82": "\u043e",
        "\u1c83": "\u0441",
        "\u1c84": "\u0442",
        "\u1c85": "\u0442",
        "\u1c86": "\u044a",
        "\u1c87": "\u0463",
        "\u1c88": "\ua64b",
    }
)

# Letters whose capital is shared with a letter the tokenizer folds differently even after the
# replacements (scripts and letters added to Unicode after 6.1: Georgian, Cherokee, Osage, …):
# a text holding one is searched without the index, so that nobody is missed. Derived from
# SQLite's folding and Python's case mappings; tests/test_search_index.py derives it again.
UNFOLDED = (
    (0x025C, 0x025C), (0x0261, 0x0261), (0x026A, 0x026A), (0x026C, 0x026C), (0x0282, 0x0282),
    (0x0287, 0x0287), (0x029D, 0x029E), (0x037F, 0x037F), (0x03F3, 0x03F3), (0x0528, 0x052F),
    (0x10D0, 0x10FA), (0x10FD, 0x10FF), (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1C90, 0x1CBA),
    (0x1CBD, 0x1CBF), (0x1D8E, 0x1D8E), (0x2C2F, 0x2C2F), (0x2C5F, 0x2C5F), (0xA698, 0xA69B),
    (0xA794, 0xA794), (0xA796, 0xA79F), (0xA7AB, 0xA7AE), (0xA7B0, 0xA7CA), (0xA7D0, 0xA7D1),
    (0xA7D6, 0xA7D9), (0xA7F5, 0xA7F6), (0xAB53, 0xAB53), (0xAB70, 0xABBF), (0x104B0, 0x104D3),
    (0x104D8, 0x104FB), (0x10570, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592),
    (0x10594, 0x10595), (0x10597, 0x105A1), (0x105A3, 0x105B1), (0x105B3, 0x105B9),
    (0x105BB, 0x105BC), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2), (0x118A0, 0x118DF),
    (0x16E40, 0x16E7F), (0x1E900, 0x1E943),
)  # fmt: skip
_UNFOLDED = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in UNFOLDED) + "]")


def indexed(text: str) -> bool:
    """Whether the full-text index finds every person `text` matches. Linear in the text."""
    return len(text) >= SHORTEST_INDEXED and _UNFOLDED.search(text) is None


def match_query(text: str) -> str:
    """The FTS5 query for people whose name or address holds `text`: one phrase, in double
    quotes, inside which FTS5 reads every character as text (AND, OR, NEAR, *, ^, parentheses,
    colons alike) once each double quote is doubled. The trigram tokenizer makes the phrase
    its runs of three characters, which must follow each other: the text itself, case folded."""
    return '"' + text.translate(REPLACED).replace('"', '""') + '"'


async def matches(query: str) -> str | None:
    """The ids of the people (of every organisation) the FTS5 `query` matches, as a JSON array
    for `json_each`, when fewer than COMMON do; None when the text is common. One read of the
    index, at most COMMON ids, in the index alone (at most about 2 ms, however common the
    text): the page and its count then look the candidates up by id instead of matching the
    text in the index again (about 2 ms saved per search at 100 000 people)."""
    rows = await sql.fetch(
        'SELECT COUNT(*) AS "n", json_group_array("rowid") AS "ids" FROM (SELECT "rowid" '
        'FROM "resource_search" WHERE "resource_search" MATCH $1 LIMIT $2) AS "matched"',
        [query, COMMON],
    )
    return rows[0]["ids"] if rows[0]["n"] < COMMON else None
