from __future__ import annotations

import os
from pathlib import Path

# Tests never need a display; set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from minutes import seeds_dir

SEED_NAMES = {
    "000": "000_1a7596d02d506026.txt",
    "001": "001_b37540d95cd8ae61.txt",
    "002": "002_04fe10d810d3780d.txt",
    "003": "003_50fd57965885d8ad.txt",
    "004": "004_b96ed25596284f97.txt",
}


def seed_path(key: str) -> Path:
    return seeds_dir() / SEED_NAMES[key]


def seed_text(key: str) -> str:
    return seed_path(key).read_text("utf-8")


@pytest.fixture(params=sorted(SEED_NAMES))
def seed_key(request: pytest.FixtureRequest) -> str:
    return request.param


# The window's fixtures import Qt when used, so core tests never load it.
@pytest.fixture
def settings(tmp_path: Path):
    """Settings in a temporary folder: a test never touches the user's."""
    from gui.settings import Settings

    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings):
    """The reader window on the seeds, shown at 1366×768, its work done synchronously."""
    from gui.main_window import MainWindow
    from gui.tasks import SynchronousRunner

    win = MainWindow(settings, [seeds_dir()], SynchronousRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win
