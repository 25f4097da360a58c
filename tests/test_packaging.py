"""The standalone app: what the spec bundles, and that the frozen binary passes its self-test
with nothing unexpected on stderr and no network.

Builds the one-folder app once per session (about 15 s), or uses MINUTES_FROZEN_APP (a built
dist/minutes-reader folder) when CI has built it already.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXE = "minutes-reader.exe" if sys.platform == "win32" else "minutes-reader"
# Lines the frozen app may print on stderr. Anything else (a Qt warning, a traceback) fails.
STDERR_ALLOWED: tuple[str, ...] = ()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def app_folder(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("MINUTES_FROZEN_APP")
    if prebuilt:
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("frozen")
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--distpath", str(out), "--workpath", str(out / "work")],
        check=True,
        capture_output=True,
    )
    return out / "minutes-reader"


def run_frozen(folder: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON"))}
    return subprocess.run(
        [*prefix, str(folder / EXE), *args], capture_output=True, encoding="utf-8", env=env, timeout=120, check=False
    )


def test_bundles_seeds_fonts_licences_and_desktop_files(app_folder: Path) -> None:
    internal = app_folder / "_internal"
    seeds = sorted(p.name for p in (internal / "minutes" / "seeds").glob("*.txt"))
    assert seeds == sorted(p.name for p in (ROOT / "seeds").glob("*.txt")) and len(seeds) == 5
    fonts = internal / "gui" / "resources" / "fonts"
    assert {p.name for p in fonts.iterdir()} >= {
        "MinutesSerifSC-Regular.otf.xz",
        "MinutesSansSC-Bold.otf.xz",
        "MinutesKaiSC-Regular.ttf.xz",
        "MinutesTitleSC-Bold.otf.xz",
        "OFL.txt",
    }
    assert (internal / "minutes" / "data" / "departments.json").is_file()
    for folder in (app_folder / "licenses", internal / "licenses"):
        names = {p.name for p in folder.iterdir()}
        assert names >= {"LICENSE.txt", "NOTICE.txt", "LGPL-3.0.txt", "GPL-3.0.txt", "pypdf-LICENSE.txt"}
        assert {
            "pycryptodome-LICENSE.rst.txt",  # BSD-2-Clause and Public Domain (Unlicense)
            "opencc-python-reimplemented-LICENSE.txt",
            "openpyxl-LICENCE.rst.txt",
        } <= names
        assert not [name for name in names if name.startswith("cryptography")]
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (app_folder / "licenses" / "LGPL-3.0.txt").read_text("utf-8")
    linux_files = ("minutes-reader.desktop", "minutes-reader.png", "install-desktop-entry.sh")
    if sys.platform.startswith("linux"):
        assert all((app_folder / name).is_file() for name in linux_files)
        assert os.access(app_folder / "install-desktop-entry.sh", os.X_OK)
    else:
        assert not [name for name in linux_files if (app_folder / name).exists()]


def test_leaves_out_what_is_not_used(app_folder: Path) -> None:
    names = [p.name for p in (app_folder / "_internal").rglob("*")]
    unwanted_names = ["QtNetwork", "QtQml", "QtQuick", "WebEngine", "libqgtk3", "tkinter", "_ssl"]
    if sys.platform == "win32":  # software OpenGL (20 MB) and platforms a desktop reader never uses
        unwanted_names += ["opengl32sw.dll", "qminimal.dll", "qdirect2d.dll"]
        # Windows' own; under Wine, packaging/windows/*-standin.c fixtures that must never ship.
        unwanted_names += ["icuuc.dll"]
    # pypdf's AES and RC4 come from pycryptodome, and of its native libraries only the six they load.
    unwanted_names += ["cryptography", "_rust"]
    unwanted_names += ["STPhrases", "HKVariants", "qjpeg"]  # OpenCC's other conversions; JPEG
    for unwanted in unwanted_names:
        assert not [n for n in names if unwanted in n], unwanted
    crypto = sorted(p.name.split(".")[0] for p in (app_folder / "_internal" / "Crypto").rglob("_*") if p.is_file())
    assert crypto == ["_ARC4", "_cpuid_c", "_raw_aes", "_raw_aesni", "_raw_cbc", "_raw_ecb"]
    size = sum(p.stat().st_size for p in app_folder.rglob("*") if p.is_file() and not p.is_symlink())
    # Linux 120 MB (README): 113.5 MB with the four font subsets and pycryptodome's six libraries.
    limit = 90e6 if sys.platform == "win32" else 120e6
    assert size <= limit, f"one-folder app is {size / 1e6:.1f} MB"


def test_frozen_selftest(app_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "自检.txt"  # a windowed Windows exe prints nowhere: the report file is what counts
    result = run_frozen(app_folder, "--selftest", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert report.read_text("utf-8").startswith("selftest ok: 5 minutes, 35 items parsed")
    if sys.platform != "win32":
        assert result.stdout == report.read_text("utf-8")
    unexpected = [line for line in result.stderr.splitlines() if line.strip() and line not in STDERR_ALLOWED]
    assert unexpected == []


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("unshare"), reason="Linux unshare")
def test_frozen_selftest_without_network(app_folder: Path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no permission to create a network namespace here")
    result = run_frozen(app_folder, "--selftest", prefix=("unshare", "-n"))
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not shutil.which("strace"), reason="strace not installed")
def test_frozen_app_opens_no_network_socket(app_folder: Path, tmp_path: Path) -> None:
    trace = tmp_path / "trace.txt"
    result = run_frozen(
        app_folder, "--selftest", prefix=("strace", "-f", "-qq", "-e", "trace=socket", "-o", str(trace))
    )
    assert result.returncode == 0, result.stderr
    calls = trace.read_text("utf-8")
    assert "AF_INET" not in calls and "AF_INET6" not in calls, calls


def test_frozen_import_parses_in_worker_processes(app_folder: Path, tmp_path: Path, monkeypatch) -> None:
    # 60 files: the import spawns workers, which start the frozen executable again; without
    # multiprocessing bundled or freeze_support() in the entry point they fail or run the app.
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from library import generate

    folder = tmp_path / "minutes"
    folder.mkdir()
    generate(folder, 60)
    shot = tmp_path / "shot.png"
    env_home = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config")}
    env_home["MINUTES_POOL_MIN_CORES"] = "2"  # the pool even on a 2-core machine
    result = subprocess.run(
        [str(app_folder / EXE), "--no-seeds", "--library", str(folder), "--screenshot", str(shot)],
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON"))}, **env_home},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert shot.is_file()
    unexpected = [line for line in result.stderr.splitlines() if line.strip() and line not in STDERR_ALLOWED]
    assert unexpected == []
