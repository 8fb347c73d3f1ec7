"""One place for configuration: `Settings.from_env()`; secrets never appear in `repr`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

from .knowledge.load import default_knowledge_dir
from .schema import SYNCHRONOUS

TELEGRAM_API = "https://api.telegram.org/bot"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(ValueError):
    """A German message for operators about a wrong environment variable."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} muss eine ganze Zahl sein, nicht »{raw}«.") from None


def _number(env: Mapping[str, str], name: str, default: float, minimum: float, unit: str,
            maximum: float = float("inf")) -> float:
    raw = env.get(name, "").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} muss eine Zahl ({unit}) sein, nicht »{raw}«.") from None
    if not minimum <= value <= maximum or value == float("inf"):
        if maximum == float("inf"):
            raise ConfigError(f"{name} muss mindestens {minimum:g} sein, nicht »{raw}«.")
        raise ConfigError(f"{name} muss zwischen {minimum:g} und {maximum:g} {unit} liegen, nicht »{raw}«.")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    return _number(env, name, default, minimum, "Sekunden")
def _range(env: Mapping[str, str], name: str, default: tuple[int, int], low: int, high: int) -> tuple[int, int]:
    """"8-18" → (8, 18): a range of whole numbers within [low, high], first below last."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    match = re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2})", raw)
    if not match or not low <= int(match[1]) < int(match[2]) <= high:
        raise ConfigError(f"{name} muss ein Bereich wie »{default[0]}-{default[1]}« zwischen {low} und {high} sein, "
                          f"nicht »{raw}«.")
    return int(match[1]), int(match[2])


def _port(env: Mapping[str, str]) -> int:
    port = _int(env, "PORT", 8080)
    if not 0 < port < 65536:
        raise ConfigError(f"PORT muss zwischen 1 und 65535 liegen, nicht {port}.")
    return port


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").replace(";", ",")
    out = set()
    for part in raw.split(","):
        part = part.strip()
        if part:
            try:
                out.add(int(part))
            except ValueError:
                raise ConfigError(f"{name}: »{part}« ist keine Telegram-ID (ganze Zahl).") from None
    return frozenset(out)


def _synchronous(env: Mapping[str, str]) -> str:
    raw = env.get("SQLITE_SYNCHRONOUS", "").strip()
    value = raw.upper() or "NORMAL"
    if value not in SYNCHRONOUS:
        raise ConfigError(f"SQLITE_SYNCHRONOUS muss NORMAL oder FULL sein, nicht »{raw}«.")
    return value


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(default="", repr=False)
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    bot_api_base_url: str = TELEGRAM_API
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("data")
    knowledge_dir: Path = field(default_factory=default_knowledge_dir)
    pseudonym_key: str = field(default="", repr=False)
    retention_days: int = 180
    admin_ids: frozenset[int] = frozenset()
    support_chat_id: int | None = None
    console_token: str = field(default="", repr=False)
    admin_token: str = field(default="", repr=False)
    # Talking to the Bot API: a slow API is a slow answer, not a failure.
    telegram_connect_timeout: float = 5.0
    telegram_read_timeout: float = 10.0
    telegram_write_timeout: float = 10.0
    telegram_pool_timeout: float = 5.0
    # Delivery: transient failures are retried with exponential backoff (base doubled per attempt,
    # capped at max, with jitter) until the answer is delivered or `delivery_max_age` has passed.
    delivery_backoff_base: float = 1.0
    delivery_backoff_max: float = 300.0
    delivery_max_age: float = 24 * 3600.0
    # Stopping: what is in flight gets this long (docker stop waits 10 s before SIGKILL).
    drain_seconds: float = 8.0
    # A second `serve` on the same DATA_DIR waits this long for the first to stop, then exits.
    lock_wait_seconds: float = 30.0
    # Follow-ups ("Und bis wann?") refer to the chat's last answer for this many minutes, measured
    # on the messages' own dates (CONTEXT_MINUTES; kept in memory only, cleared by /vergessen).
    context_minutes: float = 30.0
    # /datenschutz: filled in by the operator (kb check and /healthz say what is missing).
    privacy_controller: str = ""  # PRIVACY_CONTROLLER: the body responsible (name, address)
    privacy_legal_basis: str = ""  # PRIVACY_LEGAL_BASIS: e.g. "Art. 6 Abs. 1 lit. e DSGVO i. V. m. …"
    privacy_contact: str = ""  # PRIVACY_CONTACT: whom to ask about data protection (else the support contact)
    # Subscriptions (/abo): change notices are held this long after a reload (a typo fixed meanwhile
    # sends nothing); reminders and notices go out only on these weekdays (1 = Monday … 7 = Sunday,
    # inclusive) and hours (Europe/Berlin, from the first hour to before the last), at most
    # `notice_rate` a second overall; the bot looks for due ones every `notice_check_seconds`.
    notice_hold_seconds: float = 1800.0
    notice_days: tuple[int, int] = (1, 5)
    notice_hours: tuple[int, int] = (8, 18)
    notice_rate: float = 10.0
    notice_check_seconds: float = 60.0
    # SQLite durability (WAL): NORMAL survives a crash of the process, FULL also a power loss.
    sqlite_synchronous: str = "NORMAL"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every configured secret: none of them may appear in a log line or a response."""
        return tuple(s for s in (self.bot_token, self.webhook_secret, self.pseudonym_key, self.console_token,
                                 self.admin_token) if s)

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.bot_token)

    def check_for_serving(self) -> None:
        """Refuse settings that would run an open or broken webhook (German messages for operators)."""
        if not self.telegram_enabled:
            return
        if not self.webhook_secret:
            raise ConfigError("BOT_TOKEN ist gesetzt, aber WEBHOOK_SECRET ist leer. Ohne Secret würde der Webhook "
                              "Anfragen ohne Prüfung annehmen. Setzen Sie WEBHOOK_SECRET (1–256 Zeichen: A–Z, a–z, "
                              "0–9, _ und -).")
        if not _SECRET.match(self.webhook_secret):
            raise ConfigError("WEBHOOK_SECRET darf nur 1–256 Zeichen aus A–Z, a–z, 0–9, _ und - enthalten "
                              "(so verlangt es Telegram).")
        if not self.pseudonym_key:
            raise ConfigError("PSEUDONYM_KEY fehlt. Er wird gebraucht, um Telegram-Kennungen nur pseudonymisiert "
                              "zu speichern. Setzen Sie einen langen Zufallswert, z. B. aus "
                              "»python -c 'import secrets; print(secrets.token_hex(32))'«.")
        if self.webhook_url and not self.webhook_url.startswith("https://"):
            raise ConfigError("WEBHOOK_URL muss mit https:// beginnen (Telegram liefert nur über HTTPS).")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        support = env.get("SUPPORT_CHAT_ID", "").strip()
        return cls(
            bot_token=env.get("BOT_TOKEN", "").strip(),
            webhook_url=env.get("WEBHOOK_URL", "").strip(),
            webhook_secret=env.get("WEBHOOK_SECRET", "").strip(),
            bot_api_base_url=env.get("BOT_API_BASE_URL", "").strip() or TELEGRAM_API,
            host=env.get("HOST", "").strip() or "127.0.0.1",
            port=_port(env),
            data_dir=Path(env.get("DATA_DIR", "").strip() or "data"),
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR", "").strip() or default_knowledge_dir()),
            pseudonym_key=env.get("PSEUDONYM_KEY", "").strip(),
            retention_days=_int(env, "RETENTION_DAYS", 180),
            admin_ids=_ids(env, "ADMIN_IDS"),
            support_chat_id=_int(env, "SUPPORT_CHAT_ID", 0) if support else None,
            console_token=env.get("CONSOLE_TOKEN", "").strip(),
            admin_token=env.get("ADMIN_TOKEN", "").strip(),
            telegram_connect_timeout=_seconds(env, "TELEGRAM_CONNECT_TIMEOUT", 5.0, 0.1),
            telegram_read_timeout=_seconds(env, "TELEGRAM_READ_TIMEOUT", 10.0, 0.1),
            telegram_write_timeout=_seconds(env, "TELEGRAM_WRITE_TIMEOUT", 10.0, 0.1),
            telegram_pool_timeout=_seconds(env, "TELEGRAM_POOL_TIMEOUT", 5.0, 0.1),
            delivery_backoff_base=_seconds(env, "DELIVERY_BACKOFF_BASE", 1.0, 0.001),
            delivery_backoff_max=_seconds(env, "DELIVERY_BACKOFF_MAX", 300.0, 0.001),
            delivery_max_age=_seconds(env, "DELIVERY_MAX_AGE", 24 * 3600.0, 0.0),
            drain_seconds=_seconds(env, "DRAIN_SECONDS", 8.0, 0.0),
            lock_wait_seconds=_seconds(env, "LOCK_WAIT_SECONDS", 30.0, 0.0),
            context_minutes=_number(env, "CONTEXT_MINUTES", 30.0, 0.0, "Minuten", 24 * 60),
            privacy_controller=env.get("PRIVACY_CONTROLLER", "").strip(),
            privacy_legal_basis=env.get("PRIVACY_LEGAL_BASIS", "").strip(),
            privacy_contact=env.get("PRIVACY_CONTACT", "").strip(),
            notice_hold_seconds=_seconds(env, "NOTICE_HOLD_SECONDS", 1800.0, 0.0),
            notice_days=_range(env, "NOTICE_DAYS", (1, 5), 1, 7),
            notice_hours=_range(env, "NOTICE_HOURS", (8, 18), 0, 24),
            notice_rate=_seconds(env, "NOTICE_RATE", 10.0, 0.1),
            notice_check_seconds=_seconds(env, "NOTICE_CHECK_SECONDS", 60.0, 0.01),
            sqlite_synchronous=_synchronous(env),
        )


