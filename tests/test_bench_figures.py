"""The benchmark's arithmetic (bench/report.py, bench/run.py): the capacity table and the
interleaved rounds (issue 13 goal 6), each read at ten times the data beside itself at scale 1
and the verdicts of goals 5 and 7. Pure functions on made-up figures: nothing is measured."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import report
import run


def test_capacity_is_one_over_the_cpu_per_request_on_each_side():
    """Issue 13 goal 6: requests per second per application core = 1 ÷ the server's CPU per
    request, per database core = 1 ÷ PostgreSQL's, and one database core serves their ratio
    of application cores."""
    found = report.capacity(0.25, 0.05)
    assert found["per_app_core"] == pytest.approx(4000)
    assert found["per_database_core"] == pytest.approx(20000)
    assert found["app_cores_per_database_core"] == pytest.approx(5)
    assert report.capacity(None, 0.05)["app_cores_per_database_core"] is None


def test_one_organisation_takes_at_most_one_change_per_hold_time():
    """Issue 13 goal 6: the limit of one organisation's serialised changes is 1 ÷ its row
    lock's hold time."""
    assert report.serialised_limit(2.5) == pytest.approx(400)
    assert report.serialised_limit(None) is None
    held = run.lock_holds([0.001, 0.002, 0.003, 0.010])
    assert held["changes"] == 4
    assert held["mean_ms"] == pytest.approx(4)
    assert held["limit_rps"] == pytest.approx(250)


def _round(requests: int, seconds: float, server_s: float, postgres_s: float) -> dict:
    cpu = {"server": server_s, "postgres": postgres_s, "wrk": 0.1, "other": 0.0}
    return {
        "connections": 32,
        "threads": 1,
        "duration_s": seconds,
        "requests": requests,
        "rps": requests / seconds,
        "p50_ms": 10.0,
        "p90_ms": 20.0,
        "p99_ms": 30.0 + requests / 1000,
        "max_ms": 50.0,
        "mean_ms": 11.0,
        "errors": 0,
        "cpu_s": cpu,
        "cpu_ms_per_request": run._per_request(cpu, requests),
        "window": [100.0, 100.0 + seconds],
        "raw": {"duration_us": seconds * 1e6},
    }


def test_interleaved_rounds_add_up_requests_and_cpu_time():
    """Issue 13 goal 6: a compared read's figures over its rounds: throughput over the time
    of all rounds, CPU per request from the CPU time of all rounds over all requests."""
    combined = run.combine([_round(1000, 10, 2.0, 0.5), _round(3000, 10, 4.0, 1.5)])
    assert combined["requests"] == 4000
    assert combined["rps"] == pytest.approx(200)
    assert combined["cpu_ms_per_request"]["server"] == pytest.approx(1.5)
    assert combined["cpu_ms_per_request"]["postgres"] == pytest.approx(0.5)
    assert combined["p99_ms"] == pytest.approx(33)
    assert [r["rps"] for r in combined["rounds"]] == [100, 300]


def _pages(email: str) -> tuple[dict, dict]:
    node = {
        "id": run.ids.encode(run.ids.RESOURCE, 7),
        "name": "Ada Berg",
        "email": "ada@example.com",
        "kind": "EMPLOYEE",
        "role": "MEMBER",
        "active": True,
        "loginAccess": True,
        "startDate": "2026-01-05",
        "lastWorkDay": None,
        "scheduledTermination": "2026-12-31",
    }
    theirs = {
        "rowId": 7,
        "name": "Ada Berg",
        "email": email,
        "kind": "EMPLOYEE",
        "role": "MEMBER",
        "active": True,
        "loginAccess": True,
        "startDate": "2026-01-05",
        "lastWorkDay": "2026-12-31",
    }
    info = {"hasNextPage": True}
    service = {"totalCount": 90, "edges": [{"node": node}], "pageInfo": info}
    other = {"totalCount": 90, "edges": [{"node": theirs}], "pageInfo": info}
    return service, other


