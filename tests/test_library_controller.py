"""What the library's folder watcher is given (the walk runs off the UI thread)."""

from __future__ import annotations

from pathlib import Path

from gui.library_controller import watch_paths


def test_watch_paths_are_every_folder_then_the_files_the_library_reads(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a" / "b").mkdir(parents=True)
    for name in ("x.txt", "a/y.PDF", "a/b/z.docx", "a/skip.doc", "a/b/notes.md", "a/.txt"):
        (root / name).write_text("纪要", "utf-8")
    single = tmp_path / "single.htm"
    single.write_text("纪要", "utf-8")
    paths = watch_paths([root, single, tmp_path / "gone"], max_files=100)
    folders = [str(root), str(root / "a"), str(root / "a" / "b")]
    assert paths[:3] == folders
    assert sorted(paths[3:]) == sorted(
        [str(root / "x.txt"), str(root / "a/y.PDF"), str(root / "a/b/z.docx"), str(single)]
    )
    limited = watch_paths([root], max_files=1)
    assert limited[:3] == folders and len(limited) == 4  # every folder, files up to the limit
