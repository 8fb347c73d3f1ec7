"""One list of settings (`Settings` with `DOCS` in bot/config.py): README's table, `serve --help` and
`.env.example` name the same variables, and `Settings.from_env` reads each of them (as sqlite-utils'
test_docs.py holds its CLI reference to the code)."""

import dataclasses
import re
from pathlib import Path

import pytest

from bot import cli
from bot.config import DOCS, Settings, env_example, variables

ROOT = Path(__file__).resolve().parents[1]
# values from_env accepts where "7" would not do (or would equal the default)
SAMPLES = {"WEBHOOK_URL": "https://bot.example.test/telegram", "SQLITE_SYNCHRONOUS": "FULL", "PORT": "8081",
           "ADMIN_IDS": "1,2", "SUPPORT_CHAT_ID": "-100123",
           "NOTICE_DAYS": "1-7", "NOTICE_HOURS": "7-20", "PRIVACY_CONTROLLER": "Stadt Beispielhausen",
           "PRIVACY_LEGAL_BASIS": "Art. 6 DSGVO", "PRIVACY_CONTACT": "datenschutz@example.test"}
NAMES = [v.name for v in variables()]


def readme_variables() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| Variable | Bedeutung | Standard |", 1)[1].split("\n\n", 1)[0]
    return {name for line in table.splitlines()[2:] for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}


def test_every_setting_has_its_help_text():
    names = {f.name for f in dataclasses.fields(Settings)}
    assert names - DOCS.keys() == set(), "add a Doc for each new field to DOCS in bot/config.py"
    assert DOCS.keys() - names == set(), "DOCS names a field Settings no longer has"


def test_readme_lists_every_variable():
    assert readme_variables() == set(NAMES)


def test_serve_help_lists_every_variable_with_its_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    out = capsys.readouterr().out
    for variable in variables():
        assert re.search(rf"^  {variable.name} +{re.escape(variable.help)}", out, re.M), variable.name


def test_env_example_is_generated_from_settings():
    assert (ROOT / ".env.example").read_text(encoding="utf-8") == env_example(), (
        "regenerate: python -m bot.config > .env.example")
    assert re.findall(r"^([A-Z][A-Z0-9_]+)=", env_example(), re.M) == NAMES


@pytest.mark.parametrize("variable", variables(), ids=NAMES)
def test_from_env_reads_each_variable(variable):
    raw = SAMPLES.get(variable.name, "7")
    assert getattr(Settings.from_env({variable.name: raw}), variable.field) != getattr(Settings(), variable.field)


def test_the_example_file_gives_the_defaults():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", env_example(), re.M))
    values.pop("WEBHOOK_URL")  # an example address, not a default
    assert Settings.from_env(values) == Settings()
