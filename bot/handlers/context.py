"""Typed state shared by the handlers (python-telegram-bot `ContextTypes`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from ..config import Settings
from ..knowledge_source import KnowledgeSource
from ..outbox import Clock
from ..store import Store
from ..chat_memory import ChatMemory
from ..subscriptions import SubscriptionStore
from .flood import ChatFloodGuard, GroupPace


@dataclass
class BotData:
    """Everything a handler needs besides the update; filled in by `create_application`."""

    settings: Settings = field(default_factory=Settings)
    source: KnowledgeSource | None = None
    store: Store | None = None
    flood: ChatFloodGuard = field(default_factory=ChatFloodGuard)
    memory: ChatMemory = field(default_factory=ChatMemory)  # follow-ups: what each conversation refers to
    group_pace: GroupPace = field(default_factory=GroupPace)
    subscriptions: SubscriptionStore | None = None
    clock: Clock = field(default_factory=Clock)


Context = CallbackContext[ExtBot, dict, dict, BotData]
