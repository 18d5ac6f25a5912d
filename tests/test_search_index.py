"""The people search (R15) answers the same on SQLite, with its full-text index (issue 13 goal
4), as on PostgreSQL: both are compared with one plain-Python reference of the same people."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from tortoise import connections

from server import sql
from server.accounts import queries
from server.accounts import search as people_search
from server.accounts.models import ResourceKind
from server.accounts.people import ResourceUpdated, update_resource
from server.accounts.queries import Count, Person, ResourceStatus, resources_page
from server.licensing import services
from server.text import upper_case
from tests.conftest import ON_POSTGRES
from tests.factories import MAXIMUM, Org, make_org

MIGRATION = next(
    (Path(__file__).parent.parent / "server" / "migrations" / "models").glob("8_*_people_search.py")
)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="the full-text index is SQLite's")

CONSULTANT = ResourceKind.EXTERNAL_CONSULTANT
PEOPLE = [
    ("Anna Alm", "anna.alm@example.com"),
    ("ANNA BERG", "a.berg@example.org"),
    ("Hanna Annersson", "hanna@annex.example"),
    ("Ärzte Östlund", "aerzte@example.com"),
    ("ärztin Åsa", "asa@example.se"),
    ("Jörg Straße", "joerg@strasse.example"),
    ("Jörg STRASSE", "j.strasse@example.de"),
    ("Grüße ẞ", "gruesse@example.de"),
    ("Jürgen Ärger", "JÜRGEN@ÄRGER.example"),
    ("Yıldız Işık", "yildiz@example.tr"),
    ("YILDIZ Kaya", "kaya@example.tr"),
    ("İpek İnce", "ipek@example.tr"),
    ("Σοφία Παπαδοπούλου", "sofia@example.gr"),
    ("ΣΟΦΙΑ Νίκος", "nikos@example.gr"),
    ("Οδυσσεύς", "odysseas@example.gr"),
    ("Василий Иванов", "vasily@example.ru"),
    ("ВАСИЛИСА Петрова", "vasilisa@example.ru"),
    ("ანა გიორგაძე", "ana@example.ge"),
    ("ᲐᲜᲐ ᲒᲘᲝᲠᲒᲐᲫᲔ", "ana2@example.ge"),
    ("Emoji 😀 Person", "emoji@example.com"),
    ("Smiley 😀😀 Fan", "smile@example.com"),
    ('Quote "Q" Person', "quote@example.com"),
    ("Star * Person", "star@example.com"),
    ("AND OR NEAR", "ops@example.com"),
    ("Paren (x) Person", "paren@example.com"),
    ("Percent 100% Sure", "percent@example.com"),
    ("Under_Score", "under_score@example.com"),
    ("Back\\Slash", "back@example.com"),
    ("Colon name: Anna", "colon@example.com"),
    ("Caret ^ann", "caret@example.com"),
    ("O'Brien Ann", "obrien@example.ie"),
    ("Élodie Éclair", "elodie@example.fr"),
    ("ÉLODIE DUPONT", "e.dupont@example.fr"),
    ("ﬁnn Ligature", "finn@example.com"),
    ("\u212aelvin Kay", "kelvin@example.com"),
    ("Ⓐnna Circled", "circled@example.com"),
    ("µ Micro", "micro@example.com"),
    ("Μ Greek Mu", "mu@example.com"),
    ("ſtrange Long S", "longs@example.com"),
    ("Ꭰ Cherokee ꭰ", "cherokee@example.com"),
]
# Short texts, mixed case, accents and other letters, FTS5's words and signs, LIKE's wildcards.
SEARCHES = [
    *("ann", "ANN", "aNn", "nn", "n", "a", "Anna Alm", "anna alm", "  anna  ", "nna a"),
    *("ärz", "ÄRZ", "Ärzte", "ä", "Ä", "ö", "ü", "jürgen", "ÄRGER", "ær"),
    *("ß", "ẞ", "straße", "STRASSE", "strasse", "ss", "SS", "grüße", "GRÜSSE"),
    *("yıl", "yil", "YIL", "ışı", "IŞI", "işi", "ı", "i", "İ", "ipek", "İPEK"),
    *("σοφ", "ΣΟΦ", "σ", "ς", "ευς", "ΕΥΣ", "εύς", "σσε", "µ", "μ", "Μ", "µ m", "μ m"),
    *("вас", "ВАС", "василиса", "ана", "ანა", "ᲐᲜᲐ", "ან", "ꭰ c", "Ꭰ C", "ꭰ"),
    *("😀", "😀😀", "😀 p", "ji 😀", '"', '"q"', "'", "o'b", "O'BRIEN", "*", "star *", "r *"),
    *("AND", "and or", "NEAR", "near", "(x)", "x)", "(", "name:", "name: anna", "^ann", "^"),
    *("%", "100%", "0% s", "_", "under_", "r_s", "\\", "k\\s", "back\\slash", "a%b", "a_b"),
    *("é", "É", "ÉLO", "élo", "ﬁ", "ﬁnn", "FINN", "fin", "k", "K", "kel", "KEL", "kay"),
    *("ſt", "st", "ST", "long", "LONG S", "Ⓐnn", "ⓐnn", "ⓐ", "ⓐnna c"),
    *("example", "@example.com", ".gr", "xyz", "zzz", "admin"),
]

# ß is no SS, ε no έ, and % and _ are no wildcards.
FOUND_BY_NOBODY = {"GRÜSSE", "ευς", "ΕΥΣ", "ана", "a%b", "a_b", "xyz", "zzz", "ær"}


def reference(people: list[Person], text: str) -> list[Person]:
    """Who a search should find: everyone whose name or e-mail address holds the text, capitals
    and small letters alike (as PostgreSQL's UPPER writes them: see the test below that proves
    `upper_case` equal to it), by name and then id."""
    wanted = upper_case(text.strip())
    found = [p for p in people if wanted in upper_case(p.name) or wanted in upper_case(p.email)]
    return sorted(found, key=lambda p: (p.name, p.id))


async def add_people(org: Org) -> None:
    for n, (name, email) in enumerate(PEOPLE):
        outcome = await services.add_resource(
            org.actor,
            services.NewResource(
                name=name,
                email=email,
                kind=CONSULTANT if n % 3 == 0 else ResourceKind.EMPLOYEE,
                start_date=date(2025, 1, 1),
            ),
            accept_increase=True,
            maximum=MAXIMUM,
        )
        assert isinstance(outcome, services.ResourceAdded)


async def everyone(org: Org) -> list[Person]:
    page = await resources_page(org.org, status=ResourceStatus.ALL, first=500)
    assert not page.has_next_page
    return page.resources


async def searched_pages(org: Org, text: str, kind: ResourceKind | None, size: int):
    """Every page of a search, and the total of the first."""
    found, after, total = [], None, None
    while True:
        page = await resources_page(
            org.org, status=ResourceStatus.ALL, kind=kind, search=text, first=size, after=after
        )
        total = total or await page.total_count()
        found += page.resources
        if not page.has_next_page:
            return found, total
        after = page.end_cursor


@pytest.mark.parametrize(
    ("common", "walk"),
    [(None, None), (1, None), (None, 2), (None, 0)],
    ids=["index-where-it-serves", "no-index", "short-walk", "no-walk"],
)
async def test_searches_answer_as_the_reference_on_both_databases(db, monkeypatch, common, walk):
    """issue 13 goals 4 and 5, R15: for many searches (short texts, capitals, accents and other
    scripts, FTS5's words and signs, LIKE's wildcards), on whichever database the run uses,
    the people found, their order on every page, and the count with its limit are the
    reference's. Run with and without the full-text index (with it, on SQLite, every text of 3
    characters or more but those `search.indexed` turns away is looked up in it), and, on
    PostgreSQL, with a walk through the list long enough for every page, short enough that
    some pages are read through the trigram indexes, and none at all."""
    if common is not None:
        monkeypatch.setattr(people_search, "COMMON", common)
    if walk is not None:
        monkeypatch.setattr(queries, "WALK_ROWS", walk)
    monkeypatch.setattr(queries, "COUNT_LIMIT", 4)
    org = await make_org()
    await add_people(org)
    await org.refresh()  # its kept counts, as a request reads them with the viewer
    people = await everyone(org)
    assert len(people) == len(PEOPLE) + 1
    for text in SEARCHES:
        expected = reference(people, text)
        assert (expected == []) == (text in FOUND_BY_NOBODY), text
        for kind in (None, ResourceKind.EMPLOYEE, CONSULTANT):
            wanted = [p for p in expected if kind is None or p.kind is kind]
            found, total = await searched_pages(org, text, kind, size=100)
            assert [p.name for p in found] == [p.name for p in wanted], (text, kind)
            assert found == wanted, (text, kind)
            assert total == Count(min(len(wanted), 4), exact=len(wanted) <= 4), (text, kind)
        # Page after page, a few people at a time, the same people in the same order.
        assert (await searched_pages(org, text, None, size=2))[0] == expected, text


@pytest.mark.postgres_only
async def test_upper_case_is_postgresqls_upper_for_every_character(orm):
    """issue 13 goal 4, R15: the reference's capitals, which SQLite's UPPER writes too (see
    server/db.py), are PostgreSQL's, character for character, for every character there is."""
    everything = [chr(i) for i in range(1, 0x110000) if not 0xD800 <= i <= 0xDFFF]
    rows = await connections.get("default").execute_query_dict(
        "SELECT c, UPPER(c) AS u FROM unnest($1::text[]) AS c", [everything]
    )
    differ = [(r["c"], r["u"]) for r in rows if upper_case(r["c"]) != r["u"]]
    assert len(rows) == len(everything)
    assert differ == []
    assert upper_case("Straße ᾳ ǆ ı") == "STRAßE ᾼ Ǆ I"


