"""/abo, /abo_beenden, the buttons that edit a subscription's list, and what the bot hears about its
own membership (blocked, removed from a group): parse → subscriptions → reply.

In groups only the group's admins (getChatMember) may subscribe, edit or end; one member's
/vergessen does not end the group's subscription, a private chat's /vergessen does.
"""

from __future__ import annotations

import html
import logging
from datetime import date, datetime, timedelta, timezone

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError

from ..knowledge.dates import BERLIN, german_date
from ..knowledge.model import Knowledge
from ..reminders import REMINDER_DAYS, NoticeWindow, plan, upcoming_ends
from ..subscriptions import Subscription
from .context import Context

logger = logging.getLogger(__name__)

COMMANDS = (
    ("abo", "Erinnerungen an Fristen und Hinweise auf Änderungen"),
    ("abo_beenden", "Abo dieses Chats beenden"),
)
PRIVACY_PARAGRAPH = (
    "Wer /abo nutzt, für dessen Chat speichert der Bot die Chat-Kennung verschlüsselt, dazu die Liste der "
    "abonnierten Programme und Dienste und wann Erinnerungen fällig sind – sonst könnte er keine Erinnerung "
    "schicken. Mit /abo_beenden wird das sofort gelöscht, in einem Einzelchat auch mit /vergessen; sperrt "
    "jemand den Bot oder entfernt ihn aus der Gruppe, ebenso.")
RECENT_DAYS = 30  # questions this recent pre-fill a new subscription's list
SEARCH_HITS = 5  # "/abo Suchwort": catalogue services offered to add
MAX_SERVICE_BUTTONS = 10
CALLBACK_LIMIT = 64  # bytes of callback_data (Telegram); commands.py imports this module, so not from there
ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
GONE: frozenset[str] = frozenset({ChatMemberStatus.BANNED, ChatMemberStatus.LEFT})
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def privacy_paragraph() -> str:
    return PRIVACY_PARAGRAPH


