"""`python -m bot kb …`: check the knowledge files, import the catalogue, show and roll back imports."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .config import Settings
from .knowledge.checks import warnings
from .knowledge.dates import today_in_berlin
from .knowledge.load import CATALOGUE_FILE, FAQ_FILE, inspect_knowledge
from .knowledge.problems import summary
from .knowledge_source import open_catalogue


def run(args, settings: Settings) -> int:
    return {
        "check": check,
        "import-catalogue": import_catalogue,
        "history": history,
        "rollback": rollback,
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
    for item in settings.knowledge_dir.iterdir():
        if item.name in (FAQ_FILE, CATALOGUE_FILE) or item.name.startswith("regeln"):
            shutil.copy(item, tmp.name)
    target = {".csv": CATALOGUE_FILE}.get(path.suffix, FAQ_FILE if "regeln" not in path.name else path.name)
    shutil.copy(path, Path(tmp.name) / target)
    return Path(tmp.name), tmp


def check(args, settings: Settings) -> int:
    directory, tmp = _knowledge_dir_for(args.path, settings)
    try:
        knowledge, problems = inspect_knowledge(directory)
        if knowledge is not None:
            problems += warnings(knowledge, str(directory / FAQ_FILE), str(directory / CATALOGUE_FILE),
                                 today_in_berlin())
        if tmp is not None:
            problems = [p.__class__(p.file.replace(str(directory), str(args.path.parent)) if p.file else p.file,
                                    p.line, p.column, p.message, p.severity) for p in problems]
        for problem in sorted(problems, key=lambda p: (not p.is_error, p.file, p.line)):
            print(problem)
        status = "OK" if not any(p.is_error for p in problems) else "FEHLER"
        counts = ""
        if knowledge is not None:
            counts = (f", {len(knowledge.entries)} Einträge, {len(knowledge.programmes)} Programme, "
                      f"{len(knowledge.services)} Katalog-Einträge, Version {knowledge.version}")
        print(f"{status}: {summary(problems)}{counts}")
        return 1 if status == "FEHLER" else 0
    finally:
        if tmp is not None:
            tmp.cleanup()


def import_catalogue(args, settings: Settings) -> int:
    store = open_catalogue(settings)
    try:
        if not args.file.exists():
            print(f"Datei nicht gefunden: {args.file}")
            return 1
        plan, record = store.import_file(args.file, dry_run=args.dry_run, force=args.force)
        for problem in plan.problems:
            print(problem)
        if any(p.is_error for p in plan.problems):
            print(f"Import abgelehnt: {summary(list(plan.problems))}. Der bisherige Katalog bleibt unverändert.")
            return 1
        print(f"{len(plan.services)} Einträge gelesen ({plan.encoding}).")
        for label, ids in (("neu", plan.added), ("geändert", plan.changed), ("entfernt", plan.removed)):
            print(f"  {label}: {len(ids)}" + (f" – {', '.join(ids)}" if ids else ""))
        if plan.refused:
            print(f"Import abgelehnt: {plan.refused}")
            return 1
        if record is None:
            print("Probelauf: nichts geändert.")
        else:
            print(f"Importiert als Import {record.id} ({record.at}, SHA-256 {record.sha256[:12]}).")
        return 0
    finally:
        store.close()


def history(args, settings: Settings) -> int:
    store = open_catalogue(settings)
    try:
        records = store.history()
        if not records:
            print("Noch kein Import.")
        for r in records:
            note = f" – {r.note}" if r.note else ""
            print(f"{r.id:>4}  {r.at}  {r.total:>4} Einträge (+{r.added} ~{r.changed} -{r.removed})  "
                  f"{r.sha256[:12]}  {r.file}{note}")
        return 0
    finally:
        store.close()


def rollback(args, settings: Settings) -> int:
    store = open_catalogue(settings)
    try:
        record = store.rollback(args.import_id)
        print(f"Katalog auf den Stand von Import {args.import_id} zurückgesetzt (neuer Import {record.id}, "
              f"{record.total} Einträge).")
        return 0
    except KeyError:
        print(f"Import {args.import_id} gibt es nicht. Siehe »python -m bot kb history«.")
        return 1
    finally:
        store.close()
