"""The two commands of the README, as make would run them (a dry run: nothing is installed or
started here)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dry_run(*arguments: str) -> list[str]:
    """The commands `make` would run for `arguments`, every target taken as out of date."""
    done = subprocess.run(
        ["make", "--dry-run", "--always-make", "--no-print-directory", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_make_run_listens_where_it_is_told_and_installs_only_what_running_needs():
    """Issue 12 item 12: `make run HOST=… PORT=…` serves there (the default stays
    127.0.0.1:8000), and installs the service's packages without the test tools (browser
    driver, fuzzers, linter)."""
    commands = dry_run("run", "HOST=0.0.0.0", "PORT=8123")
    assert commands[-1].endswith("-m server serve --host 0.0.0.0 --port 8123")
    installs = [c for c in commands if "pip install" in c and "--upgrade pip" not in c]
    assert installs and all("[test]" not in c and "[bench]" not in c for c in installs)
    assert dry_run("run")[-1].endswith("-m server serve --host 127.0.0.1 --port 8000")


def test_make_test_installs_the_test_tools():
    """Issue 12 item 12: the tests' packages come with `make test`, on top of the service's."""
    commands = dry_run("test")
    assert any("pip install" in c and ".[test]" in c for c in commands)


def test_make_run_and_make_test_install_the_browser_files_from_the_lock_file():
    """Issue 12 item 1: GraphiQL's files (and axe-core for the browser tests) are installed
    with `npm ci` from vendor/package-lock.json before the service runs or is tested."""
    for target in ("run", "test"):
        assert "cd vendor && npm ci --no-audit --no-fund" in dry_run(target), target


def test_make_bench_installs_postgraphile_from_its_lock_file_and_make_test_does_not():
    """Issue 13 goal 6: PostGraphile 5 and Node.js 22, the bench's comparison, come with
    `npm ci` from bench/postgraphile/package-lock.json in `make bench`, never in `make test`."""
    install = "cd bench/postgraphile && npm ci"
    assert any(install in c for c in dry_run("bench"))
    assert not any(install in c or "bench/postgraphile" in c for c in dry_run("test"))
