"""Document definitions as data (文书定义): loading and checking. See docs/forms.md.

One JSON file per document type in ``forms/definitions/``::

    {
      "type": "penalty_decision",            # stable id, [a-z0-9_]
      "version": 1,                          # bumped whenever wording or layout changes
      "title": "行政处罚决定书",
      "basis": ["《中华人民共和国行政处罚法》第五十九条"],   # optional, documentation
      "agency_header": true,                 # agency name line above the title (default true)
      "layout": 2,                           # renderer layout revision (default 1, see below)
      "public": false,                       # posted publicly (公告): personal data restricted
      "number": {"code": "罚决", "numbered": true,
                 "pattern": "{agency_code}{doc_code}〔{year}〕第{seq}号", "use_di": true, "pad": 0},
      "copies": ["正本", "副本"],             # optional; each copy is printed with its label
      "stage": "决定", "order": 190,          # procedure stage and order (归档: printed only in the 案卷)
      "act": "inspection_record",            # optional: share this registered type's act and data
      "title_when": [["notice.hearing_right", "…（听证）告知书"]],  # optional title variants
      "subject": "service.doc_name",         # optional: shown after the title in lists
      "blocks": [ {"kind": ..., ...}, ... ],
      "footer": {"note": "本文书一式两份……"}   # optional small print after the blocks
    }

Block kinds (every block may carry ``"if": "<path>"`` / ``"unless": "<path>"``: shown only when
the context value is truthy / falsy):

``heading``        ``text``; ``role`` heading (黑体, default) or kai (楷体)
``paragraph``      ``text`` (newlines in values start new paragraphs); ``align`` justify|left|
                   center|right; ``indent`` (first-line two-character indent, default true);
                   ``role`` body|kai|heading
``remedies``       like paragraph; marks the 救济途径 clause
``note``           like paragraph, 4号 (14 pt)
``fields``         label/value table: ``rows`` = ``[label, value]`` or ``{"label", "value",
                   "lines": N (minimum height in lines), "if", "unless"}``; ``label_width`` (mm)
``list``           ``source`` (a list path); either ``item`` (template or list of templates, one
                   paragraph each, with ``each.*`` and ``n``) or ``columns`` ``[[header,
                   template, width_mm], …]`` (a table); ``empty`` text when the list is empty
``signature``      ``lines``: templates printed with room for a handwritten signature
``seal``           ``name`` and ``date`` templates, right-aligned, with the （印章） area
``page_signature`` ``text``: the 笔录 signature line printed at the foot of every page together
                   with "第 N 页 共 M 页"
``spacer``         ``lines``: blank lines

``public: true`` marks a document that is posted or published (送达公告). Such a definition may
print the party's ID number only through ``masked_id`` and may not print the party's phone,
address, birth date, e-mail or postcode; the loader refuses anything else (《中华人民共和国行政处罚法》
第五十条 confidentiality of personal privacy; 《中华人民共和国个人信息保护法》第二十五条 no
disclosure of personal information without separate consent, 第三十四条 a state organ processes
only what its statutory duty requires).

``layout`` pins the renderer's layout revision, so a document issued years ago is reprinted with
the layout it was issued with (same bytes): 1 = original (page numbers in the body font, title
filled greedily); 2 = page numbers "— N —" in a 宋体-class font (4号), titles longer than one line
broken into balanced 梯形 lines; 3 = no printed seal circle, closings kept together with the text
before them, widow/orphan control, 小四 table cells. A definition whose content or layout changes gets a new ``version``;
the superseded file is kept in ``forms/definitions/history/<type>.v<N>.json`` (:func:`definition_version`)
so an issued document of that version stays reprintable.

Nothing in a definition is executed: texts are parsed by :mod:`forms.placeholders`, whose paths
must be in :data:`forms.context.SCHEMA`. Every problem is reported when the definition loads, as a
:class:`DefinitionError` naming the file, the block and the placeholder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from forms.context import spec_at
from forms.placeholders import Placeholder, Template, TemplateError, lookup, parse_template
from lishui_desk.errors import InvalidInput

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
HISTORY_DIR = DEFINITIONS_DIR / "history"
LAYOUTS = (1, 2, 3)
DEFAULT_ORDER = 1000
CASEFILE_STAGE = "归档"  # definitions of this stage are parts of the 案卷, printed only inside it

_TOP_KEYS = {"type", "version", "title", "basis", "agency_header", "number", "copies", "blocks", "footer", "stage",
             "description", "layout", "public", "order", "act", "title_when", "subject"}
# personal data a public definition may print only masked (path -> required formatter) or never
PUBLIC_MASKED = {"party.id_number": "masked_id"}
PUBLIC_FORBIDDEN = frozenset({"party.phone", "party.address", "party.birth_date", "party.email", "party.postcode"})
_NUMBER_KEYS = {"code", "numbered", "pattern", "use_di", "pad"}
_COMMON = {"kind", "if", "unless"}
_BLOCK_KEYS: dict[str, set[str]] = {
    "heading": {"text", "role"},
    "paragraph": {"text", "align", "indent", "role"},
    "remedies": {"text", "align", "indent", "role"},
    "note": {"text", "align", "indent", "role"},
    "fields": {"rows", "label_width"},
    "list": {"source", "item", "columns", "empty"},
    "signature": {"lines"},
    "seal": {"name", "date"},
    "page_signature": {"text"},
    "spacer": {"lines"},
}
_ROLES = {"body", "kai", "heading", "title"}
_ALIGNS = {"justify", "left", "center", "right"}
_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class DefinitionError(InvalidInput):
    """A definition file is malformed; the message names the file, the block and the placeholder."""

    code = "definition_error"

    def __init__(self, source: str, where: str, message: str, placeholder: str | None = None) -> None:
        super().__init__(f"文书定义“{source}”{where}：{message}")
        self.source = source
        self.where = where
        self.placeholder = placeholder


@dataclass(frozen=True)
class Row:
    label: Template
    value: Template
    lines: int
    cond_if: str | None
    cond_unless: str | None


@dataclass(frozen=True)
class Block:
    kind: str
    index: int
    cond_if: str | None = None
    cond_unless: str | None = None
    text: Template | None = None
    role: str = "body"
    align: str = "justify"
    indent: bool = True
    rows: tuple[Row, ...] = ()
    label_width: float = 35.0
    source: str | None = None
    items: tuple[Template, ...] = ()
    columns: tuple[tuple[str, Template, float | None], ...] = ()
    empty: Template | None = None
    lines: tuple[Template, ...] = ()
    name: Template | None = None
    date: Template | None = None
    count: int = 1


@dataclass(frozen=True)
class NumberSpec:
    code: str
    numbered: bool
    pattern: str
    use_di: bool
    pad: int


@dataclass(frozen=True)
class Definition:
    type: str
    version: int
    title: str
    number: NumberSpec
    copies: tuple[str, ...]
    blocks: tuple[Block, ...]
    agency_header: bool = True
    footer_note: Template | None = None
    source: str = ""
    layout: int = 1
    public: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    order: int = DEFAULT_ORDER  # place in the procedure (办案流程): documents offered and filed in this order
    stage: str = ""
    act: str | None = None  # a registered document type whose act (and data) this document shares
    title_when: tuple[tuple[str, str], ...] = ()  # (context path, title) used when the value is non-empty
    subject: str | None = None  # context path naming what the document concerns, shown after its title in lists

    def title_for(self, ctx: Mapping[str, Any]) -> str:
        """The title printed for this context: the first ``title_when`` whose path has a value."""
        for path, title in self.title_when:
            v = lookup(dict(ctx), path)
            if v and v != "0":
                return title
        return self.title

    def listed_title(self, ctx: Mapping[str, Any]) -> str:
        """The title as a list (issued documents, 卷内目录) shows it: with its subject, e.g.
        送达回证（行政处罚决定书）, so two documents of one type can be told apart."""
        title = self.title_for(ctx)
        what = lookup(dict(ctx), self.subject) if self.subject else None
        return f"{title}（{what}）" if isinstance(what, str) and what else title

    @property
    def page_signature(self) -> Block | None:
        for b in self.blocks:
            if b.kind == "page_signature":
                return b
        return None


def _cond(v: Any, src: str, where: str, key: str) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise DefinitionError(src, where, f"“{key}”应为数据字段路径")
    try:
        spec_at(v)
    except KeyError:
        raise DefinitionError(src, where, f"条件“{key}: {v}”引用了未登记的数据字段", v) from None
    return v


def _tpl(text: Any, src: str, where: str, each_spec: Any = None) -> Template:
    if not isinstance(text, str):
        raise DefinitionError(src, where, "文本应为字符串")
    try:
        return parse_template(text, each_spec)
    except TemplateError as exc:
        raise DefinitionError(src, where, str(exc), exc.placeholder) from None


def _block(raw: Any, idx: int, src: str) -> Block:
    if not isinstance(raw, dict) or "kind" not in raw:
        raise DefinitionError(src, f"第{idx + 1}块", "每一块须是含“kind”的对象")
    kind = raw["kind"]
    where = f"第{idx + 1}块（{kind}）"
    if kind not in _BLOCK_KEYS:
        raise DefinitionError(src, where, f"未知的块类型“{kind}”（可用：{'、'.join(_BLOCK_KEYS)}）")
    unknown = set(raw) - _COMMON - _BLOCK_KEYS[kind]
    if unknown:
        raise DefinitionError(src, where, f"未知的属性：{'、'.join(sorted(unknown))}")
    c_if = _cond(raw.get("if"), src, where, "if")
    c_unless = _cond(raw.get("unless"), src, where, "unless")
    kw: dict[str, Any] = {"kind": kind, "index": idx, "cond_if": c_if, "cond_unless": c_unless}
    if kind in ("heading", "paragraph", "remedies", "note", "page_signature"):
        if "text" not in raw:
            raise DefinitionError(src, where, "缺少“text”")
        kw["text"] = _tpl(raw["text"], src, where)
        role = raw.get("role", "heading" if kind == "heading" else "body")
        if role not in _ROLES:
            raise DefinitionError(src, where, f"未知的字体角色“{role}”")
        kw["role"] = role
        align = raw.get("align", "left" if kind == "heading" else "justify")
        if align not in _ALIGNS:
            raise DefinitionError(src, where, f"未知的对齐方式“{align}”")
        kw["align"] = align
        indent = raw.get("indent", kind != "page_signature")
        if not isinstance(indent, bool):
            raise DefinitionError(src, where, "“indent”应为 true 或 false")
        kw["indent"] = indent
    elif kind == "fields":
        rows_raw = raw.get("rows")
        if not isinstance(rows_raw, list) or not rows_raw:
            raise DefinitionError(src, where, "“rows”应为非空列表")
        rows = []
        for j, r in enumerate(rows_raw):
            w = f"{where}第{j + 1}行"
            if isinstance(r, list) and len(r) == 2:
                r = {"label": r[0], "value": r[1]}
            if not isinstance(r, dict) or set(r) - {"label", "value", "lines", "if", "unless"} or "label" not in r:
                raise DefinitionError(src, w, "行应为 [标签, 值] 或含 label/value/lines/if/unless 的对象")
            lines = r.get("lines", 1)
            if not isinstance(lines, int) or not 1 <= lines <= 20:
                raise DefinitionError(src, w, "“lines”应为 1–20 的整数")
            rows.append(Row(_tpl(r["label"], src, w), _tpl(r.get("value", ""), src, w), lines,
                            _cond(r.get("if"), src, w, "if"), _cond(r.get("unless"), src, w, "unless")))
        kw["rows"] = tuple(rows)
        lw = raw.get("label_width", 35)
        if not isinstance(lw, int | float) or not 15 <= lw <= 120:
            raise DefinitionError(src, where, "“label_width”应为 15–120（毫米）")
        kw["label_width"] = float(lw)
    elif kind == "list":
        source = raw.get("source")
        try:
            spec = spec_at(source) if isinstance(source, str) else None
        except KeyError:
            spec = None
        if isinstance(spec, list):
            each_spec: Any = spec[0]
        elif spec == "list":
            each_spec = "str"
        else:
            raise DefinitionError(src, where, f"“source”应为登记过的列表字段，实际为“{source}”", str(source))
        kw["source"] = source
        if ("item" in raw) == ("columns" in raw):
            raise DefinitionError(src, where, "须且只能有“item”或“columns”之一")
        if "item" in raw:
            items = raw["item"] if isinstance(raw["item"], list) else [raw["item"]]
            kw["items"] = tuple(_tpl(t, src, where, each_spec) for t in items)
        else:
            cols = []
            if not isinstance(raw["columns"], list) or not raw["columns"]:
                raise DefinitionError(src, where, "“columns”应为非空列表")
            for col in raw["columns"]:
                if not isinstance(col, list) or len(col) not in (2, 3) or not isinstance(col[0], str):
                    raise DefinitionError(src, where, "每列应为 [表头, 模板] 或 [表头, 模板, 宽度毫米]")
                width = col[2] if len(col) == 3 else None
                if width is not None and (not isinstance(width, int | float) or not 5 <= width <= 156):
                    raise DefinitionError(src, where, f"列“{col[0]}”的宽度应为 5–156 毫米")
                cols.append((col[0], _tpl(col[1], src, where, each_spec), width))
            kw["columns"] = tuple(cols)
        if "empty" in raw:
            kw["empty"] = _tpl(raw["empty"], src, where)
    elif kind == "signature":
        lines = raw.get("lines")
        if not isinstance(lines, list) or not lines:
            raise DefinitionError(src, where, "“lines”应为非空列表")
        kw["lines"] = tuple(_tpl(t, src, where) for t in lines)
    elif kind == "seal":
        if "name" not in raw or "date" not in raw:
            raise DefinitionError(src, where, "印章块须有“name”和“date”")
        kw["name"] = _tpl(raw["name"], src, where)
        kw["date"] = _tpl(raw["date"], src, where)
    elif kind == "spacer":
        n = raw.get("lines", 1)
        if not isinstance(n, int) or not 1 <= n <= 10:
            raise DefinitionError(src, where, "“lines”应为 1–10 的整数")
        kw["count"] = n
    return Block(**kw)


def parse_definition(data: Any, source: str = "<内存>") -> Definition:
    """Check and compile a definition dict (the JSON file's content)."""
    src = source
    if not isinstance(data, dict):
        raise DefinitionError(src, "顶层", "应为 JSON 对象")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise DefinitionError(src, "顶层", f"未知的属性：{'、'.join(sorted(unknown))}")
    typ = data.get("type")
    if not isinstance(typ, str) or not _TYPE_RE.match(typ):
        raise DefinitionError(src, "顶层", "“type”应为小写英文标识（如 penalty_decision）")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DefinitionError(src, "顶层", "“version”应为正整数")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or "{" in title:
        raise DefinitionError(src, "顶层", "“title”应为固定文字的文书名称")
    num = data.get("number", {"code": "", "numbered": False})
    if not isinstance(num, dict) or set(num) - _NUMBER_KEYS:
        raise DefinitionError(src, "number", f"只能含 {'、'.join(sorted(_NUMBER_KEYS))}")
    numbered = num.get("numbered", False)
    code = num.get("code", "")
    if not isinstance(numbered, bool) or not isinstance(code, str) or (numbered and not code):
        raise DefinitionError(src, "number", "编号文书须有“code”（文书代字），“numbered”应为 true/false")
    pad = num.get("pad", 0)
    if isinstance(pad, bool) or not isinstance(pad, int) or not 0 <= pad <= 8:
        raise DefinitionError(src, "number", "“pad”应为 0–8")
    spec = NumberSpec(code, numbered, num.get("pattern", "{agency_code}{doc_code}〔{year}〕第{seq}号"),
                      bool(num.get("use_di", True)), pad)
    copies = data.get("copies", [])
    if not isinstance(copies, list) or not all(isinstance(c, str) and c for c in copies) or len(set(copies)) != len(copies):
        raise DefinitionError(src, "copies", "应为不重复的联次名称列表")
    blocks_raw = data.get("blocks")
    if not isinstance(blocks_raw, list) or not blocks_raw:
        raise DefinitionError(src, "blocks", "应为非空列表")
    blocks = tuple(_block(b, i, src) for i, b in enumerate(blocks_raw))
    if sum(1 for b in blocks if b.kind == "page_signature") > 1:
        raise DefinitionError(src, "blocks", "只能有一个 page_signature 块")
    footer = data.get("footer")
    note = None
    if footer is not None:
        if not isinstance(footer, dict) or set(footer) - {"note"}:
            raise DefinitionError(src, "footer", "只能含“note”")
        if "note" in footer:
            note = _tpl(footer["note"], src, "footer")
    ah = data.get("agency_header", True)
    if not isinstance(ah, bool):
        raise DefinitionError(src, "顶层", "“agency_header”应为 true/false")
    layout = data.get("layout", 1)
    if isinstance(layout, bool) or layout not in LAYOUTS:
        raise DefinitionError(src, "顶层", f"“layout”应为 {'、'.join(map(str, LAYOUTS))} 之一（版式修订号）")
    public = data.get("public", False)
    if not isinstance(public, bool):
        raise DefinitionError(src, "顶层", "“public”应为 true/false")
    if public:
        _check_public(blocks, note, src)
    order = data.get("order", DEFAULT_ORDER)
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 100000:
        raise DefinitionError(src, "顶层", "“order”应为 0–100000 的整数（在办案流程中的次序）")
    stage = data.get("stage", "")
    if not isinstance(stage, str):
        raise DefinitionError(src, "顶层", "“stage”应为文字（办案阶段）")
    act = data.get("act")
    if act is not None and (not isinstance(act, str) or not _TYPE_RE.match(act)):
        raise DefinitionError(src, "顶层", "“act”应为另一文书类型的标识（与其共用同一办案记录）")
    title_when = _title_when(data.get("title_when", []), src)
    subject = data.get("subject")
    if subject is not None:
        try:
            spec_at(subject)
        except (KeyError, TypeError):
            raise DefinitionError(src, "subject", f"未登记的文书数据字段“{subject}”", str(subject)) from None
    return Definition(typ, version, title, spec, tuple(copies), blocks, ah, note, src, layout=layout, public=public,
                      raw=data, order=order, stage=stage, act=act, title_when=title_when, subject=subject)


def _title_when(raw: Any, src: str) -> tuple[tuple[str, str], ...]:
    """``[[path, title], …]``: a title variant printed when the context value at ``path`` is non-empty."""
    if not isinstance(raw, list):
        raise DefinitionError(src, "title_when", "应为 [[字段, 标题], …] 列表")
    out: list[tuple[str, str]] = []
    for pair in raw:
        if (not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(x, str) and x for x in pair)
                or "{" in pair[1]):
            raise DefinitionError(src, "title_when", "每项应为 [字段, 固定文字的标题]")
        try:
            spec_at(pair[0])
        except KeyError:
            raise DefinitionError(src, "title_when", f"未登记的文书数据字段“{pair[0]}”", pair[0]) from None
        out.append((pair[0], pair[1]))
    return tuple(out)


