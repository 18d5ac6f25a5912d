"""What a serving process sets up for itself once started (server/app.py `settle_memory`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.settings import Settings
from tests.servers import run_cli, run_python

# Starts the app's lifespan as uvicorn does, in a process of its own (the test process keeps
# its own collector untouched), and reports the collector's state before and after.
STARTED = """
import asyncio, gc, json, sys
from server.app import create_app
from server.settings import Settings

async def main():
    app = create_app(Settings(database_url=sys.argv[1], gc_youngest=int(sys.argv[2])))
    before = [gc.get_freeze_count(), gc.get_threshold()[0]]
    async with app.router.lifespan_context(app):
        after = [gc.get_freeze_count(), gc.get_threshold()[0]]
    print(json.dumps({"before": before, "after": after}))

asyncio.run(main())
"""


def test_a_started_server_leaves_what_it_loaded_out_of_cycle_collections(tmp_path: Path):
    """issue 13 goal 2: once started, a serving process freezes what it holds (the schema,
    the models, the pools) out of the cycle collector's rounds and collects its youngest
    generation after 10 000 new objects, not 700: 5 to 9 % of the CPU of a page of 100 people
    went to the collector, mostly to collections that freed nothing (bench/profiles/README.md)."""
    url = f"sqlite://{tmp_path / 'seats.sqlite3'}"
    run_cli(url, "migrate")
    default = Settings(database_url=url).gc_youngest
    assert default == 10_000
    for youngest in (default, 3000):
        state = json.loads(
            run_python(url, "-c", STARTED, url, str(youngest)).strip().splitlines()[-1]
        )
        assert state["before"] == [0, 700]
        frozen, collected_after = state["after"]
        assert frozen > 10_000  # the modules, the schema and the ORM at least
        assert collected_after == youngest


def test_the_collectors_setting_is_read_and_checked(monkeypatch: pytest.MonkeyPatch):
    """SEATS_GC_YOUNGEST sets it; 0, which would stop the collector, is refused by name."""
    monkeypatch.setenv("SEATS_GC_YOUNGEST", "3000")
    assert Settings().gc_youngest == 3000
    monkeypatch.setenv("SEATS_GC_YOUNGEST", "0")
    with pytest.raises(ValueError, match="SEATS_GC_YOUNGEST is 0: it must be at least 1"):
        Settings()
