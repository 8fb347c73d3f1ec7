"""Button texts: Telegram's clients cut long labels without a sign, so they are cut here with "…"."""

from __future__ import annotations

BUTTON_LABEL = 60  # characters


def button_label(text: str, limit: int = BUTTON_LABEL) -> str:
    """A button's text, cut at a word with "…" when it is too long."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[:cut if cut > limit // 2 else limit - 1].rstrip(" ,;:–-(") + "…"
