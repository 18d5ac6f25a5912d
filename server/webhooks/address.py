"""Which URLs an endpoint may have, and which addresses may be called (issue 15).

An endpoint is `https` and every address its host resolves to is public: not loopback,
private, link-local (cloud metadata services live there), multicast, reserved or unspecified,
nor the metadata addresses named below. The check runs when the endpoint is registered and
again before every attempt, as DNS may have changed; the attempt then connects to the very
address checked (see `delivery.py`), so a name that resolves differently a moment later
(DNS rebinding) cannot redirect it. `allow_private` (setting SEATS_WEBHOOKS_ALLOW_PRIVATE)
lifts both rules, for tests and closed networks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from server.errors import InvalidInput

MAX_URL = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Metadata services outside the ranges `ipaddress` flags (AWS's IPv6 one, in fd00::/8, is
# private anyway; named for clarity), and the shared address space of carrier-grade NAT.
METADATA = (
    ipaddress.ip_network("169.254.169.254/32"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("100.64.0.0/10"),
)


@dataclass(frozen=True)
class Target:
    """A URL split into what connecting needs: the address to connect to and the name the
    server knows itself by (the Host header, and TLS's SNI and certificate check)."""

    scheme: str
    host: str
    port: int
    path: str  # path and query
    address: IPAddress

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def connect_url(self) -> str:
        ip = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return f"{self.scheme}://{ip}:{self.port}{self.path}"


def refusal(address: IPAddress) -> str | None:
    """Why `address` may not be called, or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in METADATA):
        return "a cloud metadata or shared address"
    for flag, why in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_private", "a private address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_unspecified", "an unspecified address"),
    ):
        if getattr(address, flag):
            return why
    return None


@dataclass(frozen=True)
class Parsed:
    scheme: str
    host: str
    port: int
    path: str


def parse(url: str, *, allow_private: bool) -> Parsed:
    """The parts of an endpoint URL, or INVALID input saying what is wrong with it."""
    if len(url) > MAX_URL:
        raise InvalidInput(f"The URL is longer than {MAX_URL} characters.", field="url")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise InvalidInput("This is not a URL.", field="url") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise InvalidInput("The URL must start with https://.", field="url")
    if not parts.hostname:
        raise InvalidInput("The URL has no host.", field="url")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("The URL may not hold a user name or password.", field="url")
    if parts.fragment:
        raise InvalidInput("The URL may not have a #fragment.", field="url")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if parts.scheme == "https" else 80
    return Parsed(parts.scheme, parts.hostname, port or default, path)


async def _addresses_of(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, each once, in the resolver's order."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        infos = []
    addresses: list[IPAddress] = []
    for info in infos:
        found = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if found not in addresses:
            addresses.append(found)
    if not addresses:
        raise InvalidInput(f"The host {host} could not be found.", field="url")
    return addresses


async def resolve(url: str, *, allow_private: bool) -> Target:
    """The URL's target: its host resolved, every address it resolves to checked. A host
    that does not resolve, or resolves to any address refused, is INVALID input."""
    parsed = parse(url, allow_private=allow_private)
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(parsed.host)]
    except ValueError:
        addresses = await _addresses_of(parsed.host, parsed.port)
    if not allow_private:
        for address in addresses:
            why = refusal(address)
            if why is not None:
                raise InvalidInput(
                    f"The host {parsed.host} resolves to {why} ({address}); webhooks are "
                    "sent to public addresses only.",
                    field="url",
                )
    return Target(parsed.scheme, parsed.host, parsed.port, parsed.path, addresses[0])
