"""Warnings about knowledge that loads but will answer badly."""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz

from .dates import german_date
from .deep_links import is_payload
from .lexicon import LEXICON
from .compose import notice_date
from .model import Knowledge
from .problems import Problem
from .model import Subject
from .rules import specificity
from .text import words

_DATE_IN_TEXT = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")
NEAR_DUPLICATE = 90
_DEADLINE_WORDS = re.compile(r"\b(bis|frist|endet|ende|läuft|gilt)\b", re.I)
# A passed date is fine where the answer reports what the source said ("laut Pressemitteilung …").
_ATTRIBUTED = re.compile(r"\b(laut|pressemitteilung|quelle|voraussichtlich|hieß|hiess|damals|endete|lief)\b", re.I)


def _sentence_around(text: str, position: int) -> str:
    """The line around a position (answers are written a sentence per line; dates contain dots)."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start:end if end != -1 else len(text)]


def support_contact_gap(knowledge: Knowledge) -> str | None:
    """The support contact users are sent to when the bot cannot help: it needs a way to reach it."""
    contact = knowledge.support_contact
    if contact is None:
        return "Kein Support-Kontakt (support: true) in faq.yaml: Der Bot kann nicht sagen, an wen man sich wendet."
    if not contact.reach:
        return (f"Der Support-Kontakt »{contact.name}« hat weder E-Mail noch Telefon noch Web-Adresse (email, phone, "
                "url in faq.yaml): Wer nicht weiterkommt, erfährt nicht, wie er ihn erreicht. Tragen Sie nur "
                "offiziell bestätigte Angaben ein.")
    return None


def deep_link_gaps(knowledge: Knowledge) -> list[str]:
    """Catalogue ids that cannot be a Telegram deep-link payload (/start <id>)."""
    return [f"Katalog-Eintrag »{s.id}«: die id taugt nicht als Telegram-Link (/start {s.id}) – erlaubt sind "
            "höchstens 64 Zeichen aus A–Z, a–z, 0–9, _ und -."
            for s in knowledge.services if not is_payload(s.id)]


def setup_gaps(knowledge: Knowledge) -> list[str]:
    """What the operator must still fill in the knowledge files (for kb check and /healthz)."""
    gap = support_contact_gap(knowledge)
    return ([gap] if gap else []) + deep_link_gaps(knowledge)


def warnings(knowledge: Knowledge, faq_file: str, catalogue_file: str, today: date) -> list[Problem]:
    out: list[Problem] = []
    if gap := support_contact_gap(knowledge):
        out.append(Problem(faq_file, 0, 0, gap, "warning"))
    out += [Problem(catalogue_file, 0, 0, gap, "warning") for gap in deep_link_gaps(knowledge)]
    phrasings = [(e, q, " ".join(words(q))) for e in knowledge.entries for q in e.questions]
    for i, (entry_a, q_a, norm_a) in enumerate(phrasings):
        for entry_b, q_b, norm_b in phrasings[i + 1:]:
            if entry_a.id == entry_b.id:
                continue
            score = fuzz.token_sort_ratio(norm_a, norm_b, processor=None)
            if score >= NEAR_DUPLICATE:
                out.append(Problem(faq_file, entry_b.line, 1,
                                   f"Fast gleiche Formulierungen in verschiedenen Einträgen ({score:.0f} %): "
                                   f"»{q_a}« ({entry_a.id}) und »{q_b}« ({entry_b.id}). Das führt zu "
                                   "Verwechslungen – formulieren Sie eine davon um.", "warning"))
    for entry in knowledge.entries:
        for m in _DATE_IN_TEXT.finditer(entry.answer):
            try:
                mentioned = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                out.append(Problem(faq_file, entry.line, 1, f"Eintrag »{entry.id}«: »{m.group(0)}« ist kein gültiges "
                                                            "Datum.", "error"))
                continue
            sentence = _sentence_around(entry.answer, m.start())
            if (mentioned < today and _DEADLINE_WORDS.search(sentence) and not _ATTRIBUTED.search(sentence)):
                out.append(Problem(faq_file, entry.line, 1,
                                   f"Eintrag »{entry.id}« nennt die Frist {german_date(mentioned)}, die vorbei ist. "
                                   "Prüfen Sie, ob die Antwort das deutlich sagt.", "warning"))
    for entry in knowledge.entries:
        if not entry.short:
            out.append(Problem(faq_file, entry.line, 1, f"Eintrag »{entry.id}« hat keine »short«-Antwort; der Bot zeigt "
                                                        "dann den ersten Satz der Antwort als erste Zeile.", "warning"))
    for tag in (LEXICON.periods_tag, LEXICON.catalogue_tag, LEXICON.smalltalk_tag):
        if tag not in knowledge.tags:
            out.append(Problem(faq_file, 0, 0, f"Der Tag »{tag}« fehlt in »tags«: Der Bot erkennt daran Einträge zu "
                                               "Förderzeiträumen, zum Katalog bzw. zum Bot selbst.", "warning"))
    for programme in knowledge.programmes:
        newer = [n for n in programme.notices if programme.rules_checked is None or n.date > programme.rules_checked]
        for notice in newer:
            out.append(Problem(faq_file.replace("faq.yaml", "regeln.yaml"), 0, 0,
                               f"Programm »{programme.id}«: der Hinweis vom {notice_date(notice)} ist neuer als "
                               f"die letzte Prüfung der Regeln (rules_checked: "
                               f"{german_date(programme.rules_checked) if programme.rules_checked else 'fehlt'}). "
                               "Prüfen Sie, ob Zeiträume oder Bedingungen anzupassen sind, und setzen Sie dann "
                               "rules_checked.", "warning"))
    for service in knowledge.services:
        if not any(specificity(p, Subject(service=service)) is not None for p in knowledge.programmes):
            out.append(Problem(catalogue_file, 0, 0,
                               f"Katalog-Eintrag »{service.id}« (typ {service.type}) wird von keiner Regel erfasst; "
                               "der Bot antwortet dazu »weiß ich nicht«.", "warning"))
    return out
