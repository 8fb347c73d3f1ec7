"""Nothing acknowledged is ever lost: the real web application against a fake Bot API that fails
the way the real one does (refused connections, 500, dropped connections, 429, latency, refusals).
Backoff is compressed to milliseconds through the settings; nothing here measures time."""

import asyncio
import logging
import sqlite3
from datetime import datetime

import pytest

from bot.knowledge.dates import BERLIN
from harness import start_bot
from fake_telegram import callback_update, message_update

QUESTION = "Ist der Hundesteuer-Assistent förderfähig?"


def texts(fake_api, chat=None):
    return [c.params["text"] for c in fake_api.of("sendMessage") if chat is None or int(c.params["chat_id"]) == chat]


def answered(fake_api) -> dict[int, int]:
    """chat → how many messages it got."""
    out: dict[int, int] = {}
    for call in fake_api.of("sendMessage"):
        chat = int(call.params["chat_id"])
        out[chat] = out.get(chat, 0) + 1
    return out


def db(bot):
    return sqlite3.connect(bot.settings.data_dir / "bot.db")


def query(bot, sql, *args):
    with db(bot) as connection:
        return connection.execute(sql, args).fetchall()


async def until(condition, timeout: float = 15.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.02)


def retried_at_least(bot, attempts: int, rows: int):
    return lambda: query(bot, "SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts >= ?",
                         attempts)[0][0] >= rows


async def post_questions(bot, chats):
    for chat in chats:
        response = await bot.post_update(message_update(QUESTION, chat_id=chat))
        assert response.status == 200


async def assert_each_answered_once(bot, fake_api, chats):
    await fake_api.wait_for("sendMessage", len(chats), timeout=30)
    await bot.idle()
    counts = answered(fake_api)
    assert {chat: counts.get(chat, 0) for chat in chats} == {chat: 1 for chat in chats}
    assert not any("Entschuldigung" in t for t in texts(fake_api))
    assert query(bot, "SELECT status, count(*) FROM inbox GROUP BY status") == [("done", len(chats))]
    # a retry resends the stored reply: the handler ran once, one question-log row each
    assert query(bot, "SELECT count(*) FROM questions")[0][0] == len(chats)


# ---- outages: nothing acknowledged during them is lost ------------------------------------------

async def test_refused_connections_for_a_while_lose_nothing(fast_bot, fake_api):
    chats = list(range(2000, 2020))
    await fake_api.go_offline()
    await post_questions(fast_bot, chats)
    await until(retried_at_least(fast_bot, 2, len(chats)))
    status, health = await fast_bot.health()
    assert status == 200 and health["status"] == "ok"
    assert health["telegram_ok"] is False and health["delivery_pending"] == len(chats)
    assert health["delivery_last_error"] and health["delivery_oldest_pending_seconds"] is not None
    await fake_api.go_online()
    await assert_each_answered_once(fast_bot, fake_api, chats)
    _, health = await fast_bot.health()
    assert health["telegram_ok"] is True and health["delivery_pending"] == 0


@pytest.mark.parametrize("kind", ["status", "drop_before"])
async def test_500_or_dropped_connections_for_a_while_lose_nothing(fast_bot, fake_api, kind):
    chats = list(range(2100, 2120))
    fake_api.inject(kind, methods={"sendMessage"}, status=500, description="Internal Server Error")
    await post_questions(fast_bot, chats)
    await fake_api.wait_tried("sendMessage", 3 * len(chats), timeout=30)
    fake_api.clear()
    await assert_each_answered_once(fast_bot, fake_api, chats)


async def test_429_honours_retry_after_and_loses_nothing(fast_bot, fake_api):
    chats = list(range(2200, 2230))
    fault = fake_api.inject("status", methods={"sendMessage"}, times=90, status=429,
                            description="Too Many Requests: retry after 0.2", parameters={"retry_after": 0.2})
    await post_questions(fast_bot, chats)
    await assert_each_answered_once(fast_bot, fake_api, chats)
    assert fault.hits == 90
    # after each 429 nothing was sent for retry_after (the pause holds for all chats)
    attempts = fake_api.attempts
    refused = [c.at for c in fake_api.calls if c.method == "sendMessage:error"]
    first_ok = next(c.at for c in fake_api.calls if c.method == "sendMessage")
    assert first_ok - refused[0] >= 0.2
    assert len([a for a in attempts if a.method == "sendMessage"]) >= 120


