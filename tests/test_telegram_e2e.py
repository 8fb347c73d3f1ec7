"""End to end over real HTTP on 127.0.0.1: Telegram update JSON → POST /telegram → handlers → core →
requests arriving at a fake Bot API. Nothing ever contacts Telegram."""

import asyncio
import logging
import sqlite3

import pytest

from bot.app import STATE
from fake_telegram import BOT_USER, callback_update, mention, message_update, sticker_update
from harness import SECRET, leave_in_inbox, start_bot


def texts(fake_api, chat_id=None):
    return [c.params["text"] for c in fake_api.of("sendMessage")
            if chat_id is None or int(c.params["chat_id"]) == chat_id]


async def test_start_registers_commands_and_webhook(running_bot, fake_api):
    (commands,) = await fake_api.wait_for("setMyCommands")
    names = [c["command"] for c in commands.params["commands"]]
    assert names == ["start", "hilfe", "frist", "katalog", "datenschutz", "vergessen", "abo", "abo_beenden"]
    assert all(c["description"] for c in commands.params["commands"])
    (webhook,) = await fake_api.wait_for("setWebhook")
    assert webhook.params["url"] == "https://bot.example.test/telegram"
    assert webhook.params["secret_token"] == SECRET
    assert set(webhook.params["allowed_updates"]) == {"message", "edited_message", "callback_query", "my_chat_member"}


