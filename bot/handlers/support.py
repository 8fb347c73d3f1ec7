"""The support side in Telegram: admin commands, handover to the support chat, /vergessen."""

from __future__ import annotations

import asyncio
import functools
import html
import logging
from datetime import date, datetime, timedelta, timezone

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from .. import recording
from ..knowledge.assistant import Assistant
from ..knowledge.dates import german_date
from ..knowledge.model import Answer, Kind, Service
from ..knowledge.numbers import count_noun, german_percent
from ..knowledge_reload import reload_knowledge
from ..replies import split_message, to_html
from ..report import build_report
from . import subscriptions
from .commands import unknown_command
from .context import Context

logger = logging.getLogger(__name__)

# Grouping compares questions pairwise: bounded, and run off the event loop.
REPORT_ROWS = 2000
ADMIN_COMMANDS = (
    ("reload", "Wissensbasis neu laden"),
    ("stats", "Zahlen der letzten 7 Tage"),
    ("offen", "Häufigste unbeantwortete Fragen"),
)


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.admin_ids


def admin_only(handler):
    """Admin commands answer everyone else like an unknown command (and the attempt is logged)."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        if not is_admin(update, context):
            logger.warning("admin command refused for a non-admin user")
            await unknown_command(update, context)
            return
        await handler(update, context)

    return guarded


@admin_only
async def reload(update: Update, context: Context) -> None:
    args = context.args or []
    force = bool(args) and args[0].lower() in ("force", "--force", "erzwingen")
    result = await reload_knowledge(context.bot_data.source, force)
    await update.effective_message.reply_text(result.message()[:4000], do_quote=False)


@admin_only
async def stats(update: Update, context: Context) -> None:
    since = datetime.now(timezone.utc) - timedelta(days=7)
    data = context.bot_data
    numbers = await data.store.stats(since)
    rows = await data.store.questions_since(since, limit=REPORT_ROWS)
    report = await asyncio.to_thread(build_report, rows, since, None, 3)
    rate = german_percent(numbers["answered"] / numbers["questions"]) if numbers["questions"] else "–"
    lines = ["<b>Letzte 7 Tage</b>", f"Fragen: {numbers['questions']}, sicher beantwortet: {rate}",
             f"Bewertungen: 👍 {numbers['up']}, 👎 {numbers['down']}",
             f"Wissensstand: {data.source.current.knowledge.version}", "", "<b>Häufigste offene Fragen</b>"]
    lines += [f"{g.count}× {html.escape(g.example)}" for g in report.unanswered] or ["– keine –"]
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML, do_quote=False)


@admin_only
async def open_questions(update: Update, context: Context) -> None:
    since = datetime.now(timezone.utc) - timedelta(days=30)
    data = context.bot_data
    rows = await data.store.questions_since(since, limit=REPORT_ROWS)
    report = await asyncio.to_thread(build_report, rows, since, data.source.current, 10)
    lines = ["<b>Unbeantwortete Fragen (30 Tage)</b>"]
    for group in report.unanswered:
        lines.append(f"{group.count}× {html.escape(group.example)}\n   → {html.escape(group.suggestion)}")
    if not report.unanswered:
        lines.append("– keine –")
    for part in split_message("\n".join(lines)):
        await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML, do_quote=False)


# ---- /vergessen ----------------------------------------------------------------------------------

async def forget(update: Update, context: Context) -> None:
    await update.effective_message.reply_text(
        "Sollen alle über Sie gespeicherten Fragen, Bewertungen und Weiterleitungen gelöscht werden? "
        "Das lässt sich nicht rückgängig machen.",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ja, alles löschen", callback_data="v:ja"),
                                            InlineKeyboardButton("Abbrechen", callback_data="v:nein")]]),
        do_quote=False)


async def on_forget_button(update: Update, context: Context) -> None:
    query = update.callback_query
    await query.answer()
    if query.data == "v:ja":
        deleted = await context.bot_data.store.forget(query.from_user.id, query.message.chat_id)
        context.bot_data.memory.forget(query.message.chat_id, query.from_user.id)  # follow-up context too
        deleted += await subscriptions.forget_chat(query.message.chat_id, query.message.chat.type, context)
        await query.edit_message_text(f"Erledigt: {count_noun(deleted, 'Eintrag', 'Einträge')} über Sie "
                                      f"{'wurde' if deleted == 1 else 'wurden'} gelöscht.")
    else:
        await query.edit_message_text("Abgebrochen – es wurde nichts gelöscht.")


# ---- handover to a person -------------------------------------------------------------------------

async def on_handover_button(update: Update, context: Context) -> None:
    """The user asked (by pressing the button) that their question go to the support chat."""
    query = update.callback_query
    data = context.bot_data
    support_chat = data.settings.support_chat_id
    row = await data.store.question(int(query.data.split(":")[1]), query.from_user.id)
    if support_chat is None or row is None:
        await query.answer("Weiterleiten ist gerade nicht möglich. Bitte wenden Sie sich direkt an das Support-Team.",
                           show_alert=True)
        return
    if await data.store.handed_over(row["id"]):
        await query.answer("Diese Frage ist schon an das Support-Team weitergeleitet.")
        return
    await query.answer()
    contact = data.source.current.knowledge.contact("support")
    # Which support-chat message belongs to which asker is known once Telegram accepted it: the
    # outbox records the handover then (under the dispatcher the send returns only True).
    handover = {"question_id": row["id"], "user": query.from_user.id, "chat": query.message.chat_id}
    with recording.after_sent(handover=handover):
        sent = await context.bot.send_message(support_chat, handover_text(data.source.current, row),
                                              parse_mode=ParseMode.HTML)
    if isinstance(sent, Message):  # sent at once (outside the dispatcher, e.g. `poll`)
        await data.store.add_handover(row["id"], query.from_user.id, query.message.chat_id, sent.message_id)
    await query.edit_message_reply_markup(reply_markup=None)
    who = contact.name if contact else "das Support-Team"
    await query.message.reply_text(f"Ihre Frage wurde an {who} weitergeleitet. Die Antwort erhalten Sie hier.",
                                   do_quote=False)


def shown_answer(assistant: Assistant, row: dict) -> tuple[Answer, Service | None]:
    """The answer the user saw for a logged question, rendered again (the log keeps no answer text),
    and the candidate the user chose after a clarifying question, if that is how it came about."""
    as_of = date.fromisoformat(row["as_of"])
    plain = assistant.answer(row["question"], as_of)
    if (plain.service, plain.faq) == (row["service"], row["faq"]):
        return plain, None
    answer = assistant.answer(row["question"], as_of, service_id=row["service"], faq_id=row["faq"])
    chosen = assistant.knowledge.service(row["service"]) if row["service"] else None
    return answer, chosen if plain.kind is Kind.CLARIFY else None


def handover_text(assistant: Assistant, row: dict) -> str:
    """What the support chat reads: the question, and the answer as the user saw it – no internal
    fields or ids."""
    answer, chosen = shown_answer(assistant, row)
    rendered = to_html(answer)
    if len(rendered) > HANDOVER_ANSWER:
        rendered = html.escape((answer.summary or answer.text)[:HANDOVER_ANSWER], quote=False)
    lines = [f"<b>Weitergeleitete Frage</b> (gefragt am {german_date(date.fromisoformat(row['as_of']))})",
             quote(row["question"])]
    if chosen is not None:
        lines.append(f"Nach Rückfrage gewählt: »{html.escape(chosen.name, quote=False)}«")
    lines += ["", "<b>So hat der Bot geantwortet:</b>", rendered, ""]
    if row["feedback"] == "down":
        lines.append("Bewertung: 👎 nicht hilfreich")
    if row["knowledge_version"] != assistant.knowledge.version:
        lines.append("(Die Wissensbasis wurde seitdem geändert; die Antwort ist mit dem heutigen Stand neu erzeugt.)")
    lines.append("<i>Antworten Sie auf diese Nachricht – der Bot leitet Ihre Antwort an die fragende Person "
                 "weiter.</i>")
    return "\n".join(lines)


HANDOVER_ANSWER = 3000  # characters of the answer, so that question and answer fit one message
QUOTED_QUESTION = 500  # characters of a quoted question


def quote(question: str) -> str:
    cut = question if len(question) <= QUOTED_QUESTION else question[:QUOTED_QUESTION - 1] + "…"
    return f"<blockquote>{html.escape(cut, quote=False)}</blockquote>"


async def on_support_reply(update: Update, context: Context) -> None:
    """A support member replied in the support chat to a forwarded question: relay it to the asker,
    quoting the question it answers."""
    message = update.effective_message
    reply_to = message.reply_to_message
    if reply_to is None or reply_to.from_user is None or reply_to.from_user.id != context.bot.id:
        return
    store = context.bot_data.store
    chat = await store.handover_chat(reply_to.message_id)
    if chat is None:
        return
    question = await store.handover_question(reply_to.message_id)
    quoted = f"Ihre Frage:\n{quote(question)}\n\n" if question else ""
    text = f"{quoted}<b>Antwort des Support-Teams:</b>\n\n{html.escape(message.text, quote=False)}"
    for part in split_message(text):
        await context.bot.send_message(chat, part, parse_mode=ParseMode.HTML)
    await message.reply_text("Weitergeleitet.", do_quote=False)
