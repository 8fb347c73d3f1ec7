"""Build `Knowledge` from the YAML files and the catalogue, or report every problem with its position.

Files in a knowledge directory:
- ``faq.yaml``: sources, contacts, tags and FAQ entries;
- ``regeln.yaml`` and any ``regeln-*.yaml``: vocabulary and funding programmes;
- ``katalog.csv``: the catalogue sample (used when no catalogue database is given).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from yaml import MarkedYAMLError

from . import yaml_positions

from .gc_pause import collector_paused
from .catalogue import parse_catalogue
from .model import (
    Contact,
    FaqEntry,
    Knowledge,
    Notice,
    Period,
    Programme,
    Service,
    Source,
    Term,
    Vocabulary,
)
from .problems import KnowledgeError, Problem

FAQ_FILE = "faq.yaml"
SHORT_ANSWER = 250  # characters of an entry's one-sentence answer (the first line of the reply)
TERM_FLAGS = ("default", "service_user", "own_development", "private", "replaces_catalogue")
VOCABULARY_GROUPS = ("applicants", "regions", "costs", "service_types", "topics")
RULES_GLOB = "regeln*.yaml"
CATALOGUE_FILE = "katalog.csv"
KEYWORDS_FILE = "stichworte.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def knowledge_files(directory: Path) -> list[Path]:
    """The YAML files the support team edits in a knowledge directory (those that exist)."""
    paths = [directory / FAQ_FILE, *sorted(directory.glob(RULES_GLOB)), directory / KEYWORDS_FILE]
    return [p for p in paths if p.exists()]


def target_name(path: Path) -> str:
    """Which knowledge file a draft stands for: a CSV is the catalogue, `regeln*.yaml` a rules file,
    `stichworte*.yaml` the extra keywords, any other YAML the FAQ."""
    if path.suffix == ".csv":
        return CATALOGUE_FILE
    if path.name.startswith("regeln"):
        return path.name
    if path.name.startswith("stichworte"):
        return KEYWORDS_FILE
    return FAQ_FILE


def default_knowledge_dir() -> Path:
    """The knowledge shipped with the code: the repository root."""
    return Path(__file__).resolve().parents[2]


@dataclass
class _Doc:
    """One YAML document and the problems found in it."""

    file: str
    problems: list[Problem]

    def at(self, node: Any, key: Any = None) -> tuple[int, int]:
        lc = getattr(node, "lc", None)
        if lc is None:
            return 0, 0
        try:
            if key is None:
                return lc.line + 1, lc.col + 1
            if isinstance(key, int):
                line, col = lc.item(key)
            else:
                line, col = lc.value(key) if key in node else (lc.line, lc.col)
            return line + 1, col + 1
        except (KeyError, IndexError, TypeError):
            return lc.line + 1, lc.col + 1

    def error(self, node: Any, key: Any, message: str) -> None:
        line, col = self.at(node, key)
        self.problems.append(Problem(self.file, line, col, message))

    def mapping(self, node: Any, key: str, where: str, required: bool = True) -> dict:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.error(node, None, f"{where}: das Feld »{key}« fehlt.")
            return {}
        if not isinstance(value, dict):
            self.error(node, key, f"{where}: »{key}« muss eine Zuordnung (schlüssel: wert) sein.")
            return {}
        return value

    def sequence(self, node: Any, key: str, where: str, required: bool = True) -> list:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            if required:
                self.error(node, None, f"{where}: das Feld »{key}« fehlt.")
            return []
        if not isinstance(value, list):
            self.error(node, key, f"{where}: »{key}« muss eine Liste sein (Zeilen mit »- «).")
            return []
        return value

    def text(self, node: Any, key: str, where: str, required: bool = True) -> str:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(node, key if value is not None else None, f"{where}: das Feld »{key}« fehlt oder ist leer.")
            return ""
        if isinstance(value, (dict, list)):
            self.error(node, key, f"{where}: »{key}« muss ein Text sein.")
            return ""
        return str(value).strip()

    def texts(self, node: Any, key: str, where: str, required: bool = False) -> tuple[str, ...]:
        items = self.sequence(node, key, where, required)
        out = []
        for i, item in enumerate(items):
            if isinstance(item, (dict, list)) or item is None or not str(item).strip():
                self.error(items, i, f"{where}: jeder Eintrag in »{key}« muss ein nicht leerer Text sein.")
            else:
                out.append(str(item).strip())
        return tuple(out)

    def date(self, node: Any, key: str, where: str) -> date | None:
        raw = self.text(node, key, where)
        if not raw:
            return None
        try:
            match = _GERMAN_DATE.match(raw)
            if match:
                day, month, year = (int(g) for g in match.groups())
                return date(year, month, day)
            return date.fromisoformat(raw)
        except ValueError:
            self.error(node, key, f"{where}: »{raw}« ist kein gültiges Datum. Schreiben Sie JJJJ-MM-TT, "
                                  "z. B. 2024-12-31.")
            return None

    def ident(self, node: Any, where: str, seen: dict[str, int]) -> str:
        value = self.text(node, "id", where)
        if not value:
            return ""
        if not _ID.match(value):
            self.error(node, "id", f"{where}: die id »{value}« ist ungültig (nur Kleinbuchstaben, Ziffern, Bindestriche).")
        line, _ = self.at(node, "id")
        if value in seen:
            self.error(node, "id", f"{where}: die id »{value}« ist doppelt vergeben (zuerst in Zeile {seen[value]}).")
        else:
            seen[value] = line
        return value


def read_bytes(path: Path) -> bytes:
    """A file's bytes for the version hash; b"" for one that cannot be read (read_yaml reports why)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(str(path), 0, 0, "Die Datei fehlt."))
        return None
    except OSError as exc:  # no permission, a directory in its place …
        problems.append(Problem(str(path), 0, 0, f"Die Datei kann nicht gelesen werden ({exc.strerror or exc}). "
                                                 "Prüfen Sie, ob es eine Datei ist und der Bot sie lesen darf."))
        return None
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), 0, 0, f"Die Datei ist nicht in UTF-8 gespeichert ({exc.reason})."))
        return None
    return parse_yaml(text, str(path), problems)


