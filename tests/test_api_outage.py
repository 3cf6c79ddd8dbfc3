"""The Bot API going away while the bot runs (Telegram down, the network cut): one line when it
goes, with the retry delay, one when it is back, no traceback per retry; commands sent after
it is back are answered."""

from __future__ import annotations

import time

from botprocess import bot_logs, start_bot, stop_bot
from test_shutdown import idle_catalogue


def full_logs(tmp_path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(tmp_path.glob("bot-*.log")))


def test_an_api_outage_is_two_lines_and_the_bot_carries_on(tmp_path, botapi, redis_url, clean_redis):
    proc = start_bot(tmp_path, botapi, redis_url, idle_catalogue(tmp_path), role="sender")
    try:
        botapi.send_command(7001, "/help")
        assert botapi.wait_for(lambda: botapi.messages_to(7001), 30), bot_logs(tmp_path)
        botapi.close()
        time.sleep(8)  # several retries' worth
        botapi.reopen()
        botapi.send_command(7002, "/help")
        assert botapi.wait_for(lambda: botapi.messages_to(7002), 30), bot_logs(tmp_path)
    finally:
        assert stop_bot(proc) == 0
    logs = full_logs(tmp_path)
    assert logs.count("Bot API unreachable") == 1 and "retrying in" in logs, logs
    assert logs.count("Bot API reachable again") == 1, logs
    assert "Traceback" not in logs, logs
