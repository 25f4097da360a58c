"""What the benchmark scripts share: the environment their child processes run in."""

from __future__ import annotations

import os


def child_env(pycache: str) -> dict[str, str]:
    """Offscreen, and free to write and reuse bytecode (kept in pycache, out of the source tree)
    whatever the calling shell says: an installed app runs from bytecode (pip compiles it at
    install, PyInstaller ships it), so a child that recompiles every module measures a start
    no user ever sees."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env
