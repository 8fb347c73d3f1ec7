"""Conversations in Telegram, end to end over real HTTP on 127.0.0.1 (update JSON → POST /telegram →
handlers → core → the fake Bot API): follow-ups per chat and per person in a group, replies to the
bot's answers, edited questions, 👎 with a ForceReply prompt, group limits."""

import dataclasses
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from bot.config import ConfigError, Settings
from bot.handlers.flood import GroupPace
from fake_telegram import bot_message, callback_update, mention, message_update
from conftest import leave_in_inbox, start_bot

HUNDESTEUER = "Ist der Hundesteuer-Assistent förderfähig?"


def sent_to(fake_api, chat_id):
    return [c for c in fake_api.of("sendMessage") if int(c.params["chat_id"]) == chat_id]


def buttons(call):
    return [b for row in call.params.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def ask(bot, fake_api, text, chat_id, count, **kwargs):
    """Post one message and wait for the chat's `count`-th answer (and its bookkeeping)."""
    await bot.post_update(message_update(text, chat_id=chat_id, **kwargs))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat_id)) >= count)
    await bot.idle()
    return sent_to(fake_api, chat_id)[count - 1]


async def ask_group(bot, fake_api, text, user_id, message_id, count, *, reply_to=None, chat_id=-100500):
    """One message in a group (mentioning the bot, or replying to it); waits for the group's `count`-th answer."""
    await bot.post_update(group_message(text, user_id, message_id, reply_to=reply_to, chat_id=chat_id))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat_id)) >= count)
    await bot.idle()
    return sent_to(fake_api, chat_id)[count - 1]


def group_message(text, user_id, message_id, *, reply_to=None, chat_id=-100500):
    if reply_to is None:
        text, entities = mention(text)
    else:
        entities = None
    return message_update(text, chat_id=chat_id, user_id=user_id, chat_type="supergroup", entities=entities,
                          reply_to=reply_to, message_id=message_id)


# ---- follow-ups in a private chat ---------------------------------------------------------------

async def test_follow_ups_refer_to_the_last_answer_and_name_it(running_bot, fake_api):
    await ask(running_bot, fake_api, HUNDESTEUER, 301, 1, message_id=1)
    deadline = await ask(running_bot, fake_api, "Und bis wann?", 301, 2, message_id=2)
    assert deadline.params["text"].startswith("<b>Zur Frist")
    assert "Hundesteuer" in deadline.params["text"]
    other = await ask(running_bot, fake_api, "Und der Fischereischein?", 301, 3, message_id=3)
    assert other.params["text"].startswith("<b>Zu »Fischereischein beantragen«")
    why = await ask(running_bot, fake_api, "Warum?", 301, 4, message_id=4)
    assert why.params["text"].startswith("<b>Zur Begründung") and "Fischereischein" in why.params["text"]


async def test_follow_ups_are_timed_by_the_messages_own_dates(bot_settings, fake_api):
    """Two messages left in the inbox by an outage an hour ago, two minutes apart: the follow-up still
    resolves when both are handled now."""
    hour_ago = time.time() - 3600
    await leave_in_inbox(bot_settings,
                         message_update(HUNDESTEUER, chat_id=302, message_id=1, date=hour_ago),
                         message_update("Und bis wann?", chat_id=302, message_id=2, date=hour_ago + 120))
    bot = await start_bot(bot_settings)
    try:
        await fake_api.wait_until(lambda: len(sent_to(fake_api, 302)) >= 2)
        answers = [c.params["text"] for c in sent_to(fake_api, 302)]
        assert "Zur Frist" in answers[1] and "Hundesteuer" in answers[1]
    finally:
        await bot.stop()


