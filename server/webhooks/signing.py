"""Secrets and signatures, as the Standard Webhooks specification has them, made by its
library (`standardwebhooks`): `webhook-id`, `webhook-timestamp` and `webhook-signature`
headers, the signature an HMAC-SHA256 of `id.timestamp.body`."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime
from math import floor

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A new endpoint secret: 32 random bytes, base64, with the specification's prefix."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def headers(
    signing_secrets: Sequence[str], message_id: str, at: datetime, body: str
) -> dict[str, str]:
    """The headers of one attempt. With several secrets (a rotation's overlap) the signature
    header holds one signature per secret, space-separated: a receiver with either verifies."""
    signatures = " ".join(Webhook(s).sign(message_id, at, body) for s in signing_secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
    }
