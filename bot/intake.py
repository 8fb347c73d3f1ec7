"""What the webhook accepts: a Telegram update, checked before it is stored.

Telegram repeats every update that does not get a 2xx answer and then gives up, so the answer is:
- 400 only for a body that is not a JSON object with an integer `update_id` in SQLite's range;
- 200 for everything else: stored for processing, stored as ignored (a kind the bot does not
  handle), or quarantined with a reason (a shape the handlers cannot use, such as a chat id that
  is a list) — a poison update never blocks the webhook or a start.

Lone surrogates (which cannot be encoded as UTF-8) are replaced by U+FFFD on the way in, so the
rest of the bot only ever sees text it can store and send.
"""

from __future__ import annotations

import json
import time
from typing import TypeGuard
from dataclasses import dataclass

MAX_ID = 2 ** 63  # SQLite's INTEGER range, and Telegram's ids are far below it
MAX_DEPTH = 32  # real updates nest a few levels (message → reply_to_message → entities)
HANDLED = ("message", "edited_message", "callback_query", "my_chat_member")
MESSAGE_KINDS = ("message", "edited_message")
MAX_TIMESTAMP = 253402300799  # 9999-12-31: python-telegram-bot turns dates into datetimes


class NotAnUpdate(ValueError):
    """The body is not a Telegram update at all (the webhook answers 400 with this German text)."""


@dataclass(frozen=True)
class Intake:
    update_id: int
    payload: dict
    chat: int | None  # the chat to answer in
    asked_at: float  # when the user asked (the message's own date), Unix seconds
    reply_to: int | None  # the message an answer quotes when it is late
    ignored: str | None = None  # a kind the bot does not handle
    poison: str | None = None  # why the update cannot be processed


def read_update(body: bytes, received_at: float | None = None) -> Intake:
    received_at = time.time() if received_at is None else received_at
    try:
        payload = json.loads(body)
    except RecursionError:
        raise NotAnUpdate("Der Inhalt ist zu tief verschachtelt.") from None
    except (ValueError, UnicodeDecodeError):
        raise NotAnUpdate("Der Inhalt ist kein gültiges JSON.") from None
    if not isinstance(payload, dict):
        raise NotAnUpdate("Kein Telegram-Update (ein JSON-Objekt wird erwartet).")
    update_id = payload.get("update_id")
    if not _is_int(update_id) or not -MAX_ID <= update_id < MAX_ID:
        raise NotAnUpdate("Kein Telegram-Update (update_id fehlt oder ist keine ganze Zahl unter 2^63).")
    try:
        payload = _clean(payload, 0)
    except _TooDeep:
        return Intake(update_id, {"update_id": update_id}, None, received_at, None,
                      poison=f"mehr als {MAX_DEPTH} Ebenen verschachtelt")
    return inspect(update_id, payload, received_at)


def inspect(update_id: int, payload: dict, received_at: float) -> Intake:
    """Kind, chat, date and reply target of a stored update (also for updates left from a last run)."""
    kinds = [k for k in HANDLED if k in payload]
    if not kinds:
        others = sorted(k for k in payload if k != "update_id")
        return Intake(update_id, payload, None, received_at, None, ignored=",".join(others)[:80] or "leer")
    kind = kinds[0]
    body = payload[kind]
    if not isinstance(body, dict):
        return _poison(update_id, payload, received_at, f"{kind} ist kein Objekt")
    if kind == "callback_query":
        message = body.get("message")
        sender = body.get("from")
        if not isinstance(body.get("id"), str) or not isinstance(sender, dict) or not _is_id(sender.get("id")):
            return _poison(update_id, payload, received_at, "callback_query ohne gültige id oder Absender")
        if message is None:
            return _poison(update_id, payload, received_at, "callback_query ohne Nachricht")
        chat, problem = _message_chat(message)
        if problem:
            return _poison(update_id, payload, received_at, f"callback_query.message: {problem}")
        return Intake(update_id, payload, chat, received_at, message.get("message_id"))
    if kind == "my_chat_member":  # the bot's own membership changed (blocked, removed from a group)
        chat = body.get("chat")
        if not isinstance(chat, dict) or not _is_id(chat.get("id")):
            return _poison(update_id, payload, received_at, "my_chat_member: Chat-Kennung unbrauchbar")
        return Intake(update_id, payload, chat["id"], received_at, None)
    chat, problem = _message_chat(body)
    if problem:
        return _poison(update_id, payload, received_at, f"{kind}: {problem}")
    asked: int = body["edit_date"] if kind == "edited_message" and _is_int(body.get("edit_date")) else body["date"]
    # A date in the future (a clock off) or before Telegram existed is not the user's: use arrival.
    asked_at = float(asked) if 1_300_000_000 <= asked <= received_at + 60 else received_at
    return Intake(update_id, payload, chat, asked_at, body.get("message_id"))


def _message_chat(message: object) -> tuple[int | None, str | None]:
    if not isinstance(message, dict):
        return None, "kein Objekt"
    chat = message.get("chat")
    if not isinstance(chat, dict) or not _is_id(chat.get("id")):
        return None, "Chat-Kennung unbrauchbar"
    if not _is_int(message.get("message_id")) or not 0 <= message["message_id"] < MAX_ID:
        return None, "message_id unbrauchbar"
    for key in ("date", "edit_date"):
        value = message.get(key, 0 if key == "edit_date" else None)
        if not _is_int(value) or not 0 <= value <= MAX_TIMESTAMP:
            return None, f"{key} unbrauchbar"
    if not isinstance(message.get("text", ""), str):
        return None, "text ist keine Zeichenkette"
    sender = message.get("from")
    if sender is not None and (not isinstance(sender, dict) or not _is_id(sender.get("id"))):
        return None, "Absender unbrauchbar"
    return chat["id"], None


def _poison(update_id: int, payload: dict, received_at: float, reason: str) -> Intake:
    return Intake(update_id, payload, None, received_at, None, poison=reason)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: object) -> TypeGuard[int]:
    """A chat or user id the Bot API can take: an integer within 64 bits."""
    return _is_int(value) and -MAX_ID <= value < MAX_ID


class _TooDeep(Exception):
    pass


def _clean(value, depth: int):
    """A copy with lone surrogates replaced (strings and keys); refuses absurd nesting."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if _has_surrogate(value) else value
    if depth >= MAX_DEPTH and isinstance(value, (dict, list)):
        raise _TooDeep
    if isinstance(value, dict):
        return {_clean(k, depth): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value]
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
