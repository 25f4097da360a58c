"""Start-up: arguments, Qt application, fonts, palette, translations, the main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import minutes
from minutes import seeds_dir
from minutes.console import utf8_output

# Chinese UI faces in order of preference. Naming one explicitly matters on Linux: with no
# zh locale fontconfig falls back to the Japanese variant of Noto CJK for Han characters.
UI_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="minutes-reader", description="纪要阅读器：离线阅读市政府常务会议纪要")
    parser.add_argument("--version", action="store_true", help="显示版本号并退出")
    parser.add_argument(
        "--screenshot", metavar="PATH", help="在后台打开最新一次会议，按 --size 渲染主窗口并保存为 PNG，然后退出"
    )
    parser.add_argument("--size", default="1440x900", help="截图窗口大小，默认 1440x900")
    parser.add_argument("--dark", action="store_true", help="使用深色配色")
    parser.add_argument("--library", metavar="DIR", action="append", default=[], help="另外载入的纪要文件夹")
    parser.add_argument("--no-seeds", action="store_true", help="不载入自带的示例纪要")
    parser.add_argument("--settings", metavar="FILE", help="使用指定的设置文件（默认在用户配置目录）")
    parser.add_argument("--catalogue", type=Path, metavar="FILE", help="纪要索引文件（默认在用户数据目录）")
    parser.add_argument(
        "--selftest", action="store_true", help="自检：解析示例、打开主窗口、导出 PDF，输出一行结果后退出"
    )
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="把 --selftest 或 --version 的结果另外写入此文件（UTF-8）"
    )
    return parser.parse_args(argv)


def default_catalogue_path() -> Path:
    """The catalogue lives in the user's data folder (no admin rights needed)."""
    from platformdirs import user_data_path

    return user_data_path("minutes-reader", "MinutesReader") / "catalogue.sqlite3"


