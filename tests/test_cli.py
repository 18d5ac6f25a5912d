"""The command line, run as a user would, against a database of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES, create_postgres_database, drop_postgres_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def fresh_url(tmp_path):
    if ON_POSTGRES:
        url = await create_postgres_database("seats_cli")
        yield url
        await drop_postgres_database(url)
    else:
        yield f"sqlite://{tmp_path / 'cli.sqlite3'}"


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_create_admin_and_refuse_bad_input(fresh_url):
    assert "Applied" in cli(fresh_url, "migrate").stdout
    assert "up to date" in cli(fresh_url, "migrate").stdout
    made = cli(
        fresh_url,
        "create-admin",
        "--org",
        "Nordic AB",
        "--email",
        "boss@nordic.example",
        "--password",
        "a long enough password",
        "--time-zone",
        "Europe/Stockholm",
    )
    assert made.returncode == 0, made.stderr
    assert "Nordic AB" in made.stdout
    bad = cli(
        fresh_url, "create-admin", "--org", "X", "--email", "x@example.com", "--password", "short"
    )
    assert bad.returncode == 2
    assert "at least 10 characters" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_seed_demo_loads_the_demo_once_and_its_sign_in_works(fresh_url, tmp_path):
    os.environ["SEATS_VAR_DIR"] = str(tmp_path)
    try:
        cli(fresh_url, "migrate")
        first = cli(fresh_url, "seed-demo")
        second = cli(fresh_url, "seed-demo")
    finally:
        del os.environ["SEATS_VAR_DIR"]
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout and "already there" in second.stdout
    password = (tmp_path / "demo-login.txt").read_text().strip()
    assert f"Sign in as admin@demo.example with password {password}" in second.stdout
