"""The benchmark data set, written straight into a migrated database with bulk SQL.

One big organisation: 100 000 people (a tenth external consultants, a tenth terminated) and
1 000 000 rows of licence history forming one unbroken chain (R8) that ends at its licence
count, with `used` the live count of active employees who can sign in (R1, R2). It has the
plan, and one issued invoice after which exactly 10 000 changes follow, so that `nextInvoice`
has 10 000 adjustment lines. Next to it, 50 small organisations of 20 people each.

Every administrator signs in with `PASSWORD`. Ids are given explicitly, so that the people of
each organisation have consecutive ids (the load scripts pick people by id).

PostgreSQL is filled with COPY, SQLite with executemany, each in one transaction: a database
either holds the whole seed or none of it. The big organisation's name is the marker that
the seed is there; `python bench/seed.py DATABASE_URL` seeds one database by hand.

`--scale 10` (PostgreSQL only) makes the big organisation ten times as big, the rest alike:
1 000 000 people and 10 000 000 history rows, still the 10 000 changes after the invoice; the
small organisations are left out. The rows are made as they are written, so memory stays
small.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg

from server.accounts.models import PEOPLE_COUNTS, ResourceKind
from server.accounts.passwords import hash_password
from server.billing.proration import period_of

BIG_ORG_NAME = "Benchmark Big Organisation"
BIG_ORG_ID = 1
BIG_ORG_ZONE = "Europe/Stockholm"
BIG_ADMIN_EMAIL = "admin@big.bench.example"
PASSWORD = "bench-password-2026"

RESOURCES = 100_000
HISTORY = 1_000_000
CHANGES_AFTER_INVOICE = 10_000
SMALL_ORGS = 50
SMALL_ORG_PEOPLE = 20
SPARE_LICENSES = 500

SEED = 2026  # of the random numbers that make the people

PLAN_ID = 1
PRICE = 1200
CURRENCY = "EUR"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaron Ada Agnes Albin Alice Amir Anders Anna Astrid Axel Beatrice Benjamin Birgitta Björn "
    "Bo Carl Caroline Cecilia Chloe Clara Daniel David Diana Dmitri Ebba Edvin Elias Elin Ella "
    "Emil Emma Erik Fatima Felix Filip Frida Gabriel Greta Gustav Hanna Harald Hassan Hugo Ida "
    "Ines Ingrid Isak Ivan Jakob Jana Johan Jonas Josefin Julia Kajsa Karin Karl Klara Lars "
    "Leo Lina Linnea Lisa Lucas Ludvig Maja Malin Marcus Maria Mats Mikael Moa Nadia Nils Nina "
    "Noah Nora Olivia Olle Omar Oskar Otto Patrik Paula Petra Philip Quentin Quinn Rafael "
    "Rebecka Rikard Rosa Rut Samir Sara Selma Sigrid Simon Sofia Stella Svea Tage Tea Theo "
    "Tilda Tobias Tove Ulla Ulrik Valter Vera Victor Viktoria Vilma Wilhelm Wilma Xavier Xenia "
    "Yara Yasmin Yusuf Zara Zeynep Zoe"
)
LAST_NAMES = _words(
    "Abrahamsson Ahmed Ali Andersson Arvidsson Axelsson Bengtsson Berg Berggren Berglund "
    "Bergström Björk Blom Bäckström Carlsson Dahl Dahlberg Danielsson Ek Ekström Eliasson "
    "Engström Eriksson Falk Forsberg Fredriksson Gunnarsson Gustafsson Hansen Hansson Hedlund "
    "Hellström Henriksson Holm Holmberg Hussein Isaksson Jakobsson Jansson Johansson Jonsson "
    "Karlsson Kaya Khan Kowalski Larsson Lind Lindberg Lindgren Lindholm Lindqvist Lindström "
    "Ljung Lund Lundberg Lundgren Lundin Lundqvist Magnusson Martinez Mattsson Mohammed Månsson "
    "Nielsen Nilsson Nordin Nordström Novak Nyberg Nyström Olofsson Olsson Persson Petersson "
    "Pettersson Quist Rahimi Rodriguez Samuelsson Sandberg Sandström Schmidt Sjöberg Sjögren "
    "Strand Ström Sundberg Sundström Svensson Söderberg Taylor Torres Vasquez Viklund Wallin "
    "Wikström Yilmaz Åberg Åkesson Öberg Östlund"
)
# A first name found in no other name or e-mail address: searching for it matches about one
# person in every hundred and fifty.
SEARCH_TERM = "Quentin"


@dataclass(frozen=True)
class Org:
    """What the load scripts need to know about one seeded organisation."""

    id: int
    admin_email: str
    first_resource_id: int
    people: int


def big_org(scale: int = 1) -> Org:
    return Org(BIG_ORG_ID, BIG_ADMIN_EMAIL, 1, RESOURCES * scale)


def small_orgs() -> list[Org]:
    return [
        Org(
            id=BIG_ORG_ID + k,
            admin_email=f"admin@org{k:02d}.bench.example",
            first_resource_id=RESOURCES + 1 + (k - 1) * SMALL_ORG_PEOPLE,
            people=SMALL_ORG_PEOPLE,
        )
        for k in range(1, SMALL_ORGS + 1)
    ]


def is_terminated(index: int) -> bool:
    """Every tenth person of the big organisation is terminated (index counted from 0)."""
    return index % 10 == 9


def is_consultant(index: int) -> bool:
    """Every tenth person is a consultant: half of them still active, half terminated."""
    return index % 20 in (4, 19)


# Column orders, shared by both databases.
# The kept people counts by status and kind follow, in the order the model keeps them.
ORG_COLUMNS = (
    "id",
    "name",
    "time_zone",
    "license_count",
    "used",
    "created_at",
    *PEOPLE_COUNTS.values(),
)
PLAN_COLUMNS = ("id", "name", "price_per_license", "currency", "billing_period")
SUBSCRIPTION_COLUMNS = (
    "organization_id",
    "plan_id",
    "kind",
    "name",
    "status",
    "starts_on",
    "ends_on",
    "unit_price",
    "quantity",
)
RESOURCE_COLUMNS = (
    "id",
    "organization_id",
    "name",
    "email",
    "kind",
    "role",
    "active",
    "login_access",
    "start_date",
    "last_work_day",
    "password_hash",
    "created_at",
)
CHANGE_COLUMNS = (
    "id",
    "organization_id",
    "occurred_at",
    "from_count",
    "to_count",
    "reason",
    "actor_id",
    "actor_name",
    "resource_id",
    "effective_on",
)
INVOICE_COLUMNS = (
    "id",
    "organization_id",
    "number",
    "period_start",
    "period_end",
    "issued_at",
    "currency",
    "total",
    "last_change_id",
)
LINE_COLUMNS = ("invoice_id", "position", "kind", "description", "quantity", "amount")


class Dataset:
    """Every row of the seed, made deterministically from `now`. The big organisation's people
    and its history are generators, so that millions of rows stream into the database
    instead of sitting in memory; its people are made twice (once here, to count them for the
    organisation's row, and once as they are written), the same each time.

    `scale` multiplies the big organisation's people and history (not the 10 000 changes after
    the invoice, so that `nextInvoice` stays the same read); at a scale above 1 the small
    organisations are left out, as only the big organisation's reads are measured there."""

    def __init__(self, now: datetime, password_hash: str, scale: int = 1) -> None:
        self.now = now
        self.password_hash = password_hash
        self.scale = scale
        self.people = RESOURCES * scale
        self.history = HISTORY * scale
        self.big_created = (now - timedelta(days=3 * 365)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        zone = ZoneInfo(BIG_ORG_ZONE)
        self.period_start, self.period_end = period_of(now.astimezone(zone).date())
        self.invoice_issued = datetime.combine(
            self.period_start, datetime.min.time(), zone
        ).astimezone(UTC)
        self.organizations: list[tuple] = []
        self.small_resources: list[tuple] = []
        self.small_history: list[tuple] = []
        self.subscriptions: list[tuple] = []
        # One generator of random numbers for everything but the history, drawn from in the
        # order the rows are made: the big organisation's people, then the small ones.
        self.rng = random.Random(SEED)
        self._make_big_org()
        if scale == 1:
            self._make_small_orgs()
        self.invoice_count = 0  # the count at the invoice, known once the history is made

    def resources(self) -> Iterator[tuple]:
        """Every person: the big organisation's, then the small organisations'."""
        yield from self.big_people()
        yield from self.small_resources

    def big_people(self) -> Iterator[tuple]:
        return self._big_people(random.Random(SEED))

    def _big_people(self, rng: random.Random) -> Iterator[tuple]:
        yesterday = self.now.date() - timedelta(days=1)
        for index in range(self.people):
            first, last = _name(rng)
            start = _day_between(rng, self.big_created.date(), yesterday)
            terminated = is_terminated(index)
            consultant = is_consultant(index)
            admin = index == 0
            login = admin or (not terminated and rng.random() < 0.8)
            email = (
                BIG_ADMIN_EMAIL if admin else f"{first}.{last}.{index}@big.bench.example".lower()
            )
            yield (
                1 + index,
                BIG_ORG_ID,
                f"{first} {last}",
                _ascii(email),
                "EXTERNAL_CONSULTANT" if consultant else "EMPLOYEE",
                "ADMIN" if admin else ("RESOURCE_MANAGER" if index % 100 == 50 else "MEMBER"),
                not terminated,
                login,
                start,
                _day_between(rng, start, yesterday) if terminated else None,
                self.password_hash if admin else None,
                datetime.combine(start, datetime.min.time(), UTC) + timedelta(hours=8),
            )

    def _make_big_org(self) -> None:
        """The big organisation's row, from its people counted as they are made (with the
        generator of this dataset, which goes on to the small organisations)."""
        people = _Counted()
        for person in self._big_people(self.rng):
            people.add(person)
            if person[0] == 1:
                self.admin_name = person[2]
        self.big_used = people.used
        self.big_license_count = people.used + SPARE_LICENSES
        self.organizations.append(
            (
                BIG_ORG_ID,
                BIG_ORG_NAME,
                BIG_ORG_ZONE,
                self.big_license_count,
                people.used,
                self.big_created,
                *people.by_status.values(),
            )
        )
        self.subscriptions.append(self._subscription(BIG_ORG_ID, self.big_created.date()))

    def _make_small_orgs(self) -> None:
        change_id = HISTORY
        for org in small_orgs():
            created = (self.now - timedelta(days=self.rng.randint(30, 700))).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            people = _Counted()
            for index in range(org.people):
                first, last = _name(self.rng)
                admin = index == 0
                consultant = not admin and index % 10 == 4
                login = admin or self.rng.random() < 0.7
                person = (
                    org.first_resource_id + index,
                    org.id,
                    f"{first} {last}",
                    org.admin_email
                    if admin
                    else _ascii(f"{first}.{last}.{index}@org{org.id:02d}.bench.example".lower()),
                    "EXTERNAL_CONSULTANT" if consultant else "EMPLOYEE",
                    "ADMIN" if admin else "MEMBER",
                    True,
                    login,
                    created.date(),
                    None,
                    self.password_hash if admin else None,
                    created,
                )
                people.add(person)
                self.small_resources.append(person)
            count = people.used + 3
            self.organizations.append(
                (
                    org.id,
                    f"Benchmark Organisation {org.id - 1:02d}",
                    "UTC",
                    count,
                    people.used,
                    created,
                    *people.by_status.values(),
                )
            )
            self.subscriptions.append(self._subscription(org.id, created.date()))
            admin_id = org.first_resource_id
            for from_count, to_count, reason, actor_id, actor_name in (
                (0, 1, "INITIAL", None, "System"),
                (1, count, "MANUAL", admin_id, self.small_resources[-org.people][2]),
            ):
                change_id += 1
                self.small_history.append(
                    (
                        change_id,
                        org.id,
                        created,
                        from_count,
                        to_count,
                        reason,
                        actor_id,
                        actor_name,
                        admin_id if reason == "INITIAL" else None,
                        created.date(),
                    )
                )

    @staticmethod
    def _subscription(organization_id: int, starts_on: date) -> tuple:
        return (organization_id, PLAN_ID, "PLAN", "Standard", "ACTIVE", starts_on, None, PRICE, 1)

    def plans(self) -> list[tuple]:
        return [(PLAN_ID, "Standard", PRICE, CURRENCY, "MONTHLY")]

    def big_history(self) -> Iterator[tuple]:
        """The big organisation's chain: from 0 to its licence count in a million steps (ten
        times that at scale 10) that follow a growing trend with noise; each step is an
        auto-increase (+1), a termination (-1) or a manual change, dated evenly up to the
        invoice and then up to now."""
        rng = random.Random(1)
        zone = ZoneInfo(BIG_ORG_ZONE)
        admin_name = self.admin_name
        target = self.big_license_count
        history = self.history
        before = history - CHANGES_AFTER_INVOICE
        early = (self.invoice_issued - timedelta(minutes=5) - self.big_created) / before
        late = (self.now - timedelta(minutes=1) - self.invoice_issued) / (CHANGES_AFTER_INVOICE + 1)
        # The active employees and the terminated, by id (person `index` has id index + 1).
        employees = [
            1 + i for i in range(self.people) if not is_terminated(i) and not is_consultant(i)
        ]
        leavers = [1 + i for i in range(self.people) if is_terminated(i)]
        count = 0
        for change_id in range(1, history + 1):
            if change_id == 1:
                to, reason = 1, "INITIAL"
            elif change_id == history:
                to, reason = target, "MANUAL"
            elif change_id == history - 1:
                # Two short of the end: anything but the final count, which the last row sets.
                to, reason = target - 7 if count != target - 7 else target - 8, "MANUAL"
            else:
                trend = 1 + (target - 1) * change_id // history
                to = max(1, trend + rng.randint(-3, 3))
                if to == count:
                    to = count + 1
                reason = {1: "AUTO_INCREASE", -1: "TERMINATION"}.get(to - count, "MANUAL")
            if change_id <= before:
                occurred = self.big_created + early * (change_id - 1)
            else:
                occurred = self.invoice_issued + late * (change_id - before)
            if reason == "INITIAL":
                actor_id, actor_name, resource_id = None, "System", 1
            elif reason == "AUTO_INCREASE":
                actor_id, actor_name, resource_id = 1, admin_name, rng.choice(employees)
            elif reason == "TERMINATION":
                actor_id, actor_name, resource_id = 1, admin_name, rng.choice(leavers)
            else:
                actor_id, actor_name, resource_id = 1, admin_name, None
            if change_id == before:
                self.invoice_count = to
            yield (
                change_id,
                BIG_ORG_ID,
                occurred,
                count,
                to,
                reason,
                actor_id,
                actor_name,
                resource_id,
                occurred.astimezone(zone).date(),
            )
            count = to

    def invoice(self) -> tuple[tuple, tuple]:
        """The issued invoice of this month and its base line (its adjustment lines for the
        history before it are left out: nothing reads them)."""
        amount = self.invoice_count * PRICE
        invoice = (
            1,
            BIG_ORG_ID,
            f"{self.period_start:%Y%m}-{BIG_ORG_ID:06d}",
            self.period_start,
            self.period_end,
            self.invoice_issued,
            CURRENCY,
            amount,
            self.history - CHANGES_AFTER_INVOICE,
        )
        line = (
            1,
            1,
            "BASE",
            f"Standard: {self.invoice_count} licences × 12.00 EUR, {self.period_start:%B %Y}",
            self.invoice_count,
            amount,
        )
        return invoice, line


class _Counted:
    """People counted as they are made: by status and kind, as the service keeps them (in the
    order of PEOPLE_COUNTS), and those using a licence (active employees with login access)."""

    def __init__(self) -> None:
        self.by_status = dict.fromkeys(PEOPLE_COUNTS, 0)
        self.used = 0

    def add(self, person: tuple) -> None:
        active, kind = person[6], ResourceKind(person[4])
        self.by_status[active, kind] += 1
        self.used += active and person[7] and kind is ResourceKind.EMPLOYEE


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("åäöéü", "aaoeu"))


