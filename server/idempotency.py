"""R13: a mutation retried with the same idempotency key answers as the first time and changes
nothing more.

The key is claimed inside the transaction of the change itself, with the organisation row
locked, and the domain outcome is stored with it: two requests with one key cannot both
change anything, and no change can commit without its key (nor a key without its change).

A key belongs to whoever sent it (a person, or an API token): the same string sent by
another actor of the organisation is another key, answered on its own.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from server.errors import DomainError, InvalidInput
from server.text import check_text

KEEP_FOR = timedelta(hours=48)
MAX_KEY = 200


class IdempotencyConflict(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyKey(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=MAX_KEY)
    # Who sent the key: "person:<resource id>" or "token:<api token id>" (see `actor_key`).
    actor = fields.CharField(max_length=40, default="")
    operation = fields.CharField(max_length=64)
    fingerprint = fields.CharField(max_length=64)
    outcome = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("organization", "actor", "key"),)
        indexes = (("created_at",),)


@dataclass(frozen=True)
class Idempotency:
    """The key a caller sent, and what the request asked for (to tell a retry from a reuse)."""

    key: str
    operation: str
    fingerprint: str

    @classmethod
    def of(cls, key: str | None, operation: str, **arguments: Any) -> Idempotency | None:
        if key is None:
            return None
        if not key.strip() or len(key) > MAX_KEY:
            raise InvalidInput(
                f"An idempotency key has 1 to {MAX_KEY} characters.", field="idempotencyKey"
            )
        check_text(key, "idempotencyKey")
        canonical = json.dumps([operation, arguments], sort_keys=True, default=_plain)
        return cls(key, operation, hashlib.sha256(canonical.encode()).hexdigest())


def _plain(value: Any) -> Any:
    """JSON for what the standard encoder does not know: enums, dates, dataclasses."""
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    plain = _plain_value(value)
    if plain is value:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")
    return plain


def actor_key(resource_id: int | None, token_id: int | None) -> str:
    """Whose keys: a person's own, or an API token's own."""
    return f"token:{token_id}" if token_id is not None else f"person:{resource_id}"


async def replay(
    conn: BaseDBAsyncClient, organization_id: int, actor: str, idempotency: Idempotency | None
) -> str | None:
    """The stored outcome of an earlier request with this key by this actor, if there was
    one. Call with the organisation row locked."""
    if idempotency is None:
        return None
    earlier = (
        await IdempotencyKey.filter(
            organization_id=organization_id, actor=actor, key=idempotency.key
        )
        .using_db(conn)
        .first()
    )
    if earlier is None:
        return None
    if (earlier.operation, earlier.fingerprint) != (idempotency.operation, idempotency.fingerprint):
        raise IdempotencyConflict(
            "This idempotency key was already used for a different request. Use a new key "
            "for a new change.",
            field="idempotencyKey",
        )
    return earlier.outcome


async def remember(
    conn: BaseDBAsyncClient,
    organization_id: int,
    actor: str,
    idempotency: Idempotency | None,
    outcome: str,
) -> None:
    if idempotency is None:
        return
    await IdempotencyKey.create(
        using_db=conn,
        organization_id=organization_id,
        actor=actor,
        key=idempotency.key,
        operation=idempotency.operation,
        fingerprint=idempotency.fingerprint,
        outcome=outcome,
    )


def encode_outcome(outcome: Any) -> str:
    """A domain outcome (a dataclass, possibly holding models) as JSON, secrets left out."""
    return json.dumps(_encode(outcome))


def _encode(value: Any) -> Any:
    if isinstance(value, Model):
        values = {
            name: _plain_value(getattr(value, name))
            for name in value._meta.fields_db_projection
            if name != "password_hash"
        }
        return {"__model__": type(value).__name__, "values": values}
    if dataclasses.is_dataclass(value):
        fields_ = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, "fields": fields_}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return _plain_value(value)


def _plain_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def decode_outcome(text: str, types: dict[str, type]) -> Any:
    """The inverse of `encode_outcome`, given the classes it may name."""
    return _decode(json.loads(text), types)


def _decode(value: Any, types: dict[str, type]) -> Any:
    if isinstance(value, dict) and "__model__" in value:
        return types[value["__model__"]](**value["values"])
    if isinstance(value, dict) and "__type__" in value:
        cls = types[value["__type__"]]
        return cls(**{k: _decode(v, types) for k, v in value["fields"].items()})
    if isinstance(value, list):
        return [_decode(item, types) for item in value]
    return value


async def forget_expired(now: datetime) -> int:
    return await IdempotencyKey.filter(created_at__lt=now - KEEP_FOR).delete()
