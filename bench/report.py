"""BENCHMARKS.md from the raw figures of a run: `python bench/report.py` renders it again from
bench/results/latest.json (bench/run.py does so after every run)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
REPORT = ROOT / "BENCHMARKS.md"

DATABASE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


CPU_HEADER = "CPU: server · PostgreSQL · wrk · other"
PER_REQUEST_HEADER = "CPU ms/request: server · PostgreSQL"


def _cpu(cores: dict[str, float]) -> str:
    return " · ".join(f"{cores[kind]:.2f}" for kind in ("server", "postgres", "wrk", "other"))


def _ms(value: float | None) -> str:
    """Milliseconds of CPU, to three significant digits."""
    if value is None:
        return "–"
    return f"{value:.3g}" if value < 100 else f"{value:,.0f}"


def _ms_pair(s: dict) -> str:
    return " · ".join(_ms(per_request(s, kind)) for kind in ("server", "postgres"))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _machine(results: dict) -> str:
    m = results["machine"]
    packages = ", ".join(f"{name} {version}" for name, version in m["packages"].items())
    lines = [
        f"- CPU: {m['cpus']} × {m['cpu_model']}; memory {m['memory_gib']} GiB; Linux {m['kernel']}",
        f"- Python {m['python']}; SQLite {m['sqlite']}; {m['wrk']}",
    ]
    if "postgres" in m:
        settings = ", ".join(f"{k} = {v}" for k, v in m["postgres_settings"].items())
        lines.append(f"- PostgreSQL {m['postgres']} on the same machine ({settings})")
    lines.append(f"- {packages}")
    compared = results["databases"].get("postgres", {}).get("postgraphile", {})
    if "node" in compared:
        lines.append(f"- PostGraphile {compared['postgraphile']} on Node.js {compared['node']}")
    lines.append("- Load average when the run began: " + ", ".join(map(str, m["load_average"])))
    return "\n".join(lines) + "\n"


def _method(results: dict) -> str:
    o = results["options"]
    databases = results["databases"]
    facts = next(iter(databases.values()))["facts"]
    search = next(iter(databases.values()))["scenarios"]["resources_search"]["checked"]
    return f"""\
**The machine has {results["machine"]["cpus"]} cores, and everything shares them**: the load
generator, the server process(es), and PostgreSQL. The figures are therefore lower than on a
machine where the load comes from elsewhere, and a second server process competes for the same
cores (the 4-process figures say more about the cost of that competition than about scaling).

- **Load**: wrk, closed loop, {o["threads"]} thread and a fixed {o["connections"]} connections,
  {o["warmup"]} s of warm-up then {o["duration"]} s measured per scenario. Each connection sends
  its next request when the previous answer has arrived, so a latency includes the time the
  request waits in the server: when the server is saturated, p50 ≈ connections ÷ throughput.
  The two heavy reads (the search and `nextInvoice`) run on 1 connection for
  {2 * o["duration"]} s instead: with 32 connections in front of answers that take a quarter of
  a second or more, only the queue would be measured, and too few requests would finish to
  tell a p99. After every warm-up and every run the script waits until the server has worked
  off the requests wrk left behind, so no run pays for the previous one. One load thread is
  enough for these rates and leaves the most CPU to the server. A Lua script per scenario sends
  the request (POST JSON to `/graphql`, or GET to the floor) and counts as an error every answer
  that is not HTTP 200 or that carries GraphQL `errors`. Where fewer than 100 requests
  finished, the p99 is the slowest of them.
