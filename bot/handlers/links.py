"""Link buttons (they open a web page, no callback): the source of an answer and the contacts it
names, only where the knowledge files give a `url` – an address is never made up."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from ..knowledge.model import Answer, Contact, Kind, Knowledge
from .labels import button_label

PER_ROW = 2


def contact_button(contact: Contact) -> InlineKeyboardButton | None:
    return InlineKeyboardButton(button_label(contact.short, 30), url=contact.url) if contact.url else None


def link_rows(answer: Answer, knowledge: Knowledge) -> list[list[InlineKeyboardButton]]:
    """For a substantive answer: "Quelle: …" for each source with an address, then the contacts the
    answer sends people to (its FAQ entry's, else its programme's) that have one."""
    if answer.kind is not Kind.ANSWER:
        return []
    buttons = [InlineKeyboardButton(button_label(f"Quelle: {s.short}", 40), url=s.url) for s in answer.sources
               if s.url]
    entry = knowledge.entry(answer.faq) if answer.faq else None
    programme = knowledge.programme(answer.programme) if answer.programme else None
    ids = entry.contacts if entry and entry.contacts else programme.contacts if programme else ()
    contacts = [knowledge.contact(i) for i in ids]
    buttons += [b for b in (contact_button(c) for c in contacts if c) if b]
    return [buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
