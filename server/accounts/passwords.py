"""Password hashing with argon2id, at the cost the settings give (SEATS_ARGON2_TIME_COST,
SEATS_ARGON2_MEMORY_KIB: the library's recommended one unless lowered, as the test suite
does to hash hundreds of passwords quickly)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.settings import get_settings

_settings = get_settings()
_hasher = PasswordHasher(
    time_cost=_settings.argon2_time_cost, memory_cost=_settings.argon2_memory_kib
)
# Verified when no account matches, so that a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
