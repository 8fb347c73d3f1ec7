"""Live reload: built and validated completely, swapped in one step; bad edits keep the old knowledge."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from datetime import date

import pytest

from bot.config import Settings
from bot.knowledge_source import KnowledgeSource
from harness import start_bot

DAY = date(2023, 5, 1)
MARKER = "Die Umsetzung des Onlinezugangsgesetzes wird im kommunalen Bereich"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def source(tmp_path, knowledge_copy):
    src = KnowledgeSource(Settings(data_dir=tmp_path / "daten", knowledge_dir=knowledge_copy))
    src.load()
    return src


def test_answers_always_match_the_knowledge_that_produced_them(source, knowledge_copy):
    """200 questions while reloading 20 times: each answer's version fits its text."""
    faq = knowledge_copy / "faq.yaml"
    original = faq.read_text(encoding="utf-8")
    texts = {source.current.knowledge.version: MARKER}

    def reloader():
        for i in range(20):
            marker = f"Version {i}: {MARKER}"
            faq.write_text(original.replace(MARKER, marker, 1), encoding="utf-8")
            result = source.reload()
            assert result.ok and result.changed, result.message()
            texts[result.version] = marker

    thread = threading.Thread(target=reloader)
    thread.start()
    seen = []
    while thread.is_alive() or len(seen) < 200:  # spread the questions over the whole reload period
        seen.append(source.current.answer("Wer koordiniert die Umsetzung im kommunalen Bereich?", DAY))
        time.sleep(0.002)
    thread.join()
    assert len(texts) == 21 and len({a.knowledge_version for a in seen}) > 1
    for answer in seen:
        marker = texts[answer.knowledge_version]
        assert marker in answer.text
        assert ("Version" in marker) == ("Version" in answer.text)


def test_broken_yaml_keeps_old_knowledge_and_says_why(source, knowledge_copy):
    before = source.current.knowledge.version
    edit(knowledge_copy / "faq.yaml", "  - id: ozg\n", "  - id: ozg\n    id: doppelt\n")
    result = source.reload()
    assert not result.ok and result.version == before
    assert "faq.yaml:" in result.message() and "doppelt" in result.message()
    assert source.current.knowledge.version == before
    assert source.current.answer("Was ist das OZG?", DAY).kind.value == "answer"
    assert source.last_error


def test_dropping_many_entries_is_refused_unless_forced(source, knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    cut = text.index("  - id: kisa-rolle")
    faq.write_text(text[:cut], encoding="utf-8")
    before = source.current.knowledge.version
    result = source.reload()
    assert not result.ok and "--force" in result.refused and source.current.knowledge.version == before
    forced = source.reload(force=True)
    assert forced.ok and forced.changed and len(source.current.knowledge.entries) < 10


def test_unchanged_files_are_no_reload(source):
    result = source.reload()
    assert result.ok and not result.changed


@pytest.fixture
def admin_settings(bot_settings):
    return Settings(**{**bot_settings.__dict__, "admin_token": "admin-geheim", "console_token": "konsole-geheim"})


async def test_running_server_picks_up_edits_and_survives_bad_ones(admin_settings, fake_api):
    bot = await start_bot(admin_settings)
    headers = {"Authorization": "Bearer konsole-geheim"}
    ask = {"question": "Wer koordiniert die Umsetzung?", "as_of": "2023-05-01"}

    async def answer():
        async with bot.session.post(f"{bot.url}/api/ask", json=ask, headers=headers) as r:
            return await r.json()

    try:
        faq = admin_settings.knowledge_dir / "faq.yaml"
        edit(faq, MARKER, "NEU: " + MARKER)
        for _ in range(100):  # the watcher looks every 2 s
            if "NEU:" in (await answer())["answer"]:
                break
            await asyncio.sleep(0.1)
        good = await answer()
        assert "NEU:" in good["answer"]
        status, health = await bot.health()
        assert health["knowledge_version"] == good["knowledge_version"]

        edit(faq, "  - id: ozg\n", "  - id: ozg\n   kaputt: [\n")
        await asyncio.sleep(2.5)
        still = await answer()
        assert still["knowledge_version"] == good["knowledge_version"] and "NEU:" in still["answer"]
        status, health = await bot.health()
        assert status == 200 and "faq.yaml:" in health["knowledge_last_error"]
    finally:
        await bot.stop()


async def test_admin_reload_endpoint_and_cli(admin_settings, fake_api, tmp_path):
    bot = await start_bot(admin_settings)
    try:
        async with bot.session.post(f"{bot.url}/admin/reload") as r:
            assert r.status == 401
        async with bot.session.post(f"{bot.url}/admin/reload", headers={"Authorization": "Bearer falsch"}) as r:
            assert r.status == 401
        async with bot.session.post(f"{bot.url}/admin/reload", headers={"Authorization": "Bearer admin-geheim"}) as r:
            body = await r.json()
            assert r.status == 200 and body["ok"] and not body["changed"]
        edit(admin_settings.knowledge_dir / "faq.yaml", MARKER, "CLI: " + MARKER)
        env = {**os.environ, "ADMIN_TOKEN": "admin-geheim", "DATA_DIR": str(admin_settings.data_dir),
               "KNOWLEDGE_DIR": str(admin_settings.knowledge_dir)}
        result = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot", "kb", "reload", "--url", bot.url],
                                         env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Neu geladen" in result.stdout or "schon geladen" in result.stdout  # the watcher may be first
        wrong = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot", "kb", "reload", "--url", bot.url],
                                        env={**env, "ADMIN_TOKEN": "falsch"}, capture_output=True, text=True, timeout=60)
        assert wrong.returncode == 1 and "Zugang verweigert" in wrong.stdout + wrong.stderr or "401" in wrong.stdout
    finally:
        await bot.stop()


