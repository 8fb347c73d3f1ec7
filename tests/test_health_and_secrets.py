"""No secret in the open, and a /healthz that tells the truth."""

import asyncio
import dataclasses
import logging
import shutil

import pytest

from harness import start_bot
from fake_telegram import message_update

SECRETS = {"bot_token": "123456:AAE-geheimes_Token", "webhook_secret": "webhook-Geheimnis_42",
           "pseudonym_key": "pseudonym-schluessel-xyz", "console_token": "konsole-token-abc",
           "admin_token": "admin-token-def"}


@pytest.fixture
def secret_settings(bot_settings):
    return dataclasses.replace(bot_settings, **SECRETS)


def leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


async def wait_health(bot, condition, timeout=15.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status, body = await bot.health()
        if condition(body):
            return status, body
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(body)
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("status, text", [(401, None), (404, "<html><body>404 Not Found</body></html>")])
async def test_refused_token_never_appears_in_health_or_logs(secret_settings, fake_api, caplog, status, text):
    """python-telegram-bot puts the token into a rejected-token error; a proxy's 404 looks like one."""
    fake_api.inject("status", status=status, description="Unauthorized", text=text)
    with caplog.at_level(logging.DEBUG):
        bot = await start_bot(secret_settings, wait=False)
        try:
            code, body = await wait_health(bot, lambda b: b["error"])
        finally:
            await bot.stop()
    assert code == 200 and body["status"] == "starting" and body["telegram_ok"] is False
    assert "geheim" in body["error"] or "Token" in body["error"] or "InvalidToken" in body["error"]
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "start-up failed" in logged
    assert leaks(str(body)) == [] and leaks(logged) == []


async def test_delivery_errors_are_scrubbed_in_health_and_logs(secret_settings, fake_api, caplog):
    """A proxy answering with the request URL (which holds the token) in its error text."""
    bot = await start_bot(dataclasses.replace(secret_settings, delivery_backoff_base=0.02, delivery_backoff_max=0.05))
    try:
        fake_api.inject("status", methods={"sendMessage"}, status=502,
                        description=f"Bad Gateway for /bot{SECRETS['bot_token']}/sendMessage "
                                    f"secret={SECRETS['webhook_secret']}")
        with caplog.at_level(logging.DEBUG):
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRETS["webhook_secret"]}
            async with bot.session.post(f"{bot.url}/telegram", json=message_update("Wohngeld?", chat_id=4000),
                                        headers=headers) as response:
                assert response.status == 200
            _, body = await wait_health(bot, lambda b: b["delivery_last_error"])
        assert "Bad Gateway" in body["delivery_last_error"] and body["telegram_ok"] is False
        assert leaks(str(body)) == [] and leaks(caplog.text) == []
        fake_api.clear()
        await fake_api.wait_for("sendMessage")
    finally:
        await bot.stop()


async def test_every_secret_is_scrubbed_from_log_lines_and_tracebacks(secret_settings, fake_api, caplog):
    bot = await start_bot(secret_settings)
    try:
        log = logging.getLogger("bot.test")
        with caplog.at_level(logging.DEBUG):
            for value in SECRETS.values():
                log.error("value %s in a message", value)
                try:
                    raise RuntimeError(f"failed with {value}")
                except RuntimeError:
                    log.exception("an exception")
        assert leaks(caplog.text) == [] and leaks("\n".join(r.getMessage() for r in caplog.records)) == []
        assert caplog.text.count("[geheim]") >= 2 * len(SECRETS)
    finally:
        await bot.stop()


async def test_unreadable_knowledge_file_shows_in_health_and_is_logged_once(bot_settings, fake_api, caplog,
                                                                            monkeypatch):
    import bot.app
    monkeypatch.setattr(bot.app, "WATCH_EVERY", 0.05)
    settings = dataclasses.replace(bot_settings, admin_token="admin-token-def")
    running = await start_bot(settings)
    faq = settings.knowledge_dir / "faq.yaml"
    kept = faq.read_bytes()
    try:
        with caplog.at_level(logging.INFO):
            faq.unlink()
            faq.mkdir()  # unreadable as a file (works as root, unlike removing read permission)
            _, body = await wait_health(running, lambda b: b["knowledge_last_error"])
            assert "kann nicht gelesen werden" in body["knowledge_last_error"] and body["status"] == "ok"
            await asyncio.sleep(0.5)  # ten rounds of the watcher
            async with running.session.post(f"{running.url}/admin/reload",
                                            headers={"Authorization": "Bearer admin-token-def"}) as response:
                assert response.status == 409
                answer = await response.json()
            assert answer["ok"] is False and "kann nicht gelesen werden" in answer["message"]
            await running.post_update(message_update("Wohngeld?", chat_id=4100))
            (sent,) = await fake_api.wait_for("sendMessage")  # the bot answers with what it has
            assert "Wohngeld" in sent.params["text"]
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.app"]
        assert len(errors) == 1 and not errors[0].exc_info
        faq.rmdir()
        faq.write_bytes(kept)
        await wait_health(running, lambda b: b["knowledge_last_error"] is None)
    finally:
        if faq.is_dir():
            shutil.rmtree(faq)
            faq.write_bytes(kept)
        await running.stop()
