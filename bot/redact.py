"""Secrets never in the open: scrub them from exception texts, log records and responses.

python-telegram-bot puts the bot token into the text of a rejected-token error, and an HTTP
client's error may carry the request URL (which contains the token). Every text that leaves the
process through a log line, /healthz or the console passes `redact()` first; log records are
scrubbed when they are created, whichever handler writes them.
"""

from __future__ import annotations

import logging
import threading
import traceback
from urllib.parse import quote

MASK = "[geheim]"
MIN_LENGTH = 4  # shorter values would mask ordinary words; a real secret is far longer

_lock = threading.Lock()
_secrets: tuple[str, ...] = ()
_installed = False


def register(secrets: tuple[str, ...] | list[str]) -> None:
    """Add secrets to scrub (and install the log record scrubber once per process)."""
    global _secrets, _installed
    forms = set(_secrets)
    for secret in secrets:
        if len(secret) >= MIN_LENGTH:
            forms.update({secret, quote(secret, safe=""), quote(secret)})
    with _lock:
        _secrets = tuple(sorted(forms, key=len, reverse=True))  # longest first: no partial leftovers
        if not _installed:
            _install_record_factory()
            _installed = True


def redact(text: object) -> str:
    """`text` as a string with every registered secret masked."""
    out = str(text)
    for secret in _secrets:
        if secret in out:
            out = out.replace(secret, MASK)
    return out


def describe(exc: BaseException) -> str:
    """A short, scrubbed description of an exception for logs and /healthz."""
    text = str(exc).strip()
    return redact(f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__)[:500]


def _install_record_factory() -> None:
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if _secrets:
            _scrub(record)
        return record

    logging.setLogRecordFactory(factory)


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it to logging's own error report
        return
    cleaned = redact(message)
    if cleaned != message or record.args:
        record.msg, record.args = cleaned, ()
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters use exc_text when it is set: the traceback is scrubbed once, here.
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