def _templates(b: Block) -> list[Template]:
    out = [t for t in (b.text, b.empty, b.name, b.date) if t is not None]
    out += list(b.items) + list(b.lines) + [c[1] for c in b.columns]
    for r in b.rows:
        out += [r.label, r.value]
    return out


def _check_public(blocks: tuple[Block, ...], note: Template | None, src: str) -> None:
    """A publicly posted document prints personal data only masked (行政处罚法第五十条; 个人信息保护法第二十五条、第三十四条)."""
    found: list[tuple[str, Template]] = [(f"第{b.index + 1}块（{b.kind}）", t) for b in blocks for t in _templates(b)]
    if note is not None:
        found.append(("footer", note))
    for where, tpl in found:
        for part in tpl.parts:
            if not isinstance(part, Placeholder):
                continue
            names = [f for f, _arg in part.formatters]
            if part.path in PUBLIC_FORBIDDEN:
                raise DefinitionError(src, where, f"公开张贴的文书不得载明当事人的个人信息“{part.path}”"
                                      "（《中华人民共和国个人信息保护法》第二十五条、第三十四条）", part.raw)
            need = PUBLIC_MASKED.get(part.path)
            if need and need not in names:
                raise DefinitionError(src, where, f"公开张贴的文书中“{part.path}”须经“{need}”遮蔽后显示"
                                      "（《中华人民共和国行政处罚法》第五十条；《中华人民共和国个人信息保护法》第二十五条）",
                                      part.raw)