def _migration():
    spec = importlib.util.spec_from_file_location("people_search_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_index_misses_nobody_upper_case_matches():
    """issue 13 goal 4, R15: the characters the index holds replaced are the migration's, and
    the characters `search.indexed` keeps away from the index are derived again here from
    SQLite's own case folding: two characters of the same capital are one letter to the index
    (after the replacements), unless the search keeps both away from it. The two characters
    SQLite's comparison of an ASCII text replaces are all it needs to."""
    replaced = {chr(k): v for k, v in people_search.REPLACED.items()}
    assert replaced == _migration().REPLACED
    same_capital: dict[str, list[str]] = defaultdict(list)
    for i in range(0x110000):
        if not 0xD800 <= i <= 0xDFFF:
            same_capital[upper_case(chr(i))].append(chr(i))
    index = sqlite3.connect(":memory:")
    index.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram case_sensitive 0')")

    def one_letter(a: str, b: str) -> bool:
        index.execute("DELETE FROM t")
        index.execute("INSERT INTO t VALUES (?)", [b * 3])
        found = index.execute("SELECT count(*) FROM t WHERE t MATCH ?", [f'"{a * 3}"'])
        return found.fetchone()[0] == 1

    apart = set()
    for letters in same_capital.values():
        held = [replaced.get(c, c) for c in letters]
        if not all(one_letter(held[0], c) and one_letter(c, held[0]) for c in held[1:]):
            apart.update(letters)
    kept_away = {chr(i) for a, b in people_search.UNFOLDED for i in range(a, b + 1)}
    assert apart == kept_away
    assert "ı" not in apart and "в" not in apart  # served by the replacements
    # And what lets SQLite compare an ASCII text without UPPER: only ı and ſ have an ASCII
    # capital without being ASCII themselves (search.ascii_capitals).
    ascii = [letters for capital, letters in same_capital.items() if capital.isascii()]
    assert {c for letters in ascii for c in letters if not c.isascii()} == {"ı", "ſ"}
    assert people_search.indexed("Yıldız") and not people_search.indexed("ანა")
    assert not people_search.indexed("an")


def test_the_match_query_is_one_phrase_whatever_the_text():
    """issue 13 goal 4, R15: any text becomes one FTS5 phrase that SQLite accepts, its
    double quotes doubled; FTS5's words and signs stay text."""
    index = sqlite3.connect(":memory:")
    index.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram case_sensitive 0')")
    index.execute("INSERT INTO t VALUES ('a \"b\" OR c*d NEAR(e) x:y ^zz -w')")
    texts = {
        'a "b"': 1,
        '"b" OR': 1,
        "c*d": 1,
        "NEAR(e)": 1,
        "(e)": 1,
        "x:y": 1,
        "^zz": 1,
        " -w": 1,
        'b" OR "z': 0,
        "a OR zzz": 0,
        "c* NEAR": 0,
        '"""': 0,
        "😀😀😀": 0,
        # Shorter than three characters: found nowhere, which is why `indexed` refuses them.
        "x:": 0,
        '"b': 0,
    }
    for text, count in texts.items():
        query = people_search.match_query(text)
        assert query.startswith('"') and query.endswith('"')
        found = index.execute("SELECT count(*) FROM t WHERE t MATCH ?", [query]).fetchone()[0]
        assert found == count, text


async def statements_of(monkeypatch, org: Org, text: str) -> list[tuple[str, list]]:
    """The statements a searched page and its count run."""
    ran: list[tuple[str, list]] = []
    originals = {name: getattr(sql, name) for name in ("fetch", "fetch_planned")}

    def recording(run):
        async def record(statement: str, params: list) -> list[dict]:
            ran.append((statement, params))
            return await run(statement, params)

        return record

    for name, run in originals.items():
        monkeypatch.setattr(sql, name, recording(run))
    page = await resources_page(org.org, search=text, first=10)
    await page.total_count()
    for name, run in originals.items():
        monkeypatch.setattr(sql, name, run)
    return ran


async def plan(statement: str, params: list) -> str:
    query = "EXPLAIN QUERY PLAN " + sql._for_dialect(statement, True)
    rows = await connections.get("default").execute_query_dict(query, params)
    return "\n".join(row["detail"] for row in rows)


@sqlite_only
async def test_sqlite_reads_the_index_once_for_a_rare_text_of_three_characters_or_more(
    db, monkeypatch
):
    """issue 13 goal 4, R15: on SQLite, a search for a text few people match reads the
    full-text index once, for at most COMMON ids (so the plan says); the page and the count
    then look those people up by id, not the organisation's people, and match the text in
    the index no more. A text of two characters cannot use it (no run of three), nor can a
    common one, whose page and count read the list as without the index."""
    org = await make_org()
    await add_people(org)
    probe, page, count = await statements_of(monkeypatch, org, "anna")
    assert "resource_search" in await plan(*probe)
    assert probe[1][1:] == [people_search.COMMON]  # the read is bounded
    for statement, params in (page, count):
        assert "MATCH" not in statement
        used = await plan(statement, params)
        assert "SEARCH resource USING INTEGER PRIMARY KEY" in used, used
        assert "SCAN resource " not in used, used
    for text in ("an", "ანა"):
        for statement, _ in await statements_of(monkeypatch, org, text):
            assert "resource_search" not in statement, text
    monkeypatch.setattr(people_search, "COMMON", 3)  # "anna": 4 people and more
    ran = await statements_of(monkeypatch, org, "anna")
    assert [s for s, _ in ran if "MATCH" in s] == [ran[0][0]]  # only the look how common
    assert not any("json_each" in s for s, _ in ran)
    assert people_search.indexed("anna")


async def index_rows() -> list[tuple]:
    rows = await connections.get("default").execute_query_dict(
        'SELECT "rowid" AS id, "name", "email" FROM "resource_search" ORDER BY "rowid"'
    )
    return [(r["id"], r["name"], r["email"]) for r in rows]


async def people_rows() -> list[tuple]:
    rows = await connections.get("default").execute_query_dict(
        'SELECT "id", "name", "email" FROM "resource" ORDER BY "id"'
    )
    held = str.maketrans(people_search.REPLACED)
    return [(r["id"], r["name"].translate(held), r["email"].translate(held)) for r in rows]


async def names_found(org: Org, text: str) -> list[str]:
    page = await resources_page(org.org, status=ResourceStatus.ALL, search=text)
    return [p.name for p in page.resources]


@sqlite_only
async def test_sqlite_triggers_keep_the_index_in_step_with_the_people(db):
    """issue 13 goal 4, R15: the index holds every person's name and address (with the
    replaced characters) after people are added, renamed, given another address and deleted,
    and FTS5's own integrity check agrees."""
    conn = connections.get("default")
    org = await make_org()
    await add_people(org)
    assert await index_rows() == await people_rows()
    yildiz = next(p for p in await everyone(org) if p.name == "Yıldız Işık")
    assert await names_found(org, "yildiz") == ["YILDIZ Kaya", "Yıldız Işık"]

    renamed = await update_resource(
        org.id, yildiz.id, name="Zeynep Quokka", email=None, actor_role=None, by_token=False
    )
    assert isinstance(renamed, ResourceUpdated)
    assert await index_rows() == await people_rows()
    assert await names_found(org, "quokka") == ["Zeynep Quokka"]
    assert await names_found(org, "yildiz") == ["YILDIZ Kaya", "Zeynep Quokka"]  # the address

    moved = await update_resource(
        org.id, yildiz.id, name=None, email="wombat@example.tr", actor_role=None, by_token=False
    )
    assert isinstance(moved, ResourceUpdated)
    assert await index_rows() == await people_rows()
    assert await names_found(org, "wombat") == ["Zeynep Quokka"]
    assert await names_found(org, "yildiz") == ["YILDIZ Kaya"]

    # The product deletes no person; one deleted by hand leaves the index (and, here, the
    # organisation's kept count of its active employees, which the test's end checks).
    gone = await org.add("Wombat Gone", access=False)
    assert await names_found(org, "wombat") == ["Wombat Gone", "Zeynep Quokka"]
    await conn.execute_query('DELETE FROM "resource" WHERE "id" = ?', [gone.id])
    await conn.execute_query(
        'UPDATE "organization" SET "active_employees" = "active_employees" - 1 WHERE "id" = ?',
        [org.id],
    )
    assert await index_rows() == await people_rows()
    assert gone.id not in [id for id, _, _ in await index_rows()]
    assert await names_found(org, "wombat") == ["Zeynep Quokka"]
    await conn.execute_script(
        'INSERT INTO "resource_search" ("resource_search") VALUES (\'integrity-check\')'
    )