async def test_slow_api_is_a_slow_answer_not_a_failure(running_bot, fake_api):
    """7 s latency (python-telegram-bot's default read timeout is 5 s): delivered once, no apology."""
    fake_api.inject("latency", methods={"sendMessage"}, seconds=7.0, times=3)
    await post_questions(running_bot, [2300, 2301, 2302])
    await assert_each_answered_once(running_bot, fake_api, [2300, 2301, 2302])
    _, health = await running_bot.health()
    assert health["delivery_possible_duplicates"] == 0


async def test_read_timeout_resends_and_prefers_a_duplicate_to_a_loss(fast_settings, fake_api):
    """No answer after the request was sent: resent (a duplicate may arrive) and counted."""
    import dataclasses
    bot = await start_bot(dataclasses.replace(fast_settings, telegram_read_timeout=0.3))
    try:
        fake_api.inject("latency", methods={"sendMessage"}, seconds=1.0, times=1)
        fake_api.inject("drop_after", methods={"sendMessage"}, times=1)
        await post_questions(bot, [2310])
        await fake_api.wait_for("sendMessage", 2, timeout=15)
        await bot.idle()
        _, health = await bot.health()
        assert health["delivery_possible_duplicates"] == 2
        assert len(texts(fake_api, 2310)) == 2  # the one the fake recorded before dropping, and the resend
        assert [c.response_lost for c in fake_api.of("sendMessage")] == [True, False]
        assert query(bot, "SELECT status FROM inbox") == [("done",)]
    finally:
        await bot.stop()


async def test_waiting_answers_survive_a_restart_and_are_sent_once(fast_settings, fake_api):
    bot = await start_bot(fast_settings)
    chats = list(range(2400, 2410))
    try:
        await fake_api.go_offline()
        await post_questions(bot, chats)
        await until(retried_at_least(bot, 1, len(chats)))
    finally:
        await bot.stop()  # answers waiting for a retry are not in flight: they stay pending at once
    assert query(bot, "SELECT count(*) FROM outbox WHERE status = 'pending'") == [(len(chats),)]
    await fake_api.go_online()
    bot = await start_bot(fast_settings)
    try:
        await assert_each_answered_once(bot, fake_api, chats)
    finally:
        await bot.stop()


async def test_gives_up_after_the_configured_time_without_an_apology(fast_settings, fake_api, caplog):
    """Time runs on an injected clock that jumps when the outbox waits: the default 24 h pass at once."""
    import dataclasses

    from bot.outbox import Clock

    class JumpingClock(Clock):
        def __init__(self):
            self.offset = 0.0

        def now(self):
            return super().now() + self.offset

        async def sleep(self, seconds):
            self.offset += seconds
            await asyncio.sleep(0)

    settings = dataclasses.replace(fast_settings, delivery_backoff_base=1.0, delivery_backoff_max=300.0)
    bot = await start_bot(settings, clock=JumpingClock())
    try:
        fake_api.inject("status", methods={"sendMessage"}, status=502, description="Bad Gateway")
        with caplog.at_level(logging.WARNING):
            await post_questions(bot, [2500])
            await until(lambda: query(bot, "SELECT status FROM outbox") == [("expired",)])
        attempts = query(bot, "SELECT attempts FROM outbox")[0][0]
        assert 24 * 3600 / 300 <= attempts < 24 * 3600 / 150 + 20  # backoff capped at 300 s, jittered
        assert any("given up" in r.getMessage() for r in caplog.records)
        fake_api.clear()
        await asyncio.sleep(0.2)
        assert texts(fake_api) == []  # no apology after the answer could not be delivered
        _, health = await bot.health()
        assert health["delivery_expired"] == 1 and health["delivery_pending"] == 0
    finally:
        await bot.stop()


