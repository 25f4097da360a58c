"""Time to first window: the reader on the bundled seeds against a bare Qt window.

Each sample is a fresh process, timed from spawn until it reports that its window is shown
with content (the reader: the newest meeting rendered, from its catalogue as at every start
after the first). The baseline is a QMainWindow with a
tree and a text view and nothing else. Target: reader <= 1.5x the baseline.

The reader's samples also say where its time goes (reader_phases_ms: median ms of each step,
from spawn). Wall-clock figures on a shared machine drift; for a change's effect, compare
instruction counts (valgrind --tool=callgrind on the child, stopped at SHOWN) or alternate
old and new in one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise

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
import time
marks = [("start", time.perf_counter())]
import sys
from pathlib import Path
from gui.app import create_application
marks.append(("import gui.app", time.perf_counter()))
app = create_application(sys.argv[:1])
marks.append(("create_application", time.perf_counter()))
from gui.main_window import MainWindow
from gui.settings import Settings
from minutes import seeds_dir
marks.append(("import the window", time.perf_counter()))
# As the app starts: from its catalogue (built by the warm-up run), the files checked afterwards.
window = MainWindow(Settings(Path(sys.argv[1]) / "bench.ini"), [seeds_dir()], catalogue=Path(sys.argv[1]) / "c.sqlite3")
window.resize(1440, 900)
marks.append(("build the window", time.perf_counter()))
window.show()
marks.append(("show", time.perf_counter()))
while window.viewer.meeting is None:  # loading runs on the thread pool, as in real use
    app.processEvents()
marks.append(("library and newest meeting", time.perf_counter()))
app.processEvents()
marks.append(("paint", time.perf_counter()))
print("SHOWN", flush=True)
print("MARKS", *(f"{name}={t!r}" for name, t in marks), sep="\t", flush=True)
"""

# Where the reader's time goes, from spawn: the child's marks are time.perf_counter() values,
# on Linux the system-wide monotonic clock, so they compare with the parent's.
PHASES = (
    "interpreter start",
    "import gui.app",
    "create_application",
    "import the window",
    "build the window",
    "show",
    "library and newest meeting",
    "paint",
)


def sample(code: str, *args: str, pycache: str, phases: list[dict[str, float]] | None = None) -> float:
    env = child_env(pycache)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("child never showed its window")
    for line in proc.stdout:
        if line.startswith("MARKS") and phases is not None:
            marks = [field.split("=") for field in line.rstrip("\n").split("\t")[1:]]
            times = [start] + [float(t) for _name, t in marks]
            assert len(times) == len(PHASES) + 1, marks
            phases.append({name: 1000 * (b - a) for name, (a, b) in zip(PHASES, pairwise(times), strict=True)})
    proc.wait()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as pycache:
        sample(BARE, pycache=pycache)  # warm the file cache and write bytecode for both
        sample(READER, tmp, pycache=pycache)
        bare: list[float] = []
        reader: list[float] = []
        phases: list[dict[str, float]] = []
        for _ in range(args.runs):  # alternated: the machine's speed drifts
            bare.append(sample(BARE, pycache=pycache))
            reader.append(sample(READER, tmp, pycache=pycache, phases=phases))
    ratio = round(statistics.median(reader) / statistics.median(bare), 2)
    result: dict[str, object] = {
        "bare_window_s": round(statistics.median(bare), 3),
        "reader_first_window_s": round(statistics.median(reader), 3),
        "ratio": ratio,
        "target_ratio": 1.5,
        "meets_target": ratio <= 1.5,
    }
    steps = {name: round(statistics.median(p[name] for p in phases), 1) for name in PHASES}
    result["reader_phases_ms"] = steps
    print(f"bare QMainWindow + tree + text view: {result['bare_window_s']} s (median of {args.runs})")
    print(f"reader on the seeds, first window:   {result['reader_first_window_s']} s")
    print(f"ratio: {result['ratio']}x (target <= 1.5x)")
    print("reader, median ms of each step from spawn:")
    for name, ms in steps.items():
        print(f"  {name:<28}{ms:7.1f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
