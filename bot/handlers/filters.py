"""Which messages are meant for the bot: all in private chats; in groups only when addressed."""

from __future__ import annotations

from telegram import Message, MessageEntity
from telegram.constants import ChatType
from telegram.ext import filters


class AddressedToBot(filters.MessageFilter):
    """Private chats always; groups when the bot is @mentioned or its message is replied to."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        username = (bot.username or "").lower()
        mentions = message.parse_entities([MessageEntity.MENTION]) if message.text else {}
        return any(text.lower() == f"@{username}" for text in mentions.values())


ADDRESSED = AddressedToBot(name="AddressedToBot")


def strip_mention(text: str, username: str | None) -> str:
    if username:
        text = text.replace(f"@{username}", " ")
    return " ".join(text.split())
