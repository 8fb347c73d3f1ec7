"""Poison input cannot stop the bot: what the webhook and /api/ask accept, over real HTTP."""

import json
import logging
import sqlite3

import pytest

from bot.intake import MAX_DEPTH, NotAnUpdate, read_update
from harness import SECRET, leave_in_inbox, start_bot
from fake_telegram import message_update

QUESTION = "Ist der Hundesteuer-Assistent förderfähig?"


async def post_raw(bot, body: bytes):
    async with bot.session.post(f"{bot.url}/telegram", data=body,
                                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
        return response.status, await response.json()


def statuses(bot):
    with sqlite3.connect(bot.settings.data_dir / "bot.db") as db:
        return dict(db.execute("SELECT update_id, status || ':' || coalesce(reason, '') FROM inbox").fetchall())


@pytest.mark.parametrize("body", [
    b'{"update_id": 9223372036854775808, "message": {}}',  # 2^63
    b'{"update_id": -9223372036854775809}',
    b'{"update_id": true, "message": {}}',
    b'{"update_id": 1.5}',
    b'{"update_id": "7"}',
    b"[" * 100_000 + b"]" * 100_000,  # deeper than any JSON parser's recursion
    b'{"update_id": 1, "message": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}",
])
async def test_what_is_not_an_update_is_a_clean_400(running_bot, fake_api, body):
    status, answer = await post_raw(running_bot, body)
    assert status == 400 and answer["error"]
    status, _ = await running_bot.health()
    assert status == 200


@pytest.mark.parametrize("poison, reason", [
    ({"message": {"message_id": 1, "date": 0, "chat": {"id": [1, 2], "type": "private"}, "text": "Hallo"}},
     "Chat-Kennung unbrauchbar"),
    ({"message": {"message_id": 1, "date": 0, "chat": {"id": 2 ** 70, "type": "private"}, "text": "Hallo"}},
     "Chat-Kennung unbrauchbar"),
    ({"message": "kein Objekt"}, "message ist kein Objekt"),
    ({"message": {"message_id": 1, "date": 10 ** 15, "chat": {"id": 5, "type": "private"}}}, "date unbrauchbar"),
    ({"callback_query": {"id": "1", "from": {"id": 5}, "data": "f:1:+"}}, "callback_query ohne Nachricht"),
    ({"message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                  "entities": [{"type": "bold"}], "text": "x"}}, "nicht lesbar"),
])
async def test_poison_update_is_quarantined_and_the_bot_keeps_answering(running_bot, fake_api, poison, reason):
    update_id = 880_000 + len(reason)
    status, _ = await post_raw(running_bot, json.dumps({"update_id": update_id, **poison}).encode())
    assert status == 200
    assert statuses(running_bot)[update_id].startswith("quarantined:") and reason in statuses(running_bot)[update_id]
    await running_bot.post_update(message_update(QUESTION, chat_id=881))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert int(sent.params["chat_id"]) == 881
    _, health = await running_bot.health()
    assert health["updates_quarantined"] == 1


async def test_kinds_the_bot_does_not_handle_get_200_and_are_ignored(running_bot, fake_api):
    for i, kind in enumerate(["channel_post", "chat_member", "poll", "inline_query"]):
        status, _ = await post_raw(running_bot, json.dumps({"update_id": 890 + i, kind: {"id": 1}}).encode())
        assert status == 200
    await running_bot.idle()
    assert set(statuses(running_bot).values()) == {"ignored:nicht bearbeitete Art: channel_post",
                                                   "ignored:nicht bearbeitete Art: chat_member",
                                                   "ignored:nicht bearbeitete Art: poll",
                                                   "ignored:nicht bearbeitete Art: inline_query"}
    assert fake_api.of("sendMessage") == []


async def test_lone_surrogate_in_the_text_gets_a_normal_answer(running_bot, fake_api):
    body = json.dumps(message_update("Hundesteuer\ud800 förderfähig?", chat_id=892)).encode()  # JSON escapes it
    status, _ = await post_raw(running_bot, body)
    assert status == 200
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "Entschuldigung" not in sent.params["text"] and "Hundesteuer" in sent.params["text"]


async def test_poison_left_in_the_inbox_does_not_stop_the_start(bot_settings, fake_api, caplog):
    """An update stored by an older version with a chat id the handlers cannot use."""
    import base64
    import hashlib

    from cryptography.fernet import Fernet

    from bot.store import BOT_DB, Store
    await leave_in_inbox(bot_settings, message_update(QUESTION, chat_id=893))
    fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"inbox:{bot_settings.pseudonym_key}".encode()).digest()))
    poison = {"update_id": 894, "message": {"message_id": 1, "date": 0, "chat": {"id": [1]}, "text": "x"}}
    store = Store(bot_settings.data_dir / BOT_DB, bot_settings.pseudonym_key)
    await store.open()
    await store.close()
    with sqlite3.connect(bot_settings.data_dir / BOT_DB) as db:
        db.execute("INSERT INTO inbox (update_id, chat, received_at, payload, status, attempts, interrupted) "
                   "VALUES (894, NULL, '2026-01-01T00:00:00+00:00', ?, 'pending', 0, 0)",
                   [fernet.encrypt(json.dumps(poison).encode()).decode()])
    with caplog.at_level(logging.ERROR):
        bot = await start_bot(bot_settings)
    try:
        (sent,) = await fake_api.wait_for("sendMessage")
        assert int(sent.params["chat_id"]) == 893
        assert statuses(bot)[894].startswith("quarantined:")
        assert not any("start-up failed" in r.getMessage() for r in caplog.records)
        response = await bot.post_update(message_update(QUESTION, chat_id=895))
        assert response.status == 200
        await fake_api.wait_for("sendMessage", 2)
    finally:
        await bot.stop()


