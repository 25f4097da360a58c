"""The library the reader shows: meetings, filters and search, over the catalogue.

No Qt here. The reader window, the export command and the tests all select through
Library.matching, so a selection means the same thing everywhere. At start-up only summaries
and indexes are read (dates, item titles, departments per item); a meeting's full text is
loaded from the catalogue when it is shown or exported. The window talks to this class only,
so a server-backed library could replace it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from minutes import catalogue_reads, collector, item_runs
from minutes.catalogue import Catalogue, CatalogueError, FileProblem
from minutes.departments import registry
from minutes.facets import ItemIndex, ItemKeys, Matches
from minutes.filters import FILTER_KINDS, UNKNOWN_ISSUER, FilterSpec, RoleFilter, search_words
from minutes.formats import SUFFIXES
from minutes.meeting import Meeting, TopicInfo, TopicRef
from minutes.model import SourceDocument
from minutes.numbering import Gap, find_gaps
from minutes.script import search_form
from minutes.storage import is_damage

__all__ = [
    "FILTER_KINDS",
    "SUFFIXES",
    "UNKNOWN_ISSUER",
    "FilterSpec",
    "Library",
    "Meeting",
    "Problem",
    "RoleFilter",
    "TopicInfo",
    "TopicRef",
]

Problem = FileProblem
_CHECKED: set[tuple] = set()  # catalogue files checked for damage in this run


def _identity(path: str) -> tuple:
    try:
        st = Path(path).stat()
    except OSError:
        return (path,)
    return (path, st.st_ino, st.st_size, st.st_mtime_ns)


class Library:
    _CACHE = 64  # full documents kept in memory (the ones being read or exported)
    _BATCH = 256  # meetings whose items are read in one query (topic_rows_of)

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or Catalogue()
        self.notice = self.catalogue.notice
        # The UI thread (reading) and worker jobs (export, the background warm-up) share the
        # document cache and the lazily built indexes. The cache lock is held only briefly (the
        # viewer must never wait for an index build); the index lock makes a filter that comes
        # during the warm-up wait for the build in progress instead of starting a second one.
        self._cache_lock = threading.Lock()
        self._index_lock = threading.Lock()
        self._documents: OrderedDict[str, SourceDocument] = OrderedDict()
        with collector.paused():  # 100,000 meetings and their rows, no cycle among them
            self._build()

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path,
        roots: Iterable[Path] = (),
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        unless_unchanged: bool = False,
    ) -> Library | None:
        """The user's library: the catalogue at path, brought up to date with the files.

        unless_unchanged: return None when the files had not changed (the window already shows
        this library; building a second copy would only double the memory for a moment).
        """
        catalogue = Catalogue(path)
        try:
            try:
                return cls._open(catalogue, roots, progress, cancelled, unless_unchanged)
            except (sqlite3.DatabaseError, CatalogueError) as exc:
                if not is_damage(exc):
                    raise
                # Damage the open did not reach, met while checking, refreshing or reading: set
                # the file aside and build again from the files (the roots are passed in again).
                catalogue.rebuild(str(exc))
                return cls._open(catalogue, roots, progress, cancelled, False)
        except BaseException:
            catalogue.close()  # nobody else has it: its connections would outlive the failure
            raise

    @classmethod
    def _open(cls, catalogue: Catalogue, roots, progress, cancelled, unless_unchanged: bool) -> Library | None:
        identity = _identity(catalogue.path)
        if identity not in _CHECKED:  # once per run while the file is as we left it: it reads every page
            catalogue.check()
            _CHECKED.add(_identity(catalogue.path))
        catalogue.set_roots(roots)
        report = catalogue.refresh(progress, cancelled)
        if unless_unchanged and not (report.imported or report.removed or report.reparsed or catalogue.rebuilt):
            catalogue.close()
            return None
        return cls(catalogue)

    @classmethod
    def from_file(cls, path: str | Path) -> Library:
        """What the catalogue at path holds, without looking at the files (a quick first view;
        Library.open then brings it up to date). Damage met here is rebuilt at once from the
        roots the catalogue holds, so the first view is never empty because of it."""
        catalogue = Catalogue(path)
        try:
            return cls(catalogue)
        except (sqlite3.DatabaseError, CatalogueError) as exc:
            if not is_damage(exc):
                raise
            catalogue.rebuild(str(exc))
            catalogue.refresh()
            return cls(catalogue)

    @classmethod
    def load(
        cls,
        folders: Iterable[Path],
        files: Iterable[Path] = (),
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Library:
        """A library of these folders and files only, in memory (the CLI, tests)."""
        catalogue = Catalogue()
        missing = []
        for path in [*folders, *files]:
            if Path(path).exists():
                catalogue.add_root(path)
            else:
                missing.append(Problem(Path(path), "文件或文件夹不存在"))
        catalogue.refresh(progress, cancelled)
        library = cls(catalogue)
        library.problems = missing + library.problems
        return library

    def _build(self) -> None:
        try:
            self._build_once()
        except item_runs.OutOfStep:
            # Derived data, made again from the items (2 s at 100,000 minutes); still out of
            # step after that, the catalogue is damaged and set aside like any other damage.
            self.catalogue.remake_runs()
            try:
                self._build_once()
            except item_runs.OutOfStep as exc:
                raise CatalogueError(str(exc)) from None

    def _build_once(self) -> None:
        cat = self.catalogue
        side = catalogue_reads.StartReads(cat)
        roles = catalogue_reads.NamedCounts(cat)
        notes: catalogue_reads.Beside[list[tuple[Path, list[str]]]] | None = None
        try:
            listed = catalogue_reads.meeting_list(cat)
            # The files' parse notes, which the problems panel lists as the window first shows
            # (20,000 at 100,000 minutes, found by the catalogue's documents_notes index), are
            # read on the catalogue's connection while the rest of the start works in Python.
            notes = catalogue_reads.Beside(cat.parse_notes)
            # Each meeting's items are read from the catalogue when first asked for
            # (Meeting.topics): start-up reads only their ids and numbers, for the filters.
            # The list comes newest first (the catalogue's documents_start index): no sort.
            self.meetings = [
                Meeting(self, key, session, date, number, None, issuer, genre)
                for key, session, date, number, issuer, genre in listed.rows
            ]
            self._by_id = {m.id: m for m in self.meetings}
            # The gaps in the numbering (the tree's placeholder rows) and the filters' index are
            # worked out while SQLite ends the side reads.
            gaps = catalogue_reads.Beside(lambda: find_gaps(self.meetings))
            items = listed.items
            self._items = ItemIndex(self.meetings, items, lambda: catalogue_reads.kind_ids(listed.kinds, items.ids))
            side.result()  # damage in the items' pages is met here
            counts = roles.result()
            self.gaps: list[Gap] = gaps.result()
            problems = cat.problems()
            parse_notes = notes.result()  # damage in the notes' index is met at start too
        except BaseException:
            # Damage met here sets the file aside: the side reads must have let go of it first
            # (Windows renames no open file; a read started after the close would reopen it).
            side.join()
            roles.join()
            if notes is not None:
                notes.join()
            raise
        self._start_counts = {RoleFilter.ANY.value: counts}  # until the department indexes are built
        self._roles_index: dict[str, dict[str, int]] | None = None
        self._attended_index: dict[str, int] | None = None
        self._text_mask: tuple[str, int] | None = None
        self._parse_notes = parse_notes
        self.problems: list[Problem] = problems

    @property
    def _roles(self) -> dict[str, dict[str, int]]:
        """Department -> role -> bitmap of its items (minutes.facets), built on the first
        department filter (or by warm())."""
        with self._index_lock:
            return self._roles_built()

    def _roles_built(self) -> dict[str, dict[str, int]]:
        if self._roles_index is None:
            items = self._items
            index: dict[str, dict[str, int]] = {}
            for dept, role, ids in self.catalogue.topic_roles():
                index.setdefault(dept, {})[role] = items.mask_of_ids(ids)
            self._roles_index = index
        return self._roles_index

    @property
    def _attended(self) -> dict[str, int]:
        """Department -> bitmap of the items of the meetings it attended (列席). Read on first
        use (every department at every meeting: 600,000 rows at 10,000 meetings)."""
        with self._index_lock:
            return self._attended_built()

    def _attended_built(self) -> dict[str, int]:
        if self._attended_index is None:
            order = self._items.order
            ordinals = {rowid: order[key] for rowid, key in self.catalogue.document_keys().items() if key in order}
            self._attended_index = {
                dept: self._items.meeting_run(ordinals[r] for r in rowids if r in ordinals)
                for dept, rowids in self.catalogue.attended()
            }
        return self._attended_index

    @property
    def parse_notes(self) -> list[tuple[Path, list[str]]]:
        """Files read with parse warnings (for the problems panel)."""
        return self._parse_notes

    # -- meetings --------------------------------------------------------------------------
    def document(self, key: str) -> SourceDocument:
        with self._cache_lock:
            doc = self._documents.get(key)
            if doc is not None:
                self._documents.move_to_end(key)
                return doc
        doc = self.catalogue.load(key)  # outside the lock: the catalogue has its own
        with self._cache_lock:
            self._documents[key] = doc
            self._documents.move_to_end(key)
            while len(self._documents) > self._CACHE:
                self._documents.popitem(last=False)
        return doc

    def topic_rows_of(self, key: str) -> list[catalogue_reads.TopicRow]:
        """A meeting's items as the catalogue's rows (Meeting.topics reads them through here).

        The meetings that follow it in the library's order are read in the same query, up to
        _BATCH: a walk over every meeting's items (the 相关议题 index, an export) then costs a
        few hundred queries, not one per meeting. Only the items this library numbered are
        kept: a catalogue refreshed since (a file re-read) may hold others until the new
        library replaces this one."""
        items = self._items
        ordinal = items.order.get(key)
        if ordinal is None:
            return catalogue_reads.topic_rows_of(self.catalogue, [key]).get(key, [])
        batch = [m for m in self.meetings[ordinal + 1 : ordinal + self._BATCH] if not m.topics_read]
        found = catalogue_reads.topic_rows_of(self.catalogue, [key, *(m.id for m in batch)])
        self._offer(batch, found)
        return self._numbered(key, found.get(key, []))

    def read_topics(self, keys: Iterable[str]) -> None:
        """Reads the items of these meetings that are not read yet, in one query a _BATCH. A short
        search result opens every meeting in it, scattered over the library: through
        topic_rows_of each would read up to _BATCH - 1 meetings after it too (a result of 57
        meetings at 100,000 minutes made 49 such reads, 0.42 s in a profiled run). For a few
        meetings at a time: one SQL variable each."""
        order = self._items.order
        wanted = [m for m in map(self._by_id.get, keys) if m is not None and not m.topics_read and m.id in order]
        for at in range(0, len(wanted), self._BATCH):  # SQLite's variables: 999 in old builds
            part = wanted[at : at + self._BATCH]
            self._offer(part, catalogue_reads.topic_rows_of(self.catalogue, [m.id for m in part]))

    def _offer(self, meetings: list[Meeting], found: dict[str, list[catalogue_reads.TopicRow]]) -> None:
        for meeting in meetings:
            # Another thread may have read it meanwhile: either copy is the same.
            meeting.offer_topics(self._numbered(meeting.id, found.get(meeting.id, [])))

    def _numbered(self, key: str, rows: list[catalogue_reads.TopicRow]) -> list[catalogue_reads.TopicRow]:
        a, b = self._items.span(self._items.order[key])
        ids = self._items.ids[a:b]
        if len(rows) != len(ids) or any(row[0] != i for row, i in zip(rows, ids, strict=False)):
            known = set(ids)
            rows = [row for row in rows if row[0] in known]
        return rows

    def item_numbers(self, key: str) -> Sequence[int]:
        """A meeting's item numbers, in order, without reading its items."""
        ordinal = self._items.order.get(key)
        if ordinal is None:
            return ()
        a, b = self._items.span(ordinal)
        return self._items.numbers[a:b]

    def sources(self, key: str) -> list[Path]:
        return self.catalogue.sources(key)

    def meeting(self, meeting_id: str) -> Meeting | None:
        return self._by_id.get(meeting_id)

    def topics(self) -> Iterator[TopicRef]:
        """Every agenda item with its full text (loads every document: for small libraries)."""
        for meeting in self.meetings:
            for topic in meeting.minutes.topics:
                yield TopicRef(meeting, topic)

    @property
    def topic_count(self) -> int:
        return self._items.n

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        dates = [m.date for m in self.meetings if m.date]
        return (min(dates), max(dates)) if dates else None

    def years(self) -> list[int]:
        return sorted({m.date.year for m in self.meetings if m.date}, reverse=True)

    def issuers(self) -> Counter[str]:
        """Issuing government -> how many meetings it issued (a meeting whose issuer the text
        does not name counts under UNKNOWN_ISSUER)."""
        return Counter(m.issuer or UNKNOWN_ISSUER for m in self.meetings)

    # -- filters and search ----------------------------------------------------------------
    def warm(self) -> None:
        """Build the department and kind indexes now (a background job after the first window),
        so the first filter does not wait. Search needs no warming: its index is in the catalogue."""
        _ = self._roles, self._attended
        with self._index_lock:
            self._items.kind_bitmaps()

    def _mask(self, spec: FilterSpec) -> int:
        """The bitmap (minutes.facets) of the items the filter keeps."""
        items = self._items
        mask = items.all
        if spec.date_from or spec.date_to:
            mask &= items.dates(spec.date_from, spec.date_to)
        if spec.issuers and mask:
            mask &= items.issuers(spec.issuers)
        if spec.kinds and mask:
            with self._index_lock:  # the warm-up may be reading them
                mask &= items.kinds(spec.kinds)
        if spec.departments and mask:
            names = [registry().canonical(d) for d in spec.departments]
            chosen = 0
            if spec.role is RoleFilter.ATTENDED:
                attended = self._attended
                for name in names:
                    chosen |= attended.get(name, 0)
            else:
                roles = self._roles
                for name in names:
                    chosen |= roles.get(name, {}).get(spec.role.value, 0)
            mask &= chosen
        if spec.text and mask:
            mask &= self._text_bits(spec.text)
        return mask

    def _text_bits(self, text: str) -> int:
        last = self._text_mask  # the tree and the department counts ask for the same text
        if last is None or last[0] != text:
            last = self._text_mask = (text, self._words_mask(self._words(text)))
        return last[1]

    def _words_mask(self, words: list[str]) -> int:
        """The bitmap of the items holding every one of words (longest first). The index's ids
        go straight into the bitmap (ItemIndex.mask_of), never into a set: a common word hits
        a quarter of the items."""
        items = self._items
        kept: list[str] = []
        for word in words:  # a word inside a longer one asks nothing more (城市更新 市)
            if not any(word in longer for longer in kept):
                kept.append(word)
        long = [word for word in kept if len(word) >= 3]
        alone = len(kept) == 1 or kept == long  # one lookup: its bitmap is the search's
        mask = items.all
        if long:  # FTS5 intersects them (the rarest-looking, longest, words)
            mask &= items.mask_of(self.catalogue.search_fts(long), remember=alone)
        for word in kept[len(long) :]:
            if not mask:
                break
            mask &= items.mask_of(self.catalogue.search_short(word), remember=alone)
        return mask

    def matching_ids(self, spec: FilterSpec) -> set[int]:
        """Catalogue ids of the agenda items the filter keeps."""
        return self._items.ids_of(self._mask(spec))

    def matching(self, spec: FilterSpec) -> ItemKeys:
        """Keys (meeting id, item number) of the agenda items the filter keeps: a set, made
        from the filter's bitmap as it is walked."""
        return self._items.keys_of(self._mask(spec))

    def match(self, spec: FilterSpec) -> Matches:
        """The items the filter keeps, for the tree's filter: per item, meeting and year."""
        return Matches(self._items, self._mask(spec))

    def search(self, text: str) -> set[int]:
        """This library's items whose title or resolutions contain text, as catalogue ids. Words
        separated by white space must all occur (in any order, anywhere in the item). The query goes through
        its search form, as the catalogue's texts did: 電梯 finds 电梯 and the other way round.

        A word of three characters or more goes to the catalogue's trigram index. A trigram
        index cannot answer one or two characters (SQLite 3.40 returns no rows for them): those
        go to the catalogue's index of characters and character pairs (minutes.search_index).
        No item text is held in memory. The longer words go first; the others only narrow
        their result.
        """
        return self._items.ids_of(self._text_bits(text))

    @staticmethod
    def _words(text: str) -> list[str]:
        return sorted(search_words(search_form(text)), key=len, reverse=True)

    def department_counts(self, role: RoleFilter = RoleFilter.ANY) -> Counter[str]:
        """For each department, how many agenda items it is connected to in that role."""
        counts: Counter[str] = Counter()
        if role is RoleFilter.ATTENDED:
            for dept, bits in self._attended.items():
                counts[dept] = bits.bit_count()
        elif self._roles_index is not None:
            for dept, roles in self._roles_index.items():
                if role.value in roles:
                    counts[dept] = roles[role.value].bit_count()
        elif role.value in self._start_counts:  # read at start, for the filter panel
            counts.update(dict(self._start_counts[role.value]))
        else:  # before any department filter: let SQLite count
            counts.update(dict(self.catalogue.role_counts(role.value)))
        return counts

    def faceted_department_counts(self, spec: FilterSpec) -> Counter[str]:
        """For each department, how many items ticking it would show together with the other
        active filters (dates, kinds, text; the role box): the counts of a faceted search.

        The other filters are applied once; each department then costs one AND and a
        popcount of two bitmaps (microseconds at 70,000 items).
        """
        rest = spec.with_(departments=frozenset())
        if rest.with_(role=RoleFilter.ANY).is_empty:
            return self.department_counts(spec.role)
        base = self._mask(rest.with_(role=RoleFilter.ANY))
        if spec.role is RoleFilter.ATTENDED:
            bitmaps = self._attended.items()
        else:
            bitmaps = ((dept, roles.get(spec.role.value, 0)) for dept, roles in self._roles.items())
        counts: Counter[str] = Counter()
        for dept, bits in bitmaps:
            n = (bits & base).bit_count()
            if n:
                counts[dept] = n
        return counts

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        """Close the catalogue (on Windows an open database file cannot be moved or deleted)."""
        self.catalogue.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def department_group(name: str) -> str:
    return registry().get(name).group


def department_full_name(name: str) -> str | None:
    return registry().get(name).full
