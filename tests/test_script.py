"""Script detection, the search form, and the model's new fields through the catalogue's
serialisation."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from minutes import parse_text, script
from minutes.model import MINUTES, REPORT, SIMPLIFIED, TRADITIONAL, Minutes
from minutes.serialize import from_data, to_data
from tests import variants
from tests.conftest import seed_text


def test_table_matches_the_converter() -> None:
    """data/traditional.txt is OpenCC's t2s character table as installed (single characters
    whose first simplified form differs)."""
    import opencc

    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    pairs = {}
    with open(os.path.join(folder, "TSCharacters.txt"), encoding="utf-8") as f:
        for line in f:
            key, values = line.rstrip("\n").split("\t")
            value = values.split()[0]
            if len(key) == 1 and len(value) == 1 and key != value:
                pairs[key] = value
    assert "".join(script.search_form(k) for k in sorted(pairs)) == "".join(pairs[k] for k in sorted(pairs))
    traditional, _, only = script._lines()
    assert set(traditional) == set(pairs)
    assert set(only) == {ch for ch in pairs if not _in_gb2312(ch)}


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_detect() -> None:
    assert script.detect(seed_text("000")) == SIMPLIFIED
    assert script.detect(seed_text("004")) == SIMPLIFIED  # one traditional name, 王颺
    assert script.detect(variants.to_traditional(seed_text("000"))) == TRADITIONAL
    assert script.detect("吳慶文市長主持召開市政府第57次常務會議") == TRADITIONAL
    assert script.detect("") == SIMPLIFIED


def test_search_form() -> None:
    assert script.search_form("會議議定以下意見") == "会议议定以下意见"
    simplified = seed_text("001")
    assert script.search_form(simplified) is simplified  # simplified text is returned as is
    # Character for character: a query in either script matches a text in either script.
    text = variants.to_traditional(seed_text("002"))
    assert len(script.search_form(text)) == len(text)
    for query in ("市住建局", "城市基础设施建设", "公共服务平台运行管理办法"):
        assert script.search_form(variants.to_traditional(query)) in script.search_form(text)
        assert script.search_form(query) in script.search_form(text)


def test_converter_unavailable_falls_back_to_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(script, "_converter", lambda: None)
    m = parse_text(variants.to_traditional(seed_text("000")))
    assert m.script == TRADITIONAL and m.session == 108 and len(m.topics) == 5
    assert m.warnings == ("繁体字转换库不可用，已按单字对照表转换",)


def test_new_fields_round_trip() -> None:
    seed = parse_text(seed_text("000"))
    m = parse_text(variants.site_page(seed_text("000"), seed.doc_number, seed.session, "2020-09-04"))
    assert (m.issuer, m.published_date, m.source_office) == (
        "苏州市人民政府",
        dt.date(2020, 9, 4),
        "苏州市人民政府办公室",
    )
    assert from_data(to_data(m)) == _without_segments(m)
    report = parse_text(variants.news_report(seed, "2020-08-18"))
    assert report.genre == REPORT and from_data(to_data(report)) == _without_segments(report)
    traditional = parse_text(variants.to_traditional(seed_text("001")))
    assert from_data(to_data(traditional)).script == TRADITIONAL
    term = parse_text(seed_text("000").replace("市政府第108次", "区四届五十一次"))
    assert from_data(to_data(term)).term == 4


def test_data_stored_before_the_new_fields_still_loads() -> None:
    m = parse_text(seed_text("000"))
    old = to_data(m)
    for key in ("issuer", "term", "published_date", "source_office", "script", "genre"):
        del old[key]
    loaded = from_data(old)
    assert (loaded.issuer, loaded.term, loaded.published_date, loaded.script, loaded.genre) == (
        None,
        None,
        None,
        SIMPLIFIED,
        MINUTES,
    )
    assert loaded.topics == m.topics


def test_json_keys_added_none_removed() -> None:
    data = parse_text(seed_text("000")).to_dict()
    assert {"issuer", "term", "published_date", "script", "genre"} <= data.keys()
    assert (data["issuer"], data["script"], data["genre"]) == ("苏州市人民政府", "simplified", "minutes")
    assert Minutes().to_dict()["genre"] == "minutes"


def _without_segments(m: Minutes) -> Minutes:
    import dataclasses

    return dataclasses.replace(m, segments=())
