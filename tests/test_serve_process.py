"""`python -m bot serve` as real processes: kill -9, a second serve on the same DATA_DIR, SIGTERM.

Updates are posted the way Telegram does: each one again until it got its 200. Kills happen after
a number of acknowledged updates or delivered answers, never after a sleep.
"""

import asyncio

import aiohttp

from fake_telegram import message_update
from harness import QUESTION, Serve, Telegram, answers_by_chat, poll_until, wait_answered

# An answer on the wire at a kill may have been processed (even just after the kill, as Telegram
# would) without the bot learning of it: a resend is then an unavoidable duplicate.
AMBIGUOUS_WINDOW = 0.5


async def test_kill_9_twice_loses_nothing_and_answers_nothing_avoidably_twice(tmp_path, fake_api, knowledge_copy,
                                                                             serves):
    chats = list(range(50_000, 50_150))
    updates = [message_update(QUESTION, chat_id=c) for c in chats]
    fake_api.inject("latency", methods={"sendMessage"}, seconds=0.2)  # answers are on the wire at each kill
    kills = []
    async with aiohttp.ClientSession() as session:
        telegram = Telegram(session)
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram.url = first.url
        posting = asyncio.create_task(telegram.deliver_all(updates))
        await poll_until(lambda: telegram.acked >= 60)
        kills.append(first.kill())
        second = Serve(tmp_path, fake_api, knowledge_copy, port=first.port)
        serves.append(second.start())
        await second.ready(session)
        delivered = len(fake_api.of("sendMessage"))
        await fake_api.wait_for("sendMessage", delivered + 10, timeout=60)  # well into recovery
        kills.append(second.kill())
        third = Serve(tmp_path, fake_api, knowledge_copy, port=first.port)
        serves.append(third.start())
        await third.ready(session)
        await asyncio.wait_for(posting, 60)
        await wait_answered(fake_api, chats)
        assert await third.terminate() == 0, third.output()
    by_chat = answers_by_chat(fake_api)
    lost = [c for c in chats if c not in by_chat]
    twice = [calls for calls in by_chat.values() if len(calls) > 1]
    avoidable = [calls for calls in twice
                 if not any(abs(kill - calls[0].at) <= AMBIGUOUS_WINDOW for kill in kills)]
    assert lost == [] and avoidable == [], ([(c.params["chat_id"], c.at) for calls in avoidable for c in calls], kills)
    assert all("Entschuldigung" not in c.params["text"] for calls in by_chat.values() for c in calls)


async def test_interrupted_attempts_have_their_own_limit_and_a_log_line(tmp_path, fake_api, knowledge_copy,
                                                                       serves, bot_settings):
    """An update cut off by crashes is resumed (counted apart from handler failures) until its own
    limit, then given up with a log line and one apology instead of being tried at every start."""
    import sqlite3

    from harness import leave_in_inbox
    settings = bot_settings.__class__(**{**bot_settings.__dict__, "data_dir": tmp_path / "daten",
                                         "pseudonym_key": "k-serve"})
    await leave_in_inbox(settings, message_update(QUESTION, chat_id=51_000), message_update(QUESTION, chat_id=51_001))
    with sqlite3.connect(tmp_path / "daten" / "bot.db") as db:
        db.execute("UPDATE inbox SET interrupted = 4 WHERE chat IS NOT NULL AND update_id = "
                   "(SELECT min(update_id) FROM inbox)")
    async with aiohttp.ClientSession() as session:
        serve = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(serve.start())
        await serve.ready(session)
        await wait_answered(fake_api, [51_000, 51_001])
        assert await serve.terminate() == 0
    by_chat = answers_by_chat(fake_api)
    assert [c.params["text"][:15] for c in by_chat[51_000]] == ["Entschuldigung,"]
    assert len(by_chat[51_001]) == 1 and "Hundesteuer" in by_chat[51_001][0].params["text"]
    output = serve.output()
    assert "quarantined after 5 interrupted attempts" in output
    assert "left over from the last run (interrupted 1 times)" in output


async def test_second_serve_on_the_same_data_dir_waits_then_refuses(tmp_path, fake_api, knowledge_copy, serves):
    chats = list(range(52_000, 52_040))
    fake_api.inject("latency", methods={"sendMessage"}, seconds=0.3)
    async with aiohttp.ClientSession() as session:
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram = Telegram(session)
        telegram.url = first.url
        await telegram.deliver_all([message_update(QUESTION, chat_id=c) for c in chats])
        get_me = fake_api.tried("getMe")
        second = Serve(tmp_path, fake_api, knowledge_copy, LOCK_WAIT_SECONDS="1")
        serves.append(second.start())
        assert await second.exit_code() == 2
        assert "Ein anderer Förderbot-Server" in second.output() and "waiting up to" in second.output()
        assert fake_api.tried("getMe") == get_me  # it never started on the inbox
        # a rolling restart: the new one waits while the old one drains, then takes over
        successor = Serve(tmp_path, fake_api, knowledge_copy, port=first.port, LOCK_WAIT_SECONDS="60")
        serves.append(successor.start())
        await poll_until(lambda: "waiting up to" in successor.output())
        assert await first.terminate() == 0, first.output()
        await successor.ready(session)
        fake_api.clear()
        await wait_answered(fake_api, chats)
        assert await successor.terminate() == 0
    by_chat = answers_by_chat(fake_api)
    assert {c: len(by_chat.get(c, [])) for c in chats} == {c: 1 for c in chats}


async def test_sigterm_with_a_slow_api_drains_honestly(tmp_path, fake_api, knowledge_copy, serves):
    """What is on the wire finishes, the rest waits for the next start: never both answered and left.
    63 answers for 7 chats (each chat in order: 7 on the wire at a time), the API at 3 s latency."""
    chats = list(range(53_000, 53_007))
    updates = [message_update(QUESTION, chat_id=c, message_id=i) for i in range(9) for c in chats]
    fake_api.inject("latency", methods={"sendMessage"}, seconds=3.0)
    async with aiohttp.ClientSession() as session:
        first = Serve(tmp_path, fake_api, knowledge_copy)
        serves.append(first.start())
        await first.ready(session)
        telegram = Telegram(session)
        telegram.url = first.url
        await telegram.deliver_all(updates, concurrency=1)
        await fake_api.wait_tried("sendMessage", len(chats), timeout=30)
        assert await first.terminate() == 0, first.output()
        before = sum(len(calls) for calls in answers_by_chat(fake_api).values())
        assert 0 < before < len(updates) and "stay in the outbox for the next start" in first.output()
        assert "cut off" not in first.output()
        fake_api.clear()
        second = Serve(tmp_path, fake_api, knowledge_copy, port=first.port)
        serves.append(second.start())
        await second.ready(session)
        await fake_api.wait_for("sendMessage", len(updates), timeout=60)
        assert await second.terminate() == 0
    by_chat = answers_by_chat(fake_api)
    assert {c: len(by_chat.get(c, [])) for c in chats} == {c: 9 for c in chats}
