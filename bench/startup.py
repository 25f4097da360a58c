"""Time to first window: the reader on the bundled seeds against a bare Qt window.

Each sample is a fresh process, timed from spawn until it reports that its window is shown
with content (the reader: the newest meeting rendered, from its catalogue as at every start
after the first). The baseline is a QMainWindow with a
tree and a text view and nothing else. Target: reader <= 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time

from common import child_env

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTextEdit, QTreeView
app = QApplication([])
window = QMainWindow()
splitter = QSplitter()
splitter.addWidget(QTreeView())
text = QTextEdit()
text.setPlainText("苏州市人民政府常务会议纪要")
splitter.addWidget(text)
window.setCentralWidget(splitter)
window.resize(1440, 900)
window.show()
app.processEvents()
print("SHOWN", flush=True)
"""

READER = """
import sys
from pathlib import Path
from gui.app import create_application
app = create_application(sys.argv[:1])
from gui.main_window import MainWindow
from gui.settings import Settings
from minutes import seeds_dir
# As the app starts: from its catalogue (built by the warm-up run), the files checked afterwards.
window = MainWindow(Settings(Path(sys.argv[1]) / "bench.ini"), [seeds_dir()], catalogue=Path(sys.argv[1]) / "c.sqlite3")
window.resize(1440, 900)
window.show()
while window.viewer.meeting is None:  # loading runs on the thread pool, as in real use
    app.processEvents()
app.processEvents()
print("SHOWN", flush=True)
"""


def sample(code: str, *args: str, pycache: str) -> float:
    env = child_env(pycache)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("child never showed its window")
    proc.wait()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as pycache:
        sample(BARE, pycache=pycache)  # warm the file cache and write bytecode for both
        sample(READER, tmp, pycache=pycache)
        bare = [sample(BARE, pycache=pycache) for _ in range(args.runs)]
        reader = [sample(READER, tmp, pycache=pycache) for _ in range(args.runs)]
    result = {
        "bare_window_s": round(statistics.median(bare), 3),
        "reader_first_window_s": round(statistics.median(reader), 3),
        "ratio": round(statistics.median(reader) / statistics.median(bare), 2),
        "target_ratio": 1.5,
    }
    result["meets_target"] = result["ratio"] <= result["target_ratio"]
    print(f"bare QMainWindow + tree + text view: {result['bare_window_s']} s (median of {args.runs})")
    print(f"reader on the seeds, first window:   {result['reader_first_window_s']} s")
    print(f"ratio: {result['ratio']}x (target <= 1.5x)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
