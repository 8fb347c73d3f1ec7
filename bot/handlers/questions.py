"""Free-text questions and the buttons that follow them: parse → core → reply.

A message is read in its conversation (`chat_memory`): a follow-up refers to the last answer of the
private chat, or of the person in a group, or to the bot's answer it replies to. In groups an answer
quotes the question it answers. An edited question edits the bot's earlier answer (nothing is sent
when the text did not change). After 👎 a ForceReply prompt asks what was missing; only a reply to
that prompt is stored with the question.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import date, datetime
from typing import cast

from telegram import (ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters,
                      Update)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError

from .. import recording
from ..chat_memory import conversation_key
from ..examples import START_EXAMPLES
from ..knowledge.conversation import Conversation
from ..knowledge.dates import BERLIN
from ..knowledge.model import Answer, Kind, Verdict
from ..replies import split_message, to_html
from ..store import Store
from .context import Context
from .filters import replied_bot_message, strip_mention
from .labels import button_label
from .links import link_rows
from .support_contact import offer_support_contact

logger = logging.getLogger(__name__)
SUBSTANTIVE = (Kind.ANSWER,)
OPEN_CATALOGUE = "o:katalog"  # the "Katalog öffnen" button under a question back without candidates
COMMENT_LIMIT = 1000  # characters kept of what was missing after 👎
GROUP_BUSY = ("Hinweis: In dieser Gruppe wird gerade viel gefragt. Telegram lässt nur etwa 20 Nachrichten pro "
              "Minute in eine Gruppe zu – meine Antworten kommen deshalb der Reihe nach und etwas verzögert; "
              "keine Frage geht verloren.")


def keyboard(answer: Answer, log_id: int, handover: bool, links: list | None = None) -> InlineKeyboardMarkup | None:
    """Clarify: the candidates as buttons, or without candidates example questions and the catalogue.
    A substantive answer: 👍/👎 (and link buttons to the source and contacts). Where the bot could not
    answer (fallback, "weiß ich nicht"): the offer to pass the question to the support team."""
    rows = []
    if answer.kind is Kind.CLARIFY and answer.matches:
        rows = [[InlineKeyboardButton(button_label(m.title), callback_data=f"c:{log_id}:{i}")]
                for i, m in enumerate(answer.matches[:5])]
    elif answer.kind is Kind.CLARIFY:
        rows = [[InlineKeyboardButton(q, callback_data=f"x:{i}")] for i, q in enumerate(START_EXAMPLES)]
        rows.append([InlineKeyboardButton("Katalog öffnen", callback_data=OPEN_CATALOGUE)])
    elif answer.kind in SUBSTANTIVE:
        rows = [[InlineKeyboardButton("👍 hilfreich", callback_data=f"f:{log_id}:+"),
                 InlineKeyboardButton("👎 nicht hilfreich", callback_data=f"f:{log_id}:-")]]
    if handover and (answer.kind is Kind.FALLBACK or answer.verdict is Verdict.UNKNOWN):
        rows.append([handover_button(log_id)])
    rows += links or []
    return InlineKeyboardMarkup(rows) if rows else None


def handover_button(log_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton("An das Support-Team weiterleiten", callback_data=f"h:{log_id}")


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def quoting(message: Message, message_id: int | None) -> ReplyParameters | None:
    """In groups an answer quotes the question it answers (a deleted question does not stop it)."""
    if is_private(message) or message_id is None:
        return None
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True)


async def send_answer(message: Message, answer: Answer, log_id: int | None, handover: bool = False, *,
                      quote: int | None = None, note: str = "", store: Store | None = None,
                      links: list | None = None) -> None:
    """The answer in the chat of `message`; the first part's message id is noted on the question's
    log row once Telegram accepted it (an edit of the question edits that message)."""
    parts = split_message((note + "\n\n" if note else "") + to_html(answer))
    markup = keyboard(answer, log_id, handover, links) if log_id is not None else None
    noted = {"question_message": {"question_id": log_id, "column": "answer_message_id"}} if log_id else {}
    for i, part in enumerate(parts):
        with recording.after_sent(**noted) if i == 0 else contextlib.nullcontext():
            sent = await message.reply_text(part, parse_mode=ParseMode.HTML,
                                            reply_markup=markup if i == len(parts) - 1 else None,
                                            reply_parameters=quoting(message, quote) if i == 0 else None,
                                            do_quote=False)
        if i == 0 and log_id and store is not None and isinstance(sent, Message):  # outside the dispatcher
            await store.note_message(log_id, "answer_message_id", sent.message_id)


async def edit_answer(message: Message, context: Context, answer: Answer, log_id: int, answer_message_id: int,
                      note: str = "") -> bool:
    """Replace the bot's earlier answer by this one; False when it does not fit one message."""
    parts = split_message((note + "\n\n" if note else "") + to_html(answer))
    if len(parts) > 1:
        return False
    await context.bot.edit_message_text(
        parts[0], chat_id=message.chat_id, message_id=answer_message_id, parse_mode=ParseMode.HTML,
        reply_markup=keyboard(answer, log_id, context.bot_data.settings.support_chat_id is not None))
    return True


