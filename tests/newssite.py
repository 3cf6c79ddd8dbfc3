"""A local news site on 127.0.0.1 serving feed and ticker files that tests change between
polls, and counting requests (conditional ones too)."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from localserver import LocalServer


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""  # when set, If-None-Match with it answers 304
    delay: float = 0.0  # seconds before answering (a slow source)
    drip: float = 0.0  # seconds between body bytes (a slow-drip source)


class Site(LocalServer):
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, body: bytes | str, **kwargs: Any) -> None:
        with self._lock:
            self.pages[path] = Page(body.encode() if isinstance(body, str) else body, **kwargs)

    def count(self, path: str, header: str | None = None) -> int:
        with self._lock:
            return sum(1 for p, h in self.requests if p == path and (header is None or header in h))

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                headers = {k.lower(): v for k, v in self.headers.items()}
                with site._lock:
                    site.requests.append((path, headers))
                    page = site.pages.get(path)
                if page is None:
                    self._send(404, b"not found", "text/plain", {})
                    return
                if page.delay:
                    time.sleep(page.delay)
                if page.etag and headers.get("if-none-match") == page.etag:
                    self._send(304, b"", page.content_type, {"ETag": page.etag})
                    return
                extra = dict(page.headers)
                if page.etag:
                    extra["ETag"] = page.etag
                if page.drip:
                    self._drip(page)
                    return
                self._send(page.status, page.body, page.content_type, extra)

            def _drip(self, page: Page) -> None:
                self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    for i in range(len(page.body)):
                        self.wfile.write(page.body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(page.drip)

            def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for k, v in extra.items():
                    self.send_header(k, v)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up (size cap)
                        self.wfile.write(body)

        return Handler
