"""Answer → what a reader sees: plain text (CLI), Telegram HTML, and the JSON contract."""

from __future__ import annotations

import html
import re
from typing import Any

from .knowledge.model import Answer, Kind

TELEGRAM_LIMIT = 4096


def to_text(answer: Answer) -> str:
    return answer.text


def to_json(answer: Answer) -> dict[str, Any]:
    """The stable `ask --json` contract (fields may be added, never renamed)."""
    return {
        "kind": answer.kind.value,
        "verdict": answer.verdict.value if answer.verdict else None,
        "deadline": answer.deadline.isoformat() if answer.deadline else None,
        "programme": answer.programme,
        "reasons": list(answer.reasons),
        "answer": answer.text,
        "service": answer.service,
        "matches": [{"id": m.id, "title": m.title, "score": m.score, "type": m.type} for m in answer.matches],
        "sources": [{"title": s.title, "date": s.date.isoformat()} for s in answer.sources],
        "knowledge_version": answer.knowledge_version,
        "as_of": answer.as_of.isoformat() if answer.as_of else None,
        "faq": answer.faq,
        "confidence": round(answer.confidence * 100, 1),
        "summary": answer.summary,
        "details": answer.details,
        "listed": list(answer.listed),
        "notices": [{"date": n.date.isoformat(), "month_only": n.month_only, "text": n.text, "caveat": n.caveat,
                     "source": {"title": n.source_title, "publisher": n.source_publisher,
                                "address": n.source_address}} for n in answer.notices],
        "route": answer.route,
        "trace": dict(answer.trace),
    }


def explanation(answer: Answer) -> str:
    """Why the bot answered as it did: the deciding rule and the scores and thresholds it read."""
    width = max((len(k) for k, _ in answer.trace), default=0)
    lines = ["Warum diese Antwort:"] + [f"  {k:<{width}}  {v}" for k, v in answer.trace]
    return "\n".join(lines)


# Small talk and refusals are a sentence or two of conversation: bold would shout them.
PLAIN_KINDS = (Kind.SMALLTALK, Kind.FALLBACK)


def to_html(answer: Answer) -> str:
    """Telegram HTML: every text escaped, the headline of an answer or a clarifying question bold, the
    details in a collapsed block (`<blockquote expandable>`, which cannot be nested) below the first screen."""
    blocks = (answer.summary or answer.text).split("\n\n")
    bold = bool(answer.headline) and answer.kind not in PLAIN_KINDS
    out = []
    for i, block in enumerate(blocks):
        escaped = html.escape(block, quote=False)
        out.append(f"<b>{escaped}</b>" if i == 0 and bold and block == answer.headline else escaped)
    if answer.details:
        out.append(f"<blockquote expandable>{html.escape(answer.details, quote=False)}</blockquote>")
    return "\n\n".join(out)


def visible_length(answer: Answer) -> int:
    """Characters a reader sees before opening the collapsed block (tags not counted)."""
    return len(answer.summary or answer.text)


_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")
_TAG_RESERVE = 64  # room for the tags that close a part and reopen in the next


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at paragraph boundaries (then lines, then hard) so each part fits Telegram's limit. A part
    never ends inside a tag or entity; tags open at a cut (<b>, <blockquote expandable>) are closed at
    the end of the part and reopened at the start of the next, so every part is valid HTML."""
    if len(text) <= limit:
        return [text]
    parts = _split_plain(text, limit - _TAG_RESERVE)
    out: list[str] = []
    carry: list[tuple[str, str]] = []
    for part in parts:
        opened = list(carry)
        for closing, name, tag in ((m.group(1), m.group(2), m.group(0)) for m in _TAG.finditer(part)):
            if closing and opened and opened[-1][0] == name:
                opened.pop()
            elif not closing:
                opened.append((name, tag))
        prefix = "".join(tag for _, tag in carry)
        suffix = "".join(f"</{name}>" for name, _ in reversed(opened))
        out.append(prefix + part + suffix)
        carry = opened
    return out


def _split_plain(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        pieces = [para] if len(para) <= limit else _hard_split(para, limit)
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _cut(line: str, limit: int) -> int:
    """Where to cut an over-long line: at the last space, else never inside an HTML entity or tag."""
    cut = line.rfind(" ", 0, limit)
    if cut > limit // 2:
        return cut
    cut = limit
    opening = max(line.rfind("&", 0, cut), line.rfind("<", 0, cut))
    if opening != -1 and not any(ch in line[opening:cut] for ch in ";>"):
        cut = opening
    return cut or limit


def _hard_split(text: str, limit: int) -> list[str]:
    out, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = _cut(line, limit)
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = line
    if current:
        out.append(current)
    return out
