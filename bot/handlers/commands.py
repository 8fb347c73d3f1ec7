"""Commands: /start, /hilfe, /help, /frist, /katalog, /datenschutz — and the buttons they show."""

from __future__ import annotations

import html
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from ..knowledge.dates import german_date, today_in_berlin
from ..knowledge.model import Verdict
from ..knowledge.model import Subject
from ..knowledge.rules import judge
from ..examples import HELP_EXAMPLES, START_EXAMPLES
from .context import Context
from .questions import answer_and_log

EXAMPLES = START_EXAMPLES
PAGE_SIZE = 6
COMMANDS = (
    ("start", "Einführung und Beispielfragen"),
    ("hilfe", "Was der Bot beantworten kann"),
    ("frist", "Fristen aller Förderprogramme"),
    ("katalog", "Online-Antragsassistenten suchen"),
    ("datenschutz", "Was gespeichert wird und wie lange"),
    ("vergessen", "Meine gespeicherten Fragen löschen"),
)


async def start(update: Update, context: Context) -> None:
    buttons = [[InlineKeyboardButton(q, callback_data=f"x:{i}")] for i, q in enumerate(EXAMPLES)]
    await update.effective_message.reply_text(
        "<b>Willkommen beim Förderbot!</b>\n\n"
        "Ich beantworte Fragen sächsischer Gemeinden, Städte und Landkreise zur Förderung der "
        "Online-Antragsassistenten (Anschubfinanzierung des Freistaats Sachsen, Zweckverband KISA): "
        "ob etwas förderfähig ist, bis wann, was gefördert wird und was nicht – mit Quelle.\n\n"
        "Fragen Sie einfach in eigenen Worten, zum Beispiel:\n"
        + "\n".join(f"• {html.escape(q)}" for q in EXAMPLES)
        + "\n\nMehr unter /hilfe. Meine Auskünfte sind nicht rechtsverbindlich.",
        parse_mode=ParseMode.HTML, reply_markup=InlineKeyboardMarkup(buttons), do_quote=False)


async def help_(update: Update, context: Context) -> None:
    await update.effective_message.reply_text(
        "<b>So fragen Sie den Förderbot</b>\n\n"
        + "\n".join(f"• {kind}: " + " oder ".join(f"»{html.escape(q)}«" for q in questions)
                    for kind, questions in HELP_EXAMPLES) + "\n\n"
        "Befehle:\n" + "\n".join(f"/{name} – {html.escape(text)}" for name, text in COMMANDS)
        + "\n\nUrteile: förderfähig, förderfähig unter Vorbehalt, nicht förderfähig, abgelaufen – oder "
          "»weiß ich nicht sicher«, wenn die Quelle nichts sagt. Dann fragen Sie bitte KISA, die SAKD oder den "
          "Support.",
        parse_mode=ParseMode.HTML, do_quote=False)


async def deadlines(update: Update, context: Context) -> None:
    """/frist: every programme's periods and its status today."""
    assistant = context.bot_data.source.current
    today = today_in_berlin()
    lines = [f"<b>Fristen</b> (Stand: {german_date(today)})"]
    for programme in assistant.knowledge.programmes:
        status = judge(programme, Subject(), today, assistant.knowledge.vocabulary)
        presumed = " (voraussichtlich)" if programme.end_is_presumed else ""
        if status.verdict is Verdict.EXPIRED:
            state = f"beendet – endete{presumed} am {german_date(programme.deadline)}"
        elif status.verdict is Verdict.UNKNOWN and today < programme.start:
            state = f"beginnt am {german_date(programme.start)}"
        else:
            state = f"läuft bis{presumed} {german_date(programme.deadline)}"
        periods = "\n".join(
            f"  – {german_date(p.start)} bis {german_date(p.end)}: "
            + (f"unter Vorbehalt ({html.escape(p.condition)})" if p.condition else "zugesagt")
            for p in programme.periods)
        source = assistant.knowledge.source(programme.source)
        lines.append(f"\n<b>{html.escape(programme.title)}</b>: {state}\n{periods}\n"
                     f"  Quelle: {html.escape(source.title)} (Stand: {german_date(source.date)})")
    lines.append("\nEine Verlängerung ist mir nicht bekannt. Keine rechtsverbindliche Auskunft.")
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML, do_quote=False)


async def privacy(update: Update, context: Context) -> None:
    days = context.bot_data.settings.retention_days
    await update.effective_message.reply_text(
        "<b>Datenschutz</b>\n\n"
        "Gespeichert werden Ihre Fragen, die Antwort des Bots (Art, Urteil, Treffer) und Ihre Bewertung "
        "(👍/👎), damit das Support-Team unbeantwortete Fragen erkennen und die Wissensbasis verbessern kann.\n\n"
        "Im Frageprotokoll steht Ihre Telegram-Kennung nicht, nur ein Pseudonym (HMAC), aus dem sie sich ohne "
        "den Schlüssel des Betreibers nicht zurückrechnen lässt. Nur solange eine Nachricht noch nicht "
        "beantwortet ist, und wenn Sie eine Frage an den Support weiterleiten lassen (damit die Antwort zu Ihnen "
        "zurückkommt), wird die Chat-Kennung verschlüsselt gespeichert. Schreiben Sie bitte keine "
        f"personenbezogenen Daten in Ihre Fragen. Alle Einträge werden nach {days} Tagen automatisch gelöscht. "
        "Die Protokolle des Servers enthalten weder Fragetexte noch Kennungen.\n\n"
        "Mit /vergessen löschen Sie sofort alles, was über Sie gespeichert ist.",
        parse_mode=ParseMode.HTML, do_quote=False)


