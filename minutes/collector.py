"""Python's cycle collector held off while many objects that form no cycle are made at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection inside: making a library's 100,000 meetings, a ledger's
    tasks or an import batch's token sets set off collections that walked the whole heap again
    and again (callgrind: an eighth of the start at 100,000 minutes, 5% of the writer). Put back
    as it was found: left off if something else had turned it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
