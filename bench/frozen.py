"""The standalone app against the development environment: self-test time and time to the
first window (a --screenshot run: start, load the seeds, show the newest meeting, save).

Targets: both <= 1.5x the development environment. Builds dist/minutes-reader if missing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import child_env

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "minutes-reader" / ("minutes-reader.exe" if sys.platform == "win32" else "minutes-reader")


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def median(command: list[str], runs: int, env: dict[str, str]) -> float:
    timed(command, env)  # warm the file cache (and write the development side's bytecode)
    return statistics.median(timed(command, env) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not FROZEN.exists():
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True)
    dev = [sys.executable, "-m", "gui"]
    with tempfile.TemporaryDirectory() as tmp:
        shot = str(Path(tmp) / "shot.png")
        env = child_env(str(Path(tmp) / "pycache"))
        figures = {
            "dev_selftest_s": median([*dev, "--selftest"], args.runs, env),
            "frozen_selftest_s": median([str(FROZEN), "--selftest"], args.runs, env),
            "dev_first_window_s": median([*dev, "--screenshot", shot], args.runs, env),
            "frozen_first_window_s": median([str(FROZEN), "--screenshot", shot], args.runs, env),
        }
    figures = {k: round(v, 3) for k, v in figures.items()}
    figures["selftest_ratio"] = round(figures["frozen_selftest_s"] / figures["dev_selftest_s"], 2)
    figures["first_window_ratio"] = round(figures["frozen_first_window_s"] / figures["dev_first_window_s"], 2)
    size = sum(p.stat().st_size for p in FROZEN.parent.rglob("*") if p.is_file() and not p.is_symlink())
    figures["one_folder_mb"] = round(size / 1e6, 1)
    onefile = ROOT / "dist" / "onefile" / FROZEN.name
    if onefile.exists():
        figures["one_file_mb"] = round(onefile.stat().st_size / 1e6, 1)
    print(f"self-test: frozen {figures['frozen_selftest_s']} s vs dev {figures['dev_selftest_s']} s "
          f"({figures['selftest_ratio']}x, target <= 1.5x)")  # fmt: skip
    print(f"first window: frozen {figures['frozen_first_window_s']} s vs dev {figures['dev_first_window_s']} s "
          f"({figures['first_window_ratio']}x, target <= 1.5x)")  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
