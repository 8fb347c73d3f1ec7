"""Command line: a thin layer over the library. `python -m bot --help` lists the commands."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path

from dotenv import load_dotenv

from .config import ConfigError, Settings, env_help
from .knowledge.dates import today_in_berlin
from .knowledge.numbers import german_percent
from .knowledge.problems import KnowledgeError

logger = logging.getLogger(__name__)
EVAL_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval.yaml"


# argparse's own words, in German (argparse looks them up through gettext at run time).
_ARGPARSE_GERMAN = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe anzeigen und beenden",
    "the following arguments are required: %s": "Diese Angaben fehlen: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Auswahl: %(value)r (möglich: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "expected one argument": "erwartet einen Wert",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
}
argparse._ = lambda text: _ARGPARSE_GERMAN.get(text, text)  # type: ignore[attr-defined]


def configure_logging(level: int) -> None:
    """Our own loggers at `level`; libraries never below WARNING/INFO: httpx logs every request URL,
    which contains the bot token, and python-telegram-bot logs request parameters at DEBUG."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    for name in ("httpx", "httpcore", "aiohttp.access"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"»{value}« ist kein Datum im Format JJJJ-MM-TT (z. B. 2024-12-31).") from None


def _parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="foerderbot",
        description="Förderbot – Auskünfte zur Förderung der Online-Antragsassistenten in Sachsen.",
        epilog="Beispiele:\n  python -m bot ask \"Ist der Hundesteuer-Assistent förderfähig, und bis wann?\"\n"
               "  python -m bot ask --as-of 2023-06-01 --json \"Wohngeld?\"\n  python -m bot chat\n"
               "  python -m bot eval\n  python -m bot kb check",
        formatter_class=fmt,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ausführliche Protokollausgabe")
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    ask = sub.add_parser(
        "ask", help="eine Frage beantworten (oder eine Frage je Zeile von der Standardeingabe)",
        description="Beantwortet eine Frage so, wie Nutzerinnen und Nutzer die Antwort lesen.\n"
                    "Ohne Frage-Argument wird je Zeile der Standardeingabe eine Frage beantwortet.",
        epilog="Beispiele:\n  python -m bot ask \"Ist der Hundesteuer-Assistent förderfähig?\"\n"
               "  python -m bot ask --as-of 2023-05-01 \"Wird die Softwarepflege übernommen?\"\n"
               "  python -m bot ask --explain \"Kriegen wir für den Angelschein-OAA noch Geld?\"\n"
               "  printf 'Wohngeld?\\nBis wann läuft die Förderung?\\n' | python -m bot ask --json",
        formatter_class=fmt,
    )
    ask.add_argument("question", nargs="?", help="die Frage (ohne: Fragen zeilenweise von stdin)")
    ask.add_argument("--as-of", type=_date, help="Stichtag JJJJ-MM-TT (Standard: heute in Europe/Berlin)")
    ask.add_argument("--json", action="store_true", help="ein JSON-Objekt je Frage ausgeben")
    ask.add_argument("--explain", action="store_true",
                     help="zusätzlich zeigen, warum: entscheidende Regel (route), Werte und Schwellen (trace)")
    ask.add_argument("--rules", type=Path, action="append", default=[],
                     help="zusätzliche Regeldatei (YAML) laden, z. B. ein Testprogramm")

    chat = sub.add_parser(
        "chat", help="Gespräch in der Konsole (ohne Telegram); Nachfragen beziehen sich auf die letzte Antwort",
        description="Ein Gespräch: Nachfragen wie »Und bis wann?«, »Und der Fischereischein?«, »Warum nicht?«,\n"
                    "»Gilt das auch für Landkreise?«, »Und 2025?« oder eine Nummer nach einer Rückfrage werden auf\n"
                    "die letzte Antwort bezogen (30 Minuten lang). Mit --json: je Zeile der Standardeingabe eine\n"
                    "Nachricht, je Nachricht ein JSON-Objekt wie bei »ask --json«.",
        epilog="Beispiele:\n  python -m bot chat --as-of 2024-06-01\n"
               "  printf 'Ist der Wohngeld-Assistent förderfähig?\\nUnd 2023?\\n' | python -m bot chat --json",
        formatter_class=fmt,
    )
    chat.add_argument("--as-of", type=_date, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    chat.add_argument("--json", action="store_true", help="je Zeile der Standardeingabe eine Nachricht, JSON je Antwort")

    ev = sub.add_parser(
        "eval", help="Trefferquote auf dem gelabelten Fragensatz messen",
        description="Misst die Genauigkeit je Kategorie und listet falsche Antworten (wie Rasa test).\n"
                    "Die Fälle werden fest in eine Tuning- und eine Testhälfte geteilt.",
        epilog="Beispiele:\n  python -m bot eval\n  python -m bot eval --split test --min-accuracy 0.9\n"
               "  python -m bot eval --tune\n"
               "  python -m bot eval --file tests/data/blind-a.yaml --errors fehler.json",
        formatter_class=fmt,
    )
    ev.add_argument("--file", type=Path, default=EVAL_FILE, help="Fragensatz (YAML)")
    ev.add_argument("--split", choices=("all", "tune", "test"), default="all", help="welche Hälfte (Standard: all)")
    ev.add_argument("--min-accuracy", type=float, default=0.0, help="Exit-Code 1 unter dieser Genauigkeit (0–1)")
    ev.add_argument("--tune", action="store_true", help="Schwellen auf der Tuning-Hälfte wählen, auf der Testhälfte berichten")
    ev.add_argument("--errors", type=Path, metavar="DATEI",
                    help="falsche Antworten mit Regel (route) und Werten (trace) als JSON in DATEI schreiben")

    serve = sub.add_parser(
        "serve", help="Webhook-Server starten (Produktion)",
        description="Startet den Webserver mit POST /telegram (Webhook) und GET /healthz.\n"
                    "Konfiguration nur über Umgebungsvariablen (eine Datei .env wird gelesen, falls vorhanden):\n"
                    + env_help(),
        epilog="Beispiele:\n  python -m bot serve                       # ohne BOT_TOKEN: nur Web, Telegram aus\n"
               "  BOT_TOKEN=123:abc WEBHOOK_SECRET=geheim PSEUDONYM_KEY=... \\\n"
               "  WEBHOOK_URL=https://bot.example.de/telegram python -m bot serve",
        formatter_class=fmt,
    )
    serve.add_argument("--rate-limit", type=float, default=None,
                       help="Nachrichten je Sekunde insgesamt (Standard: Telegrams Grenze von 30)")
    sub.add_parser(
        "poll", help="Long Polling für die lokale Entwicklung mit echtem Token",
        description="Holt Updates per Long Polling (ohne Webhook). Ein gesetzter Webhook wird vorher gelöscht.",
        epilog="Beispiel:\n  BOT_TOKEN=123:abc PSEUDONYM_KEY=entwicklung python -m bot poll", formatter_class=fmt,
    )

    rep = sub.add_parser(
        "report", help="Bericht: unbeantwortete Fragen, 👎, häufige Fragen, Urteile je Tag",
        epilog="Beispiele:\n  python -m bot report\n  python -m bot report --since 30d\n"
               "  python -m bot report --since 2024-12-01 --csv > bericht.csv", formatter_class=fmt)
    rep.add_argument("--since", default="7d", help="Zeitraum: 7d, 2w, 24h oder ein Datum (Standard: 7d)")
    rep.add_argument("--csv", action="store_true", help="als CSV (Semikolon) ausgeben")

    bk = sub.add_parser(
        "backup", help="alle Datenbanken sichern (auch während »serve« läuft)",
        description="Sichert bot.db und katalog.db aus DATA_DIR mit SQLites Online-Backup: je Datei ein\n"
                    "in sich stimmiger Stand, während der Server weiterschreibt. ZIEL ist ein tar-Archiv –\n"
                    "oder ein Ordner (vorhanden oder mit / am Ende), dann liegen die Dateien einzeln darin.\n"
                    "Die Sicherung enthält personenbezogene Daten (Fragen) und ist nur mit demselben\n"
                    "PSEUDONYM_KEY vollständig lesbar. Einspielen: »python -m bot restore ZIEL«.",
        epilog="Beispiele:\n  python -m bot backup /sicherung/foerderbot-$(date +%%F).tar\n"
               "  python -m bot backup /sicherung/heute/", formatter_class=fmt)
    bk.add_argument("target", metavar="ZIEL", help="tar-Datei oder Ordner")
    rs = sub.add_parser(
        "restore", help="eine Sicherung in DATA_DIR einspielen (»serve« muss beendet sein)",
        description="Ersetzt die Datenbanken in DATA_DIR durch die der Sicherung (tar-Archiv oder Ordner von\n"
                    "»backup«), nachdem jede Datei geprüft wurde. Verweigert, solange ein »serve« auf DATA_DIR\n"
                    "läuft. Der nächste Start bringt ältere Dateien auf den aktuellen Schema-Stand.",
        epilog="Beispiel:\n  DATA_DIR=/srv/foerderbot/data python -m bot restore /sicherung/foerderbot-2024-12-01.tar",
        formatter_class=fmt)
    rs.add_argument("source", type=Path, metavar="SICHERUNG", help="tar-Datei oder Ordner von »backup«")

    kb = sub.add_parser("kb", help="Wissensbasis prüfen und Katalog importieren",
                        epilog="Beispiele:\n  python -m bot kb check\n"
                               "  python -m bot kb import-catalogue export.csv --dry-run\n"
                               "  python -m bot kb history\n  python -m bot kb rollback 3",
                        formatter_class=fmt)
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="AKTION")
    check = kb_sub.add_parser("check", help="Wissensdateien prüfen (Fehler mit Datei:Zeile:Spalte)",
                              epilog="Beispiel:\n  python -m bot kb check\n  python -m bot kb check /pfad/zu/wissen",
                              formatter_class=fmt)
    check.add_argument("path", nargs="?", type=Path, help="Ordner oder Datei (Standard: KNOWLEDGE_DIR)")
    imp = kb_sub.add_parser("import-catalogue", help="Katalog-Export (CSV) importieren",
                            epilog="Beispiel:\n  python -m bot kb import-catalogue katalog-neu.csv --dry-run",
                            formatter_class=fmt)
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="nur anzeigen, was sich ändern würde")
    imp.add_argument("--force", action="store_true", help="auch übernehmen, wenn mehr als 20 %% wegfallen")
    kb_sub.add_parser("history", help="bisherige Katalog-Importe anzeigen",
                      epilog="Beispiel:\n  python -m bot kb history", formatter_class=fmt)
    diff = kb_sub.add_parser("diff", help="Unterschiede zwischen laufendem Wissen und den Dateien (vor dem Neuladen)",
                             epilog="Beispiele:\n  python -m bot kb diff\n  python -m bot kb diff faq-entwurf.yaml",
                             formatter_class=fmt)
    diff.add_argument("path", nargs="?", type=Path, help="Entwurf (Datei oder Ordner) statt KNOWLEDGE_DIR")
    rl = kb_sub.add_parser("reload", help="den laufenden Server das Wissen neu laden lassen (ADMIN_TOKEN)",
                           epilog="Beispiele:\n  ADMIN_TOKEN=… python -m bot kb reload\n"
                                  "  python -m bot kb reload --force --url http://127.0.0.1:8080", formatter_class=fmt)
    rl.add_argument("--force", action="store_true", help="auch übernehmen, wenn mehr als 20 %% wegfallen")
    rl.add_argument("--url", help="Adresse des Servers (Standard: http://HOST:PORT)")
    rb = kb_sub.add_parser("rollback", help="Katalog auf den Stand eines früheren Imports zurücksetzen",
                           epilog="Beispiel:\n  python -m bot kb history\n  python -m bot kb rollback 3",
                           formatter_class=fmt)
    rb.add_argument("import_id", type=int, metavar="IMPORT", help="Nummer des Imports (siehe kb history)")
    notify = kb_sub.add_parser("notify", help="zurückgehaltene Änderungshinweise an abonnierte Chats zeigen "
                                              "oder sofort freigeben",
                               epilog="Beispiele:\n  python -m bot kb notify\n  python -m bot kb notify --now",
                               formatter_class=fmt)
    notify.add_argument("--now", action="store_true",
                        help="sofort senden (ohne Wartezeit und auch außerhalb der Sendezeiten)")
    return parser


