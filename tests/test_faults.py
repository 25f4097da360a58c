"""Fault injection (issue 11): a folder of hostile files beside valid ones, imported through the
path the window uses (Library.open: Catalogue.refresh), in a child process so that a hang is a
timeout and memory can be measured. Every valid file is imported, every bad one listed with a
Chinese reason, nothing reaches stderr, and the peak memory stays far below what the old
readers took (gigabytes for a zip bomb)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import hostile
from tests.conftest import SEED_NAMES, seed_path, seed_text
from tests.test_catalogue import variant

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 240  # seconds: generous for two shared cores; the old readers never finished some of these
PEAK_MB = 400  # measured ~60 MB; the old Word reader took 2.1 GB for a 1 MB file
POSIX = sys.platform != "win32"

_CHILD = textwrap.dedent(
    """
    import json, sys
    from minutes.library import Library
    library = Library.open(sys.argv[1], [sys.argv[2]])
    peak = None
    try:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # kB on Linux
    except ImportError:  # Windows
        pass
    print(json.dumps({
        "meetings": sorted(m.session or 0 for m in library.meetings),
        "problems": {p.path.name: p.reason for p in library.problems},
        "notice": library.notice,
        "peak_mb": peak,
    }, ensure_ascii=True))
    """
)


def build(folder: Path) -> tuple[list[int], dict[str, str]]:
    """Valid files (their sessions) and bad ones (name -> a word the reason must hold)."""
    folder.mkdir()
    for name in SEED_NAMES.values():
        (folder / name).write_bytes(seed_path(name[:3]).read_bytes())
    sessions = [99, 101, 108, 121, 128]
    (folder / "valid.docx").write_bytes(hostile.docx_of_lines(variant(seed_text("001"), 1).splitlines()))
    sessions.append(5001)
    bad = {
        "nested.docx": "不像是会议纪要",  # read in linear time (the old reader: minutes), then judged
        "bomb.docx": "压缩炸弹",
        "locked.docx": "已加密",
        "odd-method.docx": "压缩方式不受支持",
        "old.doc": "另存为 .docx 或 PDF",
        "draft.wps": "另存为 .docx 或 PDF",
        "notes.rtf": "另存为 .docx 或 PDF",
        "empty.txt": "没有文字内容",
        "bom-only.txt": "没有文字内容",
        "lorem.txt": "没有中文文字",
        "script-only.html": "没有文字内容",
        "tags.html": "没有中文文字",
        "binary.txt": "文本",
        "broken.pdf": "不是有效的 PDF",
        "huge.txt": "文件过大",
    }
    (folder / "nested.docx").write_bytes(hostile.nested_docx(50_000, "一段嵌套很深的文字"))
    (folder / "bomb.docx").write_bytes(hostile.bomb_docx(300))
    (folder / "locked.docx").write_bytes(hostile.encrypted_entry_docx(seed_text("002").splitlines()))
    (folder / "odd-method.docx").write_bytes(hostile.unsupported_method_docx(seed_text("002").splitlines()))
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(500))
    (folder / "draft.wps").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(500))
    (folder / "notes.rtf").write_bytes(rb"{\rtf1\ansi minutes}")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bom-only.txt").write_bytes(b"\xef\xbb\xbf")
    (folder / "lorem.txt").write_text("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 50, "utf-8")
    (folder / "script-only.html").write_text(
        "<html><head><title>会议</title></head><body><script>var a = 1;</script></body></html>", "utf-8"
    )
    (folder / "tags.html").write_bytes(b"<a " * 1_000_000)  # html.parser took minutes for this
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 400)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    if POSIX:
        gbk = hostile.gbk_name(folder, "第五千零二次会议纪要")
        gbk.write_bytes(variant(seed_text("003"), 2).encode("gbk"))
        sessions.append(5002)
        os.mkfifo(folder / "pipe.txt")
        (folder / "zero.txt").symlink_to("/dev/zero")
        (folder / "dangling.txt").symlink_to(folder / "gone.txt")
        bad |= {"pipe.txt": "不是普通文件", "zero.txt": "不是普通文件", "dangling.txt": "链接指向的文件不存在"}
    return sorted(sessions), bad


def run_child(db: Path, folder: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), str(folder)], capture_output=True, env=env, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert result.stderr == b"", result.stderr.decode("utf-8", "replace")[-2000:]  # no traceback, no library noise
    return json.loads(result.stdout)


def test_hostile_folder_is_imported_with_every_bad_file_listed(tmp_path: Path) -> None:
    sessions, bad = build(tmp_path / "minutes")
    outcome = run_child(tmp_path / "catalogue.sqlite3", tmp_path / "minutes")
    assert outcome["notice"] is None
    assert outcome["meetings"] == sessions
    problems = outcome["problems"]
    for name, word in bad.items():
        assert name in problems, f"{name} neither imported nor listed"
        assert word in problems[name], (name, problems[name])
        assert re.search(r"[\u4e00-\u9fff]", problems[name]), (name, problems[name])
    assert set(problems) <= set(bad)
    if outcome["peak_mb"] is not None:
        assert outcome["peak_mb"] < PEAK_MB, outcome["peak_mb"]
    # The second start reads nothing again and finds the same.
    again = run_child(tmp_path / "catalogue.sqlite3", tmp_path / "minutes")
    assert again["meetings"] == sessions and again["problems"] == problems


def test_cli_parse_of_the_hostile_folder(tmp_path: Path) -> None:
    _sessions, bad = build(tmp_path / "minutes")
    files = sorted((tmp_path / "minutes").iterdir())
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "minutes.cli", "parse", *map(str, files)],
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith("minutes: ") for line in lines)  # one line per bad file, nothing else
    assert len(lines) >= len(bad) - 1
    assert result.stdout.decode("utf-8").count("议题") == len(files) - len(lines)


@pytest.mark.skipif(not POSIX, reason="FIFOs are POSIX")
def test_fifo_added_as_a_file_does_not_hang(tmp_path: Path) -> None:
    # Added by name (a root of kind "file"), not found in a folder.
    os.mkfifo(tmp_path / "pipe.txt")
    child = textwrap.dedent(
        """
        import sys
        from minutes.library import Library
        library = Library.load([], [sys.argv[1]])
        print([p.reason for p in library.problems])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-c", child, str(tmp_path / "pipe.txt")], capture_output=True, env=env, timeout=60, check=False
    )
    assert "不是普通文件" in result.stdout.decode("utf-8") and result.stderr == b""