async def test_admin_and_console_are_off_without_tokens(running_bot):
    async with running_bot.session.post(f"{running_bot.url}/admin/reload",
                                        headers={"Authorization": "Bearer x"}) as r:
        assert r.status == 404
    async with running_bot.session.post(f"{running_bot.url}/api/ask", json={"question": "x"},
                                        headers={"Authorization": "Bearer x"}) as r:
        assert r.status == 404
    async with running_bot.session.get(f"{running_bot.url}/konsole") as r:
        assert r.status == 404


async def test_api_ask_returns_the_ask_json(admin_settings, fake_api):
    bot = await start_bot(admin_settings)
    try:
        async with bot.session.post(f"{bot.url}/api/ask", json={"question": "Hundesteuer förderfähig?",
                                                                "as_of": "2023-05-01"},
                                    headers={"Authorization": "Bearer konsole-geheim"}) as r:
            data = await r.json()
        assert data["verdict"] == "conditional" and data["service"] == "hundesteuer"
        assert {"kind", "verdict", "deadline", "programme", "reasons", "answer", "service", "matches", "sources",
                "knowledge_version"} <= data.keys()
        assert data["telegram_html"].startswith("<b>")
        async with bot.session.post(f"{bot.url}/api/ask", data=b"{kaputt",
                                    headers={"Authorization": "Bearer konsole-geheim"}) as r:
            assert r.status == 400
    finally:
        await bot.stop()


def test_kb_diff_shows_answers_and_verdicts_that_change(tmp_path, knowledge_copy):
    data = tmp_path / "daten"
    KnowledgeSource(Settings(data_dir=data, knowledge_dir=knowledge_copy)).load()  # what "the server" runs
    edit(knowledge_copy / "faq.yaml", MARKER, "Geändert: " + MARKER)
    edit(knowledge_copy / "regeln.yaml", "end: 2024-12-31", "end: 2026-12-31")
    env = {**os.environ, "DATA_DIR": str(data), "KNOWLEDGE_DIR": str(knowledge_copy)}
    result = subprocess.run([sys.executable, "-m", "bot", "kb", "diff"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Antworten geändert: sakd-koordination" in result.stdout
    assert "Programme geändert: sachsen-anschub" in result.stdout
    assert "Hundesteuer" in result.stdout and "Förderung abgelaufen (Frist 31.12.2024) → " \
        "Förderfähig unter Vorbehalt (Frist 31.12.2026)" in result.stdout


async def test_start_with_broken_knowledge_reports_and_recovers(bot_settings, fake_api):
    from aiohttp import web

    from bot.app import create_web_app
    from harness import RunningBot
    faq = bot_settings.knowledge_dir / "faq.yaml"
    good = faq.read_text(encoding="utf-8")
    faq.write_text(good.replace("  - id: ozg\n", "  - id: ozg\n    id: doppelt\n", 1), encoding="utf-8")
    app = create_web_app(bot_settings, boot_retry=0.2)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, bot_settings.host, bot_settings.port).start()
    bot = RunningBot(bot_settings, app, runner)
    try:
        for _ in range(100):  # the first start-up attempt reports its error once the knowledge was read
            status, body = await bot.health()
            if body.get("error"):
                break
            await asyncio.sleep(0.1)
        assert status == 503 and body["status"] == "starting"
        assert "faq.yaml:" in body["error"] and "doppelt" in body["error"]
        faq.write_text(good, encoding="utf-8")
        await bot.wait_ready(timeout=10)
        status, body = await bot.health()
        assert status == 200 and body["error"] is None and body["telegram_running"]
    finally:
        await bot.stop()
