"""Telegram handlers, registered in one place.

Order (python-telegram-bot tries handlers of a group in order; the first match wins):
1. Commands, so that "/frist" is a command and never a question. Admin commands check ADMIN_IDS
   themselves and answer others like an unknown command; /stats and /offen (other people's
   questions) answer only in a private chat.
2. Button presses (callback queries), by the prefix of their data.
3. Replies in the support chat to a forwarded question, before ordinary text, so that they are
   relayed to the asker and never taken for a question.
4. Text addressed to the bot (private chats; in groups only when mentioned or replied to), new or
   edited, becomes a question read in its conversation (an edit edits the earlier answer), or,
   in reply to the prompt after 👎, the note of what was missing.
5. Any other message addressed to the bot (sticker, photo, voice, document) gets a request for text.
6. Unknown commands get a hint; they come last so they never shadow a known command.
7. Button presses no handler took (unknown or stale data) are answered, so no spinner hangs.
The error handler is registered once and applies to all of them.
"""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, ChatMemberHandler, CommandHandler, MessageHandler
from telegram.ext import filters as ptb_filters

from ..config import Settings
from . import commands, errors, private_only, questions, subscriptions, support
from .filters import ADDRESSED


def register(application: Application, settings: Settings) -> None:
    application.add_handler(CommandHandler("start", commands.start))
    application.add_handler(CommandHandler(["hilfe", "help"], commands.help_))
    application.add_handler(CommandHandler("frist", commands.deadlines))
    application.add_handler(CommandHandler("katalog", commands.catalogue))
    application.add_handler(CommandHandler("datenschutz", commands.privacy))
    application.add_handler(CommandHandler("vergessen", support.forget))
    application.add_handler(CommandHandler("reload", support.reload))
    # /stats and /offen show other people's questions: in a group they only point to the private chat.
    application.add_handler(CommandHandler(["stats", "offen"], private_only.refuse,
                                           filters=~ptb_filters.ChatType.PRIVATE))
    application.add_handler(CommandHandler("stats", support.stats))
    application.add_handler(CommandHandler("offen", support.open_questions))
    application.add_handler(CommandHandler("abo", subscriptions.subscribe))
    application.add_handler(CommandHandler("abo_beenden", subscriptions.unsubscribe))
    application.add_handler(ChatMemberHandler(subscriptions.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))

    application.add_handler(CallbackQueryHandler(questions.on_clarify_choice, pattern=r"^c:\d+:\d+$"))
    application.add_handler(CallbackQueryHandler(questions.on_feedback, pattern=r"^f:\d+:[+-]$"))
    application.add_handler(CallbackQueryHandler(commands.on_catalogue_button, pattern=r"^k:"))
    application.add_handler(CallbackQueryHandler(commands.on_example, pattern=r"^x:\d+$"))
    application.add_handler(CallbackQueryHandler(questions.on_open_catalogue,
                                                 pattern=rf"^{questions.OPEN_CATALOGUE}$"))
    application.add_handler(CallbackQueryHandler(support.on_forget_button, pattern=r"^v:(ja|nein)$"))
    application.add_handler(CallbackQueryHandler(support.on_handover_button, pattern=r"^h:\d+$"))
    application.add_handler(CallbackQueryHandler(subscriptions.on_button, pattern=r"^a:"))

    if settings.support_chat_id is not None:
        application.add_handler(MessageHandler(
            ptb_filters.Chat(settings.support_chat_id) & ptb_filters.REPLY & ptb_filters.TEXT & ~ptb_filters.COMMAND,
            support.on_support_reply))

    messages = ptb_filters.UpdateType.MESSAGES & ADDRESSED
    application.add_handler(MessageHandler(messages & ptb_filters.TEXT & ~ptb_filters.COMMAND, questions.on_text))
    application.add_handler(MessageHandler(messages & ~ptb_filters.COMMAND & ~ptb_filters.StatusUpdate.ALL,
                                           questions.on_other_message))
    application.add_handler(MessageHandler(ptb_filters.COMMAND & ADDRESSED, commands.unknown_command))
    # Any button press no handler above took (old keyboards, stale data) is answered: no hanging spinner.
    application.add_handler(CallbackQueryHandler(commands.on_unknown_button))

    application.add_error_handler(errors.on_error)
