"""Build the standalone application with PyInstaller.

    pip install -e '.[package]'
    python packaging/build.py            # one folder: dist/minutes-reader/minutes-reader(.exe)
    python packaging/build.py --onefile  # one file:   dist/onefile/minutes-reader(.exe)

Build from an environment with PySide6-Essentials only: the full PySide6 meta-package would
drag WebEngine and the rest into the analysis.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
EXE = "minutes-reader.exe" if sys.platform == "win32" else "minutes-reader"


def collect_licenses() -> Path:
    out = BUILD / "licenses"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(ROOT / "LICENSE", out / "LICENSE.txt")
    for name in ("NOTICE.txt", "LGPL-3.0.txt", "GPL-3.0.txt"):
        shutil.copy(ROOT / "packaging" / "licenses" / name, out / name)
    python_license = Path(sys.base_prefix) / ("LICENSE.txt" if sys.platform == "win32" else "")
    candidates = [python_license] if sys.platform == "win32" else []
    candidates += list(Path(sys.base_prefix, "lib").glob("python3*/LICENSE.txt"))
    for candidate in candidates:
        if candidate.is_file():
            shutil.copy(candidate, out / "Python-LICENSE.txt")
            break
    # Every bundled distribution's licence travels with it (Apache-2.0 and MIT ask for it).
    bundled = ("charset-normalizer", "pypdf", "pycryptodome", "platformdirs", "openpyxl", "et-xmlfile")
    for dist in (*bundled, "opencc-python-reimplemented"):
        files = [f for f in metadata.files(dist) or [] if "LICEN" in f.name.upper()]
        if not files:
            raise SystemExit(f"build: no licence file found for {dist}")
        for file in files:  # pycryptodome's is three: its own (BSD, Public Domain) and two MIT parts
            # A licence in a subfolder (licenses/src/mlkem-native/LICENSE) is named for its folder.
            top = file.parent.name in ("licenses", "") or file.parent.name.endswith("-info")
            stem = file.name if top else f"{file.parent.name}-{file.name}"
            name = stem if stem.endswith(".txt") else f"{stem}.txt"  # opens on Windows
            shutil.copy(file.locate(), out / f"{dist}-{name}")
    return out


def check_environment() -> None:
    try:
        metadata.version("PySide6")
    except metadata.PackageNotFoundError:
        pass
    else:
        print("build: warning: the full PySide6 meta-package is installed; build from PySide6-Essentials")


def folder_size(path: Path) -> int:
    # PyInstaller links versioned library names to one file: count each file once.
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--onefile", action="store_true", help="build a single executable in dist/onefile/")
    parser.add_argument("--distpath", type=Path, help="where to put the app (default: dist/, dist/onefile/)")
    parser.add_argument("--workpath", type=Path, help="PyInstaller's work folder (default: build/pyinstaller*)")
    args = parser.parse_args()
    check_environment()
    collect_licenses()
    env = {**os.environ, "MINUTES_ONEFILE": "1" if args.onefile else "0"}
    dist = args.distpath or (DIST / "onefile" if args.onefile else DIST)
    work = args.workpath or BUILD / ("pyinstaller-onefile" if args.onefile else "pyinstaller")
    start = time.perf_counter()
    command = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "minutes-reader.spec"),
        "--noconfirm", "--clean", "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work),
    ]  # fmt: skip
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    if args.onefile:
        target = dist / EXE
        print(f"build: {target} ({target.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
        return 0
    folder = dist / "minutes-reader"
    # Desktop integration for Linux (UOS/Kylin users unpack the folder and run the script);
    # Windows gets its shortcuts from the setup program. The licences go where a user sees them.
    if sys.platform.startswith("linux"):
        shutil.copy(ROOT / "packaging" / "minutes-reader.desktop", folder)
        shutil.copy(ROOT / "packaging" / "install-desktop-entry.sh", folder)
        shutil.copy(ROOT / "resources" / "icons" / "minutes-reader.png", folder)
    shutil.copytree(BUILD / "licenses", folder / "licenses", dirs_exist_ok=True)
    print(f"build: {folder / EXE} ({folder_size(folder) / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
