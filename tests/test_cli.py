"""The command line contract: `ask`, `--json`, stdin mode, `eval`, `kb` — run as a user would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JSON_FIELDS = {"kind", "verdict", "deadline", "programme", "reasons", "answer", "service", "matches", "sources",
               "knowledge_version"}


def run(*args, stdin=None, env_extra=None, tmp_path=None):
    env = {**os.environ, "DATA_DIR": str(tmp_path / "daten"), **(env_extra or {})}
    env.pop("KNOWLEDGE_DIR", None) if not env_extra or "KNOWLEDGE_DIR" not in env_extra else None
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


def test_ask_prints_the_answer_as_users_read_it(tmp_path):
    result = run("ask", "--as-of", "2026-11-26", "Ist der Hundesteuer-Assistent förderfähig, und bis wann?",
                 tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nein – die Förderung endete voraussichtlich am 31.12.2024")
    assert "vom 17.10.2022" in result.stdout and "Stand: 17.10.2022" in result.stdout


def test_ask_json_contract(tmp_path):
    result = run("ask", "--json", "--as-of", "2023-05-01", "Hundesteuer-Assistent förderfähig?", tmp_path=tmp_path)
    data = json.loads(result.stdout)
    assert JSON_FIELDS <= data.keys()
    assert data["kind"] == "answer" and data["verdict"] == "conditional"
    assert data["deadline"] == "2024-12-31" and data["programme"] == "sachsen-anschub"
    assert data["service"] == "hundesteuer"
    assert data["sources"] == [{"title": data["sources"][0]["title"], "date": "2022-10-17"}]
    assert all(0 <= m["score"] <= 100 and m["id"] and m["title"] for m in data["matches"])
    assert data["reasons"] and all(isinstance(r, str) for r in data["reasons"])


def test_stdin_mode_answers_each_line_with_one_json_line(tmp_path):
    questions = "Hallo\nWohngeld?\nWie wird das Wetter?\n\n"
    result = run("ask", "--json", "--as-of", "2022-08-01", stdin=questions, tmp_path=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds == ["smalltalk", "answer", "fallback", "fallback"]


def test_stdin_mode_plain_writes_one_line_per_question(tmp_path):
    result = run("ask", "--as-of", "2022-08-01", stdin="Wohngeld?\nHallo\n", tmp_path=tmp_path)
    assert len(result.stdout.splitlines()) == 2


def test_as_of_defaults_to_today_in_berlin(tmp_path):
    from bot.knowledge.dates import today_in_berlin
    data = json.loads(run("ask", "--json", "Wohngeld?", tmp_path=tmp_path).stdout)
    assert data["as_of"] == today_in_berlin().isoformat()


def test_bad_date_is_a_german_error(tmp_path):
    result = run("ask", "--as-of", "31.12.2024", "Wohngeld?", tmp_path=tmp_path)
    assert result.returncode == 2 and "kein Datum" in result.stderr


@pytest.mark.parametrize("command", [["--help"], ["ask", "--help"], ["chat", "--help"], ["eval", "--help"],
                                     ["kb", "--help"], ["kb", "check", "--help"]])
def test_help_has_examples(command, tmp_path):
    result = run(*command, tmp_path=tmp_path)
    assert result.returncode == 0 and "Beispiel" in result.stdout


def test_chat_console(tmp_path):
    result = run("chat", "--as-of", "2022-08-01", stdin="Hund?\n1\nexit\n", tmp_path=tmp_path)
    assert "Welchen Online-Antragsassistenten meinen Sie?" in result.stdout
    assert "Ja, förderfähig: Online-Antragsassistent »Hundesteuer" in result.stdout


def test_console_script_is_installed():
    from importlib.metadata import entry_points
    assert any(e.name == "foerderbot" and e.value == "bot.cli:main" for e in entry_points(group="console_scripts"))


def test_eval_floor_fails_below(tmp_path):
    result = run("eval", "--split", "test", "--min-accuracy", "1.01", tmp_path=tmp_path)
    assert result.returncode == 1 and "GESAMT" in result.stdout


def test_kb_check_ok_and_broken(tmp_path, knowledge_copy):
    ok = run("kb", "check", env_extra={"KNOWLEDGE_DIR": str(knowledge_copy)}, tmp_path=tmp_path)
    assert ok.returncode == 0 and ok.stdout.strip().splitlines()[-1].startswith("OK: 0 Fehler")
    faq = knowledge_copy / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace("  - id: ozg\n", "  - id: ozg\n    id: ozg\n", 1),
                   encoding="utf-8")
    bad = run("kb", "check", env_extra={"KNOWLEDGE_DIR": str(knowledge_copy)}, tmp_path=tmp_path)
    assert bad.returncode == 1
    assert "faq.yaml:" in bad.stdout and "doppelt" in bad.stdout and "FEHLER: 1 Fehler" in bad.stdout


def test_kb_import_dry_run_then_import_and_rollback(tmp_path):
    export = tmp_path / "export.csv"
    rows = (ROOT / "katalog.csv").read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join(rows + ["neu;Neuer Assistent;Thema;kisa;geplant;neu"]) + "\n", encoding="utf-8")
    dry = run("kb", "import-catalogue", str(export), "--dry-run", tmp_path=tmp_path)
    assert dry.returncode == 0 and "neu: 1 – neu" in dry.stdout and "Probelauf" in dry.stdout
    done = run("kb", "import-catalogue", str(export), tmp_path=tmp_path)
    assert "Importiert als Import 2" in done.stdout  # import 1 is the seed from the shipped sample
    history = run("kb", "history", tmp_path=tmp_path)
    assert len(history.stdout.splitlines()) == 2
    assert run("kb", "rollback", "1", tmp_path=tmp_path).returncode == 0
    answer = json.loads(run("ask", "--json", "Neuer Assistent förderfähig?", tmp_path=tmp_path).stdout)
    assert answer["service"] != "neu"


def test_kb_import_broken_file_keeps_catalogue(tmp_path):
    export = tmp_path / "kaputt.csv"
    export.write_bytes(b"id;name;themenfeld;typ;status;stichworte\r\nx;Name;Thema;bund;verfuegbar;\r\n")
    result = run("kb", "import-catalogue", str(export), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "kaputt.csv:2:4: Fehler: Unbekannter typ »bund«" in result.stdout
    assert "bleibt unverändert" in result.stdout


def test_kb_check_of_a_single_file_names_that_file(tmp_path, knowledge_copy):
    draft = tmp_path / "entwurf.yaml"
    text = (knowledge_copy / "faq.yaml").read_text(encoding="utf-8")
    draft.write_text(text.replace("  - id: ozg\n", "  - id: ozg\n    id: ozg\n", 1), encoding="utf-8")
    result = run("kb", "check", str(draft), env_extra={"KNOWLEDGE_DIR": str(knowledge_copy)}, tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"{draft}:" in result.stdout and "kb-check-" not in result.stdout


def test_ask_explain_prints_route_and_trace(tmp_path):
    result = run("ask", "--explain", "--as-of", "2023-05-01", "Ist der Hundesteuer-Assistent förderfähig?",
                 tmp_path=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("Ja, unter Vorbehalt")
    assert "Warum diese Antwort:" in result.stdout and "service_named" in result.stdout
    assert "annehmen ab 0.62" in result.stdout


def test_eval_groups_errors_by_route_and_writes_an_errors_file(tmp_path):
    cases = tmp_path / "fragen.yaml"
    cases.write_text('cases:\n  - q: "Ist der Hundesteuer-Assistent förderfähig?"\n    as_of: 2023-05-01\n'
                     '    expect: {kind: answer, verdict: expired}\n', encoding="utf-8")
    errors = tmp_path / "fehler.json"
    result = run("eval", "--file", str(cases), "--errors", str(errors), tmp_path=tmp_path)
    assert "Fehler je Regel (route): service_named: 1" in result.stdout
    (wrong,) = json.loads(errors.read_text(encoding="utf-8"))
    assert wrong["got"]["route"] == "service_named" and wrong["wrong"]["verdict"]["got"] == "conditional"
    assert "service" in wrong["trace"]


def test_chat_json_resolves_follow_ups_and_ask_stays_context_free(tmp_path):
    lines = "Ist der Wohngeld-Assistent förderfähig?\nUnd 2023?\n"
    chat = run("chat", "--json", stdin=lines, tmp_path=tmp_path)
    first, second = (json.loads(line) for line in chat.stdout.splitlines())
    assert first["verdict"] == "expired" and second["route"] == "followup_date"
    assert second["verdict"] == "conditional" and second["service"] == "wohngeld" and second["as_of"] == "2023-12-31"
    ask = run("ask", "--json", stdin=lines, tmp_path=tmp_path)
    alone = json.loads(ask.stdout.splitlines()[1])
    assert not alone["route"].startswith("followup") and alone["service"] is None


def test_a_reader_that_stops_early_gets_no_error_message():
    import subprocess
    import sys
    script = ("import subprocess, sys; p = subprocess.Popen([sys.executable, '-m', 'bot', 'ask', 'Was ist OZG?'], "
              "stdout=subprocess.PIPE, stderr=subprocess.PIPE); p.stdout.close(); _, err = p.communicate(); "
              "print(p.returncode, err.decode())")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stdout
    assert "Fehler" not in out and "Traceback" not in out
