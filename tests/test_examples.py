"""Every example the bot shows users gets a real answer: no fallback, no question back."""

from datetime import date, datetime

import pytest

from bot.examples import FOLLOW_UP_EXAMPLES, HELP_EXAMPLES, START_EXAMPLES
from bot.knowledge.conversation import Conversation
from bot.knowledge.model import Kind

SHOWN = list(START_EXAMPLES) + [q for _, questions in HELP_EXAMPLES for q in questions]


@pytest.mark.parametrize("question", SHOWN)
@pytest.mark.parametrize("as_of", [date(2022, 9, 1), date(2023, 5, 1), date(2026, 12, 2)])
def test_every_example_shown_gets_a_real_answer(assistant, question, as_of):
    answer = assistant.answer(question, as_of)
    assert answer.kind is Kind.ANSWER, (question, answer.route, answer.headline)


@pytest.mark.parametrize(("first", "follow_up"), FOLLOW_UP_EXAMPLES)
@pytest.mark.parametrize("as_of", [date(2022, 9, 1), date(2023, 5, 1), date(2026, 12, 2)])
def test_every_follow_up_example_is_resolved_in_context(assistant, first, follow_up, as_of):
    chat = Conversation(assistant)
    at = datetime(as_of.year, as_of.month, as_of.day, 10, 0)
    opening = chat.ask(first, as_of, at)
    answer = chat.ask(follow_up, as_of, at)
    assert opening.kind is Kind.ANSWER and opening.service
    assert answer.kind is Kind.ANSWER, (follow_up, answer.route, answer.headline)
    assert answer.service == opening.service and answer.route.startswith("followup"), answer.route


async def test_hilfe_shows_each_follow_up_after_the_question_it_follows(running_bot, fake_api):
    from fake_telegram import message_update

    await running_bot.post_update(message_update("/hilfe"))
    (sent,) = await fake_api.wait_for("sendMessage")
    for first, follow_up in FOLLOW_UP_EXAMPLES:
        assert f"»{first}« → »{follow_up}«" in sent.params["text"]
