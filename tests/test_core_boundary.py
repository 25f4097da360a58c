"""The core never reaches into the application: no import of gui, and the command line works
(CSV export included) where neither gui nor Qt can be imported."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import minutes


def test_no_module_of_the_core_imports_gui() -> None:
    offenders = []
    for path in Path(minutes.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("gui", "PySide6", "shiboken6")]
    assert offenders == []


def test_cli_exports_csv_with_gui_and_qt_blocked(tmp_path: Path) -> None:
    out = tmp_path / "lead.csv"
    script = textwrap.dedent(
        f"""
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("gui", "PySide6", "shiboken6"):
                    raise ImportError("blocked in this test")

        sys.meta_path.insert(0, Block())
        from minutes.cli import main
        status = main(["export", "-o", {str(out)!r}, "--dept", "市住建局", "--role", "lead"])
        assert status == 0, status
        status = main(["export", "-o", {str(tmp_path / "x.pdf")!r}])
        assert status == 2, status
        assert not any(m.split(".")[0] in ("gui", "PySide6") for m in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8-sig").count("第") >= 2
    # Asked for a PDF without Qt: one clear line, no traceback.
    assert result.stderr.strip().splitlines() == [
        "minutes: 导出 PDF 需要图形界面组件（PySide6），当前不可用；可导出 .csv 表格"
    ]
    assert not (tmp_path / "x.pdf").exists()