def load_definition(path: str | Path) -> Definition:
    """Load one definition file; DefinitionError (an InvalidInput) on any problem."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DefinitionError(p.name, "文件", f"无法读取：{exc}") from None
    except json.JSONDecodeError as exc:
        raise DefinitionError(p.name, f"第{exc.lineno}行", f"不是合法的 JSON：{exc.msg}") from None
    d = parse_definition(data, p.name)
    if p.stem != d.type:
        raise DefinitionError(p.name, "顶层", f"文件名应与 type 一致（{d.type}.json）")
    return d


@lru_cache(maxsize=1)
def bundled_definitions() -> dict[str, Definition]:
    """Every bundled definition by type (defaults; the county may publish newer versions)."""
    return {p.stem: load_definition(p) for p in sorted(DEFINITIONS_DIR.glob("*.json"))}


def get_definition(doc_type: str) -> Definition:
    try:
        return bundled_definitions()[doc_type]
    except KeyError:
        raise InvalidInput(f"没有名为“{doc_type}”的文书定义") from None


@lru_cache(maxsize=256)
def _historic(doc_type: str, version: int) -> Definition | None:
    p = HISTORY_DIR / f"{doc_type}.v{version}.json"
    if not p.is_file():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DefinitionError(p.name, "文件", f"无法读取：{exc}") from None
    d = parse_definition(data, f"history/{p.name}")
    if d.type != doc_type or d.version != version:
        raise DefinitionError(p.name, "顶层", f"文件名应与 type/version 一致（{d.type}.v{d.version}.json）")
    return d


def definition_version(doc_type: str, version: int) -> Definition | None:
    """The definition of ``doc_type`` exactly at ``version``: the current bundled one or a superseded
    one kept in ``history/``; None when this installation does not have that version."""
    current = get_definition(doc_type)
    if current.version == version:
        return current
    return _historic(doc_type, version)