- **CPU**: the cores that each kind of process kept busy during each measured run, from
  /proc: the servers (the service's processes or the floor's), PostgreSQL (which may be
  serving others' queries too), wrk, and other work on the machine. A server column near 1.00
  with one process means that process is CPU-bound; the four columns together near
  {results["machine"]["cpus"]}.00 mean the machine is. Before each run the script waits up to
  45 s for other work (PostgreSQL's included) to drop below a quarter of a core; figures taken
  while other work ran are lower than the service can do. *CPU ms/request*: the CPU time
  (user and system, /proc/<pid>/stat) the server's processes used during the run, and that
  of every PostgreSQL process, over the requests answered.
- **Interleaved rounds**: the reads compared (`seats` and both resources pages) are measured on
  the service, PostGraphile and the floor in {o.get("rounds", 1)} rounds of {o["duration"]} s,
  each round in another order, after one warm-up each, so that a slow spell of the shared
  machine falls on all of them alike. Their figures add the rounds up (throughput over all
  rounds, the median round's p50, the worst p99).
- **The service**: `python -m server serve --workers N --log-level warning` (uvicorn, uvloop,
  httptools), one process for the reads. Requests authenticate with an API token
  (`Authorization: Bearer …`, made by signing in as the administrator and calling
  `createApiToken`): one indexed look-up per request. The GraphQL documents ask for the fields
  the page asks for (web/lib/api.js).
- **The floor**: bench/floor.py, a bare Starlette app served with the same uvicorn options that
  runs the same SQL through the same driver (the ORM's connection: asyncpg pool or aiosqlite)
  and answers the same data as JSON with orjson — no GraphQL, no ORM models, no
  authentication, no middleware. `/floor/seats` reads the organisation row (licence count,
  used, available); `/floor/resources` runs the resources page's two statements (the count, then
  the keyset page) and answers the same rows with their cursors. Before measuring, each
  scenario is sent once and checked: the floor answers the same numbers and the same row ids
  as GraphQL.
- **PostGraphile**: PostGraphile 5 (amber preset) on Node.js 22, both from npm
  (bench/postgraphile/package-lock.json, installed by `make bench`), serving the same
  tables of the same database read only (bench/postgraphile/graphile.config.mjs, its server
  serve.mjs; `available` added as licenseCount − used, password and token hashes left out).
  `seats` is `organizationByRowId {{ licenseCount used available }}`; the resources page is
  `allResources(condition: {{organizationId, active: true}}, orderBy: [NAME_ASC, ROW_ID_ASC],
  first: 100)` with `totalCount`, the deep page reached with PostGraphile's own cursor of the
  same row. Like the floor it authenticates nobody; unlike the service it counts the people
  with `count(*)` (the service reads the count the organisation's row keeps). Before
  measuring, each answer is checked against the service's, row by row (id, name, e-mail,
  kind, role, status, access, dates), with the same total and the same `hasNextPage`.
- **Data** (bench/seed.py, bulk SQL into a migrated database, reused across runs): one
  organisation with 100 000 people (a tenth external consultants, a tenth terminated, so
  {facts["active_people"]:,} active), {facts["history_rows"]:,} rows of licence history
  forming one chain, the plan, and an issued invoice followed by 10 000 changes; 50 other
  organisations with 20 people each.
- **Pages**: the first page and a deep page of 100 rows, the deep one reached with a real
  cursor (computed from the row it names, encoded with `server.pagination.encode_cursor`):
  people after {facts["resources_skipped"]:,} of {facts["active_people"]:,} active people by
  name (the last page of the default `ACTIVE` list), history after
  {facts["history_skipped"]:,} rows. The search (`search` is "part of a name or e-mail
  address") asks for a first name that {search["matches"]:,} active people have.
- **Licence changes** (PostgreSQL only; SQLite is the single-process setup): alternately
  `setLicenseCount` to a random count the organisation can take and `toggleAccess` of a random
  active person on or off with `acceptLicenseIncrease: true`, each with an idempotency key of
  its own, as integrations send them. *Contended*: every request on the big organisation (one
  row lock). *Spread*: requests round-robin over the 50 small organisations, one API token
  each. Each process count starts from a fresh copy of the seeded database; afterwards R2
  (used ≤ licence count, and used equals the live count of active employees with access) and
  R8 (each organisation's history is one unbroken chain from 0 to its licence count) are
  checked with SQL over every organisation. The service runs these under bench/held.py,
  which times in each process how long every transaction held its organisation's row lock
  (from the `SELECT … FOR UPDATE` returning to the commit returning, at the database driver).
"""


def _scenarios(kind: str, data: dict, title: str | None = None) -> str:
    rows = []
    for s in data["scenarios"].values():
        rows.append(
            [
                s["title"],
                str(s["connections"]),
                f"{s['requests']:,}",
                _number(s["rps"]),
                _number(s["p50_ms"]),
                _number(s["p99_ms"]),
                str(s["errors"]),
                _cpu(s["cpu_cores"]),
                _ms_pair(s),
            ]
        )
    seed = data["seed"]
    made = f"seeded in {seed['seconds']} s" if seed["seeded_now"] else "seed reused"
    checks = seed["checks"]
    sound = "R2 and R8 hold" if checks["r2_holds"] and checks["r8_holds"] else "R2/R8 BROKEN"
    return (
        f"### {title or DATABASE_NAMES[kind]}\n\n"
        + _table(
            [
                "Scenario",
                "Conn.",
                "Requests",
                "req/s",
                "p50 ms",
                "p99 ms",
                "Errors",
                CPU_HEADER,
                PER_REQUEST_HEADER,
            ],
            rows,
        )
        + f"\nData: {made}; {sound} in the seed.\n"
        + _memory(data.get("memory_mib"))
    )


def _memory(mib: dict[str, float] | None) -> str:
    """Resident size of each server after all the reads (older result files have none)."""
    if not mib:
        return ""
    sizes = ", ".join(f"{name} {size:,.1f} MiB" for name, size in mib.items())
    return f"Resident memory of one server process after all the reads: {sizes}.\n"


def _mutations(results: dict) -> str:
    rows = []
    checks = []
    for workers in (1, 4):
        run = results["mutations"][f"workers_{workers}"]
        for key in (k for k in MUTATION_RUNS if k in run):
            s = run[key]
            rows.append(
                [
                    str(workers),
                    s["title"],
                    str(s["connections"]),
                    f"{s['requests']:,}",
                    _number(s["rps"]),
                    _number(s["p50_ms"]),
                    _number(s["p99_ms"]),
                    f"{s['changes_made']:,}",
                    f"{s['history_rows_written']:,}",
                    str(s["errors"]),
                    _cpu(s["cpu_cores"]),
                    _ms_pair(s),
                ]
            )
        c = run["checks"]
        checks.append(
            f"- {workers} process(es): R2 {'holds' if c['r2_holds'] else 'BROKEN'} "
            f"({c['r2_organisations_violating']} organisations off), "
            f"R8 {'holds' if c['r8_holds'] else 'BROKEN'} ({c['r8_broken_links']} broken links, "
            f"{c['r8_counts_not_at_chain_end']} counts off their chain's end)"
        )
    header = ["Processes", "Changes on", "Conn.", "Requests", "req/s", "p50 ms", "p99 ms"]
    header += ["Changed something", "History rows", "Errors", CPU_HEADER, PER_REQUEST_HEADER]
    return (
        "### Licence changes, PostgreSQL\n\n"
        + _table(header, rows)
        + "\n*Changed something*: requests that changed licences or access (the others found "
        "the access already so, or the count below usage; those spend no idempotency key). "
        "*History rows*: licence count changes written (R8).\n"
        + "\nChecked afterwards on each copy:\n\n"
        + "\n".join(checks)
        + "\n"
    )


def _targets(targets: list[dict], verdicts: tuple[str, str] = ("met", "**missed**")) -> str:
    rows = []
    for t in targets:
        verdict = verdicts[0] if t["met"] else verdicts[1]
        rows.append([t["target"], t["goal"], _number(t["figure"]), verdict, t["note"]])
    return _table(["Ratio", "Goal", "Figure", "", "From"], rows)


# The scenarios compared with the baseline run, each with the floor that prices its SQL.
COMPARED = (("seats", "floor_seats"), ("resources_first", "floor_resources_first"))


def per_request(s: dict, kind: str) -> float | None:
    """Milliseconds of CPU a request cost the server (or PostgreSQL) in a run: its CPU time
    over the requests answered (runs before these were kept: the cores it kept busy over the
    throughput)."""
    if "cpu_ms_per_request" in s:
        return s["cpu_ms_per_request"][kind]
    return s["cpu_cores"][kind] * 1000 / s["rps"] if s["rps"] else None


def _baseline(results: dict) -> str:
    """This run beside an earlier one (`--baseline`): throughput as a share of the floor
    measured in the same run (the machine's noise cancels out of it), and the CPU a request
    cost the server and PostgreSQL."""
    base = results["baseline"]
    code = base["code"]
    rows = []
    for kind, data in results["databases"].items():
        before = base["databases"].get(kind)
        if before is None:
            continue
        for name, floor in COMPARED:
            now_s, now_f = data["scenarios"][name], data["scenarios"][floor]
            old_s, old_f = before["scenarios"][name], before["scenarios"][floor]
            old_share, now_share = old_s["rps"] / old_f["rps"], now_s["rps"] / now_f["rps"]
            rows.append(
                [
                    f"{DATABASE_NAMES[kind]}: {now_s['title']}",
                    f"{_number(old_share)} ({_number(old_s['rps'])} vs {_number(old_f['rps'])})",
                    f"{_number(now_share)} ({_number(now_s['rps'])} vs {_number(now_f['rps'])})",
                    _number(now_share / old_share),
                    " → ".join(_number(per_request(s, "server")) for s in (old_s, now_s)),
                    " → ".join(_number(per_request(s, "postgres")) for s in (old_s, now_s)),
                ]
            )
    header = ["Scenario", "Before: ÷ floor (req/s)", "Now: ÷ floor (req/s)", "Now ÷ before"]
    header += ["Server CPU ms/request", "PostgreSQL CPU ms/request"]
    return (
        "## Against the baseline run\n\n"
        f"Before: the run of {base['started_at']} on commit {code['commit']}. Each run's "
        "throughput is shown as a share of the floor measured in that run, so that the "
        "machine's noise between the two runs cancels out; *Now ÷ before* is the change of that "
        "share.\n\n" + _table(header, rows)
    )


# The licence-change runs, in the order they are made (`alone` with one process only).
MUTATION_RUNS = ("alone", "contended", "spread")

# The reads measured on the service, PostGraphile and the floor alike (interleaved rounds).
COMPARISONS = ("seats", "resources_first", "resources_deep")
SERVERS = (("service", "Service", ""), ("postgraphile", "PostGraphile", "postgraphile_"))
SERVERS += (("floor", "Floor", "floor_"),)


def capacity(server_ms: float | None, postgres_ms: float | None) -> dict[str, float | None]:
    """What one core does, from the CPU one request costs: requests per second per core of
    the application (1 ÷ the server's CPU per request) and per core of the database (1 ÷
    PostgreSQL's), and so how many application cores one database core keeps busy (their
    ratio)."""
    app = 1000 / server_ms if server_ms else None
    database = 1000 / postgres_ms if postgres_ms else None
    cores = server_ms / postgres_ms if server_ms and postgres_ms else None
    return {
        "per_app_core": app,
        "per_database_core": database,
        "app_cores_per_database_core": cores,
    }


# Issue 13 goal 5: each read at ten times the data within this factor of its figure at scale 1.
GROWTH_LIMIT = 1.5


def growth(base: dict, bigger: dict | None, limit: float = GROWTH_LIMIT) -> dict:
    """One read at scale 1 and at a larger scale: how many times as long it takes there, as
    req/s at scale 1 ÷ req/s at the larger scale (with the connections fixed, that is the
    ratio of the time each request takes), rounded as shown; within the limit when that ratio
    is at most `limit` and neither run had failed answers. A read not measured at the larger
    scale is not within."""
    failed = base["errors"] + (bigger["errors"] if bigger else 0)
    ratio = None
    if bigger is not None and bigger["rps"]:
        ratio = round(base["rps"] / bigger["rps"], 2)
    return {
        "title": base["title"],
        "rps": base["rps"],
        "rps_bigger": bigger["rps"] if bigger else None,
        "p50_ms": base["p50_ms"],
        "p50_ms_bigger": bigger["p50_ms"] if bigger else None,
        "ratio": ratio,
        "errors": failed,
        "within": ratio is not None and ratio <= limit and not failed,
    }


def growths(base: dict[str, dict], bigger: dict[str, dict]) -> dict[str, dict]:
    """Every read of the service at scale 1 (the floor's and PostGraphile's left out) beside
    the same read at the larger scale, by scenario key."""
    return {
        key: growth(run, bigger.get(key))
        for key, run in base.items()
        if run.get("server", "service") == "service"
    }


def growth_verdict(found: dict[str, dict]) -> dict:
    """Goal 5 over every read: met when each is within; the worst ratio (a read not measured
    at the larger scale counts as worst), and the reads beyond."""
    beyond = [key for key, g in found.items() if not g["within"]]
    ratios = [g["ratio"] for g in found.values()]
    worst = None if None in ratios or not ratios else max(ratios)
    return {"met": bool(found) and not beyond, "worst": worst, "beyond": beyond}


def serialised_limit(mean_hold_ms: float | None) -> float | None:
    """Changes per second one organisation can take at most: its changes hold its row lock
    one after another, so no more than one per hold time."""
    return 1000 / mean_hold_ms if mean_hold_ms else None


def _compared(data: dict) -> list[tuple[str, dict[str, dict]]]:
    """Each compared read with the runs of the servers that answered it."""
    scenarios = data["scenarios"]
    found = []
    for group in COMPARISONS:
        runs = {
            server: scenarios[prefix + group]
            for server, _, prefix in SERVERS
            if prefix + group in scenarios
        }
        if "service" in runs:
            found.append((group, runs))
    return found


def _per_round(a: dict, b: dict) -> str:
    """a ÷ b in each round."""
    pairs = zip(a.get("rounds", [a]), b.get("rounds", [b]), strict=False)
    return ", ".join(_number(x["rps"] / y["rps"]) if y["rps"] else "–" for x, y in pairs)


def _both_titles(title: str, bigger: dict | None) -> str:
    """A read's title at scale 1, and at the larger scale when it differs (a deep page's
    depth)."""
    if bigger is None:
        return f"{title} (not measured at 1 000 000)"
    return title if bigger["title"] == title else f"{title} → {bigger['title'].split(', ')[-1]}"


def _tenfold(results: dict) -> str:
    """Issue 13 goals 5 and 7: every read of the service on ten times the data beside the
    same read at scale 1, and the service's resident size after them."""
    tenfold = results.get("tenfold")
    if tenfold is None:
        return ""  # a run made before this part of the bench
    if "growth" not in tenfold:
        why = tenfold.get("skipped", "no figures")
        return f"## Ten times the data\n\n**Not measured in this run**: {why}.\n"
    base = results["databases"]["postgres"]
    rows = []
    for key, g in tenfold["growth"].items():
        bigger = tenfold["scenarios"].get(key)
        small = base["scenarios"][key]
        rows.append(
            [
                _both_titles(g["title"], bigger),
                _number(g["rps"]),
                _number(g["rps_bigger"]),
                f"**{_number(g['ratio'])}**",
                "within" if g["within"] else "**beyond**",
                f"{_number(g['p50_ms'])} → {_number(g['p50_ms_bigger'])}",
                " → ".join(_ms(per_request(r, "server")) for r in (small, bigger) if r),
                " → ".join(_ms(per_request(r, "postgres")) for r in (small, bigger) if r),
            ]
        )
    header = ["Read", "req/s at 100 000", "req/s at 1 000 000", "Ratio", ""]
    header += ["p50 ms", "Server CPU ms/request", "PostgreSQL CPU ms/request"]
    facts = tenfold["facts"]
    made = tenfold["seed"]
    seeded = f"seeded in {made['seconds']} s" if made["seeded_now"] else "seed reused"
    checks = made["checks"]
    sound = "R2 and R8 hold" if checks["r2_holds"] and checks["r8_holds"] else "R2/R8 BROKEN"
    memory = tenfold["memory_mib"].get("service")
    at_base = base.get("memory_mib", {}).get("service")
    return (
        "## Ten times the data\n\n"
        "The service alone (one process) on a PostgreSQL database of its own, seeded as the "
        f"other with ten times the big organisation: {facts['active_people']:,} active people "
        f"and {facts['history_rows']:,} history rows, still 10 000 changes after the invoice "
        "(bench/seed.py --scale 10). The same reads, with the same options, right after those "
        "at 100 000 people; the deep pages as deep in proportion (after "
        f"{facts['resources_skipped']:,} people, after {facts['history_skipped']:,} history "
        f"rows). *Ratio*: req/s at 100 000 ÷ req/s at 1 000 000; the goal is at most "
        f"{_number(GROWTH_LIMIT)} for every read. Data: {seeded}; {sound} (checked in "
        f"{made.get('checks_seconds', '–')} s).\n\n"
        + _table(header, rows)
        + f"\nResident memory of the service process after every read at 1 000 000 people: "
        f"**{_number(memory)} MiB** (at 100 000: {_number(at_base)} MiB).\n"
    )


def _against_postgraphile(results: dict) -> str:
    data = results["databases"].get("postgres")
    if data is None or "postgraphile" not in data:
        return ""  # a run made before the comparison
    compared = data["postgraphile"]
    if "skipped" in compared:
        return (
            "## Against PostGraphile\n\n"
            f"**PostGraphile was not measured**: {compared['skipped']}. `make bench` installs "
            "it with `npm ci` in bench/postgraphile/.\n"
        )
    rows = []
    for _, runs in _compared(data):
        service, other, floor = runs["service"], runs.get("postgraphile"), runs.get("floor")
        if other is None:
            continue
        rows.append(
            [
                service["title"],
                _number(service["rps"]),
                _number(other["rps"]),
                _number(floor["rps"]) if floor else "–",
                _number(service["rps"] / other["rps"]) if other["rps"] else "–",
                _per_round(service, other),
                " · ".join(_ms(per_request(r, "server")) for r in (service, other, floor) if r),
                " · ".join(_ms(per_request(r, "postgres")) for r in (service, other, floor) if r),
            ]
        )
    header = ["Scenario", "Service req/s", "PostGraphile req/s", "Floor req/s"]
    header += ["Service ÷ PostGraphile", "… per round", "Server CPU ms/request"]
    header += ["PostgreSQL CPU ms/request"]
    return (
        "## Against PostGraphile\n\n"
        f"PostGraphile {compared.get('postgraphile', '')} on Node.js {compared.get('node', '')} "
        "serving the same tables, beside the service and the floor, measured in "
        f"{results['options'].get('rounds', 1)} interleaved rounds each (see Method). CPU per "
        "request: service · PostGraphile · floor.\n\n" + _table(header, rows)
    )


def _capacity(results: dict) -> str:
    data = results["databases"].get("postgres")
    if data is None:
        return ""
    rows = []
    for _, runs in _compared(data):
        for server, name, _ in SERVERS:
            run = runs.get(server)
            if run is None:
                continue
            c = capacity(per_request(run, "server"), per_request(run, "postgres"))
            rows.append(
                [
                    runs["service"]["title"],
                    name,
                    _number(c["per_app_core"]),
                    _number(c["per_database_core"]),
                    _number(c["app_cores_per_database_core"]),
                ]
            )
    header = ["Read", "Server", "req/s per application core", "req/s per database core"]
    header += ["Application cores one database core serves"]
    text = (
        "## Capacity\n\n"
        "From the CPU one request cost (per application core: 1 ÷ the server's CPU per "
        "request; per database core: 1 ÷ PostgreSQL's), what each core would do if it did "
        "nothing else; the last column is their ratio, the application cores whose requests "
        "one database core can answer.\n\n" + _table(header, rows)
    )
    mutations = results.get("mutations")
    if mutations:
        text += "\n" + _serialised(mutations) + "\n" + _changes_per_core(mutations)
    return text


def _serialised(mutations: dict) -> str:
    """The limit of one organisation's changes, from how long they hold its row lock."""
    rows = []
    for workers in (1, 4):
        runs = mutations[f"workers_{workers}"]
        for key in (k for k in MUTATION_RUNS if k in runs):
            run = runs[key]
            lock = run.get("lock")
            if not lock:
                continue
            window = (run["window"][1] - run["window"][0]) * run["organisations"]
            busy = lock["changes"] * lock["mean_ms"] / 1000 / window if lock["mean_ms"] else None
            rows.append(
                [
                    str(workers),
                    run["title"],
                    f"{lock['changes']:,}",
                    _number(lock["mean_ms"]),
                    _number(lock["p50_ms"]),
                    _number(lock["p99_ms"]),
                    _number(serialised_limit(lock["mean_ms"])),
                    _number(run["rps"]),
                    _number(busy),
                ]
            )
    if not rows:
        return ""  # a run made before the hold times were taken
    header = ["Processes", "Changes on", "Locks timed", "Hold mean ms", "p50 ms", "p99 ms"]
    header += ["Limit of one organisation, changes/s", "Measured req/s", "Each lock busy"]
    return (
        "### One organisation's changes, one after another\n\n"
        "Every change holds its organisation's row lock from the `SELECT … FOR UPDATE` to "
        "the commit (timed in the server processes by bench/held.py), so one organisation "
        "takes at most 1 ÷ the mean hold time changes per second, however many processes "
        "serve it. *Each lock busy*: the share of the run during which an organisation's lock "
        "was held, on average over the organisations changed (near 1: the lock is what limits "
        "the changes). With one connection nothing else competes for the server's CPU while "
        "the lock is held; with 32 on one organisation the holder's process also takes in the "
        "requests queueing behind it, which lengthens the hold.\n\n" + _table(header, rows)
    )


def _changes_per_core(mutations: dict) -> str:
    """The licence changes with the CPU each side used, so that 4 ÷ 1 processes can be read
    on a machine with few cores."""
    rows = []
    for key in ("contended", "spread"):
        by = {n: mutations[f"workers_{n}"][key] for n in (1, 4)}
        for workers, run in by.items():
            cores = run["cpu_cores"]
            per_core = run["rps"] / cores["server"] if cores["server"] else None
            one = by[1]
            ratio = ""
            if workers == 4 and one["rps"] and one["cpu_cores"]["server"] and per_core:
                ratio = (
                    f"{_number(run['rps'] / one['rps'])} "
                    f"({_number(per_core / (one['rps'] / one['cpu_cores']['server']))} per "
                    "server core)"
                )
            rows.append(
                [
                    run["title"],
                    str(workers),
                    _number(run["rps"]),
                    f"{cores['server']:.2f}",
                    f"{cores['postgres']:.2f}",
                    f"{sum(cores.values()):.2f}",
                    _number(per_core),
                    _ms_pair(run),
                    ratio,
                ]
            )
    header = ["Changes on", "Processes", "req/s", "Server cores", "PostgreSQL cores"]
    header += ["All cores busy", "req/s per server core", PER_REQUEST_HEADER, "4 ÷ 1"]
    return (
        "### Licence changes with the CPU each side used\n\n"
        "The 4 ÷ 1 processes figures beside the cores each run kept busy: on this machine "
        "four processes share the same cores as one, with PostgreSQL and wrk; *All cores "
        "busy* near the machine's core count means it was saturated, and req/s per server "
        "core is what the processes did with the CPU they got.\n\n" + _table(header, rows)
    )


def _disturbed(results: dict) -> list[str]:
    """The runs during which other work kept more than a quarter of a core busy."""
    runs = [
        (f"{DATABASE_NAMES[kind]}: {s['title']}", s["cpu_cores"]["other"])
        for kind, data in results["databases"].items()
        for s in data["scenarios"].values()
    ]
    runs += [
        (f"PostgreSQL, ten times the data: {s['title']}", s["cpu_cores"]["other"])
        for s in results.get("tenfold", {}).get("scenarios", {}).values()
    ]
    for workers, run in results.get("mutations", {}).items():
        runs += [
            (
                f"changes, {workers.split('_')[1]} process(es), {run[key]['title']}",
                run[key]["cpu_cores"]["other"],
            )
            for key in MUTATION_RUNS
            if key in run
        ]
    return [f"{title} ({cores} cores)" for title, cores in runs if cores > 0.25]


def render(results: dict) -> str:
    quick = (
        " (quick run: short durations, a smoke test — not figures to quote)"
        if results["options"]["quick"]
        else ""
    )
    parts = [
        "# Benchmarks\n",
        f"Made by `make bench` (`{results['command'].strip()}`) from {results['started_at']} to "
        f"{results['finished_at']}{quick}. Raw figures: "
        "[bench/results/latest.json](bench/results/latest.json).\n",
    ]
    code = results["code"]
    changed = code["uncommitted"]
    parts.append(
        f"Code: commit {code['commit']}"
        + (f", with uncommitted changes to {', '.join(changed)}" if changed else "")
        + ".\n"
    )
    disturbed = _disturbed(results)
    if disturbed:
        parts.append(
            "**Other work ran on the machine during some runs**, whose figures are therefore "
            "low: " + "; ".join(disturbed) + ".\n"
        )
    parts += [
        "## Targets\n",
        "Ratios of figures from the same run.\n",
        _targets(results["targets"]),
        "Without a target, to tell where a missed one comes from:\n",
        _targets(results["observations"], ("within", "beyond")),
        *([_baseline(results)] if results.get("baseline") else []),
        *(part for part in (_tenfold(results), _against_postgraphile(results)) if part),
        *(part for part in (_capacity(results),) if part),
        "## Machine\n",
        _machine(results),
        "## Method\n",
        _method(results),
        "## Figures\n",
    ]
    parts += [_scenarios(kind, data) for kind, data in results["databases"].items()]
    tenfold = results.get("tenfold", {})
    if "scenarios" in tenfold:
        title = f"PostgreSQL, ten times the data ({tenfold['people']:,} people)"
        parts.append(_scenarios("postgres", tenfold, title))
    if results.get("mutations"):
        parts.append(_mutations(results))
    parts.append(_push_and_reclaim(results))
    parts.append(_profiles())
    return "\n".join(parts)


def _push_and_reclaim(results: dict) -> str:
    """Issue 15: webhook throughput beside licence changes, and a bulk change beside single
    changes, each as a ratio measured in the same process."""
    text = ["## Webhooks and bulk changes\n"]
    hooks = results.get("webhooks")
    if hooks:
        text.append(
            f"Webhooks (bench/webhooks.py, SQLite, {hooks['changes']} changes of the count, an "
            "endpoint listening, a receiver on loopback answering at once): "
            f"{_number(hooks['changes_per_s'])} changes/s without the endpoint, "
            f"{_number(hooks['changes_with_outbox_per_s'])} with the outbox written "
            f"({hooks['outbox_cost']}× the time), and {_number(hooks['delivered_per_s'])} events "
            f"delivered/s: **{hooks['delivered_per_change']} events delivered per change "
            "made**, so delivery "
            + ("keeps up with" if hooks["delivered_per_change"] >= 1 else "falls behind")
            + " the changes.\n"
        )
    rows = []
    for kind, figures in (results.get("bulk") or {}).items():
        for action in ("remove_access", "terminate"):
            f = figures[action]
            rows.append(
                [
                    kind,
                    action.replace("_", " "),
                    f"{_ms(f['single_ms'])} ms",
                    f"{_number(f['bulk_ms'])} ms",
                    f"{_ms(f['bulk_per_person_ms'])} ms",
                    f"{_number(f['preview_ms'])} ms",
                    f"**{f['bulk_vs_singles']}**",
                ]
            )
    if rows:
        people = next(iter(results["bulk"].values()))["people"]
        text.append(
            f"Bulk changes (bench/bulk.py): one change of {people:,} people beside single "
            "changes one after another, everyone using a license, an endpoint listening. "
            f"The ratio is the bulk change's time over {people:,} single changes'. The bulk "
            "change holds the organisation's lock for its whole time, which bounds the other "
            "changes of that organisation meanwhile.\n"
        )
        text.append(
            _table(
                [
                    "database",
                    "action",
                    "single change",
                    f"bulk of {people:,}",
                    "bulk, per person",
                    "its preview",
                    "bulk ÷ singles",
                ],
                rows,
            )
        )
    return "\n".join(text)


def _profiles() -> str:
    """Links to the profiles kept for missed targets, with what they show (profiles/README)."""
    folder = ROOT / "bench" / "profiles"
    readme = folder / "README.md"
    if not readme.exists():
        return ""
    text = readme.read_text().split("\n", 2)[2]
    # Links in the README are relative to its folder; the report lives at the top.
    return "## Profiles\n\n" + re.sub(r"\]\((?![a-z]+:|/)", "](bench/profiles/", text)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    REPORT.write_text(render(json.loads(source.read_text())))
    print(f"wrote {REPORT}")