def asked_at() -> datetime:
    """When the user asked, in Europe/Berlin: the message's own date, not when it is handled (a
    question of 31.12.2024 23:50 answered after midnight still gets the 2024 verdict, and a follow-up
    delayed by an outage still refers to the answer before it)."""
    rec = recording.current()
    return datetime.fromtimestamp(rec.asked_at if rec is not None else time.time(), BERLIN)


def asked_on() -> date:
    return asked_at().date()


async def answer_and_log(message: Message, context: Context, question: str, user_id: int | None, *,
                         service_id: str | None = None, faq_id: str | None = None, as_of: date | None = None,
                         question_message_id: int | None = None, follow_ups: bool = False,
                         previous: dict | None = None) -> Answer:
    """Answer `question` in the chat of `message`, log it under the asking user's pseudonym (the
    log row is written together with the answer, so a retried delivery never logs twice).

    `follow_ups`: read it in its conversation. `question_message_id`: the user's message (quoted in
    groups, and found again when it is edited). `previous`: the log row of the question before an
    edit — its answer is edited instead of a second one being sent."""
    data = context.bot_data
    at = asked_at()
    as_of = as_of or at.date()
    assistant = data.source.current
    key = conversation_key(message.chat_id, user_id, is_private(message))
    conversation = data.memory.conversation(key, assistant)
    if follow_ups:
        await _resume_replied_answer(message, context, conversation, at)
        answer = conversation.ask(question, as_of, at)
    else:
        answer = assistant.answer(question, as_of, service_id=service_id, faq_id=faq_id)
        conversation.remember(answer, question, as_of, at)  # a chosen candidate is what follow-ups refer to
    editing = previous is not None and previous.get("answer_message_id") is not None
    log_id = await _log(data, message, user_id, question, answer, as_of, question_message_id,
                        previous if editing else None)
    data.memory.note_answer(log_id, key, conversation)
    rec = recording.current()
    if rec is not None and question_message_id is not None:
        rec.reply_to = question_message_id  # a late answer quotes the question, not the bot's own button message
    note = GROUP_BUSY if not is_private(message) and data.group_pace.queued(message.chat_id) else ""
    handover = data.settings.support_chat_id is not None
    if not (editing and previous is not None
            and await edit_answer(message, context, answer, log_id, previous["answer_message_id"], note)):
        await send_answer(message, answer, log_id, handover, quote=question_message_id, note=note, store=data.store,
                          links=link_rows(answer, assistant.knowledge))
    logger.info("answered kind=%s verdict=%s route=%s version=%s", answer.kind.value,
                answer.verdict.value if answer.verdict else None, answer.route, answer.knowledge_version)
    return answer


async def _log(data, message: Message, user_id: int | None, question: str, answer: Answer, as_of: date,
               question_message_id: int | None, previous: dict | None) -> int:
    """The question-log row; after an edit it replaces the row of the question before (same id, so the
    buttons under the edited answer keep working)."""
    fields = {"chat": message.chat_id, "user": user_id, "question": question, "answer": answer,
              "as_of": as_of.isoformat(), "message_id": question_message_id,
              "answer_message_id": previous["answer_message_id"] if previous else None}
    rec = recording.current()
    if rec is None:
        return await data.store.log_question(**fields, question_id=previous["id"] if previous else None)
    log_id = previous["id"] if previous else await data.store.reserve_question_id()
    rec.questions.append(data.store.question_row(log_id, **fields))
    return log_id


async def _resume_replied_answer(message: Message, context: Context, conversation: Conversation,
                                 at: datetime) -> None:
    """A reply to one of the bot's answers refers to that answer's subject."""
    replied = replied_bot_message(message, context.bot.id)
    if replied is None:
        return
    row = await context.bot_data.store.question_in_chat(message.chat_id, answer_message_id=replied)
    if row is not None:
        context.bot_data.memory.resume(conversation, row["id"], at)


