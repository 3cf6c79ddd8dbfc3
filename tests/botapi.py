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
from urllib.parse import parse_qs

from localserver import LocalServer

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


_TAGS = frozenset({"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "pre", "code", "tg-spoiler"})
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z]+));?")
_TAG = re.compile(r"<(/?)([^\s>]*)([^>]*)>")


def parse_html(text: str) -> str:
    """What Telegram's HTML parse mode makes of `text` (the rules of its parser, tdlib's
    parse_html): the visible text, or ValueError with Telegram's reason. A tag it does not
    support, an unclosed or unmatched tag, a lone `<` are refused; `&lt;` `&gt;` `&amp;`
    `&quot;` and numeric references are decoded, and an `&` that starts none of these is kept
    as it is (Telegram accepts it: what goes wrong then is a `&lt;` in the text shown as `<`)."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            match = _ENTITY.match(text, i)
            decoded = None
            if match and match.group(3) is not None:
                decoded = _ENTITIES.get(match.group(3))
            elif match:
                code = int(match.group(1), 16) if match.group(1) is not None else int(match.group(2))
                decoded = chr(code) if 0 < code < 0x10FFFF else None
            if decoded is not None:
                out.append(decoded)
                i = match.end()
                continue
        if char != "<":
            out.append(char)
            i += 1
            continue
        match = _TAG.match(text, i)
        if match is None:
            raise ValueError(f"Unclosed start tag at byte offset {i}")
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            if not open_tags:
                raise ValueError(f"Unexpected end tag at byte offset {i}")
            expected = open_tags.pop()
            if name and name != expected:
                raise ValueError(f'Unmatched end tag at byte offset {i}, expected "</{expected}>", found "</{name}>"')
        else:
            if name not in _TAGS:
                raise ValueError(f'Unsupported start tag "{name}" at byte offset {i}')
            open_tags.append(name)
        i = match.end()
    if open_tags:
        raise ValueError(f"Can't find end tag corresponding to start tag {open_tags[-1]}")
    return "".join(out)


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
    def chat(self, chat_id: int, kind: str = "private", title: str = "") -> dict[str, Any]:
        chat = {"id": chat_id, "type": kind}
        if kind == "private":
            chat["first_name"] = title or f"User{chat_id}"
        else:
            chat["title"] = title or f"Chat{chat_id}"
        self.state.chats[chat_id] = chat
        return chat

    def send_command(
        self, chat_id: int, text: str, user_id: int | None = None, kind: str = "private", language: str | None = None
    ) -> None:
        """`language`: the sender's Telegram language (`language_code`), absent unless given."""
        chat = self.state.chats.get(chat_id) or self.chat(chat_id, kind)
        command = text.split()[0]
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}] if text.startswith("/") else [],
        }
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
                params = api._params(self.headers.get("Content-Type", ""), body)
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

    @staticmethod
    def _params(content_type: str, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        if "json" in content_type:
            return json.loads(body)
        raw = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        out: dict[str, Any] = {}
        for key, value in raw.items():
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        return out

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

    def _m_sendMessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        if self.state.send_delay:
            time.sleep(self.state.send_delay)
        with self._lock:
            failing = self.state.failures.get(chat_id, 0)
            if failing:
                self.state.failures[chat_id] = failing - 1
        if failing:
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if chat_id in self.state.blocked:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        if chat_id in self.state.migrated:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": self.state.migrated[chat_id]},
            }
        if self._flooded(chat_id):
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
        text = str(params.get("text", ""))
        if not text.strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        if len(text) > 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
        plain = text
        if str(params.get("parse_mode", "")).upper() == "HTML":
            try:
                plain = parse_html(text)
            except ValueError as exc:
                return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: can't parse entities: {exc}"}
        chat = self.state.chats.get(chat_id) or self.chat(chat_id)
        message_id = next(self._message_ids)
        with self._lock:
            self.state.sent.append(Sent("sendMessage", chat_id, text, params, message_id, time.time(), plain))
            self._lock.notify_all()
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER, "text": text}
        return 200, {"ok": True, "result": message}

    def _m_getChat(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ref = str(params.get("chat_id", ""))
        chat = next(
            (c for c in self.state.chats.values() if ref.startswith("@") and c.get("username") == ref[1:]), None
        )
        if chat is None and ref.lstrip("-").isdigit():
            chat = self.state.chats.get(int(ref))
        if chat is None:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        return 200, {"ok": True, "result": {**chat, "accent_color_id": 0, "max_reaction_count": 11}}

    def _m_getChatMember(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if user_id in self.state.admins.get(chat_id, set()):
            member = {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
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
