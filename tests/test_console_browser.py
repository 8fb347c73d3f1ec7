"""The test console in a real headless browser (Debian's chromium, driven by Playwright)."""

import os
import shutil

import pytest
from playwright.async_api import async_playwright

from bot.config import Settings
from harness import start_bot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# CI sets REQUIRE_BROWSER=1 (and installs chromium): there a missing browser is a failure, not a skip.
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
HAVE_BROWSER = os.path.exists(CHROMIUM)
if not HAVE_BROWSER and REQUIRE_BROWSER:
    raise RuntimeError(f"REQUIRE_BROWSER=1, but there is no chromium at {CHROMIUM}")
pytestmark = pytest.mark.skipif(
    not HAVE_BROWSER, reason="no chromium: install it with `sudo apt-get install chromium` to run the browser test")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
async def console_bot(tmp_path, knowledge_copy):
    from harness import free_port
    settings = Settings(port=free_port(), data_dir=tmp_path / "daten", knowledge_dir=knowledge_copy,
                        console_token="konsole-geheim")
    bot = await start_bot(settings)
    yield bot
    await bot.stop()


@pytest.fixture
async def page():
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = await browser.new_page()
        yield page
        await browser.close()


async def test_console_shows_the_answer_as_telegram_would(console_bot, page):
    await page.goto(f"{console_bot.url}/konsole")
    await page.fill("#token", "konsole-geheim")
    await page.fill("#asof", "2023-05-01")
    await page.fill("#question", "Ist der Hundesteuer-Assistent förderfähig, und bis wann?")
    await page.click("#send")
    await page.wait_for_selector("#result:not([hidden])", timeout=10_000)
    telegram = await page.text_content("#telegram")
    assert telegram.startswith("Ja, unter Vorbehalt förderfähig bis 31.12.2024 (voraussichtlich): Online-Antragsassistent »Hundesteuer")
    assert "31.12.2024" in telegram
    assert await page.inner_html("#telegram") != telegram  # the headline is bold, as in Telegram
    assert "förderfähig unter Vorbehalt" in await page.text_content("#verdict")
    assert await page.text_content("#deadline") == "31.12.2024"
    assert "Haushaltsbeschlusses" in await page.text_content("#reasons")
    assert "17.10.2022" in await page.text_content("#sources")
    assert "hundesteuer" in await page.text_content("#matches")
    assert len(await page.text_content("#version")) == 12
    assert await page.text_content("#route") == "service_named"
    assert "hundesteuer" in await page.text_content("#trace")
    more = page.locator("#telegram details.more")
    assert not await more.get_attribute("open")  # the details start collapsed, as in Telegram
    await more.locator("summary").click()
    assert "Förderzeiträume" in await more.text_content()


async def ask(page, bot, token: str, question: str) -> None:
    await page.goto(f"{bot.url}/konsole")
    await page.fill("#token", token)
    await page.fill("#question", question)
    await page.click("#send")


async def test_console_refuses_a_wrong_token(console_bot, page):
    await ask(page, console_bot, "falsch", "Wohngeld?")
    await page.wait_for_function("document.getElementById('error').textContent.length > 0", timeout=10_000)
    assert "Zugang verweigert" in await page.text_content("#error")
    assert await page.is_hidden("#result")


async def test_question_with_html_is_shown_as_text(console_bot, page):
    await ask(page, console_bot, "konsole-geheim", "<img src=x onerror=alert(1)> Wohngeld?")
    await page.wait_for_selector("#result:not([hidden])", timeout=10_000)
    assert await page.query_selector("#telegram img") is None