async def test_a_follow_up_too_late_is_asked_back_with_the_last_subject(running_bot, fake_api):
    start = time.time() - 3600
    await ask(running_bot, fake_api, HUNDESTEUER, 303, 1, message_id=1, date=start)
    late = await ask(running_bot, fake_api, "Und bis wann?", 303, 2, message_id=2, date=start + 31 * 60)
    assert "Worauf bezieht sich Ihre Frage?" in late.params["text"]
    (choice,) = buttons(late)
    assert "Hundesteuer" in choice["text"] and choice["callback_data"].startswith("c:")
    await running_bot.post_update(callback_update(choice["callback_data"], chat_id=303))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 303)) >= 3)
    assert "31.12.2024" in sent_to(fake_api, 303)[2].params["text"]


async def test_context_minutes_is_a_setting(bot_settings, fake_api):
    assert Settings.from_env({"CONTEXT_MINUTES": "5"}).context_minutes == 5.0
    assert Settings.from_env({}).context_minutes == 30.0
    with pytest.raises(ConfigError, match="CONTEXT_MINUTES"):
        Settings.from_env({"CONTEXT_MINUTES": "halbe Stunde"})
    bot = await start_bot(dataclasses.replace(bot_settings, context_minutes=5))
    try:
        start = time.time() - 3600
        await ask(bot, fake_api, HUNDESTEUER, 304, 1, message_id=1, date=start)
        late = await ask(bot, fake_api, "Und bis wann?", 304, 2, message_id=2, date=start + 6 * 60)
        assert "Worauf bezieht sich Ihre Frage?" in late.params["text"]
    finally:
        await bot.stop()


async def test_a_follow_up_without_context_offers_examples_and_the_catalogue(running_bot, fake_api):
    answer = await ask(running_bot, fake_api, "Und bis wann?", 305, 1)
    assert "Worauf bezieht sich Ihre Frage?" in answer.params["text"]
    assert "außerhalb" not in answer.params["text"]
    data = [b["callback_data"] for b in buttons(answer)]
    assert [d for d in data if d.startswith("x:")] and "o:katalog" in data
    await running_bot.post_update(callback_update("o:katalog", chat_id=305))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 305)) >= 2)
    topics = sent_to(fake_api, 305)[1]
    assert "Themenfeld" in topics.params["text"] and any(b["text"] == "Steuern" for b in buttons(topics))


async def test_clarify_without_candidates_offers_buttons(running_bot, fake_api):
    answer = await ask(running_bot, fake_api, "War das am 31.02.2023 förderfähig?", 306, 1)
    assert [b for b in buttons(answer) if b["callback_data"].startswith("x:")], answer.params["text"]
    example = next(b["callback_data"] for b in buttons(answer) if b["callback_data"].startswith("x:"))
    await running_bot.post_update(callback_update(example, chat_id=306))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 306)) >= 2)
    assert sent_to(fake_api, 306)[1].params["text"].startswith("<b>")


async def test_a_digit_after_a_clarify_picks_that_candidate(running_bot, fake_api):
    clarify = await ask(running_bot, fake_api, "Ist der Hunde-Assistent förderfähig?", 307, 1)
    second = buttons(clarify)[1]["text"]
    answer = await ask(running_bot, fake_api, "2", 307, 2)
    assert second[:30] in answer.params["text"]
    clarify = await ask(running_bot, fake_api, "Ist der Hunde-Assistent förderfähig?", 307, 3)
    again = await ask(running_bot, fake_api, "den zweiten", 307, 4)
    assert buttons(clarify)[1]["text"][:30] in again.params["text"]


async def test_vergessen_clears_the_conversation(running_bot, fake_api):
    await ask(running_bot, fake_api, HUNDESTEUER, 308, 1)
    await ask(running_bot, fake_api, "/vergessen", 308, 2)
    await running_bot.post_update(callback_update("v:ja", chat_id=308))
    await fake_api.wait_for("editMessageText")
    await running_bot.idle()
    answer = await ask(running_bot, fake_api, "Und bis wann?", 308, 3)
    assert "Worauf bezieht sich Ihre Frage?" in answer.params["text"]
    assert not [b for b in buttons(answer) if b["callback_data"].startswith("c:")]  # no subject left either


