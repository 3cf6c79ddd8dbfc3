"""The shapes of the Bot API stand-in's traffic (tests/botapi.py): requests as PTB sends them,
and Telegram's answers that PTB parses strictly (error bodies, an administrator's rights)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

# what getChatMember says of an administrator beside status and user (PTB parses each field)
ADMIN_RIGHTS = {
    **dict.fromkeys(("can_be_edited", "is_anonymous", "can_promote_members", "can_post_stories"), False),
    **dict.fromkeys(("can_edit_stories", "can_delete_stories"), False),
    **dict.fromkeys(("can_manage_chat", "can_delete_messages", "can_manage_video_chats"), True),
    **dict.fromkeys(("can_restrict_members", "can_change_info", "can_invite_users"), True),
}


def refusal(code: int, description: str, **parameters: Any) -> tuple[int, dict[str, Any]]:
    """Telegram's error answer: status, and the body PTB turns into its error classes."""
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


def request_params(content_type: str, body: bytes) -> dict[str, Any]:
    """A request's parameters, JSON or form-encoded (each value JSON where it parses)."""
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