async def on_text(update: Update, context: Context) -> None:
    """A message typed by the user (new or edited): a question, or what was missing after 👎."""
    message = update.effective_message
    data = context.bot_data
    question = strip_mention(message.text or "", context.bot.username)
    user_id = message.from_user.id if message.from_user else None
    if update.message is not None and await _take_comment(message, context, question, user_id):
        return
    previous = None
    if update.edited_message is not None:
        previous = await data.store.question_in_chat(message.chat_id, message_id=message.message_id)
        if previous is not None and previous["question"] == question:
            return  # an edit that leaves the question as it was changes nothing
    if not data.flood.allow(conversation_key(message.chat_id, user_id, is_private(message))):
        await message.reply_text("Sie fragen gerade sehr schnell hintereinander. Bitte warten Sie einen Moment "
                                 "und stellen Sie Ihre Frage dann noch einmal.",
                                 reply_parameters=quoting(message, message.message_id), do_quote=False)
        return
    # "typing" goes out while the answer is being prepared; it is cosmetic: nobody waits for it, and
    # it is neither recorded nor retried (under the dispatcher the outbox sends it at once).
    typing = asyncio.ensure_future(context.bot.send_chat_action(message.chat_id, ChatAction.TYPING))
    _TYPING.add(typing)
    typing.add_done_callback(_typing_done)
    await answer_and_log(message, context, question, user_id, question_message_id=message.message_id,
                         follow_ups=True, previous=previous)


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


NOT_YOURS = "Diese Schaltfläche gehört zur Frage einer anderen Person. Stellen Sie Ihre Frage gern selbst."


async def on_clarify_choice(update: Update, context: Context) -> None:
    """A candidate chosen after a clarifying question: answer the original question for it."""
    query = update.callback_query
    _, log_id, index = query.data.split(":")
    store = context.bot_data.store
    row = await store.question(int(log_id), query.from_user.id)
    if row is None and await store.question_exists(int(log_id)):
        await query.answer(NOT_YOURS, show_alert=True)
        return
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
    # Sent from the bot's own message: in a group it quotes the asker's question, not the bot.
    await answer_and_log(cast(Message, query.message), context, row["question"], query.from_user.id, service_id=service_id,
                         faq_id=faq_id, as_of=date.fromisoformat(row["as_of"]), question_message_id=row["message_id"])


async def on_feedback(update: Update, context: Context) -> None:
    """👍/👎 by the asker. From another member of a group it is politely declined. After 👎 a prompt
    (ForceReply) asks what was missing."""
    query = update.callback_query
    _, log_id, value = query.data.split(":")
    store = context.bot_data.store
    stored = await store.set_feedback(int(log_id), query.from_user.id, "up" if value == "+" else "down")
    if not stored:
        gone = not await store.question_exists(int(log_id))
        await query.answer("Diese Antwort ist nicht mehr gespeichert." if gone else
                           "Danke! Bewerten kann nur, wer die Frage gestellt hat – stellen Sie Ihre Frage gern selbst.")
        return
    await query.answer("Danke für Ihre Rückmeldung!")
    if value == "-" and context.bot_data.settings.support_chat_id is not None:
        # Not helpful: offer a person instead.
        await query.edit_message_reply_markup(reply_markup=InlineKeyboardMarkup([[handover_button(int(log_id))]]))
    elif value == "-":  # no support chat: name the support contact from the knowledge files
        await query.edit_message_reply_markup(reply_markup=None)
        await offer_support_contact(query.message, context)
    else:
        await query.edit_message_reply_markup(reply_markup=None)
    if value == "-":
        await _ask_what_was_missing(query.message, context, int(log_id), query.from_user.id)


async def _ask_what_was_missing(message: Message, context: Context, log_id: int, user_id: int) -> None:
    row = await context.bot_data.store.question(log_id, user_id)
    noted = {"question_message": {"question_id": log_id, "column": "prompt_message_id"}}
    with recording.after_sent(**noted):
        sent = await message.reply_text(
            "Was hat Ihnen an der Antwort gefehlt? Antworten Sie einfach auf diese Nachricht (freiwillig, bitte ohne "
            "personenbezogene Daten).",
            reply_markup=ForceReply(selective=True, input_field_placeholder="Was hat gefehlt?"),
            reply_parameters=quoting(message, row["message_id"] if row else None), do_quote=False)
    if isinstance(sent, Message):  # outside the dispatcher
        await context.bot_data.store.note_message(log_id, "prompt_message_id", sent.message_id)


async def _take_comment(message: Message, context: Context, text: str, user_id: int | None) -> bool:
    """A reply to the "what was missing?" prompt is stored with the question (and is no question)."""
    replied = replied_bot_message(message, context.bot.id)
    if replied is None:
        return False
    store = context.bot_data.store
    row = await store.question_in_chat(message.chat_id, prompt_message_id=replied)
    if row is None:
        return False
    if await store.set_comment(row["id"], user_id, text[:COMMENT_LIMIT]):
        thanks = "Danke! Ihr Hinweis ist gespeichert und hilft, die Antworten zu verbessern."
    else:
        thanks = "Danke! Einen Hinweis zu dieser Antwort kann nur geben, wer die Frage gestellt hat."
    await message.reply_text(thanks, reply_parameters=quoting(message, message.message_id), do_quote=False)
    return True


async def on_open_catalogue(update: Update, context: Context) -> None:
    """"Katalog öffnen" under a question back without candidates: the catalogue's topics."""
    from .commands import catalogue  # commands imports this module for answer_and_log

    await update.callback_query.answer()
    await catalogue(update, context)
