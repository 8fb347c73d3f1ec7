"""`Assistant.answer(question, as_of) → Answer`: the facade over reading, matching, routing and composing."""

from __future__ import annotations

from datetime import date

from . import compose
from .candidates import Matcher
from .features import Cue
from .gc_pause import collector_paused
from .model import Answer, Knowledge, Match, Service
from .question import read_question
from .intents import Intent
from .routing import Context, route
from .text import fold
from .thresholds import Thresholds
from .tracing import trace


class Assistant:
    """Everything needed to answer, built once per knowledge version (no I/O while answering)."""

    def __init__(self, knowledge: Knowledge, thresholds: Thresholds | None = None):
        self.knowledge = knowledge
        with collector_paused():
            self.matcher = Matcher(knowledge, thresholds or Thresholds())

    @property
    def thresholds(self) -> Thresholds:
        return self.matcher.thresholds

    @thresholds.setter
    def thresholds(self, value: Thresholds) -> None:
        """New decision thresholds (evaluation's tuning); the indexes keep their weights."""
        self.matcher.thresholds = value

    def search_catalogue(self, word: str) -> list[Service]:
        """Services whose name, topic or keywords contain the word (folded), else the best matches."""
        needle = fold(word)
        hits = [s for s in self.knowledge.services if needle in fold(" ".join([s.name, s.topic, s.id, *s.keywords]))]
        if hits:
            return hits
        ranked = self.matcher.services.search(self.matcher.analyzer.units(word), limit=10)
        return [self.knowledge.service(r.id) for r in ranked if r.score >= self.thresholds.service_clarify]

    def context(self, question: str, as_of: date, service_id: str | None = None,
                faq_id: str | None = None) -> Context:
        """Everything the rules read for one question."""
        q = read_question(question, as_of)
        units = self.matcher.units(q)
        features = self.matcher.features(q, units)
        candidates = self.matcher.find(q, features, units)
        k = self.knowledge
        return Context(q, features, candidates, k, self.thresholds, self.matcher,
                       chosen_service=k.service(service_id) if service_id else None,
                       chosen_faq=k.entry(faq_id) if faq_id else None)

    def answer(self, question: str, as_of: date, service_id: str | None = None, faq_id: str | None = None, *,
               context: Context | None = None) -> Answer:
        """Answer one question as of a date; `service_id` or `faq_id` answer it for a chosen
        catalogue entry or FAQ entry (after a clarifying question). `context`: the question already
        read by `context()` (a conversation reads it once for its follow-up check)."""
        ctx = context or self.context(question, as_of, service_id, faq_id)
        rule, intent = route(ctx)
        return self.render(ctx, intent, rule.name)

    def render(self, ctx: Context, intent: Intent, route_name: str, *, day: date | None = None, about: str = "",
               focus: str = "") -> Answer:
        """The answer to an intent decided for `ctx` (by the rules, or by a follow-up rule with the day
        it refers to, what it is about and its point)."""
        q = ctx.question
        asked = compose.Asked(
            as_of=q.as_of, day=day or q.day, day_from_question=bool(day) or q.day_from_question,
            asks_deadline=ctx.has(Cue.DEADLINE), w_question=ctx.has(Cue.W_QUESTION),
            services=ctx.candidates.services, faqs=ctx.candidates.faqs, route=route_name,
            trace=trace(ctx, route_name), about=about, focus=focus,
        )
        return compose.render(intent, asked, self.knowledge)

    def nearest(self, question: str, as_of: date) -> Match | None:
        """The catalogue service or FAQ entry a question came closest to, whatever the answer was
        (the support team's hint where a new phrasing or keyword belongs)."""
        found = self.context(question, as_of).candidates
        candidates = [Match(s.id, s.title, round(s.score * 100, 1), "service") for s in found.services[:1]]
        candidates += [Match(f.id, f.title, round(f.score * 100, 1), "faq") for f in found.faqs[:1]]
        return max(candidates, key=lambda m: m.score, default=None)
