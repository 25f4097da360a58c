"""The core must import and work where Qt cannot be imported at all."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import minutes


def test_core_imports_with_pyside6_blocked() -> None:
    package = Path(minutes.__file__).parent
    modules = sorted(f"minutes.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__")
    script = textwrap.dedent(
        f"""
        import importlib, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
                    raise ImportError("Qt is blocked in this test")

        sys.meta_path.insert(0, Block())
        for name in {modules!r}:
            importlib.import_module(name)
        from minutes import read_document, seeds_dir
        docs = [read_document(p) for p in sorted(seeds_dir().glob("*.txt"))]
        assert len(docs) == 5 and all(d.minutes.topics for d in docs)
        assert not any(m.split(".")[0] in ("PySide6", "shiboken6") for m in sys.modules)
        print("ok", len({modules!r}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},  # a traceback may hold Chinese paths
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