# ---- groups ----------------------------------------------------------------------------------------

async def test_group_follow_ups_are_per_person_and_answers_quote_the_question(running_bot, fake_api):
    chat = -100500
    await ask_group(running_bot, fake_api, HUNDESTEUER, 7, 11, 1)
    await ask_group(running_bot, fake_api, "Ist der Fischereischein-Assistent förderfähig?", 8, 12, 2)
    await ask_group(running_bot, fake_api, "Und bis wann?", 7, 13, 3)
    answers = sent_to(fake_api, chat)
    assert [a.params["reply_parameters"]["message_id"] for a in answers] == [11, 12, 13]
    assert answers[2].params["text"].startswith("<b>Zur Frist") and "Hundesteuer" in answers[2].params["text"]


async def test_a_reply_to_an_older_answer_refers_to_that_answer(running_bot, fake_api):
    chat = -100500
    await ask_group(running_bot, fake_api, HUNDESTEUER, 7, 21, 1)
    await ask_group(running_bot, fake_api, "Ist der Wohngeld-Assistent förderfähig?", 7, 22, 2)
    first = sent_to(fake_api, chat)[0]
    # a colleague replies to the first answer (no mention needed: privacy mode delivers replies to the bot)
    answer = await ask_group(running_bot, fake_api, "Und bis wann?", 9, 23, 3, reply_to=bot_message(first, "supergroup"))
    assert answer.params["text"].startswith("<b>Zur Frist") and "Hundesteuer" in answer.params["text"]
    assert answer.params["reply_parameters"]["message_id"] == 23


async def test_den_zweiten_in_reply_to_a_clarify_in_a_group_picks_that_candidate(running_bot, fake_api):
    chat = -100508
    clarify = await ask_group(running_bot, fake_api, "Ist der Hunde-Assistent förderfähig?", 7, 24, 1, chat_id=chat)
    await ask_group(running_bot, fake_api, "Ist der Wohngeld-Assistent förderfähig?", 7, 25, 2, chat_id=chat)
    answer = await ask_group(running_bot, fake_api, "den zweiten", 7, 26, 3, chat_id=chat,
                             reply_to=bot_message(clarify, "supergroup"))
    assert buttons(clarify)[1]["text"][:30] in answer.params["text"]


async def test_flood_limit_counts_per_person_in_a_group(running_bot, fake_api):
    chat = -100501
    running_bot.state.telegram.bot_data.flood.limit = 2
    for i in range(3):
        await running_bot.post_update(group_message("Wohngeld?", 7, 30 + i, chat_id=chat))
    await running_bot.post_update(group_message("Wohngeld?", 8, 40, chat_id=chat))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat)) >= 4)
    by_question = {a.params["reply_parameters"]["message_id"]: a.params["text"] for a in sent_to(fake_api, chat)}
    assert "sehr schnell" in by_question[32]
    assert "Wohngeld" in by_question[40] and "sehr schnell" not in by_question[40]


async def test_a_busy_group_queues_answers_and_says_so(running_bot, fake_api):
    chat = -100502
    running_bot.state.telegram.bot_data.group_pace = GroupPace(limit=3)
    for i in range(5):
        await running_bot.post_update(group_message("Wohngeld?", 100 + i, 50 + i, chat_id=chat))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat)) >= 5)
    texts = [a.params["text"] for a in sent_to(fake_api, chat)]
    assert all("Wohngeld" in t for t in texts)  # nothing dropped
    assert [("viel gefragt" in t) for t in texts] == [False, False, False, True, False]  # said once


