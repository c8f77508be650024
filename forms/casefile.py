"""The case file (案卷) as one PDF: cover, table of contents, documents, evidence index.

Each issued document arrives already rendered (its frozen PDF bytes, reprinted identically) with
its metadata. Page counts are read from those PDFs so the 卷内目录 gives each document's page range
in the file; pages are counted from the first document (cover and contents are not numbered).
Merging uses ``pypdf``; without it, :func:`build_casefile` raises and callers may fall back to
:func:`forms.render.render_many` over the original render requests.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.fonts import FontSet
from forms.render import render
from lishui_desk.errors import InvalidInput


@dataclass(frozen=True)
class IssuedDocument:
    """One document of the file: its title, number (文号, may be empty), date and PDF bytes."""

    title: str
    pdf: bytes
    number: str | None = None
    date: date | str | None = None


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception as exc:  # pypdf raises many types for damaged input
        raise InvalidInput(f"案卷中的文书 PDF 无法读取：{exc}") from None


def build_casefile(context: Mapping[str, Any], documents: Sequence[IssuedDocument], *,
                   fontset: FontSet | None = None, watermark: str | None = None) -> bytes:
    """Cover + 卷内目录 + documents in order + 证据目录, merged into one PDF (deterministic)."""
    try:
        from pypdf import PdfWriter
    except ImportError:  # pragma: no cover - pypdf is installed in the venv
        raise InvalidInput("缺少 pypdf，无法合并案卷；请安装 pypdf 或逐份打印文书") from None
    if not documents:
        raise InvalidInput("案卷中没有已出具的文书")
    ctx = {k: v for k, v in context.items()}
    evidence_pdf = render("evidence_index", ctx, fontset=fontset, watermark=watermark)
    parts: list[tuple[str, str | None, Any, bytes]] = [(d.title, d.number, d.date, d.pdf) for d in documents]
    parts.append(("证据目录", None, None, evidence_pdf))
    toc: list[dict[str, Any]] = []
    page = 1
    for title, number, when, pdf in parts:
        n = page_count(pdf)
        rng = str(page) if n == 1 else f"{page}-{page + n - 1}"
        entry: dict[str, Any] = {"title": title, "page": rng}
        if number:
            entry["number"] = number
        if when:
            entry["date"] = when if isinstance(when, str) else when.isoformat()
        toc.append(entry)
        page += n
    casefile = dict(ctx.get("casefile") or {})
    casefile["pages"] = page - 1
    ctx["casefile"] = casefile
    ctx["toc"] = toc
    cover = render("casefile_cover", ctx, fontset=fontset, watermark=watermark)
    contents = render("casefile_toc", ctx, fontset=fontset, watermark=watermark)
    writer = PdfWriter()
    for pdf in [cover, contents, *(p[3] for p in parts)]:
        writer.append(io.BytesIO(pdf))
    title = str(casefile.get("title") or "行政处罚案卷")
    writer.add_metadata({"/Title": title, "/Creator": "Lishui Desk", "/Producer": "Lishui Desk"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
