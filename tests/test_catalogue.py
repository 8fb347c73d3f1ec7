"""Catalogue exports as Excel writes them, broken rows, import history and rollback."""

import pytest

from bot.catalogue_store import CatalogueStore
from bot.knowledge.catalogue import parse_catalogue

HEADER = "id;name;themenfeld;typ;status;stichworte"
ROWS = [
    "hundesteuer;Hundesteuer – An- und Abmeldung eines Hundes;Steuern;kisa;verfuegbar;Hund anmelden, Hundemarke",
    'sondernutzung;"Sondernutzung; Gehweg und Straße";Mobilität & Reisen;kisa;verfuegbar;"Gerüst; Container"',
    "efa-wsp;Wirtschafts-Service-Portal (EfA, Nordrhein-Westfalen);Unternehmensführung;efa;verfuegbar;Gewerbeanmeldung",
]


def export(rows=ROWS, encoding="utf-8", newline="\n", bom=False) -> bytes:
    data = newline.join([HEADER, *rows]) + newline
    raw = data.encode(encoding)
    return (b"\xef\xbb\xbf" + raw) if bom else raw


@pytest.mark.parametrize(
    "data",
    [
        export(),
        export(bom=True),
        export(encoding="cp1252"),
        export(newline="\r\n"),
        export(encoding="cp1252", newline="\r\n"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "crlf", "cp1252-crlf"],
)
def test_excel_variants_parse_alike(data):
    services, problems = parse_catalogue(data)
    assert not problems
    assert [s.id for s in services] == ["hundesteuer", "sondernutzung", "efa-wsp"]
    assert services[0].name == "Hundesteuer – An- und Abmeldung eines Hundes"
    assert services[1].name == "Sondernutzung; Gehweg und Straße"
    assert services[1].keywords == ("Gerüst; Container",)


def test_cp1252_en_dash_is_byte_0x96():
    data = export(encoding="cp1252")
    assert b"\x96" in data
    services, _ = parse_catalogue(data)
    assert "–" in services[0].name


@pytest.mark.parametrize(
    ("row", "line", "message"),
    [
        ("x;Name;Thema;bund;verfuegbar;", 3, "Unbekannter typ »bund«"),
        ("x;Name;Thema;kisa;bald;", 3, "Unbekannter status »bald«"),
        ("x;;Thema;kisa;verfuegbar;", 3, "»name« ist leer"),
        ("X Y;Name;Thema;kisa;verfuegbar;", 3, "ist ungültig"),
        ("hundesteuer;Doppelt;Thema;kisa;verfuegbar;", 3, "kommt doppelt vor (schon in Zeile 2)"),
        ("x;Name;Thema;kisa", 3, "hat 4 Felder statt 6"),
    ],
)
def test_broken_rows_are_reported_with_line_numbers(row, line, message):
    data = export([ROWS[0], row, ROWS[2]])
    services, problems = parse_catalogue(data, "export.csv")
    assert len(problems) == 1
    assert problems[0].line == line and message in problems[0].message
    assert str(problems[0]).startswith(f"export.csv:{line}:")


def test_missing_header_column():
    _, problems = parse_catalogue(b"id;name;typ\nx;y;kisa\n")
    assert "es fehlt themenfeld, status, stichworte" in problems[0].message


def test_empty_file():
    _, problems = parse_catalogue(b"")
    assert "leer" in problems[0].message


@pytest.fixture
def store(tmp_path):
    s = CatalogueStore(tmp_path / "katalog.db")
    yield s
    s.close()


def test_import_records_and_rolls_back(store, tmp_path):
    first = tmp_path / "a.csv"
    first.write_bytes(export())
    plan, record = store.import_file(first)
    assert record.id == 1 and record.total == 3 and plan.added == ("hundesteuer", "sondernutzung", "efa-wsp")
    second = tmp_path / "b.csv"
    changed = ROWS[0].replace("Steuern", "Abgaben")
    second.write_bytes(export([changed, ROWS[1], ROWS[2], "neu;Neuer Dienst;Thema;kisa;geplant;"]))
    plan, record = store.import_file(second)
    assert plan.changed == ("hundesteuer",) and plan.added == ("neu",)
    assert len(store.services()) == 4
    history = store.history()
    assert [r.id for r in history] == [1, 2] and history[1].sha256 != history[0].sha256
    store.rollback(1)
    assert [s.id for s in store.services()] == ["hundesteuer", "sondernutzung", "efa-wsp"]
    assert store.services()[0].topic == "Steuern"
    assert store.history()[-1].note == "Rücksprung auf Import 1"


def test_broken_import_keeps_previous_catalogue(store, tmp_path):
    good = tmp_path / "a.csv"
    good.write_bytes(export())
    store.import_file(good)
    bad = tmp_path / "b.csv"
    bad.write_bytes(export([ROWS[0], "x;Name;Thema;bund;verfuegbar;"]))
    plan, record = store.import_file(bad)
    assert record is None and not plan.ok
    assert len(store.services()) == 3 and len(store.history()) == 1


def test_dry_run_changes_nothing(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(export())
    plan, record = store.import_file(path, dry_run=True)
    assert record is None and plan.added and store.is_empty()


def test_large_drop_is_refused_unless_forced(store, tmp_path):
    full = tmp_path / "a.csv"
    full.write_bytes(export())
    store.import_file(full)
    truncated = tmp_path / "b.csv"
    truncated.write_bytes(export([ROWS[0]]))
    plan, record = store.import_file(truncated)
    assert record is None and "--force" in plan.refused
    plan, record = store.import_file(truncated, force=True)
    assert record is not None and len(store.services()) == 1


def test_seed_only_when_empty(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(export())
    assert store.seed(path) is not None
    assert store.seed(path) is None
