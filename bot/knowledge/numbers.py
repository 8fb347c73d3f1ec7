"""Numbers in German text: "68 %" with a (narrow-free) space and a decimal comma, and a count with
its noun in the right number ("1 Eintrag", "2 Einträge")."""

from __future__ import annotations


def german_percent(share: float, digits: int = 0) -> str:
    """0.6849 → "68 %"; with digits=1 → "68,5 %"."""
    return f"{share * 100:.{digits}f}".replace(".", ",") + " %"


def count_noun(count: int, singular: str, plural: str) -> str:
    """3, "Eintrag", "Einträge" → "3 Einträge"; 1 → "1 Eintrag"."""
    return f"{count} {singular if count == 1 else plural}"
