"""Commands that show other people's questions (/stats, /offen) answer only in a private chat."""

from __future__ import annotations

from telegram import Update

from .commands import unknown_command
from .context import Context
from .support import is_admin


async def refuse(update: Update, context: Context) -> None:
    """In a group: admins are pointed to the private chat; everyone else hears of no such command."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    await update.effective_message.reply_text(
        "Diesen Befehl beantworte ich nur im privaten Chat, weil er Fragen anderer zeigt. Schreiben Sie mir dafür "
        f"bitte direkt: @{context.bot.username}", do_quote=False)
