"""A per-chat limit against floods, with bounded memory."""

from __future__ import annotations

import time
from collections import OrderedDict, deque


class ChatFloodGuard:
    """Allows `limit` questions per `window` seconds per chat; remembers at most `max_chats` chats."""

    def __init__(self, limit: int = 12, window: float = 60.0, max_chats: int = 10_000):
        self.limit = limit
        self.window = window
        self.max_chats = max_chats
        self._chats: OrderedDict[int, deque[float]] = OrderedDict()

    def allow(self, chat_id: int, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        stamps = self._chats.pop(chat_id, None) or deque()
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        allowed = len(stamps) < self.limit
        if allowed:
            stamps.append(now)
        self._chats[chat_id] = stamps
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)
        return allowed