def test_postgraphile_must_answer_the_same_rows_as_the_service():
    """Issue 13 goal 6: before PostGraphile is measured, its page is checked against the
    service's row by row, and a difference stops the run."""
    run.same_page("page", *_pages("ada@example.com"))
    with pytest.raises(RuntimeError, match="row 0 differs"):
        run.same_page("page", *_pages("someone@example.com"))
    service, other = _pages("ada@example.com")
    other["totalCount"] = 91
    with pytest.raises(RuntimeError, match="totalCount differs"):
        run.same_page("page", service, other)


def _read(title: str, rps: float, errors: int = 0, server: str = "service") -> dict:
    p50 = 32_000 / rps if rps else None
    return {"title": title, "rps": rps, "p50_ms": p50, "errors": errors, "server": server}


def test_goal_5_ratio_is_requests_per_second_at_scale_1_over_the_larger_scale():
    """Issue 13 goal 5: a read at ten times the data is compared with itself at scale 1 as
    req/s at 100 000 ÷ req/s at 1 000 000 (how many times as long each request takes), and
    is within at 1.5, beyond above it."""
    slower = report.growth(_read("seats", 3000), _read("seats", 2000))
    assert slower["ratio"] == pytest.approx(1.5)
    assert slower["within"]
    too_slow = report.growth(_read("history", 3000), _read("history", 1990))
    assert too_slow["ratio"] == pytest.approx(1.51)
    assert not too_slow["within"]
    faster = report.growth(_read("seats", 3000), _read("seats", 3300))
    assert faster["ratio"] == pytest.approx(0.91)
    assert faster["within"]


def test_goal_5_a_read_with_failed_answers_or_not_measured_is_not_within():
    """Issue 13 goal 5: failed answers say nothing of the speed, and a read missing at the
    larger scale (or answering nothing there) cannot be within."""
    assert not report.growth(_read("seats", 3000), _read("seats", 3000, errors=2))["within"]
    assert not report.growth(_read("seats", 3000, errors=1), _read("seats", 3000))["within"]
    missing = report.growth(_read("seats", 3000), None)
    assert missing["ratio"] is None and not missing["within"]
    assert not report.growth(_read("seats", 3000), _read("seats", 0))["within"]


def test_goal_5_is_met_only_when_every_read_of_the_service_is_within():
    """Issue 13 goal 5: the verdict covers every read of the service at scale 1 (the floor's
    and PostGraphile's are left out); one read beyond, or one not measured at the larger
    scale, misses it, and the worst ratio is the figure."""
    base = {
        "seats": _read("seats", 3000),
        "floor_seats": _read("floor", 6000, server="floor"),
        "resources_search": _read("search", 40),
    }
    bigger = {"seats": _read("seats", 2800), "resources_search": _read("search", 30)}
    found = report.growths(base, bigger)
    assert set(found) == {"seats", "resources_search"}
    verdict = report.growth_verdict(found)
    assert verdict == {"met": True, "worst": pytest.approx(1.33), "beyond": []}

    bigger["resources_search"] = _read("search", 4)
    verdict = report.growth_verdict(report.growths(base, bigger))
    assert not verdict["met"]
    assert verdict["worst"] == pytest.approx(10)
    assert verdict["beyond"] == ["resources_search"]

    del bigger["resources_search"]
    verdict = report.growth_verdict(report.growths(base, bigger))
    assert not verdict["met"]
    assert verdict["worst"] is None
    assert verdict["beyond"] == ["resources_search"]
    assert not report.growth_verdict({})["met"]


def test_goals_5_and_7_are_missed_when_the_larger_database_was_not_measured():
    """Issue 13 goals 5 and 7: a run that left the tenfold reads out shows both goals missed,
    saying why, rather than leaving them out of the report."""
    found = run.tenfold_targets({"databases": {}, "tenfold": {"skipped": "left out"}})
    assert [t["goal"] for t in found] == ["≤ 1.5", "reported"]
    assert not any(t["met"] for t in found)
    assert all("left out" in t["note"] for t in found)


