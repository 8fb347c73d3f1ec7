"""Commands: /start, /hilfe, /help, /frist, /katalog, /datenschutz — and the buttons they show."""

from __future__ import annotations

import html
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from ..knowledge.dates import german_date, today_in_berlin
from ..knowledge import deep_links
from ..config import Settings
from ..knowledge.model import Knowledge, Service, Verdict
from ..knowledge.numbers import count_noun
from ..knowledge.model import Subject
from ..knowledge.rules import judge
from ..examples import FOLLOW_UP_EXAMPLES, HELP_EXAMPLES, START_EXAMPLES
from ..setup_gaps import is_placeholder
from .context import Context
from .labels import button_label
from .questions import answer_and_log
from .subscriptions import COMMANDS as SUBSCRIPTION_COMMANDS, privacy_paragraph

EXAMPLES = START_EXAMPLES
PAGE_SIZE = 6
COMMANDS = (
    ("start", "Einführung und Beispielfragen"),
    ("hilfe", "Was der Bot beantworten kann"),
    ("frist", "Fristen aller Förderprogramme"),
    ("katalog", "Online-Antragsassistenten suchen"),
    ("datenschutz", "Was gespeichert wird und wie lange"),
    ("vergessen", "Meine gespeicherten Fragen löschen"),
    *SUBSCRIPTION_COMMANDS,
)

# What Telegram shows before the first message (description, ≤ 512 characters) and on the bot's
# profile and in shared links (short description, ≤ 120), in German.
DESCRIPTION = (
    "Der Förderbot beantwortet Fragen von Beschäftigten sächsischer Gemeinden, Städte und Landkreise zur "
    "Förderung der Online-Antragsassistenten (Anschubfinanzierung des Freistaats Sachsen, Zweckverband KISA): "
    "ob ein Assistent förderfähig ist, bis wann, was gefördert wird und was nicht – mit Quelle. Fragen Sie in "
    "eigenen Worten, z. B. »Ist der Hundesteuer-Assistent förderfähig?«. Keine rechtsverbindliche Auskunft.")
SHORT_DESCRIPTION = "Förderung der Online-Antragsassistenten in Sachsen: förderfähig, bis wann, mit Quelle."
DESCRIPTION_LANGUAGES = ("de", None)  # German users, and everyone else (the default)


async def start(update: Update, context: Context) -> None:
    """/start, or a deep link (/start <service or FAQ id>): the answer for what the link names; an
    unknown link gets the normal introduction with one line saying so."""
    message = update.effective_message
    payload = (context.args or [""])[0]
    user = update.effective_user.id if update.effective_user else None
    unknown = ""
    if payload:
        found = deep_links.target(context.bot_data.source.current.knowledge, payload)
        if isinstance(found, Service):
            await answer_and_log(message, context, f"Ist »{found.name}« förderfähig?", user, service_id=found.id)
            return
        if found is not None:
            await answer_and_log(message, context, found.title, user, faq_id=found.id)
            return
        unknown = ("Den Link, über den Sie gekommen sind, kenne ich nicht (mehr) – hier ist, was ich "
                   "beantworten kann.\n\n")
    buttons = [[InlineKeyboardButton(button_label(q), callback_data=f"x:{i}")] for i, q in enumerate(EXAMPLES)]
    await message.reply_text(
        unknown + "<b>Willkommen beim Förderbot!</b>\n\n"
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
                    for kind, questions in HELP_EXAMPLES)
        + "\n• Nachfragen im Anschluss: " + " oder ".join(f"»{html.escape(a)}« → »{html.escape(b)}«"
                                                       for a, b in FOLLOW_UP_EXAMPLES) + "\n\n"
        "Befehle:\n" + "\n".join(f"/{name} – {html.escape(text)}" for name, text in COMMANDS)
        + "\n\nUrteile: förderfähig, förderfähig unter Vorbehalt, nicht förderfähig, abgelaufen – oder "
          "»weiß ich nicht sicher«, wenn die Quelle nichts sagt. Dann fragen Sie bitte KISA, die SAKD oder das "
          "Support-Team.",
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
    data = context.bot_data
    await update.effective_message.reply_text(privacy_text(data.settings, data.source.current.knowledge),
                                              parse_mode=ParseMode.HTML, do_quote=False)


