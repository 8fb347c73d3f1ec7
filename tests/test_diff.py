"""Verdict changes between knowledge versions, today and at period boundaries (for kb diff and notices)."""

from datetime import date

from bot.knowledge.diff import diff_knowledge
from bot.knowledge.load import inspect_knowledge
from bot.knowledge.model import Verdict


def load(directory):
    knowledge, problems = inspect_knowledge(directory)
    assert knowledge is not None, problems
    return knowledge


def test_a_confirmed_condition_changes_2023_not_today(knowledge_copy):
    old = load(knowledge_copy)
    rules = knowledge_copy / "regeln.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("        status: conditional\n        condition: vorbehaltlich des Haushaltsbeschlusses durch den "
                        "Sächsischen Landtag\n", "        status: confirmed\n")
    rules.write_text(text, encoding="utf-8")
    new = load(knowledge_copy)
    changes = diff_knowledge(old, new, date(2026, 12, 2)).verdict_changes
    programme = next(c for c in changes if c.key == "programme:sachsen-anschub")
    assert programme.day == date(2023, 1, 1)
    assert programme.old_verdict is Verdict.CONDITIONAL and programme.new_verdict is Verdict.ELIGIBLE
    assert any(c.key == "service:hundesteuer" for c in changes)


def test_an_extended_period_changes_today(knowledge_copy):
    old = load(knowledge_copy)
    rules = knowledge_copy / "regeln.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("        end: 2024-12-31", "        end: 2027-12-31"),
                     encoding="utf-8")
    changes = diff_knowledge(old, load(knowledge_copy), date(2026, 12, 2)).verdict_changes
    programme = next(c for c in changes if c.key == "programme:sachsen-anschub")
    assert programme.day == date(2026, 12, 2) and programme.new_verdict is Verdict.CONDITIONAL
    assert programme.new_deadline == date(2027, 12, 31)


def test_a_change_of_wording_changes_no_verdict(knowledge_copy):
    old = load(knowledge_copy)
    faq = knowledge_copy / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace("verpflichtet Bund und Länder", "verpflichtet Bund und "
                                                            "die Länder"), encoding="utf-8")
    result = diff_knowledge(old, load(knowledge_copy), date(2026, 12, 2))
    assert result.answers_changed and not result.verdict_changes


def test_change_notice_names_old_new_and_source(knowledge_copy):
    from bot.knowledge.compose import change_notice
    old = load(knowledge_copy)
    rules = knowledge_copy / "regeln.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("        end: 2024-12-31", "        end: 2027-12-31"),
                     encoding="utf-8")
    new = load(knowledge_copy)
    change = next(c for c in diff_knowledge(old, new, date(2026, 12, 2)).verdict_changes if c.service == "hundesteuer")
    text = change_notice(change, old, new)
    assert text.startswith("Geändert: »Hundesteuer") and "Bisher: Förderung abgelaufen" in text
    assert "Jetzt: Förderfähig unter Vorbehalt (Frist 31.12.2027)" in text and "Quelle:" in text
    assert len(text) < 500


def test_an_extension_is_no_change_for_an_excluded_service(knowledge_copy):
    old = load(knowledge_copy)
    rules = knowledge_copy / "regeln.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("        end: 2024-12-31", "        end: 2027-12-31"),
                     encoding="utf-8")
    changes = diff_knowledge(old, load(knowledge_copy), date(2026, 12, 2)).verdict_changes
    keys = {c.key for c in changes}
    assert "service:hundesteuer" in keys and "service:ekol-kfz-zulassung" not in keys
