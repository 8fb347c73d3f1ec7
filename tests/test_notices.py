"""Later sources beside the 2022 one: dated notices shown with their source, never changing a verdict."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.knowledge.load import inspect_knowledge
from bot.knowledge.checks import warnings
from bot.knowledge.model import Verdict

ROOT = Path(__file__).resolve().parents[1]


def test_notices_dated_on_or_before_the_day_are_shown_newest_first_and_change_no_verdict(assistant):
    now = assistant.answer("Ist der Hundesteuer-Assistent förderfähig?", date(2026, 12, 2))
    assert now.verdict is Verdict.EXPIRED
    assert [n.date.isoformat() for n in now.notices] == ["2024-10-17", "2022-12-31"]
    assert "Spätere Hinweise" in now.details and "Stand: 17.10.2024" in now.details
    assert "Stand: Dezember 2022" in now.details and "Spätere Hinweise" not in now.summary
    mid = assistant.answer("Ist der Hundesteuer-Assistent förderfähig?", date(2023, 6, 1))
    assert mid.verdict is Verdict.CONDITIONAL  # the budget notice does not lift the condition
    assert [n.date.year for n in mid.notices] == [2022]
    assert assistant.answer("Ist der Hundesteuer-Assistent förderfähig?", date(2022, 11, 1)).notices == ()


def test_kb_check_warns_when_a_notice_is_newer_than_the_rules_check(knowledge_copy):
    rules = knowledge_copy / "regeln.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("rules_checked: 2026-12-02", "rules_checked: 2023-01-01"),
                     encoding="utf-8")
    knowledge, _ = inspect_knowledge(knowledge_copy)
    found = [w.message for w in warnings(knowledge, str(knowledge_copy / "faq.yaml"), "katalog.csv", date(2026, 12, 2))]
    assert any("17.10.2024 ist neuer als die letzte Prüfung" in m for m in found)
    assert not any("Dezember 2022 ist neuer" in m for m in found)


def test_ask_json_carries_the_notices(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "Läuft die Förderung noch?"],
                            capture_output=True, text=True, cwd=ROOT, env={"DATA_DIR": str(tmp_path), "PATH": ""})
    data = json.loads(result.stdout)
    assert data["notices"][0]["date"] == "2024-10-17" and data["notices"][0]["source"]["address"] == "egovernment.de"
