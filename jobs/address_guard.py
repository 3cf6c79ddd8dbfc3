"""Keeping fetches of URLs a bot administrator gives (`/source add`, `newsbot sources import`)
off private networks: a URL, a feed its page links or any redirect hop whose host is, or
resolves to, a loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved or
unspecified address is refused before any byte is sent to it, so neither an administrator nor
a page they point at can make the bot reach internal services (SSRF).

The check sits in the HTTP transport, so it applies to every request the client makes, each
redirect hop included (httpx follows redirects by sending each hop through the transport). The
transport resolves the host itself, checks every A/AAAA answer, and then connects to the address
it checked: the URL handed on names that IP, with the original Host header and the host name as
TLS SNI (httpx's `sni_hostname` extension, which also makes the certificate be verified for the
name). Checking DNS in an event hook and letting httpx resolve again to connect would leave a
rebinding window (a name answering a public address to the check, then 127.0.0.1 to the
connect); pinning the checked address closes it. Connections are not kept alive, since a pool
keyed on the IP could otherwise hand one host's TLS connection to another name on that IP.
Environment proxies are not used (httpx ignores them when given a transport)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]  # (host, port) → its addresses, as text

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class AddressRefused(Exception):
    """A request not sent because its host is, or resolves to, a non-public address."""


def _embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), which is where
    a connection to it ends up; the address itself otherwise."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public(ip: IPAddress) -> bool:
    """Whether a fetch may go to `ip`. `is_global` alone lets multicast through (224/4 and ff00::/8
    count as global), so every category is asked for by name; 100.64/10 (CGNAT) is the one
    range only `is_global` excludes."""
    ip = _embedded_ipv4(ip)
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


async def system_resolver(host: str, port: int) -> list[str]:
    """Every A and AAAA answer the system resolver gives for `host`."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """The policy: which addresses a fetch may reach. `resolver` and `allowed` (networks let
    through although not public) exist so tests can stand a local server in for a public host."""

    resolver: Resolver = system_resolver
    allowed: Sequence[IPNetwork] = ()

    def permits(self, ip: IPAddress) -> bool:
        return is_public(ip) or any(ip in network for network in self.allowed)

    async def address_for(self, url: httpx.URL) -> IPAddress:
        """The address to connect to for `url`: its host's first answer, once every answer is
        known to be permitted (a name with one private answer among public ones is refused,
        since the connection may go to any of them)."""
        host = url.host
        try:
            answers = [ipaddress.ip_address(host)]
        except ValueError:
            port = url.port or _DEFAULT_PORTS.get(url.scheme, 80)
            answers = [ipaddress.ip_address(a.split("%", 1)[0]) for a in await self.resolver(host, port)]
        if not answers:
            raise OSError(f"{host} has no address")
        for ip in answers:
            if not self.permits(ip):
                raise AddressRefused(f"{str(url)[:200]} resolves to a private address ({ip})")
        return answers[0]


class GuardedTransport(httpx.AsyncBaseTransport):
    """A transport that sends a request only to an address its guard permits, pinned (see the
    module's docstring for why the check is here and not in an event hook)."""

    def __init__(self, guard: AddressGuard, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        ip = await self.guard.address_for(request.url)
        return await self.inner.handle_async_request(_pinned(request, ip))

    async def aclose(self) -> None:
        await self.inner.aclose()


def _pinned(request: httpx.Request, ip: IPAddress) -> httpx.Request:
    """`request` sent to `ip`: same Host header (already set from the URL), the name as SNI."""
    extensions = dict(request.extensions)
    if request.url.scheme == "https":
        extensions["sni_hostname"] = request.url.host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=str(ip)),
        headers=request.headers,
        stream=request.stream,
        extensions=extensions,
    )
