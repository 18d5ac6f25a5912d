"""A PostgreSQL cluster of a test's own, for fault tests that stop, restart or kill the
database: the shared cluster on 5432 is never touched.

    async with postgres_cluster() as cluster:
        url = cluster.url               # postgres://postgres@127.0.0.1:<port>/postgres
        ...
        await cluster.restart()         # fast shutdown (connections are cut), then start

The cluster is made with Debian's `pg_createcluster` (the newest installed version) on a free
port, with trust authentication for local and 127.0.0.1 connections (initdb `--auth=trust`),
no durability (fsync off: a test's data need not survive a power cut), and is always dropped
afterwards (`pg_dropcluster --stop`), also when the test fails.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from tests.servers import free_port

ETC = Path("/etc/postgresql")


def newest_version() -> str:
    versions = sorted((p.name for p in ETC.iterdir() if p.name.isdigit()), key=int)
    if not versions:
        raise RuntimeError(f"no PostgreSQL version under {ETC}")
    return versions[-1]


async def _run(*command: str, timeout: float = 120) -> str:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout)
    text = out.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{text}")
    return text


@dataclass
class Cluster:
    version: str
    name: str
    port: int

    @property
    def url(self) -> str:
        """The URL of its `postgres` database, as the server takes it."""
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    async def _ctl(self, action: str, *options: str) -> None:
        await _run(
            "pg_ctlcluster", "--skip-systemctl-redirect", *options, self.version, self.name, action
        )

    async def start(self) -> None:
        await self._ctl("start")
        await self.wait_until_ready()

    async def stop(self) -> None:
        """Fast shutdown: open connections are cut, as when the database goes away."""
        await self._ctl("stop", "--mode=fast")

    async def restart(self) -> None:
        """Fast shutdown (connections are cut), then start; returns once it takes connections."""
        await self._ctl("restart", "--mode=fast")
        await self.wait_until_ready()

    async def wait_until_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                conn = await asyncpg.connect(self.url.replace("postgres://", "postgresql://"))
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
                continue
            await conn.close()
            return


@asynccontextmanager
async def postgres_cluster(prefix: str = "seats_test") -> AsyncIterator[Cluster]:
    """A new, running cluster; dropped (stopped first) when the block ends, however it ends."""
    cluster = Cluster(newest_version(), f"{prefix}_{uuid.uuid4().hex[:10]}", free_port())
    try:
        await _run(
            "pg_createcluster",
            cluster.version,
            cluster.name,
            "--port",
            str(cluster.port),
            "--start-conf",
            "manual",
            "-o",
            "fsync=off",
            "-o",
            "shared_buffers=32MB",
            "--",
            "--auth=trust",
        )
        await cluster.start()
        yield cluster
    finally:
        if (ETC / cluster.version / cluster.name).exists():
            await _run("pg_dropcluster", "--stop", cluster.version, cluster.name)
