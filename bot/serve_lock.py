"""One owner of the inbox: `serve` holds an OS file lock on DATA_DIR for its whole life.

A second `serve` on the same DATA_DIR (a rolling restart while the old process drains) waits for
the lock, saying so in the log, and gives up after `lock_wait_seconds` with a German message.
Only `serve` takes it: `report`, `kb …` and backups work beside a running server. The lock is
`flock`: it is released by the kernel when the process dies, even by kill -9, and it does not
hold across machines on network file systems (NFS, SMB).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from pathlib import Path

from .config import ConfigError

logger = logging.getLogger(__name__)
LOCK_FILE = "serve.lock"
LOG_EVERY = 10.0


class InboxLocked(ConfigError):
    pass


class ServeLock:
    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    async def acquire(self, wait: float, poll: float = 0.2) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        next_log = loop.time()
        while not self.try_acquire():
            now = loop.time()
            if now >= deadline:
                raise InboxLocked(
                    f"Ein anderer Förderbot-Server (»serve«) arbeitet schon mit DATA_DIR »{self.path.parent}« und hat "
                    f"ihn auch nach {wait:g} s Warten nicht freigegeben. Es darf nur ein Server den Posteingang "
                    "bearbeiten: beenden Sie den anderen oder geben Sie diesem ein eigenes DATA_DIR.")
            if now >= next_log:
                logger.warning("another serve holds %s; waiting up to %.0f s for it to finish (rolling restart?)",
                               self.path, deadline - now)
                next_log = now + LOG_EVERY
            await asyncio.sleep(poll)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
