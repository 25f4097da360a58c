"""A library of more than one issuer and both scripts, built from the seeds: the five seeds, a
county-level city's minutes, a district's minutes in traditional script and a news report."""

from __future__ import annotations

import shutil
from pathlib import Path

from minutes import parse_text
from tests import variants
from tests.conftest import SEED_NAMES, seed_path, seed_text

COUNTY = variants.LOCAL[0]  # 张家港市人民政府
DISTRICT = variants.LOCAL[1]  # 姑苏区人民政府, written in traditional script


def build(folder: Path, seeds: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if seeds:
        for key in SEED_NAMES:
            shutil.copy(seed_path(key), folder / SEED_NAMES[key])
    (folder / "county.txt").write_text(variants.local_government(seed_text("000"), *COUNTY), "utf-8")
    district = variants.to_traditional(variants.local_government(seed_text("002"), *DISTRICT))
    (folder / "district-traditional.txt").write_text(district, "utf-8")
    report = variants.news_report(parse_text(seed_text("004")), "2021-03-01")
    (folder / "report.txt").write_text(report, "utf-8")
    return folder
