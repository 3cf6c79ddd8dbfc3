"""A Bot API stand-in on 127.0.0.1 that answers like Telegram: the shapes PTB parses strictly,
long-polled getUpdates, and Telegram's error bodies (403 for a blocked user). Tests and benches
point the bot at it through TELEGRAM_API_URL."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from botapi_shapes import ADMIN_RIGHTS, refusal, request_params
from localserver import LocalServer
from telegram_html import parse_html, telegram_length

BOT_USER = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "newsbot",
    "username": "newsbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Sent:
    method: str
    chat_id: int
    text: str
    params: dict[str, Any]
    message_id: int
    at: float
    plain: str = ""  # the text as the user sees it: HTML tags parsed, entities decoded


@dataclass
class BotApiState:
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)  # group → supergroup id
    strict: bool = False  # answer 429 to a private chat sent to twice within a second (5% tolerance)
    too_many: int = 0  # 429s answered
    last_send: dict[int, float] = field(default_factory=dict)
    overall_per_second: int = 0  # with strict: 429 past this many messages in any second (0: no limit)
    recent: list[float] = field(default_factory=list)
    failures: dict[int, int] = field(default_factory=dict)  # chat → 502s still to answer its sends
    send_delay: float = 0.0  # seconds each sendMessage takes (a slow API, a crash mid-fan-out)
    admins: dict[int, set[int]] = field(default_factory=dict)  # chat → user ids
    deleted_topics: set[tuple[int, int]] = field(default_factory=set)  # (chat, message_thread_id)
    # sendPhoto of these URLs is refused with this description (Telegram's own texts, e.g.
    # "Bad Request: wrong file identifier/HTTP URL specified")
    photo_errors: dict[str, str] = field(default_factory=dict)


class BotApi(LocalServer):
    def __init__(self, token: str = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz") -> None:
        self.token = token
        self.state = BotApiState()
        self._lock = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        super().__init__(self._handler())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- driving it as users -------------------------------------------------------------------
    def chat(self, chat_id: int, kind: str = "private", title: str = "", forum: bool = False) -> dict[str, Any]:
        """`forum`: a supergroup with topics."""
        chat: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind == "private":
            chat["first_name"] = title or f"User{chat_id}"
        else:
            chat["title"] = title or f"Chat{chat_id}"
        if forum:
            chat["is_forum"] = True
        self.state.chats[chat_id] = chat
        return chat

    def send_command(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        kind: str = "private",
        language: str | None = None,
        topic: int | None = None,
    ) -> None:
        """`language`: the sender's Telegram language (`language_code`), absent unless given;
        `topic`: the forum topic it is sent in (a message of General has none)."""
        chat = self.state.chats.get(chat_id) or self.chat(chat_id, kind)
        command = text.split()[0]
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}] if text.startswith("/") else [],
        }
        if topic is not None:
            message["message_thread_id"] = topic
            message["is_topic_message"] = True
        key = "channel_post" if chat["type"] == "channel" else "message"
        if chat["type"] != "channel":
            uid = user_id if user_id is not None else chat_id
            message["from"] = {"id": uid, "is_bot": False, "first_name": f"User{uid}"}
            if language is not None:
                message["from"]["language_code"] = language
        self.push({key: message})

    def press(
        self, chat_id: int, data: str, message_id: int | None = None, text: str = "", user_id: int | None = None
    ) -> None:
        """A user in chat_id taps an inline button carrying `data` under one of our messages
        (no message: a button on a message too old for Telegram to send along). The presser is
        the private chat's user unless user_id says otherwise (a viewer of a channel)."""
        query: dict[str, Any] = {
            "id": f"cb{next(self._update_ids)}",
            "from": {"id": chat_id if user_id is None else user_id, "is_bot": False, "first_name": "U"},
            "chat_instance": "ci",
            "data": data,
        }
        if message_id is not None:
            query["message"] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self.state.chats[chat_id],
                "text": text,
            }
        self.push({"callback_query": query})

    def push(self, update: dict[str, Any]) -> None:
        with self._lock:
            update["update_id"] = next(self._update_ids)
            self.state.updates.append(update)
            self._lock.notify_all()

    def messages_to(self, chat_id: int) -> list[str]:
        with self._lock:
            return [s.text for s in self.state.sent if s.chat_id == chat_id]

    def shown_to(self, chat_id: int) -> list[str]:
        """The messages to chat_id as the user sees them (HTML parsed)."""
        with self._lock:
            return [s.plain for s in self.state.sent if s.chat_id == chat_id]

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate():
                    return True
            time.sleep(0.05)
        with self._lock:
            return bool(predicate())

    # --- answering -----------------------------------------------------------------------------
    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                match = re.match(r"^/bot([^/]+)/(\w+)$", self.path.split("?")[0])
                if not match or match.group(1) != api.token:
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                params = request_params(self.headers.get("Content-Type", ""), body)
                status, payload = api._call(match.group(2), params)
                self._reply(status, payload)

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the bot stopped polling mid-answer
                    self.wfile.write(data)

        return Handler

    def _call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.state.calls.append((method, params))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 200, {"ok": True, "result": True}
        return handler(params)

    def _m_getMe(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {"ok": True, "result": BOT_USER}

    def _m_getUpdates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + wait
        with self._lock:
            self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            while not self.state.updates and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            result = list(self.state.updates[:100])
        return 200, {"ok": True, "result": result}

    def _flooded(self, chat_id: int) -> bool:
        """Strict mode: a private chat twice within a second, or past the overall rate."""
        now = time.monotonic()
        with self._lock:
            if not self.state.strict:
                return False
            too_soon = chat_id > 0 and now - self.state.last_send.get(chat_id, -9.0) < 0.95
            if self.state.overall_per_second:
                self.state.recent = [t for t in self.state.recent if now - t < 1.0]
                too_soon = too_soon or len(self.state.recent) >= self.state.overall_per_second
            if too_soon:
                self.state.too_many += 1
                return True
            if self.state.overall_per_second:
                self.state.recent.append(now)
            self.state.last_send[chat_id] = now
            return False

    def _refusal(self, chat_id: int, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        """What Telegram answers any send to this chat before looking at its content."""
        if self.state.send_delay:
            time.sleep(self.state.send_delay)
        with self._lock:
            failing = self.state.failures.get(chat_id, 0)
            if failing:
                self.state.failures[chat_id] = failing - 1
        if failing:
            return refusal(502, "Bad Gateway")
        if chat_id in self.state.blocked:
            return refusal(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.state.migrated:
            upgraded = "Bad Request: group chat was upgraded to a supergroup chat"
            return refusal(400, upgraded, migrate_to_chat_id=self.state.migrated[chat_id])
        thread = params.get("message_thread_id")
        if thread is not None and (chat_id, int(thread)) in self.state.deleted_topics:
            return refusal(400, "Bad Request: message thread not found")
        if self._flooded(chat_id):
            return refusal(429, "Too Many Requests: retry after 1", retry_after=1)
        return None

    @staticmethod
    def _parsed(text: str, params: dict[str, Any]) -> tuple[str, str]:
        """The text as shown, or ("", Telegram's reason) when its HTML is refused."""
        if str(params.get("parse_mode", "")).upper() != "HTML":
            return text, ""
        try:
            return parse_html(text), ""
        except ValueError as exc:
            return "", f"Bad Request: can't parse entities: {exc}"

    def _accepted(self, method: str, chat_id: int, text: str, params: dict[str, Any], plain: str) -> dict[str, Any]:
        chat = self.state.chats.get(chat_id) or self.chat(chat_id)
        message_id = next(self._message_ids)
        with self._lock:
            self.state.sent.append(Sent(method, chat_id, text, params, message_id, time.time(), plain))
            self._lock.notify_all()
        message: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER}
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        if method == "sendPhoto":
            size = {"file_id": "ph1", "file_unique_id": "u1", "width": 800, "height": 450}
            message.update(photo=[size], caption=text)
        else:
            message["text"] = text
        return {"ok": True, "result": message}

    def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        refused = self._refusal(chat_id, params)
        if refused is not None:
            return refused
        text = str(params.get("text", ""))
        if not text.strip():
            return refusal(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return refusal(400, "Bad Request: message is too long")
        plain, error = self._parsed(text, params)
        if error:
            return refusal(400, error)
        return 200, self._accepted("sendMessage", chat_id, text, params, plain)

    def _m_sendPhoto(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A photo by URL: refused as Telegram refuses it when told to (photo_errors); its
        caption counted as Telegram counts it, after parsing, in UTF-16 code units."""
        chat_id = int(params["chat_id"])
        refused = self._refusal(chat_id, params)
        if refused is not None:
            return refused
        photo = str(params.get("photo", ""))
        if not photo.startswith(("http://", "https://")):
            return refusal(400, "Bad Request: wrong remote file identifier specified")
        if photo in self.state.photo_errors:
            return refusal(400, self.state.photo_errors[photo])
        caption = str(params.get("caption", ""))
        plain, error = self._parsed(caption, params)
        if error:
            return refusal(400, error)
        if telegram_length(plain) > 1024:
            return refusal(400, "Bad Request: message caption is too long")
        return 200, self._accepted("sendPhoto", chat_id, caption, params, plain)

    def _m_getChat(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ref = str(params.get("chat_id", ""))
        chat = next(
            (c for c in self.state.chats.values() if ref.startswith("@") and c.get("username") == ref[1:]), None
        )
        if chat is None and ref.lstrip("-").isdigit():
            chat = self.state.chats.get(int(ref))
        if chat is None:
            return refusal(400, "Bad Request: chat not found")
        return 200, {"ok": True, "result": {**chat, "accent_color_id": 0, "max_reaction_count": 11}}

    def _m_getChatMember(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if user_id in self.state.admins.get(chat_id, set()):
            member = {"status": "administrator", "user": user, **ADMIN_RIGHTS}
        else:
            member = {"status": "member", "user": user}
        return 200, {"ok": True, "result": member}

    def _m_editMessageText(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, payload = self._m_editMessageReplyMarkup(params)
        payload["result"]["text"] = str(params.get("text", ""))
        return status, payload

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params.get("chat_id", 0))
        chat = self.state.chats.get(chat_id) or self.chat(chat_id)
        message = {
            "message_id": int(params.get("message_id", 1)),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": "edited",
            "reply_markup": params.get("reply_markup"),
        }
        return 200, {"ok": True, "result": message}


def ask(
    botapi: BotApi,
    chat_id: int,
    text: str,
    user_id: int | None = None,
    kind: str = "private",
    language: str | None = None,
) -> str:
    """Send a command and return the first answer to it (as sent, HTML included)."""
    before = len(botapi.messages_to(chat_id))
    botapi.send_command(chat_id, text, user_id=user_id, kind=kind, language=language)
    assert botapi.wait_for(lambda: len(botapi.messages_to(chat_id)) > before, 20), f"no answer to {text!r}"
    return botapi.messages_to(chat_id)[before]
