"""The catalogue's search index (#15): one- and two-character words from a posting table, longer
ones from a contentless trigram table; results equal a plain scan for every query length, while
items are added, removed and written again."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from minutes import catalogue as catalogue_module
from minutes import catalogue_queries, search_index, storage
from minutes.catalogue import Catalogue
from minutes.filters import search_words
from minutes.library import FilterSpec, Library, RoleFilter
from minutes.model import Minutes, Resolution, SourceDocument, Topic
from minutes.schema import SCHEMA_VERSION, CatalogueError
from minutes.script import search_form
from minutes.search_index import BLOCK_BITS, pack, pack_ids, short_tokens, token, unpack
from tests import variants
from tests.test_catalogue import attendance_as_version_4, copy_seeds, roles_as_version_7, variant

# Characters that make search hard: punctuation, NUL, full-width space, ASCII in both cases,
# traditional characters (電梯 is 电梯 in search form), quotes (FTS5 syntax) and repeats.
ALPHABET = "安全生产电梯電區区湖市县，。、； \n\u3000\"'*()AaKk1-"
QUERY_ALPHABET = ALPHABET + "\0"  # never in an item's text: the parser drops NUL


def found(library: Library, query: str) -> set:
    """What the library answers, as item keys, once its index's own answer to each word (an
    id no item has any more stays a bare id, so that a stale id fails the comparison) has
    been checked to give the same."""
    library._text_mask = None
    answer = set(library.matching(FilterSpec(text=query)))
    keys = {t.id: (m.id, t.number) for m in library.meetings for t in m.topics}
    assert {keys[i] for i in library.search(query)} == answer
    by_word = [set(keys.values())]  # no word: every item
    for word in search_words(search_form(query)):
        groups = library.catalogue.search_fts([word]) if len(word) >= 3 else library.catalogue.search_short(word)
        ids = [i for group, top in groups for i in group if 0 <= i < top or pytest.fail(f"{i} not below {top}")]
        assert len(ids) == len(set(ids)), "an id given twice"
        by_word.append({keys.get(i, ("no such item", i)) for i in ids})
    assert set.intersection(*by_word[len(by_word) > 1 :]) == answer, query
    return answer


def matches(text: str, query: str) -> bool:
    """The plain answer: every word of the query occurs in the item's text, both in search form."""
    folded = search_form(text).lower()
    return all(word in folded for word in search_words(search_form(query)))


# -- the parts ---------------------------------------------------------------------------------
@given(st.data())
def test_pack_round_trips(data: st.DataObject) -> None:
    block = data.draw(st.integers(0, 300))
    offsets = data.draw(st.sets(st.integers(0, (1 << BLOCK_BITS) - 1), min_size=1))
    ids = sorted((block << BLOCK_BITS) + o for o in offsets)
    assert list(unpack(block, pack(ids, block << BLOCK_BITS))) == ids


@given(st.data())
def test_raw_rows_round_trip(data: st.DataObject) -> None:
    block = data.draw(st.integers(0, 300))
    offsets = data.draw(st.sets(st.integers(0, (1 << BLOCK_BITS) - 1), min_size=1))
    ids = sorted((block << BLOCK_BITS) + o for o in offsets)
    assert list(unpack(block, pack_ids(ids))) == ids


@given(st.text(alphabet=ALPHABET + "İΣς", max_size=40), st.text(alphabet=QUERY_ALPHABET, min_size=1, max_size=2))
def test_short_tokens_hold_every_short_word(text: str, word: str) -> None:
    tokens = short_tokens(text)
    for w in word.lower().split():
        assert (w in text.lower()) == (token(w) in tokens)


# -- through the catalogue, while it changes -----------------------------------------------------
def _document(key: str, items: list[list[str]]) -> SourceDocument:
    topics = tuple(
        Topic(n, parts[0], "议题", (), tuple(Resolution(i, f"（{i}）", t) for i, t in enumerate(parts[1:], 1)))
        for n, parts in enumerate(items, 1)
    )
    return SourceDocument(Path(f"/minutes/{key}.txt"), "utf-8", "", "", Minutes(session=1, topics=topics))