# ---- one list of settings: `serve --help` and `.env.example` are generated from it ------------


@dataclass(frozen=True)
class Doc:
    """What an operator reads about a setting (German). Its variable is the field's name in capitals."""

    help: str
    default: str | None = None  # shown instead of the field's default value
    example: str | None = None  # the value in .env.example (else the default; secrets stay empty)
    env: str | None = None  # the variable, where it is not the field's name in capitals


DOCS: dict[str, Doc] = {
    "bot_token": Doc("Token von @BotFather; leer = Telegram aus (nur die Web-Endpunkte laufen)", "–"),
    "webhook_url": Doc("öffentliche HTTPS-Adresse von /telegram; gesetzt = setWebhook beim Start", "–",
                       "https://bot.example.de/telegram"),
    "webhook_secret": Doc("Secret-Token für den Webhook (Pflicht mit BOT_TOKEN; 1–256 Zeichen A-Z a-z 0-9 _ -)", "–"),
    "bot_api_base_url": Doc("Adresse der Bot-API (Tests: ein Schein-Server auf 127.0.0.1)"),
    "host": Doc("Adresse, auf der der Webserver lauscht"),
    "port": Doc("Port des Webservers"),
    "data_dir": Doc("Ordner der SQLite-Dateien (bot.db, katalog.db) und der Sperrdatei serve.lock", "./data",
                    "./data"),
    "knowledge_dir": Doc("Ordner mit faq.yaml, regeln*.yaml, katalog.csv", "die mitgelieferten Dateien", ""),
    "pseudonym_key": Doc("Schlüssel für die Pseudonymisierung und Verschlüsselung der Telegram-Kennungen "
                         "(Pflicht mit BOT_TOKEN)", "–"),
    "retention_days": Doc("gespeicherte Fragen werden nach so vielen Tagen gelöscht"),
    "admin_ids": Doc("Telegram-Nutzerkennungen der Admins, Komma-getrennt (/reload, /stats, /offen)", "–"),
    "support_chat_id": Doc("Chat, in den Fragen an das Support-Team weitergeleitet werden; leer = Weiterleiten aus", "–"),
    "console_token": Doc("Token für die Testkonsole /konsole und POST /api/ask; leer = beides aus", "–"),
    "admin_token": Doc("Token für POST /admin/reload (kb reload); leer = aus", "–"),
    "telegram_connect_timeout": Doc("Sekunden für den Verbindungsaufbau zur Bot-API"),
    "telegram_read_timeout": Doc("Sekunden Warten auf die Antwort der Bot-API"),
    "telegram_write_timeout": Doc("Sekunden für das Senden einer Anfrage an die Bot-API"),
    "telegram_pool_timeout": Doc("Sekunden Warten auf eine freie Verbindung zur Bot-API"),
    "delivery_backoff_base": Doc("Sekunden vor dem ersten Wiederholungsversuch einer Zustellung (verdoppelt sich "
                                 "je Versuch, mit Zufallsanteil)"),
    "delivery_backoff_max": Doc("Obergrenze dieser Wartezeit in Sekunden"),
    "delivery_max_age": Doc("so lange (Sekunden) wird eine Antwort zugestellt, bevor sie aufgegeben wird",
                            "86400 (24 h)", "86400"),
    "drain_seconds": Doc("beim Beenden: so lange dürfen laufende Anfragen und Sendungen noch fertig werden"),
    "lock_wait_seconds": Doc("so lange wartet ein zweiter serve auf demselben DATA_DIR auf den ersten"),
    "context_minutes": Doc("so lange (Minuten, gemessen an den Zeiten der Nachrichten) beziehen sich Nachfragen wie "
                           "»Und bis wann?« auf die letzte Antwort – je privatem Chat, in Gruppen je Person; nur im "
                           "Arbeitsspeicher, gelöscht mit /vergessen"),
    "privacy_controller": Doc("für /datenschutz: der Verantwortliche (Name und Anschrift der betreibenden Stelle); leer "
                              "oder Platzhalter = »noch nicht eingetragen«, kb check und /healthz melden es", "–"),
    "privacy_legal_basis": Doc("für /datenschutz: die Rechtsgrundlage der Verarbeitung", "–"),
    "privacy_contact": Doc("für /datenschutz: Kontakt für Datenschutzfragen (leer: der Support-Kontakt aus faq.yaml, "
                           "wenn er erreichbar ist)", "–"),
    "notice_hold_seconds": Doc("so lange (Sekunden) werden Änderungshinweise nach einem Neuladen zurückgehalten; "
                               "ein Neuladen, das die Änderung zurücknimmt, hebt sie auf", "1800 (30 Minuten)", "1800"),
    "notice_days": Doc("Wochentage, an denen Erinnerungen und Hinweise hinausgehen (1 = Montag … 7 = Sonntag)",
                       "1-5", "1-5"),
    "notice_hours": Doc("Stunden (Europe/Berlin), in denen sie hinausgehen, von der ersten bis vor die letzte", "8-18",
                        "8-18"),
    "notice_rate": Doc("höchstens so viele Hinweise je Sekunde insgesamt (Antworten auf Fragen gehen vor)"),
    "notice_check_seconds": Doc("so oft (Sekunden) sieht der Bot nach fälligen Erinnerungen und Hinweisen"),
    "sqlite_synchronous": Doc("Haltbarkeit der SQLite-Dateien: NORMAL übersteht einen Absturz des Prozesses, "
                              "FULL auch einen Stromausfall (langsamer)"),
}


