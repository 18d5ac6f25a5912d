"""Command line: `python -m server migrate | serve | create-admin | seed-demo | export-schema |
issue-invoices | run-due`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from tortoise import Tortoise

from server.db import migrate, tortoise_config
from server.errors import DomainError


async def _with_database(work: Callable[[], Awaitable[Any]]) -> Any:
    await Tortoise.init(config=tortoise_config())
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


def cmd_migrate(args: argparse.Namespace) -> None:
    applied = asyncio.run(migrate())
    print("Applied: " + ", ".join(applied) if applied else "The database is up to date.")


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from server import logs
    from server.settings import get_settings

    logs.configure(args.log_level)
    print(f"Seats is at http://{args.host}:{args.port}/ (GraphiQL at /graphql)", flush=True)
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        log_level=args.log_level,
        # Applied in every worker too: JSON lines with the request id from each process.
        log_config=logs.uvicorn_log_config(args.log_level),
        # A websocket message is held to the same size as a request body.
        ws_max_size=get_settings().max_body_bytes,
        # The client address (request.client) is taken from X-Forwarded-For only when the
        # peer is one of these: otherwise anyone could pick the address they are counted as.
        proxy_headers=True,
        forwarded_allow_ips=get_settings().forwarded_allow_ips,
    )


def cmd_create_admin(args: argparse.Namespace) -> None:
    from server.accounts.services import create_organization

    org, admin = asyncio.run(
        _with_database(
            lambda: create_organization(
                args.org,
                admin_name=args.name or args.email.split("@")[0],
                admin_email=args.email,
                admin_password=args.password,
                time_zone=args.time_zone,
            )
        )
    )
    print(f"Created organisation {org.name!r} (id {org.id}) with administrator {admin.email}.")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from server.demo import seed_demo

    email, password, created = asyncio.run(_with_database(seed_demo))
    print("Demo organisation " + ("created." if created else "already there."))
    print(f"Sign in as {email} with password {password}")


def _moment(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not an ISO date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_issue_invoices(args: argparse.Namespace) -> None:
    from server.billing.services import issue_due_invoices

    issued = asyncio.run(_with_database(lambda: issue_due_invoices(_moment(args.at))))
    for invoice in issued:
        print(f"Issued {invoice.number}: {invoice.total} {invoice.currency}")
    print(f"{len(issued)} invoice(s) issued.")


def cmd_run_due(args: argparse.Namespace) -> None:
    from server.jobs import run_due

    applied = asyncio.run(_with_database(lambda: run_due(_moment(args.at))))
    print(f"{applied} scheduled termination(s) applied.")


def cmd_export_schema(args: argparse.Namespace) -> None:
    from server.api.schema import export_schema

    sys.stdout.write(export_schema())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="apply the database migrations").set_defaults(
        run=cmd_migrate
    )

    serve = commands.add_parser("serve", help="serve the page and the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=cmd_serve)

    admin = commands.add_parser("create-admin", help="a new organisation and its administrator")
    admin.add_argument("--org", required=True, help="the organisation's name")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", required=True)
    admin.add_argument("--name", help="the administrator's name (default: from the e-mail)")
    admin.add_argument("--time-zone", default="UTC")
    admin.set_defaults(run=cmd_create_admin)

    commands.add_parser("seed-demo", help="load the demo organisation once").set_defaults(
        run=cmd_seed_demo
    )
    commands.add_parser("export-schema", help="print the GraphQL schema").set_defaults(
        run=cmd_export_schema
    )

    issue = commands.add_parser("issue-invoices", help="issue every invoice that is due")
    issue.add_argument("--at", help="as if now were this ISO date and time (default: now)")
    issue.set_defaults(run=cmd_issue_invoices)
    due = commands.add_parser("run-due", help="apply scheduled terminations that are due")
    due.add_argument("--at", help="as if now were this ISO date and time (default: now)")
    due.set_defaults(run=cmd_run_due)

    args = parser.parse_args(argv)
    try:
        args.run(args)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    except argparse.ArgumentTypeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
