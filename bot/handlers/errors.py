"""The one error handler: log the error (no question text, no ids), apologise to the user."""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError

from .context import Context

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """Set per update by the dispatcher; the error handler marks it failed."""

    failed: bool = False


OUTCOME: contextvars.ContextVar[Outcome | None] = contextvars.ContextVar("update_outcome", default=None)


async def on_error(update: object, context: Context) -> None:
    outcome = OUTCOME.get()
    if outcome is not None:
        outcome.failed = True
    logger.error("error while handling an update: %s", context.error.__class__.__name__,
                 exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id,
                "Entschuldigung, bei Ihrer Frage ist ein Fehler aufgetreten. Bitte versuchen Sie es gleich noch "
                "einmal; besteht das Problem weiter, wenden Sie sich an den Support.")
        except TelegramError as exc:
            logger.warning("could not send the apology: %s", exc.__class__.__name__)
