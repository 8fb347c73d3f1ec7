"""Free-text questions and the buttons that follow them: parse → core → reply."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date, datetime
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from .. import recording
from ..knowledge.dates import BERLIN, today_in_berlin
from ..knowledge.model import Answer, Kind, Verdict
from ..replies import split_message, to_html
from .context import Context
from .filters import strip_mention

logger = logging.getLogger(__name__)
SUBSTANTIVE = (Kind.ANSWER,)


def keyboard(answer: Answer, log_id: int, handover: bool) -> InlineKeyboardMarkup | None:
    """Clarify: the candidates as buttons. A substantive answer: 👍/👎. Where the bot could not
    answer (fallback, "weiß ich nicht"): the offer to pass the question to the support team."""
    rows = []
    if answer.kind is Kind.CLARIFY and answer.matches:
        rows = [[InlineKeyboardButton(m.title[:60], callback_data=f"c:{log_id}:{i}")]
                for i, m in enumerate(answer.matches[:5])]
    elif answer.kind in SUBSTANTIVE:
        rows = [[InlineKeyboardButton("👍 hilfreich", callback_data=f"f:{log_id}:+"),
                 InlineKeyboardButton("👎 nicht hilfreich", callback_data=f"f:{log_id}:-")]]
    if handover and (answer.kind is Kind.FALLBACK or answer.verdict is Verdict.UNKNOWN):
        rows.append([handover_button(log_id)])
    return InlineKeyboardMarkup(rows) if rows else None


def handover_button(log_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton("An den Support weiterleiten", callback_data=f"h:{log_id}")


async def send_answer(message: Message, answer: Answer, log_id: int | None, handover: bool = False) -> None:
    parts = split_message(to_html(answer))
    markup = keyboard(answer, log_id, handover) if log_id is not None else None
    for i, part in enumerate(parts):
        await message.reply_text(part, parse_mode=ParseMode.HTML,
                                 reply_markup=markup if i == len(parts) - 1 else None,
                                 do_quote=False)


def asked_on() -> date:
    """The day the user asked, in Europe/Berlin: the message's own date, not the day it is handled
    (a question of 31.12.2024 23:50 answered after midnight still gets the 2024 verdict)."""
    rec = recording.current()
    if rec is None:
        return today_in_berlin()
    return datetime.fromtimestamp(rec.asked_at, BERLIN).date()


async def answer_and_log(message: Message, context: Context, question: str, user_id: int | None, *,
                         service_id: str | None = None, faq_id: str | None = None, as_of: date | None = None) -> Answer:
    """Answer `question` in the chat of `message`, log it under the asking user's pseudonym (the
    log row is written together with the answer, so a retried delivery never logs twice)."""
    data = context.bot_data
    as_of = as_of or asked_on()
    answer = data.source.current.answer(question, as_of, service_id=service_id, faq_id=faq_id)
    fields: dict[str, Any] = {"chat": message.chat_id, "user": user_id, "question": question, "answer": answer,
              "as_of": as_of.isoformat()}
    rec = recording.current()
    if rec is None:
        log_id = await data.store.log_question(**fields)
    else:
        log_id = await data.store.reserve_question_id()
        rec.questions.append(data.store.question_row(log_id, **fields))
    await send_answer(message, answer, log_id, handover=data.settings.support_chat_id is not None)
    logger.info("answered kind=%s verdict=%s version=%s", answer.kind.value,
                answer.verdict.value if answer.verdict else None, answer.knowledge_version)
    return answer


async def on_text(update: Update, context: Context) -> None:
    """A question typed by the user (new or edited message)."""
    message = update.effective_message
    question = strip_mention(message.text or "", context.bot.username)
    if not context.bot_data.flood.allow(message.chat_id):
        await message.reply_text("Sie fragen gerade sehr schnell hintereinander. Bitte warten Sie einen Moment "
                                 "und stellen Sie Ihre Frage dann noch einmal.", do_quote=False)
        return
    # "typing" goes out while the answer is being prepared; it is cosmetic: nobody waits for it, and
    # it is neither recorded nor retried (under the dispatcher the outbox sends it at once).
    typing = asyncio.ensure_future(context.bot.send_chat_action(message.chat_id, ChatAction.TYPING))
    _TYPING.add(typing)
    typing.add_done_callback(_typing_done)
    await answer_and_log(cast(Message, message), context, question, message.from_user.id if message.from_user else None)


_TYPING: set[asyncio.Future] = set()


def _typing_done(future: asyncio.Future) -> None:
    _TYPING.discard(future)
    if not future.cancelled() and isinstance(future.exception(), TelegramError):
        logger.debug("typing action failed: %s", future.exception().__class__.__name__)


async def on_other_message(update: Update, context: Context) -> None:
    """Stickers, photos, voice, documents …: polite request for text."""
    await update.effective_message.reply_text(
        "Ich kann nur Fragen in Textform beantworten. Bitte schreiben Sie Ihre Frage, z. B. "
        "»Ist der Hundesteuer-Assistent förderfähig?«", do_quote=False)


async def on_clarify_choice(update: Update, context: Context) -> None:
    """A candidate chosen after a clarifying question: answer the original question for it."""
    query = update.callback_query
    _, log_id, index = query.data.split(":")
    row = await context.bot_data.store.question(int(log_id), query.from_user.id)
    candidates = json.loads(row["candidates"]) if row else []
    if row is None or not index.isdigit() or int(index) >= len(candidates):
        await query.answer("Diese Auswahl ist nicht mehr verfügbar. Bitte stellen Sie die Frage neu.", show_alert=True)
        return
    await query.answer()
    chosen = candidates[int(index)]
    knowledge = context.bot_data.source.current.knowledge
    service_id = chosen if knowledge.service(chosen) else None
    faq_id = chosen if service_id is None and knowledge.entry(chosen) else None
    if service_id is None and faq_id is None:
        await query.message.reply_text("Dieser Eintrag ist inzwischen nicht mehr in der Wissensbasis.",
                                       do_quote=False)
        return
    await query.edit_message_reply_markup(reply_markup=None)
    await answer_and_log(cast(Message, query.message), context, row["question"], query.from_user.id, service_id=service_id,
                         faq_id=faq_id, as_of=date.fromisoformat(row["as_of"]))


async def on_feedback(update: Update, context: Context) -> None:
    query = update.callback_query
    _, log_id, value = query.data.split(":")
    stored = await context.bot_data.store.set_feedback(int(log_id), query.from_user.id,
                                                       "up" if value == "+" else "down")
    await query.answer("Danke für Ihre Rückmeldung!" if stored else "Diese Antwort ist nicht mehr gespeichert.")
    if not stored:
        return
    if value == "-" and context.bot_data.settings.support_chat_id is not None:
        # Not helpful: offer a person instead.
        await query.edit_message_reply_markup(reply_markup=InlineKeyboardMarkup([[handover_button(int(log_id))]]))
    else:
        await query.edit_message_reply_markup(reply_markup=None)