# --- PostgreSQL ---------------------------------------------------------------------------


def _dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def _postgres_seeded(conn: asyncpg.Connection) -> bool:
    return bool(
        await conn.fetchval("SELECT count(*) FROM organization WHERE name = $1", BIG_ORG_NAME)
    )


async def seed_postgres(url: str, scale: int = 1) -> bool:
    """Seed a migrated, empty PostgreSQL database; False if it holds the seed already.

    The rows stream in (COPY sends them in chunks as the generators make them). At a scale
    above 1 the people's and the history's indexes are dropped first and made again, by the
    very statements that made them, once the rows are in: one sort per index instead of
    millions of insertions into it."""
    conn = await asyncpg.connect(_dsn(url))
    try:
        if await _postgres_seeded(conn):
            return False
        data = Dataset(datetime.now(UTC), hash_password(PASSWORD), scale)
        async with conn.transaction():
            # Rows are checked by construction here and by the R2/R8 queries afterwards;
            # skipping the per-row foreign key triggers makes the load several times faster.
            if await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
                await conn.execute("SET LOCAL session_replication_role = replica")
            rebuilt = []
            if scale > 1:
                await conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
                rebuilt = await _drop_indexes(conn, ("resource", "license_change"))
            await _copy(conn, "organization", ORG_COLUMNS, data.organizations)
            await _copy(conn, "plan", PLAN_COLUMNS, data.plans())
            await _copy(conn, "subscription", SUBSCRIPTION_COLUMNS, data.subscriptions)
            await _copy(conn, "resource", RESOURCE_COLUMNS, data.resources())
            await _copy(conn, "license_change", CHANGE_COLUMNS, data.big_history())
            await _copy(conn, "license_change", CHANGE_COLUMNS, data.small_history)
            for statement in rebuilt:
                await conn.execute(statement)
            invoice, line = data.invoice()
            await _copy(conn, "invoice", INVOICE_COLUMNS, [invoice])
            await _copy(conn, "invoice_line", LINE_COLUMNS, [line])
            for table in ("organization", "plan", "resource", "license_change", "invoice"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
        await conn.execute("VACUUM ANALYZE")
        return True
    finally:
        await conn.close()


async def _drop_indexes(conn: asyncpg.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the tables' indexes that back no constraint (the primary keys and unique
    constraints stay); returns the statements that make them again, as they were made."""
    found = await conn.fetch(
        "SELECT pg_get_indexdef(i.indexrelid) AS made, i.indexrelid::regclass::text AS name "
        "FROM pg_index i WHERE i.indrelid = ANY($1::text[]::regclass[]) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        list(tables),
    )
    for row in found:
        await conn.execute(f"DROP INDEX {row['name']}")
    return [row["made"] for row in found]


async def _copy(
    conn: asyncpg.Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple]
) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=list(columns))


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_value(value: object) -> object:
    """As the ORM stores values in SQLite: datetimes as `str()` (UTC offset included)."""
    if isinstance(value, datetime | date):
        return str(value)
    return value


def _sqlite_rows(rows: Iterable[tuple]) -> Iterator[tuple]:
    for row in rows:
        yield tuple(_sqlite_value(v) for v in row)


def _insert(db: sqlite3.Connection, table: str, columns: tuple[str, ...], rows) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _sqlite_rows(rows))


def seed_sqlite(path: Path) -> bool:
    """Seed a migrated, empty SQLite database; False if it holds the seed already."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        seeded = db.execute("SELECT count(*) FROM organization WHERE name = ?", (BIG_ORG_NAME,))
        if seeded.fetchone()[0]:
            return False
        data = Dataset(datetime.now(UTC), hash_password(PASSWORD))
        # Only for this connection, only while seeding: the server keeps its own settings.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -400000")
        db.execute("BEGIN")
        _insert(db, "organization", ORG_COLUMNS, data.organizations)
        _insert(db, "plan", PLAN_COLUMNS, data.plans())
        _insert(db, "subscription", SUBSCRIPTION_COLUMNS, data.subscriptions)
        _insert(db, "resource", RESOURCE_COLUMNS, data.resources())
        _insert(db, "license_change", CHANGE_COLUMNS, data.big_history())
        _insert(db, "license_change", CHANGE_COLUMNS, data.small_history)
        invoice, line = data.invoice()
        _insert(db, "invoice", INVOICE_COLUMNS, [invoice])
        _insert(db, "invoice_line", LINE_COLUMNS, [line])
        db.execute("COMMIT")
        db.execute("ANALYZE")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True
    finally:
        db.close()


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite://"))


def query(url: str, sql: str, *params: object) -> list[tuple]:
    """Rows of one statement, written with PostgreSQL's `$n` placeholders, on either database."""
    if url.startswith("sqlite://"):
        with closing(sqlite3.connect(sqlite_path(url))) as db:
            return db.execute(re.sub(r"\$\d+", "?", sql), params).fetchall()

    async def fetch() -> list[tuple]:
        conn = await asyncpg.connect(_dsn(url))
        try:
            return [tuple(row) for row in await conn.fetch(sql, *params)]
        finally:
            await conn.close()

    return asyncio.run(fetch())


R2_VIOLATIONS = """
SELECT count(*) FROM organization o
WHERE o.used > o.license_count OR o.used <> (
    SELECT count(*) FROM resource r
    WHERE r.organization_id = o.id AND r.active AND r.login_access AND r.kind = 'EMPLOYEE')
"""
CHAIN_BREAKS = """
SELECT count(*) FROM (
    SELECT from_count, LAG(to_count) OVER (PARTITION BY organization_id ORDER BY id) AS before
    FROM license_change) links
WHERE from_count <> COALESCE(before, 0)
"""
PEOPLE_COUNT_DRIFT = """
SELECT count(*) FROM organization o
WHERE o.active_employees + o.active_consultants <> (
    SELECT count(*) FROM resource r WHERE r.organization_id = o.id AND r.active)
OR o.active_employees + o.inactive_employees <> (
    SELECT count(*) FROM resource r WHERE r.organization_id = o.id AND r.kind = 'EMPLOYEE')
OR o.active_consultants + o.inactive_consultants <> (
    SELECT count(*) FROM resource r
    WHERE r.organization_id = o.id AND r.kind = 'EXTERNAL_CONSULTANT')
OR o.active_employees <> (
    SELECT count(*) FROM resource r
    WHERE r.organization_id = o.id AND r.active AND r.kind = 'EMPLOYEE')
"""
LOOSE_ENDS = """
SELECT count(*) FROM organization o
WHERE o.license_count <> COALESCE((
    SELECT c.to_count FROM license_change c WHERE c.organization_id = o.id
    ORDER BY c.id DESC LIMIT 1), 0)
"""


def invariants(url: str) -> dict[str, object]:
    """R2 (used ≤ licence count, and used is the live count of active employees with login
    access) and R8 (each organisation's history is one chain from 0 to its licence count),
    checked over every organisation with SQL."""
    r2 = query(url, R2_VIOLATIONS)[0][0]
    breaks = query(url, CHAIN_BREAKS)[0][0]
    ends = query(url, LOOSE_ENDS)[0][0]
    drift = query(url, PEOPLE_COUNT_DRIFT)[0][0]
    return {
        "r2_organisations_violating": r2,
        "people_counts_drifted": drift,
        "people_counts_hold": drift == 0,
        "r8_broken_links": breaks,
        "r8_counts_not_at_chain_end": ends,
        "r2_holds": r2 == 0,
        "r8_holds": breaks == 0 and ends == 0,
    }


def seed(url: str, scale: int = 1) -> bool:
    """Seed the database a URL names (migrated beforehand); False if the seed was there.
    `scale` multiplies the big organisation (PostgreSQL only: 10 gives 1 000 000 people and
    10 000 000 history rows)."""
    if url.startswith("sqlite://"):
        if scale != 1:
            raise ValueError("only PostgreSQL is seeded at a larger scale")
        return seed_sqlite(sqlite_path(url))
    return asyncio.run(seed_postgres(url, scale))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Seed a migrated database for the bench.")
    parser.add_argument("database_url")
    parser.add_argument(
        "--scale", type=int, default=1, help="times the big organisation (10: a million people)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    done = seed(args.database_url, args.scale)
    print(("Seeded" if done else "Already seeded") + f" in {time.perf_counter() - started:.1f} s")