def parse_yaml(text: str, file: str, problems: list[Problem]) -> Any:
    try:
        return yaml_positions.load(text)
    except yaml_positions.DuplicateKey as exc:
        mark = exc.problem_mark
        problems.append(Problem(file, mark.line + 1, mark.column + 1,
                                f"Der Schlüssel »{exc.key}« steht doppelt in derselben Zuordnung (zuerst in Zeile "
                                f"{exc.context_mark.line + 1}). Löschen Sie einen der beiden oder benennen Sie ihn um."))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = exc.problem or exc.context or ""
        hint = next((german for english, german in _YAML_PROBLEMS if english in what), None)
        message = f"YAML-Syntaxfehler: {hint}" if hint else (
            f"YAML-Syntaxfehler ({what}). Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen.")
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            message += f" Der betroffene Abschnitt beginnt in Zeile {exc.context_mark.line + 1}."
        problems.append(Problem(file, line, col, message))
    return None


# libyaml's messages, and what they mean for someone editing the file.
_YAML_PROBLEMS = (
    ("found character '\\t'", "Tabulatoren sind nicht erlaubt – rücken Sie mit Leerzeichen ein."),
    ("did not find expected key", "Hier wird ein Schlüssel (»name: …«) erwartet. Meist stimmt die Einrückung nicht "
                                  "oder ein Anführungszeichen ist nicht geschlossen."),
    ("did not find expected '-' indicator", "Hier wird ein Listeneintrag erwartet, der mit »- « beginnt. Prüfen Sie "
                                            "die Einrückung."),
    ("mapping values are not allowed", "Ein Doppelpunkt steht an einer Stelle, an der er nicht erlaubt ist. "
                                            "Setzen Sie Text mit Doppelpunkt in Anführungszeichen."),
    ("could not find expected ':'", "Es fehlt ein Doppelpunkt nach dem Schlüssel."),
    ("found unexpected end of stream", "Die Datei endet unerwartet – fehlt ein schließendes Anführungszeichen?"),
    ("found unexpected ':'", "Unerwarteter Doppelpunkt – Text mit Doppelpunkt in Anführungszeichen setzen."),
    ("found unknown escape character", "Ungültiges Zeichen nach »\\« in einem Text in doppelten "
                                       "Anführungszeichen."),
    ("expected ',' or ']'", "Eine Liste in eckigen Klammern ist nicht richtig geschlossen (»]« oder Komma fehlt)."),
    ("expected ',' or '}'", "Eine Zuordnung in geschweiften Klammern ist nicht richtig geschlossen."),
    ("found a tab character", "Tabulatoren sind nicht erlaubt – rücken Sie mit Leerzeichen ein."),
)
_KEY_IN_TEXT = re.compile(r"^\s*(id|title|questions|answer|tags|source|programme|verdict|contacts|short|while_running|silent):\s.*$", re.M)


