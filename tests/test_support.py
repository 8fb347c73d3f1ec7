"""The support team's side: admin commands, handover to the support chat, /vergessen, reports."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from bot.config import Settings
from harness import start_bot
from fake_telegram import BOT_USER, callback_update, message_update

ADMIN = 5001
SUPPORT_CHAT = -100999


@pytest.fixture
async def support_bot(bot_settings):
    settings = Settings(**{**bot_settings.__dict__, "admin_ids": frozenset({ADMIN}), "support_chat_id": SUPPORT_CHAT})
    bot = await start_bot(settings)
    yield bot
    await bot.stop()


def buttons(call):
    return {b["text"]: b.get("callback_data") or b.get("url") for row in call.params["reply_markup"]["inline_keyboard"]
            for b in row}


async def test_admins_get_a_chat_scoped_admin_menu(support_bot, fake_api):
    calls = await fake_api.wait_for("setMyCommands", 2)
    scoped = [c for c in calls if "scope" in c.params]
    assert len(scoped) == 1
    assert json.loads(scoped[0].params["scope"]) == {"type": "chat", "chat_id": ADMIN}
    assert {"reload", "stats", "offen"} <= {c["command"] for c in scoped[0].params["commands"]}
    public = next(c for c in calls if "scope" not in c.params)
    assert "reload" not in {c["command"] for c in public.params["commands"]}


@pytest.mark.parametrize("command", ["/reload", "/stats", "/offen"])
async def test_admin_commands_only_for_admins(support_bot, fake_api, command, caplog):
    await support_bot.post_update(message_update(command, chat_id=77))
    (refused,) = await fake_api.wait_for("sendMessage")
    assert "kenne ich nicht" in refused.params["text"]
    assert any("refused" in r.getMessage() for r in caplog.records)
    await support_bot.post_update(message_update(command, chat_id=ADMIN))
    sent = await fake_api.wait_for("sendMessage", 2)
    assert "kenne ich nicht" not in sent[1].params["text"]


async def test_stats_and_open_questions(support_bot, fake_api):
    for i, q in enumerate(["Wie wird das Wetter?", "Wie wird das Wetter morgen?", "Wohngeld?"]):
        await support_bot.post_update(message_update(q, chat_id=600 + i))
    await fake_api.wait_for("sendMessage", 3)
    await support_bot.idle()
    await support_bot.post_update(message_update("/stats", chat_id=ADMIN))
    await support_bot.post_update(message_update("/offen", chat_id=ADMIN))
    sent = await fake_api.wait_for("sendMessage", 5)
    stats, open_ = sent[3].params["text"], sent[4].params["text"]
    assert "Fragen: 3" in stats and "Wetter" in stats
    assert "2× Wie wird das Wetter" in open_


async def test_handover_to_support_and_reply_back(support_bot, fake_api):
    await support_bot.post_update(message_update("Gibt es Förderung für Photovoltaik?", chat_id=700))
    (answer,) = await fake_api.wait_for("sendMessage")
    handover = buttons(answer)["An das Support-Team weiterleiten"]
    await support_bot.post_update(callback_update(handover, chat_id=700))
    sent = await fake_api.wait_for("sendMessage", 3)
    forwarded = next(c for c in sent if int(c.params["chat_id"]) == SUPPORT_CHAT)
    text = forwarded.params["text"]
    # what the user saw (the rendered answer), not internal fields and ids
    assert "<blockquote>Gibt es Förderung für Photovoltaik?</blockquote>" in text
    assert answer.params["text"] in text
    assert not any(word in text for word in ("unknown", "fallback", "Treffer", "Wissensstand", "#"))
    assert any("weitergeleitet" in c.params["text"] for c in sent if int(c.params["chat_id"]) == 700)
    support_message_id = 1000 + [c.method for c in fake_api.calls if c.method in ("sendMessage",)].index(
        "sendMessage", 1)  # the fake numbers sent messages from 1000 on
    reply_to = {"message_id": support_message_id, "date": 0, "chat": {"id": SUPPORT_CHAT, "type": "supergroup",
                                                                      "title": "Support"},
                "from": BOT_USER, "text": "…"}
    await support_bot.post_update(message_update("Dafür gibt es keine Förderung aus diesem Programm.",
                                                 chat_id=SUPPORT_CHAT, user_id=9, chat_type="supergroup",
                                                 reply_to=reply_to))
    relayed = await fake_api.wait_for("sendMessage", 5)
    to_asker = [c for c in relayed if int(c.params["chat_id"]) == 700]
    relay = to_asker[-1].params["text"]
    assert relay.startswith("Ihre Frage:\n<blockquote>Gibt es Förderung für Photovoltaik?</blockquote>")  # quoted
    assert "<b>Antwort des Support-Teams:</b>\n\nDafür gibt es keine Förderung aus diesem Programm." in relay


async def test_thumbs_down_offers_handover(support_bot, fake_api):
    await support_bot.post_update(message_update("Wohngeld?", chat_id=701))
    (answer,) = await fake_api.wait_for("sendMessage")
    await support_bot.post_update(callback_update(buttons(answer)["👎 nicht hilfreich"], chat_id=701))
    (edit,) = await fake_api.wait_for("editMessageReplyMarkup")
    markup = json.loads(edit.params["reply_markup"]) if isinstance(edit.params["reply_markup"], str) \
        else edit.params["reply_markup"]
    assert markup["inline_keyboard"][0][0]["text"] == "An das Support-Team weiterleiten"


async def test_forget_deletes_everything_about_the_user(support_bot, fake_api, bot_settings):
    await support_bot.post_update(message_update("Wohngeld?", chat_id=702))
    await support_bot.post_update(message_update("Wohngeld?", chat_id=703))
    await fake_api.wait_for("sendMessage", 2)
    await support_bot.post_update(message_update("/vergessen", chat_id=702))
    sent = await fake_api.wait_for("sendMessage", 3)
    assert buttons(sent[2])["Ja, alles löschen"] == "v:ja"
    await support_bot.post_update(callback_update("v:ja", chat_id=702))
    (edit,) = await fake_api.wait_for("editMessageText")
    assert "1 Eintrag über Sie wurde gelöscht" in edit.params["text"]  # German number agreement
    await support_bot.idle()
    db = sqlite3.connect(bot_settings.data_dir / "bot.db")
    assert db.execute("SELECT count(*) FROM questions").fetchone() == (1,)  # only the other user's


def test_report_groups_unanswered_and_suggests_entries(tmp_path, knowledge_copy):
    import asyncio

    from bot.knowledge.assistant import Assistant
    from bot.knowledge.load import load_knowledge
    from bot.store import Store
    from datetime import date
    assistant = Assistant(load_knowledge(knowledge_copy))
    store = Store(tmp_path / "bot.db", "k")

    async def fill():
        for i, q in enumerate(["Wie wird das Wetter?", "wie wird das wetter heute", "Gibt es Förderung für "
                               "Photovoltaik?", "Wohngeld?", "Wohngeld?", "Wer koordiniert die Umsetzung?"]):
            answer = assistant.answer(q, date(2023, 5, 1))
            log_id = await store.log_question(chat=i, user=i, question=q, answer=answer, as_of="2023-05-01")
            if q == "Wohngeld?" and i == 3:
                await store.set_feedback(log_id, i, "down")
        await store.close()

    asyncio.run(fill())
    env = {**os.environ, "DATA_DIR": str(tmp_path), "KNOWLEDGE_DIR": str(knowledge_copy)}
    text = subprocess.run([sys.executable, "-m", "bot", "report", "--since", "7d"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert text.returncode == 0, text.stderr
    assert "6 Fragen" in text.stdout and "2× »Wie wird das Wetter?«" in text.stdout
    assert "Photovoltaik" in text.stdout and "nächster Eintrag:" in text.stdout
    assert "Antworten mit 👎:\n  »Wohngeld?«" in text.stdout
    assert "2× »Wohngeld?«" in text.stdout
    csv_out = subprocess.run([sys.executable, "-m", "bot", "report", "--csv"], env=env, capture_output=True,
                             text=True, timeout=60)
    assert csv_out.stdout.splitlines()[0] == "abschnitt;anzahl;beispiel;vorschlag"
    assert any(line.startswith("unbeantwortet;2;") for line in csv_out.stdout.splitlines())
    bad = subprocess.run([sys.executable, "-m", "bot", "report", "--since", "gestern"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "Zeitraum" in bad.stderr
