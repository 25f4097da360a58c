"""pyright (standard mode, as basedpyright, configured in pyproject.toml) finds no type error in
minutes/ and gui/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the types are the same on every system: checked on Linux")
def test_pyright_standard_mode_finds_no_error() -> None:
    exe = shutil.which("basedpyright", path=str(Path(sys.executable).parent)) or shutil.which("basedpyright")
    if exe is None:
        pytest.skip("basedpyright is not installed (pip install -e '.[test]')")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "\n0 errors" in result.stdout