async def _may_manage(update: Update, context: Context) -> bool:
    """Private chats always; in groups the group's admins (an anonymous admin writes as the group)."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        logger.warning("getChatMember failed: %s", exc.__class__.__name__)
        return False
    return member.status in ADMINS


NOT_ADMIN = "In Gruppen können nur die Administratoren der Gruppe das Abo einrichten, ändern oder beenden."


def _now(context: Context) -> float:
    return context.bot_data.clock.now()


def _names(knowledge: Knowledge, key: str) -> str:
    kind, _, ident = key.partition(":")
    if kind == "programme":
        programme = knowledge.programme(ident)
        return f"Programm »{programme.title}«" if programme else f"Programm {ident} (nicht mehr bekannt)"
    service = knowledge.service(ident)
    return f"»{service.name}«" if service else f"{ident} (nicht mehr im Katalog)"


def _window_text(window: NoticeWindow) -> str:
    days = "werktags" if window.days == (1, 5) else f"{WEEKDAYS[window.days[0] - 1]} bis {WEEKDAYS[window.days[1] - 1]}"
    return f"{days} zwischen {window.hours[0]} und {window.hours[1]} Uhr"


def view(knowledge: Knowledge, subscription: Subscription, now: float, window: NoticeWindow, intro: str) -> str:
    """The German description of a subscription (HTML)."""
    lines = [f"<b>{intro}</b>", "",
             f"Dieser Chat erhält Erinnerungen {', '.join(map(str, REMINDER_DAYS[:-1]))} und {REMINDER_DAYS[-1]} Tage "
             "vor dem Ende eines Förderzeitraums und einen kurzen Hinweis, wenn sich ein Urteil oder eine Frist "
             f"ändert – {_window_text(window)}.", ""]
    if subscription.all_programmes:
        lines.append("Abonniert: alle Programme (und damit alle Dienste).")
    elif subscription.items:
        lines.append("Abonniert:")
        lines += [f"• {html.escape(_names(knowledge, k))}" for k in subscription.items]
    else:
        lines.append("Die Liste ist leer: so kommt nichts an. Wählen Sie unten aus oder beenden Sie das Abo mit "
                     "/abo_beenden.")
    today = datetime.fromtimestamp(now, BERLIN).date()
    pending = sorted((r for r in plan(knowledge, subscription, now, window) if r["status"] == "pending"),
                     key=lambda r: r["due"])
    if pending:
        first = pending[0]
        programme = knowledge.programme(first["programme"])
        end = date.fromisoformat(first["period_end"])
        due = datetime.fromtimestamp(first["due"], BERLIN).date()
        lines += ["", f"Nächste Erinnerung: am {german_date(due)} ({first['days']} Tage vor dem Ende des "
                      f"Förderzeitraums »{html.escape(programme.title)}« am {german_date(end)})."]
    elif upcoming_ends(knowledge, subscription, today):
        lines += ["", "Das Ende des laufenden Förderzeitraums ist zu nah für eine weitere Erinnerung."]
    else:
        lines += ["", "Zurzeit steht kein Förderzeitraum bevor: alle bekannten Zeiträume sind beendet. Erinnerungen "
                      "kommen erst, wenn ein neuer Zeitraum bekannt wird – Hinweise auf Änderungen erhält dieser Chat "
                      "trotzdem."]
    lines += ["", "Tippen Sie unten auf einen Eintrag, um ihn hinzuzufügen (☐) oder zu entfernen (✅). Weitere "
                  "Dienste: »/abo Suchwort«. Beenden: /abo_beenden."]
    return "\n".join(lines)


def _button_data(knowledge: Knowledge, key: str) -> str | None:
    data = f"a:{key}"
    if len(data.encode()) <= CALLBACK_LIMIT:
        return data
    kind, _, ident = key.partition(":")
    ids = [p.id for p in knowledge.programmes] if kind == "programme" else [s.id for s in knowledge.services]
    index = next((i for i, item_id in enumerate(ids) if item_id == ident), None)
    return None if index is None else f"a:{kind[0]}#:{index}"


def _key_of(knowledge: Knowledge, data: str) -> str | None:
    body = data[2:]
    if body.startswith(("p#:", "s#:")):
        items = knowledge.programmes if body[0] == "p" else knowledge.services
        index = body[3:]
        if not index.isdigit() or int(index) >= len(items):
            return None
        return f"{'programme' if body[0] == 'p' else 'service'}:{items[int(index)].id}"
    kind, _, ident = body.partition(":")
    if kind == "programme" and knowledge.programme(ident) or kind == "service" and knowledge.service(ident):
        return body
    return None


def keyboard(knowledge: Knowledge, subscription: Subscription, recent: list[str]) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(("✅ " if subscription.all_programmes else "☐ ") + "Alle Programme",
                                  callback_data="a:alle")]]
    keys = [f"programme:{p.id}" for p in knowledge.programmes]
    services = [k for k in subscription.items if k.startswith("service:")]
    services += [f"service:{s}" for s in recent if f"service:{s}" not in services]
    keys += services[:MAX_SERVICE_BUTTONS]
    for key in keys:
        data = _button_data(knowledge, key)
        if data is not None:
            mark = "✅ " if key in subscription.items else "☐ "
            rows.append([InlineKeyboardButton((mark + _names(knowledge, key))[:60], callback_data=data)])
    rows.append([InlineKeyboardButton("Fertig", callback_data="a:fertig")])
    return InlineKeyboardMarkup(rows)


async def _schedule(context: Context, knowledge: Knowledge, subscription: Subscription) -> None:
    """Its reminders at once (the notice job would do it at its next look; a stop before that must
    not lose them)."""
    now = _now(context)
    rows = plan(knowledge, subscription, now, NoticeWindow.of(context.bot_data.settings))
    today = datetime.fromtimestamp(now, BERLIN).date().isoformat()
    await context.bot_data.subscriptions.schedule(rows, {subscription.chat_key}, today)


async def _recent(context: Context, chat: int) -> list[str]:
    since = (datetime.now(timezone.utc) - timedelta(days=RECENT_DAYS)).isoformat(timespec="seconds")
    return await context.bot_data.subscriptions.recent_services(chat, since)


async def subscribe(update: Update, context: Context) -> None:
    """/abo: subscribe (pre-filled from the chat's recent questions), or show the subscription;
    "/abo Suchwort" offers matching catalogue services to add."""
    message, chat = update.effective_message, update.effective_chat
    data = context.bot_data
    existing = await data.subscriptions.get(chat.id)
    if existing is not None and existing.chat is None:
        existing = None  # unreadable (key rotated): subscribing again replaces it
    if existing is None and not await _may_manage(update, context):
        await message.reply_text(NOT_ADMIN, do_quote=False)
        return
    knowledge = data.source.current.knowledge
    recent = [s for s in await _recent(context, chat.id) if knowledge.service(s)]
    word = " ".join(context.args or [])[:40]
    found = [s.id for s in data.source.current.search_catalogue(word)[:SEARCH_HITS]] if word else []
    if existing is None:
        items = tuple(f"service:{s}" for s in recent)
        subscription = await data.subscriptions.save(chat.id, chat.type, not items, items)
        await _schedule(context, knowledge, subscription)
        intro = ("Abo eingerichtet – vorbelegt mit den Diensten, nach denen hier zuletzt gefragt wurde"
                 if items else "Abo eingerichtet – für alle Programme")
    else:
        subscription, intro = existing, "Ihr Abo"
    if word:
        intro += (f" – {len(found)} Treffer zu »{word}« unten zum Hinzufügen" if found
                  else f" – zu »{word}« finde ich nichts im Katalog")
    window = NoticeWindow.of(data.settings)
    await message.reply_text(view(knowledge, subscription, _now(context), window, html.escape(intro)),
                             parse_mode=ParseMode.HTML, do_quote=False,
                             reply_markup=keyboard(knowledge, subscription, found + [s for s in recent if s not in found]))


async def unsubscribe(update: Update, context: Context) -> None:
    """/abo_beenden: the subscription and its stored chat id are deleted."""
    message, chat = update.effective_message, update.effective_chat
    if await context.bot_data.subscriptions.get(chat.id) is None:
        await message.reply_text("Dieser Chat hat kein Abo. Einrichten mit /abo.", do_quote=False)
        return
    if not await _may_manage(update, context):
        await message.reply_text(NOT_ADMIN, do_quote=False)
        return
    await context.bot_data.subscriptions.delete(chat.id)
    await message.reply_text("Das Abo ist beendet: keine Erinnerungen und Hinweise mehr, die gespeicherte "
                             "Chat-Kennung ist gelöscht.", do_quote=False)


async def on_button(update: Update, context: Context) -> None:
    """A press in the subscription's keyboard: toggle an entry or "all programmes", or close it."""
    query = update.callback_query
    chat = update.effective_chat
    data = context.bot_data
    subscription = await data.subscriptions.get(chat.id)
    if subscription is None or subscription.chat is None:
        await query.answer("Dieser Chat hat kein Abo mehr. Neu einrichten mit /abo.", show_alert=True)
        return
    if not await _may_manage(update, context):
        await query.answer(NOT_ADMIN, show_alert=True)
        return
    knowledge = data.source.current.knowledge
    if query.data == "a:fertig":
        await query.answer("Gespeichert.")
        await query.edit_message_reply_markup(reply_markup=None)
        return
    all_programmes, items = subscription.all_programmes, list(subscription.items)
    if query.data == "a:alle":
        all_programmes = not all_programmes
    else:
        key = _key_of(knowledge, query.data)
        if key is None:
            await query.answer("Diesen Eintrag gibt es nicht mehr. Bitte /abo neu aufrufen.", show_alert=True)
            return
        items.remove(key) if key in items else items.append(key)
    subscription = await data.subscriptions.save(chat.id, subscription.chat_type, all_programmes, tuple(items))
    await _schedule(context, knowledge, subscription)
    await query.answer("Gespeichert.")
    recent = [s for s in await _recent(context, chat.id) if knowledge.service(s)]
    await query.edit_message_text(view(knowledge, subscription, _now(context), NoticeWindow.of(data.settings),
                                       "Ihr Abo"), parse_mode=ParseMode.HTML,
                                  reply_markup=keyboard(knowledge, subscription, recent))


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The bot was blocked or removed from a group: nothing can arrive, the subscription ends."""
    change = update.my_chat_member
    if change.new_chat_member.status in GONE and await context.bot_data.subscriptions.delete(change.chat.id):
        logger.info("subscription ended: the bot was blocked or removed from the chat")


async def forget_chat(chat_id: int, chat_type: str, context: Context) -> bool:
    """/vergessen in a private chat ends its subscription; in a group one member cannot end it."""
    if chat_type != ChatType.PRIVATE:
        return False
    return await context.bot_data.subscriptions.delete(chat_id)