async def test_a_group_stays_under_telegrams_limit_answers_queue_and_none_is_dropped(running_bot, fake_api):
    """Telegram's ~20 messages a minute into one group: the 21st answer waits in the outbox (here ~3 s, the
    limiter's pace) instead of being dropped or refused, and says why it comes late."""
    chat = -100507
    for i in range(21):
        await running_bot.post_update(group_message("Wohngeld?", 200 + i, 90 + i, chat_id=chat))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat)) >= 21, timeout=30)
    answers = sent_to(fake_api, chat)
    assert all("Wohngeld" in a.params["text"] for a in answers)
    assert ["viel gefragt" in a.params["text"] for a in answers] == [False] * 20 + [True]
    assert answers[20].at - answers[0].at >= 2.0  # held back by the group's limit, not sent at once
    assert fake_api.of("sendMessage:error") == []


async def test_feedback_from_another_member_is_declined_politely(running_bot, fake_api, bot_settings):
    chat = -100503
    await running_bot.post_update(group_message("Wohngeld?", 7, 61, chat_id=chat))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat)) >= 1)
    up = buttons(sent_to(fake_api, chat)[0])[0]["callback_data"]
    await running_bot.post_update(callback_update(up, chat_id=chat, user_id=8, chat_type="supergroup"))
    (ack,) = await fake_api.wait_for("answerCallbackQuery")
    assert "nicht mehr gespeichert" not in ack.params["text"]
    assert "wer die Frage gestellt hat" in ack.params["text"]
    await running_bot.post_update(callback_update(up, chat_id=chat, user_id=7, chat_type="supergroup"))
    acks = await fake_api.wait_for("answerCallbackQuery", 2)
    assert "Danke für Ihre Rückmeldung" in acks[1].params["text"]
    await running_bot.idle()
    db = sqlite3.connect(bot_settings.data_dir / "bot.db")
    assert db.execute("SELECT feedback FROM questions").fetchall() == [("up",)]


async def test_a_clarify_choice_in_a_group_quotes_the_askers_question(running_bot, fake_api):
    chat = -100504
    await ask_group(running_bot, fake_api, "Ist der Hunde-Assistent förderfähig?", 7, 71, 1, chat_id=chat)
    choice = buttons(sent_to(fake_api, chat)[0])[0]["callback_data"]
    await running_bot.post_update(callback_update(choice, chat_id=chat, user_id=8, chat_type="supergroup"))
    (declined,) = await fake_api.wait_for("answerCallbackQuery")
    assert "anderen Person" in declined.params["text"]
    await running_bot.post_update(callback_update(choice, chat_id=chat, user_id=7, chat_type="supergroup"))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, chat)) >= 2)
    assert sent_to(fake_api, chat)[1].params["reply_parameters"]["message_id"] == 71


async def test_stats_and_offen_answer_only_in_a_private_chat(bot_settings, fake_api):
    bot = await start_bot(dataclasses.replace(bot_settings, admin_ids=frozenset({7})))
    try:
        for command in ("/stats", "/offen"):
            await bot.post_update(message_update(command, chat_id=-100505, user_id=7, chat_type="supergroup"))
        await fake_api.wait_until(lambda: len(sent_to(fake_api, -100505)) >= 2)
        assert all("nur im privaten Chat" in c.params["text"] for c in sent_to(fake_api, -100505))
        await bot.post_update(message_update("/stats", chat_id=7, user_id=7))
        await fake_api.wait_until(lambda: len(sent_to(fake_api, 7)) >= 1)
        assert "Letzte 7 Tage" in sent_to(fake_api, 7)[0].params["text"]
    finally:
        await bot.stop()


# ---- edited questions ----------------------------------------------------------------------------

async def test_an_edit_that_changes_nothing_sends_nothing(running_bot, fake_api):
    await ask(running_bot, fake_api, "Wohngeld?", 309, 1, message_id=9)
    await running_bot.post_update(message_update("Wohngeld?", chat_id=309, message_id=9, edited=True))
    await running_bot.idle()
    assert len(sent_to(fake_api, 309)) == 1 and fake_api.of("editMessageText") == []


