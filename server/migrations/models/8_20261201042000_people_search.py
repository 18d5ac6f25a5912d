"""On SQLite, a full-text index of the people's names and e-mail addresses, so that searching
for a fragment of either needs no scan: an FTS5 table with the trigram tokenizer (which folds
case), filled from the people there are and kept in step with them by triggers on insert, on
a change of name, address or id, and on delete. The search still checks its LIKE condition on
every row the index proposes: the index only narrows the rows read.

The index holds each text with a few characters replaced by another of the same capital (the
Turkish dotless i by i, the old Cyrillic letter forms by the letters they are forms of): the
tokenizer's case folding does not know those pairs, which PostgreSQL's UPPER, that the search
compares by, treats as one letter. server/accounts/search.py replaces the same characters in a
searched text.

PostgreSQL needs none of this: the trigram indexes of migration 4 serve the same search.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# Each character, and the one the index holds in its place.
REPLACED = {
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


def _indexed(column: str) -> str:
    """SQL of a column's text as the index holds it (characters by their code points, so that
    the schema's text is plain ASCII)."""
    text = column
    for found, held in REPLACED.items():
        text = f"replace({text}, char({ord(found)}), char({ord(held)}))"
    return text


def _insert(prefix: str) -> str:
    """SQL adding the index's row of a person (`prefix` "new." in a trigger, "" in a select)."""
    name, email = _indexed(f'{prefix}"name"'), _indexed(f'{prefix}"email"')
    return (
        'INSERT INTO "resource_search" ("rowid", "name", "email") '
        f'SELECT {prefix}"id", {name}, {email}'
    )


SQLITE = f"""
CREATE VIRTUAL TABLE "resource_search" USING fts5(
    "name", "email", tokenize = 'trigram case_sensitive 0'
);
{_insert("")} FROM "resource";
CREATE TRIGGER "resource_search_insert" AFTER INSERT ON "resource" BEGIN
    {_insert("new.")};
END;
CREATE TRIGGER "resource_search_update" AFTER UPDATE OF "id", "name", "email" ON "resource" BEGIN
    DELETE FROM "resource_search" WHERE "rowid" = old."id";
    {_insert("new.")};
END;
CREATE TRIGGER "resource_search_delete" AFTER DELETE ON "resource" BEGIN
    DELETE FROM "resource_search" WHERE "rowid" = old."id";
END;
"""

SQLITE_DOWNGRADE = """
DROP TRIGGER IF EXISTS "resource_search_insert";
DROP TRIGGER IF EXISTS "resource_search_update";
DROP TRIGGER IF EXISTS "resource_search_delete";
DROP TABLE IF EXISTS "resource_search";
"""

# Nothing to do on PostgreSQL, which searches with the trigram indexes of migration 4. The
# migration tool refuses an empty text to undo, and the driver a text of comments only: a
# statement that changes nothing.
POSTGRES = "SELECT 1;"

SQL = {"postgres": POSTGRES, "sqlite": SQLITE}
DOWNGRADE = {"postgres": POSTGRES, "sqlite": SQLITE_DOWNGRADE}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return SQL[db.schema_generator.DIALECT]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.schema_generator.DIALECT]


