"""`python bench/held.py serve …`: the service (`python -m server serve …`), timing how long
each transaction holds an organisation's row lock, for the benchmark's licence changes.

Every licence change locks its organisation's row first (`SELECT … FOR UPDATE`, in
server/licensing/services.py's `seat_change`) and keeps it until the commit: no other change
to that organisation can run meanwhile, so one organisation takes at most one change per hold
time, however many server processes there are. Measured from where the locking statement
has returned to where the commit has, at the driver (tortoise's asyncpg transaction), so the
service's code is not touched: each process appends its holds (the wall-clock time of the
commit and the seconds held), as JSON lines, to `$BENCH_HOLDS_DIR/<pid>.jsonl`.

Run as a script, so that uvicorn's worker processes (started with multiprocessing's spawn,
which runs this file again as their main module) time their transactions too.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tortoise.backends.asyncpg.client import TransactionWrapper

LOCK_CLAUSE = "FOR UPDATE"
_execute_query = TransactionWrapper.execute_query
_commit = TransactionWrapper.commit
_file: int | None = None


def _record(held: float) -> None:
    """One line per hold, written straight to the process's file (uvicorn ends its processes
    by raising the signal it stopped on again, so nothing kept in memory would be written
    at exit)."""
    global _file
    if _file is None:
        path = Path(os.environ["BENCH_HOLDS_DIR"]) / f"{os.getpid()}.jsonl"
        _file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(_file, (json.dumps({"at": time.time(), "held_s": held}) + "\n").encode())


async def _timed_query(self: TransactionWrapper, query: str, values: list | None = None):
    result = await _execute_query(self, query, values)
    if LOCK_CLAUSE in query and getattr(self, "_bench_locked_at", None) is None:
        self._bench_locked_at = time.perf_counter()
    return result


async def _timed_commit(self: TransactionWrapper) -> None:
    await _commit(self)
    locked_at = getattr(self, "_bench_locked_at", None)
    if locked_at is not None:
        _record(time.perf_counter() - locked_at)
        self._bench_locked_at = None


TransactionWrapper.execute_query = _timed_query
TransactionWrapper.commit = _timed_commit


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from server.__main__ import main

    sys.exit(main(sys.argv[1:]))
