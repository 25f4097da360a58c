"""The application's log: a rotating file in the user's log folder. The window shows one-line
messages; the tracebacks behind them are kept here (关于 shows where)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOGGER = "minutes_reader"
log = logging.getLogger(LOGGER)
log.addHandler(logging.NullHandler())  # no log file (tests, the CLI): nothing on stderr either


def log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path("minutes-reader", "MinutesReader") / "minutes-reader.log"


def setup_logging(path: Path | None = None) -> Path | None:
    """Log to path (default: the user's log folder), 3 files of 1 MB at most. Returns the file,
    or None when it cannot be written (the app then runs without a log)."""
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return path


def user_message(exc: BaseException) -> str:
    """One line in Chinese for the user; never a library's exception name."""
    winerror = getattr(exc, "winerror", None)
    if isinstance(exc, PermissionError) or winerror in (5, 32):
        return "文件正被其他程序打开，或没有写入权限，请关闭后重试，或另存为…"
    if isinstance(exc, FileNotFoundError):
        return f"文件或文件夹不存在：{exc.filename or exc}"
    if isinstance(exc, OSError):
        return f"无法读写文件：{exc.strerror or exc}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    # Our own errors (ExportError, ReadError) carry a Chinese sentence; anything else is a bug.
    if text and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return "出现内部错误，详情已记入日志（帮助 → 关于）"
