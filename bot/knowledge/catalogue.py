"""Parse the support team's catalogue export (semicolon CSV) into services.

Accepts what German Excel produces: UTF-8 with or without BOM, cp1252, CRLF line endings and
quoted fields containing ``;``. Broken rows become line-numbered German problems.
"""

from __future__ import annotations

import csv
import io
import re

from .model import Service
from .problems import Problem

COLUMNS = ("id", "name", "themenfeld", "typ", "status", "stichworte")
SERVICE_TYPES = {
    "kisa": "KISA-Online-Antragsassistent",
    "efa": "Einer-für-Alle-(EfA-)Dienst",
    "landeslizenz": "landeslizenzierter Online-Dienst",
}
STATUSES = {"verfuegbar": "verfügbar", "geplant": "geplant"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def decode(data: bytes) -> tuple[str, str]:
    """Return the text and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def parse_catalogue(data: bytes, file: str = "katalog.csv") -> tuple[list[Service], list[Problem]]:
    text, _encoding = decode(data)
    problems: list[Problem] = []
    services: list[Service] = []
    if not text.strip():
        return [], [Problem(file, 1, 1, "Die Datei ist leer. Erwartet wird die Kopfzeile "
                            + ";".join(COLUMNS) + " und mindestens eine Zeile.")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
    header: list[str] | None = None
    index: dict[str, int] = {}
    seen: dict[str, int] = {}
    line_start = 1
    try:
        for row in reader:
            line = line_start
            line_start = reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lstrip("\ufeff").lower() for cell in row]
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    return [], [Problem(file, line, 1,
                                        f"Kopfzeile unvollständig: es fehlt {', '.join(missing)}. "
                                        f"Erwartet: {';'.join(COLUMNS)} (durch Semikolon getrennt).")]
                index = {c: header.index(c) for c in COLUMNS}
                continue
            service = _service(row, index, header, file, line, seen, problems)
            if service:
                services.append(service)
    except csv.Error as exc:
        problems.append(Problem(file, line_start, 1,
                                f"Die CSV-Datei ist beschädigt ({exc}). Prüfen Sie Anführungszeichen in dieser Zeile."))
    if header is not None and not services and not problems:
        problems.append(Problem(file, 2, 1, "Die Datei enthält keine Einträge, nur die Kopfzeile."))
    return services, problems


def _service(row, index, header, file, line, seen, problems) -> Service | None:
    if len(row) != len(header):
        problems.append(Problem(file, line, 1,
                                f"Die Zeile hat {len(row)} Felder statt {len(header)}. Enthält ein Feld ein "
                                "Semikolon, muss es in Anführungszeichen stehen."))
        return None
    cells = {c: row[i].strip() for c, i in index.items()}
    cells["typ"] = cells["typ"].lower()
    cells["status"] = cells["status"].lower().replace("ü", "ue")  # "verfügbar" as Excel users type it
    ok = True

    def bad(column: str, message: str) -> None:
        nonlocal ok
        ok = False
        problems.append(Problem(file, line, index[column] + 1, message))

    if not cells["id"]:
        bad("id", "Die Spalte »id« ist leer.")
    elif not _ID.match(cells["id"]):
        bad("id", f"Die id »{cells['id']}« ist ungültig: nur Kleinbuchstaben, Ziffern und Bindestriche.")
    elif cells["id"] in seen:
        bad("id", f"Die id »{cells['id']}« kommt doppelt vor (schon in Zeile {seen[cells['id']]}).")
    if not cells["name"]:
        bad("name", "Die Spalte »name« ist leer.")
    if cells["typ"] not in SERVICE_TYPES:
        bad("typ", f"Unbekannter typ »{cells['typ']}«. Erlaubt: {', '.join(SERVICE_TYPES)}.")
    if cells["status"] not in STATUSES:
        bad("status", f"Unbekannter status »{cells['status']}«. Erlaubt: {', '.join(STATUSES)}.")
    if not ok:
        return None
    seen[cells["id"]] = line
    keywords = tuple(k.strip() for k in cells["stichworte"].split(",") if k.strip())
    return Service(cells["id"], cells["name"], cells["themenfeld"], cells["typ"], cells["status"], keywords)
