"""Limits against floods, with bounded memory: per chat (per person in a group), and the pace of
answers into a group."""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from ..outbox import GROUP_RATE


class ChatFloodGuard:
    """Allows `limit` questions per `window` seconds per chat (callers count a person in a group on
    their own: `chat_memory.conversation_key`); remembers at most `max_chats` chats."""

    def __init__(self, limit: int = 12, window: float = 60.0, max_chats: int = 10_000):
        self.limit = limit
        self.window = window
        self.max_chats = max_chats
        self._chats: OrderedDict[int | tuple[int, ...], deque[float]] = OrderedDict()  # chat, or (group, person)

    def allow(self, chat_id: int | tuple[int, ...], now: float | None = None) -> bool:
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


class GroupPace:
    """Counts the answers going into each group against Telegram's limit for one group (the outbox
    holds them to it): beyond it answers queue, and the first queued answer of a minute says so."""

    def __init__(self, limit: int = GROUP_RATE[0], window: float = GROUP_RATE[1], max_groups: int = 1000):
        self.limit = limit
        self.window = window
        self.max_groups = max_groups
        self._groups: OrderedDict[int, tuple[deque[float], list[float]]] = OrderedDict()

    def queued(self, chat_id: int, now: float | None = None) -> bool:
        """Count one answer; True when it is the first beyond the limit in this window (say so)."""
        now = time.monotonic() if now is None else now
        stamps, said = self._groups.pop(chat_id, None) or (deque(), [float("-inf")])
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        stamps.append(now)
        self._groups[chat_id] = (stamps, said)
        while len(self._groups) > self.max_groups:
            self._groups.popitem(last=False)
        if len(stamps) > self.limit and now - said[0] > self.window:
            said[0] = now
            return True
        return False
