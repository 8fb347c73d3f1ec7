"""A conversation: answers that remember the last subject for a while and read follow-ups against it.

`Conversation.ask(text, as_of, at)` answers one message of a chat. What it remembers lives in memory
only (one object per chat, kept by the channel) and holds `minutes` after the message it came from,
measured on the messages' own times – an answer delayed by an outage still resolves its follow-up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from . import compose
from .assistant import Assistant
from .followups import FollowUp, Memory, Turn, follow_up, memorable
from .model import Answer, Match

FOCUS = {"why": "why", "deadline": "deadline"}
HISTORY = 3  # earlier subjects offered as buttons when a follow-up finds nothing to refer to


class Conversation:
    def __init__(self, assistant: Assistant, minutes: float = 30):
        self.assistant = assistant
        self.minutes = minutes
        self.memory: Memory | None = None
        self.history: tuple[Match, ...] = ()  # recent subjects, newest first

    def forget(self) -> None:
        self.memory, self.history = None, ()

    def remember(self, answer: Answer, question: str, as_of: date, at: datetime) -> None:
        """An answer given outside `ask` (a candidate chosen by button) becomes what follow-ups refer to."""
        self._remember(answer, question, as_of, at, None)

    def ask(self, text: str, as_of: date, at: datetime) -> Answer:
        """Answer one message sent at `at` (its own time) about `as_of` (its own date)."""
        ctx = self.assistant.context(text, as_of)
        turn = Turn(ctx, self._current(at))
        found = follow_up(turn)
        if found is None:
            answer = self.assistant.answer(text, as_of, context=ctx)  # the context read above, not read again
            named = ctx.question.day if ctx.question.day_from_question else None
            self._remember(answer, text, as_of, at, named)
            return answer
        rule, resolved = found
        answer = self._answer(turn, rule.name, resolved)
        if resolved.about == "choice":
            self._remember(answer, self.memory.question, self.memory.as_of, at, self.memory.named_day)
        elif resolved.about != "nothing":
            self._remember(answer, self.memory.question, as_of, at, resolved.day or self.memory.named_day)
        return answer

    def _current(self, at: datetime) -> Memory | None:
        memory = self.memory
        if memory is None or abs(at - memory.at) > timedelta(minutes=self.minutes):
            return None
        return memory

    def _answer(self, turn: Turn, route_name: str, resolved: FollowUp) -> Answer:
        a, k = self.assistant, self.assistant.knowledge
        if resolved.about == "choice":
            memory = turn.memory
            answer = a.answer(memory.question, memory.named_day or memory.as_of, **resolved.chosen)
            return replace(answer, route=route_name)
        if resolved.about == "nothing":
            return compose.render_no_context(self.history, turn.ctx.question.as_of, k, route_name)
        about = compose.followup_about(resolved.about, resolved.subject, resolved.day, k)
        return a.render(turn.ctx, resolved.intent, route_name, day=resolved.day, about=about,
                        focus=FOCUS.get(resolved.about, ""))

    def _remember(self, answer: Answer, question: str, as_of: date, at: datetime, named: date | None) -> None:
        if not memorable(answer):
            return
        self.memory = Memory(answer, question, as_of, at, named)
        subject = answer.subject
        if subject is not None and subject.service is not None:
            match = Match(subject.service.id, subject.service.name, 100.0, "service")
            self.history = tuple([match] + [m for m in self.history if m.id != match.id])[:HISTORY]