def main(argv: list[str] | None = None) -> int:
    load_dotenv(".env", override=False)
    args = _parser().parse_args(argv)
    configure_logging(logging.INFO if args.verbose else logging.WARNING)
    try:
        settings = Settings.from_env()
        handler = {"ask": cmd_ask, "chat": cmd_chat, "eval": cmd_eval, "kb": cmd_kb, "serve": cmd_serve,
                   "poll": cmd_poll, "report": cmd_report, "backup": cmd_backup,
                   "restore": cmd_restore}[args.command]
        return handler(args, settings)
    except ConfigError as exc:
        print(f"Konfigurationsfehler: {exc}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        print("Die Wissensbasis ist fehlerhaft:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # "… | head": the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout once more at exit
        return 0
    except (ValueError, OSError) as exc:  # e.g. an unreadable DATA_DIR or a broken shipped catalogue
        logger.debug("command failed", exc_info=True)
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1


def _assistant(settings: Settings, rules: list[Path] | None = None):
    from .knowledge_source import build_assistant
    return build_assistant(settings, rules or [])


def _print_answer(answer, as_json: bool, explain: bool = False) -> None:
    from .replies import explanation, to_json, to_text
    if as_json:
        print(json.dumps(to_json(answer), ensure_ascii=False))
    else:
        print(to_text(answer))
        if explain:
            print("\n" + explanation(answer))


def cmd_ask(args, settings: Settings) -> int:
    assistant = _assistant(settings, args.rules)
    if args.question is not None:
        _print_answer(assistant.answer(args.question, args.as_of or today_in_berlin()), args.json, args.explain)
        return 0
    for line in sys.stdin:
        question = line.rstrip("\n")
        answer = assistant.answer(question, args.as_of or today_in_berlin())
        if args.json or args.explain:
            _print_answer(answer, args.json, args.explain)
        else:
            print(answer.text.replace("\n", " "))
        sys.stdout.flush()
    return 0


def cmd_chat(args, settings: Settings) -> int:
    """A conversation on the console: follow-ups ("Und bis wann?", "den zweiten") are read in context.
    With --json: one message per line of standard input, one `ask --json` object per line."""
    from datetime import datetime

    from .knowledge.conversation import Conversation
    from .knowledge.dates import BERLIN
    from .replies import to_json
    conversation = Conversation(_assistant(settings), settings.context_minutes)
    interactive = not args.json
    if interactive:
        print("Förderbot – stellen Sie Ihre Frage (Beenden mit »exit« oder Strg+D). Nachfragen wie »Und bis wann?« "
              "beziehen sich auf die letzte Antwort.")
    for question in _messages(interactive):
        if interactive and question.strip().lower() in {"exit", "quit", "ende", "tschüss"}:
            print("Auf Wiedersehen!")
            return 0
        now = datetime.now(BERLIN)
        answer = conversation.ask(question, args.as_of or now.date(), now)
        if interactive:
            print("\nFörderbot: " + answer.text)
            for i, match in enumerate(answer.matches if answer.kind.value == "clarify" else (), 1):
                print(f"  [{i}] {match.title}")
        else:
            print(json.dumps(to_json(answer), ensure_ascii=False))
            sys.stdout.flush()
    return 0


def _messages(interactive: bool):
    """The user's messages: typed at a prompt, or one per line of standard input."""
    while True:
        if interactive:
            try:
                yield input("\nSie: ")
            except EOFError:
                print()
                return
        else:
            line = sys.stdin.readline()
            if not line:
                return
            yield line.rstrip("\n")


def cmd_eval(args, settings: Settings) -> int:
    from .evaluation import evaluate, evaluate_dialogues, format_report, is_conversation_set, load_cases, load_dialogues, tune
    if is_conversation_set(args.file):
        report = evaluate_dialogues(load_dialogues(args.file), _assistant(settings))
        print(format_report(report, "Gespräche (je Zug)"))
        return 1 if report.accuracy < args.min_accuracy else 0
    cases = load_cases(args.file)
    rule_dir = args.file.parent
    cache = {}

    def assistant_for(rules: str | None):
        if rules not in cache:
            cache[rules] = _assistant(settings, [rule_dir / f"{rules}.yaml"] if rules else [])
        return cache[rules]

    if args.tune:
        tuning = [c for c in cases if c.split == "tune"]
        thresholds, accuracy = tune(tuning, assistant_for)
        print(f"Beste Schwellen auf der Tuning-Hälfte ({len(tuning)} Fragen, {german_percent(accuracy, 1)}): "
              f"{thresholds}")
        for assistant in cache.values():
            assistant.thresholds = thresholds
        report = evaluate([c for c in cases if c.split == "test"], assistant_for)
        print(format_report(report, "Testhälfte mit diesen Schwellen"))
        return 0
    selected = cases if args.split == "all" else [c for c in cases if c.split == args.split]
    report = evaluate(selected, assistant_for)
    print(format_report(report, f"Evaluation ({args.split})"))
    if args.errors:
        args.errors.write_text(json.dumps(report.errors(), ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{len(report.errors())} falsche Antworten nach {args.errors} geschrieben.")
    if report.accuracy < args.min_accuracy:
        print(f"Genauigkeit {german_percent(report.accuracy, 1)} liegt unter der Untergrenze "
              f"{german_percent(args.min_accuracy, 1)}.")
        return 1
    return 0


def cmd_serve(args, settings: Settings) -> int:
    from aiohttp import web

    from .app import create_web_app
    configure_logging(logging.DEBUG if args.verbose else logging.INFO)
    app = create_web_app(settings, rate_limit=args.rate_limit)
    telegram = "an" if settings.telegram_enabled else "AUS (BOT_TOKEN nicht gesetzt)"
    logger.info("Förderbot startet auf http://%s:%s – Telegram %s", settings.host, settings.port, telegram)
    web.run_app(app, host=settings.host, port=settings.port, print=None, shutdown_timeout=15, access_log=None)
    return 0


def cmd_poll(args, settings: Settings) -> int:
    if not settings.telegram_enabled:
        print("Für »poll« wird BOT_TOKEN gebraucht.", file=sys.stderr)
        return 2
    if not settings.pseudonym_key:
        raise ConfigError("PSEUDONYM_KEY fehlt (nötig, um Kennungen pseudonymisiert zu speichern).")
    import asyncio

    from .app import ALLOWED_UPDATES, create_application, register_commands
    from .knowledge_source import KnowledgeSource
    from .store import BOT_DB, Store
    from .subscriptions import SubscriptionStore

    configure_logging(logging.INFO)
    source = KnowledgeSource(settings)
    source.load()
    store = Store(settings.data_dir / BOT_DB, settings.pseudonym_key, settings.retention_days,
                  synchronous=settings.sqlite_synchronous)
    subscriptions = SubscriptionStore(store)
    application = create_application(settings, source, store, polling=True, subscriptions=subscriptions)

    from .app import State, housekeeping, watch_knowledge
    state = State(settings=settings, source=source, store=store, subscriptions=subscriptions)
    background: list = []

    async def post_init(app) -> None:
        await store.purge()
        background.extend([asyncio.create_task(watch_knowledge(state)), asyncio.create_task(housekeeping(state))])
        info = await app.bot.get_webhook_info()
        if info.url:
            print(f"Ein Webhook ist gesetzt ({info.url}); er wird für das Polling gelöscht.")
            await app.bot.delete_webhook()
        await register_commands(app)
        print("Förderbot läuft im Polling-Modus. Beenden mit Strg+C.")

    async def post_shutdown(app) -> None:
        for task in background:
            task.cancel()
        await store.close()

    application.post_init = post_init
    application.post_shutdown = post_shutdown
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def cmd_report(args, settings: Settings) -> int:
    import asyncio

    from .report import build_report, format_csv, format_text, parse_since
    from .store import BOT_DB, Store
    try:
        since = parse_since(args.since)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    path = settings.data_dir / BOT_DB
    if not path.exists():
        print(f"Es gibt noch keine gespeicherten Fragen ({path} fehlt).")
        return 0

    async def rows():
        store = Store(path, settings.pseudonym_key, synchronous=settings.sqlite_synchronous)
        try:
            return await store.questions_since(since)
        finally:
            await store.close()

    report = build_report(asyncio.run(rows()), since, _assistant(settings))
    print(format_csv(report) if args.csv else format_text(report), end="" if args.csv else "\n")
    return 0


def cmd_backup(args, settings: Settings) -> int:
    from .backup import backup
    directory = args.target.endswith(("/", os.sep))
    for copy in backup(settings.data_dir, Path(args.target), directory=directory):
        print(f"{copy.name} gesichert ({copy.size / 1024:.0f} KiB, Schema-Version {copy.version}) → {args.target}")
    return 0


def cmd_restore(args, settings: Settings) -> int:
    from .backup import restore
    for copy in restore(args.source, settings.data_dir):
        print(f"{copy.name} eingespielt ({copy.size / 1024:.0f} KiB, Schema-Version {copy.version}) → "
              f"{settings.data_dir / copy.name}")
    return 0


def cmd_kb(args, settings: Settings) -> int:
    from . import kb_commands
    return kb_commands.run(args, settings)
