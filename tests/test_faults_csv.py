"""CSV formula injection (issue 11.11): text from a document never becomes a formula in Excel or WPS."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from minutes.report import ResolutionRow, write_csv


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x","点击")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_cells_that_would_be_formulas_are_written_as_text(tmp_path: Path, cell: str) -> None:
    row = ResolutionRow(dt.date(2021, 2, 23), "第128次常务会议", "〔2021〕9号", cell, "（一）", cell, cell, "k", 1)
    out = tmp_path / "table.csv"
    write_csv([row], out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))[1]
    assert written[3] == written[5] == written[6] == "'" + cell
    assert written[:3] == ["2021-02-23", "第128次常务会议", "〔2021〕9号"]


def test_ordinary_cells_are_unchanged(tmp_path: Path) -> None:
    row = ResolutionRow(None, "第99次常务会议", "", "一、审议《条例》", "（一）", "市财政局", "原则同意。", "k", 1)
    out = tmp_path / "table.csv"
    write_csv([row], out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1] == [
            "",
            "第99次常务会议",
            "",
            "一、审议《条例》",
            "（一）",
            "市财政局",
            "原则同意。",
            "",  # 期限 and 状态 (issue 14): this resolution assigns nothing
            "",
        ]