MODELS_STATE = (
    "eJztXWtz4jYX/isavjQ7k2Q22STt0E+EZbu0BHYS0isdx9gC9MZIrCWHTdv9768k2/gONl"
    "fj1ZcEZB3JPEc6OjdJ/9amxIQWPW/MUJ88Q1yrg39rWJ9C/iHx7BTU9NkseCIKmD60ZGV9"
    "hjS2qDakzNYNxh+MdItCXmRCathoxhARndQaGCDM4NjWRcl3FBg2NCFmSLfOQX8CgWwLIE"
    "ahNQKIAjohcwwINuCP/K/1Kh6Bh4+Ns8vrG/H8Gc7YqejbJAbvHOHx7roZ4DliE6CL2jYD"
    "MxuO0BdACZhBMrMgMHQMGLQswCYQ2W4fFOgz3Wbn4hUdjD47kMM1hryGzV/0r795McIm/A"
    "Kp/3X2rI0QtMwIT5ApGpDlGnudybI2Zh9kRfHrh5pBLGeKg8qzVzYheFGb4yFKxxBDjgoU"
    "zTPbESzCjmV57PS55r5pUMV9xRCNCUe6YwlGC2r3BYKymqZ1e33todXXtFpiEPgUIYZ5RQ"
    "bBYgDxV6Xy14/FK5xdXlx9f/XDu5urH3gV+ZqLku+/ul0HwLiEEp5uv/ZVPteZ7taQGAeg"
    "yv8JWJsT3U7H1a8fQ5a/chxZH8dl0PoFAbbBnNkHuFP9i2ZBPGYT/vXi7dslUP7auG9+bN"
    "yf8FpvRJeET3J3+ne9R5fuM4F3gK87QYogHFBUEeObPBDfZCN8EwdYShhtotNJEZCjVNsB"
    "+rByIgLzzVUOmG+uMmEWj6IwU4OINgpAHFCUeRzXHma6Ac8o5CuUeBkQvHZR0C9zyY/LJf"
    "LjMik/+KItXkvTWRL79/wJQ1OYjn+UMsYD0yM99z+UhyO5h/wSsPvtu9ZDv3H3STQ/pfSz"
    "JfFq9FviyaUsfY2VnsSlzqIR8Fu7/xGIr+DPXrcl4SSUjW3ZY1Cv/2dNvJPuMKJhMtd0M4"
    "yJX+wXRdhs6ZRpDl2L0XHaLbDak1yK09vntA1f+NqzDp+jlIrLZeayL3yHr1ohsyVBt9qC"
    "KT9jt2PDBOASe6xj9I+0a4vBm0K5FsBlWwq3gbCwu0fPqUZiGLYk2h+IDdEY/wJfJeht/m"
    "Y6NtKsRM+r0os1d2Rgf/VHlV8azDhbny8cF2mDjX/gCEAm0bjnUua+3ezXMiTHFpC+h5Q4"
    "tnG8i8FKkBMCMwIxfwvQfex0anJ0D3Xjea7bppYxzI2JjseQalPdTPGJ3HrUH365h9Zi7K"
    "bj3kEGxBQ2ZYPVAV+iSC5JCL0IrslH08tpvETH+lj+JNG36ClNKqT4YuNSI9sfGxdXOVyy"
    "wHAoI1Non4MnoUo/AUM3JpAKNyaw0AsEBnEwA2TEv0neUoAw4FXByf3Fm1OgY1PWHfH5ln"
    "TFbrX5AfZ9rYIm1AZ2pkNoi0a8CsNXwCUEc6ikf+ajCZzMJzrzSCgnlm28qQPI32eAEXU9"
    "v/CFt+NOB1O8iKjPIcSUo8gh4995I950ATqwPTFzCqRzmE14OzaZA4sYXGEd4JMn2Y02gz"
    "Yl+OmN8gQrT3C51vQ9eHKEUab9Q3AhkCNE+0O69thv1vYC9fY9lZ4A1aTIKSAnEnT7swze"
    "llpkBNCKpasAon51BWQcSLGMvkANTmcWeYVpfvVMUNNIDwjw29KBKnrh76aLXgrDGiNWwL"
    "o/e4Pxmk6sgI1gs96YzSJX4NZU5Gwp1PwHmj1u6NU8uz4b1zJ53j1rK+F4T3gu8zh7Fklb"
    "KTOuiKsnnCJ2ZMMg080TjVe5tv2GMBXwRB4lTAvrwXWK7Nd9eJSIUS5kNYfq4w19rQ+8nU"
    "e/mSoChfALQRtPwLbbSlVBos5w0fiGSD2EmqoqXMjk6jhhEBuv2jN83XRsBa39Al+rhNku"
    "Ax6LJTEl2BFeLrMDHXa4Vo4gh+t/BzYcI8qg7fr2dQzcgAmVXD5PiV7kpkvx6f+VCMfAqY"
    "6s2t8xZ3+ynmvciE++qxmZNU6VrLnqedCSiIHEKVSYQYUZqhNmcGdXAYAXBFVE+DpPeIHX"
    "ykb4OhFg8GVIEuAWdqaJzIwI2D7tHkM5rbtPnd4frVbBeM6Crg78TwPc+r3fuu82Olqz13"
    "147PQb3T5/nCyMryG5eJWLVUs4lWCUTawMUbOaUT7tHhl117q7bd0XZVPj/V27Wwfy3wDf"
    "tx56j/fNlnbX6DZ+at3XQbxkgN1+6iDU38FZFazQMS2UcD7oeJnPPoVLQ061Kzb5a/F+E2"
    "Bve71OxAN32+7H0H0U3Dy5kKDzSsjNgEr6RS0yRljTDW5Rpqn9ywCPk+4R9kXJ0eLOBY3N"
    "NOE1TvdHZ+yiiVAt80Uf4WK9BHjhS44PXLHPYU7sZw5HSnJkNoYJwg1hLGe2Xk4UZzqlHA"
    "uz8Ja5BOFaS2PJsFM7uFQcamtxKLVHYZ/xXQbtKcIuTNSYQNOx1thws6IVtf2mAPDupurt"
    "wB9uSzFB7dAp0Q6drDG7Bdyrv19nhbzN2L2TX/xsgQkFMjqqxoSw1N1gIxWFlG4hDuu2Ui"
    "H5E7UL1G6zNdAyxPlUNhbtKczyJY5oFsJbyh7pIFwlsHYZ3felV0pwPyTYsmP7NFQpR2if"
    "8iUOmmcIg6FN5lTsNBSGtdy555/hRkbyq0HIM4LfUf8AOAoo42ukmRb531azG2z2Uwc87X"
    "DbVHacXrmtsllRXbcV/DJDvLU1uB6lrCDXj4TLPiYrDiFy7cxizpoYlfJKrvbLhDP09ucb"
    "KBvIee3S2ACLWKDNxkOz8b61zADdqTrHedXG/YlNGJMYJ7W6aI3lyh2vqyHO4nDtlVreBx"
    "1Z4oRCTsw1MirSMgE8E+lbgM99Dp57zoMoNiwEMfOLT8GI2EAAcUZGo6Set82GN9D0nmGK"
    "Dy1bxfOqV063e5crCvluSRTynR+FzFbvRpy5jl1oJ2eYRG3pTqTViCQDD6J1D3GMkisdqt"
    "Q61NA93UZzMEtLuF3O7gSxOs6xbLwusKt0l4pH1FGZonckPJnZakd0k2I+paMrz4JyZqY8"
    "HRnz5d7VyUx5UwCY24gxiOvgaWSTqXt4ypNwCYkDpeQhUPCzw1sGTxxe92lC/dh+FwPsOa"
    "XE0yHkSgoEiPknWVEOYK69Kyu3qGRtOCGG4di26wNR+0v2ur8kDH1BoRwjreD6W2HPVSAb"
    "iqi0ESLl0EjL9iGFUQ2TKExTMOWzkKbl6eTcmrKgLvOOLf6z2/12o1MH3ocBvmt0H0WB+3"
    "+AG4/9ntbuNu9bjYdWHUS+DnC/dX/X7jb67V63DkJf4urDwTasEFsrupkxSlVm9pUpgxqO"
    "RtA96Cht0mTn/cfpvundE+7QK6RyhklUDmbqgXMcnzWyXpOECl51zP8h9JBDhQErOHRVdn"
    "YpsrOlbN1vuLVkgzkvvuHlPS+wKsm6ILyZGdXpIB8mX+BIEV6WLhDAmydhXWXKHjRT1j/A"
    "LzVXNnS637Js2fBhgqujGn15AYYBRXzBvXrDv2HDK13cv6GPmMiGeIH2q3fjhQw9IBEjqL"
    "vhBGgj9yqPRGRjN90M8ASJ3FpZ02bA5LOCnoPf3DhJ2n0dfoqubPhHgGXABZqI5U7PVTEO"
    "FeM4KvWy7DGNXDkGR3iXRemn1RFdZ3FEWCpnjfIpHF7ob9GncJhsH/+U5hRNOHSAc7YejE"
    "KVVirBbUodaALvPjh50pTQFHUwRBa3hMYi4RcR09cX/fvgpKoqfioVm8GgTAsOZ9MktOAd"
    "9TPAXlIypz0F8wkyJrIDd0yCYCyAZwhnVI4HMCFz2QnnwCtA4sVsCmynwPG1boea/BmJU2"
    "yVHrxPPdi98LBIADagqF7a+GWerPHL7KTxy3jcNTLSU+2MdJDjdN903NUDA6adGbsSQph6"
    "Wuy3BaAU0uuYuhFCZeiW2tCVTglsFNr/E6apYCrNuzziPFuaJ64fJUxP2aawJInPq6+Msa"
    "zdPq6iWszaTRKWGV/pwMZwDinzL6b2vdPykmfP3AC6+T9H3CY9IonLr5X74XhHvHI/lND9"
    "EPYO7zlaeSyw7zRcGYYs203jI7rSVSNjzrn8NdmwpPotQq4grq0h2YhyVxzSXbFgQ35owy"
    "RqWUpZ+I/rMpY1NLBbuTfiVm6JaLx/r/XkZR/iv/j+8+ND/64lbmEJPufUwCLGxsVNDmvj"
    "Im4hBuaGeBRlTPhnpPInfcDHyMrMmnXtuu0d7xCg/dnRMUMsxX7OFC1hEiVa0tL7pwWj7g"
    "GBwjPtQu41zOXNLeWSZdht/wp5V4ssprBFiNRgVVsjDuZHCFkpG7oQqnfB8WnMexCdtjmy"
    "yYNzPjbEtqKnJccBjqw2Klu/XNn6u/TpfLL01JOaZfnpMi/OzK+R5/plW/jKLUQZgJjZr3"
    "Uwn+gMEAwD5zoRbnSR6RLNjUm9lXnD5jY4qU+5h9TNyLu0kS9y2cgXS2zki6SNLOeLxieA"
    "5k2PIn64NNoyK861OyQO0uK9cAFwwl+Z0TdSEPiiIcidO0zETkX8dx3x90S+FnB5HSdpsp"
    "UyI1+763X7Hzt/1IH34XDO0ITRkyekR53h4udsen1OqKnqaJW73YkYhixtM2IM0iX7EeM1"
    "V6qHvwndTceRDGfgNTMU+/5IHQhZLhTOUym9ddM84/CAOWIToHvqoLvTD9mAzHFSadxVJ+"
    "vsH+TyhjlUbR3cr5JZ+XjZp06jWwfibzxeVo64mNLyd6vle2JlzSEeUJcZ71qj2W//Ko7M"
    "k/8HuNnoNludTut9HSw+lmO4y00AtODBbRGibzr5HWKzKHghkm/5nnth+WpSXSmgRUSJ1C"
    "UHcaP9aNIMLo4EUJW3vGuEhSlTDNkQhQrgqkTwEp1t5webNsTYj2od1zjOC21o+pYqxtg2"
    "4XRGmPBfc1bV0lLHozVOl2aPB3U17yKsbSeQx2f24mRF0V88k/yv8LWfyqezX5/OAe9NO/"
    "TitvvTxzMOFF1xyPt+Ea7V9oLvVR54r7LRvUqAS2YCi4I54hGiCg7jbV3uHLochXcObW7Y"
    "puUzZwMdI1NQ54CaOMwgaS7ePvySZcoFJJWAeNnBBK3f5f6UxZkEPpQnd43fJcqLcwk6ve"
    "5PfvUQ9M1O7zaeSqCuKs8c7dW98Em5TpSlf3ght7Glf+B7rRvQRsaklmKNek9Ol1mhelBn"
    "q8anykM9oDn5Am1aUCMPkVRCg4mZldfXeczK6+tss1I8i5mVfFIVQNirXkF0d5IFwHtkMM"
    "3Y+fmh183QBQOSuCKIDAb+k5n2R4j2EnAFGMu18bjiHVPjRAO3xXIdt7+Yff0/pAhpbw=="
)
