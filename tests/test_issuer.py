"""#10 through the catalogue and the library: search in either script, the issuing government
and the genre per meeting, the issuer filter."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from minutes import parse_text
from minutes.filters import UNKNOWN_ISSUER, FilterSpec, RoleFilter, short_issuer
from minutes.library import Library
from minutes.model import MINUTES, REPORT, TRADITIONAL
from minutes.schema import SCHEMA_VERSION
from minutes.script import search_form
from tests import mixed_library, variants
from tests.conftest import seed_text
from tests.test_catalogue import attendance_as_version_4

COUNTY, DISTRICT = mixed_library.COUNTY[0], mixed_library.DISTRICT[0]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.load([mixed_library.build(tmp_path_factory.mktemp("mixed"))])


def _by_issuer(library: Library, issuer: str | None):
    return next(m for m in library.meetings if m.issuer == issuer)


def _scan(library: Library, query: str) -> set[int]:
    """The plain answer: items whose text, in its search form, holds every word of the query."""
    words = search_form(query).split()
    found = set()
    for meeting in library.meetings:
        for info, topic in zip(meeting.topics, meeting.minutes.topics, strict=True):
            text = search_form("\n".join([topic.title, *(r.text for r in topic.resolutions)]))
            if all(w in text for w in words):
                found.add(info.id)
    return found


# -- 1: search in either script ----------------------------------------------------------------
@pytest.mark.parametrize("query", ["城市基础设施建设", "设施", "审议", "区司法局", "法规 计划"])
def test_search_in_either_script(library: Library, query: str) -> None:
    traditional = variants.to_traditional(query)
    assert traditional != query
    district = {t.id for t in _by_issuer(library, DISTRICT).topics}
    expected = _scan(library, query)
    assert expected & district, "the traditional document holds the words"
    assert library.search(query) == expected
    library._text_mask = None
    assert library.search(traditional) == expected
    assert library.matching_ids(FilterSpec(text=traditional)) == expected


def test_a_traditional_document_shows_as_written(library: Library) -> None:
    meeting = _by_issuer(library, DISTRICT)
    assert meeting.minutes.script == TRADITIONAL
    assert "區司法局" in meeting.source.text
    assert any("區司法局" in r.text for t in meeting.minutes.topics for r in t.resolutions)


# -- 2: issuer and genre per meeting -------------------------------------------------------------
def test_issuer_and_genre_come_from_the_catalogue(tmp_path: Path) -> None:
    library = Library.load([mixed_library.build(tmp_path / "mixed")])
    got = {(m.issuer, m.genre) for m in library.meetings}
    assert library._documents == {}  # read from the summaries, not from the documents
    assert got == {("苏州市人民政府", MINUTES), (COUNTY, MINUTES), (DISTRICT, MINUTES), (None, REPORT)}
    for meeting in library.meetings:
        assert (meeting.issuer, meeting.genre) == (meeting.minutes.issuer, meeting.minutes.genre)


def test_the_same_number_from_two_governments_is_two_meetings(library: Library) -> None:
    seed = parse_text(seed_text("000"))
    same = [m for m in library.meetings if (m.doc_number, m.session) == (seed.doc_number, seed.session)]
    assert sorted(m.issuer for m in same) == sorted(["苏州市人民政府", COUNTY])
    assert any(m.id == f"{seed.doc_number}#{seed.session}" for m in same)  # Suzhou's keys are as before


def _version_3_index(raw: sqlite3.Connection) -> None:
    """The search index as versions 2 and 3 kept it: a trigram table holding the text itself
    (and attendance as they kept it)."""
    raw.execute("DROP TABLE search_postings")
    raw.execute("DROP TABLE topic_text")
    raw.execute("CREATE VIRTUAL TABLE topic_text USING fts5(text, tokenize = 'trigram')")
    raw.execute("INSERT INTO topic_text(rowid, text) SELECT id, title FROM topics")
    attendance_as_version_4(raw)


def test_a_version_2_catalogue_migrates_and_reads_issuers_again(tmp_path: Path) -> None:
    folder = mixed_library.build(tmp_path / "mixed")
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [folder]).close()
    raw = sqlite3.connect(db)  # back to what version 2 wrote: no issuer, no genre, unfolded search text
    raw.execute("DROP INDEX documents_start")  # schema 7: on the columns version 3 added
    raw.execute("ALTER TABLE documents DROP COLUMN issuer")
    raw.execute("ALTER TABLE documents DROP COLUMN genre")
    raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    raw.execute("UPDATE meta SET value = '2' WHERE key = 'parser_version'")
    _version_3_index(raw)
    for (rowid,) in raw.execute("SELECT id FROM topics").fetchall():
        raw.execute("UPDATE topic_text SET text = '' WHERE rowid = ?", (rowid,))
    raw.commit()
    raw.close()
    library = Library.open(db, [folder])
    assert library.catalogue.schema_version == SCHEMA_VERSION == 8
    assert {m.issuer for m in library.meetings} == {"苏州市人民政府", COUNTY, DISTRICT, None}
    assert library.search(variants.to_traditional("区司法局")) == _scan(library, "区司法局") != set()
    library.close()


def test_minutes_a_version_2_catalogue_took_for_one_are_two_after_migration(tmp_path: Path) -> None:
    folder = mixed_library.build(tmp_path / "mixed")
    db = tmp_path / "catalogue.sqlite3"
    library = Library.open(db, [folder])
    county = _by_issuer(library, COUNTY).id
    suzhou = county.split("@")[0]
    library.close()
    raw = sqlite3.connect(db)  # as version 2 stored them: the county's file as a second source of Suzhou's
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute("UPDATE files SET doc_key = ? WHERE doc_key = ?", (suzhou, county))
    _version_3_index(raw)
    for (rowid,) in raw.execute("SELECT id FROM topics WHERE doc_key = ?", (county,)).fetchall():
        raw.execute("DELETE FROM topic_text WHERE rowid = ?", (rowid,))
    raw.execute("DELETE FROM documents WHERE doc_key = ?", (county,))
    raw.execute("DROP INDEX documents_start")  # schema 7: on the columns version 3 added
    raw.execute("ALTER TABLE documents DROP COLUMN issuer")
    raw.execute("ALTER TABLE documents DROP COLUMN genre")
    raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    with Library.from_file(db) as first:
        assert len(first.meetings) == 7
    library = Library.open(db, [folder])
    assert len(library.meetings) == 8 and library.meeting(county) is not None
    assert [p.name for p in library.meeting(county).sources] == ["county.txt"]
    assert library.meeting(suzhou).sources == [folder / "000_1a7596d02d506026.txt"]
    library.close()


# -- 4: the issuer filter ----------------------------------------------------------------------
def test_issuers_with_counts(library: Library) -> None:
    assert library.issuers() == Counter({"苏州市人民政府": 5, COUNTY: 1, DISTRICT: 1, UNKNOWN_ISSUER: 1})


def test_filter_by_issuer(library: Library) -> None:
    county = _by_issuer(library, COUNTY)
    spec = FilterSpec(issuers=frozenset({COUNTY}))
    assert library.matching_ids(spec) == {t.id for t in county.topics}
    both = spec.with_(issuers=frozenset({COUNTY, DISTRICT}))
    district = _by_issuer(library, DISTRICT)
    assert library.matching_ids(both) == {t.id for t in (*county.topics, *district.topics)}
    assert library.matching_ids(both.with_(date_to=county.date)) == {t.id for t in county.topics}
    assert "张家港" in spec.describe() and "姑苏区" in both.describe()


def test_faceted_counts_honour_the_issuer(library: Library) -> None:
    spec = FilterSpec(issuers=frozenset({COUNTY}), role=RoleFilter.LEAD)
    counts = library.faceted_department_counts(spec)
    county = _by_issuer(library, COUNTY).minutes
    expected = Counter(d for t in county.topics for d in {*t.lead_departments})
    assert counts == expected and counts
    assert all(name.startswith("市") for name in counts)  # 张家港's own 市住建局…, none of 姑苏区's


def test_short_issuer() -> None:
    assert [short_issuer(i) for i in ("苏州市人民政府", "张家港市人民政府", "姑苏区人民政府", "太仓县人民政府")] == [
        "苏州",
        "张家港",
        "姑苏区",
        "太仓",
    ]


# -- 5: the parse summary ----------------------------------------------------------------------
def test_parse_summary_names_issuer_term_and_genre(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from minutes.cli import main
    from tests.conftest import seed_path

    local = variants.local_government(seed_text("000"), *variants.LOCAL[1])
    (tmp_path / "district.txt").write_text(variants.session_without_di(local, "区四", "一百零八"), "utf-8")
    (tmp_path / "report.txt").write_text(variants.news_report(parse_text(seed_text("004")), "2021-03-01"), "utf-8")
    assert main(["parse", str(tmp_path / "district.txt"), str(tmp_path / "report.txt")]) == 0
    out = capsys.readouterr().out
    assert "  发文机关：姑苏区人民政府，第4届\n" in out
    assert "  新闻报道（不是纪要原文）\n" in out
    assert main(["parse", str(seed_path("000"))]) == 0
    assert "  发文机关：苏州市人民政府\n" in capsys.readouterr().out
