"""`trace(ctx, rule)`: the scores, thresholds and cues that decided an answer, as readable pairs."""

from __future__ import annotations

from .index import Scored
from .routing import Context


def _scored(hit: Scored | None) -> str:
    if hit is None:
        return "–"
    return (f"{hit.id} {hit.score:.2f} (Phrase {hit.phrase_cover:.2f}, Frage {hit.query_cover:.2f}, "
            f"als Wort {hit.strong_cover:.2f})")


def trace(ctx: Context, rule: str) -> tuple[tuple[str, str], ...]:
    t, c = ctx.thresholds, ctx.candidates
    q = ctx.question
    rows = [
        ("rule", rule),
        ("date", f"{q.day.isoformat()} ({'aus der Frage: ' + q.date.text if q.day_from_question else 'Stichtag'})"),
        ("cues", ", ".join(sorted(cue.value for cue in ctx.features.cues)) or "–"),
        ("mentions", ", ".join(f"{m.group}:{m.id}{'*' if m.self_named else ''}" for m in ctx.features.mentions) or "–"),
        ("service", _scored(c.top_service) + f" – annehmen ab {t.service_accept}, anbieten ab {t.service_clarify}"),
        ("second_service", _scored(c.second_service) + f" – Abstand mindestens {t.service_margin}"),
        ("faq", _scored(c.top_faq) + f" – annehmen ab {t.faq_accept}, stark ab {t.faq_strong}, anbieten ab "
                                     f"{t.faq_clarify}"),
        ("topics", ", ".join(c.topics) or "–"),
        ("unknown_words", ", ".join(c.unknown) or "–"),
        ("names", ", ".join(c.names) or "–"),
    ]
    return tuple(rows)