def _terms(doc: _Doc, node: Any, group: str) -> tuple[Term, ...]:
    terms = []
    mapping = doc.mapping(node, group, "vocabulary", required=False)
    for term_id, body in mapping.items():
        where = f"vocabulary.{group}.{term_id}"
        if not isinstance(body, dict):
            doc.error(mapping, term_id, f"{where}: erwartet werden »label« und »words«.")
            continue
        label = doc.text(body, "label", where)
        words = tuple(w.lower() for w in doc.texts(body, "words", where))
        flags = frozenset(flag for flag in TERM_FLAGS if body.get(flag) is True)
        terms.append(Term(str(term_id), label, words, flags))
    return tuple(terms)


def _merge_vocabulary(a: Vocabulary, b: Vocabulary) -> Vocabulary:
    return Vocabulary(
        applicants=a.applicants + b.applicants,
        regions=a.regions + b.regions,
        costs=a.costs + b.costs,
        service_types=a.service_types + b.service_types,
        topics=a.topics + b.topics,
    )


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _notice_date(doc: _Doc, node: Any, where: str) -> tuple[date | None, bool]:
    """A notice's date: JJJJ-MM-TT, or JJJJ-MM when the source names only the month."""
    raw = str(node.get("date") or "").strip()
    month = _MONTH.match(raw)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if 1 <= number <= 12:
            first_of_next = date(year + number // 12, number % 12 + 1, 1)
            return date.fromordinal(first_of_next.toordinal() - 1), True
    return doc.date(node, "date", where), False


def _notices(doc: _Doc, node: Any, where: str) -> tuple[Notice, ...]:
    out = []
    for i, raw in enumerate(doc.sequence(node, "notices", where, required=False)):
        nwhere = f"{where}, Hinweis {i + 1}"
        if not isinstance(raw, dict):
            doc.error(node["notices"], i, f"{nwhere}: erwartet werden date, text, certainty und source.")
            continue
        day, month_only = _notice_date(doc, raw, nwhere)
        text = doc.text(raw, "text", nwhere)
        source = doc.mapping(raw, "source", nwhere)
        title = doc.text(source, "title", f"{nwhere}, Quelle") if source else ""
        certainty = doc.text(raw, "certainty", nwhere)
        if certainty and certainty not in ("certain", "uncertain"):
            doc.error(raw, "certainty", f"{nwhere}: certainty muss »certain« (sicher) oder »uncertain« sein.")
        if day and text and title:
            out.append(Notice(day, text, title, doc.text(source, "publisher", nwhere, required=False),
                              doc.text(source, "address", nwhere, required=False),
                              doc.text(raw, "caveat", nwhere, required=False), certainty == "certain", month_only))
    return tuple(sorted(out, key=lambda n: n.date))


def _costs(doc: _Doc, node: Any, where: str) -> list[tuple[str, str]]:
    """`costs`: a list of cost ids, or a mapping cost id → how the source says it is covered."""
    raw = node.get("costs") if isinstance(node, dict) else None
    if isinstance(raw, dict):
        return [(str(k), str(v).strip() if v is not None else "") for k, v in raw.items()]
    return [(c, "") for c in doc.texts(node, "costs", where)]


def _periods(doc: _Doc, node: Any, where: str) -> list[tuple[Period, Any]]:
    """The programme's periods in order, each checked (status, condition, end after start, no overlap)."""
    periods = []
    raw_periods = doc.sequence(node, "periods", where)
    if not raw_periods:
        doc.error(node, "periods", f"{where}: mindestens ein Förderzeitraum (»periods«) ist nötig.")
    for i, raw in enumerate(raw_periods):
        pwhere = f"{where}, Zeitraum {i + 1}"
        if not isinstance(raw, dict):
            doc.error(raw_periods, i, f"{pwhere}: erwartet werden start, end und status.")
            continue
        start, end = doc.date(raw, "start", pwhere), doc.date(raw, "end", pwhere)
        status = doc.text(raw, "status", pwhere)
        condition = doc.text(raw, "condition", pwhere, required=False) or None
        if status not in ("confirmed", "conditional"):
            doc.error(raw, "status", f"{pwhere}: status muss »confirmed« (zugesagt) oder »conditional« "
                                     "(unter Vorbehalt) sein.")
        if status == "conditional" and not condition:
            doc.error(raw, None, f"{pwhere}: ein Zeitraum unter Vorbehalt braucht »condition« mit dem Vorbehalt.")
        if status == "confirmed" and condition:
            doc.error(raw, "condition", f"{pwhere}: ein zugesagter Zeitraum hat keine »condition«; "
                                        "setzen Sie status: conditional.")
        if start and end and end < start:
            doc.error(raw, "end", f"{pwhere}: das Ende ({end:%d.%m.%Y}) liegt vor dem Beginn ({start:%d.%m.%Y}).")
            continue
        if start and end:
            periods.append((Period(start, end, condition if status == "conditional" else None), raw))
    ordered = sorted(periods, key=lambda pr: pr[0].start)
    for (a, _), (b, raw_b) in zip(ordered, ordered[1:]):
        if b.start <= a.end:
            doc.error(raw_b, "start", f"{where}: Zeiträume überschneiden sich ({a.start:%d.%m.%Y}–{a.end:%d.%m.%Y} "
                                      f"und {b.start:%d.%m.%Y}–{b.end:%d.%m.%Y}).")
    return ordered


def _programme(doc: _Doc, node: Any, seen: dict[str, int]) -> Programme | None:
    pid = doc.ident(node, "Programm", seen)
    where = f"Programm »{pid or '?'}«"
    title = doc.text(node, "title", where)
    source = doc.text(node, "source", where)
    ordered = _periods(doc, node, where)
    costs = _costs(doc, node, where)
    applicants = doc.mapping(node, "applicants", where)
    not_eligible = doc.mapping(applicants, "not_eligible", where, required=False) if applicants else {}
    exclusions = doc.mapping(node, "exclusions", where, required=False)
    excluded_types = doc.mapping(exclusions, "service_types", where, required=False) if exclusions else {}
    excluded_services = doc.mapping(exclusions, "services", where, required=False) if exclusions else {}
    if not (title and source and ordered):
        return None
    return Programme(
        id=pid,
        title=title,
        source=source,
        periods=tuple(p for p, _ in ordered),
        applicant_types=doc.texts(applicants, "types", where, required=True) if applicants else (),
        applicant_regions=doc.texts(applicants, "regions", where) if applicants else (),
        not_eligible_applicants=tuple((str(k), str(v).strip()) for k, v in not_eligible.items()),
        other_region_reason=doc.text(applicants, "other_region", where, required=False) if applicants else "",
        costs=tuple(cost for cost, _ in costs),
        cost_texts=tuple((cost, text) for cost, text in costs if text),
        own_share=doc.text(node, "own_share", where, required=False),
        notices=_notices(doc, node, where),
        rules_checked=doc.date(node, "rules_checked", where) if node.get("rules_checked") else None,
        service_types=doc.texts(node, "service_types", where),
        services=doc.texts(node, "services", where),
        excluded_types=tuple((str(k), str(v).strip()) for k, v in excluded_types.items()),
        excluded_services=tuple((str(k), str(v).strip()) for k, v in excluded_services.items()),
        funder=doc.text(node, "funder", where, required=False),
        end_is_presumed=bool(node.get("end_is_presumed", False)),
        contacts=doc.texts(node, "contacts", where),
    )


def _entry(doc: _Doc, node: Any, seen: dict[str, int]) -> FaqEntry | None:
    eid = doc.ident(node, "Eintrag", seen)
    where = f"Eintrag »{eid or '?'}«"
    title = doc.text(node, "title", where)
    questions = doc.texts(node, "questions", where, required=True)
    if "questions" in node and not questions:
        doc.error(node, "questions", f"{where}: mindestens eine Frageformulierung unter »questions« ist nötig.")
    answer = doc.text(node, "answer", where)
    stray = _KEY_IN_TEXT.search(answer)
    if stray:
        doc.error(node, "answer", f"{where}: die Antwort enthält die Zeile »{stray.group(0).strip()}« – vermutlich ist "
                                  "sie zu weit eingerückt und gehört nicht zur Antwort. Rücken Sie sie so weit ein wie "
                                  "»answer:«.")
    source = doc.text(node, "source", where)
    short = doc.text(node, "short", where, required=False)
    if len(short) > SHORT_ANSWER:
        doc.error(node, "short", f"{where}: »short« hat {len(short)} Zeichen – höchstens {SHORT_ANSWER}: ein Satz, "
                                 "der als erste Zeile auf den Bildschirm passt.")
    programme = node.get("programme")
    if not (eid and title and questions and answer and source):
        return None
    return FaqEntry(
        id=eid,
        title=title,
        questions=questions,
        answer=answer,
        tags=doc.texts(node, "tags", where),
        source=source,
        programme=str(programme).strip() if programme else None,
        verdict=bool(node.get("verdict", False)),
        contacts=doc.texts(node, "contacts", where),
        line=doc.at(node)[0],
        short=short,
        while_running=node.get("while_running") is True,
        silent=node.get("silent") is True,
    )


def _cross_check(knowledge_parts: dict, docs: dict[str, _Doc], positions: dict) -> None:
    """Check references between files: tags, sources, programmes, vocabulary ids."""
    sources = {s.id for s in knowledge_parts["sources"]}
    contacts = {c.id for c in knowledge_parts["contacts"]}
    programmes = {p.id for p in knowledge_parts["programmes"]}
    tags = set(knowledge_parts["tags"])
    vocab: Vocabulary = knowledge_parts["vocabulary"]
    faq_doc = docs.get("faq")
    for entry in knowledge_parts["entries"]:
        node = positions[("entry", entry.id)]
        where = f"Eintrag »{entry.id}«"
        for tag in entry.tags:
            if tag not in tags:
                faq_doc.error(node, "tags", f"{where}: unbekannter Tag »{tag}«. Erlaubt: {', '.join(sorted(tags))}.")
        if entry.source not in sources:
            faq_doc.error(node, "source", f"{where}: unbekannte Quelle »{entry.source}«. Bekannt: {', '.join(sorted(sources))}.")
        if entry.programme and entry.programme not in programmes:
            faq_doc.error(node, "programme", f"{where}: unbekanntes Programm »{entry.programme}«. "
                                             f"Bekannt: {', '.join(sorted(programmes)) or 'keines'}.")
        if entry.verdict and not entry.programme:
            faq_doc.error(node, "verdict", f"{where}: »verdict: true« braucht ein »programme«.")
        if entry.verdict and entry.silent:
            faq_doc.error(node, "silent", f"{where}: »silent: true« (die Quelle sagt nichts) und »verdict: true« "
                                          "(das Urteil des Programms) schließen sich aus.")
        for contact in entry.contacts:
            if contact not in contacts:
                faq_doc.error(node, "contacts", f"{where}: unbekannter Kontakt »{contact}«.")
    ids = {
        "applicants": {t.id for t in vocab.applicants},
        "regions": {t.id for t in vocab.regions},
        "costs": {t.id for t in vocab.costs},
        "service_types": {t.id for t in vocab.service_types},
    }
    for programme in knowledge_parts["programmes"]:
        doc, node = positions[("programme", programme.id)]
        where = f"Programm »{programme.id}«"
        if programme.source not in sources:
            doc.error(node, "source", f"{where}: unbekannte Quelle »{programme.source}« (Quellen stehen in faq.yaml).")
        checks = [
            ("applicants", programme.applicant_types, "Antragsteller"),
            ("applicants", [a for a, _ in programme.not_eligible_applicants], "Antragsteller"),
            ("regions", programme.applicant_regions, "Region"),
            ("costs", programme.costs, "Kostenart"),
            ("service_types", programme.service_types, "Diensttyp"),
            ("service_types", [t for t, _ in programme.excluded_types], "Diensttyp"),
        ]
        for group, values, label in checks:
            for value in values:
                if value not in ids[group]:
                    doc.error(node, None, f"{where}: unbekannte(r) {label} »{value}«. "
                                          f"Bekannt (vocabulary.{group}): {', '.join(sorted(ids[group]))}.")
        for contact in programme.contacts:
            if contact not in contacts:
                doc.error(node, "contacts", f"{where}: unbekannter Kontakt »{contact}«.")


def _with_extra_keywords(path: Path, services: tuple[Service, ...], problems: list[Problem],
                         blobs: list[bytes]) -> tuple[Service, ...]:
    """The catalogue with the support team's own keywords (stichworte.yaml) added: they survive every
    import of a new catalogue export. The file is optional; unknown ids are warnings."""
    if not path.exists():
        return services
    blobs.append(read_bytes(path))
    data = read_yaml(path, problems)
    if data is None:
        return services
    doc = _Doc(str(path), problems)
    extra = doc.mapping(data, "stichworte", path.name) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, 1, "Die Datei muss eine Zuordnung »stichworte:« sein."))
    known = {s.id for s in services}
    words: dict[str, tuple[str, ...]] = {}
    for service_id in extra:
        if str(service_id) not in known:
            line, col = doc.at(extra, service_id)
            problems.append(Problem(str(path), line, col, f"stichworte: »{service_id}« steht nicht im Katalog; "
                                                          "die Stichworte werden nicht verwendet.", "warning"))
            continue
        words[str(service_id)] = tuple(w.lower() for w in doc.texts(extra, service_id, f"stichworte.{service_id}",
                                                                    required=True))
    return tuple(replace(s, keywords=tuple(dict.fromkeys(s.keywords + words.get(s.id, ())))) for s in services)


