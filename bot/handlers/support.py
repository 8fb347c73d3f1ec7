"""The support side in Telegram: admin commands, handover to the support chat, /vergessen."""

from __future__ import annotations

import asyncio
import functools
import html
import logging
from datetime import datetime, timedelta, timezone

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from .. import recording
from ..knowledge_reload import reload_knowledge
from ..replies import split_message
from ..report import build_report
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
    rate = f"{numbers['answered'] / numbers['questions']:.0%}" if numbers["questions"] else "–"
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
        await query.edit_message_text(f"Erledigt: {deleted} Einträge über Sie wurden gelöscht.")
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
        await query.answer("Weiterleiten ist gerade nicht möglich. Bitte wenden Sie sich direkt an den Support.",
                           show_alert=True)
        return
    if await data.store.handed_over(row["id"]):
        await query.answer("Diese Frage ist schon an den Support weitergeleitet.")
        return
    await query.answer()
    contact = data.source.current.knowledge.contact("support")
    text = (f"<b>Weitergeleitete Frage #{row['id']}</b>\n{html.escape(row['question'])}\n\n"
            f"Antwort des Bots: {html.escape(row['kind'])}"
            + (f", Urteil {html.escape(row['verdict'])}" if row["verdict"] else "")
            + f"\nTreffer: {html.escape(row['candidates'])} (Wissensstand {html.escape(row['knowledge_version'])})"
            + ("\nBewertung: 👎" if row["feedback"] == "down" else "")
            + "\n\n<i>Antworten Sie auf diese Nachricht – der Bot leitet Ihre Antwort an die fragende Person weiter.</i>")
    # Which support-chat message belongs to which asker is known once Telegram accepted it: the
    # outbox records the handover then (under the dispatcher the send returns only True).
    handover = {"question_id": row["id"], "user": query.from_user.id, "chat": query.message.chat_id}
    with recording.after_sent(handover=handover):
        sent = await context.bot.send_message(support_chat, text, parse_mode=ParseMode.HTML)
    if isinstance(sent, Message):  # sent at once (outside the dispatcher, e.g. `poll`)
        await data.store.add_handover(row["id"], query.from_user.id, query.message.chat_id, sent.message_id)
    await query.edit_message_reply_markup(reply_markup=None)
    who = contact.name if contact else "das Support-Team"
    await query.message.reply_text(f"Ihre Frage wurde an {who} weitergeleitet. Die Antwort erhalten Sie hier.",
                                   do_quote=False)


async def on_support_reply(update: Update, context: Context) -> None:
    """A support member replied in the support chat to a forwarded question: relay it to the asker."""
    message = update.effective_message
    reply_to = message.reply_to_message
    if reply_to is None or reply_to.from_user is None or reply_to.from_user.id != context.bot.id:
        return
    chat = await context.bot_data.store.handover_chat(reply_to.message_id)
    if chat is None:
        return
    for part in split_message(f"Antwort des Support-Teams:\n\n{message.text}"):
        await context.bot.send_message(chat, part)
    await message.reply_text("Weitergeleitet.", do_quote=False)
