"""`python -m bot.healthcheck`: the Docker image's HEALTHCHECK. Slim images have no curl, and this
needs nothing but the standard library, so it costs a few milliseconds every interval rather than
the bot's whole import. Exit 0 when /healthz answers 200 (Redis answers), else 1; a role run with
NEWSBOT_METRICS_PORT=0 serves no /healthz and counts as healthy (there is nothing to ask)."""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping

DEFAULT_PORT = "9464"  # the bot's default (README, "Configuration")
WILDCARDS = ("", "0.0.0.0", "::", "[::]")  # bound everywhere: loopback reaches it too
TIMEOUT = 8.0  # under the HEALTHCHECK's own timeout, above /healthz's 5 s Redis deadline


def healthz_url(env: Mapping[str, str]) -> str | None:
    """Where this container's bot serves /healthz, or None when it serves none."""
    port = env.get("NEWSBOT_METRICS_PORT", "").strip() or DEFAULT_PORT
    if port == "0":
        return None
    host = env.get("NEWSBOT_METRICS_HOST", "").strip()
    host = "127.0.0.1" if host in WILDCARDS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def check(env: Mapping[str, str]) -> tuple[bool, str]:
    url = healthz_url(env)
    if url is None:
        return True, "metrics server off (NEWSBOT_METRICS_PORT=0): nothing to check"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as exc:  # 503: the bot is up, its Redis is not
        return False, f"{url}: {exc.code} {exc.read().decode(errors='replace').strip()}"
    except (OSError, ValueError) as exc:
        return False, f"{url}: {exc}"


def main() -> int:
    ok, detail = check(os.environ)
    print(detail, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
