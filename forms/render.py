"""Render a document definition + context to PDF (ReportLab platypus), laid out per GB/T 9704.

Page: A4 210×297 mm, top margin 37 mm, left (binding) margin 28 mm, text block 156×225 mm. Body
3号 (16 pt) 仿宋-class, line pitch 28.9 pt (22 lines per page); title 2号 (22 pt) centred with the
agency name line above it; 文号 right-aligned under the title; page numbers "— N —" in 4号 (14 pt)
7 mm below the text block, right on odd pages and left on even pages, one character in.
Definitions of layout 2 (see :mod:`forms.loader`) draw the page number in the 宋体-class ``song``
font role and break a title (and the agency line) longer than one line into balanced lines, the
longer first; layout 1 is kept unchanged so documents issued under it reprint byte for byte. 笔录
definitions (a ``page_signature`` block) reserve the foot of every page for the signature line and
"第 N 页 共 M 页". Every page carries a QR code ``LSD1|<文号>|<digest>`` (see :func:`content_digest`).

Determinism: ReportLab invariant mode (fixed dates and ids), no timestamps, fonts registered under
stable names — rendering the same frozen input twice gives the same bytes (reprint, DESIGN §4).

Every text value is checked by :meth:`forms.fonts.FontSet.assign` before anything is drawn: a
character no font can draw raises ``MissingGlyph`` naming the field; a final numbered document with
a missing or provisional number is refused (``InvalidInput``).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Table,
    TableStyle,
)

from forms.context import validate_context
from forms.flowables import CJKText, SealArea, SegmentStart, draw_runs
from forms.fonts import FontSet, default_fontset
from forms.loader import Block, Definition, get_definition
from forms.numbering import require_final
from forms.placeholders import MissingValue, Placeholder, Template, format_placeholder, lookup
from lishui_desk.errors import InvalidInput
from lishui_desk.events import canonical_json

PAGE_W, PAGE_H = A4
MARGIN_TOP = 37 * mm
MARGIN_LEFT = 28 * mm
BLOCK_W = 156 * mm
BLOCK_H = 225 * mm
MARGIN_BOTTOM = PAGE_H - MARGIN_TOP - BLOCK_H  # 35 mm

BODY = 16.0  # 3号
BODY_LEAD = 28.9  # 1 行 = 字高 + 7/8 字高 (GB/T 9704: 22 lines per page)
TITLE = 22.0  # 2号
SMALL = 14.0  # 4号
SMALL_LEAD = 22.0
TABLE = 12.0  # 小四, label/value tables of layout 3
TABLE_LEAD = 19.0
LIST = 10.5  # 5号, list tables (清单、目录)
LIST_LEAD = 15.0
RECORD_FOOT = 2 * BODY_LEAD  # reserved for the 笔录 signature line

QR_PREFIX = "LSD1"
QR_SIZE = 17 * mm


# --- digest and QR ------------------------------------------------------------------------------
def content_digest(definition: Definition | str, context: Mapping[str, Any], number: str | None) -> str:
    """SHA-256 (hex) of the frozen content: definition type + version, context and number."""
    d = definition if isinstance(definition, Definition) else get_definition(definition)
    frozen = {"type": d.type, "version": d.version, "context": context, "number": number or ""}
    return hashlib.sha256(canonical_json(frozen).encode("utf-8")).hexdigest()


def qr_text(number: str | None, digest: str) -> str:
    return f"{QR_PREFIX}|{number or ''}|{digest[:16]}"


def _qr_matrix(text: str) -> list[list[bool]]:
    """QR modules (byte mode, UTF-8, level M, no quiet zone: the page margin provides it)."""
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(text.encode("utf-8"))
    q.make(fit=True)
    return q.get_matrix()


@dataclass(frozen=True)
class QrInfo:
    number: str
    digest_prefix: str

    def matches(self, digest: str) -> bool:
        return digest.startswith(self.digest_prefix)


def parse_qr(text: str) -> QrInfo:
    """Parse a scanned page QR code; InvalidInput when it is not one of ours."""
    parts = text.split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX:
        raise InvalidInput("二维码不是本系统出具的执法文书校验码（应以 LSD1| 开头）")
    digest = parts[2]
    if len(digest) != 16 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidInput("二维码中的文书摘要格式不正确，文书可能被篡改或不是本系统出具")
    return QrInfo(parts[1], digest)


# --- text assembly ------------------------------------------------------------------------------
@dataclass
class _Env:
    d: Definition
    ctx: dict[str, Any]
    fs: FontSet

    def text(self, tpl: Template, role: str, each: Any = None, n: int | None = None,
             where: str = "") -> tuple[str, list[str]]:
        chars: list[str] = []
        fonts: list[str] = []
        for part in tpl.parts:
            if isinstance(part, Placeholder):
                value = lookup(self.ctx, part.path, each, n)
                s = format_placeholder(part, value)
                if s is None:
                    raise MissingValue(part.path, self.d.title)
                s = s.replace("\r\n", "\n").replace("\t", " ")
                field_name = part.path
            else:
                s = part
                field_name = f"文书定义 {self.d.type} {where}".strip()
            pieces = s.split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    chars.append("\n")
                    fonts.append("")
                chars.extend(piece)
                fonts.extend(self.fs.assign(piece, field_name, role))
        return "".join(chars), fonts

    @property
    def keep(self) -> int:
        """Lines of a body paragraph kept on each side of a page break (layout 3: two)."""
        return 2 if self.d.layout >= 3 else 1

    def truthy(self, path: str | None) -> bool:
        v = lookup(self.ctx, path) if path else None
        return bool(v) and v != "0"

    def shown(self, cond_if: str | None, cond_unless: str | None) -> bool:
        if cond_if and not self.truthy(cond_if):
            return False
        return not (cond_unless and self.truthy(cond_unless))


def _paragraphs(text: str, fonts: list[str], size: float, lead: float, *, indent: bool, align: str,
                space_before: float = 0.0, min_lines: int = 1, keep_lines: int = 1) -> list[CJKText]:
    out: list[CJKText] = []
    start = 0
    for i in range(len(text) + 1):
        if i == len(text) or text[i] == "\n":
            out.append(CJKText(text[start:i], fonts[start:i], size, lead, indent=2 * size if indent else 0.0,
                               align=align, space_before=space_before if not out else 0.0,
                               min_lines=min_lines if not out else 1, keep_lines=keep_lines))
            start = i + 1
    return out


def _cell(env: _Env, tpl: Template, role: str, where: str, each: Any = None, n: int | None = None,
          align: str = "left", min_lines: int = 1, size: float = SMALL, lead: float = SMALL_LEAD) -> list[CJKText]:
    t, f = env.text(tpl, role, each, n, where)
    return _paragraphs(t, f, size, lead, indent=False, align=align, min_lines=min_lines)


_TABLE_STYLE: list[Any] = [  # ReportLab table commands
    ("GRID", (0, 0), (-1, -1), 0.75, (0, 0, 0)),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def _block(env: _Env, b: Block) -> list[Any]:
    where = f"第{b.index + 1}块"
    if b.kind in ("heading", "paragraph", "remedies", "note"):
        assert b.text is not None
        size, lead = (SMALL, SMALL_LEAD + 2) if b.kind == "note" else (BODY, BODY_LEAD)
        t, f = env.text(b.text, b.role, where=where)
        out = _paragraphs(t, f, size, lead, indent=b.indent, align=b.align, keep_lines=env.keep)
        if b.kind == "heading" and env.d.layout >= 3:
            for fl in out:
                fl.keepWithNext = True  # a heading never ends a page
        return out
    if b.kind == "fields":
        data = []
        label_w = b.label_width * mm
        for r in b.rows:
            if not env.shown(r.cond_if, r.cond_unless):
                continue
            # layout 3: 小四 (12 pt) cells, so a 审批表 fits one page with its approval rows
            size, lead = (TABLE, TABLE_LEAD) if env.d.layout >= 3 else (SMALL, SMALL_LEAD)
            data.append([_cell(env, r.label, "heading", where, align="center", size=size, lead=lead),
                         _cell(env, r.value, "body", where, min_lines=r.lines, size=size, lead=lead)])
        if not data:
            return []
        tbl = Table(data, colWidths=[label_w, BLOCK_W - label_w], splitInRow=1, hAlign="LEFT")
        tbl.setStyle(TableStyle(_TABLE_STYLE))
        return [tbl]
    if b.kind == "list":
        assert b.source is not None
        seq = lookup(env.ctx, b.source) or []
        if not seq:
            if b.empty is None:
                return []
            t, f = env.text(b.empty, "body", where=where)
            return _paragraphs(t, f, BODY, BODY_LEAD, indent=True, align="justify")
        if b.items:
            out = []
            for n, each in enumerate(seq, 1):
                for tpl in b.items:
                    t, f = env.text(tpl, "body", each, n, where)
                    out += _paragraphs(t, f, BODY, BODY_LEAD, indent=True, align="justify", keep_lines=env.keep)
            return out
        header = [_cell(env, Template((h,)), "heading", where, align="center", size=LIST, lead=LIST_LEAD)
                  for h, _t, _w in b.columns]
        rows = [header]
        for n, each in enumerate(seq, 1):
            rows.append([_cell(env, tpl, "body", where, each, n, size=LIST, lead=LIST_LEAD) for _h, tpl, _w in b.columns])
        fixed = sum((w or 0) for _h, _t, w in b.columns) * mm
        free = [w for _h, _t, w in b.columns if w is None]
        share = (BLOCK_W - fixed) / len(free) if free else 0
        widths = [(w * mm if w else share) for _h, _t, w in b.columns]
        tbl = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
        tbl.setStyle(TableStyle([*_TABLE_STYLE, ("LEFTPADDING", (0, 0), (-1, -1), 3),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
        return [tbl]
    if b.kind == "signature":
        out = []
        for i, tpl in enumerate(b.lines):
            t, f = env.text(tpl, "body", where=where)
            out += _paragraphs(t, f, BODY, BODY_LEAD, indent=False, align="left",
                               space_before=BODY_LEAD * (0.8 if i == 0 else 0.4))
        if env.d.layout >= 3:  # the closing signatures stay together on one page
            for fl in out[:-1]:
                fl.keepWithNext = True
        return out
    if b.kind == "seal":
        assert b.name is not None and b.date is not None
        name = env.text(b.name, "body", where=where)
        date = env.text(b.date, "body", where=where)
        label = env.text(Template(("（印章）",)), "body", where=where)
        return [SealArea(name, date, label, BODY, BODY_LEAD, compact=env.d.layout >= 2, plain=env.d.layout >= 3)]
    if b.kind == "spacer":
        return [CJKText("", [], BODY, BODY_LEAD, min_lines=b.count)]
    return []  # page_signature is drawn by the page decorator


TAIL_LINES = 4  # lines of body text that go with a closing onto its page


def _tail_with_next(flow: list[Any], k: int) -> None:
    """Layout 3: the closing (a 笔录's "以上笔录…" and signatures, the paragraph kept with the seal)
    takes the last lines of the body before it along — at least :data:`TAIL_LINES`, the tail of a
    longer paragraph split off (two lines stay behind), shorter paragraphs and their headings whole —
    so a last page always carries body text, not only the closing."""
    taken = 0
    kept = flow[k + 1] if k + 1 < len(flow) else None
    if isinstance(kept, CJKText):  # the paragraph already kept with the closing counts
        kept.wrap(BLOCK_W, BLOCK_H)
        taken = len(kept._lines)
    while k >= 0 and taken < TAIL_LINES:
        para = flow[k]
        if not isinstance(para, CJKText) or not para.text:
            return
        para.wrap(BLOCK_W, BLOCK_H)
        lines = len(para._lines)
        need = TAIL_LINES - taken
        if para.keep_lines >= 2 and lines >= need + 2 and need >= 2:
            head, tail = para.split(BLOCK_W, (lines - need) * para.leading + 1e-3)
            tail.keepWithNext = True
            flow[k:k + 1] = [head, tail]
            return
        para.keepWithNext = True
        taken += lines
        k -= 1


# --- page decoration ----------------------------------------------------------------------------
@dataclass
class _Segment:
    key: int
    qr: str
    record: bool
    copy_label: tuple[str, list[str]] | None = None
    watermark: tuple[str, list[str]] | None = None
    signature: tuple[str, list[str]] | None = None
    fs: FontSet | None = None
    digits: dict[str, list[str]] = field(default_factory=dict)
    layout: int = 1
    file_page: bool = False  # numbered with the pages of the whole file (案卷), not its own
    unnumbered: bool = False  # the file's cover and contents carry no page number

    def runs(self, text: str, role: str = "body") -> list[str]:
        assert self.fs is not None
        return self.fs.assign(text, "页码", role)

    def decorate(self, c: Canvas, page: int, total: int, forms: dict[str, str], file_page: int | None = None) -> None:
        shown = file_page if file_page is not None else page
        odd = shown % 2 == 1
        # page number — N — (4号, 7 mm below the text block, one character in; GB/T 9704: 宋体)
        label = f"— {shown} —"
        y = MARGIN_BOTTOM - 7 * mm - SMALL * 0.88
        fonts = self.runs(label, "song" if self.layout >= 2 else "body")
        if self.unnumbered:
            pass
        elif odd:
            draw_runs(c, MARGIN_LEFT + BLOCK_W - SMALL, y, label, fonts, SMALL, anchor="right")
        else:
            draw_runs(c, MARGIN_LEFT + SMALL, y, label, fonts, SMALL)
        # QR code on the side away from the page number
        name = forms.get(self.qr)
        if name is None:
            name = f"lsdqr{len(forms)}"
            forms[self.qr] = name
            c.beginForm(name)
            matrix = _qr_matrix(self.qr)
            cell = QR_SIZE / len(matrix)
            c.setFillGray(0)
            for r, row in enumerate(matrix):
                col = 0
                while col < len(row):
                    if row[col]:
                        start = col
                        while col < len(row) and row[col]:
                            col += 1
                        c.rect(start * cell, QR_SIZE - (r + 1) * cell, (col - start) * cell, cell, stroke=0, fill=1)
                    else:
                        col += 1
            c.endForm()
        qx = MARGIN_LEFT if odd else MARGIN_LEFT + BLOCK_W - QR_SIZE
        c.saveState()
        c.translate(qx, 8 * mm)
        c.doForm(name)
        c.restoreState()
        if self.copy_label:
            t, f = self.copy_label
            draw_runs(c, MARGIN_LEFT + BLOCK_W, PAGE_H - MARGIN_TOP + 10 * mm, t, f, SMALL, anchor="right")
        if self.record and self.signature:
            t, f = self.signature
            y0 = MARGIN_BOTTOM + 10
            c.saveState()
            c.setLineWidth(0.5)
            c.line(MARGIN_LEFT, y0 + SMALL + 10, MARGIN_LEFT + BLOCK_W, y0 + SMALL + 10)
            c.restoreState()
            draw_runs(c, MARGIN_LEFT, y0, t, f, SMALL)
            pg = f"第 {page} 页 共 {total} 页"
            draw_runs(c, MARGIN_LEFT + BLOCK_W, y0, pg, self.runs(pg), SMALL, anchor="right")
        if self.watermark:
            t, f = self.watermark
            c.saveState()
            c.setFillColorRGB(0.6, 0.6, 0.6, alpha=0.18)
            c.translate(PAGE_W / 2, PAGE_H / 2)
            c.rotate(35)
            draw_runs(c, 0, -40, t, f, 120, anchor="center")
            c.restoreState()


class _DeferredCanvas(Canvas):
    """Keeps pages until save() so page decorations can know each document's page total."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lsd_pages: list[tuple[dict[str, Any], Any]] = []
        self.lsd_segment: _Segment | None = None
        self.lsd_totals: dict[int, int] = {}

    def showPage(self) -> None:
        self._lsd_pages.append((dict(self.__dict__), self.lsd_segment))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own (not in its stubs)

    def save(self) -> None:
        pages = self._lsd_pages
        totals: dict[int, int] = {}
        for _state, seg in pages:
            if seg is not None:
                totals[seg.key] = totals.get(seg.key, 0) + 1
        counters: dict[int, int] = {}
        forms: dict[str, str] = {}
        in_file = 0
        for state, seg in pages:
            self.__dict__.update(state)
            if seg is not None:
                counters[seg.key] = counters.get(seg.key, 0) + 1
                in_file += seg.file_page
                seg.decorate(self, counters[seg.key], totals[seg.key], forms, in_file if seg.file_page else None)
            Canvas.showPage(self)
        self.lsd_totals = totals  # after the loop: restoring each page's state would reset it
        Canvas.save(self)


# --- public API ---------------------------------------------------------------------------------
@dataclass
class RenderRequest:
    definition: Definition | str
    context: Mapping[str, Any]
    number: str | None = None
    watermark: str | None = None
    copies: Sequence[str] | None = None


def _story(req: RenderRequest, fs: FontSet, key_base: int, file_page: bool | None = None) -> tuple[list[list[Any]], bool]:
    d = req.definition if isinstance(req.definition, Definition) else get_definition(req.definition)
    ctx_in = dict(req.context)
    validate_context(ctx_in)
    number = req.number
    if d.number.numbered:
        if req.watermark is None:
            number = require_final(number, d.title)
    elif number and req.watermark is None and number.startswith("临"):
        raise InvalidInput(f"《{d.title}》不得使用临时文号打印正式文书")
    digest = content_digest(d, ctx_in, number)
    ctx = dict(ctx_in)
    doc = dict(ctx.get("document") or {})
    title = d.title_for(ctx_in)
    doc.setdefault("title", title)
    if number:
        doc["number"] = number
    ctx["document"] = doc
    env = _Env(d, ctx, fs)
    labels: list[str | None] = list(d.copies) or [None]
    if req.copies is not None:
        unknown = [c for c in req.copies if c not in d.copies]
        if unknown or not req.copies:
            raise InvalidInput(f"《{d.title}》没有联次“{'、'.join(unknown) or '（空）'}”（可用：{'、'.join(d.copies) or '无'}）")
        labels = list(req.copies)
    record = d.page_signature is not None

    # content is the same for every copy: build once, then reuse fresh flowable lists per copy
    balanced = d.layout >= 2

    def content() -> list[Any]:
        flow: list[Any] = []
        if d.agency_header:
            agency = (ctx.get("agency") or {}).get("name")
            if not agency:
                raise MissingValue("agency.name", d.title)
            flow.append(CJKText(agency, fs.assign(agency, "agency.name", "title"), TITLE, TITLE * 1.55,
                                align="center", balanced=balanced))
        flow.append(CJKText(title, fs.assign(title, "文书标题", "title"), TITLE, TITLE * 1.7, align="center",
                            balanced=balanced))
        if d.number.numbered:
            shown = number or "〔    〕第    号"
            flow.append(CJKText(shown, fs.assign(shown, "文号", "body"), BODY, BODY_LEAD, align="right"))
        flow.append(CJKText("", [], BODY, BODY_LEAD * 0.4))
        sealed = False
        for b in d.blocks:
            if env.shown(b.cond_if, b.cond_unless):
                part = _block(env, b)
                closing = ("seal", "signature") if d.layout >= 3 else ("seal",)
                keepable = (CJKText, SealArea, Table) if d.layout >= 3 else (CJKText, SealArea)
                if balanced and (b.kind in closing or sealed) and part and flow and isinstance(flow[-1], keepable):
                    # never a page holding only the seal (GB/T 9704) or signatures; layout 3 also keeps
                    # what follows the seal (contact lines, small print) with it
                    flow[-1].keepWithNext = True
                    if d.layout >= 3 and b.kind in closing and not sealed and len(flow) >= 2:
                        _tail_with_next(flow, len(flow) - 2)
                sealed = sealed or (d.layout >= 3 and b.kind == "seal")
                flow += part
        if d.footer_note is not None:
            t, f = env.text(d.footer_note, "body", where="footer")
            if sealed and flow:
                flow[-1].keepWithNext = True
            flow += _paragraphs(t, f, SMALL, SMALL_LEAD + 2, indent=False, align="left", space_before=BODY_LEAD)
        return flow

    signature = None
    if record:
        ps = d.page_signature
        assert ps is not None and ps.text is not None
        signature = env.text(ps.text, "body", where="page_signature")
    wm = (req.watermark, fs.assign(req.watermark, "水印", "title")) if req.watermark else None
    qr = qr_text(number, digest)
    segments: list[list[Any]] = []
    for i, label in enumerate(labels):
        seg = _Segment(key_base + i, qr, record, copy_label=(label, fs.assign(label, "联次", "heading")) if label else None,
                       watermark=wm, signature=signature, fs=fs, layout=d.layout, file_page=bool(file_page),
                       unnumbered=file_page is False)
        segments.append([SegmentStart(seg), *content()])
    return segments, record


def render_many(requests: Sequence[RenderRequest], *, fontset: FontSet | None = None, title: str = "执法文书") -> bytes:
    """Several documents (and their copies) in one PDF, each with its own page numbering; fonts are
    embedded once for the whole PDF."""
    return render_many_counted(requests, fontset=fontset, title=title)[0]


def render_many_counted(requests: Sequence[RenderRequest], *, fontset: FontSet | None = None,
                        title: str = "执法文书", file_pages_from: int | None = None) -> tuple[bytes, list[int]]:
    """:func:`render_many`, also returning how many pages each request (all its copies) took.

    ``file_pages_from``: requests from this index on are page-numbered continuously as one file
    (the 案卷: page 1 is the first page of the first document, matching the 卷内目录); a 笔录 still
    counts its own "第 N 页 共 M 页" for the signatures."""
    if not requests:
        raise InvalidInput("没有要生成的文书")
    fs = fontset or default_fontset()
    parts: list[tuple[list[Any], bool]] = []
    qrs: list[str] = []
    keys: list[range] = []
    key = 0
    for i, req in enumerate(requests):
        segs, record = _story(req, fs, key, None if file_pages_from is None else i >= file_pages_from)
        keys.append(range(key, key + len(segs)))
        key += len(segs)
        parts += [(s, record) for s in segs]
        qrs += [s[0].segment.qr for s in segs]
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, invariant=1, title=title, author="", subject="", creator="Lishui Desk",
                          # a string: Canvas.setKeywords would join a list with ", " (the QR check splits on spaces)
                          keywords=" ".join(dict.fromkeys(q for q in qrs)),  # type: ignore[arg-type]
                          initialFontName=fs.roles["body"].name,
                          leftMargin=MARGIN_LEFT, rightMargin=PAGE_W - MARGIN_LEFT - BLOCK_W,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM)
    plain = PageTemplate(id="plain", frames=[Frame(MARGIN_LEFT, MARGIN_BOTTOM, BLOCK_W, BLOCK_H, 0, 0, 0, 0,
                                                   id="body")])
    rec = PageTemplate(id="record", frames=[Frame(MARGIN_LEFT, MARGIN_BOTTOM + RECORD_FOOT, BLOCK_W,
                                                  BLOCK_H - RECORD_FOOT, 0, 0, 0, 0, id="body")])
    first_record = parts[0][1]
    doc.addPageTemplates([rec, plain] if first_record else [plain, rec])
    story: list[Any] = []
    for i, (flow, record) in enumerate(parts):
        if i:
            story += [NextPageTemplate("record" if record else "plain"), PageBreak()]
        story += flow
    made: list[_DeferredCanvas] = []

    def canvasmaker(*args: Any, **kwargs: Any) -> _DeferredCanvas:
        made.append(_DeferredCanvas(*args, **kwargs))
        return made[-1]

    doc.build(story, canvasmaker=canvasmaker)
    totals = made[-1].lsd_totals
    return buf.getvalue(), [sum(totals.get(k, 0) for k in r) for r in keys]


def render(
    definition: Definition | str,
    context: Mapping[str, Any],
    *,
    number: str | None = None,
    watermark: str | None = None,
    copies: Sequence[str] | None = None,
    fontset: FontSet | None = None,
) -> bytes:
    """One document as PDF bytes. ``watermark`` (e.g. "样稿") marks a preview/draft; a draft may have
    no number or a provisional one. ``copies`` selects copies (联次) of the definition; default all."""
    d = definition if isinstance(definition, Definition) else get_definition(definition)
    return render_many([RenderRequest(d, context, number, watermark, copies)], fontset=fontset, title=d.title)
