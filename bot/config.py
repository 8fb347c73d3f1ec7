"""One place for configuration: `Settings.from_env()`; secrets never appear in `repr`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
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


def _seconds(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name, "").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} muss eine Zahl (Sekunden) sein, nicht »{raw}«.") from None
    if not value >= minimum or value == float("inf"):
        raise ConfigError(f"{name} muss mindestens {minimum:g} sein, nicht »{raw}«.")
    return value


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
            sqlite_synchronous=_synchronous(env),
        )