async def test_an_edited_question_in_a_group_edits_the_quoted_answer(running_bot, fake_api):
    chat = -100506
    await ask_group(running_bot, fake_api, "Wohngeld?", 7, 81, 1, chat_id=chat)
    text, entities = mention("Fischereischein?")
    await running_bot.post_update(message_update(text, chat_id=chat, user_id=7, chat_type="supergroup",
                                                 entities=entities, message_id=81, edited=True))
    (edit,) = await fake_api.wait_for("editMessageText")
    assert int(edit.params["message_id"]) == sent_to(fake_api, chat)[0].result["message_id"]
    assert "Fischereischein" in edit.params["text"]
    await running_bot.idle()
    assert len(sent_to(fake_api, chat)) == 1


async def test_the_answer_mapping_is_purged_with_the_question(running_bot, fake_api, bot_settings):
    await ask(running_bot, fake_api, "Wohngeld?", 310, 1, message_id=3)
    db = sqlite3.connect(bot_settings.data_dir / "bot.db")
    ((answer_id,),) = db.execute("SELECT answer_message_id FROM questions WHERE message_id = 3").fetchall()
    assert answer_id == sent_to(fake_api, 310)[0].result["message_id"]
    from datetime import datetime, timedelta, timezone
    await running_bot.state.store.purge(datetime.now(timezone.utc) + timedelta(days=bot_settings.retention_days + 1))
    assert db.execute("SELECT count(*) FROM questions").fetchone() == (0,)
    # the edit no longer finds an answer to edit: it is answered anew
    await running_bot.post_update(message_update("Fischereischein?", chat_id=310, message_id=3, edited=True))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 310)) >= 2)
    assert fake_api.of("editMessageText") == []


# ---- 👎 and what was missing -------------------------------------------------------------------

