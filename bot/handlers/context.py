"""Typed state shared by the handlers (python-telegram-bot `ContextTypes`)."""

from __future__ import annotations

from telegram.ext import CallbackContext, ExtBot

from ..config import Settings
from ..knowledge_source import KnowledgeSource
from ..outbox import Clock
from ..store import Store
from ..chat_memory import ChatMemory
from ..subscriptions import SubscriptionStore
from .flood import ChatFloodGuard, GroupPace


class BotData:
    """Everything a handler needs besides the update. python-telegram-bot creates it empty;
    `create_application` sets `settings`, `source` and `store` before the first update, so
    handlers read them as always present."""

    settings: Settings
    source: KnowledgeSource
    store: Store
    flood: ChatFloodGuard
    memory: ChatMemory  # follow-ups: what each conversation refers to
    group_pace: GroupPace
    subscriptions: SubscriptionStore
    clock: Clock

    def __init__(self) -> None:
        self.settings = Settings()
        self.flood = ChatFloodGuard()
        self.memory = ChatMemory()
        self.group_pace = GroupPace()
        self.clock = Clock()


Context = CallbackContext[ExtBot, dict, dict, BotData]
