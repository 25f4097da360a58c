"""Start-up does only what the first window shows. The parser, the PDF writer and reader, the
spreadsheet reader, the bundled fonts and the 督办台账 are imported when first used: each costs
start-up time (bench/startup.py) and none is on screen at start. And what start-up does
differently for speed gives the same result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

# Each is loaded later, by what uses it (an import, an export, the ledger dock, a PC without a
# Chinese UI font).
DEFERRED = (
    "minutes.parse",  # the parser: the window reads the catalogue
    "minutes.decode",
    "minutes.importers",
    "gui.pdf_export",  # the PDF writer
    "gui.pdf_layout",
    "pypdf",
    "openpyxl",
    "gui.fonts",  # the bundled CJK faces (xz-compressed)
    "gui.ledger_view",  # the 督办台账 dock's contents
    "gui.ledger_model",
    "minutes.ledger",
    "minutes.report",
    "gui.export_controller",  # export and print: made on first use
    "gui.export_dialog",
    "gui.about",
)

FIRST_WINDOW = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from gui.app import create_application
    app = create_application(sys.argv[:1])
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from minutes import seeds_dir
    tmp = Path(sys.argv[1])
    window = MainWindow(Settings(tmp / "s.ini"), [seeds_dir()], catalogue=tmp / "c.sqlite3")
    window.show()
    while window.viewer.meeting is None:
        app.processEvents()
    app.processEvents()
    from PySide6.QtGui import QFontDatabase
    from gui.app import UI_FONTS
    ui_font = bool(set(UI_FONTS) & set(QFontDatabase.families()))
    print(json.dumps({"modules": sorted(sys.modules), "ui_font": ui_font}))
    """
)


def first_window_modules(tmp: Path) -> tuple[set[str], bool]:
    """The modules loaded once the first window shows, and whether the PC has a Chinese UI font
    (without one, the bundled faces are loaded at start: never boxes)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_WINDOW, str(tmp)],
        capture_output=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    return set(shown["modules"]), shown["ui_font"]


def test_the_first_window_loads_none_of_the_deferred_modules(tmp_path: Path) -> None:
    first_window_modules(tmp_path)  # the first start builds the catalogue (and parses the seeds)
    again, ui_font = first_window_modules(tmp_path)  # as every start after the first: from the catalogue
    assert {"gui.main_window", "minutes.library"} <= again  # the check below sees what is loaded
    deferred = DEFERRED if ui_font else tuple(m for m in DEFERRED if m != "gui.fonts")  # Wine has none
    assert sorted(m for m in deferred if m in again) == []


def test_the_masthead_folds_a_text_as_search_form_does() -> None:
    """The viewer's masthead folds its one text with search_form_once, which skips search_form's
    fast path (a character class too costly to compile for one text at start-up)."""
    from minutes import script
    from tests.conftest import seed_text

    traditional, simplified, _ = script._lines()
    texts = [
        seed_text("000"),
        "蘇州市人民政府常務會議紀要：會議審議《蘇州市傳統村落保護辦法》。",
        "苏州市人民政府 王颺 乾隆 於是 𠀀 " + traditional[:40],
        simplified[:200],
        "",
    ]
    for text in texts:
        assert script.search_form_once(text) == script.search_form(text)
    assert script.search_form_once("蘇州市人民政府常務會議") == "苏州市人民政府常务会议"
