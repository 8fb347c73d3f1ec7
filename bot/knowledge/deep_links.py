"""Deep links (t.me/<bot>?start=<payload>): a catalogue service or FAQ entry by its id, so that a
municipality's intranet can link straight to an answer. Telegram allows payloads of at most 64
characters of A-Z a-z 0-9 _ -."""

from __future__ import annotations

import re

from .model import FaqEntry, Knowledge, Service

PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_payload(text: str) -> bool:
    return PAYLOAD.fullmatch(text) is not None


def target(knowledge: Knowledge, payload: str) -> Service | FaqEntry | None:
    """What a deep link names: a catalogue service first, else an FAQ entry; None if unknown."""
    if not is_payload(payload):
        return None
    return knowledge.service(payload) or knowledge.entry(payload)
