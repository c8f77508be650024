"""The case file (案卷) as one PDF: cover, table of contents, documents, evidence index.

Each issued document arrives with its frozen PDF bytes (reprinted identically, which also proves
the frozen data still renders to what was issued) and, normally, the :class:`RenderRequest` it was
rendered from. Page counts are read from those PDFs so the 卷内目录 gives each document's page range
in the file; pages are counted from the first document (cover and contents are not numbered).

When every document carries its request, the whole file is rendered as **one** ReportLab document
(:func:`forms.render.render_many`): pages are numbered continuously from the first document, as
the 卷内目录 counts them (a 笔录 keeps its own "第 N 页 共 M 页" for the signatures), and every font subset is embedded once instead of once per
document (a 53-page file shrinks from ~35 KiB to a few KiB per page). The page count of each
document in that build is checked against its issued PDF; if they differ the file is rendered again
with the counts the build produced, so the contents never point to a wrong page. Without requests
the issued PDFs are merged with ``pypdf``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.fonts import FontSet
from forms.render import RenderRequest, render, render_many_counted
from lishui_desk.errors import InvalidInput


@dataclass(frozen=True)
class IssuedDocument:
    """One document of the file: its title, number (文号, may be empty), date and PDF bytes, and
    optionally the render request the PDF came from (lets the file be rendered as one document).

    A record that cannot be filed (``pdf`` and ``request`` both absent) is listed in the 卷内目录
    with its ``note`` and no pages, so the contents say what is missing instead of leaving it out."""

    title: str
    pdf: bytes | None = None
    number: str | None = None
    date: date | str | None = None
    request: RenderRequest | None = None
    note: str | None = None

    @property
    def filed(self) -> bool:
        return self.pdf is not None or self.request is not None


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception as exc:  # pypdf raises many types for damaged input
        raise InvalidInput(f"案卷中的文书 PDF 无法读取：{exc}") from None


Part = tuple[str, str | None, Any, str | None]  # title, number, date, note


def _toc(parts: Sequence[Part], counts: Sequence[int]) -> tuple[list[dict[str, Any]], int]:
    toc: list[dict[str, Any]] = []
    page = 1
    for (title, number, when, note), n in zip(parts, counts, strict=True):
        rng = "—" if n == 0 else (str(page) if n == 1 else f"{page}-{page + n - 1}")
        entry: dict[str, Any] = {"title": title, "page": rng}
        if number:
            entry["number"] = number
        if when:
            entry["date"] = when if isinstance(when, str) else when.isoformat()
        if note:
            entry["note"] = note
        toc.append(entry)
        page += n
    return toc, page - 1


def _with_toc(ctx: Mapping[str, Any], toc: list[dict[str, Any]], pages: int) -> dict[str, Any]:
    out = dict(ctx)
    casefile = dict(out.get("casefile") or {})
    casefile["pages"] = pages
    out["casefile"] = casefile
    out["toc"] = toc
    return out


def build_casefile(context: Mapping[str, Any], documents: Sequence[IssuedDocument], *,
                   fontset: FontSet | None = None, watermark: str | None = None) -> bytes:
    """Cover + 卷内目录 + documents in order + 证据目录 as one PDF (deterministic). The documents'
    pages are numbered continuously from 1, as the 卷内目录 counts them."""
    ctx = dict(context)
    evidence_req = RenderRequest("evidence_index", ctx, watermark=watermark)
    parts: list[Part] = [(d.title, d.number, d.date, d.note) for d in documents]
    parts.append(("证据目录", None, None, None))
    title = str((ctx.get("casefile") or {}).get("title") or "行政处罚案卷")
    filed = [d for d in documents if d.filed]
    if all(d.request is not None for d in filed):
        body = [d.request for d in filed if d.request is not None] + [evidence_req]
        # a document filed with only some of its copies (the 副本 kept on file) has fewer pages than
        # its issued PDF: the first build counts them
        counts = [0 if not d.filed else (page_count(d.pdf) if d.pdf is not None and d.request is not None
                                          and d.request.copies is None else 1) for d in documents] + [1]
        for _attempt in range(3):
            toc, pages = _toc(parts, counts)
            full = _with_toc(ctx, toc, pages)
            front = [RenderRequest("casefile_cover", full, watermark=watermark),
                     RenderRequest("casefile_toc", full, watermark=watermark)]
            pdf, per_request = render_many_counted([*front, *body], fontset=fontset, title=title,
                                                   file_pages_from=len(front))
            built = iter(per_request[len(front):])
            new_counts = [next(built) if d.filed else 0 for d in documents] + [next(built)]
            if new_counts == counts:
                return pdf
            counts = new_counts
        raise InvalidInput("案卷页码无法稳定（各文书的页数在组卷时发生变化），请逐份打印文书")
    evidence_pdf = render("evidence_index", ctx, fontset=fontset, watermark=watermark)
    counts = [page_count(d.pdf) if d.pdf is not None else 0 for d in documents] + [page_count(evidence_pdf)]
    pdfs = [d.pdf for d in documents if d.pdf is not None] + [evidence_pdf]
    return _merge(ctx, parts, counts, pdfs, title, fontset, watermark)


def _merge(ctx: dict[str, Any], parts: list[Part], counts: list[int], pdfs: list[bytes],
           title: str, fontset: FontSet | None, watermark: str | None) -> bytes:
    """Fallback: merge separately rendered PDFs (each keeps its own font subsets)."""
    try:
        from pypdf import PdfWriter
    except ImportError:  # pragma: no cover - pypdf is installed in the venv
        raise InvalidInput("缺少 pypdf，无法合并案卷；请安装 pypdf 或逐份打印文书") from None
    toc, pages = _toc(parts, counts)
    full = _with_toc(ctx, toc, pages)
    cover = render("casefile_cover", full, fontset=fontset, watermark=watermark)
    contents = render("casefile_toc", full, fontset=fontset, watermark=watermark)
    writer = PdfWriter()
    for pdf in [cover, contents, *pdfs]:
        writer.append(io.BytesIO(pdf))
    writer.add_metadata({"/Title": title, "/Creator": "Lishui Desk", "/Producer": "Lishui Desk"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