def _version(blobs: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for blob in blobs:
        digest.update(hashlib.sha256(blob).digest())
    return digest.hexdigest()[:12]


@dataclass
class _Loading:
    """What has been read so far from one knowledge directory, and every problem found on the way."""

    knowledge_dir: Path
    problems: list[Problem] = field(default_factory=list)
    docs: dict[str, _Doc] = field(default_factory=dict)
    positions: dict = field(default_factory=dict)
    blobs: list[bytes] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    entries: list[FaqEntry] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    programmes: list[Programme] = field(default_factory=list)
    services: tuple[Service, ...] = ()

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)

    def read_faq(self) -> None:
        path = self.knowledge_dir / FAQ_FILE
        faq = read_yaml(path, self.problems)
        doc = self.docs["faq"] = _Doc(str(path), self.problems)
        if path.exists():
            self.blobs.append(read_bytes(path))
        if faq is not None and not isinstance(faq, dict):
            self.problems.append(Problem(str(path), 1, 1, "Die Datei muss eine Zuordnung mit »sources«, »tags« und "
                                                          "»entries« sein."))
        elif faq is not None:
            self.sources, self.contacts = _sources(doc, faq), _contacts(doc, faq)
            self.tags = list(doc.texts(faq, "tags", "faq.yaml", required=True))
            self.synonyms = _synonyms(doc, faq)
            self._read_entries(doc, faq)

    def _read_entries(self, doc: _Doc, faq: dict) -> None:
        seen: dict[str, int] = {}
        for node in doc.sequence(faq, "entries", "faq.yaml"):
            if not isinstance(node, dict):
                doc.error(faq["entries"], None, "Jeder Eintrag unter »entries« braucht id, title, questions, answer.")
                continue
            entry = _entry(doc, node, seen)
            if entry:
                self.entries.append(entry)
                self.positions[("entry", entry.id)] = node

    def read_rules(self, extra_rule_files: Sequence[Path]) -> None:
        rule_files = sorted(self.knowledge_dir.glob(RULES_GLOB)) + [Path(p) for p in extra_rule_files]
        if not rule_files:
            self.problems.append(Problem(str(self.knowledge_dir / "regeln.yaml"), 0, 0,
                                         "Keine Regeldatei (regeln.yaml) gefunden."))
        seen: dict[str, int] = {}
        for path in rule_files:
            rules = read_yaml(path, self.problems)
            self.blobs.append(read_bytes(path))
            if rules is None:
                continue
            doc = self.docs[str(path)] = _Doc(str(path), self.problems)
            if not isinstance(rules, dict):
                self.problems.append(Problem(str(path), 1, 1, "Die Datei muss eine Zuordnung mit »programmes« sein."))
                continue
            self._read_rule_file(doc, rules, path, seen)

    def _read_rule_file(self, doc: _Doc, rules: dict, path: Path, seen: dict[str, int]) -> None:
        vocab_node = doc.mapping(rules, "vocabulary", path.name, required=False)
        if vocab_node:
            self.vocabulary = _merge_vocabulary(self.vocabulary, Vocabulary(
                *(_terms(doc, vocab_node, g) for g in VOCABULARY_GROUPS)))
        for node in doc.sequence(rules, "programmes", path.name, required=False):
            if not isinstance(node, dict):
                doc.error(rules, "programmes", "Jedes Programm braucht id, title, source, periods.")
                continue
            programme = _programme(doc, node, seen)
            if programme:
                self.programmes.append(programme)
                self.positions[("programme", programme.id)] = (doc, node)

    def read_catalogue(self, services: Sequence[Service] | None) -> None:
        if services is None:
            csv_path = self.knowledge_dir / CATALOGUE_FILE
            data = read_bytes(csv_path)
            services, catalogue_problems = parse_catalogue(data, str(csv_path))
            self.problems.extend(catalogue_problems)
        self.services = _with_extra_keywords(self.knowledge_dir / KEYWORDS_FILE, tuple(services), self.problems,
                                             self.blobs)
        self.blobs.append("\n".join(repr(s) for s in self.services).encode())

    def finish(self, catalogue_is_sample: bool) -> Knowledge | None:
        parts = dict(sources=self.sources, contacts=self.contacts, programmes=self.programmes, entries=self.entries,
                     tags=self.tags, vocabulary=self.vocabulary)
        if not self.failed:
            _cross_check(parts, self.docs, self.positions)
        if not self.programmes and not self.failed:
            self.problems.append(Problem(str(self.knowledge_dir / "regeln.yaml"), 0, 0,
                                         "Es ist kein Förderprogramm definiert."))
        if self.failed:
            return None
        return Knowledge(
            entries=tuple(self.entries), services=self.services, programmes=tuple(self.programmes),
            sources=tuple(self.sources), contacts=tuple(self.contacts), vocabulary=self.vocabulary,
            tags=tuple(self.tags), version=_version(self.blobs), loaded_at=datetime.now(timezone.utc),
            catalogue_is_sample=catalogue_is_sample, synonyms=tuple(self.synonyms),
        )


