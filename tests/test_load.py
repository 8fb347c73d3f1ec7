"""Knowledge files: every mistake the support team can make gets a German, positioned error."""

from datetime import date

import pytest

from bot.knowledge.assistant import Assistant
from bot.knowledge.load import inspect_knowledge, load_knowledge
from bot.knowledge.model import Verdict
from bot.knowledge.problems import KnowledgeError


def errors(directory):
    knowledge, problems = inspect_knowledge(directory)
    found = [p for p in problems if p.is_error]
    assert knowledge is None and found
    return found


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_knowledge_loads_cleanly(knowledge_copy):
    knowledge, problems = inspect_knowledge(knowledge_copy)
    assert knowledge is not None and not [p for p in problems if p.is_error]
    assert len(knowledge.entries) >= 25 and len(knowledge.services) == 50


def test_yaml_syntax_error_has_line_and_column(knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    lines = faq.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    lines[target] = lines[target] + ' "unclosed'
    faq.write_text("\n".join(lines), encoding="utf-8")
    (problem,) = errors(knowledge_copy)
    assert problem.file.endswith("faq.yaml") and problem.line >= target + 1
    assert "YAML-Syntaxfehler" in problem.message


def test_duplicate_key_in_a_mapping_is_an_error(knowledge_copy):
    replace(knowledge_copy / "faq.yaml", "  - id: ozg\n", "  - id: ozg\n    id: ozg2\n")
    (problem,) = errors(knowledge_copy)
    assert "doppelt" in problem.message and problem.line > 0


def test_duplicate_entry_id(knowledge_copy):
    replace(knowledge_copy / "faq.yaml", "  - id: sakd-koordination\n", "  - id: ozg\n")
    problems = errors(knowledge_copy)
    assert any("»ozg« ist doppelt vergeben" in p.message for p in problems)


def test_entry_without_answer(knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("  - id: ozg\n")
    answer = text.index("    answer: |", start)
    end = text.index("    tags:", answer)
    faq.write_text(text[:answer] + text[end:], encoding="utf-8")
    problems = errors(knowledge_copy)
    assert any("Eintrag »ozg«" in p.message and "answer" in p.message for p in problems)
    line = text[:start].count("\n") + 1
    assert any(p.line == line for p in problems)


def test_unknown_tag_and_programme(knowledge_copy):
    replace(knowledge_copy / "faq.yaml", "tags: [grundlagen]", "tags: [grundlagenn]")
    problems = errors(knowledge_copy)
    assert any("unbekannter Tag »grundlagenn«" in p.message for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("end: 2024-12-31", "end: 2024-13-31", "kein gültiges Datum"),
        ("end: 2024-12-31", "end: 31.13.2024", "kein gültiges Datum"),
        ("end: 2024-12-31", "end: 2022-12-01", "liegt vor dem Beginn"),
        ("        condition: vorbehaltlich des Haushaltsbeschlusses durch den Sächsischen Landtag\n", "",
         "braucht »condition«"),
        ("types: [gemeinde, stadt, landkreis]", "types: [gemeinde, stadt, landkreiss]", "landkreiss"),
        ("source: pm-2022-10-17\n    # \"voraussichtlich", "source: pm-2099\n    # \"voraussichtlich",
         "unbekannte Quelle"),
    ],
)
def test_rule_errors_carry_line_numbers(knowledge_copy, old, new, message):
    replace(knowledge_copy / "regeln.yaml", old, new)
    problems = errors(knowledge_copy)
    assert any(message in p.message for p in problems), [str(p) for p in problems]
    assert all(p.line > 0 for p in problems)
    assert all(p.file.endswith("regeln.yaml") for p in problems)


def test_load_raises_with_all_problems(knowledge_copy):
    replace(knowledge_copy / "regeln.yaml", "end: 2024-12-31", "end: 2024-13-31")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(knowledge_copy)
    assert "regeln.yaml" in str(info.value)


def test_second_programme_by_yaml_alone(knowledge_copy):
    (knowledge_copy / "regeln-landkreise.yaml").write_text(
        """
programmes:
  - id: landkreis-bonus
    title: Bonusprogramm Landkreise
    source: pm-2022-10-17
    periods:
      - {start: 2025-01-01, end: 2025-12-31, status: confirmed}
    applicants:
      types: [landkreis]
      regions: [sachsen]
    costs: [support]
    service_types: [kisa]
""",
        encoding="utf-8",
    )
    assistant = Assistant(load_knowledge(knowledge_copy))
    answer = assistant.answer("Ist der Wohngeld-Assistent förderfähig?", date(2025, 6, 1))
    assert {j.programme for j in answer.judgements} == {"landkreis-bonus", "sachsen-anschub"}
    assert answer.verdict is Verdict.ELIGIBLE  # first programme in file order among equals: the bonus
    assert "Bonusprogramm Landkreise" in answer.text


def test_synonyms_must_be_groups(knowledge_copy):
    replace(knowledge_copy / "faq.yaml", "  - [ozg, onlinezugangsgesetz]", "  - ozg")
    problems = errors(knowledge_copy)
    assert any("synonyms" in p.message for p in problems)


def test_kb_check_warns_about_near_duplicates_and_passed_deadlines(knowledge_copy):
    from datetime import date

    from bot.knowledge.checks import warnings
    replace(knowledge_copy / "faq.yaml", '      - "Was ist das OZG?"', '      - "Was ist das OZG?"\n      - "Wer koordiniert das eigentlich bei der Kommune?"')
    replace(knowledge_copy / "faq.yaml", "    answer: |\n      Das Onlinezugangsgesetz",
            "    answer: |\n      Die Förderung läuft bis 31.12.2024.\n      Das Onlinezugangsgesetz")
    knowledge, problems = inspect_knowledge(knowledge_copy)
    found = warnings(knowledge, "faq.yaml", "katalog.csv", date(2026, 11, 26))
    texts = [p.message for p in found]
    assert any("Fast gleiche Formulierungen" in t and "(ozg)" in t for t in texts)
    assert any("»ozg« nennt die Frist 31.12.2024" in t for t in texts)
    assert all(p.severity == "warning" and p.line > 0 for p in found if "ozg" in p.message)


def test_key_indented_into_an_answer_is_an_error(knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("  - id: kontakt")
    tags = text.index("    tags: [kontakt]", start)
    faq.write_text(text[:tags] + "      tags: [kontakt]" + text[tags + len("    tags: [kontakt]"):], encoding="utf-8")
    problems = errors(knowledge_copy)
    assert any("»tags: [kontakt]«" in p.message and "eingerückt" in p.message for p in problems)


def test_yaml_syntax_errors_are_explained_in_german(knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace('  - [ozg, onlinezugangsgesetz]', '  - [ozg, onlinezugangsgesetz', 1),
                   encoding="utf-8")
    (problem,) = errors(knowledge_copy)
    assert "nicht richtig geschlossen" in problem.message and problem.line > 0


def test_extra_keywords_reach_the_catalogue_and_unknown_ids_are_warnings(knowledge_copy):
    (knowledge_copy / "stichworte.yaml").write_text(
        "stichworte:\n  hundesteuer: [vierbeiner steuer]\n  gibt-es-nicht: [irgendwas]\n", encoding="utf-8")
    knowledge, problems = inspect_knowledge(knowledge_copy)
    assert "vierbeiner steuer" in knowledge.service("hundesteuer").keywords
    (warning,) = [p for p in problems if "gibt-es-nicht" in p.message]
    assert warning.severity == "warning" and warning.line == 3
    answer = Assistant(knowledge).answer("Vierbeiner-Steuer online – gefördert?", date(2022, 9, 1))
    assert answer.service == "hundesteuer"


def test_extra_keywords_must_be_a_list(knowledge_copy):
    (knowledge_copy / "stichworte.yaml").write_text("stichworte:\n  hundesteuer: vierbeiner\n", encoding="utf-8")
    (problem,) = errors(knowledge_copy)
    assert problem.file.endswith("stichworte.yaml") and problem.line == 2 and "Liste" in problem.message


def test_a_short_answer_too_long_is_an_error_with_its_line(knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    replace(faq, '    short: "Das Onlinezugangsgesetz', '    short: "' + "sehr lang " * 30 + 'Das Onlinezugangsgesetz')
    (problem,) = errors(knowledge_copy)
    assert "short" in problem.message and "höchstens 250" in problem.message and problem.line > 0


def test_an_unreadable_file_is_a_problem_not_an_exception(knowledge_copy):
    faq = knowledge_copy / "faq.yaml"
    faq.unlink()
    faq.mkdir()  # a directory in its place: unreadable even for root
    (problem,) = errors(knowledge_copy)
    assert problem.file.endswith("faq.yaml") and "kann nicht gelesen werden" in problem.message


def test_an_entry_on_which_the_source_is_silent_answers_unknown(knowledge_copy):
    """`silent: true`: the entry says the source does not tell – its answer carries the verdict "unbekannt"; it
    cannot also carry the programme's verdict."""
    assistant = Assistant(load_knowledge(knowledge_copy))
    answer = assistant.answer("Wie hoch ist das Gesamtbudget der Förderung in Euro?", date(2023, 2, 10))
    assert (answer.faq, answer.verdict) == ("foerdervolumen", Verdict.UNKNOWN)
    assert answer.headline.startswith("Unklar")
    faq = knowledge_copy / "faq.yaml"
    replace(faq, "    silent: true\n", "    silent: true\n    verdict: true\n")
    (problem,) = errors(knowledge_copy)
    assert "silent" in problem.message and problem.line > 0
