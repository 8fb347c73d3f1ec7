"""Reloading knowledge inside the running bot: a file that cannot be read at all (no read
permission, a directory in its place) is reported like a broken file — in the reload's answer and
in /healthz — instead of raising, and the bot keeps answering with what it has."""

from __future__ import annotations

import asyncio
import logging

from .knowledge.problems import Problem
from .knowledge_source import KnowledgeSource, ReloadResult

logger = logging.getLogger(__name__)


async def reload_knowledge(source: KnowledgeSource, force: bool = False) -> ReloadResult:
    try:
        result = await asyncio.to_thread(source.reload, force)
    except OSError as exc:
        return unreadable(source, exc)
    if result.changed:
        await switched(source)
    return result


async def switched(source: KnowledgeSource) -> None:
    """Tell the listeners (change notices) that other knowledge serves now; one failing never fails the reload."""
    for listener in source.listeners:
        try:
            await listener()
        except Exception:
            logger.exception("a listener of the knowledge switch failed")


def unreadable(source: KnowledgeSource, exc: OSError) -> ReloadResult:
    version = source.current.knowledge.version if source.loaded else ""
    reason = exc.strerror or exc.__class__.__name__
    problem = Problem(str(exc.filename or source.settings.knowledge_dir), 0, 0,
                      f"Die Datei kann nicht gelesen werden ({reason}). Prüfen Sie, ob es eine Datei ist und der "
                      "Bot sie lesen darf.")
    result = ReloadResult(False, False, version, version, (problem,))
    source.last_error = result.message()
    return result