def _sources(doc: _Doc, faq: dict) -> list[Source]:
    out: list[Source] = []
    seen: dict[str, int] = {}
    for node in doc.sequence(faq, "sources", "faq.yaml"):
        sid = doc.ident(node, "Quelle", seen)
        title = doc.text(node, "title", f"Quelle »{sid}«")
        when = doc.date(node, "date", f"Quelle »{sid}«")
        if sid and title and when:
            out.append(Source(sid, title, when, doc.text(node, "publisher", "Quelle", required=False),
                              doc.text(node, "short_title", "Quelle", required=False),
                              _url(doc, node, f"Quelle »{sid}«")))
    return out


def _contacts(doc: _Doc, faq: dict) -> list[Contact]:
    out: list[Contact] = []
    seen: dict[str, int] = {}
    for node in doc.sequence(faq, "contacts", "faq.yaml", required=False):
        cid = doc.ident(node, "Kontakt", seen)
        name = doc.text(node, "name", f"Kontakt »{cid}«")
        if cid and name:
            fields = {k: doc.text(node, k, "Kontakt", required=False) for k in ("role", "email", "phone", "short_name")}
            web = _url(doc, node, f"Kontakt »{cid}«", "url") or _url(doc, node, f"Kontakt »{cid}«", "web")
            out.append(Contact(cid, name, **fields, web=web, support=node.get("support") is True))
    return out


