"""The benchmark's arithmetic (bench/report.py, bench/run.py): the capacity table and the
interleaved rounds. Issue 13 goal 6. Pure functions on made-up figures: nothing is measured."""

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