item_parts = st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=3)
documents = st.lists(item_parts, min_size=1, max_size=4)


class ChangingCatalogue(RuleBasedStateMachine):
    """Documents written, written again and removed through the catalogue's one writer; after
    each step every query of every length finds what a scan of the texts finds."""

    @initialize()
    def start(self) -> None:
        self.catalogue = Catalogue()
        self.texts: dict[str, list[str]] = {}  # document key -> its items' texts, by number
        self.serial = 0

    def _write(self, key: str, items: list[list[str]]) -> None:
        doc = _document(key, items)
        self.catalogue._write(lambda: self.catalogue._write_document(key, doc.path, doc))
        self.texts[key] = ["\n".join(parts) for parts in items]

    @rule(items=documents)
    def add(self, items: list[list[str]]) -> None:
        self.serial += 1
        self._write(f"d{self.serial}", items)

    @precondition(lambda self: self.texts)
    @rule(data=st.data(), items=documents)
    def write_again(self, data: st.DataObject, items: list[list[str]]) -> None:
        self._write(data.draw(st.sampled_from(sorted(self.texts))), items)

    @precondition(lambda self: self.texts)
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.texts)))
        self.catalogue._write(lambda: self.catalogue._delete_document(key))
        del self.texts[key]

    @precondition(lambda self: self.texts)
    @rule(data=st.data())
    def write_two_in_one_transaction(self, data: st.DataObject) -> None:
        # SQLite gives a removed item's id to the next one: the index must not mix them up.
        key = data.draw(st.sampled_from(sorted(self.texts)))
        first, second = data.draw(documents), data.draw(documents)

        def both() -> None:
            self.catalogue._delete_document(key)
            for items in (first, second):
                doc = _document(key, items)
                self.catalogue._write_document(key, doc.path, doc)

        self.catalogue._write(both)
        self.texts[key] = ["\n".join(parts) for parts in second]

    @rule(data=st.data())
    def search(self, data: st.DataObject) -> None:
        all_text = "".join(t for texts in self.texts.values() for t in texts)
        queries = [data.draw(st.text(alphabet=QUERY_ALPHABET, min_size=1, max_size=5))]
        if all_text:
            for length in (1, 2, 3, 4, 6):
                start = data.draw(st.integers(0, max(len(all_text) - 1, 0)))
                queries.append(all_text[start : start + length])
            queries.append(" ".join(queries[1:3]))
            queries.append(" ".join(queries[3:5]))  # two words FTS5 intersects
            queries.append(f"{queries[5]} {queries[5][1:3]} {queries[1]}")  # a word inside another
            queries.append(variants.to_traditional(queries[2]))
        library = Library(self.catalogue)
        for query in queries:
            expected = {
                (key, n) for key, texts in self.texts.items() for n, t in enumerate(texts, 1) if matches(t, query)
            }
            assert found(library, query) == expected, query

    @invariant()
    def short_words_need_no_text_in_memory(self) -> None:
        assert not hasattr(Library, "_load_texts")

    @rule()
    def compact_every_block(self) -> None:
        self.catalogue._write(lambda: search_index.compact_all(self.catalogue._db))


