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


def _cpu(cores: dict[str, float]) -> str:
    return " · ".join(f"{cores[kind]:.2f}" for kind in ("server", "postgres", "wrk", "other"))


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
  while other work ran are lower than the service can do.
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
  checked with SQL over every organisation.
"""


def _scenarios(kind: str, data: dict) -> str:
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
            ]
        )
    seed = data["seed"]
    made = f"seeded in {seed['seconds']} s" if seed["seeded_now"] else "seed reused"
    checks = seed["checks"]
    sound = "R2 and R8 hold" if checks["r2_holds"] and checks["r8_holds"] else "R2/R8 BROKEN"
    return (
        f"### {DATABASE_NAMES[kind]}\n\n"
        + _table(
            ["Scenario", "Conn.", "Requests", "req/s", "p50 ms", "p99 ms", "Errors", CPU_HEADER],
            rows,
        )
        + f"\nData: {made}; {sound} in the seed.\n"
    )


def _mutations(results: dict) -> str:
    rows = []
    checks = []
    for workers in (1, 4):
        run = results["mutations"][f"workers_{workers}"]
        for key in ("contended", "spread"):
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
    header += ["Changed something", "History rows", "Errors", CPU_HEADER]
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


def _per_request(s: dict, kind: str) -> float | None:
    """Milliseconds of CPU a request cost the server (or PostgreSQL) in a run."""
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
                    " → ".join(_number(_per_request(s, "server")) for s in (old_s, now_s)),
                    " → ".join(_number(_per_request(s, "postgres")) for s in (old_s, now_s)),
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


def _disturbed(results: dict) -> list[str]:
    """The runs during which other work kept more than a quarter of a core busy."""
    runs = [
        (f"{DATABASE_NAMES[kind]}: {s['title']}", s["cpu_cores"]["other"])
        for kind, data in results["databases"].items()
        for s in data["scenarios"].values()
    ]
    for workers, run in results.get("mutations", {}).items():
        runs += [
            (
                f"changes, {workers.split('_')[1]} process(es), {run[key]['title']}",
                run[key]["cpu_cores"]["other"],
            )
            for key in ("contended", "spread")
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
        "## Machine\n",
        _machine(results),
        "## Method\n",
        _method(results),
        "## Figures\n",
    ]
    parts += [_scenarios(kind, data) for kind, data in results["databases"].items()]
    if results.get("mutations"):
        parts.append(_mutations(results))
    parts.append(_profiles())
    return "\n".join(parts)


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
