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
        if replied_bot_message(message, bot.id) is not None:
            return True
        username = (bot.username or "").lower()
        mentions = message.parse_entities([MessageEntity.MENTION]) if message.text else {}
        return any(text.lower() == f"@{username}" for text in mentions.values())


ADDRESSED = AddressedToBot(name="AddressedToBot")


def replied_bot_message(message: Message, bot_id: int) -> int | None:
    """The id of the bot's own message that `message` replies to, if it replies to one."""
    reply = message.reply_to_message
    if reply is None or reply.from_user is None or reply.from_user.id != bot_id:
        return None
    return reply.message_id


def strip_mention(text: str, username: str | None) -> str:
    if username:
        text = text.replace(f"@{username}", " ")
    return " ".join(text.split())
