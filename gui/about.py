"""The 关于 box: version, licences, and where the app keeps its data, settings and log."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, qVersion

import minutes
from gui.settings import Settings


def about_text(settings: Settings) -> str:
    from gui.app import default_catalogue_path
    from gui.logs import log_path

    tr = QCoreApplication.translate
    rows = [
        (tr("About", "数据文件夹"), str(default_catalogue_path().parent)),
        (tr("About", "设置文件"), settings.path),
        (tr("About", "日志文件"), str(log_path())),
    ]
    places = "".join(f"<tr><td>{escape(k)}：</td><td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        f"<h3>{tr('About', '纪要阅读器')} {escape(minutes.__version__)}</h3>"
        f"<p>{tr('About', '离线阅读、筛选、导出市政府常务会议纪要。不联网，不收集任何信息。')}</p>"
        f"<table>{places}</table>"
        f"<p>{tr('About', '许可')}：<br>"
        f"{tr('About', '纪要阅读器：MIT 许可')}<br>"
        f"Qt {escape(qVersion())} / PySide6：{tr('About', 'GNU LGPL 3.0 许可')}<br>"
        f"{tr('About', '内置字体 Noto Serif/Sans CJK SC（思源宋体/黑体）、霞鹜文楷：SIL Open Font License 1.1')}<br>"
        f"Python、pypdf、pycryptodome、charset-normalizer、platformdirs、openpyxl、OpenCC："
        f"{tr('About', '各自的开源许可（见程序目录 licenses）')}</p>"
    )
