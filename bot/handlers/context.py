"""Typed state shared by the handlers (python-telegram-bot `ContextTypes`)."""

from __future__ import annotations

from telegram.ext import CallbackContext, ExtBot

from ..config import Settings
from ..knowledge_source import KnowledgeSource
from ..store import Store
from .flood import ChatFloodGuard


class BotData:
    """Everything a handler needs besides the update. python-telegram-bot creates it empty;
    `create_application` sets `settings`, `source` and `store` before the first update, so
    handlers read them as always present."""

    settings: Settings
    source: KnowledgeSource
    store: Store
    flood: ChatFloodGuard

    def __init__(self) -> None:
        self.settings = Settings()
        self.flood = ChatFloodGuard()


Context = CallbackContext[ExtBot, dict, dict, BotData]
