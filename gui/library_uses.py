"""Who still uses a Library the window has replaced, so that the last one closes it.

The window's LibraryController owns the library it shows. When it shows another (another folder,
a reload that found changes), jobs started on the old one (an export, the 台账's rows, the
warm-up) may still be reading it: each job takes a use when it is started, on the UI thread, and
gives it back when it ends, on its own thread; the controller gives back its own on replace. The
last to give back closes the library's catalogue (its SQLite connections), on whichever thread
that is: the connections are made for use from any thread (minutes.storage.connect).

A library the controller never owned (tests, the CLI, the ledger's empty stand-in) is never
closed here: taking and giving back uses of it do nothing.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minutes.library import Library


class LibraryUses:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Owned libraries -> uses left; 0 once closed (a closed library can be taken no more).
        self._uses: weakref.WeakKeyDictionary[Library, int] = weakref.WeakKeyDictionary()

    def own(self, library: Library) -> None:
        """The controller's use of a library it now shows."""
        with self._lock:
            self._uses[library] = self._uses.get(library, 0) + 1

    def take(self, library: Library | None) -> bool:
        """A use for a job about to read library; False when it is closed already (the job must
        not start on it)."""
        if library is None:
            return True
        with self._lock:
            uses = self._uses.get(library)
            if uses is None:
                return True  # not owned: nobody closes it here
            if uses == 0:
                return False
            self._uses[library] = uses + 1
            return True

    def release(self, library: Library | None) -> None:
        """Give a use back; the last one closes the library."""
        if library is None:
            return
        with self._lock:
            uses = self._uses.get(library)
            if not uses:
                return
            self._uses[library] = uses - 1
            last = uses == 1
        if last:
            library.close()

    def count(self, library: Library) -> int | None:
        """Uses left (0: closed); None for a library not owned."""
        with self._lock:
            return self._uses.get(library)

    def is_closed(self, library: Library) -> bool:
        return self.count(library) == 0

    @contextmanager
    def using(self, library: Library | None) -> Iterator[bool]:
        """A use for the length of a block on the UI thread (a print preview's paint loop)."""
        taken = self.take(library)
        try:
            yield taken
        finally:
            if taken:
                self.release(library)


uses = LibraryUses()