NOT_FILLED = "noch nicht eingetragen (der Betreiber muss das nachholen)"


def privacy_text(settings: Settings, knowledge: Knowledge) -> str:
    """/datenschutz, built in one place: who is responsible, on which legal basis, whom to ask (from
    the configuration, the contact else from the knowledge files' support contact), what is stored and
    for how long. A value the operator has not filled in is said to be missing, never shown as real."""
    def filled(value: str) -> str:
        return NOT_FILLED if is_placeholder(value) else html.escape(value)

    support = knowledge.support_contact
    if not is_placeholder(settings.privacy_contact):
        contact = html.escape(settings.privacy_contact)
    elif support is not None and support.reach:
        contact = html.escape(f"{support.name} ({support.reach})")
    else:
        contact = NOT_FILLED
    return (
        "<b>Datenschutz</b>\n\n"
        f"Verantwortlich: {filled(settings.privacy_controller)}\n"
        f"Rechtsgrundlage: {filled(settings.privacy_legal_basis)}\n"
        f"Kontakt für Datenschutzfragen: {contact}\n\n"
        "Gespeichert werden Ihre Fragen, die Antwort des Bots (Art, Urteil, Treffer) und Ihre Bewertung "
        "(👍/👎) mit Ihrem Hinweis, was gefehlt hat, damit das Support-Team unbeantwortete Fragen erkennen und die "
        "Wissensbasis verbessern kann. Worauf sich Nachfragen („Und bis wann?“) beziehen, hält der Bot nur im "
        f"Arbeitsspeicher, höchstens {settings.context_minutes:g} Minuten lang.\n\n"
        "Im Frageprotokoll steht Ihre Telegram-Kennung nicht, nur ein Pseudonym (HMAC), aus dem sie sich ohne "
        "den Schlüssel des Betreibers nicht zurückrechnen lässt. Nur solange eine Nachricht noch nicht "
        "beantwortet ist, und wenn Sie eine Frage an das Support-Team weiterleiten lassen (damit die Antwort zu "
        "Ihnen zurückkommt), wird die Chat-Kennung verschlüsselt gespeichert. Schreiben Sie bitte keine "
        f"personenbezogenen Daten in Ihre Fragen. Alle Einträge werden nach {settings.retention_days} Tagen "
        "automatisch gelöscht. Die Protokolle des Servers enthalten weder Fragetexte noch Kennungen.\n\n"
        f"{privacy_paragraph()}\n\n"
        "Mit /vergessen löschen Sie sofort alles, was über Sie gespeichert ist."
    )


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
TOPICS_BUTTON = [InlineKeyboardButton("◀ Themenfelder", callback_data="k:o")]


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
        buttons.append([InlineKeyboardButton(button_label(s.name), callback_data=data)])
    return buttons


def catalogue_search(assistant, word: str):
    """Services whose name, topic or keywords contain the word (folded), best matches first."""
    return assistant.search_catalogue(word)


def _sample_note(assistant) -> str:
    """Said on every page: the catalogue is a sample, not KISA's complete list."""
    return " (Auszug, nicht die vollständige KISA-Liste)" if assistant.knowledge.catalogue_is_sample else ""


def _topics_view(assistant) -> tuple[str, InlineKeyboardMarkup]:
    topics = _topics(assistant)
    buttons = [[InlineKeyboardButton(button_label(t), callback_data=f"k:t:{i}:0")] for i, t in enumerate(topics)]
    return (f"Katalog der Online-Antragsassistenten{_sample_note(assistant)}. Wählen Sie ein Themenfeld oder "
            "suchen Sie mit »/katalog Suchwort«.", InlineKeyboardMarkup(buttons))


async def catalogue(update: Update, context: Context) -> None:
    assistant = context.bot_data.source.current
    word = fit_callback("", " ".join(context.args or []))[:40]  # the word must fit into page buttons
    if not word:
        text, markup = _topics_view(assistant)
        await update.effective_message.reply_text(text, reply_markup=markup, do_quote=False)
        return
    await _send_search(update.effective_message, assistant, word, 0, edit=False)


