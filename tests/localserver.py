"""The threaded HTTP server under both stand-ins (the news site and the Bot API), on
127.0.0.1 with a port of its own, run in a background thread."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog of 5 resets bursts of concurrent requests
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (a killed bot, a size cap) is part of the tests;
        anything else is a bug of the stand-in and is printed."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class LocalServer:
    """Subclasses give the request handler class; start() and close() run it."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> Self:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reopen(self) -> Self:
        """Serve again on the same port after close(): an outage that ends."""
        self._server = _Server(("127.0.0.1", self.port), self._server.RequestHandlerClass)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        return self.start()
