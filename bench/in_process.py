"""Server CPU per GraphQL request, measured in one process (issues 11 and 13).

The service's ASGI app (server/app.py `create_app`) is called in-process, without a socket or
uvicorn, on uvloop as the server runs, with an API token (`Authorization: Bearer …`) like the
integrations and the load runs. For each query: a warm-up, then `--repeats` rounds of
`--requests` requests one after another; a round's CPU time (`time.process_time()`, the
process's user + system time, which other work on a shared machine disturbs less than wall
time) divided by its requests is its figure, and the fastest round is printed.

The queries:

    seats       { seats { licenseCount used available } }
    resources   resources(first: 100) { totalCount edges { node { id name email kind active
                loginAccess } cursor } pageInfo { hasNextPage endCursor } }

Drivers (`--driver`):

    asgi    the ASGI app called directly with a POST's scope and body (default): what is
            measured is the server's work, plus a few microseconds of the call itself
    httpx   through httpx.ASGITransport, as a client in the same process would: adds the
            client's own CPU (about 0.1 ms a request) to every figure

The data: one organisation ("In process") with `PEOPLE` people made through the domain
services, in a migrated database; made if the database holds no such organisation yet and
reused otherwise. A new token is made at each run.

    createdb -h 127.0.0.1 -U postgres seats_speed
    python bench/in_process.py postgres://postgres@127.0.0.1:5432/seats_speed
    python bench/in_process.py sqlite://var/bench/in_process.sqlite3 --requests 500

To compare two versions of the code, run this script from each checkout in turn (with
PYTHONPATH at the checkout), several times, interleaved: the machine's load changes. On a
busy machine two runs of the same code differ by up to a tenth; a change worth less than
that is measured better by timing the changed function both ways in one process.
`--profile SECONDS` runs the first query in a loop that long after the measurement (for
`py-spy record --pid` from outside, or `py-spy record -- python bench/in_process.py …`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from tortoise import Tortoise  # noqa: E402

from server.accounts.models import Organization, Scope  # noqa: E402
from server.accounts.services import create_organization  # noqa: E402
from server.accounts.tokens import create_api_token  # noqa: E402
from server.app import create_app, settle_memory  # noqa: E402
from server.db import migrate, tortoise_config  # noqa: E402
from server.licensing import services  # noqa: E402
from server.settings import Settings  # noqa: E402

ORG = "In process"
PEOPLE = 150
QUERIES = {
    "seats": "{ seats { licenseCount used available } }",
    "resources": "{ resources(first: 100) { totalCount edges { node { id name email kind active "
    "loginAccess } cursor } pageInfo { hasNextPage endCursor } } }",
}


async def organisation() -> Organization:
    """The organisation with its people, made once."""
    org = await Organization.get_or_none(name=ORG)
    if org is not None:
        return org
    org, admin = await create_organization(
        ORG,
        admin_name="Admin",
        admin_email="admin@in-process.example",
        admin_password="in process password",
        time_zone="UTC",
    )
    actor = services.Actor(admin.organization_id, admin.id, admin.name, admin.role)
    for i in range(PEOPLE - 1):
        await services.add_resource(
            actor,
            services.NewResource(
                name=f"Person {i:04d}",
                email=f"person{i:04d}@in-process.example",
                login_access=i % 3 == 0,
                start_date=date(2026, 1, 1),
            ),
            accept_increase=True,
            maximum=100_000,
        )
    return await Organization.get(id=org.id)


def asgi_sender(app, headers: dict[str, str]):
    """A function that POSTs a JSON body to /graphql through the ASGI app, answering the
    status and the body."""
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def post(body: bytes) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": [
                *raw_headers,
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("bench", 80),
            "state": {},
        }
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return status, b"".join(chunks)

    return post


def httpx_sender(app, headers: dict[str, str]):
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", headers=headers
    )

    async def post(body: bytes) -> tuple[int, bytes]:
        answer = await client.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        return answer.status_code, answer.content

    return post


async def measure(post, body: bytes, requests: int, repeats: int, warmup: int) -> list[float]:
    """CPU ms per request of each round."""
    status, answer = await post(body)
    assert status == 200 and b'"errors"' not in answer, (status, answer[:500])
    for _ in range(warmup):
        await post(body)
    rounds = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(requests):
            await post(body)
        rounds.append((time.process_time() - start) * 1000 / requests)
    return rounds


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--driver", choices=("asgi", "httpx"), default="asgi")
    parser.add_argument("--query", action="append", choices=sorted(QUERIES))
    parser.add_argument("--profile", type=float, default=0, metavar="SECONDS")
    parser.add_argument("--json", action="store_true", help="print one JSON line at the end")
    args = parser.parse_args()
    url = args.database_url
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    try:
        org = await organisation()
        token, _ = await create_api_token(
            org.id, "in process", [Scope.SEATS_READ], created_by_id=None
        )
        settings = Settings(database_url=url)
        app = create_app(settings, manage_database=False)
        # The cycle collector as a started server sets it (its lifespan does, which this
        # in-process app skips).
        settle_memory(settings.gc_youngest)
        headers = {"authorization": f"Bearer {token}"}
        post = (asgi_sender if args.driver == "asgi" else httpx_sender)(app, headers)
        names = args.query or list(QUERIES)
        figures = {}
        for name in names:
            body = json.dumps({"query": QUERIES[name]}).encode()
            rounds = await measure(post, body, args.requests, args.repeats, args.warmup)
            figures[name] = round(min(rounds), 4)
            shown = " ".join(f"{r:.4f}" for r in rounds)
            print(f"{name}: {min(rounds):.4f} ms CPU/request (rounds: {shown})", flush=True)
        if args.profile:
            body = json.dumps({"query": QUERIES[names[0]]}).encode()
            end = time.monotonic() + args.profile
            while time.monotonic() < end:
                for _ in range(100):
                    await post(body)
        if args.json:
            print(json.dumps({"driver": args.driver, **figures}))
    finally:
        await Tortoise.close_connections()
    return 0


if __name__ == "__main__":
    import uvloop

    sys.exit(uvloop.run(main()))