async def _send_search(message, assistant, word: str, page: int, edit: bool) -> None:
    hits = catalogue_search(assistant, word)
    note = _sample_note(assistant)
    if not hits:
        text = (f"Zu »{word}« finde ich nichts im Katalog{note}. Versuchen Sie ein anderes Wort oder /katalog "
                "ohne Suchwort für die Themenfelder.")
        markup = InlineKeyboardMarkup([TOPICS_BUTTON])
    else:
        shown, nav = _page(hits, page, lambda p: fit_callback(f"k:s:{p}:", word))
        text = f"{len(hits)} Treffer zu »{word}«{note}:"
        markup = InlineKeyboardMarkup(_service_buttons(assistant, shown) + nav + [TOPICS_BUTTON])
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.reply_text(text, reply_markup=markup, do_quote=False)


STALE_BUTTON = "Diese Schaltfläche ist nicht mehr aktuell. Bitte rufen Sie /katalog neu auf."


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 6 else None


async def on_catalogue_button(update: Update, context: Context) -> None:
    """k:o (topics), k:t:<topic>:<page>, k:s:<page>:<word>, k:d:<service id>, k:n:<place>. Anything
    else, or a topic or entry gone since (a reload), is answered, never left spinning."""
    query = update.callback_query
    assistant = context.bot_data.source.current
    parts = query.data.split(":", 3)
    kind = parts[1] if len(parts) > 1 else ""
    if kind == "o":
        await query.answer()
        text, markup = _topics_view(assistant)
        await query.message.edit_text(text, reply_markup=markup)
    elif kind == "t" and len(parts) == 4 and _number(parts[2]) is not None and _number(parts[3]) is not None:
        await _show_topic(query, assistant, _number(parts[2]), _number(parts[3]))
    elif kind == "s" and len(parts) == 4 and _number(parts[2]) is not None and parts[3]:
        await query.answer()
        await _send_search(query.message, assistant, parts[3], _number(parts[2]), edit=True)
    elif kind in ("d", "n") and len(parts) == 3:
        services = assistant.knowledge.services
        place = _number(parts[2])
        service = (assistant.knowledge.service(parts[2]) if kind == "d"
                   else services[place] if place is not None and place < len(services) else None)
        if service is None:
            await query.answer("Dieser Eintrag ist nicht mehr im Katalog. Bitte rufen Sie /katalog neu auf.",
                               show_alert=True)
            return
        await query.answer()
        await answer_and_log(cast(Message, query.message), context, f"Ist »{service.name}« förderfähig?", query.from_user.id,
                             service_id=service.id)
    else:
        await query.answer(STALE_BUTTON, show_alert=True)


async def _show_topic(query, assistant, index: int, page: int) -> None:
    topics = _topics(assistant)
    if index >= len(topics):
        await query.answer("Dieses Themenfeld gibt es nicht mehr. Bitte rufen Sie /katalog neu auf.", show_alert=True)
        return
    await query.answer()
    topic = topics[index]
    services = [s for s in assistant.knowledge.services if s.topic == topic]
    shown, nav = _page(services, page, lambda p: f"k:t:{index}:{p}")
    await query.message.edit_text(
        f"Themenfeld »{topic}« ({count_noun(len(services), 'Eintrag', 'Einträge')}){_sample_note(assistant)}:",
        reply_markup=InlineKeyboardMarkup(_service_buttons(assistant, shown) + nav + [TOPICS_BUTTON]))


async def on_unknown_button(update: Update, context: Context) -> None:
    """Callback data no handler knows (an old keyboard, a button of a former version): answered, so
    the client stops its spinner, with a word on what to do."""
    await update.callback_query.answer("Diese Schaltfläche gilt nicht mehr. Bitte stellen Sie Ihre Frage neu "
                                       "oder rufen Sie /start auf.", show_alert=True)


async def on_example(update: Update, context: Context) -> None:
    query = update.callback_query
    index = _number(query.data.split(":")[1])
    if index is None or index >= len(EXAMPLES):
        await on_unknown_button(update, context)
        return
    await query.answer()
    await answer_and_log(cast(Message, query.message), context, EXAMPLES[index], query.from_user.id)


async def unknown_command(update: Update, context: Context) -> None:
    await update.effective_message.reply_text(
        "Diesen Befehl kenne ich nicht. /hilfe zeigt, was ich kann – oder stellen Sie einfach Ihre Frage.",
        do_quote=False)