async def test_question_gets_verdict_with_deadline_and_feedback_buttons(running_bot, fake_api):
    response = await running_bot.post_update(
        message_update("Ist der Hundesteuer-Assistent förderfähig, und bis wann?", chat_id=555))
    assert response.status == 200
    (sent,) = await fake_api.wait_for("sendMessage")
    assert int(sent.params["chat_id"]) == 555
    assert sent.params["parse_mode"] == "HTML"
    assert sent.params["text"].startswith("<b>Nein – die Förderung endete voraussichtlich am 31.12.2024")
    assert "31.12.2024" in sent.params["text"]
    buttons = [b for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"].split(":")[0] for b in buttons if "callback_data" in b] == ["f", "f"]
    # KISA and SAKD have web addresses in faq.yaml: link buttons; the press release has none: no button
    assert {b["text"]: b["url"] for b in buttons if "url" in b} == {"KISA": "https://www.kisa.it",
                                                                    "SAKD": "https://www.sakd.de"}
    await asyncio.sleep(0.7)  # longer than COSMETIC_AFTER: a "typing" not cancelled would have gone out by now
    assert fake_api.of("sendChatAction") == []  # the answer was ready at once: no "typing" request


async def test_typing_is_shown_while_a_slow_answer_is_prepared(running_bot, fake_api, monkeypatch):
    from bot.store import Store
    reserve = Store.reserve_question_id

    async def slow_reserve(self):  # a database that takes its time
        await asyncio.sleep(1.0)
        return await reserve(self)

    monkeypatch.setattr(Store, "reserve_question_id", slow_reserve)
    await running_bot.post_update(message_update("Ist der Hundesteuer-Assistent förderfähig?", chat_id=556))
    (sent,) = await fake_api.wait_for("sendMessage")
    actions = fake_api.of("sendChatAction")
    assert [a.params["action"] for a in actions] == ["typing"] and actions[0].at < sent.at


async def test_start_command_introduces_with_three_examples(running_bot, fake_api):
    await running_bot.post_update(message_update("/start"))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "Willkommen" in sent.params["text"]
    assert len(sent.params["reply_markup"]["inline_keyboard"]) == 3


async def test_exclusion_is_not_eligible(running_bot, fake_api):
    await running_bot.post_update(message_update("Ist die Kfz-Zulassung (eKOL-KFZ) förderfähig?"))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert sent.params["text"].startswith("<b>Nein, nicht förderfähig")
    assert "eKOL-KFZ" in sent.params["text"]


async def test_frist_lists_programmes_and_what_has_ended(running_bot, fake_api):
    await running_bot.post_update(message_update("/frist"))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "31.12.2024" in sent.params["text"] and "beendet" in sent.params["text"]


async def test_clarify_buttons_answer_the_original_question(running_bot, fake_api):
    await running_bot.post_update(message_update("Ist der Hunde-Assistent förderfähig?", chat_id=777))
    (clarify,) = await fake_api.wait_for("sendMessage")
    rows = clarify.params["reply_markup"]["inline_keyboard"]
    labels = {row[0]["text"]: row[0]["callback_data"] for row in rows}
    data = next(v for k, v in labels.items() if "gefährlichen Hundes" in k)
    await running_bot.post_update(callback_update(data, chat_id=777))
    sent = await fake_api.wait_for("sendMessage", 2)
    assert "gefährlichen Hundes" in sent[1].params["text"]
    assert sent[1].params["text"].startswith("<b>Nein – die Förderung endete voraussichtlich am 31.12.2024")
    await fake_api.wait_for("answerCallbackQuery")


async def test_feedback_is_stored_with_the_question(running_bot, fake_api, bot_settings):
    await running_bot.post_update(message_update("Wohngeld?", chat_id=888))
    (sent,) = await fake_api.wait_for("sendMessage")
    down = sent.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    await running_bot.post_update(callback_update(down, chat_id=888))
    (ack,) = await fake_api.wait_for("answerCallbackQuery")
    assert "Danke" in ack.params["text"]
    await running_bot.idle()
    db = sqlite3.connect(bot_settings.data_dir / "bot.db")
    assert db.execute("SELECT question, feedback FROM questions").fetchall() == [("Wohngeld?", "down")]


async def test_feedback_of_an_unknown_answer_is_refused(running_bot, fake_api):
    await running_bot.post_update(callback_update("f:987654:+", chat_id=902))
    (ack,) = await fake_api.wait_for("answerCallbackQuery")
    assert "nicht mehr gespeichert" in ack.params["text"]


async def test_edited_message_edits_the_answer(running_bot, fake_api):
    await running_bot.post_update(message_update("Wohngeld?", chat_id=42, message_id=5))
    (first,) = await fake_api.wait_for("sendMessage")
    await running_bot.idle()
    await running_bot.post_update(message_update("Fischereischein?", chat_id=42, message_id=5, edited=True))
    (edit,) = await fake_api.wait_for("editMessageText")
    assert "Fischereischein" in edit.params["text"]
    assert int(edit.params["message_id"]) == first.result["message_id"] and int(edit.params["chat_id"]) == 42
    await running_bot.idle()
    assert len(fake_api.of("sendMessage")) == 1


async def test_sticker_gets_a_polite_request_for_text(running_bot, fake_api):
    await running_bot.post_update(sticker_update(chat_id=43))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "Textform" in sent.params["text"]


async def test_group_answers_only_when_addressed(running_bot, fake_api):
    await running_bot.post_update(message_update("Wohngeld?", chat_id=-100, user_id=7, chat_type="supergroup"))
    await running_bot.idle()
    assert fake_api.of("sendMessage") == []
    text, entities = mention("Wohngeld?")
    await running_bot.post_update(message_update(text, chat_id=-100, user_id=7, chat_type="supergroup",
                                                 entities=entities))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert int(sent.params["chat_id"]) == -100 and "Wohngeld" in sent.params["text"]
    reply = {"message_id": 9, "date": 0, "chat": {"id": -100, "type": "supergroup", "title": "x"}, "from": BOT_USER,
             "text": "…"}
    await running_bot.post_update(message_update("Und Fischereischein?", chat_id=-100, user_id=7,
                                                 chat_type="supergroup", reply_to=reply))
    await fake_api.wait_for("sendMessage", 2)


@pytest.mark.parametrize("secret", [None, "wrong", "ä-nicht-ascii", ""])
async def test_missing_or_wrong_secret_is_rejected_and_nothing_sent(running_bot, fake_api, secret):
    response = await running_bot.post_update(message_update("Wohngeld?"), secret=secret)
    assert response.status == 403
    await asyncio.sleep(0.2)
    assert fake_api.of("sendMessage") == []


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", b'{"no_update_id": 1}', "\ud800".encode("utf-8", "surrogatepass")])
async def test_malformed_body_is_400(running_bot, body):
    async with running_bot.session.post(f"{running_bot.url}/telegram", data=body,
                                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
        assert response.status == 400
        assert "error" in await response.json()


async def test_resent_update_is_answered_once(running_bot, fake_api):
    update = message_update("Wohngeld?", chat_id=66)
    await running_bot.post_update(update)
    await running_bot.post_update(update)
    await running_bot.idle()
    await asyncio.sleep(0.1)
    assert len(texts(fake_api, 66)) == 1


async def test_handler_exception_apologises_logs_and_keeps_serving(running_bot, fake_api, caplog, monkeypatch):
    source = running_bot.app[STATE].source

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(source.current, "answer", broken)
    with caplog.at_level(logging.ERROR):
        await running_bot.post_update(message_update("Wohngeld?", chat_id=71))
        (sent,) = await fake_api.wait_for("sendMessage")
    assert "Entschuldigung" in sent.params["text"]
    assert any("RuntimeError" in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    await running_bot.post_update(message_update("Wohngeld?", chat_id=72))
    sent = await fake_api.wait_for("sendMessage", 2)
    assert "Wohngeld" in sent[1].params["text"]
    status, _ = await running_bot.health()
    assert status == 200


async def test_429_from_telegram_is_retried_and_delivered(running_bot, fake_api):
    fake_api.fail_next("sendMessage", 429, {"retry_after": 1}, "Too Many Requests: retry after 1")
    await running_bot.post_update(message_update("Wohngeld?", chat_id=81))
    (sent,) = await fake_api.wait_for("sendMessage", timeout=15)
    assert "Wohngeld" in sent.params["text"]
    assert fake_api.of("sendMessage:error")


async def test_one_chat_in_order_other_chats_concurrently(running_bot, fake_api):
    fake_api.delay = 0.05
    questions = ["Wohngeld?", "Fischereischein?", "Jagdschein?", "Sperrmüll?"]
    for q in questions:
        await running_bot.post_update(message_update(q, chat_id=90))
    await running_bot.post_update(message_update("Hundesteuer?", chat_id=91))
    await fake_api.wait_for("sendMessage", 5, timeout=20)
    order = texts(fake_api, 90)
    assert [next(q for q in ("Wohngeld", "Fischereischein", "Jagdschein", "Sperrmüll") if q in t) for t in order] == \
        ["Wohngeld", "Fischereischein", "Jagdschein", "Sperrmüll"]
    # chat 91 did not wait for all four of chat 90
    positions = [int(c.params["chat_id"]) for c in fake_api.of("sendMessage")]
    assert positions.index(91) < 4


async def test_long_answer_is_split_at_paragraphs(running_bot, fake_api, monkeypatch):
    from bot.knowledge.model import Answer, Kind
    long = "\n\n".join(f"Absatz {i}: " + "x" * 900 for i in range(10))
    monkeypatch.setattr(running_bot.app[STATE].source.current, "answer",
                        lambda *a, **k: Answer(Kind.ANSWER, long, headline="Absatz 0"))
    await running_bot.post_update(message_update("Wohngeld?", chat_id=95))
    sent = await fake_api.wait_for("sendMessage", 3)
    assert all(len(c.params["text"]) <= 4096 for c in sent)
    assert "reply_markup" in sent[-1].params and "reply_markup" not in sent[0].params


async def test_html_in_question_is_escaped(running_bot, fake_api):
    await running_bot.post_update(message_update("<b>Assistent für Eheschließung</b> förderfähig?", chat_id=96))
    (sent,) = await fake_api.wait_for("sendMessage")
    assert "<b>Assistent" not in sent.params["text"]


async def test_flood_gets_a_polite_reply(running_bot, fake_api):
    running_bot.app[STATE].telegram.bot_data.flood.limit = 2
    for _ in range(3):
        await running_bot.post_update(message_update("Wohngeld?", chat_id=97))
    sent = await fake_api.wait_for("sendMessage", 3)
    assert "sehr schnell" in sent[2].params["text"]


async def test_no_raw_ids_in_database(running_bot, fake_api, bot_settings):
    await running_bot.post_update(message_update("Wohngeld?", chat_id=987654321, user_id=123456789))
    await fake_api.wait_for("sendMessage")
    await running_bot.idle()
    raw = b"".join(p.read_bytes() for p in bot_settings.data_dir.glob("bot.db*"))
    assert b"987654321" not in raw and b"123456789" not in raw


async def test_unfinished_updates_are_processed_after_restart(bot_settings, fake_api):
    await leave_in_inbox(bot_settings, message_update("Wohngeld?", chat_id=123))
    bot = await start_bot(bot_settings)
    try:
        (sent,) = await fake_api.wait_for("sendMessage")
        assert int(sent.params["chat_id"]) == 123
        await bot.idle()
        assert (await bot.app[STATE].store.inbox_counts()) == {"done": 1}
    finally:
        await bot.stop()


async def test_healthz(running_bot):
    status, body = await running_bot.health()
    assert status == 200
    assert body["status"] == "ok" and body["telegram"] == "on" and body["faq_entries"] > 20
    assert body["services"] == 50 and body["knowledge_version"] and body["webhook_last_error"] is None


async def test_without_token_web_runs_and_telegram_is_off(tmp_path, knowledge_copy):
    from bot.config import Settings
    from harness import free_port
    settings = Settings(port=free_port(), data_dir=tmp_path / "d", knowledge_dir=knowledge_copy)
    bot = await start_bot(settings)
    try:
        status, body = await bot.health()
        assert status == 200 and body["telegram"] == "off"
        response = await bot.post_update(message_update("Wohngeld?"))
        assert response.status == 404
    finally:
        await bot.stop()


def test_token_without_secret_refuses_to_start(tmp_path):
    from bot.app import create_web_app
    from bot.config import ConfigError, Settings
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        create_web_app(Settings(bot_token="1:x", pseudonym_key="k", data_dir=tmp_path))


def test_settings_hide_secrets():
    from bot.config import Settings
    settings = Settings.from_env({"BOT_TOKEN": "123:SECRET", "WEBHOOK_SECRET": "s3cret", "PSEUDONYM_KEY": "pk",
                                  "ADMIN_IDS": "1, 2", "PORT": "9000"})
    text = repr(settings)
    assert "SECRET" not in text and "s3cret" not in text and "pk" not in text
    assert settings.port == 9000 and settings.admin_ids == frozenset({1, 2})


async def test_serve_command_configured_by_environment_only(tmp_path, fake_api, knowledge_copy):
    """`python -m bot serve` as operators run it: a separate process, configured only by variables."""
    import os
    import subprocess
    import sys

    import aiohttp

    from harness import free_port
    port = free_port()
    env = {**os.environ, "BOT_TOKEN": "123:TEST", "WEBHOOK_SECRET": SECRET, "PSEUDONYM_KEY": "k",
           "BOT_API_BASE_URL": fake_api.base_url, "HOST": "127.0.0.1", "PORT": str(port),
           "DATA_DIR": str(tmp_path / "daten"), "KNOWLEDGE_DIR": str(knowledge_copy),
           "WEBHOOK_URL": "https://bot.example.test/telegram"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"{url}/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(f"{url}/telegram", json=message_update("Hundesteuer?", chat_id=31),
                                    headers=headers) as r:
                assert r.status == 200
            async with session.post(f"{url}/telegram", json=message_update("/start", chat_id=32),
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "falsch"}) as r:
                assert r.status == 403
            async with session.post(f"{url}/telegram", data=b"kein json", headers=headers) as r:
                assert r.status == 400
            async with session.post(f"{url}/telegram", json=message_update("EfA-Dienste förderfähig?", chat_id=33),
                                    headers=headers) as r:
                assert r.status == 200
            sent = await fake_api.wait_for("sendMessage", 2, timeout=20)
            by_chat = {int(c.params["chat_id"]): c.params["text"] for c in sent}
            assert "31.12.2024" in by_chat[31] and by_chat[33].startswith("<b>Nein, nicht förderfähig")
            assert 32 not in by_chat
            await fake_api.wait_for("setWebhook")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Telegram an" in output


async def test_logs_carry_no_question_text_and_no_raw_ids(running_bot, fake_api, caplog):
    with caplog.at_level(logging.DEBUG, logger="bot"):
        await running_bot.post_update(message_update("Geheime Frage zur Hundesteuer?", chat_id=24681357,
                                                     user_id=97531864))
        await fake_api.wait_for("sendMessage")
        await running_bot.idle()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "answered kind=answer" in logged
    assert "Geheime" not in logged and "24681357" not in logged and "97531864" not in logged


def test_split_never_cuts_an_html_entity():
    from bot.replies import split_message
    text = "&amp;" * 2000 + "\n\n" + "Ende"
    parts = split_message(text, limit=4096)
    assert all(len(p) <= 4096 for p in parts)
    assert all(p.count("&") == p.count("&amp;") for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_callback_data_fits_64_bytes():
    from bot.handlers.commands import fit_callback
    data = fit_callback("k:s:3:", "Ümläüte🙂" * 20)
    assert len(data.encode()) <= 64 and data.startswith("k:s:3:Ümläüte")


async def test_poll_deletes_a_set_webhook_and_says_so(tmp_path, fake_api, knowledge_copy):
    import os
    import subprocess
    import sys
    fake_api.webhook_url = "https://alt.example.test/telegram"
    env = {**os.environ, "BOT_TOKEN": "123:TEST", "PSEUDONYM_KEY": "k", "BOT_API_BASE_URL": fake_api.base_url,
           "DATA_DIR": str(tmp_path / "daten"), "KNOWLEDGE_DIR": str(knowledge_copy)}
    process = subprocess.Popen([sys.executable, "-m", "bot", "poll"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        await fake_api.wait_for("deleteWebhook", timeout=30)
        await fake_api.wait_for("getUpdates", timeout=30)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "wird für das Polling gelöscht" in output


async def test_katalog_topics_pages_and_details(running_bot, fake_api):
    await running_bot.post_update(message_update("/katalog", chat_id=55))
    (topics,) = await fake_api.wait_for("sendMessage")
    rows = topics.params["reply_markup"]["inline_keyboard"]
    steuern = next(r[0]["callback_data"] for r in rows if r[0]["text"] == "Steuern")
    await running_bot.post_update(callback_update(steuern, chat_id=55))
    (page,) = await fake_api.wait_for("editMessageText")
    assert "Themenfeld »Steuern«" in page.params["text"]
    detail = page.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert detail.startswith("k:d:")
    await running_bot.post_update(callback_update(detail, chat_id=55))
    sent = await fake_api.wait_for("sendMessage", 2)
    assert "<b>" in sent[1].params["text"] and "31.12.2024" in sent[1].params["text"]
    await running_bot.post_update(message_update("/katalog Parken", chat_id=56))
    sent = await fake_api.wait_for("sendMessage", 3)
    assert "Treffer zu »Parken«" in sent[2].params["text"]


async def test_leftover_update_under_another_key_is_given_up_not_fatal(bot_settings, fake_api):
    await leave_in_inbox(bot_settings, message_update("Wohngeld?", chat_id=124), key="alter-schluessel")
    bot = await start_bot(bot_settings)  # PSEUDONYM_KEY differs
    try:
        assert (await bot.app[STATE].store.inbox_counts()) == {"failed": 1}
    finally:
        await bot.stop()