def test_goal_7_reports_the_resident_size_at_a_million_people():
    """Issue 13 goal 7: the service's resident size after every read at 1 000 000 people is
    the figure, beside the size at 100 000; goal 5 comes from the same reads."""
    base = {"seats": _read("seats", 3000)}
    tenfold = {
        "growth": report.growths(base, {"seats": _read("seats", 1000)}),
        "memory_mib": {"service": 180.5},
    }
    results = {"databases": {"postgres": {"memory_mib": {"service": 120.0}}}, "tenfold": tenfold}
    growth, memory = run.tenfold_targets(results)
    assert not growth["met"] and growth["figure"] == pytest.approx(3)
    assert memory["met"] and memory["figure"] == pytest.approx(180.5)
    assert "120.0 MiB" in memory["note"]


def _scenario(rps: float, server_ms: float, postgres_ms: float, p50: float = 10.0) -> dict:
    return {
        "rps": rps,
        "p50_ms": p50,
        "errors": 0,
        "cpu_ms_per_request": {"server": server_ms, "postgres": postgres_ms},
    }


def test_issue_13_goals_1_to_4_are_figures_of_this_run_met_or_missed():
    """Issue 13 goals 1 to 4 from one run's figures: PostgreSQL's CPU of a page a tenth of
    PostGraphile's at most, the service's own CPU at most PostGraphile's and its throughput
    at least PostGraphile's, the first look at the next invoice within 100 ms, and the SQLite
    search within 20 ms."""
    results = {
        "databases": {
            "postgres": {
                "scenarios": {
                    "seats": _scenario(1800, 0.5, 0.09),
                    "postgraphile_seats": _scenario(3400, 0.25, 0.06),
                    "resources_first": _scenario(320, 2.9, 0.5),
                    "postgraphile_resources_first": _scenario(160, 3.0, 8.0),
                }
            },
            "sqlite": {"scenarios": {"resources_search": _scenario(90, 6.0, 0.0, p50=9.8)}},
        },
        "first_look": {
            "postgres": {
                "nextInvoice { total }, first look": {"p50_ms": 120.0},
                "nextInvoice { total }, kept": {"p50_ms": 1.2},
            }
        },
    }
    found = {t["target"]: t for t in run.goal_targets(results)}
    goal_1 = found["goal 1: PostgreSQL CPU of a page with totalCount ÷ PostGraphile's"]
    assert (goal_1["figure"], goal_1["met"]) == (0.06, True)
    seats_cpu = found["goal 2: service CPU ÷ PostGraphile's, seats"]
    assert (seats_cpu["figure"], seats_cpu["met"]) == (2.0, False)
    page_cpu = found["goal 2: service CPU ÷ PostGraphile's, resources(first: 100)"]
    assert (page_cpu["figure"], page_cpu["met"]) == (0.97, True)
    assert found["goal 2: seats ÷ PostGraphile"]["met"] is False
    assert found["goal 2: resources(first: 100) ÷ PostGraphile"]["met"] is True
    assert found["goal 4: search on SQLite at 100,000 people, p50 ms"]["met"] is True
    first_look = found["goal 3: postgres: nextInvoice with 10 000 changes, first look, p50 ms"]
    assert (first_look["figure"], first_look["met"]) == (120.0, False)
    assert "kept ÷ first 0.01" in first_look["note"]
    results["databases"]["postgres"]["scenarios"]["postgraphile_resources_first"] = _scenario(
        160, 3.0, 4.0
    )
    again = {t["target"]: t for t in run.goal_targets(results)}
    assert (
        again["goal 1: PostgreSQL CPU of a page with totalCount ÷ PostGraphile's"]["met"] is False
    )
