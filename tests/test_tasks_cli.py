"""`minutes tasks`: list, filter, JSON, files, set, import, hand-over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from minutes import seeds_dir
from minutes.cli import main

JSON_KEYS = {"id", "meeting", "item", "resolution", "text", "lead", "co", "action", "document", "due", "status", "note",
             "updated", "orphaned", "to_all", "scope"}  # fmt: skip


@pytest.fixture
def base(tmp_path: Path) -> list[str]:
    return ["--library", str(seeds_dir()), "--ledger", str(tmp_path / "ledger.sqlite3")]


def tasks(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(["tasks", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_list_and_filters(capsys: pytest.CaptureFixture[str], base: list[str]) -> None:
    everything = tasks(capsys, *base)
    assert len(everything) == 83 and set(everything[0]) >= JSON_KEYS
    assert everything[0]["meeting"] == {"key": "〔2021〕9号#128", "doc_number": "〔2021〕9号", "session": 128,
                                        "date": "2021-02-23"}  # fmt: skip
    assert (everything[0]["item"], everything[0]["resolution"]) == (1, 3)  # newest meeting, in order
    civil = tasks(capsys, *base, "--dept", "市民政局", "--to", "2020-06-30")
    own = [t for t in civil if "市民政局" in t["lead"]]
    assert len(own) == 1 and all(t["to_all"] for t in civil if t not in own)
    assert own[0]["due"] == {"date": "2020-07-01", "from": None, "words": "2020年7月1日起施行", "recurring": False}
    assert own[0]["action"] == "做好调整落实工作" and own[0]["status"] == "未开始" and own[0]["updated"] is None
    assert {t["meeting"]["session"] for t in civil} == {99, 101}
    alias = tasks(capsys, *base, "--dept", "市场监管局", "--from", "2021-01-01")  # a source spelling
    assert any(t["lead"] == ["市市场监管局"] and t["co"] == ["市司法局"] for t in alias)


def test_set_then_list_by_status(capsys: pytest.CaptureFixture[str], base: list[str]) -> None:
    target = next(t for t in tasks(capsys, *base) if t["lead"] == ["市工信局"])
    assert (
        main(["tasks", "set", target["id"][:6], "--status", "已办结", "--note", "已提请审议", "--by", "李四", *base])
        == 0
    )
    assert "[已办结]" in capsys.readouterr().out
    (done,) = tasks(capsys, *base, "--status", "已办结")
    assert done["id"] == target["id"] and done["note"] == "已提请审议" and done["updated"]
    assert done["recorded_by"] == "李四" and done["finished"]
    assert len(tasks(capsys, *base, "--status", "未开始")) == 82


def test_errors_are_one_line(capsys: pytest.CaptureFixture[str], base: list[str], tmp_path: Path) -> None:
    assert main(["tasks", "set", "ffffffff", "--status", "已办结", *base]) == 1
    assert capsys.readouterr().err.strip() == "minutes: 找不到编号为 ffffffff 的督办事项"
    assert main(["tasks", "-o", str(tmp_path / "x.pdf"), *base]) == 1
    assert "只能写入 .xlsx 或 .csv" in capsys.readouterr().err
    assert main(["tasks", "frobnicate", "x", *base]) == 1
    assert "未知的子命令" in capsys.readouterr().err


def test_xlsx_round_trip_and_hand_over(capsys: pytest.CaptureFixture[str], base: list[str], tmp_path: Path) -> None:
    sheet_path = tmp_path / "发改委.xlsx"
    assert main(["tasks", "--dept", "市发改委", "-o", str(sheet_path), *base]) == 0
    assert "条督办事项" in capsys.readouterr().out
    book = load_workbook(sheet_path)
    sheet = book.active
    assert sheet["A1"].value == "督办台账 — 市发改委（全部日期）"
    line = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 7).value == "市发改委")
    record_id = sheet.cell(line, 1).value
    sheet.cell(line, 13).value = "办理中"
    sheet.cell(line, 14).value = "已召开协调会"
    book.save(sheet_path)
    assert main(["tasks", "import", str(sheet_path), *base]) == 0
    assert capsys.readouterr().out.startswith("更新 1 条")
    (row,) = [t for t in tasks(capsys, *base) if t["id"] == record_id]
    assert (row["status"], row["note"]) == ("办理中", "已召开协调会")
    # Hand the ledger to a colleague with an empty one.
    handover = tmp_path / "交接.json"
    assert main(["tasks", "handover", str(handover), *base]) == 0
    colleague = ["--library", str(seeds_dir()), "--ledger", str(tmp_path / "colleague.sqlite3")]
    capsys.readouterr()
    assert main(["tasks", "import", str(handover), *colleague]) == 0
    assert capsys.readouterr().out.startswith("新增 1 条")
    (theirs,) = tasks(capsys, *colleague, "--status", "办理中")
    assert theirs["id"] == record_id and theirs["note"] == "已召开协调会"
