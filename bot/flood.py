"""Our own flood control, shared by every sender through Redis, so several instances together
stay under Telegram's limits instead of each learning them from 429s and long bans.

GCRA (a leaky bucket kept as one timestamp per key) in one Lua call: the global budget and the
chat's budget are checked together and spent only if both allow, else the caller is told how
long to wait."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from redis.asyncio import Redis

from jobs.keys import Keys

# KEYS: global bucket, chat bucket. ARGV: now (ms), global interval (ms), chat interval (ms), burst.
# Returns 0 when the send is booked, else the whole milliseconds to wait (Redis truncates Lua
# numbers to integers, so a wait under 1 ms must not come back as 0, which means "booked").
_GCRA = """
local now = tonumber(ARGV[1])
local wait = 0
local tats = {}
local intervals = {tonumber(ARGV[2]), tonumber(ARGV[3])}
for i = 1, 2 do
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local allow_at = tat + intervals[i] - intervals[i] * tonumber(ARGV[4])
  if allow_at > now and allow_at - now > wait then wait = allow_at - now end
  tats[i] = tat + intervals[i]
end
if wait > 0 then return math.max(1, math.ceil(wait)) end  -- replies are integers: never round to 0
for i = 1, 2 do
  redis.call('SET', KEYS[i], tats[i], 'PX', math.ceil(tats[i] - now) + 60000)
end
return 0
"""


@dataclass(frozen=True, slots=True)
class FloodLimits:
    overall_per_second: float = 30.0
    private_per_second: float = 1.0
    group_per_minute: float = 20.0
    burst: int = 1  # messages that may go back to back before spacing applies
    margin: float = 1.05  # spacing 5% wider than the limit: network jitter must not cross it


class FloodControl:
    def __init__(self, redis: Redis, keys: Keys, limits: FloodLimits | None = None) -> None:
        self.redis = redis
        self.keys = keys
        self.limits = limits or FloodLimits()
        self._script = redis.register_script(_GCRA)

    def _chat_interval_ms(self, chat_id: int) -> float:
        if chat_id > 0:  # users have positive ids; groups and channels negative
            return self.limits.margin * 1000.0 / self.limits.private_per_second
        return self.limits.margin * 60_000.0 / self.limits.group_per_minute

    async def wait_ms(self, chat_id: int, now_ms: float | None = None) -> float:
        """0 and the send is booked, or how long to wait before asking again."""
        now_ms = time.time() * 1000 if now_ms is None else now_ms
        return float(
            await self._script(
                keys=[self.keys.rate_global, self.keys.rate_chat(chat_id)],
                args=[
                    now_ms,
                    1000.0 / self.limits.overall_per_second,
                    self._chat_interval_ms(chat_id),
                    self.limits.burst,
                ],
            )
        )

    async def acquire(self, chat_id: int) -> None:
        while True:
            wait = await self.wait_ms(chat_id)
            if wait <= 0:
                return
            await asyncio.sleep(wait / 1000)
