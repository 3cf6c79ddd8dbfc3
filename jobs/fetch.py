"""HTTP fetching with hard limits: every poll costs bounded time and memory, and a poll of an
unchanged source costs one conditional request and no parse."""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from jobs.address_guard import AddressGuard, AddressRefused, GuardedTransport

log = logging.getLogger(__name__)

POOLS = 8
USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot; Telegram breaking-news alert bot)"


@dataclass(frozen=True, slots=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # wall clock for the whole body: stops slow-drip servers
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    max_concurrent: int = 50
    max_per_host: int = 4


@dataclass(slots=True)
class Validators:
    """Conditional-request state remembered per source."""

    etag: str = ""
    last_modified: str = ""


@dataclass(slots=True)
class FetchResult:
    url: str
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = ""
    error: str = ""  # empty on success (2xx or 304)
    refused: bool = False  # the guard refused an address: nothing was sent there

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return not self.error


class FetchError(Exception):
    pass


class Fetcher:
    """One shared client: connection reuse keeps a 304 poll cheap; the semaphores keep one host
    (or a burst of sources) from starving the rest. With a `guard`, every request (each
    redirect hop too) goes only to addresses it permits (jobs/address_guard.py): for URLs an
    administrator gives (and the sources added from them, at every poll), not for the
    operator's catalogue. `guarded` makes such a twin of a fetcher: same limits, same gates."""

    def __init__(
        self,
        limits: FetchLimits | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        guard: AddressGuard | None = None,
    ):
        self.limits = limits or FetchLimits()
        self.guard = guard
        self._transport = transport
        lim = self.limits
        # httpcore's pool scans every connection for every request (cost grows with the square
        # of its size), so connections are spread over small pools, one per group of hosts.
        per_pool = max(1, -(-lim.max_concurrent // POOLS))
        self._clients = [
            httpx.AsyncClient(
                timeout=httpx.Timeout(lim.read_timeout, connect=lim.connect_timeout),
                follow_redirects=True,
                max_redirects=lim.max_redirects,
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
                limits=httpx.Limits(max_connections=per_pool, max_keepalive_connections=per_pool),
                transport=_guarded_transport(guard, transport, per_pool) if guard is not None else transport,
            )
            for _ in range(POOLS)
        ]
        self._total = asyncio.Semaphore(lim.max_concurrent)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def guarded(self, guard: AddressGuard) -> Fetcher:
        """A twin of this fetcher whose requests go only where `guard` permits: the same limits
        (timeouts, size cap, redirects) and the same gates, so the total and per-host
        concurrency count the fetches of both. Its clients are its own: close it too."""
        twin = Fetcher(self.limits, self._transport, guard)
        twin._total, twin._hosts = self._total, self._hosts
        return twin

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = asyncio.Semaphore(self.limits.max_per_host)
        return gate

    async def fetch(self, url: str, validators: Validators | None = None) -> FetchResult:
        """Never raises for network or server trouble: the result carries the error text, so
        the caller counts it against the source and moves on."""
        headers: dict[str, str] = {}
        if validators:
            if validators.etag:
                headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                headers["If-Modified-Since"] = validators.last_modified
        result = FetchResult(url=url)
        try:
            async with self._total, self._host_gate(url):
                await asyncio.wait_for(self._get(url, headers, result), self.limits.total_timeout)
        except TimeoutError:
            result.error = f"timed out after {self.limits.total_timeout:g}s"
        except httpx.TooManyRedirects:
            result.error = f"more than {self.limits.max_redirects} redirects"
        except httpx.TimeoutException as exc:
            result.error = f"timeout ({type(exc).__name__})"
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            result.error = f"{type(exc).__name__}: {exc}"[:300]
        except FetchError as exc:
            result.error = str(exc)
        except AddressRefused as exc:
            result.error, result.refused = str(exc), True
        if result.error:
            result.body = b""
        return result

    async def _get(self, url: str, headers: dict[str, str], result: FetchResult) -> None:
        client = self._clients[zlib.crc32(urlsplit(url).netloc.lower().encode()) % POOLS]
        async with client.stream("GET", url, headers=headers) as response:
            result.status = response.status_code
            result.url = str(response.url)
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            result.content_type = result.headers.get("content-type", "")
            if response.status_code == 304:
                await response.aread()  # drain the (empty) body so the connection is reused
                return
            if response.status_code >= 400 or response.status_code < 200:
                result.error = f"HTTP {response.status_code}"
                return
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError(f"body of {declared} bytes is over the {self.limits.max_bytes} byte cap")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():  # decoded: the cap also stops gzip bombs
                size += len(chunk)
                if size > self.limits.max_bytes:
                    raise FetchError(f"body over the {self.limits.max_bytes} byte cap; abandoned")
                chunks.append(chunk)
            result.body = b"".join(chunks)


def _guarded_transport(
    guard: AddressGuard, transport: httpx.AsyncBaseTransport | None, per_pool: int
) -> GuardedTransport:
    """The guard in front of `transport`, or of a pool as large as an unguarded client's (httpx
    leaves a client's own `limits` unused once it is given a transport). Connections are not
    kept alive behind the guard (jobs/address_guard.py says why)."""
    inner = transport or httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=per_pool, max_keepalive_connections=0)
    )
    return GuardedTransport(guard, inner)
