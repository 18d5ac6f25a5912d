"""Webhook throughput (issue 15): events delivered per second to a receiver on loopback,
beside licence changes made per second, as a ratio, in one process on a fresh SQLite file.

    python bench/webhooks.py [--changes N]

Prints the figures as JSON. The changes are timed first without an endpoint (what a change
costs), then with one (what writing the outbox adds); then the delivery job sends every event
to a receiver that answers 204 at once (in a process of its own: its work is not the
service's), and that is timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def receive(port: int) -> None:
    """The receiver, in a process of its own (so that its work is not the job's): answers every
    POST with 204 at once, and GET /count with how many it took."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    count = [0]

    async def hook(request):
        await request.body()
        count[0] += 1
        return Response(status_code=204)

    async def counted(request):
        return PlainTextResponse(str(count[0]))

    app = Starlette(
        routes=[Route("/hook", hook, methods=["POST"]), Route("/count", counted, methods=["GET"])]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _start_receiver(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, __file__, "--receive", str(port)])
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/count", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the receiver did not start")


async def measure(changes: int) -> dict:
    import socket

    from tortoise import Tortoise

    from server.accounts.services import create_organization
    from server.db import migrate, tortoise_config
    from server.licensing import services
    from server.settings import get_settings
    from server.webhooks import delivery
    from server.webhooks import services as webhooks
    from server.webhooks.models import EventType, WebhookDelivery

    url = f"sqlite://{tempfile.mkdtemp()}/webhooks.sqlite3"
    await migrate(url)
    await Tortoise.init(config=tortoise_config(url))
    org, admin = await create_organization(
        "Bench",
        admin_name="A",
        admin_email="a@example.com",
        admin_password="x" * 16,
        time_zone="UTC",
        now=datetime.now(UTC),
    )
    actor = services.Actor.person(admin)

    async def make(first: int) -> float:
        started = time.perf_counter()
        for n in range(first, first + changes):
            await services.set_license_count(actor, n, maximum=10**6)
        return changes / (time.perf_counter() - started)

    plain = await make(10)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    await webhooks.create_endpoint(
        org.id,
        f"http://127.0.0.1:{port}/hook",
        "",
        [EventType.LICENSE_COUNT_CHANGED],
        enabled=True,
    )
    with_outbox = await make(10 + changes)
    receiver = _start_receiver(port)
    try:
        settings = get_settings()
        started = time.perf_counter()
        async with delivery.new_client() as client:
            while await WebhookDelivery.filter(status="PENDING").exists():
                await delivery.deliver_due(client, settings)
        delivered = changes / (time.perf_counter() - started)
        received = int(httpx.get(f"http://127.0.0.1:{port}/count", timeout=5).text)
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    await Tortoise.close_connections()
    assert received == changes, received
    return {
        "changes": changes,
        "changes_per_s": round(plain, 1),
        "changes_with_outbox_per_s": round(with_outbox, 1),
        "delivered_per_s": round(delivered, 1),
        "delivered_per_change": round(delivered / plain, 2),
        "outbox_cost": round(plain / with_outbox, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--receive", type=int, help="be the receiver, on this port")
    args = parser.parse_args()
    if args.receive:
        receive(args.receive)
        return
    os.environ["SEATS_WEBHOOKS_ALLOW_PRIVATE"] = "1"
    print(json.dumps(asyncio.run(measure(args.changes))))


if __name__ == "__main__":
    main()
