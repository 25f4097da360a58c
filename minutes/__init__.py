"""Minutes Reader's core: decoding, cleaning and parsing Suzhou standing-meeting minutes.

Plain Python with no Qt: the GUI, the CLI and the tests all build on this package.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path

from minutes.model import Minutes, Observer, Resolution, Topic
from minutes.parse import parse_text
from minutes.source import ReadError, SourceDocument, read_document

try:
    __version__ = version("minutes-reader")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"

__all__ = [
    "Minutes",
    "Observer",
    "ReadError",
    "Resolution",
    "SourceDocument",
    "Topic",
    "__version__",
    "parse_text",
    "read_document",
    "seeds_dir",
]


def seeds_dir() -> Path:
    """The bundled corpus: inside the package when installed or frozen, beside it in a checkout."""
    packaged = files("minutes").joinpath("seeds")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "seeds"