# ---- refusals, handled and not swallowed ------------------------------------------------------

async def test_blocked_bot_or_vanished_chat_ends_only_that_chat(fast_bot, fake_api):
    fake_api.block(2600)
    fake_api.forget_chat(2601)
    await post_questions(fast_bot, [2600, 2601, 2602])
    await fake_api.wait_for("sendMessage", 1)
    await fast_bot.idle()
    assert answered(fake_api) == {2602: 1}
    assert fake_api.tried("sendMessage") == 3  # each refusal ended its chat's request at once
    assert sorted(query(fast_bot, "SELECT status, count(*) FROM outbox GROUP BY status")) == [("refused", 2),
                                                                                               ("sent", 1)]
    assert query(fast_bot, "SELECT DISTINCT status FROM inbox") == [("done",)]


async def test_html_telegram_cannot_parse_is_resent_as_plain_text(fast_bot, fake_api, monkeypatch):
    import bot.handlers.questions as questions
    monkeypatch.setattr(questions, "to_html", lambda answer: "<b>Förderfähig &amp; gut</b> <blockquote>Quelle")
    await post_questions(fast_bot, [2700])
    (sent,) = await fake_api.wait_for("sendMessage")
    assert fake_api.of("sendMessage:error")
    assert "parse_mode" not in sent.params and sent.params["text"] == "Förderfähig & gut Quelle"
    assert sent.params["reply_markup"]["inline_keyboard"]  # the buttons stay


async def test_message_too_long_is_split(fast_bot, fake_api, monkeypatch):
    from bot.app import STATE
    from bot.knowledge.model import Answer, Kind
    fake_api.max_length = 1000
    long = "\n\n".join(f"Absatz {i}: " + "x" * 280 for i in range(10))
    monkeypatch.setattr(fast_bot.app[STATE].source.current, "answer",
                        lambda *a, **k: Answer(Kind.ANSWER, long, headline="Absatz 0"))
    await post_questions(fast_bot, [2800])
    await fast_bot.idle()
    sent = fake_api.of("sendMessage")
    assert len(sent) >= 3 and all(len(c.params["text"]) <= 1000 for c in sent)
    assert "".join("".join(c.params["text"].split()) for c in sent) == "".join(long.split())
    assert "reply_markup" in sent[-1].params and all("reply_markup" not in c.params for c in sent[:-1])


async def test_migrated_group_gets_the_answer_at_its_new_id(fast_bot, fake_api):
    from fake_telegram import mention
    fake_api.migrate(-2900, -1002900)
    text, entities = mention(QUESTION)
    await fast_bot.post_update(message_update(text, chat_id=-2900, user_id=7, chat_type="group", entities=entities))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert int(sent.params["chat_id"]) == -1002900 and "Hundesteuer" in sent.params["text"]


async def test_callback_query_too_old_drops_only_the_callback_answer(fast_bot, fake_api):
    await fast_bot.post_update(message_update("Ist der Hunde-Assistent förderfähig?", chat_id=3000))
    (clarify,) = await fake_api.wait_for("sendMessage")
    choice = next(row[0]["callback_data"] for row in clarify.params["reply_markup"]["inline_keyboard"]
                  if "gefährlichen Hundes" in row[0]["text"])
    fake_api.expire_callbacks = True
    await fast_bot.post_update(callback_update(choice, chat_id=3000))
    sent = await fake_api.wait_for("sendMessage", 2)
    await fast_bot.idle()
    assert "gefährlichen Hundes" in sent[1].params["text"]
    assert fake_api.of("answerCallbackQuery:error") and not fake_api.of("answerCallbackQuery")
    assert query(fast_bot, "SELECT method, status FROM outbox WHERE method = 'answerCallbackQuery'") == [
        ("answerCallbackQuery", "refused")]


# ---- late answers stay right ----------------------------------------------------------------------

