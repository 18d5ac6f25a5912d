"""Every setting of the service, read from the environment with embedded defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"

config = Config()


def normalise_database_url(url: str) -> str:
    """Accept the usual `postgresql://` spelling as well as the ORM's own `postgres://`."""
    for prefix in ("postgresql+asyncpg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str = field(
        default_factory=lambda: normalise_database_url(
            config("DATABASE_URL", default=f"sqlite://{VAR / 'seats.sqlite3'}")
        )
    )
    max_license_count: int = field(
        default_factory=lambda: config("SEATS_MAX_LICENSE_COUNT", cast=int, default=100_000)
    )
    session_cookie_name: str = "seats_session"
    session_cookie_secure: bool = field(
        default_factory=lambda: config("SEATS_COOKIE_SECURE", cast=bool, default=False)
    )
    session_hours: int = field(
        default_factory=lambda: config("SEATS_SESSION_HOURS", cast=int, default=12)
    )
    graphiql: bool = field(
        default_factory=lambda: config("SEATS_GRAPHIQL", cast=bool, default=True)
    )
    introspection: bool = field(
        default_factory=lambda: config("SEATS_INTROSPECTION", cast=bool, default=True)
    )
    max_body_bytes: int = field(
        default_factory=lambda: config("SEATS_MAX_BODY_BYTES", cast=int, default=1_000_000)
    )
    allowed_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            o.strip() for o in config("SEATS_ALLOWED_ORIGINS", default="").split(",") if o.strip()
        )
    )
    default_plan: str = field(
        default_factory=lambda: config("SEATS_DEFAULT_PLAN", default="Standard")
    )
    default_price: int = field(
        default_factory=lambda: config("SEATS_DEFAULT_PRICE", cast=int, default=1200)
    )
    currency: str = field(default_factory=lambda: config("SEATS_CURRENCY", default="EUR"))
    job_interval_seconds: float = field(
        default_factory=lambda: config("SEATS_JOB_INTERVAL", cast=float, default=60.0)
    )
    max_sockets_per_credential: int = field(
        default_factory=lambda: config("SEATS_MAX_SOCKETS_PER_CREDENTIAL", cast=int, default=8)
    )
    max_subscriptions_per_socket: int = field(
        default_factory=lambda: config("SEATS_MAX_SUBSCRIPTIONS_PER_SOCKET", cast=int, default=10)
    )
    # Peers whose X-Forwarded-For names the client (a reverse proxy in front): comma-separated
    # addresses or networks, "*" for any, empty for none. The sign-in back-off per client
    # address (server/accounts/throttle.py) counts the address so found.
    forwarded_allow_ips: str = field(
        default_factory=lambda: config("SEATS_FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")
    )
    # argon2id's cost for new password hashes: the library's recommended one; the test suite
    # lowers it to hash hundreds of passwords quickly.
    argon2_time_cost: int = field(
        default_factory=lambda: config("SEATS_ARGON2_TIME_COST", cast=int, default=3)
    )
    argon2_memory_kib: int = field(
        default_factory=lambda: config("SEATS_ARGON2_MEMORY_KIB", cast=int, default=65536)
    )
    # Webhooks (server/webhooks/): endpoints must be https and must not resolve to loopback,
    # private, link-local, multicast, reserved or cloud metadata addresses, unless this allows
    # both (for tests and closed networks).
    webhooks_allow_private: bool = field(
        default_factory=lambda: config("SEATS_WEBHOOKS_ALLOW_PRIVATE", cast=bool, default=False)
    )
    # Seconds one POST to an endpoint may take, all in all.
    webhook_timeout_seconds: float = field(
        default_factory=lambda: config("SEATS_WEBHOOK_TIMEOUT", cast=float, default=5.0)
    )
    # The first retry's wait in seconds; each next one doubles (at most 6 hours), with jitter.
    webhook_retry_seconds: float = field(
        default_factory=lambda: config("SEATS_WEBHOOK_RETRY_SECONDS", cast=float, default=30.0)
    )
    # How often each server process looks for due deliveries, in seconds.
    webhook_poll_seconds: float = field(
        default_factory=lambda: config("SEATS_WEBHOOK_POLL", cast=float, default=1.0)
    )
    # Container objects a serving process may gain before the cycle collector examines its
    # youngest generation (Python's default is 700): higher spends less CPU on collections that
    # free nothing, and keeps garbage longer (bench/profiles/README.md has the measurements).
    gc_youngest: int = field(
        default_factory=lambda: config("SEATS_GC_YOUNGEST", cast=int, default=10_000)
    )
    web_dir: Path = ROOT / "web"
    # GraphiQL's browser files, installed by `npm ci` in vendor/ (server/graphiql).
    vendor_dir: Path = ROOT / "vendor" / "node_modules"
    var_dir: Path = field(default_factory=lambda: Path(config("SEATS_VAR_DIR", default=str(VAR))))

    def __post_init__(self) -> None:
        if self.gc_youngest < 1:
            # 0 would turn the collector off: cycles would never be freed.
            raise ValueError(
                f"The cycle collector's setting SEATS_GC_YOUNGEST is {self.gc_youngest}: it "
                "must be at least 1 (Python's own default is 700, the service's 10000)."
            )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings() -> Settings:
    return Settings()