def test_read_update_replaces_surrogates_and_keeps_real_characters():
    intake = read_update(json.dumps(message_update("a\udc00b 😀", chat_id=5)).encode())
    assert intake.payload["message"]["text"] == "a\ufffdb 😀" and intake.chat == 5 and intake.poison is None
    nested = 1
    for _ in range(40):
        nested = [nested]
    nested = {"update_id": 1, "message": {"x": nested}}
    assert MAX_DEPTH < 40 and read_update(json.dumps(nested).encode()).poison
    with pytest.raises(NotAnUpdate):
        read_update(b"\xed\xa0\x80")  # a surrogate encoded as UTF-8 is not UTF-8


# ---- /api/ask --------------------------------------------------------------------------------------

@pytest.fixture
async def console_bot(bot_settings):
    import dataclasses
    bot = await start_bot(dataclasses.replace(bot_settings, console_token="konsole-geheim"))
    yield bot
    await bot.stop()


async def ask(bot, body: bytes):
    async with bot.session.post(f"{bot.url}/api/ask", data=body,
                                headers={"Authorization": "Bearer konsole-geheim"}) as response:
        return response.status, await response.json()


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "1000-06-15", "2200-01-01"])
async def test_extreme_as_of_on_api_ask_is_a_german_400(console_bot, as_of):
    status, body = await ask(console_bot, json.dumps({"question": QUESTION, "as_of": as_of}).encode())
    assert status == 400 and "Stichtag" in body["error"]


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"question": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
                                  b'{"question": "x", "as_of": 20240101}', b"[]"])
async def test_hostile_json_on_api_ask_is_a_400(console_bot, body):
    status, answer = await ask(console_bot, body)
    assert status == 400 and answer["error"]


async def test_lone_surrogate_on_api_ask_is_answered(console_bot):
    status, body = await ask(console_bot, b'{"question": "Hundesteuer\\ud800 f\\u00f6rderf\\u00e4hig?"}')
    assert status == 200 and body["kind"] and "Hundesteuer" in body["answer"]