async def test_late_answer_keeps_the_day_asked_quotes_the_question_and_says_it_is_late(fast_bot, fake_api):
    asked = datetime(2024, 12, 31, 23, 50, tzinfo=BERLIN).timestamp()
    await fast_bot.post_update(message_update(QUESTION, chat_id=3100, message_id=77, date=asked))
    (sent,) = await fake_api.wait_for("sendMessage")
    text = sent.params["text"]
    assert text.startswith("Verspätete Antwort auf Ihre Frage vom 31.12.2024, 23:50 Uhr:")
    assert "Hundesteuer" in text and "Nein" not in text  # the 2024 verdict, not today's "ended"
    assert sent.params["reply_parameters"] == {"message_id": 77, "allow_sending_without_reply": True}
    assert query(fast_bot, "SELECT as_of, verdict FROM questions") == [("2024-12-31", "conditional")]


async def test_timely_answer_has_no_late_notice(fast_bot, fake_api):
    await post_questions(fast_bot, [3101])
    (sent,) = await fake_api.wait_for("sendMessage")
    assert not sent.params["text"].startswith("Verspätet") and "reply_parameters" not in sent.params


# ---- handler failures: retried, then one apology; never an answer and an apology ----------------

async def test_handler_failing_once_answers_without_apology(fast_bot, fake_api, monkeypatch):
    from bot.app import STATE
    source = fast_bot.app[STATE].source
    real = source.current.answer
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("einmal kaputt")
        return real(*args, **kwargs)

    monkeypatch.setattr(source.current, "answer", flaky)
    await post_questions(fast_bot, [3200])
    await assert_each_answered_once(fast_bot, fake_api, [3200])
    assert "Hundesteuer" in texts(fake_api, 3200)[0]


async def test_handler_failing_every_time_is_quarantined_with_one_apology(fast_bot, fake_api, monkeypatch, caplog):
    from bot.app import STATE

    def broken(*args, **kwargs):
        raise ZeroDivisionError("immer kaputt")

    monkeypatch.setattr(fast_bot.app[STATE].source.current, "answer", broken)
    with caplog.at_level(logging.WARNING):
        await post_questions(fast_bot, [3300])
        await fake_api.wait_for("sendMessage")
        await fast_bot.idle()
    assert len(texts(fake_api, 3300)) == 1 and "Entschuldigung" in texts(fake_api, 3300)[0]
    assert query(fast_bot, "SELECT status, attempts, reason FROM inbox") == [("quarantined", 3, "ZeroDivisionError")]
    assert any("quarantined" in r.getMessage() and "ZeroDivisionError" in r.getMessage() for r in caplog.records)
    assert query(fast_bot, "SELECT count(*) FROM questions") == [(0,)]


async def test_resent_update_still_pending_is_processed(fast_bot, fake_api):
    """Telegram resends after any non-2xx; an update stored but not being handled must not be ignored."""
    import json

    from bot.intake import read_update
    update = message_update(QUESTION, chat_id=3400)
    await fast_bot.state.store.inbox_add(read_update(json.dumps(update).encode()))
    await fast_bot.post_update(update)
    (sent,) = await fake_api.wait_for("sendMessage")
    assert int(sent.params["chat_id"]) == 3400
    await fast_bot.post_update(update)  # and once handled, a resend is not answered again
    await fast_bot.idle()
    await asyncio.sleep(0.1)
    assert len(texts(fake_api, 3400)) == 1


async def test_update_whose_answers_are_all_done_is_marked_done_at_start(bot_settings, fake_api):
    """Its last write was lost (database full at the time): the next start settles it."""
    from harness import leave_in_inbox
    await leave_in_inbox(bot_settings, message_update(QUESTION, chat_id=3500))
    with sqlite3.connect(bot_settings.data_dir / "bot.db") as connection:
        connection.execute("UPDATE inbox SET status = 'answering', payload = ''")
    bot = await start_bot(bot_settings)
    try:
        assert query(bot, "SELECT status FROM inbox") == [("done",)]
        assert texts(fake_api) == []
    finally:
        await bot.stop()
