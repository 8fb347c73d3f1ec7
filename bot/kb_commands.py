"""`python -m bot kb …`: check the knowledge files, import the catalogue, show and roll back imports."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from dataclasses import replace
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from .config import Settings
from .knowledge.checks import warnings
from .knowledge.compose import HEADLINES
from .knowledge.dates import BERLIN, german_date, today_in_berlin
from .knowledge.diff import diff_knowledge
from .knowledge.load import CATALOGUE_FILE, FAQ_FILE, inspect_knowledge, knowledge_files, target_name
from .knowledge.problems import Problem, summary
from .setup_gaps import privacy_gaps
from .knowledge_source import catalogue_services, open_catalogue, running_knowledge
from .store import BOT_DB
from .subscriptions import count_concerned, held_summary, release_held


def run(args, settings: Settings) -> int:
    return {
        "check": check,
        "import-catalogue": import_catalogue,
        "history": history,
        "rollback": rollback,
        "diff": diff,
        "reload": reload,
        "notify": notify,
    }[args.kb_command](args, settings)


def _knowledge_dir_for(path: Path | None, settings: Settings) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """A directory to check: the given one, or for a single file a copy of KNOWLEDGE_DIR with that file."""
    if path is None:
        return settings.knowledge_dir, None
    if path.is_dir():
        return path, None
    if not path.exists():
        raise SystemExit(f"Datei nicht gefunden: {path}")
    tmp = tempfile.TemporaryDirectory(prefix="kb-check-")
    for item in [*knowledge_files(settings.knowledge_dir), settings.knowledge_dir / CATALOGUE_FILE]:
        if item.exists():
            shutil.copy(item, tmp.name)
    shutil.copy(path, Path(tmp.name) / target_name(path))
    return Path(tmp.name), tmp


def _named_after(problem, directory: Path, checked: Path, knowledge_dir: Path):
    """Report a problem under the file the user named (or the KNOWLEDGE_DIR file it came from)."""
    path = Path(problem.file)
    if path.parent != directory:
        return problem
    is_checked = path.name == target_name(checked)
    real = checked if is_checked else knowledge_dir / path.name
    return replace(problem, file=str(real))


def check(args, settings: Settings) -> int:
    directory, tmp = _knowledge_dir_for(args.path, settings)
    try:
        knowledge, problems = inspect_knowledge(directory)
        if knowledge is not None:
            problems += warnings(knowledge, str(directory / FAQ_FILE), str(directory / CATALOGUE_FILE),
                                 today_in_berlin())
            problems += [Problem("Konfiguration", 0, 0, gap, "warning") for gap in privacy_gaps(settings, knowledge)]
        if tmp is not None:
            problems = [_named_after(p, directory, args.path, settings.knowledge_dir) for p in problems]
        for problem in sorted(problems, key=lambda p: (not p.is_error, p.file, p.line)):
            print(problem)
        status = "OK" if not any(p.is_error for p in problems) else "FEHLER"
        counts = ""
        if knowledge is not None:
            programmes = len(knowledge.programmes)
            counts = (f", {len(knowledge.entries)} Einträge, {programmes} {'Programm' if programmes == 1 else 'Programme'}, "
                      f"{len(knowledge.services)} Katalog-Einträge, Version {knowledge.version}")
        print(f"{status}: {summary(problems)}{counts}")
        return 1 if status == "FEHLER" else 0
    finally:
        if tmp is not None:
            tmp.cleanup()


def _print_changes(plan) -> None:
    for label, ids in (("neu", plan.added), ("geändert", plan.changed), ("entfernt", plan.removed)):
        print(f"  {label}: {len(ids)}" + (f" – {', '.join(ids)}" if ids else ""))


def import_catalogue(args, settings: Settings) -> int:
    if not args.file.exists():
        print(f"Datei nicht gefunden: {args.file}")
        return 1
    with open_catalogue(settings) as store:
        plan, record = store.import_file(args.file, dry_run=args.dry_run, force=args.force)
    for problem in plan.problems:
        print(problem)
    if any(p.is_error for p in plan.problems):
        print(f"Import abgelehnt: {summary(list(plan.problems))}. Der bisherige Katalog bleibt unverändert.")
        return 1
    encoding = {"utf-8-sig": "UTF-8 mit BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(plan.encoding,
                                                                                        plan.encoding)
    print(f"{len(plan.services)} Einträge gelesen ({encoding}). Katalog-Datenbank: {store.path}")
    _print_changes(plan)
    if plan.refused:
        print(f"Import abgelehnt: {plan.refused}")
        return 1
    if record is None:
        print("Probelauf: nichts geändert.")
    else:
        print(f"Importiert als Import {record.id} ({record.at}, SHA-256 {record.sha256[:12]}).")
    return 0


def history(args, settings: Settings) -> int:
    with open_catalogue(settings) as store:
        records = store.history()
    if not records:
        print("Noch kein Import.")
    for r in records:
        note = f" – {r.note}" if r.note else ""
        at = datetime.fromisoformat(r.at).astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
        print(f"{r.id:>4}  {at}  {r.total:>4} Einträge (+{r.added} ~{r.changed} -{r.removed})  "
              f"{r.sha256[:12]}  {r.file}{note}")
    return 0


def rollback(args, settings: Settings) -> int:
    try:
        with open_catalogue(settings) as store:
            plan, record = store.rollback(args.import_id)
    except KeyError:
        print(f"Import {args.import_id} gibt es nicht. Siehe »python -m bot kb history«.")
        return 1
    print(f"Katalog auf den Stand von Import {args.import_id} zurückgesetzt (neuer Import {record.id}, "
          f"{record.total} Einträge).")
    _print_changes(plan)
    return 0


def diff(args, settings: Settings) -> int:
    """What a reload would change: the knowledge the server runs vs. the files on disk (as of today)."""
    running = running_knowledge(settings)
    if running is None:
        print("Es gibt noch keinen Stand des laufenden Servers in DATA_DIR (der Server legt ihn beim Laden ab). "
              "Verglichen wird deshalb nichts.")
        return 1
    services = catalogue_services(settings)
    directory, tmp = _knowledge_dir_for(args.path, settings)
    try:
        knowledge, problems = inspect_knowledge(directory, services)
    finally:
        if tmp is not None:
            tmp.cleanup()
    if knowledge is None:
        print("Die Dateien sind fehlerhaft; ein Neuladen würde abgelehnt:")
        for problem in problems:
            if problem.is_error:
                print(f"  {_named_after(problem, directory, args.path, settings.knowledge_dir) if args.path else problem}")
        return 1
    today = today_in_berlin()
    result = diff_knowledge(running, knowledge, today)
    where = args.path or settings.knowledge_dir
    print(f"Laufend: Version {running.version} – {where}: Version {knowledge.version} "
          f"(Urteile zum {german_date(today)})")
    if result.empty:
        print("Keine Unterschiede.")
        return 0
    sections = [("FAQ-Einträge neu", result.entries_added), ("FAQ-Einträge entfernt", result.entries_removed),
                ("Antworten geändert", result.answers_changed), ("Formulierungen geändert", result.phrasings_changed),
                ("Katalog neu", result.services_added), ("Katalog entfernt", result.services_removed),
                ("Katalog geändert", result.services_changed), ("Programme geändert", result.programmes_changed)]
    for label, ids in sections:
        if ids:
            print(f"{label}: {', '.join(ids)}")
    _print_verdict_changes(result.verdict_changes, today)
    if result.verdict_changes:
        chats = count_concerned(settings.data_dir / BOT_DB, [c.key for c in result.verdict_changes])
        chats_text = "1 abonnierter Chat würde" if chats == 1 else f"{chats} abonnierte Chats würden"
        print(f"Änderungshinweise: {chats_text} benachrichtigt (nach der Wartezeit, in den Sendezeiten).")
    else:
        print("Änderungshinweise: keine (kein Urteil und keine Frist ändert sich).")
    return 0


def notify(args, settings: Settings) -> int:
    """Held change notices: how many and when they go out; with --now released at once."""
    path = settings.data_dir / BOT_DB
    if args.now:
        count = release_held(path)
        print(f"{_notices(count, 'zurückgehaltener', 'zurückgehaltene')} freigegeben: der laufende Bot sendet "
              f"{'ihn' if count == 1 else 'sie'} beim nächsten Durchgang (läuft er nicht, beim nächsten Start)."
              if count else "Es gibt keine zurückgehaltenen Änderungshinweise.")
        return 0
    count, first = held_summary(path)
    if not count or first is None:
        print("Es gibt keine zurückgehaltenen Änderungshinweise.")
        return 0
    at = datetime.fromtimestamp(first, BERLIN).strftime("%d.%m.%Y %H:%M")
    print(f"{_notices(count)} zurückgehalten; der erste geht ab {at} Uhr hinaus (in den Sendezeiten). "
          "Sofort senden: python -m bot kb notify --now")
    return 0


def _notices(count: int, one: str = "", many: str = "") -> str:
    return f"1 {one + ' ' if one else ''}Änderungshinweis" if count == 1 else \
        f"{count} {many + ' ' if many else ''}Änderungshinweise"


def _print_verdict_changes(changes, today: date) -> None:
    if changes:
        print("Urteile, die sich ändern:")
    for change in changes:
        before = _verdict_text(change.old_verdict, change.old_deadline)
        after = _verdict_text(change.new_verdict, change.new_deadline)
        when = "" if change.day is None or change.day == today else f" (ab dem {german_date(change.day)})"
        print(f"  {change.name} [{change.key}]: {before} → {after}{when}")


def _verdict_text(verdict, deadline) -> str:
    if verdict is None:
        return "(nicht vorhanden)"
    text = HEADLINES[verdict]
    return f"{text} (Frist {german_date(deadline)})" if deadline else text


def reload(args, settings: Settings) -> int:
    """Ask the running server to reload (authenticated local HTTP request)."""
    if not settings.admin_token:
        print("ADMIN_TOKEN ist nicht gesetzt: ohne Token nimmt der Server keine Reload-Anfrage an.")
        return 2
    url = (args.url or f"http://{settings.host}:{settings.port}").rstrip("/") + "/admin/reload"
    if args.force:
        url += "?force=1"
    request = urllib.request.Request(url, method="POST", headers={"Authorization": f"Bearer {settings.admin_token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read())
        except ValueError:
            print(f"Der Server antwortet mit Fehler {exc.code}: {exc.reason}")
            return 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"Der Server unter {url} ist nicht erreichbar ({exc}). Läuft »python -m bot serve«?")
        return 1
    print(body.get("message") or body.get("error"))
    return 0 if body.get("ok") else 1
