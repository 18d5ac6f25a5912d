"""The ORM configuration; the migration tool reads `TORTOISE_ORM` from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.settings import get_settings

MODEL_MODULES = [
    "server.accounts.models",
    "server.licensing.models",
    "server.billing.models",
    "server.idempotency",
]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def tortoise_config(database_url: str | None = None) -> dict[str, Any]:
    url = database_url or get_settings().database_url
    if url.startswith("sqlite://"):
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
    return {
        "connections": {"default": url},
        "apps": {
            "models": {
                "models": [*MODEL_MODULES, "aerich.models"],
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config()


async def migrate(database_url: str | None = None) -> list[str]:
    """Apply every committed migration that the database has not seen yet."""
    from aerich import Command

    command = Command(tortoise_config(database_url), app="models", location=str(MIGRATIONS))
    async with command:
        await command.init()
        return await command.upgrade(run_in_transaction=True)
