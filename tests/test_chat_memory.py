"""Telegram's conversation memory: bounded, per person in groups, forgotten on request."""

from datetime import date, datetime, timedelta

from bot.chat_memory import ChatMemory, conversation_key
from bot.handlers.flood import ChatFloodGuard, GroupPace

D = date(2023, 5, 10)
T0 = datetime(2023, 5, 10, 9, 0)


def test_keys_are_per_chat_in_private_and_per_person_in_groups():
    assert conversation_key(5, 5, private=True) == (5,)
    assert conversation_key(-100, 7, private=False) != conversation_key(-100, 8, private=False)


def test_the_memory_keeps_a_bounded_number_of_conversations(assistant):
    memory = ChatMemory(max_conversations=2)
    first = memory.conversation((1,), assistant)
    first.ask("Ist der Hundesteuer-Assistent förderfähig?", D, T0)
    memory.conversation((2,), assistant)
    memory.conversation((1,), assistant)  # used again: now the newest
    memory.conversation((3,), assistant)  # drops (2,), the least recently used
    assert len(memory) == 2
    assert memory.conversation((1,), assistant) is first
    assert memory.conversation((2,), assistant).memory is None


def test_a_reply_resumes_the_answer_it_replies_to_and_forget_drops_it(assistant):
    memory = ChatMemory(max_answers=10)
    key = (-100, 7)
    conversation = memory.conversation(key, assistant)
    conversation.ask("Ist der Hundesteuer-Assistent förderfähig?", D, T0)
    memory.note_answer(1, key, conversation)
    conversation.ask("Ist der Wohngeld-Assistent förderfähig?", D, T0)
    memory.note_answer(2, key, conversation)
    later = T0 + timedelta(hours=3)  # replying is explicit: the 30 minutes start again
    assert memory.resume(conversation, 1, later)
    assert conversation.ask("Und bis wann?", D, later).service == "hundesteuer"
    memory.forget(-100, 7)
    assert not memory.resume(memory.conversation(key, assistant), 2, later)


def test_flood_guard_and_group_pace():
    guard = ChatFloodGuard(limit=2, window=60)
    assert [guard.allow((1, 7), now=t) for t in (0, 1, 2)] == [True, True, False]
    assert guard.allow((1, 8), now=2) and guard.allow((1, 7), now=61.5)
    pace = GroupPace(limit=2, window=60)
    assert [pace.queued(-5, now=t) for t in (0, 1, 2, 3)] == [False, False, True, False]  # said once a window
    assert pace.queued(-5, now=70) is False  # the window moved on
