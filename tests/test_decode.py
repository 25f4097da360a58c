from __future__ import annotations

import pytest

from minutes.clean import clean_text, prose
from minutes.decode import DecodeError, decode_bytes, decode_lenient

SAMPLE = "苏州市人民政府常务会议纪要\n〔2020〕27号\n由市住建局会同市司法局根据本次会议讨论意见修改完善。\n"


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
     ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")],
)  # fmt: skip
def test_encodings_office_pcs_produce(encoding: str, label: str) -> None:
    decoded = decode_bytes(SAMPLE.encode(encoding))
    assert decoded.text == SAMPLE
    assert decoded.encoding == label


def test_rare_name_characters_survive_gb18030() -> None:
    text = "列席：王颺 朱镕 李堃 张喆\n"
    assert decode_bytes(text.encode("gb18030")).text == text


@pytest.mark.parametrize("data", [bytes(range(256)) * 10, b"\x00\x01\x02\x03" * 500, b"\xff\xfe\xfd" * 300])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_bytes(data)
    assert isinstance(decode_lenient(data).text, str)


def test_cleaning_keeps_text_and_records_noise() -> None:
    cleaned = clean_text("## **一、审议《方案》**\n\n— 3 —\n-4-\n---\n当前位置: 首页 > 政务公开\n正文")
    assert [line.text for line in cleaned.lines] == ["一、审议《方案》", "正文"]
    assert [n.reason for n in cleaned.noise] == [
        "markdown", "markdown", "page-number", "page-number", "markdown", "web-page",
    ]  # fmt: skip


def test_prose_joins_broken_lines_and_drops_typesetting_spaces() -> None:
    assert prose(["2020 年 6 月 15 日下午，市政府第 101 ", " 次常务会议"]) == "2020年6月15日下午，市政府第101次常务会议"
    assert prose(["COVID 19 ", "防控"]) == "COVID 19防控"