ChangingCatalogue.TestCase.settings = settings(
    max_examples=40, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_the_index_follows_every_change = ChangingCatalogue.TestCase


class ChangingCatalogueInSmallBlocks(ChangingCatalogue):
    """The same with blocks of four ids: a write spans blocks, the blocks it moves past are
    compacted, and a removal meets compacted and raw rows (a real block holds 4096 ids)."""

    @initialize()
    def start(self) -> None:
        self.saved = search_index.BLOCK_BITS, search_index.COMPACT_AT
        search_index.BLOCK_BITS, search_index.COMPACT_AT = 2, 3
        super().start()

    def teardown(self) -> None:
        search_index.BLOCK_BITS, search_index.COMPACT_AT = self.saved


ChangingCatalogueInSmallBlocks.TestCase.settings = ChangingCatalogue.TestCase.settings
test_the_index_follows_every_change_across_blocks = ChangingCatalogueInSmallBlocks.TestCase


# -- through the files -------------------------------------------------------------------------
QUERIES = [
    "湖",
    "医",
    "市",
    "，",
    "医保",
    "古城",
    "安全",
    "。\u3000",
    "实验室",
    "姑苏实验室",
    "安全 电梯",
    "湖 医保 市",
]


def _scan(library: Library, query: str) -> set[tuple[str, int]]:
    return {
        ref.key
        for ref in library.topics()
        if matches("\n".join([ref.topic.title, *(r.text for r in ref.topic.resolutions)]), query)
    }


def test_the_index_follows_files_added_changed_and_removed(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    seeds = sorted(folder.iterdir())
    (folder / "variant.txt").write_text(variant(seeds[0].read_text("utf-8"), 1), "utf-8")
    Library.open(db, [folder]).close()
    # One file goes, one changes (the same minutes, another text), one comes in traditional script.
    seeds[1].unlink()
    seeds[2].write_text(seeds[2].read_text("utf-8").replace("安全", "平安"), "utf-8")
    (folder / "traditional.txt").write_text(variants.to_traditional(variant(seeds[3].read_text("utf-8"), 2)), "utf-8")
    library = Library.open(db, [folder])
    assert len(library.meetings) == 6
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    assert library.matching(FilterSpec(text="湖")), "a short word finds something"
    library.close()


def test_the_index_stores_no_text(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [folder]).close()
    names = {row[0] for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert "search_postings" in names
    assert "topic_text_content" not in names  # the trigram index keeps no copy of the text


def _as_version_3(db: Path) -> None:
    """The catalogue as version 3 kept its index: the text inside the trigram table, no postings."""
    raw = sqlite3.connect(db)
    raw.execute("DROP TABLE search_postings")
    raw.execute("DROP TABLE topic_text")
    raw.execute("CREATE VIRTUAL TABLE topic_text USING fts5(text, tokenize = 'trigram')")
    raw.execute("INSERT INTO topic_text(rowid, text) SELECT id, title FROM topics")
    attendance_as_version_4(raw)  # and attendance as a row per department, with an index of its own
    raw.execute("CREATE INDEX attended_doc ON attended(doc_key)")
    raw.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()


def test_a_version_3_catalogue_is_indexed_again_from_its_documents(tmp_path: Path, monkeypatch) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    with Library.open(db, [folder]) as before:
        attended = before.department_counts(RoleFilter.ATTENDED)
    assert attended
    _as_version_3(db)
    import minutes.parse

    def no_parse(_text: str):
        raise AssertionError("the migration parses nothing")

    monkeypatch.setattr(minutes.parse, "parse_text", no_parse)
    library = Library.from_file(db)
    assert library.catalogue.schema_version == SCHEMA_VERSION == 8
    assert library.notice is None
    assert library.department_counts(RoleFilter.ATTENDED) == attended
    names = {row[0] for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert "attended_doc" not in names and "attended_v4" not in names
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    library.close()
    # Then the files change: rows the migration wrote are taken out by their text.
    shutil.rmtree(folder)
    copy_seeds(folder)
    next(iter(sorted(folder.iterdir()))).unlink()
    library = Library.open(db, [folder])
    assert library.notice is None and len(library.meetings) == 4
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    raw = sqlite3.connect(db)
    raw.execute("INSERT INTO topic_text(topic_text, rank) VALUES ('integrity-check', 0)")
    library.close()


@pytest.mark.parametrize("query", ["湖", "安全", "實驗室"])
def test_search_reads_no_document(tmp_path: Path, query: str, monkeypatch) -> None:
    library = Library.load([copy_seeds(tmp_path / "minutes")])
    expected = _scan(library, query)
    fresh = Library(library.catalogue)
    monkeypatch.setattr(Catalogue, "load", lambda *_: pytest.fail("a search loaded a document"))
    assert fresh.matching(FilterSpec(text=query)) == expected != set()


def test_a_search_does_not_wait_for_the_catalogues_long_reads(tmp_path: Path) -> None:
    # The warm-up reads the department indexes holding the catalogue's connection: a search
    # typed meanwhile reads through its own (#15: the first query, also while the warm-up runs).
    folder = copy_seeds(tmp_path / "minutes")
    library = Library.open(tmp_path / "catalogue.sqlite3", [folder])
    expected = {q: _scan(library, q) for q in ("湖", "安全", "实验室")}
    held, release = threading.Event(), threading.Event()

    def long_read() -> None:
        with library.catalogue._lock:
            held.set()
            release.wait(30)

    reader = threading.Thread(target=long_read)
    reader.start()
    held.wait(30)
    answers: dict[str, set] = {}
    searching = threading.Thread(target=lambda: answers.update({q: found(library, q) for q in expected}))
    searching.start()
    searching.join(30)
    done = not searching.is_alive()
    release.set()
    reader.join()
    searching.join()
    assert done, "the search waited for the other read"
    assert answers == expected
    library.close()


@pytest.mark.parametrize(
    "query",
    [
        "城市更新 市",  # inside the longer word: the same answer without asking for it
        "城市更新 城区",  # sharing a character with it, not inside: still asked for
        "城市更新 新城",
        "城市更新 更新 城市更新",
        "城市更新 老城区",  # two words of three characters or more, in one FTS5 query
        "城区 区 城",
    ],
)
def test_a_word_is_asked_for_unless_a_longer_word_holds_it(query: str) -> None:
    catalogue = Catalogue()
    texts = ["城市更新", "城市更新与城区", "老城区城市更新", "城区", "新城市", "更新城市"]
    doc = _document("d", [[text] for text in texts])
    catalogue._write(lambda: catalogue._write_document("d", doc.path, doc))
    expected = {("d", n) for n, text in enumerate(texts, 1) if matches(text, query)}
    assert found(Library(catalogue), query) == expected


def _packed_as_is(ids: list[int], base: int) -> bytes:
    """A compacted row of these gaps as they are (pack itself refuses ids outside the block)."""
    gaps = [b - a for a, b in zip([base, *ids], ids, strict=False)]
    return b"H" + struct.pack(f"<{len(gaps)}H", *gaps)


@pytest.mark.parametrize("ids", [[5, 4096 + 7], [4095, 4096]])
@pytest.mark.parametrize("packer", [_packed_as_is, lambda ids, _base: pack_ids(ids)])
def test_a_posting_row_with_an_id_outside_its_block_is_damage(ids: list[int], packer) -> None:
    # The library indexes a table by the ids without testing each: the row's bounds are
    # checked where it is read.
    catalogue = Catalogue()
    catalogue._db.execute("INSERT INTO search_postings VALUES (0, ?, ?, ?)", (token("湖"), ids[0], packer(ids, 0)))
    with pytest.raises(CatalogueError, match="outside"):
        catalogue.search_short("湖")


def _rows_per_token(db: sqlite3.Connection) -> dict[int, int]:
    """block -> the most rows one token has in it."""
    return dict(
        db.execute(
            "SELECT block, max(n) FROM (SELECT block, token, count(*) AS n FROM search_postings GROUP BY block, token)"
            " GROUP BY block"
        ).fetchall()
    )


def test_blocks_an_import_moved_past_hold_one_row_per_token(monkeypatch) -> None:
    monkeypatch.setattr(search_index, "BLOCK_BITS", 3)  # eight ids a block: the writes below span several
    catalogue = Catalogue()
    for n in range(12):  # one transaction each, as an import's batches are
        doc = _document(f"d{n}", [["安全生产", "电梯安全"], ["湖区", "医保"], ["市县", "安全"]])
        catalogue._write(lambda doc=doc, n=n: catalogue._write_document(f"d{n}", doc.path, doc))
    most = _rows_per_token(catalogue._db)
    newest = max(most)
    assert len(most) > 3
    assert all(rows == 1 for block, rows in most.items() if block < newest), most
    library = Library(catalogue)
    assert len(library.search("安全")) == 24 and len(library.search("湖")) == 12


def test_an_import_leaves_no_rows_uncompacted(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    catalogue.add_root(folder)
    assert catalogue.refresh().imported == 5  # one transaction: its block not yet full
    headers = {blob[:1] for (blob,) in catalogue._db.execute("SELECT ids FROM search_postings")}
    assert headers and b"I" not in headers, headers  # every row packed, none as the import wrote it
    library = Library(catalogue)
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    catalogue.close()


def test_an_import_gives_back_the_pages_its_rewrites_freed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search_index, "BLOCK_BITS", 3)  # blocks of eight items, rewritten as the import moves on
    monkeypatch.setattr(catalogue_module, "_BATCH", 1)  # a transaction a file
    folder = copy_seeds(tmp_path / "minutes")
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    catalogue.add_root(folder)
    assert catalogue.refresh().imported == 5
    db = catalogue._db
    assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    library = Library(catalogue)
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    catalogue.close()


def test_a_new_catalogue_writes_and_merges_trigram_segments_as_set() -> None:
    config = dict(Catalogue()._db.execute("SELECT k, v FROM topic_text_config"))
    assert config["hashsize"] == search_index.HASH_SIZE
    assert "automerge" not in config  # the default: at 8 a reparse left the index 39% larger


def test_an_import_that_removes_files_gives_back_their_pages(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    catalogue.add_root(folder)
    assert catalogue.refresh().imported == 5
    for path in folder.iterdir():
        path.unlink()
    assert catalogue.refresh().removed == 5
    assert catalogue._db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    catalogue.close()


def test_opening_a_catalogue_writes_nothing(tmp_path: Path) -> None:
    """A second window must open while another writes: opening takes no write lock (setting
    auto_vacuum on a file that has it writes its first page at every open)."""
    path = tmp_path / "catalogue.sqlite3"
    Catalogue(path).close()
    wal = tmp_path / "catalogue.sqlite3-wal"
    db = storage.connect(str(path))
    try:
        assert not wal.exists() or wal.stat().st_size == 0
        assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # kept from its creation
    finally:
        db.close()


def test_a_version_5_catalogue_keys_its_postings_by_block(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [folder]).close()
    raw = sqlite3.connect(db)  # back to version 5's table: token first, a row per token for each write
    raw.execute("ALTER TABLE search_postings RENAME TO v5")
    raw.execute(
        "CREATE TABLE search_postings(token INTEGER NOT NULL, block INTEGER NOT NULL, first INTEGER NOT NULL,"
        " ids BLOB NOT NULL, PRIMARY KEY (token, block, first)) WITHOUT ROWID"
    )
    for block, number, _first, blob in raw.execute("SELECT * FROM v5").fetchall():
        ids = list(unpack(block, blob))
        for part in (ids[: len(ids) // 2], ids[len(ids) // 2 :]):  # two rows each, as two imports wrote
            if part:
                raw.execute(
                    "INSERT INTO search_postings VALUES (?, ?, ?, ?)",
                    (number, block, part[0], pack(part, block << BLOCK_BITS)),
                )
    raw.execute("DROP TABLE v5")
    roles_as_version_7(raw)
    raw.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    library = Library.open(db, [folder])
    assert library.catalogue.schema_version == SCHEMA_VERSION == 8
    assert library.notice is None
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    library.close()
    raw = sqlite3.connect(db)
    key = [row[2] for row in raw.execute("PRAGMA index_info(sqlite_autoindex_search_postings_1)")]
    assert key[:2] == ["block", "token"]
    assert set(_rows_per_token(raw).values()) == {1}


def test_a_large_librarys_long_words_are_read_in_two_halves_at_once(tmp_path: Path, monkeypatch) -> None:
    # From SPLIT_FROM items on, the trigram query reads the lower ids on the searching thread and
    # the upper ones on a second connection in another thread: together they are the whole answer,
    # each id once and below its group's bound (found), the boundary's ids included.
    monkeypatch.setattr(catalogue_queries, "_cores", lambda: 2)
    library = Library.open(tmp_path / "catalogue.sqlite3", [copy_seeds(tmp_path / "minutes")])
    catalogue = library.catalogue
    assert found(library, "实验室") == _scan(library, "实验室") != set()
    assert catalogue._halves is None  # a small library: no second connection, no thread
    monkeypatch.setattr(catalogue_queries, "SPLIT_FROM", 1)
    top = max(t.id for m in library.meetings for t in m.topics)
    assert min(t.id for m in library.meetings for t in m.topics) == 1
    threads: list[str] = []
    real = catalogue_queries._fts_ids

    def noted(db: sqlite3.Connection, query: str, low: int, end: int) -> list[int]:
        threads.append(threading.current_thread().name)
        return real(db, query, low, end)

    monkeypatch.setattr(catalogue_queries, "_fts_ids", noted)
    middle = (top + 1) // 2
    by_key = {ref.key: ref.topic for ref in library.topics()}
    texts = {
        t.id: search_form(
            "\n".join([by_key[m.id, t.number].title, *(r.text for r in by_key[m.id, t.number].resolutions)])
        )
        for m in library.meetings
        for t in m.topics
    }
    # a word of items on both sides of the middle, and one of the items just each side of it
    words = (texts[1][i : i + 4] for i in range(len(texts[1]) - 3))
    both = next(w for w in words if w in texts[top] and w.split() == [w])
    edge = texts[middle - 1][:3], texts[middle][-3:]
    for query in [*QUERIES, both, *edge]:
        assert found(library, query) == _scan(library, query), query
    assert catalogue._halves is not None
    assert any(name.startswith("search-half") for name in threads), "no half was read in the other thread"
    (lower, bound), (upper, _) = catalogue.search_fts([both])
    assert bound == middle and 1 in lower and top in upper and max(lower) < middle <= min(upper)
    monkeypatch.setattr(catalogue_queries, "SPLIT_FROM", top)  # the ids' span is below: read as one query
    for query in QUERIES:
        assert found(library, query) == _scan(library, query), query
    half = catalogue._halves.pool
    library.close()
    assert catalogue._halves is None and half._shutdown


def test_the_halves_split_the_ids_a_library_holds_not_those_it_held(tmp_path: Path, monkeypatch) -> None:
    # Ids only grow: documents stored again take new ones above all the rest. The middle is
    # that of the ids held, so both halves keep their share.
    monkeypatch.setattr(catalogue_queries, "_cores", lambda: 2)
    monkeypatch.setattr(catalogue_queries, "SPLIT_FROM", 1)
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [copy_seeds(tmp_path / "minutes")]).close()
    raw = sqlite3.connect(db)
    held = raw.execute("SELECT count(*) FROM topics").fetchone()[0]
    raw.execute("UPDATE meta SET value = '0' WHERE key = 'parser_version'")  # every file parsed again
    raw.commit()
    raw.close()
    with Library.open(db, [tmp_path / "minutes"]) as library:
        ids = sorted(t.id for m in library.meetings for t in m.topics)
        assert ids[0] > held  # all new
        word = "实验室"
        groups = library.catalogue.search_fts([word])
        assert len(groups) == 2 and groups[0][1] == (ids[0] + ids[-1] + 1) // 2
        assert found(library, word) == _scan(library, word)


def test_where_the_halves_split_is_read_from_the_ends_of_the_ids(tmp_path: Path, monkeypatch) -> None:
    # Asked at every long word: min() and max() in one SELECT walked every item (5 ms at 10,000
    # minutes, ~7 of SQLite's steps an item), each alone reads an end of the key.
    monkeypatch.setattr(catalogue_queries, "_cores", lambda: 2)
    with Library.open(tmp_path / "catalogue.sqlite3", [copy_seeds(tmp_path / "minutes")]) as library:
        catalogue = library.catalogue
        items = sum(len(m.topics) for m in library.meetings)
        assert items > 30
        steps = 0

        def step() -> int:
            nonlocal steps
            steps += 1
            return 0

        with catalogue._searching() as db:
            db.set_progress_handler(step, 1)
            try:
                catalogue._halves_for(db)
            finally:
                db.set_progress_handler(None, 1)
        assert steps < 3 * items
