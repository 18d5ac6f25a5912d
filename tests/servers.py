"""Real server processes for tests that need them: several processes, websockets, a browser."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_python(database_url: str, *args: str) -> str:
    """`python ARGS` in the project against a database; its output, or a failure that shows
    it."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # A script given with -c is named by its first line only.
    command = " ".join(a.strip().splitlines()[0] if "\n" in a else a for a in args)
    assert done.returncode == 0, f"`python {command}` failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def run_cli(database_url: str, *args: str) -> str:
    """`python -m server ARGS` against a database; its output, or a failure that shows it."""
    return run_python(database_url, "-m", "server", *args)


async def run_cli_at_once(database_url: str, processes: int, *args: str) -> list[str]:
    """`python -m server ARGS` in several processes started together; each one's output,
    once all have ended, or a failure that shows them."""
    env = {**os.environ, "DATABASE_URL": database_url}
    runs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server",
            *args,
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    outputs = [await run.communicate() for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    return [out.decode() for out, _ in outputs]


@dataclass
class Server:
    base_url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def log_tail(self, size: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-size:]

    def stop(self) -> None:
        """Stop the server and its workers: the whole process group it leads."""
        for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue

    def worker_pids(self) -> list[int]:
        """The worker processes serving now (with `workers` > 1)."""
        return worker_pids(self.process.pid)

    async def workers_up(self, count: int, seconds: float = 20) -> list[int]:
        """The worker processes once `count` of them run, or as they are after `seconds`."""
        deadline = time.monotonic() + seconds
        while len(pids := self.worker_pids()) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        return pids


def _stat_fields(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def worker_pids(parent: int) -> list[int]:
    """The uvicorn workers (Linux): the children of the server process that multiprocessing
    spawned (not, say, its resource tracker), alive."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.name)
        if fields is None or int(fields[1]) != parent or fields[0] == "Z":
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(int(entry.name))
    return sorted(found)


def connections_held(pids: list[int], port: int) -> dict[int, int]:
    """How many established TCP connections on `port` each process holds (Linux)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            if int(columns[1].rsplit(":", 1)[1], 16) == port and columns[3] == "01":
                inodes.add(f"socket:[{columns[9]}]")
    held = {}
    for pid in pids:
        count = 0
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            fds = []
        for fd in fds:
            try:
                count += os.readlink(fd) in inodes
            except OSError:
                continue
        held[pid] = count
    return held


async def wait_until_healthy(server: Server, seconds: float = 30) -> None:
    """Until the server answers /healthz; a failure with its log if it stops or never does."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=server.base_url, timeout=2) as http:
        while time.monotonic() < deadline:
            assert server.process.poll() is None, f"the server stopped:\n{server.log_tail()}"
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(
        f"the server did not answer /healthz in {seconds:g} s:\n{server.log_tail()}"
    )


@asynccontextmanager
async def running_server(
    database_url: str, log_dir: Path, *, workers: int = 1, env: dict[str, str] | None = None
) -> AsyncIterator[Server]:
    """`python -m server serve` on a free port, in a process group of its own."""
    port = free_port()
    log = log_dir / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", port, process, log)
    try:
        await wait_until_healthy(server)
        yield server
    finally:
        server.stop()