# ---- /katalog -----------------------------------------------------------------------------------

def _topics(assistant) -> list[str]:
    return sorted({s.topic for s in assistant.knowledge.services})


def _page(items, page: int, nav) -> tuple[list, list[list[InlineKeyboardButton]]]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    shown = items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    row = []
    if page > 0:
        row.append(InlineKeyboardButton("◀ zurück", callback_data=nav(page - 1)))
    if page < pages - 1:
        row.append(InlineKeyboardButton("weiter ▶", callback_data=nav(page + 1)))
    return shown, [row] if row else []


CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data


def fit_callback(prefix: str, tail: str) -> str:
    """prefix + tail, the tail shortened (whole characters) so that the data fits in 64 bytes."""
    room = CALLBACK_LIMIT - len(prefix.encode())
    encoded = tail.encode()[:max(room, 0)]
    return prefix + encoded.decode("utf-8", errors="ignore")


def _service_buttons(assistant, services) -> list[list[InlineKeyboardButton]]:
    """A button per service; ids too long for callback data go by their place in the catalogue."""
    index = {s.id: i for i, s in enumerate(assistant.knowledge.services)}
    buttons = []
    for s in services:
        data = f"k:d:{s.id}"
        if len(data.encode()) > CALLBACK_LIMIT:
            data = f"k:n:{index[s.id]}"
        buttons.append([InlineKeyboardButton(s.name[:60], callback_data=data)])
    return buttons


def catalogue_search(assistant, word: str):
    """Services whose name, topic or keywords contain the word (folded), best matches first."""
    return assistant.search_catalogue(word)


async def catalogue(update: Update, context: Context) -> None:
    assistant = context.bot_data.source.current
    word = fit_callback("", " ".join(context.args or []))[:40]  # the word must fit into page buttons
    note = " (Auszug, nicht die vollständige KISA-Liste)" if assistant.knowledge.catalogue_is_sample else ""
    if not word:
        topics = _topics(assistant)
        buttons = [[InlineKeyboardButton(t, callback_data=f"k:t:{i}:0")] for i, t in enumerate(topics)]
        await update.effective_message.reply_text(
            f"Katalog der Online-Antragsassistenten{note}. Wählen Sie ein Themenfeld oder suchen Sie mit "
            "»/katalog Suchwort«.", reply_markup=InlineKeyboardMarkup(buttons), do_quote=False)
        return
    await _send_search(update.effective_message, assistant, word, 0, note, edit=False)


async def _send_search(message, assistant, word: str, page: int, note: str, edit: bool) -> None:
    hits = catalogue_search(assistant, word)
    if not hits:
        text = (f"Zu »{word}« finde ich nichts im Katalog{note}. Versuchen Sie ein anderes Wort oder /katalog "
                "ohne Suchwort für die Themenfelder.")
        markup = None
    else:
        shown, nav = _page(hits, page, lambda p: fit_callback(f"k:s:{p}:", word))
        text = f"{len(hits)} Treffer zu »{word}«{note}:"
        markup = InlineKeyboardMarkup(_service_buttons(assistant, shown) + nav)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.reply_text(text, reply_markup=markup, do_quote=False)


async def on_catalogue_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assistant = context.bot_data.source.current
    parts = query.data.split(":", 3)
    await query.answer()
    if parts[1] == "t":
        topics = _topics(assistant)
        index, page = int(parts[2]), int(parts[3])
        if index >= len(topics):
            await query.message.reply_text("Dieses Themenfeld gibt es nicht mehr. Bitte /katalog neu aufrufen.",
                                           do_quote=False)
            return
        topic = topics[index]
        services = [s for s in assistant.knowledge.services if s.topic == topic]
        shown, nav = _page(services, page, lambda p: f"k:t:{index}:{p}")
        await query.message.edit_text(f"Themenfeld »{topic}« ({len(services)} Einträge):",
                                      reply_markup=InlineKeyboardMarkup(_service_buttons(assistant, shown) + nav))
    elif parts[1] == "s":
        await _send_search(query.message, assistant, parts[3], int(parts[2]), "", edit=True)
    elif parts[1] in ("d", "n"):
        catalogue = assistant.knowledge.services
        if parts[1] == "d":
            service = assistant.knowledge.service(parts[2])
        else:
            service = catalogue[int(parts[2])] if parts[2].isdigit() and int(parts[2]) < len(catalogue) else None
        if service is None:
            await query.message.reply_text("Dieser Eintrag ist nicht mehr im Katalog.", do_quote=False)
            return
        await answer_and_log(cast(Message, query.message), context, f"Ist »{service.name}« förderfähig?", query.from_user.id,
                             service_id=service.id)


async def on_example(update: Update, context: Context) -> None:
    query = update.callback_query
    await query.answer()
    index = int(query.data.split(":")[1])
    if 0 <= index < len(EXAMPLES):
        await answer_and_log(cast(Message, query.message), context, EXAMPLES[index], query.from_user.id)


async def unknown_command(update: Update, context: Context) -> None:
    await update.effective_message.reply_text(
        "Diesen Befehl kenne ich nicht. /hilfe zeigt, was ich kann – oder stellen Sie einfach Ihre Frage.",
        do_quote=False)
