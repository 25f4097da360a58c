"""What the catalogue stores of a document, computed before the catalogue's one writer sees it.

Everything derived from a parse (the document's key, its packed JSON and text, the item rows,
the indexed item texts, the 台账's tasks) is computed here, so an import can do it in its worker
processes (minutes.parallel) while the writer only runs SQL. The result is plain data (strings,
numbers, bytes, tuples): it crosses from a worker in a fraction of what the parsed Minutes
would cost to send, and the writer never needs the Minutes object itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from minutes import assignment_store
from minutes.departments import Role
from minutes.model import Minutes, SourceDocument
from minutes.packing import pack_data, pack_text, unpack_text
from minutes.search_index import item_text, token_bytes
from minutes.serialize import to_data
from minutes.storage import stored_path

# Keys of the first library (Suzhou's minutes, stored before issuers were read) stay as they were:
# ledgers and the remembered meeting refer to them.
_FIRST_ISSUER = "苏州市人民政府"


def document_key(minutes: Minutes, sha256: str) -> str:
    """The same minutes from two sources (a PDF and a web copy, or a copy in traditional script)
    share a key; two governments' minutes with the same number and session do not."""
    issuer = "" if minutes.issuer in (None, _FIRST_ISSUER) else f"@{minutes.issuer}"
    if minutes.doc_number and minutes.session:
        return f"{minutes.doc_number}#{minutes.session}{issuer}"
    if minutes.session and minutes.date:
        return f"第{minutes.session}次@{minutes.date.isoformat()}{issuer}"
    return f"sha256:{sha256}"


@dataclass(frozen=True)
class PreparedItem:
    number: int
    title: str
    kind: str
    roles: tuple[tuple[str, str], ...]  # (department, role): "any" for every one named, then its roles
    text: str  # what the search index holds for it (search_index.item_text)
    tokens: bytes  # its one- and two-character words (search_index.token_bytes)


@dataclass(frozen=True)
class PreparedDocument:
    """A document as the catalogue writes it (Catalogue._write_document)."""

    path: Path
    encoding: str  # how the file was read (files.format, documents.source_format)
    sha256: str
    key: str
    session: int | None
    date: str | None  # ISO
    doc_number: str | None
    data: bytes  # packing.pack_data of the parse's JSON
    text: bytes  # packing.pack_text of the source text
    warnings: str | None
    issuer: str | None
    genre: str
    items: tuple[PreparedItem, ...]
    attended: tuple[str, ...]  # departments that attended (列席)
    tasks: bytes | None  # assignment_store.extract, None if the extraction failed


def prepare_document(doc: SourceDocument, key: str | None = None) -> PreparedDocument:
    """doc as the catalogue stores it, under key (by default its own: document_key)."""
    m = doc.minutes
    key = key or document_key(m, doc.sha256)
    items = []
    for topic in m.topics:
        refs = [ref for r in topic.resolutions for ref in r.roles]
        roles = {(ref.name, "any") for ref in refs}
        roles |= {(ref.name, ref.role.value) for ref in refs if ref.role is not Role.MENTIONED}
        # Indexed in its search form (traditional folded to simplified): a query in either
        # script finds the item; the document itself keeps its characters.
        text = item_text(topic.title, (r.text for r in topic.resolutions))
        items.append(PreparedItem(topic.number, topic.title, topic.kind, tuple(sorted(roles)), text, token_bytes(text)))
    return PreparedDocument(
        path=doc.path,
        encoding=doc.encoding,
        sha256=doc.sha256,
        key=key,
        session=m.session,
        date=m.date.isoformat() if m.date else None,
        doc_number=m.doc_number,
        data=pack_data(json.dumps(to_data(m), ensure_ascii=False, separators=(",", ":")), doc.text),
        text=pack_text(doc.text),
        warnings="\n".join(m.warnings) or None,
        issuer=m.issuer,
        genre=m.genre,
        items=tuple(items),
        attended=m.attending_departments,
        tasks=assignment_store.extract(m, key, doc.text),
    )


def read_prepared(path: Path) -> PreparedDocument | str:
    """A file read, parsed and prepared, or the one-line reason it yields no document.
    Top-level, so a worker process can run it."""
    from minutes.parallel import read_or_reason

    result = read_or_reason(path)
    return result if isinstance(result, str) else prepare_document(result)


def prepare_stored(key: str, path: str | bytes, fmt: str, packed: bytes, sha: str | None) -> PreparedDocument | None:
    """A stored document (its key, source path, format, packed text and the file's sha256) parsed
    again from its text, for a new parser version; None if the parser fails on it."""
    from minutes.parse import parse_text

    text = unpack_text(packed)
    try:
        minutes = parse_text(text)
    except Exception:
        return None
    doc = SourceDocument(stored_path(path), fmt, text, sha or "", minutes)
    return prepare_document(doc, document_key(minutes, sha) if sha else key)
