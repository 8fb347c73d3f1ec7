"""What Telegram conversations remember: one `Conversation` per private chat and one per person in a
group (never one per group: two colleagues asking at once must not answer each other's follow-ups).

In memory only, bounded (the least recently used are dropped), cleared by /vergessen. Besides the
conversations it keeps, per answered question (its question-log id), what the conversation remembered
right after that answer: a reply to an older answer in a group refers to that answer's subject, not
to whatever the person asked last.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import datetime

from .knowledge.assistant import Assistant
from .knowledge.conversation import Conversation
from .knowledge.followups import Memory

Key = tuple  # (chat,) for a private chat, (chat, user) in a group; the console uses its own keys
MAX_CONVERSATIONS = 10_000
MAX_ANSWERS = 10_000


def conversation_key(chat_id: int, user_id: int | None, private: bool) -> Key:
    """A private chat, or one person in a group (not the whole group): for follow-ups and flood limits."""
    return (chat_id,) if private or user_id is None else (chat_id, user_id)


class ChatMemory:
    def __init__(self, minutes: float = 30.0, max_conversations: int = MAX_CONVERSATIONS,
                 max_answers: int = MAX_ANSWERS):
        self.minutes = minutes
        self.max_conversations = max_conversations
        self.max_answers = max_answers
        self._conversations: OrderedDict[Key, Conversation] = OrderedDict()
        self._answers: OrderedDict[int, tuple[Key, Memory]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def conversation(self, key: Key, assistant: Assistant) -> Conversation:
        """The conversation for `key` (new if unknown), answering with the current knowledge."""
        conversation = self._conversations.pop(key, None) or Conversation(assistant, self.minutes)
        conversation.assistant = assistant  # a reload swaps the knowledge; what was said stays
        self._conversations[key] = conversation
        while len(self._conversations) > self.max_conversations:
            self._conversations.popitem(last=False)
        return conversation

    def note_answer(self, question_id: int, key: Key, conversation: Conversation) -> None:
        """Keep what the conversation remembers after the answer logged as `question_id` (without the
        answer's texts: follow-ups read its subject, kind and candidates only)."""
        if conversation.memory is None:
            return
        conversation.memory = _slim(conversation.memory)
        self._answers.pop(question_id, None)
        self._answers[question_id] = (key, conversation.memory)
        while len(self._answers) > self.max_answers:
            self._answers.popitem(last=False)

    def resume(self, conversation: Conversation, question_id: int, at: datetime) -> bool:
        """A reply to the answer logged as `question_id` (also to a colleague's, in a group): the
        conversation refers to that answer again (replying is explicit, so it counts as just said).
        False when it is no longer known (after a restart, or dropped beyond the bound)."""
        found = self._answers.get(question_id)
        if found is None:
            return False
        conversation.memory = replace(found[1], at=at)
        return True

    def forget_key(self, key: Key) -> None:
        self._conversations.pop(key, None)

    def forget(self, chat_id: int, user_id: int | None) -> None:
        """/vergessen: the person's conversation in this chat and every answer remembered for it."""
        keys = {(chat_id,), (chat_id, user_id)} if user_id is not None else {(chat_id,)}
        for key in keys:
            self._conversations.pop(key, None)
        for question_id in [q for q, (key, _) in self._answers.items() if key in keys]:
            del self._answers[question_id]


def _slim(memory: Memory) -> Memory:
    """A memory without what follow-ups never read (a few hundred bytes instead of several KB)."""
    answer = replace(memory.answer, text="", summary="", details="", reasons=(), sources=(), judgements=(),
                     notices=(), trace=())
    return replace(memory, answer=answer)
