"""What the operator still has to fill in before the bot is shipped: placeholders and empty fields in
the configuration (/datenschutz) and in the knowledge files (the support contact, deep-link ids).
`kb check` prints them as warnings, `/healthz` lists them in `setup_warnings`."""

from __future__ import annotations

import re

from .config import Settings
from .knowledge.checks import setup_gaps as knowledge_gaps
from .knowledge.model import Knowledge

# Values that are a template's stand-in, not the real thing.
_PLACEHOLDER = re.compile(r"todo|xxx|\?\?\?|<[^>]*>|\[[^\]]*\]|beispiel|example|muster|platzhalter|eintragen",
                          re.IGNORECASE)

PRIVACY_FIELDS = (
    ("privacy_controller", "PRIVACY_CONTROLLER", "den Verantwortlichen (Name und Anschrift der Stelle, die den "
                                                 "Bot betreibt)"),
    ("privacy_legal_basis", "PRIVACY_LEGAL_BASIS", "die Rechtsgrundlage der Verarbeitung"),
)


def is_placeholder(value: str) -> bool:
    return not value.strip() or bool(_PLACEHOLDER.search(value))


def privacy_gaps(settings: Settings, knowledge: Knowledge) -> list[str]:
    out = [f"/datenschutz: {name} fehlt oder ist ein Platzhalter – setzen Sie {label}."
           for field, name, label in PRIVACY_FIELDS if is_placeholder(getattr(settings, field))]
    support = knowledge.support_contact
    if is_placeholder(settings.privacy_contact) and not (support and support.reach):
        out.append("/datenschutz: Kein Kontakt für Datenschutzfragen – setzen Sie PRIVACY_CONTACT oder tragen Sie "
                   "beim Support-Kontakt in faq.yaml E-Mail, Telefon oder url ein.")
    return out


def setup_gaps(settings: Settings, knowledge: Knowledge) -> list[str]:
    return privacy_gaps(settings, knowledge) + knowledge_gaps(knowledge)
