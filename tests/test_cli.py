from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minutes.cli import main
from tests import hostile
from tests.conftest import seed_path, seed_text

CONTRACT_KEYS = {
    "doc_number", "year", "serial", "session", "date", "period", "chair", "topics", "attendees", "observers",
    "observer_units", "recorder", "compiled_date", "issued_date", "public", "distribution", "warnings",
}  # fmt: skip


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", str(seed_path("000"))]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data.keys() >= CONTRACT_KEYS
    assert data["doc_number"] == "〔2020〕27号" and data["year"] == 2020 and data["serial"] == 27
    assert data["session"] == 108 and data["date"] == "2020-08-17" and data["period"] == "上午"
    assert data["compiled_date"] == "2020-09-03" and data["issued_date"] == "2020-09-03"
    topic = data["topics"][2]
    assert set(topic) >= {"number", "title", "kind", "documents", "resolutions"}
    assert topic["number"] == 3 and topic["kind"] == "审议"
    assert topic["resolutions"][0]["departments"] == ["市住建局", "市司法局"]
    assert set(topic["resolutions"][0]) >= {"number", "text", "departments"}
    assert {"name": "吴炜", "department": "市财政局"} in data["observers"]
    assert {"name": "张旗", "department": None} in data["observers"]


def test_json_for_several_files_is_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", str(seed_path("000")), str(seed_path("003"))]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["session"] for d in data] == [108, 101]


def test_readable_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(seed_path("004"))]) == 0
    out = capsys.readouterr().out
    assert "〔2021〕9号  第128次常务会议  2021-02-23 下午  主持：李亚平" in out
    assert "五、审议《苏州市电梯安全条例（草案）》  [审议]  牵头：市市场监管局" in out


def test_unreadable_file_fails_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    assert main(["parse", str(tmp_path / "missing.txt"), str(binary), str(seed_path("001"))]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2
    assert "missing.txt: 文件不存在" in errors[0] and "photo.txt" in errors[1]
    assert "第99次常务会议" in captured.out  # the readable file is still reported


def test_poor_parse_still_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "note.txt"
    odd.write_text("这是一份普通通知，不是会议纪要。\n", encoding="gbk")
    assert main(["parse", "--json", str(odd)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unplaced"] == ["这是一份普通通知，不是会议纪要。"]
    assert any("未能归类" in w for w in data["warnings"])


def test_console_script_runs_as_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minutes.cli", "parse", str(seed_path("002"))],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "〔2020〕43号" in result.stdout


def test_parse_gives_each_file_its_result_or_reason(qapp, tmp_path: Path) -> None:
    """`minutes parse a b c` with hostile files among good ones: each good file's summary, one
    line per bad file, exit status 1, and nothing else on the terminal (no traceback, no pypdf
    warning such as "EOF marker not found")."""
    whole = tmp_path / "whole.pdf"
    hostile.write_pdf(whole, seed_text("004"))
    cut = tmp_path / "cut.pdf"  # the %%EOF marker cut off: pypdf warns "EOF marker not found", then fails
    cut.write_bytes(whole.read_bytes().rstrip().removesuffix(b"%%EOF"))
    gbk = hostile.gbk_name(tmp_path) if sys.platform != "win32" else tmp_path / "市政府常务会议纪要.txt"
    gbk.write_bytes(seed_text("002").encode("gbk"))  # on POSIX its name is GBK bytes, as `unzip` leaves it
    locked = tmp_path / "locked.docx"
    locked.write_bytes(hostile.encrypted_entry_docx(seed_text("003").splitlines()))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    files = [seed_path("001"), cut, gbk, locked, broken]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # the console code page is not ours to test here
    result = subprocess.run(
        [sys.executable, "-m", "minutes.cli", "parse", *map(str, files)], capture_output=True, env=env, check=False
    )
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 1
    assert "Traceback" not in err and "EOF" not in err
    errors = err.strip().splitlines()
    assert len(errors) == 3
    assert "cut.pdf: 不是有效的 PDF" in errors[0]
    assert errors[1].endswith("locked.docx: Word 文档已加密，无法读取")
    assert "broken.pdf: 不是有效的 PDF" in errors[2]
    assert "第99次常务会议" in out
    assert "市政府常务会议纪要.txt  [gb18030]" in out  # the GBK name shown as it was meant


def test_a_reader_bug_costs_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    import minutes.source

    real = minutes.source.parse_text

    def parse(text: str):
        if "第108次" in text or "第一百零八次" in text:
            raise IndexError("a parser bug")
        return real(text)

    monkeypatch.setattr(minutes.source, "parse_text", parse)
    files = [seed_path(k) for k in ("000", "001", "002", "003", "004")]
    assert main(["parse", *map(str, files)]) == 1
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "解析出错（IndexError）" in captured.err
    assert captured.out.count("议题") == 4