@dataclass(frozen=True)
class Variable:
    name: str  # the environment variable
    field: str  # the field of `Settings`
    help: str
    default: str  # as shown to operators
    example: str  # as written to .env.example
    secret: bool


def variables() -> list[Variable]:
    """Every setting, in the order of `Settings`: a new field shows up here by itself (and the test
    of tests/test_settings_docs.py asks for its `DOCS` entry)."""
    out = []
    for f in fields(Settings):
        doc = DOCS.get(f.name, Doc("(noch ohne Beschreibung)"))
        value = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[operator]
        shown = doc.default if doc.default is not None else _shown(value)
        secret = not f.repr
        example = doc.example if doc.example is not None else ("" if secret or shown == "–" else shown)
        out.append(Variable(doc.env or f.name.upper(), f.name, doc.help, shown, example, secret))
    return out


def _shown(value: object) -> str:
    if value is None or value == "" or value == frozenset():
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def env_help() -> str:
    """The environment section of `serve --help`."""
    width = max(len(v.name) for v in variables()) + 2
    lines = []
    for v in variables():
        default = "" if v.default == "–" else f" (Standard: {v.default})"
        lines.append(f"  {v.name.ljust(width)}{v.help}{default}")
    return "\n".join(lines)


def env_example() -> str:
    """The content of .env.example: `python -m bot.config > .env.example`."""
    lines = ["# Kopieren nach .env und ausfüllen. Alle Befehle lesen .env aus dem Arbeitsverzeichnis",
             "# (gesetzte Umgebungsvariablen haben Vorrang). Erzeugt mit »python -m bot.config > .env.example«",
             "# aus bot/config.py – dort ändern, nicht hier. Leer = Standard."]
    for v in variables():
        default = "" if v.default == "–" else f" (Standard: {v.default})"
        lines += ["", f"# {v.help}{default}", f"{v.name}={v.example}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(env_example(), end="")
