"""The one error handler: log the error (no question text, no ids) and mark the handler run failed.

Under the dispatcher the handler's requests were only recorded, so nothing of a failed run was
sent; the dispatcher tries again and, after the last attempt, sends the one apology. Outside it
(`poll`) the apology goes out at once.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from .. import recording
from .context import Context

logger = logging.getLogger(__name__)

APOLOGY = ("Entschuldigung, bei Ihrer Frage ist ein Fehler aufgetreten. Bitte versuchen Sie es gleich noch "
           "einmal; besteht das Problem weiter, wenden Sie sich an das Support-Team.")


async def on_error(update: object, context: Context) -> None:
    logger.error("error while handling an update: %s", context.error.__class__.__name__,
                 exc_info=context.error)
    rec = recording.current()
    if rec is not None:
        rec.failure = context.error
        return
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, APOLOGY)
        except TelegramError as exc:
            logger.warning("could not send the apology: %s", exc.__class__.__name__)