def needs_offscreen() -> bool:
    """No display to draw on (a server, CI): Qt must use its offscreen platform."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def apply_fonts(app) -> None:
    from PySide6.QtGui import QFont, QFontDatabase

    families = set(QFontDatabase.families())
    for family in UI_FONTS:
        if family in families:
            font = QFont(app.font())
            font.setFamilies([family, *app.font().families()])
            font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
            app.setFont(font)
            return
    # No Chinese UI font on this PC: use the bundled serif (the PDF face), never boxes.
    from gui.fonts import SERIF, FontError, load_bundled_fonts

    try:
        load_bundled_fonts()
    except FontError as exc:
        print(f"minutes-reader: {exc}", file=sys.stderr)
        return
    font = QFont(app.font())
    font.setFamilies([SERIF, *app.font().families()])
    app.setFont(font)


def apply_dark_palette(app) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QStyleFactory

    app.setStyle(QStyleFactory.create("Fusion"))
    p = QPalette()
    role = QPalette.ColorRole
    for r, color in (
        (role.Window, "#202124"),
        (role.WindowText, "#e8eaed"),
        (role.Base, "#1b1b1d"),
        (role.AlternateBase, "#26272b"),
        (role.Text, "#e8eaed"),
        (role.Button, "#2b2c30"),
        (role.ButtonText, "#e8eaed"),
        (role.Highlight, "#3d6bbf"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#303134"),
        (role.ToolTipText, "#e8eaed"),
        (role.PlaceholderText, "#9aa0a6"),
        (role.Link, "#8ab4f8"),
        # Fusion draws frames and check-box indicators with these.
        (role.Light, "#4a4c52"),
        (role.Midlight, "#3a3b40"),
        (role.Mid, "#6b6e75"),
        (role.Dark, "#141416"),
        (role.Shadow, "#000000"),
    ):
        p.setColor(r, QColor(color))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#6f7378"))
    p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#6f7378"))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#6f7378"))
    app.setPalette(p)


def install_translator(app) -> None:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from gui.resources import resource

    # Dates, calendars and numbers in Chinese whatever the system's locale (an English Windows).
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))

    translator = QTranslator(app)
    if translator.load(QLocale.system(), "minutes_reader", "_", str(resource("translations"))):
        app.installTranslator(translator)
        locale = QLocale.system()
    else:
        locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)  # the UI's own language
    # Qt's own strings (dialog buttons, print preview, file dialog) in the same language.
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)


def _fontconfig_fallback() -> None:
    """On a bare Linux with no fontconfig configuration, use the bundled minimal one instead of
    letting fontconfig print an error at every start."""
    from gui.resources import resource

    if not sys.platform.startswith("linux") or os.environ.get("FONTCONFIG_FILE"):
        return
    if not Path("/etc/fonts/fonts.conf").exists():
        os.environ["FONTCONFIG_FILE"] = str(resource("fontconfig", "fonts.conf"))


def _import_core_before_qt() -> None:
    """Import the pure-Python modules the window uses before PySide6 is loaded. Once it is, its
    import hook reads the source of every module imported after it (looking for "PySide6", for
    its __feature__ switches): for these, 33 M instructions (callgrind) of a start that does not need it.
    Only a matter of speed: a module left out here is still imported where it is used."""
    import html  # noqa: F401
    import urllib.parse  # noqa: F401

    import minutes.facets
    import minutes.library
    import minutes.numbering
    import minutes.related
    import minutes.script
    import minutes.titles  # noqa: F401


def create_application(argv: Sequence[str], dark: bool = False):
    _import_core_before_qt()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from gui.resources import resource

    _fontconfig_fallback()
    app = cast(QApplication, QApplication.instance() or QApplication(list(argv)))
    app.setApplicationName("纪要阅读器")
    app.setOrganizationName("MinutesReader")
    app.setWindowIcon(QIcon(str(resource("icons", "minutes-reader.png"))))
    install_translator(app)
    apply_fonts(app)
    sheets = [resource("style.qss")]
    if dark:
        apply_dark_palette(app)
        sheets.append(resource("style-dark.qss"))
    icons = resource("icons").as_posix()
    app.setStyleSheet("\n".join(s.read_text("utf-8").replace("{icons}", icons) for s in sheets if s.is_file()))
    return app


def console_output() -> None:
    """Write UTF-8 whatever the console's code page (cp936, cp1252 cannot hold every character
    of the minutes). A windowed Windows exe has no console of its own: print into the one it
    was started from (cmd, PowerShell), if any."""
    if sys.platform == "win32" and sys.stdout is None:
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
            sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115 (open for the process's life)
            sys.stderr = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115
    utf8_output()


def main(argv: Sequence[str] | None = None) -> int:
    console_output()
    args = parse_args(argv)
    if args.version:
        line = f"minutes-reader {minutes.__version__}"
        print(line)
        if args.report:
            args.report.write_text(line + "\n", encoding="utf-8")
        return 0
    if args.selftest or (args.screenshot and needs_offscreen()):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = create_application(sys.argv[:1], dark=args.dark)
    if args.selftest:
        from gui import selftest

        return selftest.run(app, args.report)

    from gui.main_window import MainWindow
    from gui.settings import Settings
    from gui.tasks import SynchronousRunner

    folders = [] if args.no_seeds else [seeds_dir()]
    folders += [Path(p) for p in args.library]
    if args.screenshot:
        # A screenshot never reads or writes the user's settings.
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(args.settings or Path(tmp) / "screenshot.ini")
            width, height = (int(v) for v in args.size.lower().split("x"))
            window = MainWindow(settings, folders, SynchronousRunner())
            window.resize(width, height)
            window.show()
            window.select_newest()
            app.processEvents()
            ok = window.grab().save(args.screenshot)
            window.close()
        if not ok:
            print(f"minutes-reader: 无法保存截图到 {args.screenshot}", file=sys.stderr)
            return 1
        return 0
    settings = Settings(args.settings) if args.settings else Settings()
    window = MainWindow(settings, folders, catalogue=args.catalogue or default_catalogue_path())
    window.show()
    from PySide6.QtCore import QTimer

    from gui.logs import setup_logging

    QTimer.singleShot(0, setup_logging)  # after the first paint: start-up does not wait for it
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
