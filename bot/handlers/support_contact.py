"""Naming the support contact where no support chat takes questions (SUPPORT_CHAT_ID unset): after 👎
the user learns whom to ask, from the knowledge files, with a link button where they give a `url`."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message

from ..knowledge.compose import support_line
from ..knowledge.model import Knowledge
from .context import Context
from .links import contact_button


def support_contact_offer(knowledge: Knowledge) -> tuple[str, InlineKeyboardMarkup | None]:
    contact = knowledge.support_contact
    button = contact_button(contact) if contact else None
    text = f"Danke – schade, dass die Antwort nicht geholfen hat. {support_line(knowledge)}"
    return text, InlineKeyboardMarkup([[button]]) if button else None


async def offer_support_contact(message: Message, context: Context) -> None:
    text, markup = support_contact_offer(context.bot_data.source.current.knowledge)
    await message.reply_text(text, reply_markup=markup, do_quote=False)
