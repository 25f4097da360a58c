"""Minutes Reader's core: decoding, cleaning and parsing Suzhou standing-meeting minutes.

Plain Python with no Qt: the GUI, the CLI and the tests all build on this package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from minutes.model import Minutes, Observer, Resolution, SourceDocument, Topic

# Reading and parsing load on first use (start-up opens the catalogue and parses nothing).
_LAZY = {"parse_text": "minutes.parse", "read_document": "minutes.source", "ReadError": "minutes.formats"}


def __getattr__(name: str):
    # importlib.metadata costs ~25 ms at import (it pulls in the email package): only pay it
    # when the version is actually asked for (About box, --version, PDF metadata).
    if name == "__version__":
        # A frozen app carries the version as a file (packaging/minutes-reader.spec) and leaves
        # importlib.metadata out; an installed one asks its metadata.
        bundled = files("minutes").joinpath("VERSION")
        if bundled.is_file():
            value = bundled.read_text("utf-8").strip()
        else:
            from importlib.metadata import PackageNotFoundError, version

            try:
                value = version("minutes-reader")
            except PackageNotFoundError:  # a source tree that was never installed
                value = "0.0.0+src"
        globals()["__version__"] = value
        return value
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'minutes' has no attribute {name!r}")


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