async def test_thumbs_down_asks_with_force_reply_and_report_shows_the_reply(running_bot, fake_api, bot_settings):
    answer = await ask(running_bot, fake_api, "Wohngeld?", 311, 1, message_id=4)
    down = next(b["callback_data"] for b in buttons(answer) if b["callback_data"].endswith(":-"))
    await running_bot.post_update(callback_update(down, chat_id=311))
    # without a support chat the support contact is named first, then the prompt asks what was missing
    await fake_api.wait_until(lambda: any("force_reply" in m.params.get("reply_markup", {})
                                          for m in sent_to(fake_api, 311)))
    await running_bot.idle()
    prompt = next(m for m in sent_to(fake_api, 311) if "force_reply" in m.params.get("reply_markup", {}))
    assert prompt.params["reply_markup"]["force_reply"] is True
    assert "gefehlt" in prompt.params["text"]
    seen = len(sent_to(fake_api, 311))
    # a reply to the answer itself is a follow-up, not feedback
    await running_bot.post_update(message_update("Und bis wann?", chat_id=311, message_id=5,
                                                 reply_to=bot_message(answer)))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 311)) >= seen + 1)
    assert "Zur Frist" in sent_to(fake_api, 311)[seen].params["text"]
    await running_bot.post_update(message_update("Mir fehlte, ob Landkreise es auch bekommen.", chat_id=311,
                                                 message_id=6, reply_to=bot_message(prompt)))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 311)) >= seen + 2)
    assert "Hinweis ist gespeichert" in sent_to(fake_api, 311)[seen + 1].params["text"]
    await running_bot.idle()
    db = sqlite3.connect(bot_settings.data_dir / "bot.db")
    assert db.execute("SELECT question, feedback, comment FROM questions WHERE comment IS NOT NULL").fetchall() == [
        ("Wohngeld?", "down", "Mir fehlte, ob Landkreise es auch bekommen.")]
    env = {**os.environ, "DATA_DIR": str(bot_settings.data_dir), "PSEUDONYM_KEY": bot_settings.pseudonym_key,
           "KNOWLEDGE_DIR": str(bot_settings.knowledge_dir)}
    report = subprocess.run([sys.executable, "-m", "bot", "report"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert "gefehlt hat: »Mir fehlte, ob Landkreise es auch bekommen.«" in report.stdout, report.stdout + report.stderr
    # /vergessen deletes it with the question
    await running_bot.post_update(message_update("/vergessen", chat_id=311))
    await fake_api.wait_until(lambda: len(sent_to(fake_api, 311)) >= 5)
    await running_bot.post_update(callback_update("v:ja", chat_id=311))
    await fake_api.wait_for("editMessageText")
    await running_bot.idle()
    assert db.execute("SELECT count(*) FROM questions WHERE comment IS NOT NULL").fetchone() == (0,)


# ---- the conversation set through the webhook ----------------------------------------------------

async def test_the_conversation_set_through_the_webhook_answers_as_the_core(running_bot, fake_api, assistant):
    """Every conversation of the blind set, one chat each, turns a minute apart (on the messages' own
    dates): Telegram shows exactly what the core's `Conversation` answers (whose floor test_conversation
    holds), so follow-ups resolve the same way through the webhook."""
    from datetime import datetime, timedelta
    from pathlib import Path

    from bot.evaluation import load_dialogues
    from bot.knowledge.conversation import Conversation
    from bot.knowledge.dates import BERLIN
    from bot.replies import split_message, to_html
    dialogues = load_dialogues(Path(__file__).resolve().parent / "data" / "conversations-a.yaml")
    assert len(dialogues) >= 30
    expected = {}
    for n, dialogue in enumerate(dialogues):
        chat = 400_000 + n
        conversation = Conversation(assistant)
        expected[chat] = []
        for i, case in enumerate(dialogue.turns):
            at = datetime.combine(case.as_of, datetime.min.time(), BERLIN) + timedelta(hours=9, minutes=i)
            expected[chat] += split_message(to_html(conversation.ask(case.question, case.as_of, at)))
            await running_bot.post_update(message_update(case.question, chat_id=chat, message_id=i + 1,
                                                         date=at.timestamp()))
    total = sum(len(v) for v in expected.values())
    await fake_api.wait_until(lambda: len(fake_api.of("sendMessage")) >= total, timeout=60)
    await running_bot.idle()

    def shown(text: str) -> str:  # answers to messages dated long ago say they are late
        return text.split("\n\n", 1)[1] if text.startswith("Verspätete Antwort") else text

    for chat, answers in expected.items():
        assert [shown(c.params["text"]) for c in sent_to(fake_api, chat)] == answers, chat


# ---- the web console ------------------------------------------------------------------------------

async def test_the_console_holds_a_conversation(bot_settings, fake_api):
    bot = await start_bot(dataclasses.replace(bot_settings, console_token="konsole-geheim"))
    headers = {"Authorization": "Bearer konsole-geheim"}

    async def console(body):
        async with bot.session.post(f"{bot.url}/api/ask", json=body, headers=headers) as response:
            return response.status, await response.json()

    try:
        first = {"question": HUNDESTEUER, "as_of": "2023-05-10", "conversation": "gespraech-1", "forget": True}
        assert (await console(first))[1]["service"] == "hundesteuer"
        status, follow = await console({"question": "Und bis wann?", "as_of": "2023-05-10",
                                        "conversation": "gespraech-1"})
        assert status == 200 and follow["route"] == "followup_deadline" and follow["service"] == "hundesteuer"
        # another conversation, and a question without one, know nothing of it
        other = await console({"question": "Und bis wann?", "as_of": "2023-05-10", "conversation": "gespraech-2"})
        assert other[1]["route"] == "followup_without_context"
        alone = await console({"question": "Und bis wann?", "as_of": "2023-05-10"})
        assert not alone[1]["route"].startswith("followup_")
        restarted = await console({"question": "Und bis wann?", "as_of": "2023-05-10", "conversation": "gespraech-1",
                                   "forget": True})
        assert restarted[1]["route"] == "followup_without_context"
        status, error = await console({"question": "x", "conversation": "nicht erlaubt!"})
        assert status == 400 and "conversation" in error["error"]
    finally:
        await bot.stop()
