"""Every example the bot shows users gets a real answer: no fallback, no question back."""

from datetime import date

import pytest

from bot.examples import HELP_EXAMPLES, START_EXAMPLES
from bot.knowledge.model import Kind

SHOWN = list(START_EXAMPLES) + [q for _, questions in HELP_EXAMPLES for q in questions]


@pytest.mark.parametrize("question", SHOWN)
@pytest.mark.parametrize("as_of", [date(2022, 9, 1), date(2023, 5, 1), date(2026, 12, 2)])
def test_every_example_shown_gets_a_real_answer(assistant, question, as_of):
    answer = assistant.answer(question, as_of)
    assert answer.kind is Kind.ANSWER, (question, answer.route, answer.headline)