def _url(doc: _Doc, node: dict, where: str, key: str = "url") -> str:
    """An optional web address; only https:// or http:// (a link button needs a real address)."""
    url = doc.text(node, key, where, required=False)
    if url and not url.startswith(("https://", "http://")):
        doc.error(node, key, f"{where}: »{url}« ist keine Web-Adresse (sie beginnt mit https://).")
        return ""
    return url


def _synonyms(doc: _Doc, faq: dict) -> list[tuple[str, ...]]:
    out = []
    raw = doc.sequence(faq, "synonyms", "faq.yaml", required=False)
    for i, group in enumerate(raw):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w.strip() for w in group):
            doc.error(raw, i, "synonyms: jede Gruppe ist eine Liste aus mindestens zwei Wörtern, "
                              "z. B. [ozg, onlinezugangsgesetz].")
        else:
            out.append(tuple(w.strip().lower() for w in group))
    return out


def inspect_knowledge(
    knowledge_dir: Path,
    services: Sequence[Service] | None = None,
    extra_rule_files: Sequence[Path] = (),
    *,
    catalogue_is_sample: bool = True,
) -> tuple[Knowledge | None, list[Problem]]:
    """Load everything and return the knowledge (None on errors) with all problems found."""
    with collector_paused():
        loading = _Loading(Path(knowledge_dir))
        loading.read_faq()
        loading.read_rules(extra_rule_files)
        loading.read_catalogue(services)
        return loading.finish(catalogue_is_sample), loading.problems


def load_knowledge(
    knowledge_dir: Path | None = None,
    services: Sequence[Service] | None = None,
    extra_rule_files: Sequence[Path] = (),
    *,
    catalogue_is_sample: bool = True,
) -> Knowledge:
    """Load knowledge or raise `KnowledgeError` listing every error."""
    knowledge, problems = inspect_knowledge(
        knowledge_dir or default_knowledge_dir(), services, extra_rule_files, catalogue_is_sample=catalogue_is_sample
    )
    if knowledge is None:
        raise KnowledgeError(problems)
    return knowledge
