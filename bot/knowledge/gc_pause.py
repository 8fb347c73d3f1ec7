"""Building knowledge without Python's cyclic garbage collector running in between.

A build allocates hundreds of thousands of small objects (YAML nodes, units, posting sets) that all
stay alive; each automatic collection on the way walks every one of them again, which cost 40 % of
a 10,000-entry build. Nothing a build makes forms a reference cycle that must be freed early, so the
collector waits until the build is done. Reference counting still frees everything as usual.

When the last build ends, the objects it left are moved straight into the oldest generation
(`gc.freeze()` then `gc.unfreeze()`, which only splices lists): otherwise the first allocation after
re-enabling would walk all of them as "young" objects, a tenth of a second per build. They stay
collectable; the next full collection looks at them as at any other long-lived object.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # builds running now (nested, or in several threads)
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector is off while any build runs, and back as it was when the last one ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.freeze()
                gc.unfreeze()
                gc.enable()
